#!/usr/bin/env bash
# Starts the machine's PostgreSQL (127.0.0.1:5432, trust auth, database test) and MariaDB (127.0.0.1:3306, root without
# password) if they are down, and waits until both answer. The tests create and drop their own databases in them, and
# run this script when one is down (support/TestDatabases, through ExternalServers). Both come installed and set up
# on this project's machines; starting one needs root.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pg_up() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; }
maria_up() { command -v mariadb-admin >/dev/null 2>&1 && mariadb-admin --no-defaults -h127.0.0.1 -P3306 -uroot ping >/dev/null 2>&1; }

if pg_up && maria_up; then
  echo "PostgreSQL and MariaDB are up"
  exit 0
fi
become_root "starting PostgreSQL and MariaDB"
if ! pg_up; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    echo "$ME: PostgreSQL is not installed: apt-get install postgresql, then allow 'host all all 127.0.0.1/32 trust' in pg_hba.conf and create a database test" >&2
    exit 1
  fi
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! maria_up; then
  if [ ! -x /usr/sbin/mariadbd ]; then
    echo "$ME: MariaDB is not installed: apt-get install mariadb-server, then let root in without a password from 127.0.0.1" >&2
    exit 1
  fi
  echo "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi
for _ in $(seq 60); do
  if pg_up && maria_up; then
    echo "PostgreSQL and MariaDB are up"
    exit 0
  fi
  sleep 1
done
echo "$ME: PostgreSQL or MariaDB did not come up on 127.0.0.1:5432 / :3306 (logs: /var/log/postgresql, /var/log/mysql)" >&2
exit 1
