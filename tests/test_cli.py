"""The command line, run as a user runs it (a subprocess), on the seed corpus."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.data import expected_seeds as expected

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(str(p) for p in (ROOT / "corpus").glob("*.txt"))


def cli(*args, check=True):
    result = subprocess.run([sys.executable, "-m", "searchsvc.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_parse_outline():
    out = cli("parse", *SEEDS).stdout
    for report_id in expected.REPORT_IDS:
        assert report_id in out
    assert "tỉnh: Bắc Giang | năm: 2020 | kỳ: 6 tháng đầu năm" in out
    assert "Phần thứ nhất" in out


def test_parse_json_contract():
    data = json.loads(cli("parse", SEEDS[2], "--json").stdout)
    assert {"id", "title", "province", "year", "period", "report_date", "doc_number", "issuer", "sections", "citations"} <= set(data)
    section = data["sections"][1]
    assert {"id", "path", "label", "heading", "level", "start_line", "end_line", "text", "footnotes"} <= set(section)
    several = json.loads(cli("parse", *SEEDS[:2], "--json").stdout)
    assert isinstance(several, list) and [r["id"] for r in several] == expected.REPORT_IDS[:2]


def test_citations_json_contract():
    rows = json.loads(cli("citations", *SEEDS, "--json").stdout)
    keys = {"doc", "section_id", "line", "surface", "type", "number", "symbol", "canonical", "date", "year", "issuer", "title"}
    assert all(set(row) == keys for row in rows)
    found = [(r["doc"], r["line"], r["canonical"], r["date"]) for r in rows]
    wanted = [(doc, line, canonical, date) for doc in expected.REPORT_IDS for line, canonical, date in expected.MENTIONS[doc]]
    assert found == wanted


def test_bad_file_is_reported_and_the_rest_parsed(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"")
    result = cli("citations", str(broken), SEEDS[0], check=False)
    assert result.returncode == 0
    assert "broken.txt" in result.stderr
    assert "01/NQ-CP" in result.stdout
    only_bad = cli("parse", str(tmp_path / "missing.txt"), check=False)
    assert only_bad.returncode == 1 and "missing.txt" in only_bad.stderr


def test_search_text_and_json(seed_index_dir):
    text = cli("search", "Nghị quyết 84/NQ-CP", "--index", str(seed_index_dir)).stdout
    assert text.startswith("3 báo cáo, 3 đoạn")
    data = json.loads(cli("search", "covid", "--index", str(seed_index_dir), "--province", "Bắc Giang", "--json").stdout)
    assert {"query", "total", "total_reports", "took_ms", "hits", "facets", "suggestion", "warnings"} <= set(data)
    assert {h["report_id"] for h in data["hits"]} == {"002_acdedd4f53924217"}


def test_search_by_report_and_only_citing_sections(seed_index_dir):
    # 000's annex caption names it "Báo cáo số 165 /BC-UBND": its own number finds it, first
    rows = cli("search", "165/BC-UBND", "--index", str(seed_index_dir), "--group", "report").stdout
    assert rows.splitlines()[2].startswith("1. ") and "Bình Dương" in rows.splitlines()[2]
    args = ["search", "đầu tư", "--index", str(seed_index_dir), "--instrument", "84/NQ-CP", "--limit", "100", "--json"]
    reports = json.loads(cli(*args).stdout)
    sections = json.loads(cli(*args, "--citing-sections").stdout)
    # 004 cites it in a paragraph that never says "đầu tư": only the citing sections leave it out
    assert {h["report_id"] for h in reports["hits"]} == {"000_bbd1df693d80d1cb", "002_acdedd4f53924217", "004_41c8df0f7ff6743b"}
    assert {h["report_id"] for h in sections["hits"]} == {"000_bbd1df693d80d1cb", "002_acdedd4f53924217"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["search", "x" * 2000], "vượt giới hạn"),  # too long
        (["search", "covid", "--year", "abc"], "Năm không hợp lệ"),  # bad filter
    ],
)
def test_search_errors_exit_1_with_a_hint(seed_index_dir, args, message):
    result = cli(*args, "--index", str(seed_index_dir), check=False)
    assert result.returncode == 1
    assert message in result.stderr


def test_search_without_index_says_how_to_build_one(tmp_path):
    result = cli("search", "covid", "--index", str(tmp_path / "none"), check=False)
    assert result.returncode == 1 and "searchsvc index" in result.stderr
