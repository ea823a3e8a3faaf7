"""The benchmark harness: a deterministic, realistic generated corpus and a bench that runs end to end.

No timing is asserted anywhere: these tests check that the numbers exist, not what they are.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from searchsvc.metadata import PROVINCES
from searchsvc.patterns import ISSUER_CODES, TYPE_ABBREVIATIONS
from searchsvc.sections import parse_report

ROOT = Path(__file__).resolve().parent.parent
GENERATE = ROOT / "benchmarks" / "generate.py"
BENCH = ROOT / "benchmarks" / "bench.py"
FILE_NAME = re.compile(r"^\d{5}_[0-9a-f]{16}\.txt$")


def _generate(out: Path, reports: int, seed: int, hash_seed: str) -> None:
    # another PYTHONHASHSEED per run: output must not depend on set or dict-of-str ordering
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    subprocess.run([sys.executable, str(GENERATE), "--reports", str(reports), "--seed", str(seed), "--out", str(out)],
                   check=True, env=env, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    _generate(out, 30, 5, "1")
    return out


@pytest.fixture(scope="module")
def parsed(generated) -> dict:
    return {p.stem: parse_report(p.read_text(encoding="utf-8"), p.stem) for p in sorted(generated.glob("*.txt"))}


def test_same_seed_gives_identical_bytes(generated, tmp_path):
    again = tmp_path / "again"
    _generate(again, 30, 5, "2")
    first = {p.name: p.read_bytes() for p in generated.iterdir()}
    second = {p.name: p.read_bytes() for p in again.iterdir()}
    assert sorted(first) == sorted(second)
    assert first == second


def test_another_seed_gives_another_corpus(generated, tmp_path):
    other = tmp_path / "other"
    _generate(other, 3, 6, "1")
    assert not {p.name for p in other.iterdir()} & {p.name for p in generated.iterdir()}


def test_file_names_and_sizes(generated):
    paths = sorted(generated.iterdir())
    assert len(paths) == 30
    assert all(FILE_NAME.match(p.name) for p in paths), [p.name for p in paths if not FILE_NAME.match(p.name)]
    assert [p.name[:5] for p in paths] == [f"{n:05d}" for n in range(30)]
    average = sum(p.stat().st_size for p in paths) / len(paths)
    assert 35_000 < average < 70_000  # about 50 KB a report, as the brief asks


def test_reports_parse_with_metadata_sections_and_citations(parsed):
    for report_id, report in parsed.items():
        assert report.province in PROVINCES, report_id
        assert 2015 <= report.year <= 2025, report_id
        assert report.period, report_id
        assert report.report_date and report.report_date.startswith(str(report.year)), report_id
        assert len(report.sections) >= 5, report_id
        assert len([s for s in report.sections if s.level >= 2]) >= 3, report_id  # nested, not flat
        assert report.citations, report_id


def test_periods_provinces_and_years_vary(parsed):
    reports = list(parsed.values())
    assert len({r.province for r in reports}) >= 15
    assert len({r.year for r in reports}) >= 6
    assert len({r.period for r in reports}) >= 3


def test_every_footnote_format_occurs(generated):
    texts = [p.read_text(encoding="utf-8") for p in generated.iterdir()]
    assert any(re.search(r"^⁽¹⁾ ", t, re.MULTILINE) for t in texts)  # superscript, note line below
    assert any("[footnote:1]" in t and "[1: " in t for t in texts)  # inline
    assert any(re.search(r"^\[1\] ", t, re.MULTILINE) for t in texts)  # notes at the end


def test_footnotes_belong_to_sections(parsed):
    assert sum(len(s.footnotes) for r in parsed.values() for s in r.sections) >= 30


def test_citation_symbols_stay_valid(parsed):
    """Renumbering changes numbers, dates and the Quốc hội term, never the shape of a symbol."""
    type_codes = set(TYPE_ABBREVIATIONS)
    issuer_heads = {re.sub(r"\d+$", "", code) for code in ISSUER_CODES} | {"QH", "UBTVQH"}
    for report in parsed.values():
        for c in report.citations:
            assert re.sub(r"\d+$", "", c.issuer_code or "") in issuer_heads, (report.id, c.surface)
            first = re.split(r"[-/]", c.symbol)[0]
            # "NQ-CP", "NQ/TW": a type first; "UBND-NC" (a letter), "QH14" (a law): an issuer first
            assert first in type_codes or re.sub(r"\d+$", "", first) in issuer_heads, (report.id, c.surface)
            assert re.fullmatch(r"\d{2,5}(/20[0-2]\d)?", c.number), (report.id, c.surface)


def test_citations_are_dated_before_the_report(parsed):
    dated = [(r, c) for r in parsed.values() for c in r.citations if c.date]
    assert len(dated) > 100
    for report, citation in dated:
        assert citation.date <= report.report_date, (report.id, citation.surface, report.report_date)
        assert citation.year >= 2005, (report.id, citation.surface)


def test_instrument_popularity_is_skewed(parsed):
    """Zipf-like: a few instruments cited by many reports, most by one."""
    reports_citing = Counter(key for r in parsed.values() for key in {c.key for c in r.citations if c.year})
    counts = sorted(reports_citing.values(), reverse=True)
    assert counts[0] >= 3
    assert sum(1 for n in counts if n == 1) > len(counts) / 2


EXPECTED_NUMBERS = {
    # section -> keys that must hold numbers
    "corpus": ("reports", "bytes", "mb"),
    "build": ("seconds", "mb_per_s", "cpu_seconds", "reports", "sections", "citations", "instruments"),
    "index": ("bytes", "mb", "engine_mb", "reports_json_mb"),
    "cold_start": ("import_s", "open_s", "first_query_s", "process_wall_s"),
    "incremental": ("seconds", "noop_seconds", "updated"),
    "rss_mb": ("self_peak", "children_peak"),
}
LATENCY_KEYS = ("n", "p50_ms", "p95_ms", "p99_ms", "mean_ms")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def test_quick_bench_reports_every_figure():
    done = subprocess.run([sys.executable, str(BENCH), "--quick", "--json"], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["engine"] == "whoosh"
    for section, keys in EXPECTED_NUMBERS.items():
        for key in keys:
            assert _is_number(result[section][key]), (section, key, result[section].get(key))
    assert result["corpus"]["reports"] == 20
    assert result["incremental"]["updated"] == 1
    search = result["search"]
    kinds = set(search["kinds"])
    for base in ("instrument", "word", "word_folded", "phrase", "phrase_folded", "and"):
        assert {base, base + "+filter"} <= kinds  # every kind with and without a filter
    for stats in [*search["kinds"].values(), search["overall"]]:
        assert all(_is_number(stats[k]) for k in LATENCY_KEYS), stats
    http = result["http"]
    assert http["status"] in ("ok", "skipped"), http.get("reason")
    if http["status"] == "ok":
        assert http["errors"] == 0
        assert all(_is_number(http["overall"][k]) for k in LATENCY_KEYS)
    else:
        assert http["reason"]


# --- compare.py: both engines side by side ------------------------------------------------------------------
COMPARE = ROOT / "benchmarks" / "compare.py"


def _compare_module():
    """benchmarks/compare.py, imported once (it is a script, not part of the package)."""
    import importlib.util

    if "benchmarks_compare" not in sys.modules:
        spec = importlib.util.spec_from_file_location("benchmarks_compare", COMPARE)
        module = importlib.util.module_from_spec(spec)
        sys.modules["benchmarks_compare"] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules["benchmarks_compare"]


def _markdown_rows(text: str, heading: str) -> list[dict[str, str]]:
    """The rows of the first markdown table after ``heading``, as {column: cell}."""
    lines = text[text.index(heading):].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| "))
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in line.strip("|").split("|")])
    head, body = table[0], table[2:]  # table[1] is the alignment row
    return [dict(zip(head, cells)) for cells in body]


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """One quick comparison (20 reports, both engines, no HTTP), its runs saved in a folder."""
    out = tmp_path_factory.mktemp("compare")
    done = subprocess.run([sys.executable, str(COMPARE), "--quick", "--no-http", "--out", str(out)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return out, done


def test_compare_quick_has_one_row_of_numbers_per_engine(compared):
    out, done = compared
    rows = _markdown_rows(done.stdout, "### Measured")
    assert [(r["reports"], r["engine"]) for r in rows] == [("20", "whoosh"), ("20", "tantivy")]
    measured = ("MB", "sections", "p50 ms", "p95 ms", "p99 ms", "build MB/s", "build MB/CPU-s", "index MB",
                "open+1st query s", "incremental s", "bench RSS MB")
    for row in rows:
        for column in measured:
            assert float(row[column]) >= 0, (row["engine"], column, row[column])
        assert (row["HTTP p50 ms"], row["HTTP p95 ms"], row["worker RSS MB"]) == ("–", "–", "–")  # --no-http
        assert re.fullmatch(r"[\d.]+ → [\d.]+", row["load avg start → end"])
    assert sorted(p.name for p in out.glob("*.json")) == ["20-tantivy.json", "20-whoosh.json"]
    baseline = _markdown_rows(done.stdout, "### The issue's baseline")
    assert [r["source"] for r in baseline] == ["issue"] * 3  # nothing measured at 2,000 reports here
    targets = _markdown_rows(done.stdout, "### Targets")
    assert {r["status"] for r in targets} == {"not measured"}  # the targets are at 2,000 and 10,000
    growth = _markdown_rows(done.stdout, "### Growth")
    assert {r["engine"] for r in growth} == {"whoosh", "tantivy"}


def test_compare_table_only_reproduces_the_table(compared):
    out, done = compared
    again = subprocess.run([sys.executable, str(COMPARE), "--table-only", str(out)], capture_output=True, text=True,
                           timeout=60, cwd=ROOT)
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stdout == done.stdout
    assert (out / "table.md").read_text(encoding="utf-8") == done.stdout


def test_compare_does_not_rerun_saved_runs(compared):
    out, done = compared
    again = subprocess.run([sys.executable, str(COMPARE), "--quick", "--no-http", "--out", str(out)],
                           capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stderr.count("not run again") == 2
    assert again.stdout == done.stdout


@pytest.mark.parametrize("change, problem", [
    (None, None),  # the corpus generate.py writes for these arguments
    ("seed", "not in seed 2's"),  # another seed: other file names
    ("extra", "not in seed 1's"),  # a file the generator did not write
    ("missing", "missing"),
    ("edited", "differs"),  # same names, other bytes in a sampled report (the middle one)
])
def test_compare_checks_a_corpus_before_reusing_it(tmp_path, change, problem):
    compare = _compare_module()
    paths = compare.generate.generate(6, 1, tmp_path)
    if change == "extra":
        (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    elif change == "missing":
        paths[-1].unlink()
    elif change == "edited":
        paths[3].write_bytes(paths[3].read_bytes() + b"\n")
    found = compare.check_corpus(tmp_path, 6, 2 if change == "seed" else 1)
    assert (found is None) if problem is None else (problem in found), found


@pytest.mark.parametrize("figures, status", [
    ({"p95_ms": 90.0}, "met"),
    ({"p95_ms": 100.0}, "met"),  # the limit itself meets "≤ 100 ms"
    ({"p95_ms": 140.0}, "not met"),
    ({}, "not measured"),  # a row without the figure
    (None, "not measured"),  # no 2,000-report row at all
])
def test_compare_judges_a_target(figures, status):
    compare = _compare_module()
    rows = [] if figures is None else [compare.Row(2000, "whoosh", **figures)]
    verdict = next(v for v in compare.judge(rows) if (v.target.engine, v.target.label) == ("whoosh", "search p95"))
    assert verdict.status == status


def test_compare_rss_target_is_the_serving_worker():
    compare = _compare_module()
    rows = [compare.Row(2000, "tantivy", worker_rss_mb=180.0, bench_rss_mb=420.0, build_mb_s=5.0)]
    verdicts = {v.target.label: v for v in compare.judge(rows) if v.target.engine == "tantivy" and v.target.size == 2000}
    assert (verdicts["serving RSS"].value, verdicts["serving RSS"].status) == (180.0, "met")
    assert verdicts["build"].status == "met"  # "≥ 5 MB/s" at exactly 5


@pytest.mark.parametrize("argv, expected", [
    ([], [(50, ["whoosh", "tantivy"]), (500, ["whoosh", "tantivy"]), (2000, ["whoosh", "tantivy"])]),
    (["--tantivy-sizes", "10000"], [(50, ["whoosh", "tantivy"]), (500, ["whoosh", "tantivy"]),
                                    (2000, ["whoosh", "tantivy"]), (10000, ["tantivy"])]),
    (["--sizes", "500", "--engines", "whoosh", "--tantivy-sizes", "500,2000"],  # Tantivy joins at 500
     [(500, ["whoosh", "tantivy"]), (2000, ["tantivy"])]),
    (["--quick"], [(20, ["whoosh", "tantivy"])]),
    (["--quick", "--engines", "tantivy"], [(20, ["tantivy"])]),
])
def test_compare_plans_sizes_and_engines(argv, expected):
    compare = _compare_module()
    assert compare.plan(compare.parse_args(argv)) == expected


ANCHORS = ROOT / "benchmarks" / "anchors.py"
SYSTEMS = ("searchsvc whoosh", "searchsvc tantivy", "searchsvc whoosh by report", "searchsvc tantivy by report",
           "raw tantivy", "plain whoosh", "sqlite fts5")


def test_anchors_run_every_system_on_the_same_mix_and_print_the_ratio_table(tmp_path):
    run = subprocess.run([sys.executable, str(ANCHORS), "--quick", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads((tmp_path / "20.json").read_text())
    assert list(result["systems"]) == list(SYSTEMS)
    counts = {name: system["overall"]["n"] for name, system in result["systems"].items()}
    assert len(set(counts.values())) == 1 and counts["raw tantivy"] == result["queries"], counts
    for name in SYSTEMS:
        assert f"| 20 | {name} |" in run.stdout
    # the reference row is raw Tantivy itself
    assert re.search(r"\| 20 \| raw tantivy \|[^\n]*\| 1\.0× \| 1\.0× \|", run.stdout), run.stdout
    again = subprocess.run([sys.executable, str(ANCHORS), "--table-only", str(tmp_path)],
                           capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert again.returncode == 0 and "| 20 | sqlite fts5 |" in again.stdout


def test_anchor_query_text_keeps_phrases_and_drops_the_operator():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import anchors

    cases = [  # (query as the mix writes it, groups every anchor must require)
        ('"đầu tư công" AND "giải ngân"', [["đầu", "tư", "công"], ["giải", "ngân"]]),
        ("giải ngân vốn", [["giải"], ["ngân"], ["vốn"]]),
        ("Nghị quyết 84/NQ-CP", [["nghị"], ["quyết"], ["84", "nq", "cp"]]),  # a code is a phrase of its parts
    ]
    for q, groups in cases:
        assert anchors.terms_of({"q": q, "filters": {}}) == groups
    assert anchors._fts_text([["a", "b"], ["c"]]) == '"a b" AND "c"'
    assert anchors._tantivy_text([["a", "b"], ["c"]]) == '+"a b" +c'


def test_anchor_systems_named_run_in_table_order_with_their_engine():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import anchors

    cases = [  # (--systems, systems run)
        (None, list(SYSTEMS)),
        ("raw tantivy,searchsvc tantivy", ["searchsvc tantivy", "raw tantivy"]),  # the table's order, not the flag's
        ("searchsvc whoosh by report", ["searchsvc whoosh", "searchsvc whoosh by report"]),  # a grouped view needs its index
    ]
    for listed, expected in cases:
        assert anchors.chosen_systems(listed) == expected
    with pytest.raises(SystemExit, match="unknown systems: lucene"):
        anchors.chosen_systems("lucene,raw tantivy")
