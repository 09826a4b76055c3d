#!/usr/bin/env bash
# Two private Dovecot IMAP servers on loopback for the mail interoperability tests (and bench/mail.sh):
#   src  127.0.0.1:${DOVECOT_SRC_PORT:-14143}  hierarchy separator "/" (fs layout: "." allowed in names)
#   tgt  127.0.0.1:${DOVECOT_TGT_PORT:-14144}  hierarchy separator "." (Maildir++)
# each with its own config, passwd-file users and maildirs under $DOVECOT_ROOT (default /tmp/hub-dovecot); no
# systemd, no TLS (loopback only). A third instance serves the src users' mailboxes over POP3 (Pop3DovecotIT):
#   pop  POP3 and POP3S (TLS, a self-signed certificate for localhost and 127.0.0.1) on free loopback ports, written
#        to $DOVECOT_ROOT/pop/env (pop3Port, pop3sPort, certificate)
# Installs dovecot-imapd and dovecot-pop3d (Debian) if missing. Needs root, except for a start when all three already
# run. The mail ITs (@Needs(DOVECOT), @Needs(DOVECOT_POP3)) run `start` when a server is not there, and `adduser`.
#
# Usage: .ci/dovecot.sh start | stop | status | adduser USER PASSWORD | reset
#   start    starts both (no-op for one already running)
#   adduser  adds a user (a passwd-file of its own) to both servers; tests use fresh users
#   reset    stops both and deletes every mailbox and user
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ROOT=${DOVECOT_ROOT:-/tmp/hub-dovecot}
SRC_PORT=${DOVECOT_SRC_PORT:-14143}
TGT_PORT=${DOVECOT_TGT_PORT:-14144}

port() {
  case $1 in
    src) echo "$SRC_PORT" ;;
    tgt) echo "$TGT_PORT" ;;
    pop) sed -n 's/^pop3Port=//p' "$(dir pop)/env" 2>/dev/null ;;
  esac
}
dir() { echo "$ROOT/$1"; }

install() {
  local packages=()
  [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/imap ] || packages+=(dovecot-imapd)
  [ -x /usr/lib/dovecot/pop3 ] || packages+=(dovecot-pop3d)
  [ ${#packages[@]} -eq 0 ] || apt_install "${packages[@]}"
}

free_port() {  # free_port FROM: the first port from FROM on that nothing listens on (loopback)
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}

configure_pop() {  # the POP3 instance: the src instance's users and maildirs, over POP3 and POP3S
  local D S P PS; D=$(dir pop); S=$(dir src)
  mkdir -p "$D/conf" "$D/state" "$D/run"
  chmod 755 "$D"
  if [ -s "$D/env" ]; then
    P=$(sed -n 's/^pop3Port=//p' "$D/env"); PS=$(sed -n 's/^pop3sPort=//p' "$D/env")
  fi
  if [ -z "${P:-}" ] || (exec 3<>"/dev/tcp/127.0.0.1/$P") 2>/dev/null; then P=$(free_port 14110); fi
  if [ -z "${PS:-}" ] || [ "$PS" = "$P" ] || (exec 3<>"/dev/tcp/127.0.0.1/$PS") 2>/dev/null; then PS=$(free_port $((P + 1))); fi
  if [ ! -s "$D/conf/cert.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=localhost \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$D/conf/key.pem" -out "$D/conf/cert.pem" 2>/dev/null
    chmod 600 "$D/conf/key.pem"; chmod 644 "$D/conf/cert.pem"
  fi
  cat > "$D/conf/dovecot.conf" <<CFG
instance_name = hub-dovecot-pop
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
protocols = pop3
listen = 127.0.0.1
ssl = yes
ssl_cert = <$D/conf/cert.pem
ssl_key = <$D/conf/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir:LAYOUT=fs
mail_uid = vmail
mail_gid = vmail
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $S/conf/users.d/%u
}
userdb {
  driver = static
  args = home=$S/mail/%u
}
namespace inbox {
  inbox = yes
  separator = /
}
protocol pop3 {
  mail_max_userip_connections = 100
  pop3_uidl_format = %08Xu%08Xv
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = $P
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = $PS
    ssl = yes
  }
}
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 0
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0600
  }
}
CFG
  printf 'pop3Port=%s\npop3sPort=%s\ncertificate=%s\n' "$P" "$PS" "$D/conf/cert.pem" > "$D/env"
  chmod 644 "$D/env"
}

configure() {  # configure <src|tgt>
  local n=$1 D; D=$(dir "$1")
  mkdir -p "$D/conf" "$D/mail" "$D/state" "$D/run"
  id vmail >/dev/null 2>&1 || useradd -r -M -d /nonexistent -s /usr/sbin/nologin vmail
  chown vmail:vmail "$D/mail"; chmod 755 "$ROOT" "$D"
  # one passwd-file per user: a user added while the server runs is found at once (no reload of a shared file)
  mkdir -p "$D/conf/users.d"; chown root:dovecot "$D/conf/users.d"; chmod 750 "$D/conf/users.d"
  local separator location specials
  if [ "$n" = src ]; then
    separator=/; location='maildir:~/Maildir:LAYOUT=fs'
    specials='  mailbox "Sent Items" {
    special_use = \Sent
  }
  mailbox Trash {
    special_use = \Trash
  }'
  else
    separator=.; location='maildir:~/Maildir'
    specials='  mailbox Sent {
    special_use = \Sent
    auto = create
  }
  mailbox "Deleted Messages" {
    special_use = \Trash
    auto = create
  }
  mailbox Drafts {
    special_use = \Drafts
    auto = create
  }'
  fi
  cat > "$D/conf/dovecot.conf" <<CFG
instance_name = hub-dovecot-$n
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = $location
mail_uid = vmail
mail_gid = vmail
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $D/conf/users.d/%u
}
userdb {
  driver = static
  args = home=$D/mail/%u
}
namespace inbox {
  inbox = yes
  separator = $separator
$specials
}
protocol imap {
  mail_max_userip_connections = 100
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $(port "$n")
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 0
  }
}
service submission-login {
  inet_listener submission {
    port = 0
  }
}
service lmtp {
  unix_listener lmtp {
    mode = 0600
  }
}
CFG
}

running() { alive "$(dir "$1")/run/master.pid" dovecot; }

start1() {
  if running "$1"; then echo "dovecot-$1 already running on 127.0.0.1:$(port "$1")"; return 0; fi
  if [ "$1" = pop ]; then configure_pop; else configure "$1"; fi
  local D; D=$(dir "$1")
  /usr/sbin/dovecot -c "$D/conf/dovecot.conf"
  for _ in $(seq 100); do
    if running "$1" && (exec 3<>"/dev/tcp/127.0.0.1/$(port "$1")") 2>/dev/null; then
      local extra=""
      [ "$1" = pop ] && extra=" (POP3; POP3S on :$(sed -n 's/^pop3sPort=//p' "$D/env"))"
      echo "dovecot-$1 pid $(cat "$D/run/master.pid") on 127.0.0.1:$(port "$1")$extra"; return 0
    fi
    sleep 0.1
  done
  tail -n 5 "$D/dovecot.log" >&2 || true
  echo "$ME: dovecot-$1 did not start on 127.0.0.1:$(port "$1") (above; $D/dovecot.log)" >&2; exit 1
}

stop1() {
  local P; P=$(dir "$1")/run/master.pid
  if running "$1"; then
    local pid; pid=$(cat "$P"); kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "dovecot-$1 stopped"
  fi
}

adduser() {  # adduser USER PASSWORD: to both servers
  local u=$1 p=$2 n F
  for n in src tgt; do
    [ -d "$(dir $n)/conf/users.d" ] || configure $n
    F=$(dir $n)/conf/users.d/$u
    printf '%s:{PLAIN}%s::::::\n' "$u" "$p" > "$F"
    chown root:dovecot "$F"; chmod 640 "$F"
  done
}

case ${1:-} in
  start)
    if running src && running tgt && running pop; then start1 src; start1 tgt; start1 pop; exit 0; fi
    if [ -x /usr/sbin/dovecot ] && [ -x /usr/lib/dovecot/pop3 ]; then what="starting Dovecot"
    else what="installing Debian's dovecot-imapd and dovecot-pop3d and starting Dovecot"; fi
    become_root "$what (127.0.0.1:$SRC_PORT and :$TGT_PORT, POP3 on free ports)" start
    install; start1 src; start1 tgt; start1 pop ;;
  stop) stop1 src; stop1 tgt; stop1 pop ;;
  status) for n in src tgt pop; do running $n && echo "dovecot-$n running on 127.0.0.1:$(port $n)" || echo "dovecot-$n stopped"; done ;;
  adduser) [ $# -eq 3 ] || { echo "usage: $0 adduser USER PASSWORD" >&2; exit 2; }
    become_root "adding a mail user" adduser "$2" "$3"; adduser "$2" "$3" ;;
  reset) stop1 src; stop1 tgt; stop1 pop; rm -rf "$ROOT" ;;
  *) echo "usage: $0 start|stop|status|adduser USER PASSWORD|reset" >&2; exit 2 ;;
esac
