"""The relevance test set (tests/data/relevance.py), scored on both engines: the reports found
against the reports judged relevant by reading, and every snippet shown checked for marks that are
not query words, repeated text and markup. Figures are written to tests/artifacts/ for a person.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from searchsvc.engine import SearchIndex
from searchsvc.indexing import build_index
from searchsvc.models import SearchRequest
from searchsvc.normalize import TOKEN_RE, exact_form, fold
from searchsvc.query import parse_query
from searchsvc.searching import search
from tests.data.relevance import QUERIES, REALDOCS_JUDGED

ROOT = Path(__file__).resolve().parent.parent
REALDOCS = ROOT.parent / "shared" / "realdocs"
ARTIFACTS = ROOT / "tests" / "artifacts"
GENERATE = ROOT / "benchmarks" / "generate.py"
MARK = re.compile(r"<mark\b[^>]*>(.*?)</mark>")  # report pages give each mark an anchor id
MARKUP = re.compile(r"\[footnote|\[\d+\s*:|⁽|\*\*|<(?!/?mark>)", re.IGNORECASE)
NOTES = re.compile(r"\*+|\[\s*\d+\s*:[^\]]*\]|\[(?:footnote(?:ref)?:)?\d+\]|⁽[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾", re.IGNORECASE)
FIGURES: dict[str, dict] = {}


@pytest.fixture(scope="session")
def realdocs_index(tmp_path_factory, engine):
    corpus = tmp_path_factory.mktemp("realdocs")
    for name in REALDOCS_JUDGED:
        shutil.copy(REALDOCS / name, corpus / name)
    index_dir = tmp_path_factory.mktemp(f"realdocs-index-{engine}")
    build_index(corpus, index_dir, engine=engine)
    index = SearchIndex(index_dir)
    yield index, corpus
    index.close()


@pytest.fixture(scope="session")
def generated_index(tmp_path_factory, engine):
    corpus = tmp_path_factory.mktemp("generated-30")
    subprocess.run([sys.executable, str(GENERATE), "--reports", "30", "--seed", "7", "--out", str(corpus)],
                   check=True, capture_output=True, timeout=300, env=dict(os.environ, PYTHONHASHSEED="0"))
    index_dir = tmp_path_factory.mktemp(f"generated-index-{engine}")
    build_index(corpus, index_dir, engine=engine)
    index = SearchIndex(index_dir)
    yield index, corpus
    index.close()


def _corpus(request, name):
    if name == "seeds":
        return request.getfixturevalue("seed_index"), ROOT / "corpus"
    return request.getfixturevalue(f"{name}_index")


def _relevant(corpus: Path, ids: list[str], relevant, needle: str) -> set[str]:
    """Report ids of the judged reports (named by the start of their file name), or, for the
    generated corpus, of the files whose text holds ``needle``."""
    if relevant is not None:
        return {i for i in ids if any(i.startswith(r) for r in relevant)}
    pattern = re.compile(needle)
    return {p.stem for p in corpus.glob("*.txt") if pattern.search(p.read_text(encoding="utf-8"))}


def snippet_problems(index: SearchIndex, q: str, rows) -> list[str]:
    """Marks that are not query words (or not the spelling typed where the section has it),
    text shown twice that the section has once, and raw footnote or emphasis markup."""
    matches = parse_query(q).matches()
    problems = []
    for row in rows:
        report = index.report(row.report_id)
        # a section as indexed: its text and its footnotes' notes
        texts = {s["id"]: "\n".join([s["text"], *(n["text"] for n in s["footnotes"])]) for s in report["sections"]}
        for hit in row.sections:
            text = texts[hit.section_id]
            words = {exact_form(t) for t in TOKEN_RE.findall(text)}
            where = f"{q!r} {hit.report_id}#{hit.section_id}"
            if MARKUP.search(hit.snippet):
                problems.append(f"{where}: markup in {hit.snippet[:120]!r}")
            for marked in MARK.findall(hit.snippet):
                for token in TOKEN_RE.findall(html.unescape(marked)):
                    if not _allowed(token, matches, words):
                        problems.append(f"{where}: marked {token!r}")
            pieces = [p.split() for p in html.unescape(MARK.sub(r"\1", hit.snippet)).split("…")]
            grams = [" ".join(p[i : i + 6]) for p in pieces for i in range(len(p) - 5)]
            body = " ".join(NOTES.sub("", text).split())  # the section as a reader sees it, notes apart
            repeated = [g for g in dict.fromkeys(grams) if grams.count(g) > body.count(g)]
            if repeated:
                problems.append(f"{where}: repeats {repeated[0]!r}")
    return problems


def _allowed(token: str, matches, words: set[str]) -> bool:
    folded = fold(token)
    for match in matches:
        for i, form in enumerate(match.folded):
            whole = folded == form
            part = not match.whole and "/" not in token and form in re.findall(r"[^\W_]+", folded)
            if not (whole or part):
                continue
            if whole and match.exact is not None and match.exact[i] in words:
                if exact_form(token) != match.exact[i]:
                    continue  # the section has the spelling typed: only that one may be marked
            return True
    return False


@pytest.mark.parametrize("corpus, q, kind, relevant, why", QUERIES, ids=[f"{c}:{q}" for c, q, *_ in QUERIES])
def test_relevance(request, engine, corpus, q, kind, relevant, why):
    index, folder = _corpus(request, corpus)
    results = search(index, SearchRequest(q=q, group="report", per_page=100))
    # a report folded under another of the same content is shown too (linked under that row)
    found = [i for r in results.reports for i in (r.report_id, *(s["report_id"] for s in r.same_content))]
    wanted = _relevant(folder, index.report_ids(), relevant, why)
    assert wanted, f"no report judged relevant for {q!r}"
    ranks = [found.index(r) + 1 for r in wanted if r in found]
    FIGURES.setdefault(engine, {})[f"{corpus}:{q}"] = {
        "kind": kind, "relevant": len(wanted), "found": len(found), "relevant_found": len(ranks),
        "last_relevant_rank": max(ranks, default=None),
        "precision_at_5": sum(1 for r in found[:5] if r in wanted) / min(5, len(found)) if found else 0.0,
    }
    _write_figures(engine)
    if kind == "exact":
        assert set(found) == wanted, why
    elif kind == "first":
        assert found and found[0] in wanted, why
    else:
        assert wanted <= set(found), f"{why}: missing {sorted(wanted - set(found))}"
    assert snippet_problems(index, q, results.reports[:10]) == []


def test_near_identical_sections_are_folded_on_the_generated_corpus(generated_index):
    """A paragraph copied across provinces is one row with "và N báo cáo khác cùng nội dung"."""
    index, _ = generated_index
    rows = search(index, SearchRequest(q="giải ngân vốn đầu tư công", group="report")).reports
    assert len(rows) == 10 and sum(len(r.same_content) for r in rows) > 0
    ids = [r.report_id for r in rows] + [s["report_id"] for r in rows for s in r.same_content]
    assert len(ids) == len(set(ids))  # a report is shown once


def _write_figures(engine: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"relevance-{engine}.json").write_text(json.dumps(FIGURES[engine], ensure_ascii=False, indent=1), encoding="utf-8")


# Twelve everyday queries typed with diacritics (the "done when"): snippets and report pages
EVERYDAY = ["giải ngân vốn đầu tư công", "phòng, chống dịch Covid-19", "cải cách hành chính", "chuyển đổi số",
            "an sinh xã hội", "thu ngân sách nhà nước", "xây dựng nông thôn mới", "tai nạn giao thông",
            "xâm nhập mặn", "thu hút đầu tư", "quy hoạch tỉnh", "môi trường đầu tư kinh doanh"]


@pytest.mark.parametrize("q", EVERYDAY)
def test_everyday_query_marks_only_query_words_in_snippets_and_report_pages(seed_index, client, q):
    results = search(seed_index, SearchRequest(q=q, group="report", per_page=100))
    assert results.reports
    assert snippet_problems(seed_index, q, results.reports) == []
    matches = parse_query(q).matches()
    for row in results.reports:
        page = client.get(f"/reports/{row.report_id}", query_string={"q": q}).get_data(as_text=True)
        report = seed_index.report(row.report_id)
        words = {exact_form(t) for t in TOKEN_RE.findall(report["text"])}
        marked = [t for m in MARK.findall(page) for t in TOKEN_RE.findall(html.unescape(re.sub(r"<[^>]+>", "", m)))]
        assert marked, f"{q!r}: nothing marked on {row.report_id}"
        assert [t for t in marked if not _allowed(t, matches, words)] == [], row.report_id
