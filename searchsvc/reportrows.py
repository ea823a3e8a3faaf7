"""The grouped view's rows (``search`` with ``group="report"``): the best sections of a search
grouped by report (``grouping``), up to the end of the page asked for, with the documents whose
own number the query is first and, when few reports hold every word, the reports that hold most
of them after (``HANDFUL``).

The engine is asked for the best sections (``_sections``); ``_ranked`` groups 4 times more while
they make fewer rows than the page needs (copies fold many reports into one row), and asks the
engine for more than it groups when few rows came (``_next_fetch``).
"""
from __future__ import annotations

import re
from collections import Counter

import numpy as np

from .analysis import split_compound
from .grouping import Grouping, ReportRow, group_reports
from .normalize import fold
from .query import Alternatives, And, Instrument, Phrase, Word
from .signatures import Signatures, Stale, words_for

__all__ = ["report_rows", "signatures_of", "own_number_pattern", "HANDFUL", "MAX_GROUPED"]

HANDFUL = 5  # fewer reports with every word than this: reports with most of the words follow
MAX_GROUPED = 4096  # best sections grouped into rows by report, at most (bounds a search's cost)
FIRST_SHARE = 16  # the engine is first asked for up to this share of the sections that match (``_next_fetch``)


def signatures_of(generation) -> Signatures | None:
    """The generation's section signatures (``signatures``), read once per generation; None
    when it has none (grouping then reads the stored text)."""
    if "signatures" not in generation.cache:
        generation.cache["signatures"] = Signatures.open(generation.path)
    return generation.cache["signatures"]


def _ranked(engine, compiled, sort: str, wanted_rows: int, total: int, signatures: Signatures | None = None,
            detailed: int | None = None) -> list[ReportRow]:
    """The first ``wanted_rows`` rows of the best sections, the first ``detailed`` of them (all by
    default) with their best sections (``Grouping``): the best ``max(64, 4 * wanted_rows)``
    grouped, then 4 times more while they make fewer rows (copies fold many reports into one),
    at most ``MAX_GROUPED`` sections. The stored fields of a section are read once, and only for
    the sections grouping looks at: with ``signatures``, for the rows kept only.

    The engine is asked for more sections than are grouped when few rows came of the ones
    grouped (``_next_fetch``): a search costs about the same for 64 or 4,096 sections when many
    sections match, and the best n sections are the first n of the best 4n (ties are ordered),
    so the rows are the same as when it is asked for each step."""
    grouped = max(64, 4 * wanted_rows)
    detailed = wanted_rows if detailed is None else detailed
    fetched: list = []
    kept: dict = {}  # what the engine keeps of a fetch for the next (``_sections``)
    read: dict = {}  # document -> stored fields, across fetches
    grouping = Grouping(detailed=detailed, rows=wanted_rows)  # rows past the page are not made; across fetches
    rows: list[ReportRow] = []
    while True:
        size = min(grouped, max(total, 1), MAX_GROUPED)
        if size > len(fetched):
            asked = min(_next_fetch(size, len(rows), wanted_rows, total), max(total, 1), MAX_GROUPED)
            fetched, stored = _sections(engine, compiled, sort, asked, kept)

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
            signatures, words, same, grouping = None, None, None, Grouping(detailed=detailed, rows=wanted_rows)
            rows = grouping.add(sections, cached)
        if len(rows) >= wanted_rows or grouped >= min(total, MAX_GROUPED):
            return rows
        grouped *= 4


def _next_fetch(size: int, rows: int, wanted_rows: int, total: int) -> int:
    """Sections to ask the engine for, ``size`` to be grouped next of ``total`` that match.

    At first (no ``rows`` yet), the step of 4 times more each up to a ``FIRST_SHARE`` of the
    sections that match: a search finding many costs more than handing over that many (Tantivy,
    10,000 reports: 50 ms to find 188,000 sections, under 4 ms to hand over 4,096 of them), and
    the more sections match, the more copies a page folds. Then, with ``rows`` made of the
    sections grouped so far (a quarter of ``size``): the step that may make ``wanted_rows`` rows,
    were rows to come of sections as their square root (a copy comes back as often as it was
    seen: rows come ever more slowly).

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


def _sections(engine, compiled, sort: str, limit: int, kept: dict | None = None):
    """(document, score, report id) of the best ``limit`` sections and a function reading the
    stored fields of the i-th: the engine's ``sections`` when it has one (stored fields read
    lazily; ``kept``: what it keeps of a fetch for the next one of the same search), else from
    its ``page``."""
    if hasattr(engine, "sections"):
        sections, stored, _ = engine.sections(compiled, sort, limit, kept)
        return sections, stored
    page, _ = engine.page(compiled, sort, 0, limit)
    return [(doc, score, fields["report_id"]) for doc, score, fields in page], lambda i: page[i][2]


def report_rows(engine, compiled, filters, parsed, request, total_reports, matched,
                 signatures: Signatures | None = None) -> tuple[list[ReportRow], int, int]:
    """Every row up to the end of the page asked for, the number of sections that match, and
    the number of documents whose own number the query is that it did not find otherwise."""
    total = len(matched)
    wanted = request.page * request.per_page + 1
    rows = _ranked(engine, compiled, request.sort, wanted, total, signatures, wanted - 1) if total else []  # the last row only tells a next page
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
