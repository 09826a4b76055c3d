#!/usr/bin/env bash
# Migration Hub database benchmark: MariaDB -> PostgreSQL on the same rows, in one run:
#   1. pgloader (the peer tool, whole job: schema, data, indexes, FKs, sequences)
#   2. raw PostgreSQL COPY of the same rows into bare tables (the physical reference)
#   3. the hub (./hub run --once bench/db/routes/db-bench.yaml), with its heap limited
#   4. the nightly sync re-runs of the hub (mode sync): one with no change at the source, one after 1% of the rows were
#      updated, scattered over both tables (the update is undone afterwards, so the source stays as generated)
# and prints the times, rows/s, the hub/pgloader ratio, the nightly times beside the full run and a per-table row check.
#
# Usage: bench/db.sh [--regen] [--help]
#   --regen        regenerate the MariaDB source data even if the row counts already match
# Environment:
#   ROWS=1000000   total source rows (customers ROWS/5, orders the rest)
#   SKIP_HUB=1     do not run the hub;  SKIP_PGLOADER=1 / SKIP_COPY=1 / SKIP_NIGHTLY=1 likewise
#   HUB_HEAP=256m  hub heap limit (JAVA_OPTS="-Xmx$HUB_HEAP")
#   WORK=/tmp/hubbench-db   logs, rendered pgloader file and hub config, COPY export files (KEEP_EXPORT=1 keeps the latter)
#   DB_PREFIX=     prefix of every database the bench uses (source hubbench, targets hubbench_*), e.g. DB_PREFIX=me_
#                  so that benches of several people on one machine do not share (and update) one source
#   HUB_JAVA_OPTS= more JVM options for the hub's full run only (not the nightly re-runs), e.g. a JFR recording:
#                  HUB_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/hub.jfr,settings=profile'
# Goals printed beside the figures (issue 14): whole command >= 1.5x pgloader, run >= 2x, max RSS <= 320 MiB.
# Needs: root (apt-get, service start), PostgreSQL on 127.0.0.1:5432 (user postgres, trust),
# MariaDB on 127.0.0.1:3306 (root, no password). Leaves both running.
# Exit status: 0 when every step that ran succeeded and the hub target matches pgloader's row counts.
set -euo pipefail
export LC_NUMERIC=C PGCLIENTENCODING=UTF8 DEBIAN_FRONTEND=noninteractive

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN=$(dirname "$BENCH")
DBDIR=$BENCH/db
ROWS=${ROWS:-1000000}
HUB_HEAP=${HUB_HEAP:-256m}
WORK=${WORK:-/tmp/hubbench-db}
REGEN=0
for a in "$@"; do
  case $a in
    --regen) REGEN=1 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "unknown argument: $a (try --help)" >&2; exit 2 ;;
  esac
done
[[ $ROWS =~ ^[0-9]+$ && $ROWS -ge 10 ]] || { echo "ROWS must be an integer >= 10: $ROWS" >&2; exit 2; }
N_CUST=$((ROWS / 5)); N_ORD=$((ROWS - N_CUST))

DB_PREFIX=${DB_PREFIX:-}
[[ $DB_PREFIX =~ ^[a-z0-9_]*$ ]] || { echo "DB_PREFIX may hold only a-z, 0-9 and _: $DB_PREFIX" >&2; exit 2; }
SRC_DB=${DB_PREFIX}hubbench; PGL_DB=${DB_PREFIX}hubbench_pgloader; COPY_DB=${DB_PREFIX}hubbench_copy; HUB_DB=${DB_PREFIX}hubbench_hub
HUB_CONFIG=$WORK/hub-application.yaml
MY=(mariadb --default-character-set=utf8mb4 -h127.0.0.1 -P3306 -uroot)
PSQL=(env PGOPTIONS="-c client_min_messages=warning" psql -X -q -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1)

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }                                   # seconds since $1
fmt_s() { printf '%.2f' "$1"; }
rate() { if [ "$(echo "$2 > 0" | bc)" = 1 ]; then printf '%.0f' "$(echo "$1 / $2" | bc -l)"; else echo 0; fi; }
mkdir -p "$WORK"

# ---------------------------------------------------------------------------------------------- 1. tools, servers
APT_UPDATED=0
apt_install() {  # install quietly; 'apt-get update' once, only if the first attempt fails
  apt-get install -y -q "$@" >>"$WORK/apt.log" 2>&1 && return 0
  [ "$APT_UPDATED" = 1 ] && return 1
  log "apt-get install $* failed; running apt-get update once"
  apt-get update -q >>"$WORK/apt.log" 2>&1 || true; APT_UPDATED=1
  apt-get install -y -q "$@" >>"$WORK/apt.log" 2>&1
}
need() {  # need <command-path-or-name> <package>
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2 (apt-get)"; apt_install "$2" || die "cannot install $2 (see $WORK/apt.log)"
}
need bc bc
need awk mawk
need /usr/bin/time time
[ "${SKIP_PGLOADER:-0}" = 1 ] || need pgloader pgloader

wait_for() {  # wait_for <seconds> <command...>
  local n=$(( $1 * 5 )); shift
  for _ in $(seq "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1
}
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
my_up() { mariadb-admin -h127.0.0.1 -P3306 -uroot ping; }
if ! pg_up; then
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  wait_for 60 pg_up || die "PostgreSQL is not accepting connections on 127.0.0.1:5432"
fi
if ! my_up >/dev/null 2>&1; then
  log "starting MariaDB"
  install -d -o mysql -g mysql -m 755 /run/mysqld
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  wait_for 60 my_up || die "MariaDB is not accepting connections on 127.0.0.1:3306"
fi
log "load average $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
log "PostgreSQL $("${PSQL[@]}" -d postgres -Atc 'show server_version'), MariaDB $("${MY[@]}" -N -B -e 'select version()'), $(pgloader --version 2>/dev/null | head -1 || echo 'no pgloader')"

# ---------------------------------------------------------------------------------------------- 2. source data
STAMP="hubbench gen=$(md5sum <"$DBDIR/mariadb-gen.sql" | cut -c1-12) rows=$ROWS"
my_count() { "${MY[@]}" -N -B "$SRC_DB" -e "SELECT COUNT(*) FROM \`$1\`" 2>/dev/null || echo -; }
have_stamp=$("${MY[@]}" -N -B -e "SELECT table_comment FROM information_schema.tables
  WHERE table_schema='$SRC_DB' AND table_name='customers'" 2>/dev/null || true)
if [ "$REGEN" = 0 ] && [ "$have_stamp" = "$STAMP" ] && [ "$(my_count customers)" = "$N_CUST" ] \
   && [ "$(my_count orders)" = "$N_ORD" ]; then
  log "source $SRC_DB: customers $N_CUST + orders $N_ORD rows already there (--regen to rebuild)"
else
  log "generating $SRC_DB: customers $N_CUST + orders $N_ORD rows (bench/db/mariadb-gen.sql)"
  s=$(now)
  "${MY[@]}" -e "CREATE DATABASE IF NOT EXISTS \`$SRC_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
  { echo "SET @customers = $N_CUST, @orders = $N_ORD;"; cat "$DBDIR/mariadb-gen.sql";
    echo "ALTER TABLE customers COMMENT = '$STAMP';"; } | "${MY[@]}" "$SRC_DB" >"$WORK/gen.log"
  [ "$(my_count customers)" = "$N_CUST" ] && [ "$(my_count orders)" = "$N_ORD" ] \
    || die "generated row counts do not match: customers $(my_count customers), orders $(my_count orders)"
  log "generated in $(fmt_s "$(since "$s")") s"
fi

# ---------------------------------------------------------------------------------------------- helpers (PostgreSQL)
pg_recreate_db() {
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
}
pg_count() {  # pg_count <db> <table>: rows in the table, whatever schema it landed in; '-' if absent
  local q
  q=$("${PSQL[@]}" -d "$1" -Atc "SELECT quote_ident(table_schema)||'.'||quote_ident(table_name)
        FROM information_schema.tables WHERE table_name = '$2' AND table_type = 'BASE TABLE'
         AND table_schema NOT IN ('pg_catalog', 'information_schema')
        ORDER BY table_schema <> 'public', table_schema LIMIT 1" 2>/dev/null) || { echo -; return; }
  [ -n "$q" ] || { echo -; return; }
  "${PSQL[@]}" -d "$1" -Atc "SELECT count(*) FROM $q" 2>/dev/null || echo -
}
pg_total() { local a b; a=$(pg_count "$1" customers); b=$(pg_count "$1" orders)
  if [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]]; then echo $((a + b)); else echo 0; fi; }

# CPU seconds (user + system) a database server used so far: MariaDB's one process; PostgreSQL's postmaster with the
# backends it reaped and the live ones. Whole servers: on a shared machine other people's queries count too.
TCK=$(getconf CLK_TCK)
my_cpu() { local p; p=$(pgrep -o -x mariadbd || true); [ -n "$p" ] && awk -v t="$TCK" '{printf "%.2f", ($14 + $15) / t}' "/proc/$p/stat" || echo 0; }
pg_cpu() {
  local p total=0 c
  p=$(pgrep -o -x postgres || true); [ -n "$p" ] || { echo 0; return; }
  total=$(awk -v t="$TCK" '{printf "%.2f", ($14 + $15 + $16 + $17) / t}' "/proc/$p/stat")
  for c in $(pgrep -P "$p"); do
    total=$(echo "$total + $(awk -v t="$TCK" '{printf "%.2f", ($14 + $15) / t}' "/proc/$c/stat" 2>/dev/null || echo 0)" | bc)
  done
  echo "$total"
}
RC=0
PGL_LINE="skipped"; HUB_LINE="skipped (SKIP_HUB=1)"; COPY_LINE="skipped"; SCOPY_LINE=""; RATIO="n/a"
PGL_RPS=""; HUB_RPS=""; HUB_RAN=0; HUB_OK=0; PGL_RAN=0

# ---------------------------------------------------------------------------------------------- 3. pgloader
if [ "${SKIP_PGLOADER:-0}" != 1 ]; then
  log "pgloader: $SRC_DB -> $PGL_DB"
  pg_recreate_db "$PGL_DB"
  sed -e "s#@MYSQL_URL@#mysql://root@127.0.0.1:3306/$SRC_DB#" \
      -e "s#@PG_URL@#postgresql://postgres@127.0.0.1:5432/$PGL_DB#" -e "s#'hubbench'#'$SRC_DB'#g" \
      "$DBDIR/pgloader.load.tmpl" >"$WORK/pgloader.load"
  rm -rf "$WORK/pgloader"
  s=$(now); rc=0
  pgloader --root-dir "$WORK/pgloader" --summary "$WORK/pgloader-summary.txt" "$WORK/pgloader.load" >"$WORK/pgloader.out" 2>&1 || rc=$?
  PGL_S=$(since "$s")
  PGL_ROWS=$(pg_total "$PGL_DB")
  if [ "$rc" = 0 ] && [ "$PGL_ROWS" = "$ROWS" ]; then
    PGL_RAN=1; PGL_RPS=$(rate "$PGL_ROWS" "$PGL_S")
    PGL_LINE="$(fmt_s "$PGL_S") s, $PGL_RPS rows/s ($PGL_ROWS rows, whole job incl. indexes + FKs)"
    log "pgloader: $PGL_LINE"
    sed 's/^/    /' "$WORK/pgloader-summary.txt" 2>/dev/null || true
  else
    RC=1; PGL_LINE="FAILED (exit $rc, $PGL_ROWS of $ROWS rows; see $WORK/pgloader.out)"
    log "pgloader: $PGL_LINE"; tail -n 20 "$WORK/pgloader.out" | sed 's/^/    /'
  fi
fi

# ---------------------------------------------------------------------------------------------- 4. raw COPY
# MariaDB here has secure_file_priv=NULL (no SELECT ... INTO OUTFILE), so the rows are exported with the client
# (--batch --raw) into PostgreSQL COPY text files, the escaping done in SQL; only the COPY itself is timed.
ESC_SQL='REPLACE(REPLACE(REPLACE(REPLACE(COL, '\''\\'\'', '\''\\\\'\''), '\''\t'\'', '\''\\t'\''), '\''\n'\'', '\''\\n'\''), '\''\r'\'', '\''\\r'\'')'
NULL_SQL='IFNULL(COL, '\''\\N'\'')'
export_table() {  # export_table <table> <file>: all rows in PostgreSQL COPY text format (\N = NULL)
  local sel="" c ty nul e
  while IFS=$'\t' read -r c ty nul; do
    e="\`$c\`"
    case $ty in char|varchar|tinytext|text|mediumtext|longtext|enum|set) e=${ESC_SQL/COL/"$e"} ;; esac
    [ "$nul" = YES ] && e=${NULL_SQL/COL/"$e"}
    sel+="${sel:+, }$e"
  done < <("${MY[@]}" -N -B -e "SELECT column_name, data_type, is_nullable FROM information_schema.columns
             WHERE table_schema = '$SRC_DB' AND table_name = '$1' ORDER BY ordinal_position")
  "${MY[@]}" --batch --raw --skip-column-names --quick "$SRC_DB" -e "SELECT $sel FROM \`$1\`" >"$2"
}
# Same column types as pgloader creates (bigint, boolean for tinyint(1), enum types, timestamptz), no keys/indexes.
COPY_DDL="DROP TABLE IF EXISTS orders; DROP TABLE IF EXISTS customers;
DROP TYPE IF EXISTS customers_tier; DROP TYPE IF EXISTS orders_status;
CREATE TYPE customers_tier AS ENUM ('bronze', 'silver', 'gold', 'platinum');
CREATE TYPE orders_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');
CREATE TABLE customers (id bigint NOT NULL, name varchar(100) NOT NULL, email varchar(200) NOT NULL, city varchar(60),
  birth_date date, created_at timestamptz NOT NULL, balance numeric(12,2) NOT NULL, active boolean NOT NULL,
  tier customers_tier NOT NULL, bio text);
CREATE TABLE orders (id bigint NOT NULL, customer_id bigint NOT NULL, amount numeric(12,2) NOT NULL, discount numeric(5,2),
  quantity smallint NOT NULL, status orders_status NOT NULL, gift boolean NOT NULL, note text,
  ordered_at timestamptz NOT NULL, shipped_at timestamptz, delivery_date date);"
if [ "${SKIP_COPY:-0}" != 1 ]; then
  X=$WORK/export; rm -rf "$X"; install -d -m 755 "$X"
  log "raw COPY: exporting $SRC_DB.customers/orders to $X (not timed as COPY)"
  s=$(now)
  for t in customers orders; do export_table "$t" "$X/$t.tsv"; done
  chmod 644 "$X"/*.tsv
  log "  export: $(fmt_s "$(since "$s")") s, $(cat "$X"/*.tsv | wc -l) lines, $(du -cb "$X"/*.tsv | tail -1 | cut -f1) bytes"
  pg_recreate_db "$COPY_DB"
  for mode in client server; do
    "${PSQL[@]}" -d "$COPY_DB" -c "$COPY_DDL"
    if [ $mode = client ]; then
      cmds=(-c "\\copy customers FROM '$X/customers.tsv'" -c "\\copy orders FROM '$X/orders.tsv'")
    else
      cmds=(-c "COPY customers FROM '$X/customers.tsv'" -c "COPY orders FROM '$X/orders.tsv'")
    fi
    s=$(now); rc=0
    "${PSQL[@]}" -d "$COPY_DB" "${cmds[@]}" || rc=$?
    c=$(since "$s"); n=$(pg_total "$COPY_DB")
    if [ "$rc" = 0 ] && [ "$n" = "$ROWS" ]; then
      line="$(fmt_s "$c") s, $(rate "$n" "$c") rows/s"
    else
      line="FAILED (exit $rc, $n of $ROWS rows)"; RC=1
    fi
    if [ $mode = client ]; then COPY_LINE="$line (psql \\copy over TCP, like pgjdbc CopyManager; no indexes)"
    else SCOPY_LINE="$line (server-side COPY FROM file)"; fi
    log "raw COPY ($mode): $line"
  done
  [ "${KEEP_EXPORT:-0}" = 1 ] || rm -rf "$X"
fi

# ---------------------------------------------------------------------------------------------- 5. the hub
if [ "${SKIP_HUB:-0}" != 1 ]; then
  log "hub: $SRC_DB -> $HUB_DB (JAVA_OPTS=-Xmx$HUB_HEAP ${HUB_JAVA_OPTS:-}, log $WORK/hub.log)"
  pg_recreate_db "$HUB_DB"
  rm -rf "$MAIN/target/bench-db-data"
  sed -e "s#3306/hubbench\$#3306/$SRC_DB#" -e "s#5432/hubbench_hub\$#5432/$HUB_DB#" \
      -e "s#data-dir: target/bench-db-data#data-dir: $MAIN/target/bench-db-data#" "$DBDIR/config/application.yaml" >"$HUB_CONFIG"
  grep -q "3306/$SRC_DB\$" "$HUB_CONFIG" && grep -q "5432/$HUB_DB\$" "$HUB_CONFIG" || die "cannot render $HUB_CONFIG"
  (cd "$MAIN" && ./hub --version >/dev/null)   # build, unpack and train the class-data archive outside the timing
  my0=$(my_cpu); pg0=$(pg_cpu)
  s=$(now); rc=0
  ( cd "$MAIN" && JAVA_OPTS="-Xmx$HUB_HEAP ${HUB_JAVA_OPTS:-}" /usr/bin/time -v \
      ./hub --config "$HUB_CONFIG" run --once bench/db/routes/db-bench.yaml ) >"$WORK/hub.log" 2>&1 || rc=$?
  HUB_S=$(since "$s")
  my1=$(my_cpu); pg1=$(pg_cpu)
  HUB_CPU=$(awk -F': *' '/User time|System time/ {t += $2} END {printf "%.1f", t}' "$WORK/hub.log")
  CPU_LINE="hub $HUB_CPU s, MariaDB $(printf '%.1f' "$(echo "$my1 - $my0" | bc)") s, PostgreSQL $(printf '%.1f' "$(echo "$pg1 - $pg0" | bc)") s (user+system during the hub's whole command; servers include other clients)"
  log "CPU: $CPU_LINE"
  RSS_KB=$(awk -F': *' '/Maximum resident set size/ {print $2}' "$WORK/hub.log")
  RSS=${RSS_KB:+$((RSS_KB / 1024)) MiB}
  HUB_ROWS=$(pg_total "$HUB_DB")
  if [ "$rc" = 0 ]; then
    HUB_RAN=1; HUB_RPS=$(rate "$HUB_ROWS" "$HUB_S")
    HUB_LINE="$(fmt_s "$HUB_S") s, $HUB_RPS rows/s ($HUB_ROWS rows; whole command, JVM start included), max RSS ${RSS:-?}"
    # the run itself, as the hub's ledger timed it: plan, copy, per-chunk verification, indexes and foreign keys
    RUN_S=$(grep -oE 'rows this run \([0-9,]+ rows/s\), [0-9,]+ rows verified in all; [0-9.]+ s' "$WORK/hub.log" | head -1 | grep -oE '[0-9.]+ s$' | cut -d' ' -f1)
    if [ -n "$RUN_S" ]; then RUN_RPS=$(rate "$HUB_ROWS" "$RUN_S"); RUN_LINE="$(fmt_s "$RUN_S") s, $RUN_RPS rows/s (plan, copy, verify every chunk, indexes, FKs)"; fi
    if [ "$HUB_ROWS" = "$ROWS" ]; then HUB_OK=1; else HUB_LINE+=" -- INCOMPLETE: $HUB_ROWS of $ROWS rows"; RC=1; fi
    log "hub: $HUB_LINE"
  else
    RC=1; HUB_LINE="FAILED (exit $rc) after $(fmt_s "$HUB_S") s, max RSS ${RSS:-?}"
    log "hub: FAILED (exit $rc)"; grep -v -E '^\s+(Command being timed|[A-Z][A-Za-z ()/%:-]+: )' "$WORK/hub.log" | tail -n 25 | sed 's/^/    /'
  fi
fi

# ---------------------------------------------------------------------------------------------- 5b. nightly sync re-runs
hub_run_s() { grep -oE 'rows this run \([0-9,]+ rows/s\), [0-9,]+ rows verified in all; [0-9.]+ s' "$1" | head -1 | grep -oE '[0-9.]+ s$' | cut -d' ' -f1; }
hub_rows_copied() { grep -oE '[0-9,]+ rows this run' "$1" | head -1 | cut -d' ' -f1 | tr -d ,; }
nightly() {  # nightly <label> <log>: the same command again on the same ledger; sets NIGHTLY_LINE
  local s rc=0 c run copied
  s=$(now)
  ( cd "$MAIN" && JAVA_OPTS="-Xmx$HUB_HEAP" ./hub --config "$HUB_CONFIG" run --once bench/db/routes/db-bench.yaml ) >"$2" 2>&1 || rc=$?
  c=$(since "$s"); run=$(hub_run_s "$2"); copied=$(hub_rows_copied "$2")
  if [ "$rc" = 0 ]; then
    NIGHTLY_LINE="$(fmt_s "$c") s whole command, run $(fmt_s "${run:-0}") s"
    [ -n "${RUN_S:-}" ] && [ -n "$run" ] && NIGHTLY_LINE+=" = $(printf '%.0f' "$(echo "100 * $run / $RUN_S" | bc -l)")% of the full run's"
    NIGHTLY_LINE+="; ${copied:-?} rows in the chunks copied again"
  else
    NIGHTLY_LINE="FAILED (exit $rc, see $2)"; RC=1
  fi
  log "hub nightly, $1: $NIGHTLY_LINE"
}
if [ "$HUB_OK" = 1 ] && [ "${SKIP_NIGHTLY:-0}" != 1 ]; then
  nightly "no change" "$WORK/hub-nightly-nochange.log"; NIGHTLY0_LINE=$NIGHTLY_LINE
  # 1% of the rows, scattered over both tables (every 100th key); undone below
  CHANGE="UPDATE customers SET balance = balance + 1 WHERE id % 100 = 37; UPDATE orders SET amount = amount + 1 WHERE id % 100 = 61;"
  UNDO="UPDATE customers SET balance = balance - 1 WHERE id % 100 = 37; UPDATE orders SET amount = amount - 1 WHERE id % 100 = 61;"
  "${MY[@]}" "$SRC_DB" -e "$CHANGE"
  CHANGED=$("${MY[@]}" -N -B "$SRC_DB" -e "SELECT (SELECT COUNT(*) FROM customers WHERE id % 100 = 37) + (SELECT COUNT(*) FROM orders WHERE id % 100 = 61)")
  nightly "1% changed ($CHANGED rows)" "$WORK/hub-nightly-1pct.log"; NIGHTLY1_LINE="$NIGHTLY_LINE ($CHANGED rows changed at the source)"
  src_sum=$("${MY[@]}" -N -B "$SRC_DB" -e "SELECT (SELECT SUM(balance) FROM customers) + (SELECT SUM(amount) FROM orders)")
  hub_sum=$("${PSQL[@]}" -d "$HUB_DB" -Atc "SELECT (SELECT SUM(balance) FROM customers) + (SELECT SUM(amount) FROM orders)")
  if [ "$src_sum" = "$hub_sum" ]; then NIGHTLY1_LINE+=", target sums equal to the source"
  else NIGHTLY1_LINE+=" -- TARGET DIFFERS: sums $src_sum (source) vs $hub_sum (hub)"; RC=1; fi
  "${MY[@]}" "$SRC_DB" -e "$UNDO"
fi

# ---------------------------------------------------------------------------------------------- 6. summary
if [ "$HUB_OK" = 1 ] && [ "$PGL_RAN" = 1 ] && [ "${PGL_RPS:-0}" -gt 0 ]; then
  RATIO="$(printf '%.2f' "$(echo "$HUB_RPS / $PGL_RPS" | bc -l)")x"
  [ -n "${RUN_RPS:-}" ] && RUN_RATIO="$(printf '%.2f' "$(echo "$RUN_RPS / $PGL_RPS" | bc -l)")x"
fi
# the goals of issue 14, beside what was measured (ratios as pgloader time / hub time: > 1 = hub faster)
goal() {  # goal <label> <pgloader s> <hub s> <goal ratio>
  if [ -n "$2" ] && [ -n "$3" ] && [ "$(echo "$3 > 0" | bc)" = 1 ]; then
    local r; r=$(printf '%.2f' "$(echo "$2 / $3" | bc -l)")
    echo "$1 ${r}x (goal >=$4x: $([ "$(echo "$r >= $4" | bc)" = 1 ] && echo met || echo NOT met))"
  else echo "$1 n/a (goal >=$4x)"; fi
}
GOALS="n/a"
if [ "$HUB_OK" = 1 ] && [ "$PGL_RAN" = 1 ]; then
  GOALS="$(goal whole "$PGL_S" "$HUB_S" 1.5); $(goal run "$PGL_S" "${RUN_S:-}" 2)"
  if [ -n "${RSS_KB:-}" ]; then
    GOALS+="; RSS $((RSS_KB / 1024)) MiB (goal <=320 MiB: $([ $((RSS_KB / 1024)) -le 320 ] && echo met || echo NOT met))"
  fi
fi
checks=()
for t in customers orders; do
  p=$([ "$PGL_RAN" = 1 ] && pg_count "$PGL_DB" $t || echo -); h=$([ "$HUB_RAN" = 1 ] && pg_count "$HUB_DB" $t || echo -)
  if [ "$p" = - ] || [ "$h" = - ]; then v="not compared"; elif [ "$p" = "$h" ]; then v=same; else v=DIFFERENT; RC=1; fi
  checks+=("rows $t:" "source $(my_count $t), pgloader $p, hub $h (hub vs pgloader: $v)")
done
echo
echo "== Migration Hub DB benchmark: MariaDB $SRC_DB -> PostgreSQL, $(date '+%F %T') =="
printf '%-22s %s\n' \
  "rows:" "$ROWS (customers $N_CUST + orders $N_ORD)" \
  "pgloader:" "$PGL_LINE" \
  "hub:" "$HUB_LINE" \
  "hub run:" "${RUN_LINE:-n/a}" \
  "hub/pgloader:" "$RATIO$([ "$RATIO" = n/a ] || echo ' (whole commands; > 1 = hub faster)')" \
  "hub run/pgloader:" "${RUN_RATIO:-n/a}" \
  "goals:" "$GOALS" \
  "hub CPU split:" "${CPU_LINE:-n/a}" \
  "load average:" "$(cut -d' ' -f1-3 /proc/loadavg) (at the end; $(nproc) cores)" \
  "nightly, no change:" "${NIGHTLY0_LINE:-skipped} (pgloader can only copy everything again: ${PGL_LINE%%,*})" \
  "nightly, 1% changed:" "${NIGHTLY1_LINE:-skipped}" \
  "raw COPY:" "$COPY_LINE" \
  "raw COPY (server):" "${SCOPY_LINE:-skipped}" \
  "hub heap limit:" "-Xmx$HUB_HEAP" \
  "${checks[@]}"
exit $RC
