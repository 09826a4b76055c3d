#!/usr/bin/env bash
# Makes the secrets of docker/compose.yaml and docker/k8s/migration-hub.yaml, once, as files in docker/secrets/
# (or the folder given): random passwords for the ledger, the broker and the management users, and a self-signed
# TLS key for the hubs' management ports (names hub-1, hub-2, migration-hub, localhost). An existing file is kept, so
# running it again changes nothing; delete a file to make a new one. Needs openssl.
#
#   docker/secrets.sh [DIR]
#   kubectl create secret generic migration-hub --from-file=docker/secrets/    # for k8s/migration-hub.yaml
set -euo pipefail
dir="${1:-$(cd "$(dirname "$0")" && pwd)/secrets}"
command -v openssl >/dev/null || { echo "secrets.sh: openssl is missing: apt-get install openssl" >&2; exit 1; }
umask 077
mkdir -p "$dir"
chmod 700 "$dir"

password() { # a random password, written without a newline
  [ -s "$dir/$1" ] || { openssl rand -base64 24 | tr '+/' '-_' | tr -d '\n' >"$dir/$1"; echo "secrets.sh: made $dir/$1"; }
}
password ledger-password            # PostgreSQL user hub (the ledger)
password artemis-password           # Artemis user hub (the work queue)
password hub-operator-password      # management user operator (role operator)
password hub-prometheus-password    # management user prometheus (role viewer), for Prometheus's scrape

if [ ! -s "$dir/hub-tls-certificate" ] || [ ! -s "$dir/hub-tls-private-key" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 -subj "/CN=migration-hub" \
    -addext "subjectAltName=DNS:hub-1,DNS:hub-2,DNS:migration-hub,DNS:localhost,IP:127.0.0.1" \
    -keyout "$dir/hub-tls-private-key" -out "$dir/hub-tls-certificate" 2>/dev/null
  echo "secrets.sh: made $dir/hub-tls-certificate and hub-tls-private-key (self-signed; replace with your CA's)"
fi
# compose mounts these files as they are: the containers' users (the hub's 10001, Prometheus's nobody) must read
# them; the folder itself stays the owner's only
chmod 644 "$dir"/*
