#!/usr/bin/env bash
# A real ActiveMQ Artemis broker, its own process, for the tests of several hubs on one broker (ScaleOutIT) and
# bench/scaleout.sh: persistent journal, core protocol on one loopback port, no web console, the hub's queues with the
# hub's redelivery policy and its dead-letter address. Everything under $HUB_ARTEMIS_DIR (default /tmp/hub-artemis).
# Usage: .ci/artemis.sh start|stop|status
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

create() {
  [ -f "$BROKER/etc/broker.xml" ] && [ -f "$BROKER/.hub-port-$PORT" ] && return 0
  rm -rf "$BROKER"
  # --no-fsync: the tests' journal survives a killed broker process but not a power cut (production keeps fsync: README)
  "$HOME_DIR/bin/artemis" create "$BROKER" --silent --force --name hub-test --host 127.0.0.1 --default-port "$PORT" \
    --user hub --password hub --allow-anonymous --nio --no-fsync --no-web --no-autotune \
    --no-amqp-acceptor --no-mqtt-acceptor --no-stomp-acceptor --no-hornetq-acceptor \
    --queues "$WORK:anycast,$DLQ:anycast" --java-options "-Xms64m -Xmx256m" >"$DIR/create.log" 2>&1 \
    || { tail -n 15 "$DIR/create.log" >&2; echo "$ME: artemis create failed (above)" >&2; exit 1; }
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
  sed -i "s|<address-settings>|<address-settings>\n$settings|" "$BROKER/etc/broker.xml"
  grep -q "<address-setting match=\"$WORK\">" "$BROKER/etc/broker.xml" \
    || { echo "$ME: cannot add the hub's address settings to $BROKER/etc/broker.xml" >&2; exit 1; }
  touch "$BROKER/.hub-port-$PORT"
}

start() {
  if running; then echo "Artemis already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$PORT"; write_env; return 0; fi
  if answers; then echo "$ME: something else answers on 127.0.0.1:$PORT; set HUB_ARTEMIS_PORT" >&2; exit 1; fi
  fetch
  create
  # its own process, detached from the caller (a test JVM or CI shell may end first)
  mkdir -p "$BROKER/log" "$BROKER/data"
  (cd "$BROKER"; setsid nohup bin/artemis run >"$BROKER/log/console.log" 2>&1 </dev/null & echo $! >"$PIDFILE") # $!: the JVM (exec'd)
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
  status) running && ps -p "$(cat "$PIDFILE")" -o pid,args | cut -c1-150 || { echo "not running"; exit 1; } ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
