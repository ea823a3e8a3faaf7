#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine, then run the whole suite.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Headless Chromium for the browser tests (Debian's package; Playwright drives it).
if ! command -v chromium >/dev/null 2>&1; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

# OCR and legacy .doc (the rest of scripts/debian-packages.txt)
if ! command -v pdftoppm >/dev/null 2>&1 || ! command -v antiword >/dev/null 2>&1 \
   || ! (tesseract --list-langs 2>/dev/null | grep -qx vie); then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq $(grep -v '^#' scripts/debian-packages.txt) >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test]'
python3 -m pytest "$@"
