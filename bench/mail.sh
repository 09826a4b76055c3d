#!/usr/bin/env bash
# Migration Hub mail benchmark: Dovecot -> Dovecot on the same data, in one run:
#   1. mbsync (isync, the peer tool): source account benchsrc -> target account benchmbsync
#   2. the hub (./hub run --once bench/mail/routes/mail-bench.yaml, heap limited): benchsrc -> benchhub
# then prints messages/s for both, the hub/mbsync ratio, the goals of issue 14 beside them, and for each copy whether it is byte-identical to the source
# with its flags, keywords and internal dates (bench/mail/compare.py).
#
# Usage: bench/mail.sh [--help]
# Environment:
#   MESSAGES=2000   messages seeded in INBOX, Sent and Archive/2023 (mixed sizes: 2 KB .. 3 MB)
#   HUB_HEAP=256m   hub heap limit (JAVA_OPTS="-Xmx$HUB_HEAP")
#   WORK=/tmp/hubbench-mail   logs, mbsync config and state
# Needs: root (apt-get installs dovecot-imapd and isync if missing). Starts the two Dovecot servers of
# .ci/dovecot.sh (127.0.0.1:14143 "/" and :14144 ".") and leaves them running; the bench accounts are recreated.
# Exit status: 0 when both copies ran and the hub's copy is complete, byte-identical, with flags, keywords and dates.
set -euo pipefail
export LC_NUMERIC=C DEBIAN_FRONTEND=noninteractive
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN=$(dirname "$BENCH")
MESSAGES=${MESSAGES:-2000}
HUB_HEAP=${HUB_HEAP:-256m}
WORK=${WORK:-/tmp/hubbench-mail}
case ${1:-} in -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;; "") ;; *) echo "unknown argument: $1" >&2; exit 2 ;; esac
export DOVECOT_SRC_PORT=${DOVECOT_SRC_PORT:-14143} DOVECOT_TGT_PORT=${DOVECOT_TGT_PORT:-14144}
ROOT=${DOVECOT_ROOT:-/tmp/hub-dovecot}
PW=benchpw
export BENCH_MAIL_SOURCE_PASSWORD=$PW BENCH_MAIL_TARGET_PASSWORD=$PW

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
rate() { printf '%.0f' "$(echo "$1 / $2" | bc -l)"; }
mkdir -p "$WORK"
command -v bc >/dev/null || apt-get install -y -q bc >>"$WORK/apt.log" 2>&1
command -v mbsync >/dev/null || { log "installing isync (apt-get)"; apt-get install -y -q isync >>"$WORK/apt.log" 2>&1; }

# ---------------------------------------------------------------- 1. servers and data
"$MAIN/.ci/dovecot.sh" start | sed 's/^/    /'
for u in benchsrc benchhub benchmbsync; do
  rm -rf "$ROOT/src/mail/$u" "$ROOT/tgt/mail/$u"
  "$MAIN/.ci/dovecot.sh" adduser $u $PW
done
log "seeding $MESSAGES messages into benchsrc on 127.0.0.1:$DOVECOT_SRC_PORT"
python3 "$BENCH/mail/seed.py" "$DOVECOT_SRC_PORT" benchsrc $PW "$MESSAGES" | sed 's/^/    /'

# ---------------------------------------------------------------- 2. mbsync
cat > "$WORK/mbsyncrc" <<CFG
IMAPAccount src
Host 127.0.0.1
Port $DOVECOT_SRC_PORT
User benchsrc
Pass $PW
SSLType None
AuthMechs LOGIN

IMAPStore src
Account src

IMAPAccount tgt
Host 127.0.0.1
Port $DOVECOT_TGT_PORT
User benchmbsync
Pass $PW
SSLType None
AuthMechs LOGIN

IMAPStore tgt
Account tgt

Channel bench
Far :src:
Near :tgt:
Patterns INBOX Sent Archive Archive/*
Create Near
Sync Pull
Expunge None
CopyArrivalDate yes
SyncState $WORK/mbsync-state/
CFG
rm -rf "$WORK/mbsync-state"; mkdir -p "$WORK/mbsync-state"
log "mbsync: benchsrc -> benchmbsync"
s=$(now); mbsync -q -c "$WORK/mbsyncrc" bench >"$WORK/mbsync.log" 2>&1 || { log "mbsync FAILED"; cat "$WORK/mbsync.log"; }
MB_S=$(since "$s"); MB_RATE=$(rate "$MESSAGES" "$MB_S")
log "mbsync: $(printf '%.2f' "$MB_S") s, $MB_RATE msg/s"

# ---------------------------------------------------------------- 3. the hub
[ -f "$MAIN/target/migration-hub.jar" ] || (cd "$MAIN" && mvn -q -B -o -DskipTests package)
rm -rf "$MAIN/target/bench-mail-data"
log "hub: benchsrc -> benchhub (JAVA_OPTS=-Xmx$HUB_HEAP, log $WORK/hub.log)"
s=$(now); rc=0
( cd "$MAIN" && JAVA_OPTS="-Xmx$HUB_HEAP" /usr/bin/time -v \
    ./hub --config bench/mail/config/application.yaml run --once bench/mail/routes/mail-bench.yaml ) >"$WORK/hub.log" 2>&1 || rc=$?
HUB_S=$(since "$s")
RSS_KB=$(awk -F': *' '/Maximum resident set size/ {print $2}' "$WORK/hub.log")
# the run itself, without the JVM and Spring start: from the run report
REPORT=$(ls "$MAIN"/target/bench-mail-data/reports/bench/bench-mail-run-*.json 2>/dev/null | head -1)
RUN_S=$(python3 -c "import json,sys,datetime as d; r=json.load(open(sys.argv[1])); f=lambda x: d.datetime.fromisoformat(x); print((f(r['finishedAt'])-f(r['startedAt'])).total_seconds())" "$REPORT" 2>/dev/null || echo 0)
if [ "$rc" = 0 ]; then
  HUB_RATE=$(rate "$MESSAGES" "$HUB_S"); RUN_RATE=$(rate "$MESSAGES" "$RUN_S")
  log "hub: $(printf '%.2f' "$HUB_S") s wall ($HUB_RATE msg/s, JVM start included); migration run $(printf '%.2f' "$RUN_S") s ($RUN_RATE msg/s); max RSS $((RSS_KB / 1024)) MiB"
else
  log "hub: FAILED (exit $rc)"; grep -v -E '^\s+(Command being timed|[A-Z][A-Za-z ()/%:-]+: )' "$WORK/hub.log" | tail -n 25 | sed 's/^/    /'
fi

# ---------------------------------------------------------------- 4. re-run with nothing new (a quiet night)
s=$(now); mbsync -q -c "$WORK/mbsyncrc" bench >>"$WORK/mbsync.log" 2>&1 || true; MB_RERUN=$(since "$s")
HUB_RERUN=0; HUB_RERUN_RUN=0
if [ "$rc" = 0 ]; then
  s=$(now)
  ( cd "$MAIN" && JAVA_OPTS="-Xmx$HUB_HEAP" ./hub --config bench/mail/config/application.yaml run --once bench/mail/routes/mail-bench.yaml ) \
    >"$WORK/hub-rerun.log" 2>&1 || rc=$?
  HUB_RERUN=$(since "$s")
  REPORT2=$(ls -t "$MAIN"/target/bench-mail-data/reports/bench/bench-mail-run-*.json 2>/dev/null | head -1)
  HUB_RERUN_RUN=$(python3 -c "import json,sys,datetime as d; r=json.load(open(sys.argv[1])); f=lambda x: d.datetime.fromisoformat(x); print((f(r['finishedAt'])-f(r['startedAt'])).total_seconds())" "$REPORT2" 2>/dev/null || echo 0)
  log "hub re-run with nothing new: $(printf '%.2f' "$HUB_RERUN") s wall, migration run $(printf '%.2f' "$HUB_RERUN_RUN") s"
fi

# ---------------------------------------------------------------- 5. compare and summary
RC=0
MB_CHECK=$(python3 "$BENCH/mail/compare.py" "$DOVECOT_SRC_PORT" benchsrc "$DOVECOT_TGT_PORT" benchmbsync $PW || true)
HUB_CHECK=$(python3 "$BENCH/mail/compare.py" "$DOVECOT_SRC_PORT" benchsrc "$DOVECOT_TGT_PORT" benchhub $PW) || RC=1
[ "$rc" = 0 ] || RC=1
# the goals of issue 14 beside what was measured: whole command >= 1.0x mbsync, quiet re-run <= 1 s of run, RSS <= 320 MiB
goals() {
  python3 - "${HUB_RATE:-0}" "$MB_RATE" "${HUB_RERUN_RUN:-0}" "$((${RSS_KB:-0} / 1024))" <<'PY'
import sys
hub, mb, rerun, rss = (float(a) for a in sys.argv[1:])
ratio = hub / mb if mb else 0
verdict = lambda ok: "met" if ok else "NOT met"
print(f"whole {ratio:.2f}x (goal >=1.0x: {verdict(ratio >= 1.0)}); quiet re-run {rerun:.2f} s run (goal <=1 s: "
      f"{verdict(0 < rerun <= 1.0)}); RSS {rss:.0f} MiB (goal <=320 MiB: {verdict(0 < rss <= 320)})")
PY
}
echo
echo "== Migration Hub mail benchmark: Dovecot -> Dovecot, $MESSAGES messages, $(date '+%F %T') =="
printf '%-18s %s\n' \
  "mbsync:" "$(printf '%.2f' "$MB_S") s, $MB_RATE msg/s (re-run with nothing new: $(printf '%.2f' "$MB_RERUN") s)" \
  "hub (wall):" "$(printf '%.2f' "$HUB_S") s, ${HUB_RATE:-0} msg/s (JVM + Spring start included), max RSS $((${RSS_KB:-0} / 1024)) MiB, -Xmx$HUB_HEAP" \
  "hub (run):" "$(printf '%.2f' "$RUN_S") s, ${RUN_RATE:-0} msg/s (plan, copy, read-back verification, folders)" \
  "hub (quiet re-run):" "$(printf '%.2f' "$HUB_RERUN_RUN") s run, $(printf '%.2f' "$HUB_RERUN") s wall (nothing new: one STATUS per folder with CONDSTORE)" \
  "hub/mbsync:" "$(printf '%.2f' "$(echo "${RUN_RATE:-0} / $MB_RATE" | bc -l)")x on the run, $(printf '%.2f' "$(echo "${HUB_RATE:-0} / $MB_RATE" | bc -l)")x wall (> 1 = hub faster)" \
  "goals (issue 14):" "$(goals)" \
  "mbsync copy:" "$MB_CHECK" \
  "hub copy:" "$HUB_CHECK"
exit $RC
