"""search(index, request) -> Results: the one search behind the CLI, the HTML page and the API.

Hits are sections; facets count distinct reports. Facets are disjunctive: the counts of a facet
come from the query with every *other* facet's filter applied, so a selected value keeps the
counts of its siblings.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import replace

from .engine import SearchIndex
from .models import FACETS, FacetValue, Hit, Results, SearchRequest, SORTS, canonical_from_key
from .normalize import fold, has_diacritics
from .query import Instrument, Phrase, QueryError, Word, check_filter, parse_query
from .snippets import snippet

__all__ = ["search", "validate", "highlight_terms", "QueryError", "MAX_PER_PAGE", "MAX_PAGE", "FACET_SIZE"]

MAX_PER_PAGE = 100
MAX_PAGE = 1000
FACET_SIZE = 12  # values shown per facet (selected ones always shown)
SUGGEST_BELOW = 3  # offer "did you mean" when fewer hits than this
_EMPHASIS = re.compile(r"\*+")  # markdown bold/italic markers some reports carry ("**BÁO CÁO")


def validate(request: SearchRequest) -> SearchRequest:
    """Check a request's parameters; QueryError says which one is wrong and why."""
    if request.sort not in SORTS:
        raise QueryError(f"Cách sắp xếp không hợp lệ: “{request.sort}” (chọn một trong: {', '.join(SORTS)}).")
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


def highlight_terms(parsed) -> tuple[set[str], list[tuple[str, ...]]]:
    terms: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    for leaf in parsed.leaves((Word, Phrase, Instrument)):
        if isinstance(leaf, Word):
            terms.add(fold(leaf.text))
        elif isinstance(leaf, Phrase):
            phrases.append(tuple(fold(w) for w in leaf.words))
        elif leaf.canonical:
            terms.add(fold(leaf.canonical))
    return terms, phrases


def search(index: SearchIndex, request: SearchRequest) -> Results:
    """Run a search request. Raises QueryError for an invalid parameter, never for query syntax."""
    started = time.perf_counter()
    validate(request)
    parsed = parse_query(request.q)
    if parsed.tree is None and request.sort == "relevance":  # browsing: nothing to rank by
        request = replace(request, sort="newest")
    warnings = list(parsed.warnings)
    generation = index.generation  # one generation for the whole search, even across a switch
    engine = generation.reader
    aliases = index.aliases(generation)  # "84_NQ-CP" (no year known) -> "84_NQ-CP.2020" when unique
    filters = {name: values for name, values in request.filters.items() if values}
    if "instrument" in filters:
        filters["instrument"] = _with_undated(filters["instrument"], aliases)
    compiled = engine.compile(parsed.tree, filters)
    offset = (request.page - 1) * request.per_page
    page, total = engine.page(compiled, request.sort, offset, request.per_page)
    matched = engine.matching_docs(compiled)
    total_reports = engine.count_reports(matched)

    facets: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        docs = engine.matching_docs(compiled, excluding=facet) if facet in filters else matched
        selected = set(request.filters.get(facet, []))
        shown = _shown(engine, facet, docs, aliases if facet == "instrument" else None, selected)
        values = [FacetValue(v, _facet_label(facet, v), c, v in selected) for v, c in shown if v]
        listed = {v for v, _ in shown}  # every value with a count that is shown
        values += [FacetValue(v, _facet_label(facet, v), 0, True) for v in selected if v not in listed]
        facets[facet] = values

    terms, phrases = highlight_terms(parsed)
    hits = []
    for docnum, score, stored in page:
        citations = json.loads(stored.get("citations") or "[]")
        seen = {}
        for c in citations:
            key = aliases.get(c["key"], c["key"])
            seen.setdefault(key, {k: c[k] for k in ("canonical", "type", "date", "title")} | {"key": key, "year": canonical_from_key(key)[1]})
        hits.append(
            Hit(
                report_id=stored["report_id"],
                section_id=stored["section_id"],
                title=stored["title"],
                province=stored.get("province"),
                year=stored.get("year") or None,
                period=stored.get("period"),
                report_date=stored.get("report_date"),
                path=json.loads(stored["path"]),
                heading=stored["heading"],
                snippet=snippet(_EMPHASIS.sub("", stored["body"]), terms, phrases),
                score=round(float(score), 4),
                instruments=list(seen.values()),
            )
        )
    suggestion = _suggest(engine, parsed, request.q) if total < SUGGEST_BELOW and parsed.tree is not None else None
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
    )


def _shown(engine, facet: str, docs, aliases: dict[str, str] | None, selected: set[str]) -> list[tuple[str, int]]:
    """(value, reports) of a facet as shown: the first ``FACET_SIZE`` values (most reported,
    then by value; years newest first) and the selected ones further down. An engine's
    ``top_values`` picks them without listing the thousands of instruments a common word finds."""
    if facet != "year":
        return engine.top_values(facet, docs, FACET_SIZE, aliases, selected)
    ordered = sorted(engine.count_facet(facet, docs, aliases).items(), key=lambda kv: kv[0], reverse=True)
    return ordered[:FACET_SIZE] + [(v, c) for v, c in ordered[FACET_SIZE:] if v in selected]


def _with_undated(values: list[str], aliases: dict[str, str]) -> list[str]:
    """A dated instrument filter also takes the mentions whose year only the catalogue knows."""
    undated = [f"{alias}.0" for alias, target in aliases.items() if target in values]
    return list(values) + undated


def _suggest(engine, parsed, text: str) -> str | None:
    """ "Did you mean": misspelled syllables corrected, missing accents restored."""
    vocabulary = engine.vocabulary()
    replacements: dict[str, str] = {}
    for leaf in parsed.leaves((Word, Phrase)):
        for word in leaf.words if isinstance(leaf, Phrase) else (leaf.text,):
            folded = fold(word)
            if folded not in vocabulary:
                corrected = engine.correct(folded)
                if corrected and corrected in vocabulary:
                    replacements[word] = vocabulary[corrected]
            elif not has_diacritics(word) and fold(vocabulary[folded]) == folded and vocabulary[folded] != word.lower():
                replacements[word] = vocabulary[folded]
    if not replacements:
        return None
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(replacements, key=len, reverse=True)) + r")(?!\w)")
    suggestion = pattern.sub(lambda m: replacements[m.group(1)], text)
    return suggestion if suggestion != text else None
