#!/usr/bin/env bash
# Installs Debian's Chromium for test/report.browser.test.ts when it is
# missing. No browser download: playwright-core drives the system package.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "== chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
  exit 0
fi

echo "== apt-get install chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y chromium
