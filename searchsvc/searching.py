"""search(index, request) -> Results: the one search behind the CLI, the HTML page and the API.

Hits are sections; with ``group="report"`` they come as one row per report (``grouping``): its
best sections, in the order of each report's best section. Facets count distinct reports. Facets
are disjunctive: the counts of a facet come from the query with every *other* facet's filter
applied, so a selected value keeps the counts of its siblings.

Filters on what a document cites (instrument, type, issuer) select *reports* by default
(``scope="report"``): the reports that cite it, searched anywhere in them; ``scope="section"``
keeps only the sections that cite it.

When the reports holding every word are fewer than ``HANDFUL``, the reports holding most of the
words follow them, ranked below, each with the words it lacks (``ReportRow.missing``).
"""
from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from .engine import SearchIndex
from .analysis import split_compound
from .facetlist import FacetEntry, count_entries, with_undated
from .grouping import Grouping, ReportRow, group_reports
from .models import FACETS, GROUPS, SCOPES, FacetValue, Hit, Results, SearchRequest, SORTS, canonical_from_key
from .normalize import fold
from .query import Alternatives, And, Instrument, Phrase, QueryError, Word, check_filter, parse_query
from .signatures import Signatures, Stale, words_for
from .snippets import snippet
from .suggest import suggest

__all__ = ["search", "facet_entries", "validate", "own_number_pattern", "QueryError", "MAX_PER_PAGE", "MAX_PAGE", "FACET_SIZE", "HANDFUL"]

MAX_PER_PAGE = 100
MAX_PAGE = 1000
FACET_SIZE = 12  # values shown per facet (selected ones always shown)
SUGGEST_BELOW = 3  # offer "did you mean" when fewer hits than this
HANDFUL = 5  # fewer reports with every word than this: reports with most of the words follow
CITATION_FACETS = ("instrument", "type", "issuer")  # filters on what a section cites
ROW_FRAGMENTS = (2, 1)  # snippet pieces of a report's best section, and of its next ones
MAX_SCOPED_REPORTS = 2000  # reports a citation filter may select (more: sections that cite it)
MAX_GROUPED = 4096  # best sections grouped into rows by report, at most (bounds a search's cost)
FIRST_SHARE = 16  # the engine is first asked for up to this share of the sections that match (``_next_fetch``)


def validate(request: SearchRequest) -> SearchRequest:
    """Check a request's parameters; QueryError says which one is wrong and why."""
    if request.sort not in SORTS:
        raise QueryError(f"Cách sắp xếp không hợp lệ: “{request.sort}” (chọn một trong: {', '.join(SORTS)}).")
    if request.group not in GROUPS:
        raise QueryError(f"Cách nhóm kết quả không hợp lệ: “{request.group}” (chọn một trong: {', '.join(GROUPS)}).")
    if request.scope not in SCOPES:
        raise QueryError(f"Phạm vi lọc không hợp lệ: “{request.scope}” (chọn một trong: {', '.join(SCOPES)}).")
    if not 1 <= request.page <= MAX_PAGE:
        raise QueryError(f"Số trang phải từ 1 đến {MAX_PAGE}.")
    if not 1 <= request.per_page <= MAX_PER_PAGE:
        raise QueryError(f"Số kết quả mỗi trang phải từ 1 đến {MAX_PER_PAGE}.")
    for name, values in request.filters.items():
        if name not in FACETS:
            raise QueryError(f"Bộ lọc không tồn tại: “{name}” (có: {', '.join(FACETS)}).")
        for value in values:
            check_filter(name, value)
    return request


def _facet_label(facet: str, value: str) -> str:
    if facet == "instrument":
        canonical, year = canonical_from_key(value)
        return f"{canonical} ({year})" if year else canonical
    return value


def _scoped(engine, tree, filters: dict[str, list[str]], scope: str) -> tuple[object, dict[str, list[str]]]:
    """Citation filters in report scope: the query is searched in the reports that cite."""
    cited = {f: v for f, v in filters.items() if f in CITATION_FACETS}
    if scope == "section" or not cited:
        return tree, filters
    reports = sorted({engine.report_of(d) for d in engine.matching_docs(engine.compile(None, cited))})
    if len(reports) > MAX_SCOPED_REPORTS:
        return tree, filters
    rest = {f: v for f, v in filters.items() if f not in CITATION_FACETS}
    return tree, rest | {"report": reports or ["\x00"]}  # no report cites it: nothing matches


@dataclass
class _Prepared:
    """A request made ready for the engine: everything ``search`` and ``facet_entries`` share."""
    request: SearchRequest
    parsed: object  # query.ParsedQuery
    generation: object
    engine: object
    aliases: dict[str, str]
    filters: dict[str, list[str]]  # the request's filters in force (instrument ones with their undated mentions)
    tree: object  # the searched tree
    engine_filters: dict[str, list[str]]  # ``filters`` as the engine applies them (citation scope resolved)
    compiled: object
    matched: object  # the documents that match
    counted: dict = field(default_factory=dict)  # facet -> the documents its counts come from (``_facet_docs``)


def _prepare(index: SearchIndex, request: SearchRequest) -> _Prepared:
    validate(request)
    parsed = parse_query(request.q)
    if parsed.tree is None and request.sort == "relevance":  # browsing: nothing to rank by
        request = replace(request, sort="newest")
    generation = index.generation  # one generation for the whole search, even across a switch
    engine = generation.reader
    aliases = index.aliases(generation)  # "84_NQ-CP" (no year known) -> "84_NQ-CP.2020" when unique
    filters = {name: values for name, values in request.filters.items() if values}
    if "instrument" in filters:
        filters["instrument"] = with_undated(filters["instrument"], aliases)
    tree, engine_filters = _scoped(engine, parsed.search_tree, filters, request.scope)
    compiled = engine.compile(tree, engine_filters)
    return _Prepared(request, parsed, generation, engine, aliases, filters, tree, engine_filters, compiled,
                     engine.matching_docs(compiled))


def facet_entries(index: SearchIndex, request: SearchRequest, facets: tuple[str, ...] = FACETS) -> dict[str, list[FacetEntry]]:
    """Every value of each facet in ``facets`` for a request, counted as ``search`` counts its
    facets (``facetlist.count_entries``), without ranking anything."""
    ready = _prepare(index, request)
    return _entries(ready, facets)


def _entries(ready: _Prepared, facets: tuple[str, ...]) -> dict[str, list[FacetEntry]]:
    return count_entries(ready.engine, lambda facet: _facet_docs(ready, facet), ready.request.filters, facets, ready.aliases)


def search(index: SearchIndex, request: SearchRequest, entries: tuple[str, ...] = ()) -> Results:
    """Run a search request. Raises QueryError for an invalid parameter, never for query syntax.

    ``entries`` names the facets counted in full as well (``Results.entries``: every value, for the
    page's charts and sidebar), from the same matching documents."""
    started = time.perf_counter()
    ready = _prepare(index, request)
    request, parsed, generation, engine, aliases = ready.request, ready.parsed, ready.generation, ready.engine, ready.aliases
    filters, engine_filters, compiled, matched = ready.filters, ready.engine_filters, ready.compiled, ready.matched
    warnings = list(parsed.warnings)
    total_reports = engine.count_reports(matched)
    facets = _facets(ready)
    cited = {f: v for f, v in filters.items() if f in CITATION_FACETS}
    citing = engine.compile(None, cited) if engine_filters is not filters else None
    matches = parsed.matches()
    offset = (request.page - 1) * request.per_page
    if request.group == "report":
        rows, total, own = _report_rows(engine, compiled, engine_filters, parsed, request, total_reports, matched,
                                        _signatures(generation))
        total_reports += own
        wanted = request.page * request.per_page + 1
        row_count = len(rows) if len(rows) < wanted else max(len(rows), total_reports)  # exact once all are grouped
        rows = rows[offset : offset + request.per_page]
        citing_docs = set(engine.matching_docs(citing)) if citing is not None and rows else set()
        for row in rows:
            row.sections = [_hit(doc, score, stored, matches, aliases, doc in citing_docs, ROW_FRAGMENTS[i > 0])
                            for i, (doc, score, stored) in enumerate(row.ranked)]
        hits = [h for row in rows for h in row.sections]
    else:
        page, total = engine.page(compiled, request.sort, offset, request.per_page)
        rows, row_count = [], 0
        hits = [_hit(doc, score, stored, matches, aliases, False) for doc, score, stored in page]
    suggestion = suggest(engine, generation.cache, parsed, request.q) if total < SUGGEST_BELOW and parsed.tree is not None else None
    counted = _entries(ready, entries) if entries else {}
    return Results(
        query=request.q,
        total=total,
        total_reports=total_reports,
        page=request.page,
        per_page=request.per_page,
        took_ms=(time.perf_counter() - started) * 1000,
        hits=hits,
        facets=facets,
        suggestion=suggestion,
        warnings=warnings,
        group=request.group,
        reports=rows,
        total_rows=row_count,
        entries=counted,
    )


def _facet_docs(ready: _Prepared, facet: str):
    """The documents a facet's counts come from: the search with every *other* facet's filter."""
    if facet not in ready.counted:
        ready.counted[facet] = _other_filters_docs(ready, facet)
    return ready.counted[facet]


def _other_filters_docs(ready: _Prepared, facet: str):
    if facet not in ready.filters:
        return ready.matched
    if facet in ready.compiled["filters"]:
        return ready.engine.matching_docs(ready.compiled, excluding=facet)
    others = {f: v for f, v in ready.filters.items() if f != facet}  # a citation filter in report scope: the search without it
    return ready.engine.matching_docs(ready.engine.compile(*_scoped(ready.engine, ready.tree, others, ready.request.scope)))


def _facets(ready: _Prepared) -> dict[str, list[FacetValue]]:
    engine, request, aliases = ready.engine, ready.request, ready.aliases
    facets: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        docs = _facet_docs(ready, facet)
        selected = set(request.filters.get(facet, []))
        shown = _shown(engine, facet, docs, aliases if facet == "instrument" else None, selected)
        values = [FacetValue(v, _facet_label(facet, v), c, v in selected) for v, c in shown if v]
        listed = {v for v, _ in shown}  # every value with a count that is shown
        values += [FacetValue(v, _facet_label(facet, v), 0, True) for v in selected if v not in listed]
        facets[facet] = values
    return facets


def _hit(doc, score, stored, matches, aliases, cites: bool, fragments: int = 3) -> Hit:
    citations = json.loads(stored.get("citations") or "[]")
    seen = {}
    for c in citations:
        key = aliases.get(c["key"], c["key"])
        seen.setdefault(key, {k: c[k] for k in ("canonical", "type", "date", "title")} | {"key": key, "year": canonical_from_key(key)[1]})
    return Hit(
        report_id=stored["report_id"],
        section_id=stored["section_id"],
        title=stored["title"],
        province=stored.get("province"),
        year=stored.get("year") or None,
        period=stored.get("period"),
        report_date=stored.get("report_date"),
        path=json.loads(stored["path"]),
        heading=stored["heading"],
        snippet=snippet(stored["body"], matches, fragments=fragments),
        score=round(float(score), 4),
        instruments=list(seen.values()),
        cites=cites,
    )


def _signatures(generation) -> Signatures | None:
    """The generation's section signatures (``signatures``), read once per generation; None
    when it has none (grouping then reads the stored text)."""
    if "signatures" not in generation.cache:
        generation.cache["signatures"] = Signatures.open(generation.path)
    return generation.cache["signatures"]


def _ranked(engine, compiled, sort: str, wanted_rows: int, total: int, signatures: Signatures | None = None) -> list[ReportRow]:
    """The first ``wanted_rows`` rows of the best sections: the best ``max(64, 4 * wanted_rows)``
    grouped, then 4 times more while they make fewer rows (copies fold many reports into one),
    at most ``MAX_GROUPED`` sections. The stored fields of a section are read once, and only for
    the sections grouping looks at: with ``signatures``, for the rows kept only.

    The engine is asked for more sections than are grouped when few rows came of the ones
    grouped (``_next_fetch``): a search costs about the same for 64 or 4,096 sections when many
    sections match, and the best n sections are the first n of the best 4n (ties are ordered),
    so the rows are the same as when it is asked for each step."""
    grouped = max(64, 4 * wanted_rows)
    fetched: list = []
    read: dict = {}  # document -> stored fields, across fetches
    grouping = Grouping(detailed=wanted_rows, rows=wanted_rows)  # rows past the page are not made; across fetches
    rows: list[ReportRow] = []
    while True:
        size = min(grouped, max(total, 1), MAX_GROUPED)
        if size > len(fetched):
            fetched, stored = _sections(engine, compiled, sort, min(_next_fetch(size, len(rows), wanted_rows, total), max(total, 1), MAX_GROUPED))

            def cached(i: int, sections=fetched, stored=stored) -> dict:
                doc = sections[i][0]
                if doc not in read:
                    read[doc] = stored(i)
                return read[doc]

            words, same = words_for(signatures, engine, fetched) or (None, None)
        sections = fetched[:size]
        try:
            rows = grouping.add(sections, cached, words, signatures.about if words is not None else None, same)
        except Stale:  # signatures of another index: grouped from the stored text
            signatures, words, same, grouping = None, None, None, Grouping(detailed=wanted_rows, rows=wanted_rows)
            rows = grouping.add(sections, cached)
        if len(rows) >= wanted_rows or grouped >= min(total, MAX_GROUPED):
            return rows
        grouped *= 4


def _next_fetch(size: int, rows: int, wanted_rows: int, total: int) -> int:
    """Sections to ask the engine for, ``size`` to be grouped next of ``total`` that match.

    At first (no ``rows`` yet), the step of 4 times more each up to a ``FIRST_SHARE`` of the
    sections that match: a search finding many costs more than handing over that many (Tantivy,
    10,000 reports: 50 ms to find 188,000 sections, under 4 ms to hand over 4,096 of them), and
    the more sections match, the more copies a page folds. Then, ``rows`` made of a quarter of
    ``size``: the step that may make ``wanted_rows`` rows, were rows to come of sections as their
    square root (a copy comes back as often as it was seen: rows come ever more slowly).

    >>> [_next_fetch(64, 0, 11, total) for total in (100, 4095, 4096, 16384, 200000)]
    [64, 64, 256, 1024, 4096]
    >>> [_next_fetch(256, rows, 11, 10000) for rows in (1, 2, 3, 5, 6, 11)]
    [16384, 4096, 1024, 1024, 256, 256]
    """
    fetch = size
    if not rows:
        while fetch * 4 * FIRST_SHARE <= total:
            fetch *= 4
        return fetch
    needed = (size // 4) * (wanted_rows / rows) ** 2
    while fetch < needed:
        fetch *= 4
    return fetch


def _sections(engine, compiled, sort: str, limit: int):
    """(document, score, report id) of the best ``limit`` sections and a function reading the
    stored fields of the i-th: the engine's ``sections`` when it has one (stored fields read
    lazily), else from its ``page``."""
    if hasattr(engine, "sections"):
        sections, stored, _ = engine.sections(compiled, sort, limit)
        return sections, stored
    page, _ = engine.page(compiled, sort, 0, limit)
    return [(doc, score, fields["report_id"]) for doc, score, fields in page], lambda i: page[i][2]


def _report_rows(engine, compiled, filters, parsed, request, total_reports, matched,
                 signatures: Signatures | None = None) -> tuple[list[ReportRow], int, int]:
    """Every row up to the end of the page asked for, the number of sections that match, and
    the number of documents whose own number the query is that it did not find otherwise."""
    total = len(matched)
    wanted = request.page * request.per_page + 1
    rows = _ranked(engine, compiled, request.sort, wanted, total, signatures) if total else []
    own = _own_rows(engine, filters, parsed.tree)
    if own:
        ids = {r.report_id for r in own}
        rows = own + [r for r in rows if r.report_id not in ids]
    if total_reports < HANDFUL and request.sort == "relevance":
        rows += _partial_rows(engine, filters, parsed.search_tree, {r.report_id for r in rows}, wanted - len(rows))
    shown = rows[(request.page - 1) * request.per_page : wanted]  # rows past the page never show a count
    for row, count in zip(shown, _sections_per_report(engine, matched, [r.report_id for r in shown])):
        row.matched = count or (0 if row.missing else len(row.ranked))
    return rows, total, len({r.report_id for r in own} - {engine.report_of(d) for d in matched}) if own else 0


def _sections_per_report(engine, docs, report_ids: list[str]) -> list[int]:
    """How many of ``docs`` each report holds: the engine's ``sections_per_report`` when it has
    one, else counted document by document."""
    if not report_ids:
        return []
    if hasattr(engine, "sections_per_report"):
        return engine.sections_per_report(docs, report_ids)
    counts = Counter(engine.report_of(d) for d in docs)
    return [counts.get(r, 0) for r in report_ids]


def _own_rows(engine, filters, tree) -> list[ReportRow]:
    """The documents a code query names by their own number (a header "Số: 165/BC-UBND", an
    annex caption "Kèm theo Báo cáo số 165 /BC-UBND"): text, not a citation. Found as the
    code's parts in a row, kept where "số" stands before them."""
    if not (isinstance(tree, Instrument) and tree.canonical):
        return []
    parts = split_compound(tree.canonical)
    header = own_number_pattern(parts)
    page, _ = engine.page(engine.compile(Phrase(tuple(parts)), filters), "relevance", 0, 100)
    rows = group_reports([hit for hit in page if header.search(fold(hit[2]["body"]))])
    for row in rows:
        row.own_number = True
    return rows


def own_number_pattern(parts: list[str]) -> re.Pattern:
    """Where a folded text gives a document's own number: "so", ":" or not, then the parts of the
    code (``split_compound``) joined by "/" or "-", "so" starting a word and the code ending one.
    The pattern starts with "so" and looks behind it for the start of the word: a pattern that
    starts with letters is looked for as a string, one that starts by looking behind is tried at
    every character (20 times slower on a page of sections)."""
    code = r"\s*[/-]\s*".join(re.escape(fold(p)) for p in parts)
    return re.compile(rf"so(?<!\wso)\s*:?\s*{code}(?![\w/-])")


def _required(tree) -> tuple[list, list]:
    """(words and phrases a partial match may lack, what it must still match: filters, codes,
    negations) of a query whose items all must match."""
    if not isinstance(tree, And):
        return [], []
    words = [i for i in tree.items if isinstance(i, (Word, Phrase, Alternatives))]
    return words, [i for i in tree.items if not isinstance(i, (Word, Phrase, Alternatives))]


def _label(item) -> str:
    if isinstance(item, Word):
        return item.text
    if isinstance(item, Phrase):
        return " ".join(item.words)
    if isinstance(item, (Alternatives, And)):
        return _label(item.items[0]) if isinstance(item, Alternatives) else " ".join(_label(i) for i in item.items)
    return getattr(item, "surface", "") or str(item)


def _partial_rows(engine, filters, tree, shown: set[str], wanted: int) -> list[ReportRow]:
    """Reports whose sections hold two in three of the query's words (not all), ranked below
    the full matches: most words first, then by score; each with the words it lacks."""
    items, fixed = _required(tree)
    if len(items) < 3 or wanted <= 0:
        return []
    each = [engine.matching_docs(engine.compile(And((i, *fixed)), filters)) for i in items]
    arrays = [np.asarray(d.array, dtype=np.int64) for d in each]
    docs, counts = np.unique(np.concatenate(arrays), return_counts=True) if arrays else (np.zeros(0), np.zeros(0))
    need = -(-2 * len(items) // 3)  # most of the words: two in three
    candidates = {int(d): int(c) for d, c in zip(docs, counts) if need <= c < len(items)}
    if not candidates:
        return []
    found = [set(a.tolist()) for a in arrays]
    anyof = engine.compile(And((Alternatives(tuple(items)), *fixed)), filters)
    page, _ = engine.page(anyof, "relevance", 0, min(len(candidates) * 4 + 64, 2000))
    page = [p for p in page if p[0] in candidates and p[2]["report_id"] not in shown]
    page.sort(key=lambda p: -candidates[p[0]])  # stable: by score within the same number of words
    rows = group_reports(page)[:wanted]
    for row in rows:
        best = row.ranked[0][0]
        row.missing = [_label(i) for i, docs in zip(items, found) if best not in docs]
    return rows


def _shown(engine, facet: str, docs, aliases: dict[str, str] | None, selected: set[str]) -> list[tuple[str, int]]:
    """(value, reports) of a facet as shown: the first ``FACET_SIZE`` values (most reported,
    then by value; years newest first) and the selected ones further down. An engine's
    ``top_values`` picks them without listing the thousands of instruments a common word finds."""
    if facet != "year":
        return engine.top_values(facet, docs, FACET_SIZE, aliases, selected)
    ordered = sorted(engine.count_facet(facet, docs, aliases).items(), key=lambda kv: kv[0], reverse=True)
    return ordered[:FACET_SIZE] + [(v, c) for v, c in ordered[FACET_SIZE:] if v in selected]
