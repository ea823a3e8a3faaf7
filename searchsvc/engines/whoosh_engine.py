"""The Whoosh engine (the default): the one module that speaks Whoosh.

Writing: one Whoosh document per section (``schema.section_documents``). Reading: the query tree
of ``query`` becomes Whoosh queries; facet values are read once per opened index from sortable
columns into per-document arrays, so facet counts never score or load stored documents.
"""
from __future__ import annotations

import threading
from collections import Counter, defaultdict
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting

from ..analysis import bigrams, split_compound
from ..normalize import exact_form, fold, has_diacritics
from ..query import And, Filter, Instrument, Not, Or, Phrase, Word
from ..schema import FACET_COLUMNS, MULTI_SEP, build_schema, filter_clause, instrument_term

__all__ = ["create_writer", "open_reader", "EXACT_BOOST"]

EXACT_BOOST = 10.0  # an accent-exact match outranks any folded-only one (DOMAIN.md "bán" vs "bàn")
PROXIMITY_BOOST = 6.0  # words of the query standing together ("đầu tư công")


# --- writing ----------------------------------------------------------------------------------------
class Writer:
    def __init__(self, path: Path, fresh: bool):
        path.mkdir(parents=True, exist_ok=True)
        ix = whoosh_index.create_in(str(path), build_schema()) if fresh else whoosh_index.open_dir(str(path))
        self._writer = ix.writer(limitmb=256)

    def delete_report(self, report_id: str) -> None:
        self._writer.delete_by_term("report_id", report_id)

    def add(self, document: dict) -> None:
        self._writer.add_document(**document, body_b=document["body"], body_eb=document["body"])

    def commit(self) -> None:
        self._writer.commit()

    def cancel(self) -> None:
        self._writer.cancel()


def create_writer(path: Path, fresh: bool) -> Writer:
    return Writer(path, fresh)


# --- reading ----------------------------------------------------------------------------------------
class Reader:
    """Shared by the threads of a server worker. A Whoosh searcher is not: its matchers seek and
    read one shared postings file, so two threads searching at once read each other's blocks
    (zlib and unpickling errors, wrong counts). Each thread gets its own searcher of the same
    segments (the same document numbers), opened on its first use."""

    def __init__(self, path: Path):
        self._ix = whoosh_index.open_dir(str(path))
        self._local = threading.local()
        self._searchers: list = []
        self._searchers_lock = threading.Lock()
        reader = self._searcher.reader()
        self._columns = {}
        empty = reader.doc_count_all() == 0
        for facet, column in FACET_COLUMNS.items():
            values = [] if empty else _as_text(reader.column_reader(column))
            self._columns[facet] = [tuple(v.split(MULTI_SEP)) if v else () for v in values]
        self._report_of = [] if empty else _as_text(reader.column_reader("report_id"))
        self._vocabulary: dict[str, str] | None = None

    @property
    def _searcher(self):
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self._ix.searcher()
            with self._searchers_lock:
                self._searchers.append(searcher)
        return searcher

    def close(self) -> None:
        with self._searchers_lock:
            searchers, self._searchers = self._searchers, []
        for searcher in searchers:
            searcher.close()

    def doc_count(self) -> int:
        return self._searcher.doc_count()

    # queries
    def compile(self, tree, filters: dict[str, list[str]]) -> dict:
        """The scored query, the same without its optional nearness boosts (what decides which
        documents match), and one query per facet filter, kept apart for disjunctive facets."""
        return {
            "scored": _translate(tree),
            "match": _translate(tree, boosts=False),
            "filters": {f: filter_query(f, v) for f, v in filters.items() if v},
            "docs": {},  # document sets computed once per search (see _docs)
        }

    def _docs(self, compiled: dict, part: str) -> set[int]:
        """The documents of the match query ("match") or of one filter, each evaluated once."""
        cache = compiled["docs"]
        if part not in cache:
            query = compiled["match"] if part == "match" else compiled["filters"][part]
            cache[part] = set(self._searcher.docs_for_query(query))
        return cache[part]

    def page(self, compiled: dict, sort: str, offset: int, limit: int):
        """(doc, score, stored fields) of one page, and the total number of hits."""
        parts = [compiled["scored"], *compiled["filters"].values()]
        query = wq.And(parts) if len(parts) > 1 else parts[0]
        if sort == "relevance":
            results = self._searcher.search(query, limit=offset + limit)
        else:
            order = sorting.MultiFacet([
                sorting.FieldFacet("sort_date", reverse=sort == "newest"),
                sorting.FieldFacet("report_id"),
                sorting.FieldFacet("order"),
            ])
            results = self._searcher.search(query, limit=offset + limit, sortedby=order)
        scored = sort == "relevance"
        page = [(hit.docnum, hit.score if scored else 0.0, hit.fields()) for hit in results[offset : offset + limit]]
        return page, len(self.matching_docs(compiled))  # the count from the set, not a second run

    def matching_docs(self, compiled: dict, excluding: str | None = None) -> set[int]:
        """Documents matching the query and every filter but ``excluding``: the query's set
        intersected with each filter's set, so a facet count never re-runs the query."""
        docs = self._docs(compiled, "match")
        for facet in compiled["filters"]:
            if facet != excluding:
                docs = docs & self._docs(compiled, facet)
        return docs

    def count_reports(self, docs) -> int:
        """The number of distinct reports among ``docs``."""
        return len({self._report_of[doc] for doc in docs})

    def report_of(self, doc: int) -> str:
        return self._report_of[doc]

    def count_facet(self, facet: str, docs, aliases: dict[str, str] | None = None) -> Counter:
        """value -> number of distinct reports among ``docs``; ``aliases`` merge values first."""
        column, reports = self._columns[facet], self._report_of
        aliases = aliases or {}
        seen: dict[str, set[str]] = defaultdict(set)
        for doc in docs:
            for value in column[doc]:
                seen[aliases.get(value, value)].add(reports[doc])
        return Counter({value: len(ids) for value, ids in seen.items()})

    # suggestions
    def vocabulary(self) -> dict[str, str]:
        """Folded term -> its most frequent accented spelling in the corpus."""
        if self._vocabulary is None:
            best: dict[str, tuple[int, str]] = {}
            for term, info in self._searcher.reader().iter_field("body"):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                key = fold(text)
                if key not in best or info.doc_frequency() > best[key][0]:
                    best[key] = (info.doc_frequency(), text)
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


def _as_text(values) -> list[str]:
    return [v.decode("utf-8") if isinstance(v, bytes) else ("" if v is None else str(v)) for v in values]


# --- the query tree in Whoosh ------------------------------------------------------------------------
def _translate(node, boosts: bool = True) -> wq.Query:
    """The Whoosh query of a query-tree node; ``boosts=False`` leaves out the optional nearness
    clauses, which change scores but never which documents match."""
    if node is None:
        return wq.Every()
    if isinstance(node, Word):
        return _word_query(node.text)
    if isinstance(node, Phrase):
        return _phrase_query(node.words)
    if isinstance(node, Instrument):
        return _instrument_query(node)
    if isinstance(node, Filter):
        return filter_query(node.field, [node.value])
    if isinstance(node, Not):
        return wq.Not(_translate(node.item, boosts))
    if isinstance(node, Or):
        return wq.Or([_translate(i, boosts) for i in node.items])
    if isinstance(node, And):
        required = [_translate(i, boosts) for i in node.items]
        query = wq.And(required) if len(required) > 1 else required[0]
        words = [i.text for i in node.items if isinstance(i, Word)]
        if boosts and len(words) > 1:  # nearness of the words ranks higher
            return wq.AndMaybe(query, _phrase_query(tuple(words), slop=2, boost=PROXIMITY_BOOST))
        return query
    raise TypeError(f"unknown query node {node!r}")


def _word_query(word: str) -> wq.Query:
    """A word matches its folded form in heading and body; typed with accents, an exact match
    counts ``EXACT_BOOST`` times more. A compound ("Covid-19") is matched whole."""
    folded = fold(word)
    parts = [wq.Term("body_f", folded), wq.Term("heading_f", folded)]
    if has_diacritics(word):
        exact = exact_form(word)
        parts += [wq.Term("body", exact, boost=EXACT_BOOST), wq.Term("heading", exact, boost=EXACT_BOOST)]
    return wq.Or(parts)


def _phrase_query(words: tuple[str, ...], slop: int = 1, boost: float = 1.0) -> wq.Query:
    """A phrase: in the body, all its syllable bigrams (term lookups, not positions); in the
    short heading, a positional phrase (``slop`` words apart at most)."""
    parts = [p for w in words for p in split_compound(w)]
    if len(parts) == 1:
        return _word_query(parts[0])

    def body(field: str, forms: list[str], weight: float) -> wq.Query:
        return wq.And([wq.Term(field, b, boost=weight) for b in bigrams(forms)])

    folded = [fold(p) for p in parts]
    options = [body("body_b", folded, boost), wq.Phrase("heading_f", folded, slop=slop, boost=boost)]
    if any(has_diacritics(w) for w in words):
        exact = [exact_form(p) for p in parts]
        options += [body("body_eb", exact, boost * EXACT_BOOST), wq.Phrase("heading", exact, slop=slop, boost=boost * EXACT_BOOST)]
    return wq.Or(options)


def _instrument_query(node: Instrument) -> wq.Query:
    if node.canonical:
        return wq.Term("instruments", instrument_term(node.canonical, node.year))
    return wq.Term("instruments", f"{fold(node.type)}#{node.number}")


def filter_query(facet: str, values: list[str]) -> wq.Query:
    """Values of one facet combine with OR (validated beforehand by ``query.check_filter``)."""
    options = []
    for value in values:
        field, term = filter_clause(facet, value)
        options.append(wq.NumericRange(field, *term) if field == "year" else wq.Term(field, term))
    return options[0] if len(options) == 1 else wq.Or(options)
