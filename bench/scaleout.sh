#!/usr/bin/env bash
# Migration Hub scale-out benchmark (issue 15): the same two migrations run by 1 hub, then by 3 hubs sharing one
# Artemis broker (.ci/artemis.sh) and one PostgreSQL ledger:
#   - MariaDB -> PostgreSQL, 1,000,000 rows (bench/db.sh's source: 200k customers + 800k orders, generated if missing)
#   - 2,000 files (1-16 KiB, random bytes, 20 folders) from a local folder into another
# Every hub is the packaged jar, serving (`run ROUTES`), with HUB_WORKERS workers and -Xmx$HUB_HEAP. Prints, per setup,
# the time from the first hub's start until both runs are verified, the runs' own times (ledger), the items each hub's
# workers verified, and checks the target (row counts, files' SHA-256).
#
# Usage: bench/scaleout.sh [--help]
# Environment:
#   NODES="1 3"       the setups to run, in hubs
#   HUB_WORKERS=4     worker threads per hub;  PARALLELISM=12  the migrations' in-flight cap (over all hubs)
#   FILES=2000        files;  CHUNK=25000  rows per database item
#   HUB_HEAP=256m     heap of each hub
#   WORK=/tmp/hubbench-scaleout   configs, logs, the files (src/, dst/)
# Needs what bench/db.sh needs (PostgreSQL 127.0.0.1:5432 user postgres trust, MariaDB 127.0.0.1:3306 root), plus
# .ci/artemis.sh (Apache Artemis from Maven Central, a JDK 17+). Leaves the broker and the databases running.
set -euo pipefail
export LC_NUMERIC=C
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN=$(dirname "$BENCH")
NODES=${NODES:-"1 3"}
HUB_WORKERS=${HUB_WORKERS:-4}
PARALLELISM=${PARALLELISM:-12}
FILES=${FILES:-2000}
CHUNK=${CHUNK:-25000}
HUB_HEAP=${HUB_HEAP:-256m}
WORK=${WORK:-/tmp/hubbench-scaleout}
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;; "") ;; *) echo "unknown argument: $1" >&2; exit 2 ;; esac

SRC_DB=hubbench; DST_DB=hubbench_scaleout; LEDGER_DB=hubbench_scaleout_ledger
MY=(mariadb -h127.0.0.1 -P3306 -uroot -N -B)
PSQL=(env PGOPTIONS="-c client_min_messages=warning" psql -X -q -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1 -At)
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }
now() { date +%s.%N; }
mkdir -p "$WORK"

# ---- the source rows (bench/db.sh generates them, nothing else), the files, the broker, the jar
if [ "$("${MY[@]}" -e "SELECT COUNT(*) FROM $SRC_DB.orders" 2>/dev/null || echo 0)" != 800000 ]; then
  log "generating the 1,000,000 source rows with bench/db.sh (its other steps skipped)"
  SKIP_PGLOADER=1 SKIP_COPY=1 SKIP_HUB=1 SKIP_NIGHTLY=1 "$BENCH/db.sh" >"$WORK/gen.log" 2>&1 || true
fi
ROWS=$(( $("${MY[@]}" -e "SELECT COUNT(*) FROM $SRC_DB.customers") + $("${MY[@]}" -e "SELECT COUNT(*) FROM $SRC_DB.orders") ))
[ "$ROWS" -gt 0 ] || die "no source rows in MariaDB $SRC_DB (see $WORK/gen.log)"
if [ "$(find "$WORK/src" -type f 2>/dev/null | wc -l)" != "$FILES" ]; then
  log "making $FILES files in $WORK/src"
  rm -rf "$WORK/src"
  python3 - "$WORK/src" "$FILES" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(15)
for i in range(n):
    d = os.path.join(root, "d%02d" % (i % 20))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "berkas-%05d.bin" % i), "wb") as f:
        f.write(rnd.randbytes(1024 + rnd.randrange(15 * 1024)))
PY
fi
"$MAIN/.ci/artemis.sh" start >/dev/null
BROKER=$(. /dev/stdin <<<"$(grep '^url=' "${HUB_ARTEMIS_DIR:-/tmp/hub-artemis}/env")"; echo "$url")
[ -f "$MAIN/target/migration-hub.jar" ] || (cd "$MAIN" && mvn -q -B -o -DskipTests package)
JAR=$MAIN/target/migration-hub.jar

declare -A SUMMARY
PIDS=()
stop_hubs() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done; PIDS=(); }
trap stop_hubs EXIT

for N in $NODES; do
  S=$WORK/n$N; rm -rf "$S" "$WORK/dst"; mkdir -p "$S/routes" "$WORK/dst"
  for db in "$DST_DB" "$LEDGER_DB"; do
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  done
  M=$(date +%H%M%S)  # migration names of their own: messages an earlier setup left on the broker claim nothing
  cat >"$S/routes/scaleout.yaml" <<YAML
- route:
    id: so-bench-db-$M
    from:
      uri: migration:db
      parameters:
        application: bench
        source: bench-mariadb
        target: bench-postgres
        tables: "customers,orders"
        chunkSize: $CHUNK
        parallelism: $PARALLELISM
      steps:
        - log: "\${body}"
- route:
    id: so-bench-files-$M
    from:
      uri: migration:files
      parameters:
        application: bench
        source: "file:$WORK/src"
        target: "file:$WORK/dst"
        parallelism: $PARALLELISM
      steps:
        - log: "\${body}"
YAML
  log "$N hub(s), $HUB_WORKERS workers each, parallelism $PARALLELISM: $ROWS rows + $FILES files"
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  start=$(now)
  declare -A NAME_OF=()
  for i in $(seq "$N"); do
    cat >"$S/hub$i.yaml" <<CFG
hub:
  data-dir: $S/hub$i
  queue: { workers: $HUB_WORKERS, embedded-port: 0 }
  management: { port: 0 }
  ledger: { url: "jdbc:postgresql://127.0.0.1:5432/$LEDGER_DB", username: postgres }
  datasources:
    bench-mariadb: { url: "jdbc:mariadb://127.0.0.1:3306/$SRC_DB", username: root }
    bench-postgres: { url: "jdbc:postgresql://127.0.0.1:5432/$DST_DB", username: postgres }
spring:
  artemis: { mode: native, broker-url: "$BROKER?consumerWindowSize=0", embedded: { enabled: false } }
CFG
    java -Xmx"$HUB_HEAP" -jar "$JAR" --config "$S/hub$i.yaml" run "$S/routes" >"$S/hub$i.log" 2>&1 &
    PIDS+=($!); NAME_OF[$!]=hub$i
  done
  done_runs=0
  for _ in $(seq 3600); do
    done_runs=$("${PSQL[@]}" -d "$LEDGER_DB" -c "SELECT COUNT(DISTINCT migration) FROM hub_run WHERE state = 'SUCCEEDED'" 2>/dev/null || echo 0)
    [ "$done_runs" = 2 ] && break
    failed=$("${PSQL[@]}" -d "$LEDGER_DB" -c "SELECT COUNT(*) FROM hub_run WHERE state = 'FAILED'" 2>/dev/null || echo 0)
    [ "$failed" = 0 ] || die "a run failed; see $S/hub*.log"
    sleep 0.5
  done
  wall=$(echo "$(now) - $start" | bc)
  [ "$done_runs" = 2 ] || die "the runs did not end within 30 minutes; see $S/hub*.log"
  runs=$("${PSQL[@]}" -d "$LEDGER_DB" -F ' ' -c "SELECT migration, ROUND(EXTRACT(EPOCH FROM finished_at - started_at)::numeric, 1)
                                            FROM hub_run WHERE state = 'SUCCEEDED' ORDER BY migration")
  per_hub=""
  while read -r node items; do
    pid=${node%%@*}; per_hub+="${NAME_OF[$pid]:-$node}: $items items; "
  done < <("${PSQL[@]}" -d "$LEDGER_DB" -F ' ' -c "SELECT claimed_by, COUNT(*) FROM hub_item WHERE status = 'VERIFIED' GROUP BY claimed_by ORDER BY 1")
  stop_hubs
  rows=$(( $("${PSQL[@]}" -d "$DST_DB" -c "SELECT COUNT(*) FROM customers") + $("${PSQL[@]}" -d "$DST_DB" -c "SELECT COUNT(*) FROM orders") ))
  same_files=$( (cd "$WORK/src" && find . -type f | sort | xargs sha256sum) | cmp -s - <(cd "$WORK/dst" && find . -type f | sort | xargs sha256sum) && echo yes || echo NO)
  db_s=$(awk '$1 ~ /db/ {print $2}' <<<"$runs"); files_s=$(awk '$1 ~ /files/ {print $2}' <<<"$runs")
  SUMMARY[$N]=$(printf '%d hub(s): db run %s s, files run %s s (ledger); both verified %.1f s after the first start; %s target rows %s, files equal %s; load average %s -> %s' \
    "$N" "$db_s" "$files_s" "$wall" "$per_hub" "$rows" "$same_files" "$load_before" "$(cut -d' ' -f1 /proc/loadavg)")
  log "${SUMMARY[$N]}"
  [ "$rows" = "$ROWS" ] && [ "$same_files" = yes ] || die "the target differs from the source"
done

echo
echo "== bench/scaleout.sh, $(date -u +%Y-%m-%d), $(nproc) cores; $ROWS rows (chunks of $CHUNK) + $FILES files; $HUB_WORKERS workers per hub, parallelism $PARALLELISM, -Xmx$HUB_HEAP"
for N in $NODES; do echo "${SUMMARY[$N]}"; done
