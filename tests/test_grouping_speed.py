"""The shortcuts of grouped results agree with the plain ways they replace.

* ``group_sections`` (stored fields read lazily, only best sections of about as many words
  compared) against the plain grouping it replaced, on generated sections;
* an engine's ``sections`` (Tantivy: stored fields read only when grouping asks) against the
  fallback through ``page``, on the seed corpus, for both engines;
* ``clean_notes`` (a pre-check, notes found where they begin) against the footnote regex alone.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchsvc import reportrows, searching
from searchsvc.grouping import MIN_WORDS, SAME_CONTENT, SECTIONS_SHOWN, _words, group_reports, group_sections
from searchsvc.models import SearchRequest
from searchsvc.query import parse_query
from searchsvc.patterns import MARKER
from searchsvc.snippets import clean_notes

# footnote markup as one substitution: what ``clean_notes`` takes out, the plain way
_NOTES = re.compile(rf"[ \t]*(?:\[\s*\d{{1,3}}\s*:[^\]\n]*\]|{MARKER}(?!\w))|\*+", re.IGNORECASE)


def _plain_grouping(ranked: list[tuple]) -> list[tuple]:
    """The grouping as first written: every best section compared with every kept row's."""
    rows: dict[str, dict] = {}
    for doc, score, stored in ranked:
        row = rows.setdefault(stored["report_id"], {"ranked": [], "same": []})
        if len(row["ranked"]) < SECTIONS_SHOWN:
            row["ranked"].append((doc, score, stored))
    kept: list[tuple[str, dict, frozenset]] = []
    for report_id, row in rows.items():
        words = _words(row["ranked"][0][2]["body"])
        first = next((r for _, r, w in kept if _plain_near(words, w)), None)
        if first is None:
            kept.append((report_id, row, words))
        else:
            first["same"].append(report_id)
    return [(report_id, [d for d, _, _ in row["ranked"]], row["same"]) for report_id, row, _ in kept]


def _plain_near(a: frozenset, b: frozenset) -> bool:
    return min(len(a), len(b)) >= MIN_WORDS and len(a & b) / len(a | b) >= SAME_CONTENT


# bodies built from a small vocabulary, so that some are near identical and some are not
WORDS = st.sampled_from([f"từ{chr(97 + i)}" for i in range(24)])
BASES = [" ".join(f"từ{chr(97 + i)}" for i in range(start, start + 15)) for start in (0, 2, 9)]  # 13 of 17 words shared: near the line
BODY = st.one_of(st.lists(WORDS, min_size=0, max_size=30).map(" ".join),
                 st.tuples(st.sampled_from(BASES), st.lists(WORDS, max_size=3)).map(lambda t: " ".join([t[0], *t[1]])))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcdefgh"), BODY), max_size=40))
def test_group_sections_agrees_with_the_plain_grouping(sections):
    ranked = [(i, 1.0 - i / 100, {"report_id": r, "section_id": f"s{i}", "title": r, "body": body})
              for i, (r, body) in enumerate(sections)]
    grouped = group_reports(ranked)
    got = [(row.report_id, [d for d, _, _ in row.ranked], [s["report_id"] for s in row.same_content]) for row in grouped]
    assert got == _plain_grouping(ranked)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcdefgh"), BODY), max_size=40), st.integers(0, 8))
def test_rows_past_detailed_keep_their_best_section_and_read_no_other(sections, detailed):
    ranked = [(i, 1.0, {"report_id": r, "title": r, "body": body}) for i, (r, body) in enumerate(sections)]
    read: list[int] = []
    rows = group_sections([(d, s, f["report_id"]) for d, s, f in ranked], lambda i: read.append(i) or ranked[i][2],
                          detailed=detailed)
    full = group_reports(ranked)
    assert [r.report_id for r in rows] == [r.report_id for r in full]
    assert [r.same_content for r in rows] == [r.same_content for r in full]
    for n, (row, whole) in enumerate(zip(rows, full)):
        assert row.ranked == (whole.ranked if n < detailed else whole.ranked[:1])
    best = {r: min(i for i, (report, _) in enumerate(sections) if report == r) for r, _ in sections}
    extra = sum(len(r.ranked) - 1 for r in rows[:detailed])
    assert len(read) == len(best) + extra  # each report's best section, and the others of detailed rows


class _PageOnly:
    """An engine without ``sections`` nor ``sections_per_report``: grouping goes through ``page``,
    counting through ``report_of``."""

    def __init__(self, engine):
        self._engine = engine

    def page(self, *args):
        return self._engine.page(*args)

    def report_of(self, doc):
        return self._engine.report_of(doc)


@pytest.mark.parametrize("q", ["giải ngân vốn đầu tư công", "ngân sách", "kinh tế", '"vốn đầu tư"', "covid"])
@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_engine_sections_group_as_the_page_fallback(seed_index, q, sort):
    engine = seed_index.generation.reader
    compiled = engine.compile(parse_query(q).search_tree, {})
    total = len(engine.matching_docs(compiled))
    for wanted in (1, 11, 41):
        fast = reportrows._ranked(engine, compiled, sort, wanted, total)
        plain = reportrows._ranked(_PageOnly(engine), compiled, sort, wanted, total)
        assert [r.report_id for r in fast] == [r.report_id for r in plain]
        assert [r.same_content for r in fast] == [r.same_content for r in plain]
        assert [r.ranked for r in fast] == [r.ranked for r in plain]


@pytest.mark.parametrize("q, page", [("đầu tư công", 1), ("đầu tư công", 2), ("ngân sách nhà nước", 1), ("covid", 2)])
def test_grouped_search_is_the_same_through_the_fallbacks(seed_index, monkeypatch, q, page):
    request = SearchRequest(q=q, group="report", per_page=2, page=page)
    fast = searching.search(seed_index, request).to_dict()
    for name, fallback in _FALLBACKS.items():
        monkeypatch.setattr(reportrows, name, lambda engine, *args, fallback=fallback: fallback(_PageOnly(engine), *args))
    plain = searching.search(seed_index, request).to_dict()
    fast.pop("took_ms"), plain.pop("took_ms")
    assert fast["reports"] and fast == plain


_FALLBACKS = {"_sections": reportrows._sections, "_sections_per_report": reportrows._sections_per_report}


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("ab 1\t\n[]:*⁽⁾¹²") + ["footnote", "footnoteRef", "FOOTNOTE", "Đầu"]), max_size=30)
       .map("".join))
def test_clean_notes_pre_check_changes_nothing(text):
    assert clean_notes(text) == _NOTES.sub("", text)
