"""The Tantivy reader's per-document arrays: facet counts over a set of hits, whatever form the
set takes (uids, the live documents outside it, the reports holding it), agree with counting
distinct reports value by value in plain Python."""
from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings, strategies as st

from searchsvc.engines.docsets import DocSet
from searchsvc.engines.tantivy_arrays import Arrays
from searchsvc.engines.tantivy_writer import FACETS, ROW_SEP
from searchsvc.schema import MULTI_SEP

PER_REPORT = {"province", "year", "period", "doctype"}  # the same in every section of a report, as the indexer writes them
VALUES = ["Hà Nội", "Huế", "2020", "a", "b", "c", ""]


@st.composite
def collections(draw):
    """Reports of 1–4 sections each, written as ``facets.jsonl`` lines in uid order; some
    documents deleted (an updated report is written again under the same id, its old lines kept)."""
    rows, reports = [], draw(st.integers(1, 6))
    for number in range(reports):
        shared = {f: draw(st.sampled_from(VALUES)) for f in FACETS if f in PER_REPORT}
        for _ in range(draw(st.integers(1, 4))):
            cells = [shared[f] if f in PER_REPORT else MULTI_SEP.join(draw(st.lists(st.sampled_from(VALUES[:-1]), max_size=3, unique=True)))
                     for f in FACETS]
            rows.append(ROW_SEP.join([f"r{number}", *cells]))
    if draw(st.booleans()):  # an updated report: its lines again, the old ones deleted
        again = [row for row in rows if row.startswith("r0" + ROW_SEP)]
        rows += again
    live = draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    hits = draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    return rows, np.array(live, dtype=np.bool_), np.array(hits, dtype=np.bool_)


def _arrays(tmp_path, rows, live) -> Arrays:
    path = tmp_path / "facets.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    arrays = Arrays.read(path)
    arrays.live = live
    arrays.count_live()
    return arrays


def _expected(rows, uids, facet) -> dict[str, int]:
    """value -> distinct reports among ``uids``, one row at a time."""
    column = 1 + FACETS.index(facet)
    reports: dict[str, set[str]] = {}
    for uid in uids:
        fields = rows[uid].split(ROW_SEP)
        for value in fields[column].split(MULTI_SEP) if fields[column] else ():
            reports.setdefault(value, set()).add(fields[0])
    return {value: len(found) for value, found in reports.items()}


def _forms(arrays, uids, live):
    """The same hits as a ``DocSet`` of uids, of the live documents outside them, and by report."""
    outside = np.flatnonzero(live & ~np.isin(np.arange(len(live)), uids))
    reports = np.unique(arrays.report_of[uids])
    return {
        "uids": DocSet(uids),
        "outside": DocSet(outside=outside, live=live),
        "by report": DocSet(fetch=lambda: DocSet(uids), reports=lambda: reports),
    }


@settings(max_examples=60, deadline=None)
@given(collections())
def test_counts_agree_with_counting_report_by_report(tmp_path_factory, collection):
    rows, live, hits = collection
    arrays = _arrays(tmp_path_factory.mktemp("arrays"), rows, live)
    uids = np.flatnonzero(live & hits)
    for form, docs in _forms(arrays, uids, live).items():
        assert int(np.count_nonzero(arrays.reports_in(docs))) == len({rows[u].split(ROW_SEP)[0] for u in uids}), form
        for facet in FACETS:
            if form == "by report" and not arrays.facets[facet].per_report:
                continue  # a set by report is only ever counted for facets a report's sections share
            counts, values, _, _ = arrays.counts(facet, docs, None)
            found = {values[n]: int(c) for n, c in enumerate(counts) if c}
            assert found == _expected(rows, uids, facet), (form, facet)


def test_a_facet_shared_by_a_reports_sections_is_counted_per_report(tmp_path):
    rows = [ROW_SEP.join([report, *(value if f == "province" else "" for f in FACETS)])
            for report, value in [("a", "Huế"), ("a", "Huế"), ("b", "Huế"), ("c", "Hà Nội")]]
    arrays = _arrays(tmp_path, rows, np.ones(4, dtype=np.bool_))
    assert arrays.facets["province"].per_report
    counts, values, _, _ = arrays.counts("province", DocSet(np.array([0, 1, 2, 3])), None)
    assert {values[n]: int(c) for n, c in enumerate(counts) if c} == {"Huế": 2, "Hà Nội": 1}  # a's two sections: one report
