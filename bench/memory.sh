#!/usr/bin/env bash
# Migration Hub memory benchmark (issue 14: "max RSS <= 320 MiB in every bench at -Xmx256m, and flat in the data
# size"): the hub alone (no peer tool) on three large data sets, each once, heap limited, and for each the data size,
# the run time and the whole process's maximum resident set size (/usr/bin/time):
#   a. database: a MariaDB table pair of DB_ROWS rows -> PostgreSQL (bench/db.sh generates the source, kept between runs)
#   b. files:    one BIG_MIB MiB file SFTP -> SFTP on a loopback OpenSSH (.ci/sshd.sh), verify=full
#   c. mail:     one folder of MESSAGES messages Dovecot -> Dovecot (.ci/dovecot.sh), written as Maildir files
# Each copy is checked afterwards (row counts; cmp; bench/mail/compare.py). Needs root (servers, apt-get).
#
# Usage: bench/memory.sh [db] [files] [mail] [--help]   (no argument: all three)
# Environment:
#   DB_ROWS=10000000  BIG_MIB=4096  MESSAGES=50000   the data sizes
#   HUB_HEAP=256m                 hub heap limit (JAVA_OPTS="-Xmx$HUB_HEAP $HUB_JAVA_OPTS")
#   HUB_JAVA_OPTS=                more JVM options for the hub, e.g. -XX:NativeMemoryTracking=summary
#   WORK=/tmp/hubbench-memory     hub data folders, configs, logs
#   DB_PREFIX=memory_             prefix of the bench databases (source ${DB_PREFIX}hubbench, target ${DB_PREFIX}hubbench_hub)
#   HUB_SSHD_DIR/PORT/USER        the private sshd (defaults of .ci/sshd.sh); the file lives under its data/memory/
#   MAIL_SOURCE_USER=memsrc MAIL_TARGET_USER=memhub   Dovecot accounts (recreated)
# Run times: the hub's whole command (JVM start included) and its run as the hub timed it.
set -euo pipefail
export LC_NUMERIC=C DEBIAN_FRONTEND=noninteractive
[[ ${1:-} == -h || ${1:-} == --help ]] && { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0; }
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd); MAIN=$(dirname "$BENCH")
DB_ROWS=${DB_ROWS:-10000000}; BIG_MIB=${BIG_MIB:-4096}; MESSAGES=${MESSAGES:-50000}
HUB_HEAP=${HUB_HEAP:-256m}; WORK=${WORK:-/tmp/hubbench-memory}; DB_PREFIX=${DB_PREFIX:-memory_}
MAIL_SOURCE_USER=${MAIL_SOURCE_USER:-memsrc}; MAIL_TARGET_USER=${MAIL_TARGET_USER:-memhub}
GOAL_MIB=320
SETS=("$@"); [ ${#SETS[@]} -gt 0 ] || SETS=(db files mail)
for s in "${SETS[@]}"; do case $s in db|files|mail) ;; *) echo "unknown data set: $s (db, files, mail)" >&2; exit 2 ;; esac; done
mkdir -p "$WORK"
command -v bc >/dev/null || apt-get install -y -q bc >/dev/null
[ -x /usr/bin/time ] || apt-get install -y -q time >/dev/null

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
now() { date +%s.%N; }
since() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
[ -f "$MAIN/target/migration-hub.jar" ] || (cd "$MAIN" && mvn -q -B -o -DskipTests package)
(cd "$MAIN" && ./hub --version >/dev/null)   # unpack and train the class-data archive outside the timing

# hub_run NAME CONFIG ROUTE: runs the hub once under /usr/bin/time; sets WALL, RSS_MIB, RC (log $WORK/NAME.log)
hub_run() {
  local s; s=$(now); RC=0
  ( cd "$MAIN" && JAVA_OPTS="-Xmx$HUB_HEAP ${HUB_JAVA_OPTS:-}" /usr/bin/time -v -o "$WORK/$1.time" \
      ./hub --config "$2" run --once "$3" ) >"$WORK/$1.log" 2>&1 || RC=$?
  WALL=$(since "$s")
  RSS_MIB=$(( $(awk -F': *' '/Maximum resident set size/ {print $2}' "$WORK/$1.time") / 1024 ))
  [ "$RC" = 0 ] || { log "hub FAILED (exit $RC), see $WORK/$1.log"; tail -n 15 "$WORK/$1.log" | sed 's/^/    /'; }
}
# run_seconds DATA_DIR: the last run's time from its report (startedAt .. finishedAt)
run_seconds() {
  python3 - "$1" <<'PY'
import datetime as d, glob, json, os, sys
reports = sorted(glob.glob(os.path.join(sys.argv[1], "reports", "*", "*-run-*.json")), key=os.path.getmtime)
r = json.load(open(reports[-1])); f = lambda t: d.datetime.fromisoformat(t.replace("Z", "+00:00"))
print(f"{(f(r['finishedAt']) - f(r['startedAt'])).total_seconds():.1f}")
PY
}
RESULTS=(); FAILED=0
record() {  # record SET SIZE CHECK: one summary line
  local goal; goal=$([ "$RC" = 0 ] && [ "$RSS_MIB" -le $GOAL_MIB ] && echo met || echo "NOT met")
  RESULTS+=("$(printf '%-6s %-34s %8s s %8s s %6s MiB   %-8s %s (load %s)' "$1" "$2" "$WALL" "${RUN_S:-?}" "$RSS_MIB" "$goal" "$3" "$(load)")")
  [ "$goal" = met ] || FAILED=1
  log "$1: ${RESULTS[-1]}"
}
config() {  # config FILE DATA_DIR [extra yaml]: a hub config of this bench (no broker port: other hubs may run)
  { printf 'hub:\n  data-dir: %s\n  queue:\n    embedded-port: 0\n' "$2"; [ -z "${3:-}" ] || printf '%s\n' "$3"; } >"$1"
}

# ------------------------------------------------------------------------------------------------ a. database
if [[ " ${SETS[*]} " == *" db "* ]]; then
  log "db: source ${DB_PREFIX}hubbench with $DB_ROWS rows (bench/db.sh generates it once; minutes for 10M rows)"
  ROWS=$DB_ROWS DB_PREFIX=$DB_PREFIX WORK=$WORK/db SKIP_HUB=1 SKIP_PGLOADER=1 SKIP_COPY=1 SKIP_NIGHTLY=1 \
    "$BENCH/db.sh" >"$WORK/db-gen.log" 2>&1 || { tail -n 20 "$WORK/db-gen.log"; exit 1; }
  grep -E 'generat|already there' "$WORK/db-gen.log" | sed 's/^/    /'
  SRC=${DB_PREFIX}hubbench; TGT=${DB_PREFIX}hubbench_hub
  PSQL=(env PGOPTIONS="-c client_min_messages=warning" psql -X -q -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1)
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $TGT WITH (FORCE)" -c "CREATE DATABASE $TGT"
  rm -rf "$WORK/db-data"
  config "$WORK/db.yaml" "$WORK/db-data" "  datasources:
    bench-mariadb:
      url: jdbc:mariadb://127.0.0.1:3306/$SRC
      username: root
    bench-postgres:
      url: jdbc:postgresql://127.0.0.1:5432/$TGT
      username: postgres"
  DB_MIB=$(mariadb -h127.0.0.1 -uroot -N -B -e "SELECT ROUND(SUM(data_length) / 1048576) FROM information_schema.tables
    WHERE table_schema = '$SRC'")
  log "db: hub $SRC -> $TGT (bench/db/routes/db-bench.yaml, -Xmx$HUB_HEAP)"
  hub_run db "$WORK/db.yaml" bench/db/routes/db-bench.yaml
  RUN_S=$(run_seconds "$WORK/db-data" 2>/dev/null || echo "?")
  check=""
  for t in customers orders; do
    src=$(mariadb -h127.0.0.1 -uroot -N -B "$SRC" -e "SELECT COUNT(*) FROM \`$t\`")
    tgt=$("${PSQL[@]}" -d "$TGT" -Atc "SELECT count(*) FROM $t" 2>/dev/null || echo -)
    check+="$t $tgt/$src "; [ "$src" = "$tgt" ] || RC=1
  done
  record db "$DB_ROWS rows (${DB_MIB} MiB InnoDB data)" "rows ${check% }"
fi

# ------------------------------------------------------------------------------------------------ b. files
if [[ " ${SETS[*]} " == *" files "* ]]; then
  "$MAIN/.ci/sshd.sh" start >/dev/null
  E=${HUB_SSHD_DIR:-/tmp/hub-sshd}/env
  port=$(sed -n 's/^port=//p' "$E"); user=$(sed -n 's/^user=//p' "$E"); key=$(sed -n 's/^key=//p' "$E")
  known=$(sed -n 's/^knownHosts=//p' "$E"); data=$(sed -n 's/^data=//p' "$E")
  B=$data/memory
  mkdir -p "$B/src"
  if [ "$(stat -c %s "$B/src/big.bin" 2>/dev/null || echo 0)" != $((BIG_MIB * 1048576)) ]; then
    log "files: writing a $BIG_MIB MiB file of random bytes"
    head -c $((BIG_MIB * 1048576)) /dev/urandom >"$B/src/big.bin"
  fi
  rm -rf "$B/hub"; chown -R "$user:" "$B"; sync
  rm -rf "$WORK/files-data"
  config "$WORK/files.yaml" "$WORK/files-data"
  cat >"$WORK/files-route.yaml" <<R
- templatedRoute:
    routeTemplateRef: files-migration
    routeId: memory-files
    parameters:
      - {name: application, value: memory}
      - {name: source, value: "sftp://$user@127.0.0.1:$port$B/src"}
      - {name: target, value: "sftp://$user@127.0.0.1:$port$B/hub"}
      - {name: privateKeyFile, value: "$key"}
      - {name: knownHostsFile, value: "$known"}
      - {name: verify, value: full}
R
  log "files: hub $BIG_MIB MiB SFTP -> SFTP on 127.0.0.1:$port (verify=full: the target is read back, SHA-256)"
  hub_run files "$WORK/files.yaml" "$WORK/files-route.yaml"
  RUN_S=$(run_seconds "$WORK/files-data" 2>/dev/null || echo "?")
  if [ "$RC" = 0 ] && cmp -s "$B/src/big.bin" "$B/hub/big.bin"; then same="cmp: identical"; else same="cmp: DIFFERENT"; RC=1; fi
  record files "1 file of $BIG_MIB MiB" "$same; $(printf '%.0f' "$(echo "$BIG_MIB / ${RUN_S/\?/0} " | bc -l 2>/dev/null || echo 0)") MiB/s"
fi

# ------------------------------------------------------------------------------------------------ c. mail
if [[ " ${SETS[*]} " == *" mail "* ]]; then
  ROOT=${DOVECOT_ROOT:-/tmp/hub-dovecot}; SP=${DOVECOT_SRC_PORT:-14143}; TP=${DOVECOT_TGT_PORT:-14144}; PW=mempw
  "$MAIN/.ci/dovecot.sh" start >/dev/null
  for u in "$MAIL_SOURCE_USER" "$MAIL_TARGET_USER"; do
    rm -rf "$ROOT/src/mail/$u" "$ROOT/tgt/mail/$u"; "$MAIN/.ci/dovecot.sh" adduser "$u" $PW
  done
  # The source's Maildir (LAYOUT=fs, INBOX = ~/Maildir) written directly: mixed sizes as bench/mail/seed.py
  # (70 % ~2 KB, 25 % ~30 KB, 5 % ~300 KB), flags in the file names, keywords in dovecot-keywords, the internal
  # date in the mtime; Dovecot gives the UIDs at the first SELECT (done here, not timed).
  s=$(now)
  python3 - "$ROOT/src/mail/$MAIL_SOURCE_USER/Maildir" "$MESSAGES" "$MAIL_SOURCE_USER" <<'PY'
import email.utils, os, random, sys
root, n, user = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for d in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(root, d), exist_ok=True)
with open(os.path.join(root, "dovecot-keywords"), "w") as f:
    f.write("0 $Label1\n1 Penting\n")
rnd = random.Random(42)
flags = ["", "S", "FS", "RS", "a", "Sb"]
line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n"
total = 0
for i in range(n):
    t = 1672531200 + i * 600
    r = rnd.random(); size = 2_000 if r < .70 else 30_000 if r < .95 else 300_000
    head = (f"From: Sender {i} <s{i}@example.org>\r\nTo: {user}@example.org\r\nSubject: memory {i}\r\n"
            f"Date: {email.utils.formatdate(t)}\r\nMessage-ID: <memory-{i}@example.org>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n").encode()
    msg = head + line * max(1, (size - len(head)) // len(line))
    total += len(msg)
    p = os.path.join(root, "cur", f"{t}.M{i}P1.memory,S={len(msg)}:2,{flags[i % len(flags)]}")
    with open(p, "wb") as f:
        f.write(msg)
    os.utime(p, (t, t))
print(f"    wrote {n} messages ({total / 1048576:.0f} MiB) as Maildir files")
PY
  chown -R vmail:vmail "$ROOT/src/mail/$MAIL_SOURCE_USER"
  python3 - "$SP" "$MAIL_SOURCE_USER" $PW <<'PY'
import imaplib, sys
M = imaplib.IMAP4("127.0.0.1", int(sys.argv[1])); M.login(sys.argv[2], sys.argv[3])
print("    INBOX holds", M.select("INBOX", readonly=True)[1][0].decode(), "messages"); M.logout()
PY
  MAIL_MIB=$(du -sm --apparent-size "$ROOT/src/mail/$MAIL_SOURCE_USER/Maildir/cur" | cut -f1)
  log "mail: seeded in $(since "$s") s"
  rm -rf "$WORK/mail-data"
  config "$WORK/mail.yaml" "$WORK/mail-data"
  echo "$MAIL_SOURCE_USER,$MAIL_TARGET_USER,env:MEMORY_MAIL_PASSWORD,env:MEMORY_MAIL_PASSWORD" >"$WORK/mail-accounts.csv"
  cat >"$WORK/mail-route.yaml" <<R
- route:
    id: memory-mail
    from:
      uri: migration:mail
      parameters:
        application: memory
        source: "imap://127.0.0.1:$SP?plain=true"
        target: "imap://127.0.0.1:$TP?plain=true"
        accounts: $WORK/mail-accounts.csv
        uidRangeSize: 200
        parallelism: 4
      steps:
        - log: "\${body}"
R
  log "mail: hub $MAIL_SOURCE_USER -> $MAIL_TARGET_USER, one folder of $MESSAGES messages"
  export MEMORY_MAIL_PASSWORD=$PW
  hub_run mail "$WORK/mail.yaml" "$WORK/mail-route.yaml"
  RUN_S=$(run_seconds "$WORK/mail-data" 2>/dev/null || echo "?")
  check=$(python3 "$BENCH/mail/compare.py" "$SP" "$MAIL_SOURCE_USER" "$TP" "$MAIL_TARGET_USER" $PW) || RC=1
  record mail "$MESSAGES messages in 1 folder ($MAIL_MIB MiB)" "$check"
fi

echo
echo "== Migration Hub memory benchmark, hub only, -Xmx$HUB_HEAP ${HUB_JAVA_OPTS:-}, $(date '+%F %T'), $(nproc) cores =="
printf '%-6s %-34s %10s %10s %10s   %-8s %s\n' set "data size" "wall" "run" "max RSS" "goal" "check"
printf '%s\n' "${RESULTS[@]}"
echo "(wall: whole command, JVM start included; run: the hub's run report; max RSS: /usr/bin/time of the whole process;"
echo " goal: max RSS <= $GOAL_MIB MiB and the copy complete)"
exit $FAILED
