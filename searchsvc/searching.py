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
import time
from dataclasses import dataclass, field, replace

from .engine import SearchIndex
from .facetlist import FacetEntry, count_entries, with_undated
from .models import FACETS, GROUPS, SCOPES, FacetValue, Hit, Results, SearchRequest, SORTS, canonical_from_key
from .query import QueryError, check_filter, parse_query
from .reportrows import HANDFUL, report_rows, signatures_of
from .snippets import snippet
from .suggest import suggest

__all__ = ["search", "facet_entries", "validate", "QueryError", "MAX_PER_PAGE", "MAX_PAGE", "FACET_SIZE", "HANDFUL"]

MAX_PER_PAGE = 100
MAX_PAGE = 1000
FACET_SIZE = 12  # values shown per facet (selected ones always shown)
SUGGEST_BELOW = 3  # offer "did you mean" when fewer hits than this
CITATION_FACETS = ("instrument", "type", "issuer")  # filters on what a section cites
ROW_FRAGMENTS = (2, 1)  # snippet pieces of a report's best section, and of its next ones
MAX_SCOPED_REPORTS = 2000  # reports a citation filter may select (more: sections that cite it)


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
        rows, total, own = report_rows(engine, compiled, engine_filters, parsed, request, total_reports, matched,
                                       signatures_of(generation))
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


def _shown(engine, facet: str, docs, aliases: dict[str, str] | None, selected: set[str]) -> list[tuple[str, int]]:
    """(value, reports) of a facet as shown: the first ``FACET_SIZE`` values (most reported,
    then by value; years newest first) and the selected ones further down. An engine's
    ``top_values`` picks them without listing the thousands of instruments a common word finds."""
    if facet != "year":
        return engine.top_values(facet, docs, FACET_SIZE, aliases, selected)
    ordered = sorted(engine.count_facet(facet, docs, aliases).items(), key=lambda kv: kv[0], reverse=True)
    return ordered[:FACET_SIZE] + [(v, c) for v, c in ordered[FACET_SIZE:] if v in selected]
