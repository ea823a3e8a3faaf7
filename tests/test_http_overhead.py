"""benchmarks/http_overhead.py runs end to end: a generated corpus, its index, a real
``searchsvc serve``, and a table of both views. Nothing here looks at how fast anything is."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from searchsvc.indexing import build_index

ROOT = Path(__file__).resolve().parent.parent
GENERATE = ROOT / "benchmarks" / "generate.py"
HTTP_OVERHEAD = ROOT / "benchmarks" / "http_overhead.py"
NUMBER = r"(-?\d+\.\d\d)"


def test_http_overhead_prints_both_views(tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    subprocess.run([sys.executable, str(GENERATE), "--reports", "12", "--seed", "3", "--out", str(corpus)],
                   check=True, capture_output=True, timeout=300)
    build_index(corpus, index)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, str(HTTP_OVERHEAD), "--index", str(index), "--corpus", str(corpus),
                           "--per-kind", "1", "--passes", "1"], capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    # 8 kinds of query, each with and without a filter
    assert re.search(r"^16 queries × 1 passes, server ready in \d+\.\d+ s$", done.stdout, re.MULTILINE)
    for view in ("JSON /api/search", "HTML /"):
        row = re.search(rf"^\| {re.escape(view)} \|" + r" \|".join([f" {NUMBER}"] * 8) + r" \|$", done.stdout, re.MULTILINE)
        assert row, done.stdout
        direct_p50, served_p50, direct_p95, served_p95 = map(float, row.groups()[:4])
        assert 0 < direct_p50 <= direct_p95 and 0 < served_p50 <= served_p95
