"""Sets of documents and facet counts over NumPy arrays, whatever engine found the documents.

Facets never score and never read stored documents: a reader builds a ``FacetTable`` once per
opened index from each document's report and facet values, and counts distinct reports per value
among a set of document numbers with a few array operations.
"""
from __future__ import annotations

from collections import Counter
from functools import cached_property

import numpy as np

from ..schema import FACET_COLUMNS, MULTI_SEP

__all__ = ["DocSet", "FacetTable"]

FACETS = tuple(FACET_COLUMNS)


class DocSet:
    """The documents (numbers, or Tantivy uids) of the hits of a query, as a NumPy array (facets are counted from it at once);
    iterating gives them as ints, as the engine interface promises.

    When most documents are hits it is held as the live documents ``outside`` it, from which
    facets are counted as well. Made with ``fetch`` instead, the uids are fetched on first use;
    ``reports`` then gives the numbers of the reports with a hit, which is all that counting
    reports, or values that every section of a report shares, needs (``by_report`` until the
    uids are fetched)."""

    __slots__ = ("_array", "_outside", "_live", "_fetch", "_reports", "_report_numbers")

    def __init__(self, array: np.ndarray | None = None, *, outside: np.ndarray | None = None,
                 live: np.ndarray | None = None, fetch=None, reports=None):
        self._array, self._outside, self._live = array, outside, live
        self._fetch, self._reports, self._report_numbers = fetch, reports, None

    def _fill(self) -> None:
        if self._array is None and self._outside is None:
            fetched = self._fetch()
            self._array, self._outside, self._live = fetched._array, fetched._outside, fetched._live

    @property
    def array(self) -> np.ndarray:
        self._fill()
        if self._array is None:
            inside = self._live.copy()
            inside[self._outside] = False
            self._array = np.flatnonzero(inside)
        return self._array

    @property
    def outside(self) -> np.ndarray | None:
        """The live documents that are not hits, when the set was made from them (most
        documents are hits); None otherwise."""
        self._fill()
        return self._outside

    @property
    def by_report(self) -> bool:
        return self._array is None and self._outside is None and self._reports is not None

    def reports(self) -> np.ndarray:
        if self._report_numbers is None:
            self._report_numbers = self._reports()
        return self._report_numbers

    def __len__(self) -> int:
        return len(self.array)

    def __iter__(self):
        return iter(self.array.tolist())

    def __contains__(self, uid) -> bool:
        return bool(np.any(self.array == uid))

    @staticmethod
    def array_of(docs) -> np.ndarray:
        return docs.array if isinstance(docs, DocSet) else np.fromiter(docs, dtype=np.int64)


class FacetColumn:
    """One facet over all documents, as (value, report) pairs numbered 0…P-1.

    ``pair_value[p]`` is the value of pair p; the pairs of document d are
    ``flat[start[d]:start[d + 1]]``. Counting distinct reports per value among some documents
    is then: gather their pairs, mark each pair once, count the marks per value.
    """

    def __init__(self, cells: list[str], report_of: np.ndarray):
        """From each document's cell (its values joined by ``MULTI_SEP``, "" for none) and report
        number. Documents repeat few distinct cells (a report's sections share most values), so
        cells are split once each and the rest is array work."""
        numbers: dict[str, int] = {}
        cell_of = np.fromiter((numbers.setdefault(c, len(numbers)) for c in cells), dtype=np.int64, count=len(cells))
        self.values: list[str] = []
        value_numbers: dict[str, int] = {}
        split = [[value_numbers.setdefault(v, len(value_numbers)) for v in c.split(MULTI_SEP)] if c else [] for c in numbers]
        self.values = list(value_numbers)
        self.rank = _ranks(self.values)
        cell_start = np.concatenate(([0], np.cumsum([len(v) for v in split], dtype=np.int64)))
        cell_flat = np.fromiter((v for values in split for v in values), dtype=np.int64, count=int(cell_start[-1]))
        lengths = (cell_start[1:] - cell_start[:-1])[cell_of]
        self.start = np.concatenate(([0], np.cumsum(lengths)))
        doc_values = cell_flat[_ranges(cell_start[cell_of], lengths)]
        reports = int(report_of.max()) + 1 if len(report_of) else 1
        codes, self.flat = np.unique(doc_values * reports + np.repeat(report_of, lengths), return_inverse=True)
        self.flat = self.flat.reshape(-1)
        self.pair_value, self.pair_report = codes // reports, codes % reports
        self.single = not len(cells) or int(lengths.max(initial=0)) <= 1
        if self.single:  # at most one value per document: one array lookup
            self.dense = np.full(len(cells), -1, dtype=np.int64)
            self.dense[lengths == 1] = self.flat
        self._merged: tuple | None = None

    def pairs_of(self, docs: np.ndarray) -> np.ndarray:
        if self.single:
            pairs = self.dense[docs]
            return pairs[pairs >= 0]
        return self.flat[_ranges(self.start[docs], self.start[docs + 1] - self.start[docs])]

    def merged(self, aliases: dict[str, str]) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
        """(pair -> merged pair, merged pair -> merged value, merged values, their ranks) once
        ``aliases`` merge values. Worked out once per mapping (the catalogue's, one per index
        generation)."""
        cached = self._merged
        if cached is None or cached[0] is not aliases:
            cached = self._merged = (aliases, *merge_pairs(self.values, self.pair_value, self.pair_report, aliases)[:4])
        return cached[1:]

    def counts(self, docs: np.ndarray, aliases: dict[str, str] | None = None) -> tuple[np.ndarray, list[str], np.ndarray]:
        """(value number -> distinct reports among ``docs``, the values, their ranks in sorted
        order), ``aliases`` merging values first."""
        pairs = self.pairs_of(docs)
        if aliases:
            merged_pair, pair_value, values, rank = self.merged(aliases)
            pairs = merged_pair[pairs]
        else:
            pair_value, values, rank = self.pair_value, self.values, self.rank
        present = np.zeros(len(pair_value), dtype=np.bool_)
        present[pairs] = True  # each (value, report) pair once, however many sections hold it
        return np.bincount(pair_value[present], minlength=len(values)), values, rank

    def count(self, docs: np.ndarray, aliases: dict[str, str] | None = None) -> Counter:
        """value -> number of distinct reports among ``docs``, most reported first, then by value."""
        counts, values, rank = self.counts(docs, aliases)
        found = np.flatnonzero(counts)
        found = found[np.lexsort((rank[found], -counts[found]))]
        return Counter(dict(zip(map(values.__getitem__, found.tolist()), counts[found].tolist())))

    def top(self, docs: np.ndarray, limit: int | None, aliases: dict[str, str] | None = None,
            selected=()) -> list[tuple[str, int]]:
        """The first ``limit`` items of ``count`` and the ``selected`` values further down, without
        making Python objects of the thousands of other instruments a common word finds."""
        counts, values, rank = self.counts(docs, aliases)
        found = np.flatnonzero(counts)
        if limit is not None and len(found) > limit:  # the values counted at least as the limit-th one
            least = np.partition(counts[found], len(found) - limit)[len(found) - limit]
            wanted = set(selected)
            chosen = [n for n, v in enumerate(values) if v in wanted and counts[n]] if wanted else []
            found = np.union1d(found[counts[found] >= least], np.array(chosen, dtype=np.int64))
        found = found[np.lexsort((rank[found], -counts[found]))].tolist()
        if limit is not None:
            found = found[:limit] + [n for n in found[limit:] if values[n] in selected]
        return [(values[n], int(counts[n])) for n in found]


class FacetTable:
    """Per document: its report and its facet values."""

    def __init__(self, report_ids: list[str], report_of: np.ndarray, facets: dict[str, FacetColumn]):
        self.report_ids = report_ids  # document -> report id
        self.report_of = report_of  # document -> report number
        self.facets = facets

    @classmethod
    def from_columns(cls, report_ids: list[str], cells: dict[str, list[str]]) -> "FacetTable":
        """From each document's report id and, per facet of ``FACET_COLUMNS``, its cell (values
        joined by ``MULTI_SEP``), in document order."""
        numbers: dict[str, int] = {}
        report_of = np.fromiter((numbers.setdefault(r, len(numbers)) for r in report_ids), dtype=np.int64, count=len(report_ids))
        return cls(report_ids, report_of, {facet: FacetColumn(cells[facet], report_of) for facet in FACETS})

    def count_reports(self, docs) -> int:
        """The number of distinct reports among ``docs``."""
        reports = self.report_of[DocSet.array_of(docs)]
        return int(np.count_nonzero(np.bincount(reports, minlength=1)))

    @cached_property
    def report_numbers(self) -> dict[str, int]:
        """Report id -> number (a table read back from its file makes it on first use)."""
        return dict(zip(self.report_ids, self.report_of.tolist()))

    def sections_per_report(self, docs, report_ids: list[str]) -> list[int]:
        """How many of ``docs`` each of ``report_ids`` holds, counted at once."""
        numbers = self.report_numbers
        counts = np.bincount(self.report_of[DocSet.array_of(docs)], minlength=len(numbers))
        return [int(counts[numbers[r]]) if r in numbers else 0 for r in report_ids]

    def count_facet(self, facet: str, docs, aliases: dict[str, str] | None = None) -> Counter:
        return self.facets[facet].count(DocSet.array_of(docs), aliases)

    def top_values(self, facet: str, docs, limit: int | None, aliases: dict[str, str] | None = None,
                   selected=()) -> list[tuple[str, int]]:
        return self.facets[facet].top(DocSet.array_of(docs), limit, aliases, selected)


def merge_pairs(values: list[str], pair_value: np.ndarray, pair_report: np.ndarray, aliases: dict[str, str]):
    """(value, report) pairs once ``aliases`` merge values: (pair -> merged pair, merged pair ->
    merged value, merged values, their ranks, merged value -> number)."""
    numbers: dict[str, int] = {}
    target = np.array([numbers.setdefault(aliases.get(v, v), len(numbers)) for v in values], dtype=np.int64)
    reports = int(pair_report.max()) + 1 if len(pair_report) else 1
    codes, merged_pair = np.unique(target[pair_value] * reports + pair_report, return_inverse=True)
    return merged_pair.reshape(-1), codes // reports, list(numbers), _ranks(list(numbers)), numbers


def _ranks(values: list[str]) -> np.ndarray:
    """value number -> its place among the values in sorted order."""
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[sorted(range(len(values)), key=values.__getitem__)] = np.arange(len(values))
    return ranks


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions ``starts[i] … starts[i] + lengths[i] - 1`` of every i, in order."""
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    before = np.cumsum(lengths) - lengths  # where each range goes in the result
    return np.repeat(starts - before, lengths) + np.arange(total)
