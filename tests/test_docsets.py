"""Facet counting over document arrays (``engines.docsets``), checked against plain Python counts."""
from __future__ import annotations

import random
from collections import Counter, defaultdict

import numpy as np
import pytest

from searchsvc.engines.docsets import DocSet, FacetTable, _ranges
from searchsvc.schema import FACET_COLUMNS, MULTI_SEP

FACETS = list(FACET_COLUMNS)


def _table(rows: list[tuple[str, dict[str, str]]]) -> FacetTable:
    return FacetTable.from_columns([r for r, _ in rows], {f: [cells.get(f, "") for _, cells in rows] for f in FACETS})


def _expected(rows, facet: str, docs, aliases=None) -> Counter:
    seen = defaultdict(set)
    for doc in docs:
        report, cells = rows[doc]
        for value in cells.get(facet, "").split(MULTI_SEP) if cells.get(facet) else ():
            seen[(aliases or {}).get(value, value)].add(report)
    return Counter({value: len(reports) for value, reports in seen.items()})


ROWS = [
    ("r1", {"province": "Bắc Giang", "instrument": MULTI_SEP.join(["84_NQ-CP.2020", "11_CT-TTg.2020"])}),
    ("r1", {"province": "Bắc Giang", "instrument": "84_NQ-CP.2020"}),
    ("r1", {"province": "Bắc Giang"}),
    ("r2", {"province": "Bến Tre", "instrument": "84_NQ-CP"}),
    ("r3", {"province": "Bắc Giang", "instrument": MULTI_SEP.join(["01_NQ-CP.2021", "84_NQ-CP.2020"])}),
]


@pytest.mark.parametrize("docs, facet, aliases, expected", [
    ([0, 1, 2], "province", None, {"Bắc Giang": 1}),  # three sections of one report count once
    ([0, 1, 2, 3, 4], "province", None, {"Bắc Giang": 2, "Bến Tre": 1}),
    ([0, 1, 2, 3, 4], "instrument", None, {"84_NQ-CP.2020": 2, "11_CT-TTg.2020": 1, "84_NQ-CP": 1, "01_NQ-CP.2021": 1}),
    ([0, 3], "instrument", {"84_NQ-CP": "84_NQ-CP.2020"}, {"84_NQ-CP.2020": 2, "11_CT-TTg.2020": 1}),
    ([3, 4], "instrument", {"84_NQ-CP": "84_NQ-CP.2020"}, {"84_NQ-CP.2020": 2, "01_NQ-CP.2021": 1}),
    ([2], "instrument", None, {}),  # a document without values
    ([], "province", None, {}),
])
def test_counts_distinct_reports_per_value(docs, facet, aliases, expected):
    table = _table(ROWS)
    assert dict(table.count_facet(facet, DocSet(np.array(docs, dtype=np.int64)), aliases)) == expected


def test_values_come_most_reported_first_then_by_value():
    counts = _table(ROWS).count_facet("instrument", DocSet(np.arange(5)))
    assert list(counts) == ["84_NQ-CP.2020", "01_NQ-CP.2021", "11_CT-TTg.2020", "84_NQ-CP"]


def test_random_tables_match_python_counts():
    rng = random.Random(7)
    values = [f"v{i}" for i in range(30)]
    rows = [(f"r{rng.randrange(40)}", {f: MULTI_SEP.join(rng.sample(values, rng.randrange(4))) for f in FACETS})
            for _ in range(500)]
    rows.sort(key=lambda r: r[0])  # sections of a report follow each other, as engines number them
    table = _table(rows)
    aliases = {"v1": "v2", "v3": "v2"}
    for _ in range(20):
        docs = sorted(rng.sample(range(len(rows)), rng.randrange(len(rows))))
        for facet in FACETS:
            assert table.count_facet(facet, docs) == _expected(rows, facet, docs)
            assert table.count_facet(facet, docs, aliases) == _expected(rows, facet, docs, aliases)
        assert table.count_reports(docs) == len({rows[d][0] for d in docs})


@pytest.mark.parametrize("starts, lengths, expected", [
    ([0], [3], [0, 1, 2]),
    ([5, 0], [2, 1], [5, 6, 0]),
    ([4, 9], [0, 2], [9, 10]),
    ([], [], []),
])
def test_ranges(starts, lengths, expected):
    assert _ranges(np.array(starts, dtype=np.int64), np.array(lengths, dtype=np.int64)).tolist() == expected


@pytest.mark.parametrize("limit, selected", [(1, ()), (2, ("01_NQ-CP.2021",)), (2, ("84_NQ-CP",)), (None, ()), (10, ())])
def test_top_values_are_the_head_of_the_counts_and_the_selected_values(limit, selected):
    table = _table(ROWS)
    ordered = list(table.count_facet("instrument", np.arange(5)).items())
    expected = ordered if limit is None else ordered[:limit] + [(v, c) for v, c in ordered[limit:] if v in selected]
    assert table.top_values("instrument", np.arange(5), limit, None, selected) == expected
