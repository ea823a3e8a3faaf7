"""The Whoosh engine: the one module that speaks Whoosh at search time.

``SearchIndex`` opens the live generation of an index directory, keeps one searcher and the
facet columns for as long as that generation is live, and reopens when ``CURRENT`` changes (a
reindex while serving). It translates the engine-neutral query tree of ``query`` into Whoosh
queries; ``searching.search`` does the rest.
"""
from __future__ import annotations

import json
import os
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.index import EmptyIndexError

from .analysis import split_compound
from .indexing import IndexUnavailable, current_generation, read_manifest
from .models import FACETS, canonical_from_key
from .normalize import exact_form, fold, has_diacritics
from .query import And, Filter, Instrument, Not, Or, Phrase, QueryError, Word, year_bounds
from .schema import FACET_COLUMNS, MULTI_SEP, SCHEMA_VERSION, instrument_terms

__all__ = ["SearchIndex", "EXACT_BOOST"]

EXACT_BOOST = 10.0  # an accent-exact match outranks any folded-only one (DOMAIN.md "bán" vs "bàn")
PROXIMITY_BOOST = 3.0  # words of the query standing together ("đầu tư công")


@dataclass
class _Generation:
    name: str
    path: Path
    ix: object
    searcher: object
    columns: dict[str, list[tuple[str, ...]]]
    report_of: list[str]
    citations: dict[str, list[dict]] | None = None
    vocabulary: dict[str, str] | None = None


class SearchIndex:
    """A live, refreshable view of an index directory, safe to share between threads."""

    def __init__(self, index_dir: str | os.PathLike):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._generation: _Generation | None = None
        self._pointer_stamp: tuple | None = None
        self.refresh()

    # --- lifecycle ----------------------------------------------------------------------------------
    def _stamp(self):
        try:
            stat = (self.index_dir / "CURRENT").stat()
            return (stat.st_mtime_ns, stat.st_ino, stat.st_size)
        except FileNotFoundError:
            return None

    def refresh(self) -> None:
        """Reopen when the live generation changed (cheap: one stat per call)."""
        stamp = self._stamp()
        if self._generation is not None and stamp == self._pointer_stamp:
            return
        with self._lock:
            if self._generation is not None and stamp == self._pointer_stamp:
                return
            generation = self._open()
            old, self._generation, self._pointer_stamp = self._generation, generation, stamp
        if old is not None:
            old.searcher.close()

    def _open(self) -> _Generation:
        path = current_generation(self.index_dir)
        hint = f"Hãy chạy: searchsvc index --index {self.index_dir}"
        if path is None:
            raise IndexUnavailable(f"Chưa có chỉ mục ở {self.index_dir}. {hint}")
        manifest = read_manifest(path)
        if manifest is None:
            raise IndexUnavailable(f"Chỉ mục {path} bị hỏng hoặc thiếu tệp manifest.json. {hint} --full")
        if manifest.get("schema_version") != SCHEMA_VERSION:
            raise IndexUnavailable(f"Chỉ mục {path} được lập với lược đồ cũ. {hint} --full")
        try:
            ix = whoosh_index.open_dir(str(path / "whoosh"))
            searcher = ix.searcher()
            reader = searcher.reader()
            columns = {}
            for facet, column in FACET_COLUMNS.items():
                values = list(reader.column_reader(column)) if reader.doc_count_all() else []
                columns[facet] = [tuple(v.split(MULTI_SEP)) if v else () for v in _as_text(values)]
            report_of = _as_text(list(reader.column_reader("report_id"))) if reader.doc_count_all() else []
        except (EmptyIndexError, OSError, ValueError, KeyError, EOFError) as error:
            raise IndexUnavailable(f"Không mở được chỉ mục {path}: {error}. {hint} --full") from error
        return _Generation(path.name, path, ix, searcher, columns, report_of)

    @property
    def generation(self) -> _Generation:
        self.refresh()
        return self._generation

    def close(self) -> None:
        if self._generation is not None:
            self._generation.searcher.close()

    # --- data beside the Whoosh index -------------------------------------------------------------
    def citations(self) -> dict[str, list[dict]]:
        """{report_id: [citation records]} of the live generation (loaded once)."""
        generation = self.generation
        if generation.citations is None:
            generation.citations = json.loads((generation.path / "citations.json").read_text(encoding="utf-8"))
        return generation.citations

    def report(self, report_id: str) -> dict | None:
        """The parsed report (``Report.to_dict(with_text=True)``), or None."""
        generation = self.generation
        if report_id not in self.citations():
            return None
        return json.loads((generation.path / "reports" / f"{report_id}.json").read_text(encoding="utf-8"))

    def report_ids(self) -> list[str]:
        return sorted(self.citations())

    def original_file(self, report_id: str) -> Path | None:
        """The corpus file a report came from, if it is still there."""
        manifest = read_manifest(self.generation.path) or {}
        for name, entry in manifest.get("files", {}).items():
            if entry["report_id"] == report_id:
                path = Path(manifest["corpus"]) / name
                return path if path.is_file() else None
        return None

    def vocabulary(self) -> dict[str, str]:
        """Folded term -> its most frequent accented spelling in the corpus (for suggestions)."""
        generation = self.generation
        if generation.vocabulary is None:
            reader = generation.searcher.reader()
            best: dict[str, tuple[int, str]] = {}
            for term, info in reader.iter_field("body"):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                key = fold(text)
                if key not in best or info.doc_frequency() > best[key][0]:
                    best[key] = (info.doc_frequency(), text)
            generation.vocabulary = {k: v for k, (_, v) in best.items()}
        return generation.vocabulary

    def correct(self, folded_word: str) -> str | None:
        """The closest indexed folded word to a misspelled one (fewest edits, then most
        frequent; the first letter kept), or None."""
        reader = self.generation.searcher.reader()
        best = None
        for distance in (1, 2):
            candidates = [t for t in reader.terms_within("body_f", folded_word, distance, prefix=1) if t != folded_word]
            if candidates:
                best = max(candidates, key=lambda t: reader.doc_frequency("body_f", t))
                break
        return best

    # --- query translation ----------------------------------------------------------------------------
    def translate(self, node) -> wq.Query:
        """The Whoosh query for a node of the query tree."""
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
            return wq.Not(self.translate(node.item))
        if isinstance(node, Or):
            return wq.Or([self.translate(i) for i in node.items])
        if isinstance(node, And):
            required = [self.translate(i) for i in node.items]
            query = wq.And(required) if len(required) > 1 else required[0]
            words = [i.text for i in node.items if isinstance(i, Word)]
            if len(words) > 1:  # nearness of the words ranks higher
                return wq.AndMaybe(query, _phrase_query(tuple(words), slop=2, boost=PROXIMITY_BOOST))
            return query
        raise TypeError(f"unknown query node {node!r}")

    # --- running queries ------------------------------------------------------------------------------
    def matching_docs(self, query: wq.Query) -> set[int]:
        return set(self.generation.searcher.docs_for_query(query))

    def page(self, query: wq.Query, sort: str, offset: int, limit: int):
        """(docnum, score, stored fields) of one page, and the total number of hits."""
        searcher = self.generation.searcher
        if sort == "relevance":
            results = searcher.search(query, limit=offset + limit)
        else:
            newest = sort == "newest"
            order = sorting.MultiFacet([sorting.FieldFacet("sort_date", reverse=newest), sorting.FieldFacet("report_id"), sorting.FieldFacet("order")])
            results = searcher.search(query, limit=offset + limit, sortedby=order)
        total = len(results)
        scored = sort == "relevance"
        page = [(hit.docnum, hit.score if scored else 0.0, hit.fields()) for hit in results[offset : offset + limit]]
        return page, total

    def facet_values(self, facet: str, docnum: int) -> tuple[str, ...]:
        return self.generation.columns[facet][docnum]

    def report_of(self, docnum: int) -> str:
        return self.generation.report_of[docnum]

    def count_facet(self, facet: str, docs: set[int]) -> Counter:
        """value -> number of distinct reports among ``docs``."""
        column, reports = self.generation.columns[facet], self.generation.report_of
        seen: dict[str, set[str]] = defaultdict(set)
        for doc in docs:
            for value in column[doc]:
                seen[value].add(reports[doc])
        return Counter({value: len(ids) for value, ids in seen.items()})


def _as_text(values) -> list[str]:
    return [v.decode("utf-8") if isinstance(v, bytes) else ("" if v is None else str(v)) for v in values]


# --- leaves ---------------------------------------------------------------------------------------------
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
    parts = [p for w in words for p in split_compound(w)]
    if len(parts) == 1:
        return _word_query(parts[0])
    folded = [fold(p) for p in parts]
    options = [wq.Phrase("body_f", folded, slop=slop, boost=boost), wq.Phrase("heading_f", folded, slop=slop, boost=boost)]
    if any(has_diacritics(w) for w in words):
        exact = [exact_form(p) for p in parts]
        options += [
            wq.Phrase("body", exact, slop=slop, boost=boost * EXACT_BOOST),
            wq.Phrase("heading", exact, slop=slop, boost=boost * EXACT_BOOST),
        ]
    return wq.Or(options)


def _instrument_query(node: Instrument) -> wq.Query:
    if node.canonical:
        term = instrument_terms(node.canonical, node.year, None)[-1]
        return wq.Term("instruments", term)
    return wq.Term("instruments", f"{fold(node.type)}#{node.number}")


def filter_query(facet: str, values: list[str]) -> wq.Query:
    """Values of one facet combine with OR. Raises QueryError for a malformed value."""
    if facet not in FACETS and facet not in ("report",):
        raise QueryError(f"Bộ lọc không tồn tại: “{facet}”.")
    options = []
    for value in values:
        value = value.strip()
        if facet == "year":
            low, high = year_bounds(value)
            options.append(wq.NumericRange("year", low, high))
        elif facet == "instrument":
            options.append(_instrument_filter(value))
        elif facet == "report":
            options.append(wq.Term("report_id", value))
        elif facet in ("type", "issuer"):
            options.append(wq.Term(f"f_{facet}", fold(value).replace(" ", "_")))
        else:
            field = {"section": "f_top"}.get(facet, f"f_{facet}")
            options.append(wq.Term(field, fold(value)))
    return options[0] if len(options) == 1 else wq.Or(options)


def _instrument_filter(value: str) -> wq.Query:
    """An instrument key ("84_NQ-CP.2020") or a canonical reference ("84/NQ-CP")."""
    from .query import find_instruments

    if "/" not in value:
        canonical, year = canonical_from_key(value)
    else:
        canonical, year = value, None
    found = find_instruments(canonical)
    if len(found) != 1 or found[0][2].canonical is None:
        raise QueryError(f"Mã văn bản không hợp lệ: “{value}” (ví dụ: 84/NQ-CP hoặc 84_NQ-CP.2020).")
    return wq.Term("instruments", instrument_terms(found[0][2].canonical, year, None)[-1])
