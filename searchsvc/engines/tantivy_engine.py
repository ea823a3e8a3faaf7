"""The Tantivy engine (``searchsvc index --engine tantivy``): the one module that speaks Tantivy.

Same analysis, same query language, same results as the Whoosh engine, without Rust tokenizers:

* **Text is analyzed here, in Python** (``analysis.split_compound``, ``exact_form``, ``fold``) and
  handed to Tantivy as space-separated tokens that its ``whitespace`` tokenizer only splits
  (``analyze``): the parts of compounds at consecutive positions ("84/NQ-CP" -> "84 nq cp"), then
  the whole compounds ("84/nq-cp", "covid-19") that a one-word query looks up; and, as Whoosh's
  ``body_b``/``body_eb``, the body's syllable bigrams ("đầu_tư tư_công"), so that a phrase in the
  body is term lookups. Each distinct run of text is analyzed once (``analysis.analyze_text``), in
  ``prepare``, which the indexer runs in its worker processes.
* **Queries are built as objects** (``Query.term_query``/``phrase_query``/``boolean_query``…),
  never through Tantivy's query parser: what a user typed is never Tantivy syntax. They score as
  Whoosh scores (``_Compiler``): Whoosh's idf, a heading phrase worth the sum of its terms,
  heading terms weighing ``HEADING_BOOST`` times, ``EXACT_BOOST`` and ``PROXIMITY_BOOST`` taken
  from ``whoosh_engine``.
* **Facets never score and never read stored documents.** The writer numbers documents (``uid``,
  a u64 fast field) and writes one line per document — report and facet values — to
  ``facets.jsonl`` beside the index; a reader loads it once into NumPy arrays.
  ``matching_docs`` collects the uids of every hit ordered by the ``uid`` fast field (no scoring:
  the cheapest way these bindings give every hit; when most documents match, the others), and
  ``count_facet`` counts distinct (value, report) pairs from the arrays at once. Lines of deleted
  documents stay (no hit ever names them) until the next full build.
* **Sorting by date** uses two fast text keys per document, ``sort_old`` (date, report, order) and
  ``sort_new`` (date inverted so that ascending order is newest first), both ascending: ties break
  exactly as Whoosh's (date, report_id, order). Ties in relevance break by ``sort_new`` (newest
  report first, then report id and section order), as Whoosh's.
* **Vocabulary and corrections** read the term dictionaries (``Searcher.terms_with_prefix``), so
  nothing has to be kept in step with them on incremental updates.
* Every file is written once and replaced, never changed in place: a new generation may share
  the previous one's files through hard links.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import threading
from collections import Counter
from itertools import chain
from operator import itemgetter
from pathlib import Path

import numpy as np
import tantivy

from ..analysis import analyze_text, split_compound
from ..normalize import exact_form, fold, has_diacritics
from ..query import And, Filter, Instrument, Not, Or, Phrase, Word, near_words
from ..schema import (EXACT_BOOST, FACET_COLUMNS, HEADING_BOOST, MULTI_SEP, PROXIMITY_BOOST, filter_clause, instrument_term,
                      word_terms)
from .docsets import DocSet, _ranges, _ranks, merge_pairs

__all__ = ["prepare", "create_writer", "open_reader", "LAYOUT_VERSION"]

Occur = tantivy.Occur
Q = tantivy.Query

PROXIMITY_SLOP = 1  # Tantivy's slop counts moves in all; Whoosh's slop=2 allows one word per gap
LAYOUT_VERSION = 2  # the Tantivy fields below; an index of another layout must be rebuilt in full
LAYOUT_FILE = "searchsvc.json"  # {"version": LAYOUT_VERSION}
FACETS_FILE = "facets.jsonl"  # line n: the report and facet values of document uid n
WRITER_HEAP = 256_000_000  # bytes; fewer, larger segments than Tantivy's default 128 MB
WRITER_THREADS = 1  # the indexer's worker processes (parsing, ``prepare``) keep the other cores busy; one segment
TOKENIZER = "searchsvc_ws"  # tokens come pre-analyzed, separated by single spaces
BIGRAM_JOIN = "_"  # joins the two syllables of a bigram term ("đầu_tư"): never inside a token
ROW_SEP = "\x1e"  # joins report id and facet columns in a line of FACETS_FILE (values use MULTI_SEP)
FACETS = tuple(FACET_COLUMNS)  # the order of facet columns in a line


def _build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in ("body", "body_f", "heading", "heading_f"):  # see ``analyze``
        builder.add_text_field(name, tokenizer_name=TOKENIZER, index_option="position")
    for name in ("body_eb", "body_b"):  # syllable bigrams of the body, exact and folded ("đầu_tư")
        builder.add_text_field(name, tokenizer_name=TOKENIZER, index_option="freq")
    # filters: one raw term per value, several values by adding the field several times
    builder.add_text_field("instruments", tokenizer_name="raw", index_option="freq")
    for name in ("report_id", "f_type", "f_issuer", "f_province", "f_period", "f_doctype", "f_top"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_unsigned_field("uid", fast=True)
    for name in ("sort_old", "sort_new"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_bytes_field("hit", stored=True)  # what a hit shows, as JSON
    return builder.build()


SCHEMA = _build_schema()


SEGMENT_FILES = {"idx", "pos", "term", "store", "fast", "fieldnorm", "del"}  # what Tantivy maps into memory


def _open_index(path: Path) -> tantivy.Index:
    index = tantivy.Index.open(str(path))
    _check_layout(path)
    index.register_tokenizer(TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
    return index


def _segment_sizes(path: Path) -> dict[str, int]:
    """The size of each file of the index's segments (the memory-mapped ones), by name."""
    sizes = {}
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_file() and "." in entry.name and entry.name.split(".")[-1] in SEGMENT_FILES:
                sizes[entry.name] = entry.stat().st_size
    return sizes


def _check_layout(path: Path) -> None:
    try:
        layout = json.loads((path / LAYOUT_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        layout = None
    if not layout or layout.get("version") != LAYOUT_VERSION:
        raise ValueError(f"chỉ mục Tantivy ở {path} có bố cục cũ hoặc không rõ (cần lập lại toàn bộ)")


# --- analysis ---------------------------------------------------------------------------------------
def analyze_parts(text: str | None) -> tuple[str, str, str, str]:
    """(exact parts, folded parts, exact wholes, folded wholes) of a text (``analysis.analyze_text``),
    each space-joined.

    >>> analyze_parts("Nghị quyết 84/NQ-CP, hoà")
    ('nghị quyết 84 nq cp hòa', 'nghi quyet 84 nq cp hoa', '84/nq-cp', '84/nq-cp')
    """
    exact, folded, exact_wholes, folded_wholes = analyze_text(text)
    return " ".join(exact), " ".join(folded), " ".join(exact_wholes), " ".join(folded_wholes)


def analyze(text: str | None) -> tuple[str, str]:
    """The accent-exact and the folded tokens of a text, as Tantivy's whitespace tokenizer splits them.

    The parts of every token come first, at consecutive positions, then the whole compounds:
    phrases only ever hold parts (``split_compound``), and no part equals a whole (a whole holds
    "/", "-" …), so no phrase can match across; and the field keeps Whoosh's length (parts and
    wholes), which BM25 divides by.

    >>> analyze("Nghị quyết 84/NQ-CP, hoà")
    ('nghị quyết 84 nq cp hòa 84/nq-cp', 'nghi quyet 84 nq cp hoa 84/nq-cp')
    """
    exact, folded, exact_wholes, folded_wholes = analyze_parts(text)
    return _joined(exact, exact_wholes), _joined(folded, folded_wholes)


def _joined(parts: str, wholes: str) -> str:
    return f"{parts} {wholes}" if wholes else parts


def _bigram_text(parts: str) -> str:
    """Every pair of neighbouring parts, as ``analysis.BigramFilter`` makes them (across
    punctuation too), one token each. (Tantivy's regex tokenizer could pair them itself, but
    costs three times as much as this join.)

    >>> _bigram_text("đầu tư công")
    'đầu_tư tư_công'
    """
    tokens = parts.split(" ")
    return " ".join(map(BIGRAM_JOIN.join, zip(tokens, tokens[1:])))


def _bigrams(parts: list[str]) -> list[str]:
    """The bigram terms of a sequence of analyzed syllables (``analysis.bigrams``)."""
    return [f"{a}{BIGRAM_JOIN}{b}" for a, b in zip(parts, parts[1:])]


_SEAM = "\x01 \x01"  # two filler tokens: no phrase, even one move sloppy, runs from one copy to the next


def _heading(tokens: str) -> str:
    """Whoosh's ``field_boost`` on headings (``schema.HEADING_BOOST``, 2) multiplies the weight
    (frequency) of each heading term: index the heading's tokens that many times (the length
    grows alike for every heading, so BM25's length ratio stays Whoosh's)."""
    return f" {_SEAM} ".join([tokens] * round(HEADING_BOOST)) if tokens else ""


def _descending(key: str) -> str:
    """A string whose ascending order is the descending order of ``key`` (prefixes included)."""
    return "".join(chr(0xFFFF - min(ord(c), 0xFFFE)) for c in key) + "\uffff"


# --- writing ----------------------------------------------------------------------------------------
STORED = ("id", "report_id", "section_id", "order", "heading", "body", "year", "title", "province", "period",
          "report_date", "path", "label", "citations")  # what Whoosh stores, so hits are the same dicts


class Writer:
    def __init__(self, path: Path, fresh: bool):
        if fresh and path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True, exist_ok=True)
        if fresh:
            tantivy.Index(SCHEMA, path=str(path), reuse=False)
            (path / LAYOUT_FILE).write_text(json.dumps({"version": LAYOUT_VERSION}), encoding="utf-8")
            (path / FACETS_FILE).write_text("", encoding="utf-8")
        self._index = _open_index(path)
        self._rows_path = path / FACETS_FILE
        self._next_uid = _line_count(self._rows_path)
        self._rows: list[str] = []
        self._writer = self._index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)

    def delete_report(self, report_id: str) -> None:
        self._writer.delete_documents_by_term("report_id", report_id)

    def add(self, prepared: tuple[dict, str]) -> None:
        """Number a document of ``prepare`` (its uid is its line of ``facets.jsonl``) and add it."""
        fields, row = prepared
        uid = self._next_uid
        self._next_uid += 1
        self._writer.add_document(tantivy.Document.from_dict({**fields, "uid": uid}, SCHEMA))
        self._rows.append(row)

    def commit(self) -> None:
        """Commit, then let the merges it started finish, so a reader opened next sees one state."""
        writer, self._writer = self._writer, None  # whatever happens, this writer is done
        writer.commit()
        writer.wait_merging_threads()  # consumes the writer: the index lock is released
        if self._rows:  # a new file, not an append: the previous generation may share this one's files
            temporary = self._rows_path.with_suffix(".tmp")
            shutil.copyfile(self._rows_path, temporary)  # in the kernel (copy_file_range) where it can
            with open(temporary, "ab") as rows:
                rows.write(("\n".join(self._rows) + "\n").encode("utf-8"))
            os.replace(temporary, self._rows_path)
            self._rows = []

    def cancel(self) -> None:
        if self._writer is not None:
            self._writer.rollback()
            self._writer = None
        self._rows = []


def _line_count(path: Path) -> int:
    """Lines in ``facets.jsonl``: the number of uids given so far."""
    with open(path, "rb") as rows:
        return rows.read().count(b"\n")


def prepare(document: dict) -> tuple[dict, str]:
    """A document of ``schema.section_documents`` as ``Writer.add`` takes it: its Tantivy fields
    but the uid, and its line of ``facets.jsonl``. All the Python analysis happens here, so that
    the indexer runs it in worker processes, next to parsing (a pure function; the result pickles)."""
    body, body_f, body_wholes, body_f_wholes = analyze_parts(document["body"])
    heading, heading_f = analyze(document["heading"])
    sort_date, report_id, order = document["sort_date"], document["report_id"], f"{document['order']:08d}"
    fields = {
        "body": _joined(body, body_wholes), "body_f": _joined(body_f, body_f_wholes),
        "body_eb": _bigram_text(body), "body_b": _bigram_text(body_f),
        "heading": _heading(heading), "heading_f": _heading(heading_f),
        "instruments": _keywords(document["instruments"]),
        "report_id": report_id,
        "f_type": _keywords(document["f_type"]),
        "f_issuer": _keywords(document["f_issuer"]),
        "f_province": document["f_province"],
        "f_period": document["f_period"],
        "f_doctype": document["f_doctype"],
        "f_top": document["f_top"],
        "year": int(document["year"] or 0),
        "sort_old": f"{sort_date}\x01{report_id}\x01{order}",
        "sort_new": f"{_descending(sort_date)}\x01{report_id}\x01{order}",
        "hit": json.dumps({name: document.get(name) for name in STORED}, ensure_ascii=False).encode(),
    }
    row = ROW_SEP.join([report_id, *(document[FACET_COLUMNS[facet]] or "" for facet in FACETS)])
    return fields, json.dumps(row, ensure_ascii=False)


def _keywords(value: str) -> list[str]:
    """Whoosh KEYWORD(commas=True): comma-separated, stripped, empty ones dropped."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def create_writer(path: Path, fresh: bool) -> Writer:
    return Writer(path, fresh)


# --- reading ----------------------------------------------------------------------------------------
class Reader:
    """Shared by the threads of a server worker: a Tantivy searcher may run many searches at once
    (each releases the GIL), and the per-document arrays are only read once built."""

    REPORTS_FOR_HITS = 4  # Tantivy lists a report with its hit count for about what it hands over 4 hits for

    def __init__(self, path: Path):
        self._index = _open_index(path)
        self._index.config_reader(reload_policy="manual")  # a generation never changes once built
        self._path = path
        self._sizes = _segment_sizes(path)
        self._searcher = self._index.searcher()
        self._num_docs = self._searcher.num_docs
        self._rows_path = path / FACETS_FILE
        top = self._searcher.search(Q.all_query(), 1, count=False, order_by_field="uid").hits
        if top and top[0][0] >= _line_count(self._rows_path):
            raise ValueError(f"{FACETS_FILE} thiếu dòng của tài liệu {top[0][0]}")
        self._arrays: _Arrays | None = None
        self._loading = threading.Lock()
        self._vocabulary: dict[str, str] | None = None
        self._spelling: dict[str, list[tuple[str, int]]] = {}

    def _check_files(self) -> None:
        """Tantivy reads its segments memory-mapped: reading a file cut short under it is a
        SIGBUS that kills the server worker, not an error. So each search first checks that the
        segment files are still the size they were when opened (a few ``stat`` calls): a
        damaged index is then an error, which the request answers with a 503."""
        if _segment_sizes(self._path) != self._sizes:
            raise OSError(f"các tệp chỉ mục Tantivy ở {self._path} đã bị thay đổi hoặc cắt ngắn")

    def _load(self) -> "_Arrays":
        """The per-uid arrays, read from ``facets.jsonl`` on first use (opening stays cheap: the
        indexer opens the live index only to check it)."""
        if self._arrays is None:
            with self._loading:
                if self._arrays is None:
                    arrays = _Arrays.read(self._rows_path)
                    hits = self._searcher.search(Q.all_query(), max(self._num_docs, 1), count=False,
                                                 order_by_field="uid", order=tantivy.Order.Asc).hits
                    arrays.live = np.zeros(len(arrays.report_ids), dtype=np.bool_)  # deleted ones stay False
                    arrays.live[np.fromiter(map(_FIRST, hits), dtype=np.int64, count=len(hits))] = True
                    arrays.count_live()
                    # equal scores: newest report first, then report id and section order (sort_new)
                    by_date = self._searcher.search(Q.all_query(), max(self._num_docs, 1), count=False,
                                                    order_by_field="sort_new", order=tantivy.Order.Asc).hits
                    addresses = [address for _, address in by_date]
                    uids = np.array(self._searcher.fast_field_values("uid", addresses) if addresses else [], dtype=np.int64)
                    arrays.tie_rank = np.full(len(arrays.report_ids), len(uids), dtype=np.int64)
                    arrays.tie_rank[uids] = np.arange(len(uids))
                    # one segment whose documents are in that order: Tantivy's own ties are right
                    arrays.tie_order = self._searcher.num_segments == 1 and bool(np.all(np.diff(
                        np.fromiter((address.doc for address in addresses), dtype=np.int64, count=len(addresses))) > 0))
                    self._arrays = arrays
                    # searching calls report_of once per hit: from now on straight into the list
                    self.report_of = self._arrays.report_ids.__getitem__
        return self._arrays

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
        compiler = _Compiler(self._searcher, self._num_docs)
        return {
            "scored": compiler.translate(tree),
            "match": compiler.translate(tree, boosts=False),
            "filters": {f: compiler.filter(f, v) for f, v in filters.items() if v},
            "totals": {},  # hits per excluded facet, once known in this search (page, matching_docs)
        }

    @staticmethod
    def _restricted(compiled: dict, excluding: str | None = None, part: str = "match") -> tantivy.Query:
        return _all_of([compiled[part], *(q for f, q in compiled["filters"].items() if f != excluding)])

    def page(self, compiled: dict, sort: str, offset: int, limit: int):
        """(uid, score, stored fields) of one page, and the total number of hits."""
        hits, total = self._top(compiled, sort, offset, limit)
        uids = self._searcher.fast_field_values("uid", [address for _, address in hits]) if hits else []
        return [(uid, score, self._stored(address)) for uid, (score, address) in zip(uids, hits)], total

    def sections(self, compiled: dict, sort: str, limit: int):
        """The best ``limit`` hits as (uid, score, report id), a function giving the stored
        fields of the i-th (read only when asked: ``grouping.group_sections``), and the total."""
        hits, total = self._top(compiled, sort, 0, limit)
        uids = self._searcher.fast_field_values("uid", [address for _, address in hits]) if hits else []
        report_ids = self._load().report_ids
        found = [(uid, score, report_ids[uid]) for uid, (score, _) in zip(uids, hits)]
        return found, lambda i: self._stored(hits[i][1]), total

    def _stored(self, address) -> dict:
        return json.loads(self._searcher.doc(address).get_first("hit"))

    def _top(self, compiled: dict, sort: str, offset: int, limit: int):
        """(score, address) of the hits ``offset`` to ``offset + limit`` in ``sort`` order, and the total."""
        query = self._restricted(compiled, part="scored")
        if sort == "relevance":
            hits, total = self._ranked(query, offset + limit)
            hits = hits[offset : offset + limit]
        else:
            key = "sort_new" if sort == "newest" else "sort_old"
            results = self._searcher.search(query, max(limit, 1), offset=offset, order_by_field=key, order=tantivy.Order.Asc)
            hits, total = [(0.0, address) for _, address in results.hits[:limit]], results.count
        compiled["totals"][None] = total  # matching_docs, later in this search, needs it
        return hits, total

    def _ranked(self, query: tantivy.Query, wanted: int):
        """The best ``wanted`` hits as (score, address), equal scores newest report first, then
        by report id and section order (as Whoosh's), and the total.

        Tantivy breaks ties by segment and document, which merges reorder; so fetch well past the
        last wanted hit (reports repeat whole sections: ties can run long), eight times as far
        while that still ends in a tie, and order the ties by date rank. Only the hits down to
        the last one scoring as the last wanted one can be wanted. When Tantivy's own order of
        documents is the date order, its ties are already right.
        """
        arrays = self._load()
        if arrays.tie_order:
            results = self._searcher.search(query, wanted)
            return results.hits, results.count
        fetch = wanted + 1024
        results = self._searcher.search(query, fetch)
        total, hits = results.count, results.hits
        while len(hits) == fetch and hits[-1][0] == hits[wanted - 1][0]:
            fetch *= 8
            hits = self._searcher.search(query, fetch, count=False).hits
        if not hits:
            return [], total
        if len(hits) > wanted:
            last = hits[wanted - 1][0]
            hits = hits[: next((i for i in range(wanted, len(hits)) if hits[i][0] != last), len(hits))]
        uids = self._searcher.fast_field_values("uid", [address for _, address in hits])
        ranked = sorted(zip(hits, arrays.tie_rank[np.array(uids, dtype=np.int64)].tolist()),
                        key=lambda hit: (-hit[0][0], hit[1]))
        return [hit for hit, _ in ranked[:wanted]], total

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
        hits = self._searcher.search(query, expected, count=False, order_by_field="uid", order=tantivy.Order.Asc).hits
        return np.fromiter(map(_FIRST, hits), dtype=np.int64, count=len(hits))

    def sections_per_report(self, docs, report_ids: list[str]) -> list[int]:
        """How many of ``docs`` each of ``report_ids`` holds, counted at once from the arrays."""
        arrays = self._load()
        counts = np.bincount(arrays.report_of[DocSet.array_of(docs)], minlength=len(arrays.first_uid))
        return [int(counts[arrays.report_numbers[r]]) if r in arrays.report_numbers else 0 for r in report_ids]

    def report_of(self, doc: int) -> str:
        return self._load().report_ids[doc]

    def count_reports(self, docs) -> int:
        """The number of distinct reports among ``docs`` (``len({report_of(d) for d in docs})``)."""
        arrays = self._load()
        if isinstance(docs, DocSet) and docs.by_report:
            return len(docs.reports())
        outside = docs.outside if isinstance(docs, DocSet) else None
        if outside is not None:  # a report is out when all its live sections are
            lost = np.bincount(arrays.report_of[outside], minlength=len(arrays.report_live))
            return int(np.count_nonzero(arrays.report_live > lost))
        reports = arrays.report_of[DocSet.array_of(docs)]
        return int(np.count_nonzero(np.bincount(reports, minlength=1)))

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
        """(value number -> distinct reports among ``docs``, values, their ranks in sorted order,
        value -> number), ``aliases`` merging values first."""
        arrays = self._load()
        column = arrays.facets[facet]
        if aliases:
            merged_pair, pair_value, values, rank, numbers, pair_live = column.merged(aliases)
        else:
            merged_pair, (pair_value, values, rank, numbers, pair_live) = None, column.unmerged()
        outside = None
        if column.per_report and isinstance(docs, DocSet) and docs.by_report:
            pairs = column.pairs_of(arrays.first_uid[docs.reports()])  # any section stands for its report
        elif isinstance(docs, DocSet) and docs.outside is not None:
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

    def warm(self) -> None:
        """Read now what a first query would: the per-uid arrays and the vocabulary."""
        self._load()
        self.vocabulary()

    # suggestions
    def vocabulary(self) -> dict[str, str]:
        """Folded term -> its most frequent accented spelling in the corpus."""
        if self._vocabulary is None:
            terms = self._searcher.terms_with_prefix("body", "")
            vocabulary: dict[str, str] = {}
            for term, _ in sorted(terms, key=lambda t: (-t[1], t[0])):  # most frequent, then first in order
                vocabulary.setdefault(fold(term), term)
            self._vocabulary = vocabulary
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


class _Column:
    """One facet over all documents, as (value, report) pairs numbered 0…P-1.

    ``pair_value[p]`` is the value of pair p; the pairs of document uid are
    ``flat[start[uid]:start[uid + 1]]``. Counting distinct reports per value among some documents
    is then: gather their pairs, mark each pair once, count the marks per value.
    """

    def __init__(self, values: list[str], pairs: dict[tuple[int, int], int], rows: list[tuple[int, ...]]):
        self.values = values
        self.rank = _ranks(values)
        self.pair_value = np.array([value for value, _ in pairs], dtype=np.int64)
        self.pair_report = np.array([report for _, report in pairs], dtype=np.int64)
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        self.start = np.concatenate(([0], np.cumsum(lengths)))
        self.flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(self.start[-1]))
        self.single = not len(rows) or int(lengths.max()) <= 1
        if self.single:  # at most one value per document: one array lookup
            self.dense = np.full(len(rows), -1, dtype=np.int64)
            self.dense[lengths == 1] = self.flat
        self._merged: tuple | None = None
        self._numbers: dict[str, int] | None = None
        self.per_report = False  # every section of a report has the same value (set by ``_Arrays``)
        self.pair_live = np.zeros(len(self.pair_value), dtype=np.int64)  # pair -> live sections (set by the reader)

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


class _Arrays:
    """Everything a reader knows per document, read from ``facets.jsonl``."""

    def __init__(self, report_ids: list[str], report_numbers: dict[str, int], report_of: np.ndarray,
                 facets: dict[str, _Column]):
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

    @classmethod
    def read(cls, path: Path) -> "_Arrays":
        """A report's sections follow each other and mostly share their values, so the pairs of
        a (report, column) are worked out once."""
        lines = path.read_text(encoding="utf-8").splitlines()
        rows: list[str] = json.loads("[" + ",".join(lines) + "]")
        report_ids: list[str] = []
        report_numbers: list[int] = []
        reports: dict[str, int] = {}
        values: list[list[str]] = [[] for _ in FACETS]
        value_numbers: list[dict[str, int]] = [{} for _ in FACETS]
        pair_numbers: list[dict[tuple[int, int], int]] = [{} for _ in FACETS]
        uid_pairs: list[list[tuple[int, ...]]] = [[] for _ in FACETS]
        previous, known, report = None, [], 0
        for row in rows:
            report_id, *columns = row.split(ROW_SEP)
            if report_id != previous:
                previous, known = report_id, [{} for _ in FACETS]
                report = reports.setdefault(report_id, len(reports))
            report_ids.append(report_id)
            report_numbers.append(report)
            for i, column in enumerate(columns):
                found = known[i].get(column)
                if found is None:
                    found = known[i][column] = tuple(
                        pair_numbers[i].setdefault((_number(value_numbers[i], values[i], value), report), len(pair_numbers[i]))
                        for value in (column.split(MULTI_SEP) if column else ())
                    )
                uid_pairs[i].append(found)
        facets = {facet: _Column(values[i], pair_numbers[i], uid_pairs[i]) for i, facet in enumerate(FACETS)}
        return cls(report_ids, reports, np.array(report_numbers, dtype=np.int64), facets)


def _number(numbers: dict[str, int], values: list[str], value: str) -> int:
    if value not in numbers:
        numbers[value] = len(values)
        values.append(value)
    return numbers[value]


_FIRST = itemgetter(0)


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


# --- the query tree in Tantivy -----------------------------------------------------------------------
def _all_of(queries: list[tantivy.Query]) -> tantivy.Query:
    return queries[0] if len(queries) == 1 else Q.boolean_query([(Occur.Must, q) for q in queries])


def _any_of(queries: list[tantivy.Query]) -> tantivy.Query:
    return queries[0] if len(queries) == 1 else Q.boolean_query([(Occur.Should, q) for q in queries])


def _boosted(query: tantivy.Query, boost: float) -> tantivy.Query:
    return query if boost == 1.0 else Q.boost_query(query, boost)


class _Compiler:
    """The query tree as Tantivy queries, scored the way Whoosh scores it.

    Both score a term with BM25 (k1 = 1.2, b = 0.75) but weigh it by different idfs: Whoosh's
    ``log(N / (n + 1)) + 1`` keeps common syllables ("đầu", "tư", "công") worth about one point,
    Tantivy's ``log(1 + (N - n + 0.5) / (n + 0.5))`` makes them worth almost nothing, which upsets
    how words, phrases and headings weigh against each other. Every term query is therefore
    boosted by Whoosh's idf over Tantivy's (document frequencies from the searcher), and a phrase
    scores as in Whoosh: the sum of its terms' scores, where the phrase occurs.
    """

    def __init__(self, searcher: tantivy.Searcher, num_docs: int):
        self._searcher = searcher
        self._n = max(num_docs, 1)
        self._done: dict = {}  # a node repeated in the tree ("1 1 1 …") is translated once

    def term(self, field: str, value: str, boost: float = 1.0) -> tantivy.Query:
        frequency = self._searcher.doc_freq(field, value)
        whoosh_idf = math.log(self._n / (frequency + 1)) + 1
        tantivy_idf = math.log(1 + (self._n - frequency + 0.5) / (frequency + 0.5))
        return _boosted(Q.term_query(SCHEMA, field, value), boost * whoosh_idf / tantivy_idf)

    def translate(self, node, boosts: bool = True) -> tantivy.Query:
        """``boosts=False`` leaves out the optional nearness clauses, which change scores but
        never which documents match."""
        key = (node, boosts)
        if key not in self._done:
            self._done[key] = self._translate(node, boosts)
        return self._done[key]

    def _translate(self, node, boosts: bool) -> tantivy.Query:
        if node is None:
            return Q.all_query()
        if isinstance(node, Word):
            return self.word(node.text)
        if isinstance(node, Phrase):
            return self.phrase(node.words)
        if isinstance(node, Instrument):
            return self.instrument(node)
        if isinstance(node, Filter):
            return self.filter(node.field, [node.value])
        if isinstance(node, Not):
            # a query of MustNot clauses alone matches nothing in Tantivy: exclude from everything
            return Q.boolean_query([(Occur.Must, Q.all_query()), (Occur.MustNot, self.translate(node.item, boosts))])
        if isinstance(node, Or):
            return _any_of([self.translate(i, boosts) for i in node.items])
        if isinstance(node, And):
            required = [self.translate(i, boosts) for i in node.items]
            words = near_words(node)
            if boosts and len(words) > 1:  # nearness of the words ranks higher (Whoosh: AndMaybe)
                near = self.phrase(tuple(words), slop=PROXIMITY_SLOP, boost=PROXIMITY_BOOST)
                return Q.boolean_query([*((Occur.Must, q) for q in required), (Occur.Should, near)])
            return _all_of(required)
        raise TypeError(f"unknown query node {node!r}")

    def word(self, word: str) -> tantivy.Query:
        return _any_of([self.term(field, term, boost) for field, term, boost in word_terms(word)])

    def phrase(self, words: tuple[str, ...], slop: int = 0, boost: float = 1.0) -> tantivy.Query:
        """A phrase: in the body, all its syllable bigrams (term lookups, not positions); in the
        short heading, a positional phrase (``slop``: Tantivy's, moves allowed in all)."""
        parts = [p for w in words for p in split_compound(w)]
        if len(parts) == 1:
            return self.word(parts[0])

        def body(field: str, forms: list[str], factor: float) -> tantivy.Query:
            return _all_of([self.term(field, bigram, boost * factor) for bigram in _bigrams(forms)])

        def heading(field: str, terms: list[str], factor: float) -> tantivy.Query:
            # scored as Whoosh scores a positional phrase: the sum of its terms' scores, where it is
            where = Q.const_score_query(Q.phrase_query(SCHEMA, field, terms, slop=slop), 0.0)
            return _boosted(_all_of([where, *(self.term(field, t) for t in terms)]), boost * factor)

        folded = [fold(p) for p in parts]
        options = [body("body_b", folded, 1.0), heading("heading_f", folded, 1.0)]
        if any(has_diacritics(w) for w in words):
            exact = [exact_form(p) for p in parts]
            options += [body("body_eb", exact, EXACT_BOOST), heading("heading", exact, EXACT_BOOST)]
        return _any_of(options)

    def instrument(self, node: Instrument) -> tantivy.Query:
        if node.canonical:
            return self.term("instruments", instrument_term(node.canonical, node.year))
        return self.term("instruments", f"{fold(node.type)}#{node.number}")

    def filter(self, facet: str, values: list[str]) -> tantivy.Query:
        """Values of one facet combine with OR (validated beforehand by ``query.check_filter``)."""
        options = []
        for value in values:
            field, term = filter_clause(facet, value)
            if field == "year":
                options.append(Q.range_query(SCHEMA, field, tantivy.FieldType.Integer, *term))
            else:
                options.append(self.term(field, term))
        return _any_of(options)
