#!/usr/bin/env bash
# Migration Hub file benchmark: SFTP -> SFTP on a loopback OpenSSH (.ci/sshd.sh), on the same data in one run:
#   1. rclone copy between two sftp remotes (the peer tool; Debian package rclone)
#   2. the hub (./hub run --once bench/files/routes/files-<set>.yaml), heap limited to -Xmx256m
# for a 1 GiB file and for 10,000 small files, then for each set a quiet nightly re-run (nothing changed at the
# source) of both: rclone copy again onto its own copy, the hub again on its ledger. Prints MiB/s, files/s, the
# re-run times and the files each re-run copied again (0 expected), hub/rclone ratios and the hub's max RSS. The
# hub's times are its own run times (from its report, without the JVM start); the wall time with the start is
# printed beside them.
#
# Usage: bench/files.sh [--help]
# Environment:
#   BIG_MIB=1024 SMALL_FILES=10000 SMALL_BYTES=1024   the data sets
#   HUB_HEAP=256m  HUB_BENCH_PARALLELISM=4  HUB_BENCH_VERIFY=full (full: read back + SHA-256; size)
#   HUB_BENCH_BATCH_FILES=100                          small files per batch (batchFiles; 1: one work item per file)
#   RCLONE_TRANSFERS=4                                 rclone --transfers (its default)
#   HUB_BENCH_WORK=/tmp/hubbench-files                 hub data folder and logs
# Notes: rclone checks sizes only here (the server runs internal-sftp only, so no remote md5sum/sha1sum); the hub
# with verify=full also reads every file back and compares SHA-256, i.e. one more full read of the target.
set -euo pipefail
export LC_NUMERIC=C
[[ ${1:-} == -h || ${1:-} == --help ]] && { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0; }
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd); MAIN=$(dirname "$BENCH")
BIG_MIB=${BIG_MIB:-1024}; SMALL_FILES=${SMALL_FILES:-10000}; SMALL_BYTES=${SMALL_BYTES:-1024}
HUB_HEAP=${HUB_HEAP:-256m}; RCLONE_TRANSFERS=${RCLONE_TRANSFERS:-4}
export HUB_BENCH_WORK=${HUB_BENCH_WORK:-/tmp/hubbench-files}
command -v rclone >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q rclone >/dev/null

"$MAIN/.ci/sshd.sh" start >/dev/null
SSHD_ENV=${HUB_SSHD_DIR:-/tmp/hub-sshd}/env
port=$(sed -n 's/^port=//p' "$SSHD_ENV"); user=$(sed -n 's/^user=//p' "$SSHD_ENV"); key=$(sed -n 's/^key=//p' "$SSHD_ENV")
known=$(sed -n 's/^knownHosts=//p' "$SSHD_ENV"); data=$(sed -n 's/^data=//p' "$SSHD_ENV")
export HUB_SSHD_PORT=$port HUB_SSHD_USER=$user HUB_SSHD_KEY=$key HUB_SSHD_KNOWN_HOSTS=$known HUB_SSHD_DATA=$data
B=$data/bench

# ---- data (kept between runs; regenerated if the sizes differ)
mkdir -p "$B/src/big" "$B/src/small"
if [ "$(stat -c %s "$B/src/big/big.bin" 2>/dev/null || echo 0)" != $((BIG_MIB * 1048576)) ]; then
  head -c $((BIG_MIB * 1048576)) /dev/urandom > "$B/src/big/big.bin"
fi
if [ "$(find "$B/src/small" -type f | wc -l)" != "$SMALL_FILES" ]; then
  rm -rf "$B/src/small"; mkdir -p "$B/src/small"
  python3 - "$B/src/small" "$SMALL_FILES" "$SMALL_BYTES" <<'PY'
import os, sys
root, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    d = os.path.join(root, "dir%03d" % (i % 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "file %05d.txt" % i), "wb") as f:
        f.write(os.urandom(size))
PY
fi
chown -R "$user:" "$B"; sync
small_mib=$(du -sb --apparent-size "$B/src/small" | awk '{print $1 / 1048576}')

# ---- rclone
export RCLONE_CONFIG=/dev/null
for r in SRC DST; do
  export RCLONE_CONFIG_${r}_TYPE=sftp RCLONE_CONFIG_${r}_HOST=127.0.0.1 RCLONE_CONFIG_${r}_PORT=$port
  export RCLONE_CONFIG_${r}_USER=$user RCLONE_CONFIG_${r}_KEY_FILE=$key RCLONE_CONFIG_${r}_SHELL_TYPE=none
  export RCLONE_CONFIG_${r}_KNOWN_HOSTS_FILE=$known
done
secs() { python3 -c "import sys; print(f'{float(sys.argv[1]):.2f}')" "$1"; }
now() { date +%s.%N; }
rclone_copy() {  # set label [keep] -> "seconds files_copied"; without keep onto a fresh target, with keep onto the
  [ "${3:-}" = keep ] || rm -rf "$B/rclone/$1"   # existing one (a re-run: rclone compares size and modtime)
  local s e log="$HUB_BENCH_WORK/rclone-$2.log"; s=$(now)
  rclone copy -v --transfers "$RCLONE_TRANSFERS" "SRC:$B/src/$1" "DST:$B/rclone/$1" 2>"$log"
  e=$(now); echo "$(echo "$e - $s" | bc) $(grep -c ': Copied (' "$log" || true)"
}
echo "rclone $(rclone version | head -1 | awk '{print $2}'), OpenSSH on 127.0.0.1:$port; big: $BIG_MIB MiB, small: $SMALL_FILES x $SMALL_BYTES B"
mkdir -p "$HUB_BENCH_WORK"
read -r rc_big rc_big_copied <<<"$(rclone_copy big big)"
read -r rc_small rc_small_copied <<<"$(rclone_copy small small)"
cmp "$B/src/big/big.bin" "$B/rclone/big/big.bin"
# the quiet night: the same copy again, nothing changed at the source
read -r rn_big rn_big_copied <<<"$(rclone_copy big big-rerun keep)"
read -r rn_small rn_small_copied <<<"$(rclone_copy small small-rerun keep)"

# ---- hub
[ -f "$MAIN/target/migration-hub.jar" ] || (cd "$MAIN" && mvn -q -B -o -DskipTests package)
mkdir -p "$HUB_BENCH_WORK"; rm -rf "$HUB_BENCH_WORK/hub-data" "$HUB_BENCH_WORK/size"
hub_run() {  # set label -> "wall run maxrss_kb files_copied"
  local s e; s=$(now)
  mkdir -p "$HUB_BENCH_WORK"
  (cd "$MAIN" && JAVA_OPTS="-Xmx$HUB_HEAP" /usr/bin/time -f %M -o "$HUB_BENCH_WORK/rss-$2" ./hub --config bench/files/config/application.yaml \
      run --once "bench/files/routes/files-$1.yaml" > "$HUB_BENCH_WORK/hub-$2.log" 2>&1) \
      || { echo "hub run $2 failed, see $HUB_BENCH_WORK/hub-$2.log" >&2; tail -20 "$HUB_BENCH_WORK/hub-$2.log" >&2; exit 1; }
  e=$(now)
  local report; report=$(ls -t "${HUB_BENCH_WORK}"/hub-data/reports/bench/bench-files-$1-run-*.json | head -1)
  local run; run=$(python3 -c "import json,sys,datetime as d; r=json.load(open(sys.argv[1])); \
f=lambda t: d.datetime.fromisoformat(t.replace('Z','+00:00')); print((f(r['finishedAt'])-f(r['startedAt'])).total_seconds(), r['rows'])" "$report")
  echo "$(echo "$e - $s" | bc) ${run% *} $(tail -1 "$HUB_BENCH_WORK/rss-$2") ${run#* }"
}
rm -rf "$B/hub"
read -r hb_wall hb_run hb_rss hb_copied <<<"$(hub_run big big)"
# the quiet night: the same route again on the same ledger, nothing changed at the source
read -r hbn_wall hbn_run hbn_rss hbn_copied <<<"$(hub_run big big-noop)"
# the same file with verify=size (sizes only, as rclone here): a fresh ledger, so it is copied again
read -r hz_wall hz_run hz_rss hz_copied <<<"$(HUB_BENCH_VERIFY=size HUB_BENCH_WORK=$HUB_BENCH_WORK/size hub_run big big-size)"
read -r hs_wall hs_run hs_rss hs_copied <<<"$(hub_run small small)"
read -r hn_wall hn_run hn_rss hn_copied <<<"$(hub_run small small-noop)"
cmp "$B/src/big/big.bin" "$B/hub/big/big.bin"
[ "$(find "$B/hub/small" -type f | wc -l)" = "$SMALL_FILES" ]

rate() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):,.1f}')" "$1" "$2"; }
ratio() { python3 -c "import sys; a, b = map(float, sys.argv[1:]); print(f'{b / a:.2f}' if a > 0 else '-')" "$1" "$2"; }
row() { printf '%-52s %10s %12s %12s %8s\n' "$@"; }
printf '\n'; row "" "seconds" "MiB/s" "files/s" "copied"
row "rclone $BIG_MIB MiB file" "$(secs "$rc_big")" "$(rate "$BIG_MIB" "$rc_big")" "-" "$rc_big_copied"
row "hub $BIG_MIB MiB file (run; wall $(secs "$hb_wall") s)" "$(secs "$hb_run")" "$(rate "$BIG_MIB" "$hb_run")" "-" "$hb_copied"
row "hub $BIG_MIB MiB verify=size (wall $(secs "$hz_wall") s)" "$(secs "$hz_run")" "$(rate "$BIG_MIB" "$hz_run")" "-" "$hz_copied"
row "rclone quiet re-run, $BIG_MIB MiB file" "$(secs "$rn_big")" "-" "-" "$rn_big_copied"
row "hub quiet re-run, $BIG_MIB MiB file (wall $(secs "$hbn_wall") s)" "$(secs "$hbn_run")" "-" "-" "$hbn_copied"
row "rclone $SMALL_FILES small files" "$(secs "$rc_small")" "$(rate "$small_mib" "$rc_small")" "$(rate "$SMALL_FILES" "$rc_small")" "$rc_small_copied"
row "hub $SMALL_FILES small files (wall $(secs "$hs_wall") s)" "$(secs "$hs_run")" "$(rate "$small_mib" "$hs_run")" "$(rate "$SMALL_FILES" "$hs_run")" "$hs_copied"
row "rclone quiet re-run, $SMALL_FILES small files" "$(secs "$rn_small")" "-" "$(rate "$SMALL_FILES" "$rn_small")" "$rn_small_copied"
row "hub quiet re-run, $SMALL_FILES small files (wall $(secs "$hn_wall") s)" "$(secs "$hn_run")" "-" "$(rate "$SMALL_FILES" "$hn_run")" "$hn_copied"
echo
echo "hub/rclone throughput: $BIG_MIB MiB file $(ratio "$hb_run" "$rc_big") (verify=size: $(ratio "$hz_run" "$rc_big")), small files $(ratio "$hs_run" "$rc_small") (1.00 = as fast as rclone)"
echo "hub/rclone quiet re-run: $BIG_MIB MiB file $(ratio "$hbn_run" "$rn_big"), small files $(ratio "$hn_run" "$rn_small") (the hub's run time against rclone's whole command; > 1 = hub faster)"
goal() { python3 -c "import sys; v, g = float(sys.argv[1]), float(sys.argv[2]); print('met' if v >= g else 'not met')" "$1" "$2"; }
small_ratio=$(ratio "$hs_run" "$rc_small")
echo "small files: hub/rclone ${small_ratio}x, goal >= 1.00x rclone: $(goal "$small_ratio" 1.0); quiet re-run $(secs "$hn_run") s, goal <= 2 s: $(goal 2 "$hn_run")"
echo "copied: files transferred by that run (the hub's report; rclone -v log); a quiet re-run should copy 0"
echo "hub max RSS (-Xmx$HUB_HEAP): big $((hb_rss / 1024)) MiB, big re-run $((hbn_rss / 1024)) MiB, big verify=size $((hz_rss / 1024)) MiB, small $((hs_rss / 1024)) MiB, small re-run $((hn_rss / 1024)) MiB"
echo "hub verify=${HUB_BENCH_VERIFY:-full} (unless noted) parallelism=${HUB_BENCH_PARALLELISM:-4} batchFiles=${HUB_BENCH_BATCH_FILES:-100}; rclone --transfers $RCLONE_TRANSFERS, size check only"
