"""What a Tantivy reader knows per document, read once from ``facets.jsonl`` into NumPy arrays:
its report and the (value, report) pairs of every facet; facets are counted from them at once.
"""
from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

import numpy as np

from ..schema import MULTI_SEP
from .docsets import DocSet, _ranges, _ranks, merge_pairs
from .tantivy_writer import FACETS, ROW_SEP

__all__ = ["Column", "Arrays"]

UID_TYPE = np.int32  # per-document arrays: half the memory of int64 (uids and pair numbers stay below 2**31)


class Column:
    """One facet over all documents, as (value, report) pairs numbered 0…P-1.

    ``pair_value[p]`` is the value of pair p; the pairs of document uid are
    ``flat[start[uid]:start[uid + 1]]`` (``dense[uid]``, -1 for none, when there is at most one).
    Counting distinct reports per value among some documents is then: gather their pairs, mark each pair once, count the marks per value.
    """

    def __init__(self, values: list[str], flat_values: np.ndarray, lengths: np.ndarray, report_of: np.ndarray):
        """``values``: value number -> value; the value numbers of document uid are
        ``flat_values[start[uid]:start[uid + 1]]``, where ``start`` adds up ``lengths``; ``report_of``:
        uid -> report number. Pairs are numbered in the order they first occur."""
        self.values = values
        self.rank = _ranks(values)
        start = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))
        reports = int(report_of.max(initial=0)) + 1
        codes, first, pair_of = np.unique(flat_values * reports + np.repeat(report_of.astype(np.int64), lengths),
                                          return_index=True, return_inverse=True)
        by_occurrence = np.argsort(first, kind="stable")  # the pairs (np.unique's order) in order of first occurrence
        number = np.empty(len(codes), dtype=np.int64)
        number[by_occurrence] = np.arange(len(codes))
        flat = number[pair_of.reshape(-1)].astype(UID_TYPE)
        self.pair_value, self.pair_report = np.divmod(codes[by_occurrence], reports)
        self.single = not len(lengths) or int(lengths.max()) <= 1
        if self.single:  # at most one value per document: one array lookup, and only that array kept
            self.dense = np.full(len(lengths), -1, dtype=UID_TYPE)
            self.dense[lengths == 1] = flat
        else:
            self.start, self.flat = start.astype(UID_TYPE), flat
        self._merged: tuple | None = None
        self._numbers: dict[str, int] | None = None
        self._report_value: np.ndarray | None = None
        self.per_report = False  # every section of a report has the same value (set by ``Arrays``)
        self.pair_live = np.zeros(len(self.pair_value), dtype=np.int64)  # pair -> live sections (set by the reader)

    def report_value(self, first_uid: np.ndarray) -> np.ndarray:
        """report number -> its value number (-1: none), for a ``per_report`` column, whose
        first section (``first_uid``) stands for every section of the report."""
        if self._report_value is None:
            pairs = self.dense[first_uid]
            self._report_value = np.full(len(pairs), -1, dtype=np.int64)
            self._report_value[pairs >= 0] = self.pair_value[pairs[pairs >= 0]]
        return self._report_value

    def pairs_of(self, uids: np.ndarray) -> np.ndarray:
        if self.single:
            pairs = self.dense[uids]
            return pairs[pairs >= 0]
        return self.flat[_ranges(self.start[uids], self.start[uids + 1] - self.start[uids])]

    def unmerged(self) -> tuple[np.ndarray, list[str], np.ndarray, dict[str, int], np.ndarray]:
        """(pair -> value, values, their ranks, value -> number, pair -> live sections), as ``merged``."""
        return self.pair_value, self.values, self.rank, self.numbers, self.pair_live

    @property
    def numbers(self) -> dict[str, int]:
        """value -> its number (made on first use: only a selected value is ever looked up)."""
        if self._numbers is None:
            self._numbers = {value: number for number, value in enumerate(self.values)}
        return self._numbers

    def merged(self, aliases: dict[str, str]) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray, dict[str, int],
                                                      np.ndarray]:
        """(pair -> merged pair, merged pair -> merged value, merged values, their ranks, merged
        value -> number, merged pair -> live sections) once ``aliases`` merge values. Worked out
        once per mapping (the catalogue's, one per index generation)."""
        cached = self._merged
        if cached is None or cached[0] is not aliases:
            merged_pair, merged_value, values, ranks, numbers = merge_pairs(self.values, self.pair_value, self.pair_report, aliases)
            merged_live = np.bincount(merged_pair, weights=self.pair_live, minlength=len(merged_value)).astype(np.int64)
            cached = self._merged = (aliases, merged_pair, merged_value, values, ranks, numbers, merged_live)
        return cached[1:]


class Arrays:
    """Everything a reader knows per document, read from ``facets.jsonl``."""

    def __init__(self, report_ids: list[str], report_numbers: dict[str, int], report_of: np.ndarray,
                 facets: dict[str, Column]):
        self.report_ids = report_ids  # uid -> report id
        self.report_numbers = report_numbers  # report id -> report number
        self.report_of = report_of  # uid -> report number
        self.first_uid = np.unique(report_of, return_index=True)[1]  # report number -> its first uid
        self.facets = facets
        self.live: np.ndarray | None = None  # uid -> not deleted (set by the reader)
        self.report_live: np.ndarray | None = None  # report number -> live sections (``count_live``)
        self.tie_rank: np.ndarray | None = None  # uid -> place in the order of equal scores (set by the reader)
        self.tie_order = False  # Tantivy orders documents (and so breaks ties) that way (set by the reader)
        for column in facets.values():
            column.per_report = column.single and np.array_equal(column.dense, column.dense[self.first_uid[report_of]])

    def count_live(self) -> None:
        """How many live sections each report and each (value, report) pair has, once ``live``
        is set: a set of hits given by the documents outside it is counted from those."""
        uids = np.flatnonzero(self.live)
        self.report_live = np.bincount(self.report_of[uids], minlength=len(self.first_uid))
        for column in self.facets.values():
            column.pair_live = np.bincount(column.pairs_of(uids), minlength=len(column.pair_value))

    def reports_in(self, docs) -> np.ndarray:
        """report number -> whether ``docs`` holds one of its live sections, whatever form
        ``docs`` takes (a ``DocSet`` by report, of the documents outside it, or of uids)."""
        if isinstance(docs, DocSet) and docs.by_report:
            present = np.zeros(len(self.first_uid), dtype=np.bool_)
            present[docs.reports()] = True
            return present
        outside = docs.outside if isinstance(docs, DocSet) else None
        if outside is not None:  # a report is out when all its live sections are
            return self.report_live > np.bincount(self.report_of[outside], minlength=len(self.report_live))
        present = np.zeros(len(self.first_uid), dtype=np.bool_)
        present[self.report_of[DocSet.array_of(docs)]] = True
        return present

    def counts(self, facet: str, docs, aliases: dict[str, str] | None, reports: np.ndarray | None = None):
        """(value number -> distinct reports among ``docs``, values, their ranks in sorted order,
        value -> number), ``aliases`` merging values first. ``reports`` is ``reports_in(docs)``
        when known: a facet that is the same in every section of a report (province, year …)
        is counted from it, one value per report, without looking at the documents."""
        column = self.facets[facet]
        if column.per_report and not aliases:
            present = self.reports_in(docs) if reports is None else reports
            held = column.report_value(self.first_uid)[present]
            counts = np.bincount(held[held >= 0], minlength=len(column.values))
            return counts, column.values, column.rank, column.numbers
        if aliases:
            merged_pair, pair_value, values, rank, numbers, pair_live = column.merged(aliases)
        else:
            merged_pair, (pair_value, values, rank, numbers, pair_live) = None, column.unmerged()
        outside = None
        if isinstance(docs, DocSet) and docs.outside is not None:
            pairs, outside = None, column.pairs_of(docs.outside)
        else:
            pairs = column.pairs_of(DocSet.array_of(docs))
        if outside is not None:  # a pair is out when all its live sections are
            lost = np.bincount(outside if merged_pair is None else merged_pair[outside], minlength=len(pair_value))
            present = pair_live > lost
        else:
            present = np.zeros(len(pair_value), dtype=np.bool_)
            present[pairs if merged_pair is None else merged_pair[pairs]] = True  # each (value, report) pair once
        return np.bincount(pair_value[present], minlength=len(values)), values, rank, numbers

    @classmethod
    def read(cls, path: Path) -> "Arrays":
        """A report's sections follow each other and mostly share their values, so the value
        numbers of a (report, column) are worked out once. Only numbers are kept per document
        (in lists of shared int objects, then arrays); the (value, report) pairs are worked out
        in NumPy (``Column``): millions of small tuples would leave memory behind them."""
        report_ids: list[str] = []
        report_numbers: list[int] = []
        reports: dict[str, int] = {}
        names: list[str] = []  # report number -> id
        values: list[list[str]] = [[] for _ in FACETS]
        value_numbers: list[dict[str, int]] = [{} for _ in FACETS]
        flat: list[list[int]] = [[] for _ in FACETS]  # per column: the value numbers of every document, in turn
        lengths: list[list[int]] = [[] for _ in FACETS]  # per column: how many values each document has
        previous, known, report = None, [], 0
        for row in _rows(path):
            report_id, *columns = row.split(ROW_SEP)
            if report_id != previous:
                previous, known = report_id, [{} for _ in FACETS]
                report = reports.setdefault(report_id, len(reports))
                if report == len(names):
                    names.append(report_id)
            report_ids.append(names[report])  # one string per report, however many sections
            report_numbers.append(report)
            for i, column in enumerate(columns):
                found = known[i].get(column)
                if found is None:
                    found = known[i][column] = [_number(value_numbers[i], values[i], value)
                                                for value in (column.split(MULTI_SEP) if column else ())]
                flat[i] += found
                lengths[i].append(len(found))
        report_of = np.array(report_numbers, dtype=UID_TYPE)
        del report_numbers, known
        facets = {}
        for i, facet in enumerate(FACETS):
            facets[facet] = Column(values[i], np.array(flat[i], dtype=np.int64), np.array(lengths[i], dtype=np.int64), report_of)
            flat[i] = lengths[i] = None
        return cls(report_ids, reports, report_of, facets)


def _rows(path: Path, chunk: int = 8192):
    """The lines of ``facets.jsonl``, decoded a chunk at a time: one ``json.loads`` per chunk
    (far fewer calls than one per line), without the whole file in memory at once (the
    process would keep the peak)."""
    with open(path, encoding="utf-8") as lines:
        while block := list(islice(lines, chunk)):
            yield from json.loads("[" + ",".join(block) + "]")


def _number(numbers: dict[str, int], values: list[str], value: str) -> int:
    if value not in numbers:
        numbers[value] = len(values)
        values.append(value)
    return numbers[value]
