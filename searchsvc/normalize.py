"""Pure text steps for Vietnamese: Unicode composition, tone placement, folding, tokens.

Two kinds of steps live here and must not be confused:

* steps that keep what is shown (``nfc``, ``clean_text``): the text a user reads keeps every
  diacritic exactly as the report wrote it;
* steps for matching only (``tone_normalize``, ``fold``): they make "hoà" equal "hòa"
  (DOMAIN.md: both tone placements are correct) and "Nghị quyết" equal "nghi quyet".
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

from unidecode import unidecode

__all__ = [
    "nfc",
    "clean_text",
    "tone_normalize",
    "fold",
    "fold_aligned",
    "exact_form",
    "TOKEN_RE",
    "iter_tokens",
    "has_diacritics",
    "looks_unaccented",
]


def nfc(text: str) -> str:
    """Compose to NFC: "Nghi\u0323 quye\u0302\u0301t" (NFD) -> "Nghị quyết"."""
    return unicodedata.normalize("NFC", text)


_LINE_ENDINGS = re.compile(r"\r\n?|\u2028|\u2029")
_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u00ad]+")  # a regex: str.translate reads every character


def clean_text(text: str) -> str:
    """Text as it is stored and shown: NFC, "\\n" line ends, no BOM or zero-width characters.

    >>> clean_text("\\ufeffBáo cáo\\r\\nsố 1")
    'Báo cáo\\nsố 1'
    """
    return _LINE_ENDINGS.sub("\n", _INVISIBLE.sub("", nfc(text)))


# --- tone placement -------------------------------------------------------------------------
# One syllable has two correct spellings (DOMAIN.md): "hoà, khoẻ, uỷ, thuỷ" (tone on the second
# vowel) and "hòa, khỏe, ủy, thủy" (tone on the first). Only open syllables differ: "hoàn" is
# written the same either way, and "qu" + y is not the "uy" glide ("quý" is the same either way).
# Matching uses the second set; the pattern works on NFD text, where a tone mark follows its vowel.
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_TONE_ON_SECOND = re.compile(
    rf"(?:([oO])([aAeE])|(?<![qQ])([uU])([yY]))([{_TONES}])(?![^\W\d_]|[\u0300-\u036f])"
)


def _move_tone(match: re.Match[str]) -> str:
    first, second = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    return first + match.group(5) + second


def tone_normalize(text: str) -> str:
    """One tone placement, for matching: "hoà"->"hòa", "uỷ"->"ủy", "khoẻ"->"khỏe".

    >>> tone_normalize("Uỷ ban hoà giải, sức khoẻ, quý, hoàn thành")
    'Ủy ban hòa giải, sức khỏe, quý, hoàn thành'
    """
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _TONE_ON_SECOND.sub(_move_tone, decomposed))


def exact_form(text: str) -> str:
    """The accent-exact matching form: NFC, one tone placement, lower case."""
    return tone_normalize(text).lower()


# --- folding ----------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch < "\x80":
        return ch.lower()
    if unicodedata.combining(ch):
        return ""
    folded = unidecode(ch)
    return folded.lower() if folded else ch.lower()


def _build_fold_table() -> dict[int, str]:
    """A translate table for every Latin letter a Vietnamese text may hold (built once)."""
    table: dict[int, str] = {}
    for start, end in ((0x00C0, 0x0250), (0x1E00, 0x1F00), (0x0300, 0x0370)):
        for code in range(start, end):
            table[code] = _fold_char(chr(code))
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code).lower()
    return table


_FOLD_TABLE = _build_fold_table()


_SINGLE_BELOW = 0x2200  # Latin letters, general punctuation, super- and subscripts
_SEVERAL = 0xFFFFFFFF  # in ``_single_folds``: the fold of this code point is not one character


@lru_cache(maxsize=1)
def _single_folds() -> np.ndarray:
    """Code point -> the one character ``fold`` makes of it (``_SEVERAL`` when it makes none or
    several), below ``_SINGLE_BELOW``: a text of such characters folds by one table lookup each."""
    table = np.full(_SINGLE_BELOW, _SEVERAL, dtype=np.uint32)
    for code in range(_SINGLE_BELOW):
        folded = "".join(map(_fold_char, _FOLD_TABLE.get(code, chr(code))))
        if len(folded) == 1:
            table[code] = ord(folded)
    return table


def fold(text: str) -> str:
    """Accent- and case-insensitive matching form (unidecode-based; đ -> d).

    >>> fold("Nghị quyết số 15/2021/NĐ-CP của Thủ tướng")
    'nghi quyet so 15/2021/nd-cp cua thu tuong'
    """
    text = nfc(text)
    if len(text) > 64 and not text.isascii():  # long texts: every character at once when each folds to one
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        if codes.max() < _SINGLE_BELOW:
            folded = _single_folds()[codes]
            if not (folded == _SEVERAL).any():
                return folded.tobytes().decode("utf-32-le")
    folded = text.translate(_FOLD_TABLE)
    if folded.isascii():
        return folded
    return "".join(_fold_char(ch) for ch in folded)


def _aligned_char(ch: str) -> str:
    out = _fold_char(ch)
    return out if len(out) == 1 else ch.lower() if len(ch.lower()) == 1 else ch


def _aligned_lookup() -> np.ndarray:
    """code point -> its aligned fold, for every code point below U+1F00 (identity elsewhere)."""
    lookup = np.arange(0x1F00, dtype=np.uint32)
    for start, end in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for code in range(start, end):
            lookup[code] = ord(_aligned_char(chr(code)))
    return lookup


_ALIGNED_LOOKUP = _aligned_lookup()


def fold_aligned(text: str) -> str:
    """Fold letter by letter, keeping length, so a match in the result is a span of ``text``.

    Characters that do not fold to exactly one character stay as they are.

    >>> fold_aligned("Nghị quyết⁽¹⁾")
    'nghi quyet⁽¹⁾'
    """
    if text.isascii():
        return text.lower()
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)  # a table lookup per character, at once
    inside = codes < len(_ALIGNED_LOOKUP)
    folded = np.where(inside, _ALIGNED_LOOKUP[np.where(inside, codes, 0)], codes)
    out = folded.tobytes().decode("utf-32-le").lower()
    if len(out) != len(text):  # a rare character whose lower case changes length
        out = "".join(c if len(c) == 1 else t for c, t in zip(map(str.lower, out), text))
    return out


# --- tokens -----------------------------------------------------------------------------------
# A token is a run of letters and digits; runs joined by "/", "-", ".", "," or "&" with no space
# stay one token ("84/NQ-CP", "15/2021/NĐ-CP", "36-NQ/TW", "5.145", "6,4", "KH&CN") so that codes
# and figures are found whole; analysis.py also indexes their parts.
TOKEN_RE = re.compile(r"[^\W_]+(?:[/\-.,&][^\W_]+)*")


def iter_tokens(text: str):
    """Yield (token, start, end) for every token of ``text``."""
    for match in TOKEN_RE.finditer(text):
        yield match.group(), match.start(), match.end()


def has_diacritics(text: str) -> bool:
    """True when ``text`` holds a letter that folding would change (ă, ê, đ, ệ …)."""
    return any(ord(ch) > 127 and ch.isalpha() and fold(ch) != ch.lower() for ch in text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_VIETNAMESE_ONLY_WORDS = re.compile(r"\b(?:cua|nhung|duoc|trong|thuc|hien|nam|tinh|nhan|dan)\b")


def looks_unaccented(text: str, sample: int = 20000) -> bool:
    """True for Vietnamese typed without diacritics ("Nghi quyet so 84 cua Chinh phu").

    A text counts as unaccented when common Vietnamese words occur in folded form but almost
    no letter carries a diacritic.
    """
    head = text[:sample]
    letters = sum(map(str.isalpha, head))
    if letters < 50:
        return False
    marked = sum(map(str.isalpha, _NON_ASCII.findall(head)))
    return marked / letters < 0.01 and len(_VIETNAMESE_ONLY_WORDS.findall(head.lower())) >= 5
