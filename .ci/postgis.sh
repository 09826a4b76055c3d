#!/usr/bin/env bash
# PostGIS for the running PostgreSQL (127.0.0.1:5432), for the tests that copy MariaDB spatial columns into PostGIS
# geometry (MariaDbLegacyDataIT): Debian's postgresql-<major>-postgis-3, the major version read from the server.
# Idempotent: returns at once when the server offers the postgis extension; installs the package only when missing
# (as root; the ITs with @Needs(POSTGIS) run this when the extension is not available). Starts the databases first
# (start-databases.sh) when PostgreSQL does not answer.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

psql_q() { psql -X -q -At -h 127.0.0.1 -p 5432 -U postgres -d postgres -c "$1"; }

if ! psql_q "SELECT 1" >/dev/null 2>&1; then
  "$(dirname "$0")/start-databases.sh" # a test may ask for PostGIS before the databases are up
fi
if [ "$(psql_q "SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")" = 1 ]; then
  echo "$ME: PostGIS $(psql_q "SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'") is available"
  exit 0
fi
major=$(psql_q "SHOW server_version_num")
major=$((major / 10000))
become_root "installing Debian's postgresql-$major-postgis-3"
apt_install --no-install-recommends "postgresql-$major-postgis-3"
if [ "$(psql_q "SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")" != 1 ]; then
  echo "$ME: postgresql-$major-postgis-3 is installed but PostgreSQL $major does not offer the postgis extension" >&2
  exit 1
fi
echo "$ME: PostGIS $(psql_q "SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'") is available"
