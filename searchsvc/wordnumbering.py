"""Labels of Word auto-numbered paragraphs ("I.", "1.", "a)"), which live in numbering.xml, not in the text.

DOMAIN.md: offices number their headings with Word's automatic numbering, so the paragraph text
is "TÌNH HÌNH CHUNG" while the page shows "I. TÌNH HÌNH CHUNG". A paragraph is numbered by its own
``w:numPr`` or its style's (``w:pStyle`` -> ``w:style/w:pPr/w:numPr``); ``w:num`` maps the list to
an ``w:abstractNum`` whose ``w:lvl`` gives the format (decimal, upperRoman, lowerLetter …), the
text ("%1.", "%1.%2.", "%1)") and the start value. Counters run per list and level, a level
restarting when a higher one advances, as Word draws them.
"""
from __future__ import annotations

__all__ = ["WordNumbering"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_VIETNAMESE_LETTERS = "abcdđeghiklmnopqrstuvxy"  # "a) … đ) …": Vietnamese lists skip f, j, w, z and use đ


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _letter(n: int) -> str:
    return _VIETNAMESE_LETTERS[(n - 1) % len(_VIETNAMESE_LETTERS)]


def format_number(n: int, fmt: str) -> str:
    """ "upperRoman" 4 -> "IV", "lowerLetter" 5 -> "đ", "decimalZero" 3 -> "03"."""
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class WordNumbering:
    """``label(paragraph)`` gives the label Word draws before a numbered paragraph, in order."""

    def __init__(self, document):
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, text, start)
        self._style_numbering: dict[str, tuple[str, int]] = {}  # styleId -> (numId, ilvl)
        self._counters: dict[str, dict[int, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):  # a document without numbering.xml
            return
        abstract = {a.get(_W + "abstractNumId"): self._read_levels(a) for a in numbering.iter(_W + "abstractNum")}
        for num in numbering.iter(_W + "num"):
            ref = num.find(_W + "abstractNumId")
            levels = dict(abstract.get(ref.get(_W + "val") if ref is not None else None, {}))
            for override in num.iter(_W + "lvlOverride"):
                start = override.find(_W + "startOverride")
                ilvl = int(override.get(_W + "ilvl", "0"))
                if start is not None and ilvl in levels:
                    fmt, text, _ = levels[ilvl]
                    levels[ilvl] = (fmt, text, int(start.get(_W + "val", "1")))
            self._levels[num.get(_W + "numId")] = levels
        for style in document.styles.element.iter(_W + "style"):
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                self._style_numbering[style.get(_W + "styleId")] = self._num_pr(num_pr)

    @staticmethod
    def _read_levels(abstract) -> dict[int, tuple[str, str, int]]:
        levels = {}
        for lvl in abstract.iter(_W + "lvl"):
            fmt, text, start = lvl.find(_W + "numFmt"), lvl.find(_W + "lvlText"), lvl.find(_W + "start")
            levels[int(lvl.get(_W + "ilvl", "0"))] = (
                fmt.get(_W + "val", "decimal") if fmt is not None else "decimal",
                text.get(_W + "val", "") if text is not None else "",
                int(start.get(_W + "val", "1")) if start is not None else 1,
            )
        return levels

    @staticmethod
    def _num_pr(num_pr) -> tuple[str, int]:
        num_id, ilvl = num_pr.find(_W + "numId"), num_pr.find(_W + "ilvl")
        return (num_id.get(_W + "val", "0") if num_id is not None else "0",
                int(ilvl.get(_W + "val", "0")) if ilvl is not None else 0)

    def label(self, paragraph) -> str:
        """ "I.", "1.1.", "a)" for a numbered ``w:p``; "-" for a bullet; "" otherwise."""
        if not self._levels:
            return ""
        direct = paragraph.find(f"{_W}pPr/{_W}numPr")
        if direct is not None:
            num_id, ilvl = self._num_pr(direct)
        else:
            style = paragraph.find(f"{_W}pPr/{_W}pStyle")
            num_id, ilvl = self._style_numbering.get(style.get(_W + "val") if style is not None else "", ("0", 0))
        levels = self._levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        fmt, text, start = levels[ilvl]
        if fmt in ("bullet", "none"):
            return "-" if fmt == "bullet" else ""
        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        label = text
        for level in range(ilvl + 1):
            level_fmt, _, level_start = levels.get(level, ("decimal", "", 1))
            value = counters.get(level, level_start)
            label = label.replace(f"%{level + 1}", format_number(value, level_fmt))
        return label.strip()
