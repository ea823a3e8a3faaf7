#!/usr/bin/env bash
# Set up everything the tests need and run the whole suite: Debian packages of scripts/debian-packages.txt (installed when root), .venv with searchsvc[test], pytest.
# Usage: bash scripts/test.sh [pytest arguments]   (from any directory; exits with pytest's code)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
say "test.sh: cài gói Debian còn thiếu (khi chạy bằng root), cài searchsvc[test] vào $venv, rồi chạy pytest."
mapfile -t debian_packages < <(package_list "$root/scripts/debian-packages.txt")
debian_install "${debian_packages[@]}"
make_venv
install_package "[test]"
cd "$root"
exec "$venv/bin/python" -m pytest "$@"
