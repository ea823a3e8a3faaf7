"""The Whoosh engine (the default): the one module that speaks Whoosh.

Whoosh stores the index: one Whoosh document per section (``schema.section_documents``), with
postings, field lengths, columns and stored fields in Whoosh's files; the body's terms are
counted once per section, in the indexer's worker processes (``prepare``).

Searching does not run Whoosh's matchers, which score one posting at a time in Python (tens of
thousands of hits for a common word). The reader reads each term's postings once into NumPy
arrays (document numbers and weights, a block at a time, from the W3 codec's block layout:
whoosh-reloaded is pinned to 2.7.5) and evaluates the query tree over arrays, scoring exactly as
Whoosh's default BM25F does (its idf, field lengths as Whoosh keeps them in one byte, field boosts
in the weights), adding scores for AND and OR. Equal scores come newest report first, then by
report id and section order (``TIE_ORDER``): the same order after any rebuild, whichever
process wrote which document.
The query tree is evaluated in ``whoosh_evaluate``; the facet table and per-document arrays are
saved with the index (``whoosh_arrays``). ``tests/test_whoosh_engine.py`` holds the scores to
Whoosh's own searcher. Facets are counted over
per-document arrays (``docsets``), date order over per-document ranks; the page's stored fields
come from Whoosh.
"""
from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from pathlib import Path

import numpy as np
from whoosh.filedb.filestore import FileStorage

from ..normalize import fold
from ..schema import FACET_COLUMNS
from . import whoosh_arrays
from .docsets import DocSet, FacetTable
from .whoosh_evaluate import Evaluator
from .whoosh_segments import field_lengths, join_values, leaves, number_column, positions, postings, text_column
from .whoosh_writer import create_writer, prepare, worker_writer

__all__ = ["prepare", "create_writer", "worker_writer", "open_reader"]

K1, B = 1.2, 0.75  # Whoosh's BM25F defaults
TIE_ORDER = "newest"  # equal scores: by report date (newest first), report id, section order
WARM_TERMS = 64  # most frequent (folded) body words whose postings are read before a generation serves
POSTINGS_BUDGET = 48 << 20  # bytes of term postings kept in memory per opened index, at least …
POSTINGS_PER_DOCUMENT = 4096  # … and this many per document: a cache sized to the index (12 bytes a posting; the
# benchmark mix of 160 queries keeps ~2,500 a document: a budget below what a cycle of queries reads keeps nothing)


# --- writing: ``whoosh_writer`` ------------------------------------------------------------------------
# --- reading ----------------------------------------------------------------------------------------
class Reader:
    """Shared by the threads of a server worker. A Whoosh searcher is not: its matchers seek and
    read one shared postings file, so two threads reading postings at once read each other's
    blocks. Each thread gets its own searcher of the same segments (the same document numbers),
    opened on its first use; what is read into arrays is shared."""

    def __init__(self, path: Path):
        # read, not memory-mapped: what a search touches once is read into arrays and kept (or
        # not) by this reader, instead of staying mapped into every server worker (and Whoosh's
        # mapped segment, ``BufferFile``, copies each of its files into a ``BytesIO`` at opening:
        # the whole index read into every process, 4x the CPU of opening at 2,000 reports)
        self._ix = FileStorage(str(path), supports_mmap=False).open_index()
        self._schema = self._ix.schema
        self._local = threading.local()
        self._searchers: list = []
        self._lock = threading.Lock()
        reader = self._searcher.reader()
        self._n = reader.doc_count_all()
        self._live = np.ones(self._n, dtype=np.bool_)
        for leaf, offset in leaves(reader):
            for doc in leaf.deleted_docs_set:
                self._live[offset + doc] = False
        self._path, self._key = Path(path), whoosh_arrays.segments_key(reader)
        saved = whoosh_arrays.load(self._path, self._key)
        if saved is None:
            self._table, arrays = FacetTable.from_columns(
                text_column(reader, "report_id"), {f: text_column(reader, c) for f, c in FACET_COLUMNS.items()}), {}
        else:
            self._table, arrays = saved
        self.report_of = self._table.report_ids.__getitem__
        self._postings: OrderedDict[tuple, tuple[object, int]] = OrderedDict()  # term -> (what was read, bytes)
        self._postings_bytes = 0
        self._budget = max(POSTINGS_BUDGET, POSTINGS_PER_DOCUMENT * self._n)
        self._arrays: dict[str, np.ndarray] = arrays  # field lengths, years, date ranks: read on first use
        self._vocabulary: dict[str, str] | None = None

    @property
    def _searcher(self):
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self._ix.searcher()
            with self._lock:
                self._searchers.append(searcher)
        return searcher

    def close(self) -> None:
        with self._lock:
            searchers, self._searchers = self._searchers, []
        for searcher in searchers:
            searcher.close()

    def doc_count(self) -> int:
        return int(self._live.sum())

    # per-document arrays
    def _array(self, name: str) -> np.ndarray:
        array = self._arrays.get(name)
        if array is None:
            array = self._arrays[name] = self._read_array(name)
        return array

    def _read_array(self, name: str) -> np.ndarray:
        reader = self._searcher.reader()
        if name.startswith("length:"):  # the field length Whoosh's BM25F divides by
            return field_lengths(reader, name.partition(":")[2])
        if name in ("year", "order"):
            return number_column(reader, name)
        # date order ("oldest"/"newest"): Whoosh's (sort_date, report_id, order), then document number
        dates = _codes(text_column(reader, "sort_date"))
        reports = _codes(text_column(reader, "report_id"))
        order = number_column(reader, "order")
        first = -dates if name == "newest" else dates
        ranks = np.empty(self._n, dtype=np.int64)
        ranks[np.lexsort((np.arange(self._n), order, reports, first))] = np.arange(self._n)
        return ranks

    def section_keys(self) -> tuple[list[str], np.ndarray]:
        """(report id, order in its report) of every document number: what ``signatures`` knows a section by."""
        return self._table.report_ids, self._array("order")

    def _term(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(documents, score of each) of one term, as Whoosh's BM25F scores it, read once."""
        key = (field, text)
        with self._lock:
            cached = self._postings.get(key)
            if cached is not None:
                self._postings.move_to_end(key)
                return cached[0]
        docs, weights, frequency = self._read_postings(field, text)
        reader = self._searcher.reader()
        if self._schema[field].scorable and len(docs):
            idf = math.log(self._n / (frequency + 1)) + 1
            average = reader.field_length(field) / (self._n or 1) or 1
            lengths = self._array(f"length:{field}")[docs]
            scores = idf * weights * (K1 + 1) / (weights + K1 * (1 - B + B * lengths / average))
        else:
            scores = weights
        self._keep(key, (docs, scores), docs.nbytes + scores.nbytes)
        return docs, scores

    def _positions(self, field: str, text: str) -> tuple[np.ndarray, bytes, np.ndarray, list]:
        """(documents, their encoded values joined, where each one starts, decoded positions of
        each once asked for) of a term in a field with positions (the headings), read once;
        ``positions_in`` decodes."""
        key = (field, text, "positions")
        with self._lock:
            cached = self._postings.get(key)
            if cached is not None:
                self._postings.move_to_end(key)
                return cached[0]
        ids, values = [], []
        for leaf, offset in leaves(self._searcher.reader()):
            docs, joined, starts = positions(leaf, field, text)
            ids.append(docs + offset)
            values.append((joined, starts))
        docs = np.concatenate(ids).astype(np.int32) if ids else np.zeros(0, dtype=np.int32)
        joined, starts = join_values(values)
        found = (docs, joined, starts, [None] * len(docs))
        self._keep(key, found, docs.nbytes + len(joined) + starts.nbytes + 8 * len(docs))
        return found

    def positions_in(self, field: str, text: str, docs: np.ndarray) -> list[tuple[int, ...]]:
        """The positions of a term in each of ``docs`` (documents that hold it), decoded once each."""
        held, joined, starts, decoded = self._positions(field, text)
        decode = self._schema[field].format.decode_positions
        found = []
        for at in np.searchsorted(held, docs).tolist():
            where = decoded[at]
            if where is None:
                where = decoded[at] = tuple(decode(joined[starts[at]:starts[at + 1]]))
            found.append(where)
        return found

    def _keep(self, key: tuple, value, size: int) -> None:
        """Cache what was read of a term, within the budget (least recently used go)."""
        with self._lock:
            self._postings[key] = (value, size)
            self._postings_bytes += size
            while self._postings_bytes > self._budget and len(self._postings) > 1:
                _, (_, old_size) = self._postings.popitem(last=False)
                self._postings_bytes -= old_size

    def _read_postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray, int]:
        """Document numbers and weights of a term, deleted documents left out, and its document
        frequency as Whoosh's idf counts it: every posting written, deleted documents included
        (what each segment's term info holds; not looked up again in every segment)."""
        ids, weights = [], []
        for leaf, offset in leaves(self._searcher.reader()):
            docs, values = postings(leaf, field, text)
            ids.append(docs + offset)
            weights.append(values)
        if not ids:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64), 0
        docs, weights = np.concatenate(ids).astype(np.int32), np.concatenate(weights)
        live = self._live[docs]
        return (docs, weights, len(docs)) if live.all() else (docs[live], weights[live], len(docs))

    # queries
    def compile(self, tree, filters: dict[str, list[str]]) -> dict:
        """The query and each facet filter as (matching documents as a mask, scores), kept apart
        for disjunctive facets. Optional nearness clauses only change scores."""
        return {
            "query": Evaluator(self).node(tree),
            "filters": {f: Evaluator(self).filter(f, v) for f, v in filters.items() if v},
        }

    def _mask(self, compiled: dict, excluding: str | None = None) -> np.ndarray:
        mask = compiled["query"][0]
        for facet, (filter_mask, _) in compiled["filters"].items():
            if facet != excluding:
                mask = mask & filter_mask
        return mask

    def _top(self, compiled: dict, sort: str, offset: int, limit: int):
        """The documents and scores (arrays) of the hits ``offset`` to ``offset + limit`` in ``sort``
        order, and the total: made Python numbers at once (a fetch for grouping has thousands)."""
        docs = self.matching_docs(compiled).array
        wanted = offset + limit
        if sort == "relevance":
            scores = compiled["query"][1] + sum((s for _, s in compiled["filters"].values()), np.zeros(self._n))
            order = _best(scores[docs], self._array(TIE_ORDER)[docs], wanted)
        else:
            ranks = self._array(sort)[docs]
            chosen = np.argpartition(ranks, wanted - 1)[:wanted] if len(docs) > wanted else np.arange(len(docs))
            order = chosen[np.argsort(ranks[chosen])]
            scores = np.zeros(self._n)
        best = docs[order][offset:wanted]
        return best, scores[best], len(docs)

    def page(self, compiled: dict, sort: str, offset: int, limit: int):
        """(doc, score, stored fields) of one page, and the total number of hits."""
        docs, scores, total = self._top(compiled, sort, offset, limit)
        return [(doc, score, self._searcher.stored_fields(doc)) for doc, score in zip(docs.tolist(), scores.tolist())], total

    def sections(self, compiled: dict, sort: str, limit: int, kept: dict | None = None):
        """(doc, score, report id) of the best ``limit`` hits, the stored fields of the i-th on demand, the total.
        (``kept`` is not needed: every hit is scored at once, ``compiled`` keeps them.)"""
        docs, scores, total = self._top(compiled, sort, 0, limit)
        docs = docs.tolist()
        return list(zip(docs, scores.tolist(), map(self.report_of, docs))), lambda i: self._searcher.stored_fields(docs[i]), total

    def matching_docs(self, compiled: dict, excluding: str | None = None) -> DocSet:
        """Documents matching the query and every filter but ``excluding``."""
        key = ("docs", excluding)
        if key not in compiled:
            compiled[key] = DocSet(np.flatnonzero(self._mask(compiled, excluding)))
        return compiled[key]

    def count_reports(self, docs) -> int:
        return self._table.count_reports(docs)

    def sections_per_report(self, docs, report_ids: list[str]) -> list[int]:
        return self._table.sections_per_report(docs, report_ids)

    def count_facet(self, facet: str, docs, aliases: dict[str, str] | None = None) -> Counter:
        """value -> number of distinct reports among ``docs`` (most first, then by value);
        ``aliases`` merge values first."""
        return self._table.count_facet(facet, docs, aliases)

    def top_values(self, facet: str, docs, limit: int | None, aliases: dict[str, str] | None = None,
                   selected=()) -> list[tuple[str, int]]:
        """The first ``limit`` values of ``count_facet`` and the ``selected`` ones further down."""
        return self._table.top_values(facet, docs, limit, aliases, selected)

    def _read_arrays(self) -> None:
        """Every per-document array: field lengths of every scored field, date ranks, years."""
        for name, field in self._schema.items():
            if field.scorable:
                self._array(f"length:{name}")
        for name in ("newest", "oldest", "year", "order"):
            self._array(name)

    def save_arrays(self) -> None:
        """Save the facet table and every per-document array beside the index (``whoosh_arrays``):
        the writer does after its commit, so that a reader opens with them at once."""
        self._read_arrays()
        whoosh_arrays.save(self._path, self._key, self._table, dict(self._arrays))

    def warm(self) -> None:
        """Read now what a first query would: the per-document arrays, the postings of the most
        frequent words (folded, in the body), the vocabulary of "did you mean"."""
        self._read_arrays()
        for _, term in self._searcher.reader().most_frequent_terms("body_f", WARM_TERMS):
            self._term("body_f", term.decode("utf-8") if isinstance(term, bytes) else term)
        self.vocabulary()

    # suggestions
    def vocabulary(self) -> dict[str, str]:
        """Folded term -> its most frequent accented spelling in the corpus."""
        if self._vocabulary is None:
            # each segment's terms read on their own, their frequencies added up: what Whoosh's
            # reader of all segments gives term by term, where it looks each term up in every segment
            frequencies: Counter = Counter()
            for leaf, _ in leaves(self._searcher.reader()):
                for term, info in leaf.iter_field("body"):
                    frequencies[term.decode("utf-8") if isinstance(term, bytes) else term] += info.doc_frequency()
            best: dict[str, tuple[int, str]] = {}
            for text in sorted(frequencies):  # in term order, as Whoosh gives them: the first of equals kept
                key = fold(text)
                if key not in best or frequencies[text] > best[key][0]:
                    best[key] = (frequencies[text], text)
            self._vocabulary = {k: v for k, (_, v) in best.items()}
        return self._vocabulary

    def correct(self, folded_word: str) -> str | None:
        """The closest indexed folded word (fewest edits, then most frequent; first letter kept)."""
        reader = self._searcher.reader()
        for distance in (1, 2):
            candidates = [t for t in reader.terms_within("body_f", folded_word, distance, prefix=1) if t != folded_word]
            if candidates:
                return max(candidates, key=lambda t: reader.doc_frequency("body_f", t))
        return None


def open_reader(path: Path) -> Reader:
    return Reader(path)


def _codes(values: list[str]) -> np.ndarray:
    """Each value's place among the distinct values in sorted order."""
    distinct = sorted(set(values))
    number = {v: i for i, v in enumerate(distinct)}
    return np.fromiter(map(number.__getitem__, values), dtype=np.int64, count=len(values))


def _best(scores: np.ndarray, ties: np.ndarray, wanted: int) -> np.ndarray:
    """Positions of the ``wanted`` best scores, best first, equal scores by ``ties`` (ranks)."""
    if len(scores) > wanted:
        threshold = np.partition(scores, len(scores) - wanted)[len(scores) - wanted]
        candidates = np.flatnonzero(scores >= threshold)
    else:
        candidates = np.arange(len(scores))
    return candidates[np.lexsort((ties[candidates], -scores[candidates]))][:wanted]
