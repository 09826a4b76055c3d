#!/usr/bin/env bash
# The container image (README "Containers"), after the tests: builds target/migration-hub-image.tar with Jib from a
# base made of Debian packages (no Docker engine, no base image registry: `mvn -Pimage package`, docker/image/base.sh),
# then runs it without a daemon (docker/image/verify.sh: its layers unpacked, the entrypoint run in fresh namespaces
# as the image's user: --version, a reading command, and a serving hub answering the health check and a scrape).
# Needs root (namespaces, chroot; the JDK's jmods and the tools below are installed when missing).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
become_root "running the image in namespaces (unshare, chroot)"
missing=()
[ -d /usr/lib/jvm/java-17-openjdk-amd64/jmods ] || missing+=(openjdk-17-jdk-headless)
for tool in jq:jq curl:curl openssl:openssl unshare:util-linux setpriv:util-linux ip:iproute2 dpkg-deb:dpkg; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
[ ${#missing[@]} = 0 ] || apt_install "${missing[@]}"
start=$(date +%s)
mvn -B -ntp -q -Pimage -DskipTests package
echo "$ME: built target/migration-hub-image.tar ($(du -h target/migration-hub-image.tar | cut -f1)) in $(( $(date +%s) - start )) s"
docker/image/verify.sh target/migration-hub-image.tar
echo "$ME: image built and checked in $(( $(date +%s) - start )) s"
