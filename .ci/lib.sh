# Sourced by the .ci scripts: root and Debian packages, without ever waiting for a password or hanging on a lock.
# (The tests run these scripts too, through src/test/java/id/go/pdn/hub/support/ExternalServers.java.)

ME=$(basename "$0")

# become_root WHAT ARGS...: root goes on; otherwise the script runs again through password-less sudo (keeping the
# settings of the private servers), or stops saying what to run.
become_root() {
  local what=$1; shift
  [ "$(id -u)" = 0 ] && return 0
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    exec sudo -n --preserve-env=HUB_SSHD_DIR,HUB_SSHD_PORT,HUB_SSHD_USER,DOVECOT_ROOT,DOVECOT_SRC_PORT,DOVECOT_TGT_PORT,HUB_FTPD_DIR,HUB_FTPD_PORT,HUB_FTPD_IMPLICIT_PORT,HUB_FTPD_USER,HUB_ARTEMIS_DIR,HUB_ARTEMIS_PORT,HUB_ARTEMIS_PAIR_PORT "$0" "$@"
  fi
  echo "$ME: $what needs root, and $(id -un) is not root and has no password-less sudo: run 'sudo $0${*:+ $*}' once, then the tests again" >&2
  exit 1
}

# apt_install PACKAGE...: installs Debian packages (as root: call become_root first); refreshes the package lists only
# if the first try fails; waits at most 5 minutes for another apt-get's lock; on failure shows apt-get's last lines.
apt_install() {
  echo "$ME: installing $* (Debian packages, apt-get)" >&2
  local log apt
  log=$(mktemp)
  apt=(env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=300)
  if ! "${apt[@]}" install "$@" >"$log" 2>&1; then
    "${apt[@]}" update >>"$log" 2>&1 || true
    if ! "${apt[@]}" install "$@" >>"$log" 2>&1; then
      tail -n 15 "$log" >&2
      rm -f "$log"
      echo "$ME: cannot install $*: apt-get failed (above); install them by hand or fix the package sources" >&2
      return 1
    fi
  fi
  rm -f "$log"
}

# alive PIDFILE NAME: the process in PIDFILE runs and is NAME (also for a process of another user, which kill -0 cannot
# probe without root; and a stale pid file whose number was reused is not taken for the server).
alive() {
  [ -s "$1" ] && [ "$(cat "/proc/$(cat "$1")/comm" 2>/dev/null)" = "$2" ]
}
