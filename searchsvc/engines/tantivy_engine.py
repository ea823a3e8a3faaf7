"""The Tantivy engine (``searchsvc index --engine tantivy``): the one module that speaks Tantivy.

Same analysis, same query language, same results as the Whoosh engine, without Rust tokenizers.
This module reads; ``tantivy_writer`` holds the schema, the analysis (``prepare``) and the writer,
``tantivy_query`` turns the query tree into Tantivy queries, ``tantivy_arrays`` holds what a
reader knows per document.

* **Text is analyzed in Python** and handed to Tantivy as pre-split tokens (``tantivy_writer``).
* **Queries are built as objects**, never through Tantivy's query parser, and score as Whoosh
  scores (``tantivy_query.Compiler``).
* **Facets never score and never read stored documents.** The writer numbers documents (``uid``,
  a u64 fast field) and writes one line per document — report and facet values — to
  ``facets.jsonl`` beside the index; a reader loads it once into NumPy arrays.
  ``matching_docs`` collects the uids of every hit ordered by the ``uid`` fast field (no scoring:
  the cheapest way these bindings give every hit; when most documents match, the others), and
  ``count_facet`` counts distinct (value, report) pairs from the arrays at once; a facet that
  every section of a report shares (province, year, period, doctype) is counted from the reports
  that hold a hit, one mask per set of hits (``Arrays.reports_in``). Lines of deleted documents
  stay (no hit ever names them) until the next full build.
* **Sorting by date** uses two fast text keys per document, ``sort_old`` (date, report, order) and
  ``sort_new`` (date inverted so that ascending order is newest first), both ascending: ties break
  exactly as Whoosh's (date, report_id, order). Ties in relevance break by ``sort_new`` (newest
  report first, then report id and section order), as Whoosh's.
* **Vocabulary and corrections** read the term dictionaries (``Searcher.terms_with_prefix``), so
  nothing has to be kept in step with them on incremental updates.
"""
from __future__ import annotations

import json
import threading
from collections import Counter
from operator import itemgetter
from pathlib import Path

import numpy as np
import tantivy

from ..memory import map_large_blocks, release_free_memory
from ..normalize import fold
from .docsets import DocSet
from .tantivy_arrays import UID_TYPE, Arrays
from .tantivy_query import Compiler, all_of
from .tantivy_writer import FACETS_FILE, LAYOUT_VERSION, create_writer, line_count, open_index, prepare, segment_sizes

__all__ = ["prepare", "create_writer", "open_reader", "LAYOUT_VERSION"]

Occur = tantivy.Occur
Q = tantivy.Query


class Reader:
    """Shared by the threads of a server worker: a Tantivy searcher may run many searches at once
    (each releases the GIL), and the per-document arrays are only read once built."""

    TIE_MARGIN = 1024  # hits fetched past the last wanted one; less costs more searches again at 10,000 reports, where ties run long
    REPORTS_FOR_HITS = 4  # Tantivy lists a report with its hit count for about what it hands over 4 hits for

    def __init__(self, path: Path):
        map_large_blocks()  # searches make and drop arrays of a few MB (``memory``)
        self._index = open_index(path)
        self._index.config_reader(reload_policy="manual")  # a generation never changes once built
        self._path = path
        self._sizes = segment_sizes(path)
        self._searcher = self._index.searcher()
        self._num_docs = self._searcher.num_docs
        self._rows_path = path / FACETS_FILE
        top = self._searcher.search(Q.all_query(), 1, count=False, order_by_field="uid").hits
        if top and top[0][0] >= line_count(self._rows_path):
            raise ValueError(f"{FACETS_FILE} thiếu dòng của tài liệu {top[0][0]}")
        self._arrays: Arrays | None = None
        self._loading = threading.Lock()
        self._local = threading.local()  # the reports of the last hits counted, per thread
        self._vocabulary: dict[str, str] | None = None
        self._spelling: dict[str, list[tuple[str, int]]] = {}

    def _check_files(self) -> None:
        """Tantivy reads its segments memory-mapped: reading a file cut short under it is a
        SIGBUS that kills the server worker, not an error. So each search first checks that the
        segment files are still the size they were when opened (a few ``stat`` calls): a
        damaged index is then an error, which the request answers with a 503."""
        if segment_sizes(self._path) != self._sizes:
            raise OSError(f"các tệp chỉ mục Tantivy ở {self._path} đã bị thay đổi hoặc cắt ngắn")

    def _load(self) -> "Arrays":
        """The per-uid arrays, read from ``facets.jsonl`` on first use (opening stays cheap: the
        indexer opens the live index only to check it).

        What Tantivy hands over for every document (a tuple and a ``DocAddress`` each, 320,000
        at 10,000 reports) is asked for first and dropped before the arrays are read, so that
        the arrays reuse that memory instead of settling around it; what is left free is then
        given back to the system (``release_free_memory``)."""
        if self._arrays is None:
            with self._loading:
                if self._arrays is None:
                    lines = line_count(self._rows_path)
                    live = self._live(lines)
                    tie_rank, tie_order = self._tie_rank(lines)
                    arrays = Arrays.read(self._rows_path)
                    arrays.live, arrays.tie_rank, arrays.tie_order = live, tie_rank, tie_order
                    arrays.count_live()
                    self._arrays = arrays
                    # searching calls report_of once per hit: from now on straight into the list
                    self.report_of = self._arrays.report_ids.__getitem__
                    release_free_memory()
        return self._arrays

    def _live(self, lines: int) -> np.ndarray:
        """uid -> not deleted. Every uid below ``lines`` names one document and no two share one,
        so when Tantivy has as many live documents as there are lines, none was deleted."""
        live = np.zeros(lines, dtype=np.bool_)  # deleted ones stay False
        if self._num_docs == lines:
            live[:] = True
        elif self._num_docs:
            hits = self._searcher.search(Q.all_query(), self._num_docs, count=False, order_by_field="uid",
                                         order=tantivy.Order.Asc).hits
            live[_uids_of(hits)] = True
        return live

    def _tie_rank(self, lines: int) -> tuple[np.ndarray, bool]:
        """(uid -> place in the order of equal scores: newest report first, then report id and
        section order (``sort_new``); whether Tantivy's own order of documents is that order,
        in one segment, so that its ties are already right)."""
        by_date = self._searcher.search(Q.all_query(), max(self._num_docs, 1), count=False,
                                        order_by_field="sort_new", order=tantivy.Order.Asc).hits
        addresses = [address for _, address in by_date]
        del by_date
        uids = np.array(self._searcher.fast_field_values("uid", addresses) if addresses else [], dtype=np.int64)
        tie_rank = np.full(lines, len(uids), dtype=UID_TYPE)
        tie_rank[uids] = np.arange(len(uids))
        tie_order = self._searcher.num_segments == 1 and bool(np.all(np.diff(
            np.fromiter((address.doc for address in addresses), dtype=np.int64, count=len(addresses))) > 0))
        return tie_rank, tie_order

    def close(self) -> None:
        """Nothing to release early: Tantivy unmaps the files when the last reference goes, and
        a search still running on another thread keeps working."""

    def doc_count(self) -> int:
        return self._num_docs

    # queries
    def compile(self, tree, filters: dict[str, list[str]]) -> dict:
        """The scored query, the same without its optional nearness boosts (what decides which
        documents match), and one query per facet filter, kept apart for disjunctive facets."""
        self._check_files()
        compiler = Compiler(self._searcher, self._num_docs)
        return {
            "scored": compiler.translate(tree),
            "match": compiler.translate(tree, boosts=False),
            "filters": {f: compiler.filter(f, v) for f, v in filters.items() if v},
            "totals": {},  # hits per excluded facet, once known in this search (page, matching_docs)
        }

    @staticmethod
    def _restricted(compiled: dict, excluding: str | None = None, part: str = "match") -> tantivy.Query:
        return all_of([compiled[part], *(q for f, q in compiled["filters"].items() if f != excluding)])

    def page(self, compiled: dict, sort: str, offset: int, limit: int):
        """(uid, score, stored fields) of one page, and the total number of hits."""
        hits, uids, total = self._top(compiled, sort, offset, limit)
        return [(uid, score, self._stored(address)) for uid, (score, address) in zip(uids, hits)], total

    def sections(self, compiled: dict, sort: str, limit: int, kept: dict | None = None):
        """The best ``limit`` hits as (uid, score, report id), a function giving the stored
        fields of the i-th (read only when asked: ``grouping.group_sections``), and the total.
        ``kept`` keeps the hits fetched for the next call of the same search (``_ranked``)."""
        hits, uids, total = self._top(compiled, sort, 0, limit, kept)
        report_ids = self._load().report_ids
        found = list(zip(uids, map(_FIRST, hits), map(report_ids.__getitem__, uids)))
        return found, lambda i: self._stored(hits[i][1]), total

    def _stored(self, address) -> dict:
        return json.loads(self._searcher.doc(address).get_first("hit"))

    def _top(self, compiled: dict, sort: str, offset: int, limit: int, kept: dict | None = None):
        """(score, address) of the hits ``offset`` to ``offset + limit`` in ``sort`` order, their
        uids, and the total."""
        query = self._restricted(compiled, part="scored")
        if sort == "relevance":
            hits, uids, total = self._ranked(query, offset + limit, {} if kept is None else kept)
            hits, uids = hits[offset : offset + limit], (uids[offset : offset + limit] if uids is not None else None)
        else:
            key = "sort_new" if sort == "newest" else "sort_old"
            results = self._searcher.search(query, max(limit, 1), offset=offset, order_by_field=key, order=tantivy.Order.Asc)
            hits, total = [(0.0, address) for _, address in results.hits[:limit]], results.count
            uids = None
        compiled["totals"][None] = total  # matching_docs, later in this search, needs it
        if uids is None:
            uids = self._searcher.fast_field_values("uid", [address for _, address in hits]) if hits else []
        return hits, uids, total

    def _ranked(self, query: tantivy.Query, wanted: int, kept: dict):
        """The best ``wanted`` hits of ``query`` as (score, address), equal scores newest
        report first, then by report id and section order (as Whoosh's), their uids (None when
        not read), and the total.

        Tantivy breaks ties by segment and document, which merges reorder; so fetch past the
        last wanted hit (``TIE_MARGIN``), eight times as far while that still ends in a tie
        (reports repeat whole sections: ties can run long), and order the ties by date rank. Only the hits down to
        the last one scoring as the last wanted one can be wanted. When Tantivy's own order of
        documents is the date order, its ties are already right.

        The hits fetched are ``kept`` for a later call of the same search wanting more (grouping,
        which lets them go once grouped: kept longer, thousands of objects would outlive the young
        generations of the garbage collector and bring its full collections sooner): when they
        are every hit, or when the hits scoring above the last one fetched (every document
        scoring more is among them) are as many as it wants, they give its hits without
        searching again."""
        arrays = self._load()
        if arrays.tie_order:
            results = self._searcher.search(query, wanted)
            return results.hits, None, results.count
        hits, scores, fetch, total = kept.get("ranked", (None, None, 0, 0))
        if hits is None or not (len(hits) < fetch or wanted <= np.count_nonzero(scores > scores[-1])):
            fetch = wanted + self.TIE_MARGIN
            results = self._searcher.search(query, fetch)
            total, hits = results.count, results.hits
            while len(hits) == fetch and hits[-1][0] == hits[wanted - 1][0]:
                fetch *= 8
                hits = self._searcher.search(query, fetch, count=False).hits
            if not hits:
                return [], [], total
            scores = np.array(next(zip(*hits)), dtype=np.float64)  # the scores at once: a fetch may hand over thousands
            kept["ranked"] = hits, scores, fetch, total
        end = len(hits)
        if end > wanted:  # down to the last hit scoring as the last wanted one
            later = np.flatnonzero(scores[wanted:] != scores[wanted - 1])
            end = wanted + int(later[0]) if len(later) else end
        uids = np.array(self._searcher.fast_field_values("uid", [address for _, address in hits[:end]]), dtype=np.int64)
        order = np.lexsort((arrays.tie_rank[uids], -scores[:end]))[:wanted]  # stable, as sorted()
        return list(map(hits.__getitem__, order.tolist())), uids[order].tolist(), total

    def matching_docs(self, compiled: dict, excluding: str | None = None) -> "DocSet":
        """Every hit, as a ``DocSet`` of uids.

        Handing hits to Python costs far more than finding them (a 45,000-hit word: 1 ms to
        search, 10 ms to convert), so when most documents match, the others are fetched and
        the hits are what is left of all live documents. The hits without one facet's filter
        are only counted for that facet: for a facet that is the same in every section of a
        report (province, year, period), the reports that have a hit are enough, and Tantivy
        lists those for less than it hands over the uids of that many hits (``_reports``); the
        uids are then fetched only if something else asks for them.
        """
        if not self._num_docs:
            return DocSet(np.zeros(0, dtype=np.int64))
        query = self._restricted(compiled, excluding)
        total = compiled["totals"].get(excluding)
        if total is None:
            total = compiled["totals"][excluding] = self._searcher.search(query, 1, order_by_field="uid").count
        arrays = self._load()
        if excluding is not None and arrays.facets[excluding].per_report \
                and min(total, self._num_docs - total) > self.REPORTS_FOR_HITS * len(arrays.report_numbers):
            return DocSet(fetch=lambda: self._hits(query, total), reports=lambda: self._reports(query))
        return self._hits(query, total)

    def _hits(self, query: tantivy.Query, total: int) -> "DocSet":
        """The ``total`` hits of ``query``: their uids, or when they are most documents, the
        uids of the live documents that are not hits (facets are then counted from those)."""
        if 2 * total <= self._num_docs:
            return DocSet(self._uids(query, total))
        outside = self._uids(Q.boolean_query([(Occur.Must, Q.all_query()), (Occur.MustNot, query)]), self._num_docs - total)
        return DocSet(outside=outside, live=self._load().live)

    def _reports(self, query: tantivy.Query) -> np.ndarray:
        """The numbers of the reports with a hit of ``query`` (their ids with a hit count, from
        the term dictionary of ``report_id``: deleted documents are not counted)."""
        numbers = self._load().report_numbers
        found = self._searcher.terms_with_prefix("report_id", "", filter_query=query)
        return np.fromiter((numbers[report_id] for report_id, _ in found), dtype=np.int64, count=len(found))

    def _uids(self, query: tantivy.Query, expected: int) -> np.ndarray:
        """The uids of every hit of ``query`` (unscored, in uid order)."""
        if expected <= 0:
            return np.zeros(0, dtype=np.int64)
        return _uids_of(self._searcher.search(query, expected, count=False, order_by_field="uid", order=tantivy.Order.Asc).hits)

    def sections_per_report(self, docs, report_ids: list[str]) -> list[int]:
        """How many of ``docs`` each of ``report_ids`` holds, counted at once from the arrays."""
        arrays = self._load()
        counts = np.bincount(arrays.report_of[DocSet.array_of(docs)], minlength=len(arrays.first_uid))
        return [int(counts[arrays.report_numbers[r]]) if r in arrays.report_numbers else 0 for r in report_ids]

    def report_of(self, doc: int) -> str:
        return self._load().report_ids[doc]

    def count_reports(self, docs) -> int:
        """The number of distinct reports among ``docs`` (``len({report_of(d) for d in docs})``)."""
        return int(np.count_nonzero(self._reports_in(docs)))

    def _reports_in(self, docs) -> np.ndarray:
        """``Arrays.reports_in(docs)``, worked out once for the last ``docs`` of this thread: a
        search counts its reports and its facets shared by a report's sections over the same hits."""
        local = self._local
        if getattr(local, "docs", None) is not docs:
            local.reports, local.docs = self._load().reports_in(docs), docs
        return local.reports

    def count_facet(self, facet: str, docs, aliases: dict[str, str] | None = None) -> Counter:
        """value -> number of distinct reports among ``docs``; ``aliases`` merge values first.

        The counter lists values most reported first, then by value (how search shows them), so
        sorting it again costs next to nothing."""
        counts, values, rank, _ = self._counts(facet, docs, aliases)
        found = np.flatnonzero(counts)
        found = found[np.lexsort((rank[found], -counts[found]))]
        return Counter(dict(zip(map(values.__getitem__, found.tolist()), counts[found].tolist())))

    def top_values(self, facet: str, docs, limit: int | None, aliases: dict[str, str] | None = None,
                   selected=()) -> list[tuple[str, int]]:
        """What a search shows of a facet: (value, number of distinct reports among ``docs``) of
        the ``limit`` values most reported, then by value, followed by the ``selected`` values
        further down, in the same order; values that no document of ``docs`` holds are left out.

        That is the first ``limit`` items of ``count_facet`` and the selected ones after them,
        without making Python objects of the thousands of other instruments."""
        counts, values, rank, numbers = self._counts(facet, docs, aliases)
        found = np.flatnonzero(counts)
        if limit is not None and len(found) > limit:  # the values counted at least as the limit-th one
            least = np.partition(counts[found], len(found) - limit)[len(found) - limit]
            chosen = [numbers[v] for v in selected if v in numbers and counts[numbers[v]]]
            found = np.union1d(found[counts[found] >= least], np.array(chosen, dtype=np.int64))
        found = found[np.lexsort((rank[found], -counts[found]))].tolist()
        if limit is not None:
            found = found[:limit] + [n for n in found[limit:] if values[n] in selected]
        return [(values[n], int(counts[n])) for n in found]

    def _counts(self, facet: str, docs, aliases: dict[str, str] | None):
        """``Arrays.counts``: (value number -> distinct reports among ``docs``, values, their ranks
        in sorted order, value -> number), ``aliases`` merging values first."""
        arrays = self._load()
        reports = self._reports_in(docs) if arrays.facets[facet].per_report and not aliases else None
        return arrays.counts(facet, docs, aliases, reports)

    def warm(self) -> None:
        """Read now what a first query would: the per-uid arrays and the vocabulary."""
        self._load()
        self.vocabulary()

    # suggestions
    def vocabulary(self) -> dict[str, str]:
        """Folded term -> its most frequent accented spelling in the corpus. Most terms have no
        accent (nine in ten at 10,000 reports): their key is the term itself, one string kept."""
        if self._vocabulary is None:
            terms = self._searcher.terms_with_prefix("body", "")
            vocabulary: dict[str, str] = {}
            for term, _ in sorted(terms, key=lambda t: (-t[1], t[0])):  # most frequent, then first in order
                folded = fold(term)
                vocabulary.setdefault(term if folded == term else folded, term)
            del terms
            self._vocabulary = vocabulary
            release_free_memory()  # what Tantivy listed the terms in
        return self._vocabulary

    def correct(self, folded_word: str) -> str | None:
        """The closest indexed folded word (fewest edits, then most frequent; first letter kept)."""
        if not folded_word:
            return None
        first, rest = folded_word[0], folded_word[1:]
        if first not in self._spelling:
            self._spelling[first] = sorted(self._searcher.terms_with_prefix("body_f", first))
        candidates = self._spelling[first]
        for distance in (1, 2):
            best: tuple[str, int] | None = None
            for term, frequency in candidates:
                if term != folded_word and abs(len(term) - len(folded_word)) <= distance \
                        and _within(term[1:], rest, distance) and (best is None or frequency > best[1]):
                    best = (term, frequency)
            if best:
                return best[0]
        return None


def open_reader(path: Path) -> Reader:
    return Reader(path)


_FIRST = itemgetter(0)


def _uids_of(hits: list) -> np.ndarray:
    """The uids of hits ordered by the ``uid`` fast field."""
    return np.fromiter(map(_FIRST, hits), dtype=np.int64, count=len(hits))


def _within(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance of ``a`` and ``b`` is at most ``limit`` (no transpositions, as Whoosh)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit
