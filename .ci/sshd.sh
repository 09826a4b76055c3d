#!/usr/bin/env bash
# A private OpenSSH sshd for the file migration ITs and bench/files.sh: loopback port, own config, pid file, host key and
# authorized key under $HUB_SSHD_DIR (so that several instances on other ports do not meet), key login for a dedicated
# user, SFTP only. No systemd. Usage: .ci/sshd.sh start|stop|status
# start installs openssh-server (Debian) if missing and needs root, except when the server already runs. The ITs
# (@Needs(OPENSSH)) run it when $HUB_SSHD_DIR/env is missing, then read that file (port, user, key, known_hosts, data).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
DIR=${HUB_SSHD_DIR:-/tmp/hub-sshd}
PORT=${HUB_SSHD_PORT:-2223}
U=${HUB_SSHD_USER:-hubsftp}

running() { alive "$DIR/sshd.pid" sshd; }

write_env() {
  local H; H=$(getent passwd "$U" | cut -d: -f6)
  cat > "$DIR/env" <<ENV
port=$PORT
user=$U
key=$DIR/client_ed25519
knownHosts=$DIR/known_hosts
data=$H/data
ENV
}

start() {
  if running && [ -s "$DIR/env" ]; then
    echo "sshd already running (pid $(cat "$DIR/sshd.pid")) on 127.0.0.1:$PORT"; return 0
  fi
  if [ -x /usr/sbin/sshd ]; then what="starting sshd"; else what="installing Debian's openssh-server and starting sshd"; fi
  become_root "$what (user $U, 127.0.0.1:$PORT)" start
  if running; then write_env; echo "sshd already running (pid $(cat "$DIR/sshd.pid")) on 127.0.0.1:$PORT"; return 0; fi
  [ -x /usr/sbin/sshd ] || apt_install openssh-server openssh-sftp-server openssh-client
  mkdir -p "$DIR" /run/sshd && chmod 755 /run/sshd
  id "$U" >/dev/null 2>&1 || useradd -m -s /usr/sbin/nologin "$U"
  usermod -p '*' "$U"   # '!' (locked) is refused by sshd with UsePAM=no; '*' = no password, not locked
  [ -f "$DIR/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$DIR/host_ed25519"
  [ -f "$DIR/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$DIR/client_ed25519"
  H=$(getent passwd "$U" | cut -d: -f6)
  chmod 755 "$DIR"
  install -m 644 "$DIR/client_ed25519.pub" "$DIR/authorized_keys"   # sshd reads it as $U (StrictModes no)
  install -d -m 777 -o "$U" -g "$U" "$H/data"   # tests create and inspect trees here
  cat > "$DIR/sshd_config" <<CFG
Port $PORT
ListenAddress 127.0.0.1
HostKey $DIR/host_ed25519
PidFile $DIR/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile $DIR/authorized_keys
PermitRootLogin no
UsePAM no
StrictModes no
AllowUsers $U
MaxSessions 64
MaxStartups 64:30:128
Subsystem sftp internal-sftp -u 022
Match User $U
  ForceCommand internal-sftp -u 022
  AllowTcpForwarding no
  X11Forwarding no
CFG
  /usr/sbin/sshd -t -f "$DIR/sshd_config"
  /usr/sbin/sshd -f "$DIR/sshd_config" -E "$DIR/sshd.log" \
    || { tail -n 5 "$DIR/sshd.log" >&2; echo "$ME: sshd did not start on 127.0.0.1:$PORT (above; $DIR/sshd.log)" >&2; exit 1; }
  for _ in $(seq 50); do running && break; sleep 0.1; done
  running || { tail -n 5 "$DIR/sshd.log" >&2; echo "$ME: sshd did not start on 127.0.0.1:$PORT (above; $DIR/sshd.log)" >&2; exit 1; }
  echo "[127.0.0.1]:$PORT $(cut -d' ' -f1-2 "$DIR/host_ed25519.pub")" > "$DIR/known_hosts"
  write_env
  echo "sshd pid $(cat "$DIR/sshd.pid") on 127.0.0.1:$PORT, user $U, data $H/data"
}

stop() {
  if [ -s "$DIR/sshd.pid" ] && kill "$(cat "$DIR/sshd.pid")" 2>/dev/null; then echo "sshd stopped"; else echo "sshd not running"; fi
  rm -f "$DIR/sshd.pid" "$DIR/env"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running && ps -p "$(cat "$DIR/sshd.pid")" -o pid,cmd || echo "not running" ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
