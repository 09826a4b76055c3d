#!/usr/bin/env bash
# A real ActiveMQ Artemis broker, its own process, for the tests of several hubs on one broker (ScaleOutIT) and
# bench/scaleout.sh: persistent journal, core protocol on one loopback port, no web console, the hub's queues with the
# hub's redelivery policy and its dead-letter address. Everything under $HUB_ARTEMIS_DIR (default /tmp/hub-artemis).
# Usage: .ci/artemis.sh start|stop|status|start-pair|stop-pair
#   start-pair: a live/backup pair with a shared store (one journal folder, the file lock decides who is live) on
#   $HUB_ARTEMIS_PAIR_PORT (live, default 61637) and the next port (backup), for BrokerFailoverIT; a live broker killed
#   by a test is started again by the next start-pair (it takes over from the backup again: failback).
#
# The broker is the Apache distribution (org.apache.activemq:apache-artemis:2.40.0:tar.gz:bin, the newest one on Maven
# Central that this machine's registry serves), fetched once with `mvn dependency:copy` (Debian has no package of it;
# maven and a JDK 17+ are installed from Debian if missing, which needs root). start is idempotent: a broker already
# answering on the port is left alone. Settings: HUB_ARTEMIS_DIR, HUB_ARTEMIS_PORT (default 61636).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
VERSION=2.40.0
DIR=${HUB_ARTEMIS_DIR:-/tmp/hub-artemis}
PORT=${HUB_ARTEMIS_PORT:-61636}
HOME_DIR=$DIR/apache-artemis-$VERSION
BROKER=$DIR/broker
PIDFILE=$BROKER/data/artemis.pid
# the hub's defaults (src/main/resources/application.yaml hub.queue.*, hub.retry.*): 5 retries = 6 deliveries,
# 1 s doubling up to 60 s, then the dead-letter address
WORK=hub.work
DLQ=hub.DLQ

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
running() { [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && answers; }

fetch() {
  [ -x "$HOME_DIR/bin/artemis" ] && return 0
  if ! command -v mvn >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then
    become_root "installing Debian's maven and openjdk-17-jdk-headless (to fetch and run Apache Artemis $VERSION)" start
    apt_install maven openjdk-17-jdk-headless
  fi
  mkdir -p "$DIR/download"
  echo "$ME: fetching Apache Artemis $VERSION from Maven Central (mvn dependency:copy)"
  (cd "$DIR/download" && mvn -B -ntp -q dependency:copy -Dartifact=org.apache.activemq:apache-artemis:$VERSION:tar.gz:bin \
      -DoutputDirectory="$DIR/download") \
    || { echo "$ME: cannot fetch org.apache.activemq:apache-artemis:$VERSION:tar.gz:bin with mvn (above)" >&2; exit 1; }
  tar xzf "$DIR/download/apache-artemis-$VERSION-bin.tar.gz" -C "$DIR"
}

# create_broker FOLDER PORT NAME [ARTEMIS CREATE OPTIONS...]: a broker instance with the hub's queues and settings
create_broker() {
  local broker=$1 port=$2 name=$3; shift 3
  [ -f "$broker/etc/broker.xml" ] && [ -f "$broker/.hub-port-$port" ] && return 0
  rm -rf "$broker"
  # --no-fsync: the tests' journal survives a killed broker process but not a power cut (production keeps fsync: README)
  "$HOME_DIR/bin/artemis" create "$broker" --silent --force --name "$name" --host 127.0.0.1 --default-port "$port" \
    --user hub --password hub --allow-anonymous --nio --no-fsync --no-web --no-autotune \
    --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor --no-hornetq-acceptor \
    --queues "$WORK:anycast,$DLQ:anycast" --java-options "-Xms64m -Xmx256m" "$@" >"$DIR/create-$name.log" 2>&1 \
    || { tail -n 15 "$DIR/create-$name.log" >&2; echo "$ME: artemis create failed (above)" >&2; exit 1; }
  # the hub's queue: its redelivery policy and a dead-letter address with its queue (without both Artemis drops a
  # message after 10 attempts); matched before the catch-all '#' of the default broker.xml
  local settings
  settings="      <address-setting match=\"$WORK\">\n\
         <dead-letter-address>$DLQ</dead-letter-address>\n\
         <max-delivery-attempts>6</max-delivery-attempts>\n\
         <redelivery-delay>1000</redelivery-delay>\n\
         <redelivery-delay-multiplier>2.0</redelivery-delay-multiplier>\n\
         <max-redelivery-delay>60000</max-redelivery-delay>\n\
         <auto-create-queues>false</auto-create-queues>\n\
      </address-setting>\n\
      <address-setting match=\"$DLQ\">\n\
         <max-delivery-attempts>-1</max-delivery-attempts>\n\
      </address-setting>"
  sed -i "s|<address-settings>|<address-settings>\n$settings|" "$broker/etc/broker.xml"
  grep -q "<address-setting match=\"$WORK\">" "$broker/etc/broker.xml" \
    || { echo "$ME: cannot add the hub's address settings to $broker/etc/broker.xml" >&2; exit 1; }
  touch "$broker/.hub-port-$port"
}

create() { create_broker "$BROKER" "$PORT" hub-test; }

# run_broker FOLDER: starts the instance as its own process, its JVM's pid in FOLDER/data/artemis.pid
run_broker() {
  mkdir -p "$1/log" "$1/data"
  (cd "$1"; setsid nohup bin/artemis run >>"$1/log/console.log" 2>&1 </dev/null & echo $! >"$1/data/artemis.pid") # $!: the JVM (exec'd)
}

PAIR=$DIR/pair
PAIR_PORT=${HUB_ARTEMIS_PAIR_PORT:-61637}
BACKUP_PORT=$((PAIR_PORT + 1))
pid_alive() { [ -s "$1/data/artemis.pid" ] && kill -0 "$(cat "$1/data/artemis.pid")" 2>/dev/null; }
port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_pair() {
  fetch
  local ha=(--shared-store --clustered --cluster-user hub-cluster --cluster-password hub-cluster --data "$PAIR/shared" --failover-on-shutdown)
  create_broker "$PAIR/live" "$PAIR_PORT" hub-live "${ha[@]}" --staticCluster "tcp://127.0.0.1:$BACKUP_PORT"
  create_broker "$PAIR/backup" "$BACKUP_PORT" hub-backup "${ha[@]}" --backup --staticCluster "tcp://127.0.0.1:$PAIR_PORT"
  pid_alive "$PAIR/live" || run_broker "$PAIR/live"
  for _ in $(seq 300); do port_answers "$PAIR_PORT" && break; pid_alive "$PAIR/live" || break; sleep 0.2; done
  port_answers "$PAIR_PORT" || { tail -n 20 "$PAIR/live/log/console.log" >&2; echo "$ME: the live broker did not start on 127.0.0.1:$PAIR_PORT" >&2; exit 1; }
  if ! pid_alive "$PAIR/backup" || port_answers "$BACKUP_PORT"; then
    # not running, or active since its live died: started again as the backup of the live broker now active
    pid_alive "$PAIR/backup" && { kill "$(cat "$PAIR/backup/data/artemis.pid")"; for _ in $(seq 100); do pid_alive "$PAIR/backup" || break; sleep 0.1; done; }
    : >"$PAIR/backup/log/console.log" 2>/dev/null || true
    run_broker "$PAIR/backup"
  fi
  for _ in $(seq 300); do grep -q AMQ221031 "$PAIR/backup/log/console.log" 2>/dev/null && break; pid_alive "$PAIR/backup" || break; sleep 0.2; done
  grep -q AMQ221031 "$PAIR/backup/log/console.log" \
    || { tail -n 20 "$PAIR/backup/log/console.log" >&2; echo "$ME: the backup broker did not announce itself to the live one" >&2; exit 1; }
  printf 'url=(tcp://127.0.0.1:%s,tcp://127.0.0.1:%s)?ha=true&reconnectAttempts=-1\nlive_pid=%s\nbackup_pid=%s\n' "$PAIR_PORT" \
    "$BACKUP_PORT" "$(cat "$PAIR/live/data/artemis.pid")" "$(cat "$PAIR/backup/data/artemis.pid")" >"$PAIR/env"
  echo "Artemis pair: live pid $(cat "$PAIR/live/data/artemis.pid") on 127.0.0.1:$PAIR_PORT, backup pid $(cat "$PAIR/backup/data/artemis.pid") (port $BACKUP_PORT once live), shared store $PAIR/shared"
}

stop_pair() {
  for b in backup live; do pid_alive "$PAIR/$b" && kill "$(cat "$PAIR/$b/data/artemis.pid")"; done
  rm -f "$PAIR/env"; echo "Artemis pair stopped"
}

start() {
  if running; then echo "Artemis already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$PORT"; write_env; return 0; fi
  if answers; then echo "$ME: something else answers on 127.0.0.1:$PORT; set HUB_ARTEMIS_PORT" >&2; exit 1; fi
  fetch
  create
  # its own process, detached from the caller (a test JVM or CI shell may end first)
  run_broker "$BROKER"
  for _ in $(seq 300); do answers && break; kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break; sleep 0.2; done
  if ! running; then
    tail -n 20 "$BROKER/log/console.log" "$BROKER/log/artemis.log" 2>/dev/null >&2 || true
    echo "$ME: Artemis did not start on 127.0.0.1:$PORT (above; $BROKER/log)" >&2; exit 1
  fi
  write_env
  echo "Artemis $VERSION pid $(cat "$PIDFILE") on tcp://127.0.0.1:$PORT (journal $BROKER/data)"
}

write_env() {
  printf 'url=tcp://127.0.0.1:%s\nuser=hub\npassword=hub\ndir=%s\n' "$PORT" "$BROKER" > "$DIR/env"
}

stop() {
  if [ -s "$PIDFILE" ] && kill "$(cat "$PIDFILE")" 2>/dev/null; then
    for _ in $(seq 100); do kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break; sleep 0.1; done
    echo "Artemis stopped"
  else
    echo "Artemis not running"
  fi
  rm -f "$PIDFILE" "$DIR/env"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  start-pair) start_pair ;;
  stop-pair) stop_pair ;;
  status) running && ps -p "$(cat "$PIDFILE")" -o pid,args | cut -c1-150 || { echo "not running"; exit 1; } ;;
  *) echo "usage: $0 start|stop|status|start-pair|stop-pair" >&2; exit 2 ;;
esac
