"""Telling Vietnamese from garbage: whether a word is spelled like one Vietnamese syllable, and a
text's score of valid syllables against invalid ones. Used to choose an encoding (``legacy``),
to trust a text layer or OCR (``loaders``, ``ocr``)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["is_vietnamese_syllable", "vietnamese_score", "GRAVE", "HOOK", "TILDE", "ACUTE", "DOT"]

# Tone marks in the order TCVN3 and VNI list them: huyền, hỏi, ngã, sắc, nặng.
GRAVE, HOOK, TILDE, ACUTE, DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
_TONE_MARKS = frozenset((GRAVE, HOOK, TILDE, ACUTE, DOT))

# A syllable (toneless, lower case) is [initial] nucleus [final]; the lists follow Vietnamese
# spelling. Longest alternatives first so the regex tries "ngh" before "ng" before "n".
_INITIALS = "ngh ng nh ch gh gi kh ph th tr qu b c d đ g h k l m n p r s t v x".split()
_NUCLEI = sorted(
    (
        "a ă â e ê i o ô ơ u ư y "
        "ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưi ưu ua ưa "
        "iê yê uô ươ oa oă oe oo uâ uê uy uơ "
        "iêu yêu uôi ươi ươu oai oay oao oeo uây uya uyê uyu"
    ).split(),
    key=len,
    reverse=True,
)
_SYLLABLE = re.compile(
    "(?P<initial>{})?(?P<nucleus>{})(?P<final>ch|ng|nh|c|m|n|p|t)?".format(
        "|".join(_INITIALS), "|".join(_NUCLEI)
    )
)
_FRONT_VOWELS = ("e", "ê", "i", "y")


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """True when ``word`` is spelled like one Vietnamese syllable ("nghị", "quyết", "Thành").

    >>> [is_vietnamese_syllable(w) for w in ("Nghị", "quyết", "NghÞ", "quyeát", "ngho")]
    [True, True, False, False, False]
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in decomposed if ch in _TONE_MARKS]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    match = _SYLLABLE.fullmatch(bare)
    if match is None:
        return False
    initial, nucleus, final = match.group("initial", "nucleus", "final")
    if initial in ("ngh", "gh", "k") and not nucleus.startswith(_FRONT_VOWELS):
        return False  # "nghi", "ghế", "kế" but never "ngho"
    if nucleus in ("ă", "â", "oă", "uâ", "iê", "yê", "uô", "ươ", "uyê", "oo") and not final:
        return False  # "ăn", "tiền", "muốn", "xoong" need a final
    if final in ("c", "ch", "p", "t") and tones and tones[0] not in (ACUTE, DOT):
        return False  # a stop final takes only the sắc or nặng tone: "việt", never "viềt"
    return True


# A word for scoring: anything between spaces, digits and ordinary punctuation. Odd symbols stay
# inside words on purpose: "c¸c" (TCVN3 "các" read as Windows-1252) must count as one bad word.
_SCORE_TOKEN = re.compile(r"[^\s\d!-/:-@\[-`{-~\u2010-\u2027\u00a0]+")


def vietnamese_score(text: str, limit: int | None = None) -> int:
    """Words with diacritics that are valid syllables, minus words with non-ASCII that are not.

    ASCII words do not count either way, so unaccented text scores 0. ``limit`` caps the number
    of characters looked at.
    """
    if limit is not None:
        text = text[:limit]
    score = 0
    for token in _SCORE_TOKEN.findall(unicodedata.normalize("NFC", text)):
        if token.isascii():
            continue
        score += 1 if is_vietnamese_syllable(token) else -1
    return score
