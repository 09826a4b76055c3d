#!/usr/bin/env bash
# Headless Chromium and its WebDriver for ReportInChromiumIT (the HTML report in a browser): Debian's chromium and
# chromium-driver. Idempotent: installs only what is missing (as root; the IT, @Needs(CHROMIUM), runs this when either
# is missing).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "$ME: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) and chromedriver present"
  exit 0
fi
become_root "installing Debian's chromium and chromium-driver"
apt_install --no-install-recommends chromium chromium-driver
/usr/bin/chromium --version
