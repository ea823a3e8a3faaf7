"""extract_citations(text) -> [Citation]: every numbered instrument reference, with its span.

A reference is anchored on its symbol ("84/NQ-CP", "36-NQ/TW", "15/2021/NĐ-CP", "1567/UBND-NC");
the type word before it ("Nghị quyết số"), the date and the issuer after it ("ngày 29/5/2020 của
Chính phủ") widen the surface. Matching runs on ``fold_aligned`` text, so upper case, text typed
without diacritics and NFD input are all one case, and every span is a span of the source text.
Short references are completed later by ``resolve.resolve_citations``.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re

from .models import Citation
from .normalize import fold, fold_aligned
from .patterns import (
    DATE_AFTER_RE,
    ISSUER_AFTER_RE,
    ISSUER_CODES,
    ISSUER_NAMES,
    LIST_GLUE_RE,
    NUMBER_ONLY_RE,
    SYMBOL_RE,
    TYPE_ABBREVIATIONS,
    TYPE_BEFORE_RE,
    TYPE_WORDS,
    canonical_code,
)

__all__ = ["extract_citations", "implied_issuer", "LineIndex"]

_NEWLINE = re.compile("\n")
_LOOKBEHIND = 60  # characters searched before a symbol for its type word


class LineIndex:
    """Maps a character offset of a text to its 1-based line number."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


def implied_issuer(issuer_code: str | None) -> str | None:
    """The body an issuer code stands for: "CP" -> "Chính phủ", "QH14" -> "Quốc hội"."""
    if not issuer_code:
        return None
    head = issuer_code.split("-")[0]
    return ISSUER_CODES.get(head) or ISSUER_CODES.get(re.sub(r"\d+$", "", head))


# Bodies that may issue under one code: "-NQ/TW" comes from the Central Committee, the Politburo
# or the Secretariat (DOMAIN.md); "-NQ/TU" from the provincial Party committee or its standing board.
_CODE_BODIES = {
    "TW": {"Ban Chấp hành Trung ương", "Bộ Chính trị", "Ban Bí thư"},
    "TU": {"Tỉnh ủy", "Ban Thường vụ Tỉnh ủy"},
}


def issuer_fits_code(issuer: str, issuer_code: str | None) -> bool:
    """True when a stated issuer can have issued under ``issuer_code`` ("Bộ Chính trị", "TW")."""
    implied = implied_issuer(issuer_code)
    return implied is None or issuer == implied or issuer in _CODE_BODIES.get(issuer_code or "", ())


def iso_date(day: str, month: str, year: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def symbol_parts(match: re.Match[str], text: str) -> tuple[str, str, str, str, str] | None:
    """(type, number, symbol, canonical, issuer_code) for a symbol match, or None if it is none.

    Parts are read from the source text so a written "Đ" survives; ``canonical_code`` restores
    it where the writer typed "D" (DOMAIN.md: canonical keys carry "Đ").
    """

    def part(name: str) -> str:
        return canonical_code(text[match.start(name) : match.end(name)])

    number = match.group("number")
    if match.group("year"):
        number = f"{number}/{match.group('year')}"
    if match.group("party_type"):
        type_abbr, issuer = part("party_type"), part("party_issuer")
        if type_abbr not in TYPE_ABBREVIATIONS:
            return None
        symbol = f"{type_abbr}/{issuer}"
        return TYPE_ABBREVIATIONS[type_abbr], number, symbol, f"{number}-{symbol}", issuer
    if match.group("law_issuer"):
        issuer = part("law_issuer")
        return "Luật", number, issuer, f"{number}/{issuer}", issuer
    first, second = part("type"), part("issuer")
    symbol = f"{first}-{second}"
    if first in TYPE_ABBREVIATIONS:
        return TYPE_ABBREVIATIONS[first], number, symbol, f"{number}/{symbol}", second
    if implied_issuer(first):  # an official letter: 1567/UBND-NC
        return "Công văn", number, symbol, f"{number}/{symbol}", first
    return None


def _type_word_before(folded: str, start: int) -> re.Match[str] | None:
    window_start = max(0, start - _LOOKBEHIND)
    return TYPE_BEFORE_RE.search(folded, window_start, start)


def _stated_issuer(folded: str, pos: int) -> tuple[str | None, int]:
    match = ISSUER_AFTER_RE.match(folded, pos)
    if not match:
        return None, pos
    return ISSUER_NAMES[re.sub(r"\s+", " ", match.group("issuer_name"))], match.end()


def _date_after(folded: str, pos: int) -> tuple[str | None, int]:
    match = DATE_AFTER_RE.match(folded, pos)
    if not match:
        return None, pos
    day, month, year = match.group("d1", "m1", "y1") if match.group("d1") else match.group("d2", "m2", "y2")
    date = iso_date(day, month, year)
    return (date, match.end()) if date else (None, pos)


def extract_citations(text: str, doc: str = "") -> list[Citation]:
    """Every numbered instrument mention in ``text``, in order, with surface spans.

    >>> [c.canonical for c in extract_citations("các Chỉ thị số: 15/CT-TTg ngày 27/3/2020, 16/CT-TTg")]
    ['15/CT-TTg', '16/CT-TTg']

    Dates come as ISO strings; ``issuer`` holds only what the text states (``resolve`` fills in
    the issuer a symbol implies); figures, dates and percentages never match a symbol.
    """
    folded = fold_aligned(text)
    lines = LineIndex(text)
    found: list[Citation] = []
    list_issuer_from: int = 0  # first citation of the current list ("15/CT-TTg …, 16/CT-TTg …")
    for match in SYMBOL_RE.finditer(folded):
        parts = symbol_parts(match, text)
        if parts is None:
            continue
        type_name, number, symbol, canonical, issuer_code = parts
        type_word = _type_word_before(folded, match.start())
        if type_word:  # the written word wins: "Nghị quyết số 82/2019/QH14" is no "Luật"
            type_name = TYPE_WORDS[re.sub(r"\s+", " ", type_word.group("type_word"))]
        start = type_word.start() if type_word else match.start()
        date, end = _date_after(folded, match.end())
        issuer, end = _stated_issuer(folded, end)
        previous = found[-1] if found else None
        in_list = previous is not None and LIST_GLUE_RE.fullmatch(folded, previous.end, start) is not None
        if not in_list:
            list_issuer_from = len(found)
        elif issuer:
            # "các Chỉ thị số: 15/CT-TTg …, 16/CT-TTg … của Thủ tướng": the issuer closes the list
            for earlier in found[list_issuer_from:]:
                if earlier.issuer is None and issuer_fits_code(issuer, earlier.issuer_code):
                    earlier.issuer = issuer
        found.append(
            Citation(
                doc=doc,
                section_id=None,
                line=lines.line_of(start),
                start=start,
                end=end,
                surface=text[start:end],
                type=type_name,
                number=number,
                symbol=symbol,
                canonical=canonical,
                date=date,
                year=int(date[:4]) if date else None,
                issuer=issuer,
                issuer_code=issuer_code,
            )
        )
    found.extend(_number_only_references(text, folded, found, lines))
    found.sort(key=lambda c: c.start)
    return found


def _number_only_references(text: str, folded: str, full: list[Citation], lines: LineIndex) -> list[Citation]:
    """ "Nghị quyết số 84" / "NQ 84": kept only when an earlier full reference of the same type
    and number explains it (DOMAIN.md: a bare number is ambiguous until resolved)."""
    taken = [(c.start, c.end) for c in full]
    out: list[Citation] = []
    for match in NUMBER_ONLY_RE.finditer(folded):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        word = re.sub(r"\s+", " ", match.group("type_word"))
        between = folded[match.end("type_word") : match.start("number")]
        if "so" not in between and word not in (fold(a) for a in TYPE_ABBREVIATIONS):
            continue  # "Kế hoạch 5 năm" is not a reference; "Kế hoạch số 5" and "KH 5" are
        type_name = TYPE_WORDS[word]
        number = match.group("number")
        earlier = [c for c in full if c.start < match.start() and c.type == type_name and c.number.split("/")[0] == number]
        if not earlier:
            continue
        ref = earlier[-1]
        date, end = _date_after(folded, match.end())
        out.append(
            Citation(
                doc=ref.doc,
                section_id=None,
                line=lines.line_of(match.start()),
                start=match.start(),
                end=end,
                surface=text[match.start() : end],
                type=type_name,
                number=ref.number,
                symbol=ref.symbol,
                canonical=ref.canonical,
                date=date,
                year=int(date[:4]) if date else None,
                issuer=None,
                issuer_code=ref.issuer_code,
            )
        )
    return out
