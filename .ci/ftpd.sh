#!/usr/bin/env bash
# A private vsftpd (Debian's) for the FTP/FTPS source ITs: two listeners on free loopback ports, run as their own
# processes (no systemd, no inetd), with a self-signed certificate for 127.0.0.1/localhost, TLS session reuse required
# on data connections (vsftpd's default require_ssl_reuse=YES, as on most production vsftpd), and one local user with a
# password checked by a PAM service file of its own (Debian's /etc/pam.d/vsftpd also asks for a login shell):
#   port          plain FTP and explicit FTPS (AUTH TLS) on one port, PROT P or not as the client asks
#   implicitPort  implicit FTPS (TLS from the first byte)
# Everything lives under $HUB_FTPD_DIR (default /tmp/hub-ftpd); $HUB_FTPD_DIR/env tells the tests the ports, user,
# password file, certificate (a PEM file the hub's ftpTrustStore takes), data folder and logs. Installs vsftpd if
# missing and needs root, except when both listeners already run. The ITs (@Needs(VSFTPD)) run `start` when the env file
# or a listener is missing. Usage: .ci/ftpd.sh start|stop|status
set -euo pipefail
. "$(dirname "$0")/lib.sh"
DIR=${HUB_FTPD_DIR:-/tmp/hub-ftpd}
U=${HUB_FTPD_USER:-hubftp}
PAM_SERVICE=hub-vsftpd

running() { alive "$DIR/$1.pid" vsftpd; }

port_of() { sed -n "s/^listen_port=//p" "$DIR/$1.conf" 2>/dev/null; }

# free_port FROM: the first port from FROM up that nothing listens on (127.0.0.1), not already taken by the other listener
free_port() {
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || [ "$p" = "${TAKEN:-}" ]; do p=$((p + 1)); done
  echo "$p"
}

write_env() {
  local H; H=$(getent passwd "$U" | cut -d: -f6)
  cat > "$DIR/env" <<ENV
port=$(port_of plain)
implicitPort=$(port_of implicit)
user=$U
passwordFile=$DIR/password
certificate=$DIR/cert.pem
data=$H/data
log=$DIR/vsftpd.log
pidFile=$DIR/plain.pid
ENV
  chmod 644 "$DIR/env"
}

configure() {  # configure NAME PORT IMPLICIT
  cat > "$DIR/$1.conf" <<CFG
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$2
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=NO
pam_service_name=$PAM_SERVICE
userlist_enable=NO
check_shell=NO
secure_chroot_dir=$DIR/empty
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
connect_from_port_20=NO
pasv_enable=YES
pasv_address=127.0.0.1
port_enable=YES
xferlog_enable=YES
dual_log_enable=YES
log_ftp_protocol=YES
vsftpd_log_file=$DIR/vsftpd.log
xferlog_file=$DIR/xferlog
ssl_enable=YES
implicit_ssl=$3
rsa_cert_file=$DIR/cert.pem
rsa_private_key_file=$DIR/key.pem
allow_anon_ssl=NO
force_local_logins_ssl=$3
force_local_data_ssl=$3
ssl_tlsv1=YES
ssl_sslv2=NO
ssl_sslv3=NO
ssl_ciphers=HIGH
require_ssl_reuse=YES
max_per_ip=0
max_clients=0
CFG
}

start1() {  # start1 NAME
  local pid
  setsid /usr/sbin/vsftpd "$DIR/$1.conf" </dev/null >>"$DIR/$1.out" 2>&1 &
  pid=$!
  echo "$pid" > "$DIR/$1.pid"
  for _ in $(seq 50); do
    if running "$1" && (exec 3<>"/dev/tcp/127.0.0.1/$(port_of "$1")") 2>/dev/null; then
      echo "vsftpd-$1 pid $pid on 127.0.0.1:$(port_of "$1")"; return 0
    fi
    sleep 0.1
  done
  tail -n 5 "$DIR/$1.out" >&2 || true
  echo "$ME: vsftpd-$1 did not start on 127.0.0.1:$(port_of "$1") (above; $DIR/$1.out)" >&2; exit 1
}

start() {
  if running plain && running implicit && [ -s "$DIR/env" ]; then
    echo "vsftpd already running on 127.0.0.1:$(port_of plain) (implicit FTPS :$(port_of implicit))"; return 0
  fi
  if [ -x /usr/sbin/vsftpd ]; then what="starting vsftpd"; else what="installing Debian's vsftpd and starting it"; fi
  become_root "$what (user $U, loopback)" start
  [ -x /usr/sbin/vsftpd ] || apt_install vsftpd openssl
  mkdir -p "$DIR" "$DIR/empty"
  chmod 755 "$DIR"; chmod 555 "$DIR/empty"
  # PAM: the user's password, nothing else (no login shell needed, not listed in /etc/ftpusers)
  if [ ! -f "/etc/pam.d/$PAM_SERVICE" ]; then
    printf 'auth required pam_unix.so\naccount required pam_unix.so\nsession required pam_permit.so\n' > "/etc/pam.d/$PAM_SERVICE"
  fi
  id "$U" >/dev/null 2>&1 || useradd -m -s /usr/sbin/nologin "$U"
  if [ ! -s "$DIR/password" ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$DIR/password")
  fi
  chmod 644 "$DIR/password"   # the tests read it; loopback only, a throw-away user
  echo "$U:$(cat "$DIR/password")" | chpasswd
  local H; H=$(getent passwd "$U" | cut -d: -f6)
  install -d -m 777 -o "$U" -g "$U" "$H/data"   # tests create source trees here
  if [ ! -s "$DIR/cert.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$DIR/key.pem" -out "$DIR/cert.pem" 2>/dev/null
    chmod 600 "$DIR/key.pem"; chmod 644 "$DIR/cert.pem"
  fi
  for n in plain implicit; do
    if running "$n"; then continue; fi
    local port implicit=NO
    [ "$n" = implicit ] && implicit=YES
    if [ "$n" = plain ]; then port=${HUB_FTPD_PORT:-$(free_port 2121)}; else port=${HUB_FTPD_IMPLICIT_PORT:-$(free_port 2990)}; fi
    TAKEN=$port
    configure "$n" "$port" "$implicit"
    start1 "$n"
  done
  write_env
  echo "vsftpd on 127.0.0.1:$(port_of plain) (FTP, explicit FTPS) and :$(port_of implicit) (implicit FTPS), user $U, data $H/data"
}

stop() {
  local n
  for n in plain implicit; do
    if running "$n"; then
      kill "$(cat "$DIR/$n.pid")"
      echo "vsftpd-$n stopped"
    fi
    rm -f "$DIR/$n.pid"
  done
  rm -f "$DIR/env"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) for n in plain implicit; do running "$n" && echo "vsftpd-$n running on 127.0.0.1:$(port_of "$n")" || echo "vsftpd-$n stopped"; done ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
