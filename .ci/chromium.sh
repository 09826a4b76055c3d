#!/usr/bin/env bash
# Headless Chromium and its WebDriver for ReportInChromiumIT (the HTML report in a browser): Debian's chromium and
# chromium-driver. Idempotent: installs only what is missing; refreshes the package lists only if the install fails.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "chromium.sh: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) and chromedriver present"
  exit 0
fi
echo "chromium.sh: installing chromium and chromium-driver" >&2
install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver; }
install >/dev/null 2>&1 || { apt-get update -q >/dev/null; install >/dev/null; }
/usr/bin/chromium --version
