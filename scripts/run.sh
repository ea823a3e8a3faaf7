#!/usr/bin/env bash
# Serve the sample corpus: install searchsvc into .venv (made once, then reused), index corpus/ into index/ if there is no index yet, serve on http://127.0.0.1:8000/.
# Usage: bash scripts/run.sh [--host 0.0.0.0] [--port 8000] [--workers N] [--quiet]   (from any directory)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
say "run.sh: cài searchsvc vào $venv (nếu cần), lập chỉ mục corpus/ nếu chưa có, rồi chạy máy chủ web."
make_venv
install_package ""
exec "$venv/bin/searchsvc" serve --corpus "$root/corpus" --index "$root/index" "$@"
