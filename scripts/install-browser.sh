#!/usr/bin/env bash
# Installs what the browser tests (tests/web) need: Debian's Chromium, its matching chromedriver and
# a CJK font so Chinese text renders in screenshots. Idempotent: exits 0 at once when all are present.
# Needs root (CI runs as root); nothing is downloaded outside the Debian package mirrors.
set -euo pipefail

have_browser() { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }
have_cjk_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]; }

if have_browser && have_cjk_font; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    if have_browser; then
        # The tests still pass without the font; only Chinese text in screenshots turns into boxes.
        echo "install-browser.sh: no CJK font, so screenshots will show boxes for Chinese text;" \
             "install one with: sudo apt-get install fonts-noto-cjk" >&2
        exit 0
    fi
    echo "install-browser.sh: /usr/bin/chromium or /usr/bin/chromedriver is missing; run this script as root" \
         "(or: sudo apt-get install chromium chromium-driver fonts-noto-cjk)." >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-noto-cjk fontconfig >/dev/null

if ! have_browser; then
    echo "install-browser.sh: apt-get finished but /usr/bin/chromium or /usr/bin/chromedriver is still missing." >&2
    exit 1
fi
echo "install-browser.sh: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) and chromedriver are installed."
