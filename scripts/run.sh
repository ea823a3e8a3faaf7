#!/usr/bin/env bash
# Install searchsvc and serve the sample corpus (indexing it first when there is no index).
# Usage: bash scripts/run.sh [--host 0.0.0.0] [--port 8000] [--workers N]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -e .
exec searchsvc serve --corpus corpus --index index "$@"
