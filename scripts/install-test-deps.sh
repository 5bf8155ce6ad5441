#!/usr/bin/env bash
# Installs what the test suite needs beyond the Python packages: a TrueType-outlined CJK font, so
# tests/retrieval can write a Chinese PDF with fpdf2 that pypdf reads back (fonts-noto-cjk is CFF-
# outlined: fpdf2 embeds it in a way pypdf extracts as garbage). Idempotent: exits 0 at once when such
# a font is present. Needs root (CI runs as root); only the Debian package mirrors are used.
set -euo pipefail

have_truetype_cjk() {
    command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list ':lang=zh:fontformat=TrueType' file 2>/dev/null)" ]
}

if have_truetype_cjk; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-deps.sh: no TrueType CJK font found; run this script as root" \
         "(or: sudo apt-get install fonts-wqy-zenhei fontconfig)." >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends fonts-wqy-zenhei fontconfig >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends fonts-wqy-zenhei fontconfig >/dev/null
fi

if ! have_truetype_cjk; then
    echo "install-test-deps.sh: apt-get finished but fc-list still lists no TrueType CJK font." >&2
    exit 1
fi
echo "install-test-deps.sh: $(fc-list ':lang=zh:fontformat=TrueType' family | head -n 1) is installed."
