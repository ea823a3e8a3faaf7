"""The shortcuts of the grouped view give the rows the plain ways give.

* ``Grouping``: a report with the very words of one folded before goes where that one went,
  without a comparison; with ``rows``, the rows stop there, and the rows and copies up to there
  are those of ``group_sections``;
* ``reportrows._ranked``: asking the engine for more sections than are grouped (``_next_fetch``)
  makes the rows that asking it for each step's sections makes; an engine's best n sections are
  the first n of its best 4n (both engines, every sort), which that relies on;
* ``grouping._near_sizes``: the sizes of about as many words, as whole numbers, are those the
  division by the larger one keeps;
* ``own_number_pattern``: "số" before a document's own code, looked for as a string first;
* ``FacetTable.sections_per_report`` (Whoosh): the sections of each report, counted at once.
"""
from __future__ import annotations

import pickle
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchsvc import grouping, reportrows
from searchsvc.engines.docsets import DocSet, FacetTable
from searchsvc.grouping import Grouping, group_reports, group_sections
from searchsvc.models import FACETS
from searchsvc.normalize import fold
from searchsvc.query import parse_query

from .test_grouping_signatures import ABOUT, _numbered, _rows
from .test_grouping_speed import BASES, BODY

SECTIONS = st.lists(st.tuples(st.sampled_from("abcdefgh"), BODY), max_size=40)


def _ranked(sections: list[tuple]) -> list[tuple]:
    return [(i, 1.0 - i / 1000, {"report_id": r, "body": body, **ABOUT}) for i, (r, body) in enumerate(sections)]


def test_a_copy_of_a_folded_copy_folds_without_a_comparison(monkeypatch):
    near = BASES[0] + " từx"  # 16 words, 15 of them the base's: near it, not the same words
    ranked = _ranked([("a", BASES[0]), ("b", near), ("c", near), ("d", BASES[0])])
    compared = []
    monkeypatch.setattr(grouping, "near_identical", lambda a, b: compared.append(1) or len(a & b) / len(a | b) >= 0.8)
    rows = group_reports(ranked)
    assert [(r.report_id, [c["report_id"] for c in r.same_content]) for r in rows] == [("a", ["b", "c", "d"])]
    assert len(compared) == 1  # b against a; c has b's words, d has a's


@settings(max_examples=200, deadline=None)
@given(SECTIONS, st.integers(0, 6))
def test_rows_stop_at_rows_with_the_same_rows_and_copies(sections, rows):
    ranked = _ranked(sections)
    listed = [(d, s, f["report_id"]) for d, s, f in ranked]
    full = group_sections(listed, lambda i: ranked[i][2], detailed=rows)
    stopped = Grouping(detailed=rows, rows=rows).add(listed, lambda i: ranked[i][2])
    assert _rows(stopped) == _rows(full[:rows])


@settings(max_examples=100, deadline=None)
@given(SECTIONS, st.integers(0, 6))
def test_rows_stop_at_rows_by_word_numbers_too(tmp_path_factory, sections, rows):
    ranked = _ranked(sections)
    signatures = _numbered([body for _, body in sections], tmp_path_factory.mktemp("sig"))
    listed = [(d, s, f["report_id"]) for d, s, f in ranked]
    full = group_sections(listed, lambda i: ranked[i][2], detailed=rows)
    stopped = Grouping(detailed=rows, rows=rows).add(listed, lambda i: ranked[i][2], words=signatures.words,
                                                     about=lambda r: dict(ABOUT), same=signatures.number)
    assert _rows(stopped) == _rows(full[:rows])


class _Listed:
    """An engine whose best sections are a list given, best first; it records what it is asked."""

    def __init__(self, ranked: list[tuple]):
        self.ranked, self.asked = ranked, []

    def sections(self, compiled, sort: str, limit: int, kept: dict | None = None):
        self.asked.append(limit)
        top = self.ranked[:limit]
        return [(d, s, f["report_id"]) for d, s, f in top], lambda i: top[i][2], len(self.ranked)


def _stepwise(engine, wanted: int, total: int) -> list:
    """The rows as first written: the engine asked for each step's sections, grouped anew."""
    fetch = max(64, 4 * wanted)
    while True:
        sections, stored = reportrows._sections(engine, None, "relevance", min(fetch, max(total, 1), reportrows.MAX_GROUPED))
        rows = group_sections(sections, stored, detailed=wanted)
        if len(rows) >= wanted or fetch >= min(total, reportrows.MAX_GROUPED):
            return rows[:wanted]
        fetch *= 4


# many reports, most of them copies of a few texts: rows come slowly, the engine is asked again
REPORTS = st.integers(0, 150).map(lambda n: f"r{n:03d}")
COPIED = st.lists(st.tuples(REPORTS, st.integers(0, 9).flatmap(lambda k: BODY if k == 0 else st.sampled_from(BASES))),
                  min_size=65, max_size=1200)


@settings(max_examples=40, deadline=None)
@given(COPIED, st.sampled_from([1, 2, 11, 21]))
def test_fetching_ahead_makes_the_rows_of_each_step(sections, wanted):
    ranked = _ranked(sections)
    ahead, step = _Listed(ranked), _Listed(ranked)
    rows = reportrows._ranked(ahead, None, "relevance", wanted, len(ranked))
    assert _rows(rows) == _rows(_stepwise(step, wanted, len(ranked)))
    assert len(ahead.asked) <= len(step.asked)


@pytest.mark.parametrize("size, rows, wanted, total, expected", [
    (64, 0, 11, 100, 64),  # few sections match: the first step
    (64, 0, 11, 4095, 64),  # under a sixteenth each step past the first
    (64, 0, 11, 4096, 256),  # a sixteenth of them: the next step
    (64, 0, 11, 200_000, 4096),  # many: steps up to a sixteenth (MAX_GROUPED caps it later)
    (256, 11, 11, 10_000, 256),  # the rows came: the step to group
    (256, 6, 11, 10_000, 256),  # (11/6)² × 64 = 215
    (256, 5, 11, 10_000, 1024),  # (11/5)² × 64 = 310
    (256, 2, 11, 10_000, 4096),  # (11/2)² × 64 = 1,936
    (256, 1, 11, 10_000, 16384),  # (11/1)² × 64 = 7,744
    (1024, 10, 11, 10_000, 1024),  # (11/10)² × 256 = 310
])
def test_next_fetch(size, rows, wanted, total, expected):
    assert reportrows._next_fetch(size, rows, wanted, total) == expected


def _about_as_long(size: int, other: int) -> bool:
    """Whether two sections of these word counts may be near identical, as first written."""
    return min(other, size) / max(other, size, 1) >= grouping.SAME_CONTENT


@pytest.mark.parametrize("size, other, close", [
    (10, 8, True),  # exactly the share (8 / 10 = 0.8): kept, as the division keeps it
    (10, 7, False),
    (10, 12, True),  # the larger one is the other: 10 / 12
    (10, 13, False),  # 10 / 13 = 0.77
    (4, 5, True),  # 4 / 5 exactly, the other way round
    (12, 0, False),  # an empty section is near nothing
    (1500, 1875, True),  # the most words a section compares (COMPARED characters): 1500 / 1875 = 0.8
    (1500, 1876, False),
])
def test_near_sizes(size, other, close):
    low, high = grouping._near_sizes(size)
    assert (low <= other <= high) == close == _about_as_long(size, other)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 10_000), st.integers(0, 20_000))
def test_near_sizes_are_the_sizes_the_division_keeps(size, other):
    low, high = grouping._near_sizes(size)
    assert (low <= other <= high) == _about_as_long(size, other)


@pytest.mark.parametrize("q", ["năm", "tỉnh", "kinh tế", "đầu tư công", ""])
@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_the_best_n_sections_are_the_first_n_of_more(seed_index, q, sort):
    engine = seed_index.generation.reader
    compiled = engine.compile(parse_query(q).search_tree, {})
    total = len(engine.matching_docs(compiled))
    every = reportrows._sections(engine, compiled, sort, total)[0]
    assert len(every) == total > 20
    for n in (1, 7, total // 2, total - 1):
        assert reportrows._sections(engine, compiled, sort, n)[0] == every[:n]


def _plain_own_number(parts: list[str]) -> re.Pattern:
    """The pattern as first written: the start of the word looked behind first."""
    code = r"\s*[/-]\s*".join(re.escape(fold(p)) for p in parts)
    return re.compile(rf"(?<!\w)so\s*:?\s*{code}(?![\w/-])")


CODE = ["165", "BC", "UBND"]


@pytest.mark.parametrize("text, found", [
    ("so: 165/bc-ubnd ngay 01/7/2020", True),  # a header
    ("(kem theo bao cao so 165 /bc-ubnd ngay 01/7/2020)", True),  # an annex caption, blanks around "/"
    ("so 165/bc-ubnd", True),  # at the start of the text
    ("so:165-bc-ubnd", True),  # "-" joins the parts too
    ("theo bao cao 165/bc-ubnd", False),  # no "so"
    ("hoso 165/bc-ubnd", False),  # "so" ends a word
    ("so_ 165/bc-ubnd", False),  # "_" is not a blank
    ("so 1165/bc-ubnd", False),  # another number
    ("so 165/bc-ubnd-ct", False),  # the code goes on
    ("so 165/bc-ubndx", False),  # so does the word
    ("so so 165/bc-ubnd", True),  # the second "so"
    ("xso so: 165/bc-ubnd", True),
])
def test_own_number_pattern(text, found):
    assert bool(reportrows.own_number_pattern(CODE).search(text)) is found
    assert bool(_plain_own_number(CODE).search(text)) is found


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["so", "s", "o", "x", "165", "16", "5", "/", "-", " ", ":", "_", "bc", "ubnd", "đ", "\n"]),
                max_size=25).map("".join))
def test_own_number_pattern_finds_what_the_plain_one_finds(text):
    assert [m.span() for m in reportrows.own_number_pattern(CODE).finditer(text)] == \
           [m.span() for m in _plain_own_number(CODE).finditer(text)]


def test_a_facet_table_counts_the_sections_of_each_report():
    ids = ["r1", "r1", "r2", "r3", "r1", "r3"]
    table = FacetTable.from_columns(ids, {f: [""] * len(ids) for f in FACETS})
    docs = DocSet(np.array([0, 2, 4, 5]))
    expected = [2, 1, 1, 0, 2]  # r9 is in no document; a report asked twice is counted twice
    assert table.sections_per_report(docs, ["r1", "r2", "r3", "r9", "r1"]) == expected
    assert pickle.loads(pickle.dumps(table)).sections_per_report(docs, ["r1", "r2", "r3", "r9", "r1"]) == expected  # as read back
    assert table.sections_per_report(DocSet(np.zeros(0, dtype=np.int64)), ["r1"]) == [0]
