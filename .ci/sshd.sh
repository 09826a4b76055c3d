#!/usr/bin/env bash
# A private OpenSSH sshd for the file migration ITs and bench/files.sh: loopback port, own config, pid file and host
# key under $HUB_SSHD_DIR, key login for a dedicated user, SFTP only. No systemd. Usage: .ci/sshd.sh start|stop|status
# The ITs read $HUB_SSHD_DIR/env (port, user, key, known_hosts, data folder) and skip if it is missing.
set -euo pipefail
DIR=${HUB_SSHD_DIR:-/tmp/hub-sshd}
PORT=${HUB_SSHD_PORT:-2223}
U=${HUB_SSHD_USER:-hubsftp}

start() {
  if [ ! -x /usr/sbin/sshd ]; then
    echo "sshd.sh: installing openssh-server" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssh-server openssh-sftp-server openssh-client >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssh-server openssh-sftp-server openssh-client >/dev/null; }
  fi
  if [ -s "$DIR/sshd.pid" ] && kill -0 "$(cat "$DIR/sshd.pid")" 2>/dev/null; then
    echo "sshd already running (pid $(cat "$DIR/sshd.pid")) on 127.0.0.1:$PORT"; return 0
  fi
  mkdir -p "$DIR" /run/sshd && chmod 755 /run/sshd
  id "$U" >/dev/null 2>&1 || useradd -m -s /usr/sbin/nologin "$U"
  usermod -p '*' "$U"   # '!' (locked) is refused by sshd with UsePAM=no; '*' = no password, not locked
  [ -f "$DIR/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$DIR/host_ed25519"
  [ -f "$DIR/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$DIR/client_ed25519"
  H=$(getent passwd "$U" | cut -d: -f6)
  install -d -m 700 -o "$U" -g "$U" "$H/.ssh"
  install -m 600 -o "$U" -g "$U" "$DIR/client_ed25519.pub" "$H/.ssh/authorized_keys"
  install -d -m 777 -o "$U" -g "$U" "$H/data"   # tests create and inspect trees here
  cat > "$DIR/sshd_config" <<CFG
Port $PORT
ListenAddress 127.0.0.1
HostKey $DIR/host_ed25519
PidFile $DIR/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
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
  /usr/sbin/sshd -f "$DIR/sshd_config" -E "$DIR/sshd.log"
  for _ in $(seq 50); do [ -s "$DIR/sshd.pid" ] && break; sleep 0.1; done
  echo "[127.0.0.1]:$PORT $(cut -d' ' -f1-2 "$DIR/host_ed25519.pub")" > "$DIR/known_hosts"
  cat > "$DIR/env" <<ENV
port=$PORT
user=$U
key=$DIR/client_ed25519
knownHosts=$DIR/known_hosts
data=$H/data
ENV
  echo "sshd pid $(cat "$DIR/sshd.pid") on 127.0.0.1:$PORT, user $U, data $H/data"
}

stop() {
  if [ -s "$DIR/sshd.pid" ] && kill "$(cat "$DIR/sshd.pid")" 2>/dev/null; then echo "sshd stopped"; else echo "sshd not running"; fi
  rm -f "$DIR/sshd.pid" "$DIR/env"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) [ -s "$DIR/sshd.pid" ] && ps -p "$(cat "$DIR/sshd.pid")" -o pid,cmd || echo "not running" ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
