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
from dataclasses import dataclass

from .models import Citation
from .normalize import fold, fold_aligned
from .patterns import (
    DATE_AFTER_RE,
    ISSUER_AFTER_RE,
    ISSUER_CODES,
    ISSUER_NAMES,
    GENERIC_TYPE_WORDS,
    LIST_GLUE_RE,
    NUMBER_ONLY_RE,
    PARTY_ISSUER,
    SYMBOL_PART,
    SYMBOL_RE,
    TYPE_ABBREVIATIONS,
    TYPE_BEFORE_RE,
    TYPE_WORDS,
    canonical_code,
)

__all__ = ["extract_citations", "implied_issuer", "LineIndex"]

_NEWLINE = re.compile("\n")
_JOINED = {".": ".{}", "(": "({})"}  # how a part is written after its separator; "-" otherwise
_KNOWN_CODES = frozenset(fold(code) for code in [*TYPE_ABBREVIATIONS, *ISSUER_CODES])
_LOOKBEHIND = 60  # characters searched before a symbol for its type word
_FORM_BEFORE = re.compile(r"(?<!\w)(?:mau|bieu|bieu mau|phu luc)[ \t]+(?:so[ \t]*:?[ \t]*)?$")


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
    head = re.split(r"[-.]", issuer_code)[0]
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


@dataclass(frozen=True)
class SymbolReading:
    """What a symbol says: "15/2021/NĐ-CP" -> Nghị định 15/2021 of the Government."""

    type: str  # from the type abbreviation; "Công văn" for an official letter, "Luật" for a law
    number: str  # "84", "15/2021", "66.7/2025"
    symbol: str  # "NQ-CP", "NQ/TW", "UBND-NC", "QH14"
    canonical: str  # "84/NQ-CP", "36-NQ/TW"
    issuer_code: str | None
    end: int  # end of the symbol in the text (parts that are no code are left out)
    needs_type_word: bool = False  # "360/HĐTĐ": one bare code is a symbol only after a type word


def _known(code: str) -> bool:
    folded = fold(code)
    return folded in _KNOWN_CODES or bool(re.fullmatch(r"(?:qh|ubtvqh)\d{1,2}", folded))


def _written_as_code(code: str) -> bool:
    """ "KGVX", "GD&ĐT", "TTr", "CTrPH": a capital first and at most one small letter."""
    return code[0].isupper() and sum(ch.islower() for ch in code) <= 1


def _parts(match: re.Match[str], text: str) -> list[tuple[str, str, int]]:
    """(join, code, end) of each part of the symbol, up to the first one that is no code."""
    out: list[tuple[str, str, int]] = []
    start = match.start("codes")
    for part in SYMBOL_PART.finditer(text, start, match.end("codes")):
        join, code = (part.group("join") or "").strip(), part.group("code")
        join = "(" if join.startswith("(") else join
        if not (_known(code) or _written_as_code(code)):
            break
        out.append((join, code, part.end()))
    return out


def read_symbol(match: re.Match[str], text: str) -> SymbolReading | None:
    """The instrument a ``SYMBOL_RE`` match names, or None when it is no symbol ("1A/QL")."""
    parts = _parts(match, text)
    if not parts:
        return None
    number = match.group("number")
    if match.group("year"):
        number = f"{number}/{match.group('year')}"
    codes = [canonical_code(code) for _join, code, _end in parts]
    joins = [join for join, _code, _end in parts]
    first = codes[0]
    party = match.group("sep").strip().startswith("-") or (len(codes) > 1 and joins[1] == "/")
    if party:  # 36-NQ/TW, 31- HD/BTCTW, and the careless 19/NQ/TW
        if len(codes) < 2 or joins[1] != "/" or first not in TYPE_ABBREVIATIONS or match.group("year"):
            return None
        if not PARTY_ISSUER.fullmatch(fold(codes[1])) and match.group("sep").strip() == "/":
            return None
        symbol = f"{first}/{codes[1]}"
        return SymbolReading(TYPE_ABBREVIATIONS[first], number, symbol, f"{number}-{symbol}", codes[1], parts[1][2])
    # a "/" after the first part belongs to another reference: stop there
    cut = next((i for i, join in enumerate(joins[1:], 1) if join == "/"), len(codes))
    codes, joins, end = codes[:cut], joins[:cut], parts[cut - 1][2]
    symbol = codes[0] + "".join(_JOINED.get(join, "-{}").format(code) for join, code in zip(joins[1:], codes[1:]))
    canonical = f"{number}/{symbol}"
    if len(codes) == 1 and re.fullmatch(r"(?:QH|UBTVQH)\d{1,2}", first):  # 82/2019/QH14
        return SymbolReading("Luật", number, first, canonical, first, end)
    if first in TYPE_ABBREVIATIONS and len(codes) > 1:  # 84/NQ-CP, 114/KH-CAT-PC04, 325/KL-STP.ĐKT
        issuer = "-".join(codes[1:]) if all(j != "." for j in joins[2:]) else symbol[len(first) + 1 :]
        return SymbolReading(TYPE_ABBREVIATIONS[first], number, symbol, canonical, issuer, end)
    if first in TYPE_ABBREVIATIONS:
        return None  # "12/KH" alone says nothing of who issued it
    # an official letter: the issuer's code first (1567/UBND-NC, 6806/STC-GCS, 737/STP.ĐKT)
    return SymbolReading("Công văn", number, symbol, canonical, first, end, needs_type_word=len(codes) == 1)


def symbol_parts(match: re.Match[str], text: str) -> tuple[str, str, str, str, str] | None:
    """(type, number, symbol, canonical, issuer_code) for a symbol match, or None if it is none."""
    reading = read_symbol(match, text)
    if reading is None or reading.needs_type_word:
        return None
    return reading.type, reading.number, reading.symbol, reading.canonical, reading.issuer_code or ""


def _type_word_before(folded: str, start: int) -> re.Match[str] | None:
    window_start = max(0, start - _LOOKBEHIND)
    return TYPE_BEFORE_RE.search(folded, window_start, start)


def _stated_issuer(folded: str, pos: int) -> tuple[str | None, int]:
    match = ISSUER_AFTER_RE.match(folded, pos)
    if not match:
        return None, pos
    return ISSUER_NAMES[re.sub(r"\s+", " ", match.group("issuer_name"))], match.end()


# "Ngày 10/11/2025, Sở Nội vụ đã ban hành Công văn số 2775/…", "Đến ngày 03/12/2025, Sở Nội vụ có
# Công văn số 3331/…": the date opens the clause and a verb of issuing leads to the mention.
_CLAUSE_DATE = re.compile(
    r"(?:^|(?<=[.;:,\n]))[ \t\n]*(?:[-+][ \t]*)?(?:[^\W\d_]+[ \t]+){0,3}ngay[ \t\n]+"
    r"(?:(?P<d1>\d{1,2})/(?P<m1>\d{1,2})/(?P<y1>(?:19|20)\d\d)|(?P<d2>\d{1,2})[ \t]+thang[ \t]+(?P<m2>\d{1,2})[ \t]+nam[ \t]+(?P<y2>(?:19|20)\d\d))"
    r"[ \t]*,?[^.;:]{0,60}?(?:ban[ \t]+hanh|co|thong[ \t]+qua|ky|gui)[ \t]+$"
)
_CLAUSE_LOOKBEHIND = 120


def _date_opening_the_clause(folded: str, start: int) -> str | None:
    match = _CLAUSE_DATE.search(folded, max(0, start - _CLAUSE_LOOKBEHIND), start)
    if not match:
        return None
    day, month, year = match.group("d1", "m1", "y1") if match.group("d1") else match.group("d2", "m2", "y2")
    return iso_date(day, month, year)


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
        reading = read_symbol(match, text)
        if reading is None:
            continue
        type_name, number, symbol, canonical, issuer_code = (
            reading.type, reading.number, reading.symbol, reading.canonical, reading.issuer_code
        )
        if _FORM_BEFORE.search(folded, max(0, match.start() - 20), match.start()):
            continue  # "Mẫu số 01/ĐK-TCT", "Biểu số 02/BC-TK": a form's code, not an instrument
        type_word = _type_word_before(folded, match.start())
        if reading.needs_type_word and not type_word:
            continue  # "360/HĐTĐ" is a symbol in "Công văn số 360/HĐTĐ", not on its own
        if type_word:  # the written word wins: "Nghị quyết số 82/2019/QH14" is no "Luật"
            written = re.sub(r"\s+", " ", type_word.group("type_word"))
            if written not in GENERIC_TYPE_WORDS or type_name == "Luật" or symbol.split("-")[0] not in TYPE_ABBREVIATIONS:
                type_name = TYPE_WORDS[written]
        start = type_word.start() if type_word else match.start()
        date, end = _date_after(folded, reading.end)
        if date is None:
            date = _date_opening_the_clause(folded, start)
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
