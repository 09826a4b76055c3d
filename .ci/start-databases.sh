#!/usr/bin/env bash
# Starts the machine's PostgreSQL (127.0.0.1:5432, trust auth) and MariaDB (127.0.0.1:3306, root without password)
# if they are down, and waits until both answer. The tests create and drop their own databases in them.
set -euo pipefail

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! mariadb-admin --no-defaults -h127.0.0.1 -P3306 -uroot ping >/dev/null 2>&1; then
  echo "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi
for _ in $(seq 60); do
  if pg_isready -q -h 127.0.0.1 -p 5432 && mariadb-admin --no-defaults -h127.0.0.1 -P3306 -uroot ping >/dev/null 2>&1; then
    echo "PostgreSQL and MariaDB are up"
    exit 0
  fi
  sleep 1
done
echo "PostgreSQL or MariaDB did not come up on 127.0.0.1:5432 / :3306" >&2
exit 1
