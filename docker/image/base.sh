#!/usr/bin/env bash
# The base of the hub's image, made from Debian packages (no base image registry is needed): a jlink'ed Java 17
# runtime in /opt/java, the shared libraries it links against (libc6, libgcc-s1, libstdc++6, zlib1g) and a few files
# of /etc, written into a directory that Jib adds as the image's first layer (pom.xml, profile `image`).
#
#   docker/image/base.sh OUT_DIR      (called by `mvn -Pimage package`; OUT_DIR is target/image-base)
#
# Idempotent: a second call with the same script, JDK and packages returns at once. Needs openjdk-17-jdk-headless
# (its jmods) and apt-get; installs the JDK when missing and run as root, otherwise says which command to run.
# The .deb files are kept in ${HUB_IMAGE_CACHE:-~/.cache/migration-hub/image} across `mvn clean`.
set -euo pipefail
out="${1:?usage: base.sh OUT_DIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jdk="${HUB_IMAGE_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}"
cache="${HUB_IMAGE_CACHE:-$HOME/.cache/migration-hub/image}"
packages=(libc6 libgcc-s1 libstdc++6 zlib1g libc-bin) # libc-bin: only its C.UTF-8 locale
# What the hub needs of the JDK: Spring (java.beans is in java.desktop), JDBC, JMX and its RMI connector, JNDI,
# TLS and Kerberos for the drivers, the HTTP client of the liveness probe, and jdk.charsets for the legacy
# database encodings (gbk, big5, sjis). jdk.localedata is cut down to the locales below.
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.management.rmi,\
java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,\
java.sql.rowset,java.transaction.xa,java.xml,java.xml.crypto,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,\
jdk.httpserver,jdk.jfr,jdk.localedata,jdk.management,jdk.management.agent,jdk.management.jfr,jdk.naming.dns,\
jdk.naming.rmi,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.unsupported,jdk.zipfs
locales=en,id

if [ ! -d "$jdk/jmods" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "base.sh: installing openjdk-17-jdk-headless (its jmods make the image's runtime)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jdk-headless >&2
  fi
  [ -d "$jdk/jmods" ] || { echo "base.sh: no $jdk/jmods; run: sudo apt-get install openjdk-17-jdk-headless (or set HUB_IMAGE_JDK)" >&2; exit 1; }
fi

# what this base is made of: when it has not changed, the directory is reused
stamp="$(sha256sum "$here/base.sh" | cut -c1-16) $("$jdk/bin/java" -version 2>&1 | head -2 | tr '\n' ' ')\
 $(apt-cache policy "${packages[@]}" 2>/dev/null | grep -E '^[a-z]|Candidate' | tr -s ' \n' ' ')"
if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ]; then
  echo "base.sh: $out is up to date" >&2
  exit 0
fi

rm -rf "$out"
root="$out/root"
mkdir -p "$root" "$cache/debs"

# 1. the Java runtime
"$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$modules" --include-locales="$locales" \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$root/opt/java"
# Debian's JDK links cacerts and the security policy files into /etc: the image holds them as plain files
for f in "$root"/opt/java/lib/security/* "$root"/opt/java/conf/security/java.security; do
  if [ -L "$f" ] || [ ! -s "$f" ]; then
    target="$(readlink -f "$jdk/lib/security/$(basename "$f")" || true)"
    [ -n "$target" ] && [ -f "$target" ] && cp --remove-destination "$target" "$f"
  fi
done
[ -s "$root/opt/java/lib/security/cacerts" ] || cp /etc/ssl/certs/java/cacerts "$root/opt/java/lib/security/cacerts"
# a layer holds plain files: the legal notices linked between modules become copies
find "$root/opt/java" -type l | while read -r link; do cp --remove-destination "$(readlink -f "$link")" "$link"; done
# Jib writes every file with one fixed time; the class-data-sharing archive checks lib/modules' time, so it is
# made again for that time (else the JVM silently starts without it)
touch -d @1 "$root/opt/java/lib/modules"
"$root/opt/java/bin/java" -Xshare:dump -XX:SharedArchiveFile="$root/opt/java/lib/server/classes.jsa" >/dev/null

# 2. the shared libraries, from the Debian packages themselves (the host's files could be anything)
(cd "$cache/debs" && apt-get download -q -o APT::Sandbox::User=root "${packages[@]}" >&2)
unpacked="$out/debs"
for p in "${packages[@]}"; do
  deb="$(ls -t "$cache/debs/${p}_"*.deb | head -1)"
  dpkg-deb -x "$deb" "$unpacked"
  echo "$(basename "$deb")" >>"$out/packages.txt"
done
lib="$root/lib/x86_64-linux-gnu"
mkdir -p "$lib" "$root/lib64"
# top-level shared objects by their soname only (libz.so.1, not also libz.so.1.2.13; no gconv, no audit modules),
# symlinks resolved: a layer holds plain files
find "$unpacked" -maxdepth 4 -path '*x86_64-linux-gnu/*' \( -name '*.so.[0-9]*' -o -name 'ld-linux-x86-64.so.2' \) \
  -not -path '*/gconv/*' -not -name '*.so.*.*' -print | while read -r so; do
  cp -L "$so" "$lib/$(basename "$so")"
done
cp "$lib/ld-linux-x86-64.so.2" "$root/lib64/ld-linux-x86-64.so.2"
# LANG=C.UTF-8: Java 17 takes file.encoding and the file name encoding (sun.jnu.encoding) from the locale, and a
# non-ASCII file name (a files migration) would not even be listed under the ASCII default
mkdir -p "$root/usr/lib/locale"
cp -r "$unpacked/usr/lib/locale/C.utf8" "$root/usr/lib/locale/C.utf8"
rm -rf "$unpacked"
# which packages the image redistributes
mkdir -p "$root/usr/share/doc/migration-hub-base"
cp "$out/packages.txt" "$root/usr/share/doc/migration-hub-base/packages.txt"
echo "openjdk-17 $("$jdk/bin/java" -version 2>&1 | head -1)" >>"$root/usr/share/doc/migration-hub-base/packages.txt"

# 3. /etc: the hub's user (10001, group 0 so that any uid a platform assigns with gid 0 can write data/), name service
mkdir -p "$root/etc" "$root/tmp" "$root/opt/hub/config" "$root/opt/hub/routes" "$root/opt/hub/data"
printf 'root:x:0:0:root:/root:/sbin/nologin\nhub:x:10001:0:Migration Hub:/opt/hub:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
# the installation's defaults, as in a checkout (a mounted config/ replaces them)
cp "$here/../../config/application.yaml" "$root/opt/hub/config/application.yaml"

du -sh "$root" | sed 's/^/base.sh: base layer /' >&2
echo "$stamp" >"$out/.stamp"
