"""Complete short references from the full ones of the same report, and give instruments titles.

DOMAIN.md: "A later short reference ("Nghị quyết 84/NQ-CP", "NQ 84") usually points to the full
reference given earlier in the same report", and footnotes often hold an instrument's full name.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict

from .citations import implied_issuer
from .models import Citation, Footnote
from .normalize import fold
from .patterns import TYPE_WORDS

__all__ = ["resolve_citations", "attach_titles"]


def resolve_citations(citations: list[Citation]) -> list[Citation]:
    """Fill date, year and issuer of short references in place; return the same list.

    >>> from searchsvc.citations import extract_citations
    >>> cs = resolve_citations(extract_citations(
    ...     "Nghị quyết số 84/NQ-CP ngày 29/5/2020 của Chính phủ … thực hiện Nghị quyết 84/NQ-CP"))
    >>> cs[1].date, cs[1].issuer
    ('2020-05-29', 'Chính phủ')
    """
    ordered = sorted(citations, key=lambda c: c.start)  # the same objects, in text order
    by_canonical: dict[str, list[Citation]] = defaultdict(list)
    for citation in ordered:
        by_canonical[citation.canonical].append(citation)
    _resolve_in_order(ordered, by_canonical)
    return citations


def _resolve_in_order(citations: list[Citation], by_canonical: dict[str, list[Citation]]) -> None:
    """A short reference takes date, year and issuer from the nearest dated mention of the same
    instrument before it, else the first one after it; an issuer still missing comes from a mention
    of the same instrument and year that states one, else from the symbol's issuer code.

    Linear in the number of mentions (rescanning them for each short one was quadratic: a hostile
    file with thousands of "84/NQ-CP" took minutes). In text order, the nearest dated
    mention before a citation is the last dated one already seen; the first dated one after it
    and the first one after it stating an issuer are looked up by bisection among the mentions
    not yet seen, which still hold what the text states.
    """
    position: dict[int, int] = {}  # id(citation) -> its place among the mentions of its instrument
    dated_after: dict[str, list[int]] = {}  # canonical -> places of the mentions stating a date
    issuer_after: dict[tuple[str, int | None], list[int]] = defaultdict(list)  # (canonical, year) -> places
    for canonical, same in by_canonical.items():
        dated_after[canonical] = [i for i, c in enumerate(same) if c.date]
        for i, c in enumerate(same):
            position[id(c)] = i
            if c.issuer:
                issuer_after[(canonical, c.year)].append(i)
    last_dated: dict[str, Citation] = {}
    first_with_issuer: dict[tuple[str, int | None], Citation] = {}  # among the citations already seen
    for citation in citations:
        same, here = by_canonical[citation.canonical], position[id(citation)]
        if citation.date is None:
            full = last_dated.get(citation.canonical)
            if full is None:
                later = dated_after[citation.canonical]
                at = bisect_right(later, here)
                full = same[later[at]] if at < len(later) else None
            if full is not None:
                citation.date, citation.year = full.date, full.year
                citation.issuer = citation.issuer or full.issuer
                citation.resolved_from = full.line
        if citation.year is None and "/" in citation.number:  # 15/2021/NĐ-CP carries its year
            citation.year = int(citation.number.split("/")[1])
        if citation.issuer is None:
            key = (citation.canonical, citation.year)
            other = first_with_issuer.get(key)
            if other is None:
                later = issuer_after.get(key, [])
                at = bisect_right(later, here)
                other = same[later[at]] if at < len(later) else None
            citation.issuer = (other.issuer if other else None) or implied_issuer(citation.issuer_code)
        if citation.date:
            last_dated[citation.canonical] = citation
        if citation.issuer:
            first_with_issuer.setdefault((citation.canonical, citation.year), citation)


_BLANK = re.compile(r"\s*")  # the same characters as str.isspace()
_TYPE_WORD_START = re.compile("|".join(sorted((re.escape(w) for w in TYPE_WORDS), key=len, reverse=True)))


def _names_instrument(note: str, citation: Citation) -> bool:
    """True when a footnote starts with the cited instrument's type word ("Nghị quyết về …")."""
    match = _TYPE_WORD_START.match(fold(note))
    return bool(match) and TYPE_WORDS.get(match.group()) == citation.type


def attach_titles(citations: list[Citation], footnotes: list[tuple[Footnote, int]], text: str) -> None:
    """Give a citation the title held by the footnote whose marker follows it.

    ``footnotes`` pairs each footnote with the offset of its marker in ``text``. The marker stands
    right after the reference ("… ngày 01/01/2020 của Chính phủ⁽¹⁾") or inside it, before its date
    ("… 36-CT/TW ngày 16/8/2019⁽⁵⁾ của Bộ Chính trị"). All mentions of that instrument in the
    report share the title.
    """
    titles: dict[tuple[str, int | None], str] = {}
    for note, offset in footnotes:
        for citation in citations:
            # only blanks between the reference and the marker; matched in place rather than
            # sliced out, which copied up to the whole text per footnote and citation
            touching = citation.start < offset <= citation.end or (
                offset >= citation.end and _BLANK.fullmatch(text, citation.end, offset) is not None
            )
            if touching and _names_instrument(note.text, citation):
                titles.setdefault((citation.canonical, citation.year), note.text.strip().rstrip("."))
                break
    for citation in citations:
        citation.title = titles.get((citation.canonical, citation.year), citation.title)
