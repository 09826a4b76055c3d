#!/usr/bin/env bash
# Checks that the image tar really works, without a container engine: unpacks its layers into a root directory and
# runs the image's own entrypoint there as the image's user (10001:0), in fresh mount, PID and network namespaces
# (util-linux unshare, chroot through unshare --root; needs root):
#   1. the image's configuration: user, exposed management port, volumes, environment;
#   2. `--version`;
#   3. a reading command, `status --ledger`, which starts the hub's Spring context and creates its H2 ledger in
#      /opt/hub/data (the volume must be writable by the image's user);
#   4. a serving hub (`run routes/`, the image's default command) with the management settings of compose.yaml
#      (TLS on 0.0.0.0, users with password files, the secrets of docker/secrets.sh in /run/secrets): the health check
#      of compose.yaml and k8s/migration-hub.yaml (ops/LivenessProbe) finds it UP, and a scrape as Prometheus does it
#      (https://hub-1:9090/actuator/prometheus, user prometheus, the certificate as CA) gets the hub's meters.
#
#   docker/image/verify.sh [target/migration-hub-image.tar]
set -euo pipefail
cd "$(dirname "$0")/../.."
tar="${1:-target/migration-hub-image.tar}"
[ -f "$tar" ] || { echo "verify.sh: no $tar; build it: mvn -B -ntp -Pimage -DskipTests package" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "verify.sh: needs root (namespaces and chroot): sudo $0 $*" >&2; exit 1; }
for tool in jq unshare setpriv ip curl openssl; do
  command -v "$tool" >/dev/null || { echo "verify.sh: $tool is missing: apt-get install jq util-linux iproute2 curl openssl" >&2; exit 1; }
done

work="$(mktemp -d /tmp/hub-image-verify.XXXXXX)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work" # the image's user must reach its root
fail() { echo "verify.sh: FAILED: $*" >&2; exit 1; }

mkdir -p "$work/tar" "$work/root"
tar -xf "$tar" -C "$work/tar"
blob() { echo "$work/tar/blobs/${1/://}"; }
if [ -f "$work/tar/index.json" ]; then          # OCI image layout (Jib's OCI format)
  manifest="$(blob "$(jq -r '.manifests[0].digest' "$work/tar/index.json")")"
  config="$(blob "$(jq -r '.config.digest' "$manifest")")"
  mapfile -t layers < <(jq -r '.layers[].digest' "$manifest" | while read -r d; do blob "$d"; done)
else                                             # docker save format
  config="$work/tar/$(jq -r '.[0].Config' "$work/tar/manifest.json")"
  mapfile -t layers < <(jq -r '.[0].Layers[]' "$work/tar/manifest.json" | sed "s|^|$work/tar/|")
fi
for layer in "${layers[@]}"; do
  tar -xzf "$layer" -C "$work/root" --numeric-owner --same-owner --same-permissions --warning=no-unknown-keyword
done
root="$work/root"

# 1. the configuration
c() { jq -r ".config$1" "$config"; }
[ "$(c .User)" = "10001:0" ] || fail "user is '$(c .User)', not 10001:0"
c '.ExposedPorts | keys[]' | grep -qx '9090/tcp' || fail "the management port 9090 is not exposed: $(c .ExposedPorts)"
for v in /opt/hub/config /opt/hub/routes /opt/hub/data; do
  c '.Volumes | keys[]' | grep -qx "$v" || fail "no volume $v: $(c .Volumes)"
done
workdir="$(c .WorkingDir)"
[ "$workdir" = /opt/hub ] || fail "working directory is '$workdir', not /opt/hub (config/, routes/ and data/ are read from it)"
mapfile -t entrypoint < <(c '.Entrypoint[]')
mapfile -t cmd < <(c '.Cmd[]')
mapfile -t environment < <(c '.Env[]')
[ "$(stat -c %a "$root/opt/hub/data")" = 775 ] || fail "/opt/hub/data is $(stat -c %a "$root/opt/hub/data"), not 775"
echo "verify.sh: ${#layers[@]} layers, $(du -sh "$root" | cut -f1) unpacked; entrypoint: ${entrypoint[*]}; cmd: ${cmd[*]}"

# runs a command line in the image's root as its user; the caller's shell is in the namespaces made below
cat >"$work/in-image.sh" <<'EOF'
#!/usr/bin/env bash
# in-image.sh ROOT WORKDIR ENVFILE ARGS...: the image's environment only, its user, its root and working directory
root="$1" workdir="$2" envfile="$3"; shift 3
mapfile -t environment <"$envfile"
exec /usr/bin/env -i "${environment[@]}" SETPRIV --reuid=10001 --regid=0 --clear-groups --inh-caps=+sys_chroot \
  --ambient-caps=+sys_chroot UNSHARE --root="$root" --wd="$workdir" "$@"
EOF
sed -i "s|SETPRIV|$(command -v setpriv)|; s|UNSHARE|$(command -v unshare)|" "$work/in-image.sh"
chmod +x "$work/in-image.sh"
printf '%s\n' "${environment[@]}" >"$work/env"
probe=(/opt/java/bin/java -cp /opt/hub/app/classes id.go.pdn.hub.ops.LivenessProbe)
# the management settings of docker/compose.yaml (ComposeConsistencyTest keeps that file in line with the hub);
# the ledger stays the image's H2 file and the broker embedded: no PostgreSQL or Artemis is needed here
docker/secrets.sh "$work/secrets" >/dev/null
mkdir -p "$root/run/secrets"
for f in hub-operator-password hub-prometheus-password hub-tls-certificate hub-tls-private-key; do
  cp "$work/secrets/$f" "$root/run/secrets/$f"
done
cp "$work/env" "$work/env-serve"
cat >>"$work/env-serve" <<'EOF'
SPRING_CONFIG_IMPORT=optional:configtree:/run/secrets/
HUB_MANAGEMENT_PORT=9090
MANAGEMENT_SERVER_ADDRESS=0.0.0.0
MANAGEMENT_SERVER_SSL_ENABLED=true
MANAGEMENT_SERVER_SSL_CERTIFICATE=file:/run/secrets/hub-tls-certificate
MANAGEMENT_SERVER_SSL_CERTIFICATE_PRIVATE_KEY=file:/run/secrets/hub-tls-private-key
HUB_MANAGEMENT_USERS_OPERATOR_ROLE=operator
HUB_MANAGEMENT_USERS_OPERATOR_PASSWORD_FILE=/run/secrets/hub-operator-password
HUB_MANAGEMENT_USERS_PROMETHEUS_ROLE=viewer
HUB_MANAGEMENT_USERS_PROMETHEUS_PASSWORD_FILE=/run/secrets/hub-prometheus-password
HUB_MANAGEMENT_ALLOWED_HOSTS=hub-1
EOF

cat >"$work/checks.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
mkdir -p "$root/proc" "$root/dev"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
ip link set lo up
# what a container runtime gives every container: its host name, and /etc/hosts naming it
hostname hub-verify
printf '127.0.0.1 localhost hub-verify\n::1 localhost ip6-localhost\n' >"$root/etc/hosts"
run() { "$work/in-image.sh" "$root" "$workdir" "$work/env" "\$@"; }
serving() { "$work/in-image.sh" "$root" "$workdir" "$work/env-serve" "\$@"; }

# 2. --version
version="\$(run $(printf '%q ' "${entrypoint[@]}") --version 2>&1)" || { echo "\$version"; exit 1; }
echo "verify.sh: --version: \$version"
[[ "\$version" == "Migration Hub "* ]] || { echo "verify.sh: FAILED: --version printed: \$version" >&2; exit 1; }

# 3. a reading command: the Spring context, the ledger created in the data volume
start=\$(date +%s%N)
run $(printf '%q ' "${entrypoint[@]}") status --ledger >"$work/status.log" 2>&1 \
  || { cat "$work/status.log"; echo "verify.sh: FAILED: status --ledger" >&2; exit 1; }
echo "verify.sh: status --ledger: exit 0 in \$(( (\$(date +%s%N) - start) / 1000000 )) ms: \$(head -1 "$work/status.log")"
[ -n "\$(find "$root/opt/hub/data/ledger" -name '*.mv.db' -uid 10001)" ] \
  || { echo "verify.sh: FAILED: no ledger of user 10001 in /opt/hub/data/ledger" >&2; exit 1; }

# 4. the image's default command serves as in compose.yaml; the health check finds it UP; Prometheus's scrape works
serving $(printf '%q ' "${entrypoint[@]}" "${cmd[@]}") >"$work/serve.log" 2>&1 &
hub=\$!
start=\$(date +%s%N)
# wait for the port with the shell (a JVM per try would slow the hub's own start on a small machine)
for i in \$(seq 1 300); do
  (exec 3<>/dev/tcp/127.0.0.1/9090) 2>/dev/null && break
  kill -0 \$hub 2>/dev/null || { cat "$work/serve.log"; echo "verify.sh: FAILED: the serving hub exited" >&2; exit 1; }
  sleep 0.5
done
for i in \$(seq 1 20); do
  if serving $(printf '%q ' "${probe[@]}") >"$work/probe.log" 2>&1; then
    echo "verify.sh: serving hub UP after \$(( (\$(date +%s%N) - start) / 1000000 )) ms: \$(cat "$work/probe.log")"
    metrics="\$(curl -sS --fail --cacert "$work/secrets/hub-tls-certificate" --resolve hub-1:9090:127.0.0.1 \
      -u "prometheus:\$(cat "$work/secrets/hub-prometheus-password")" https://hub-1:9090/actuator/prometheus)" \
      || { cat "$work/serve.log"; echo "verify.sh: FAILED: Prometheus's scrape of https://hub-1:9090/actuator/prometheus" >&2; exit 1; }
    grep -q '^hub_workers{state="configured"} ' <<<"\$metrics" \
      || { echo "verify.sh: FAILED: no hub_workers in the scrape" >&2; exit 1; }
    echo "verify.sh: scrape as Prometheus (TLS, user prometheus): \$(grep -c '^[a-z]' <<<"\$metrics") samples, \$(grep '^hub_workers{state="configured"}' <<<"\$metrics")"
    # without a login the scrape is refused (only the liveness probe answers anyone)
    code="\$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/secrets/hub-tls-certificate" --resolve hub-1:9090:127.0.0.1 https://hub-1:9090/actuator/prometheus)"
    [ "\$code" = 401 ] || { echo "verify.sh: FAILED: the scrape without a login got HTTP \$code, not 401" >&2; exit 1; }
    kill -TERM \$hub; wait \$hub || true
    exit 0
  fi
  kill -0 \$hub 2>/dev/null || { cat "$work/serve.log"; echo "verify.sh: FAILED: the serving hub exited" >&2; exit 1; }
  sleep 0.5
done
cat "$work/serve.log" "$work/probe.log"; echo "verify.sh: FAILED: the health check never answered UP" >&2; exit 1
EOF
chmod +x "$work/checks.sh"
# own mount (proc, /dev), PID (no process outlives the check), network (the port cannot clash) and host name namespaces
unshare --mount --propagation private --pid --fork --net --uts "$work/checks.sh"
echo "verify.sh: OK: $tar ($(du -h "$tar" | cut -f1))"
