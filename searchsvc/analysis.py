"""Whoosh analysis for Vietnamese: one tokenizer, two forms of each token.

* ``EXACT`` keeps diacritics (NFC, one tone placement, lower case): "hoà" and "hòa" are one term,
  "bán" and "bàn" are two.
* ``FOLDED`` strips them (unidecode-based, đ -> d): "Nghị quyết" -> "nghi quyet".

A compound token ("84/NQ-CP", "15/2021/NĐ-CP", "Covid-19") is indexed whole and by its parts: the
whole shares the position of its first part, so "84/nq-cp" and "nghị quyết 84" both match.
Whoosh pickles the schema into the index, so everything here is module-level and picklable.
"""
from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import Composable, Filter, Token, Tokenizer

from .normalize import TOKEN_RE, exact_form, fold

__all__ = [
    "VietnameseTokenizer", "ExactFilter", "FoldFilter", "BigramFilter", "EXACT", "FOLDED", "EXACT_BIGRAMS",
    "FOLDED_BIGRAMS", "split_compound", "bigrams", "analyze_text",
]

_PART = re.compile(r"[^\W_]+")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)+")


def split_compound(token: str) -> list[str]:
    """ "84/NQ-CP" -> ["84", "NQ", "CP"]; a plain word -> [word]. Figures stay whole ("6,4")."""
    if token.isalnum() or _FIGURE.fullmatch(token):
        return [token]
    return _PART.findall(token)


# Per-token forms are cached: a corpus repeats a small vocabulary of syllables millions of times.
_exact = lru_cache(maxsize=1 << 16)(exact_form)
_fold = lru_cache(maxsize=1 << 16)(fold)


class VietnameseTokenizer(Tokenizer):
    """Tokens of ``normalize.TOKEN_RE``; compounds add their parts (index mode only).
    With ``wholes=False`` a compound gives only its parts (for syllable bigrams).

    >>> [t.text for t in VietnameseTokenizer()("NQ 84/NQ-CP", mode="index")]
    ['NQ', '84/NQ-CP', '84', 'NQ', 'CP']
    """

    def __init__(self, wholes: bool = True):
        self.wholes = wholes

    def __eq__(self, other):
        return type(self) is type(other) and self.wholes == other.wholes

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        pos = start_pos
        for match in TOKEN_RE.finditer(value):
            text = match.group()
            parts = split_compound(text)
            whole = len(parts) > 1 and mode != "query" and self.wholes
            emitted = [(text, match.start(), match.end(), 0)] if whole else []
            offset = match.start()
            for index, part in enumerate(parts):
                begin = value.index(part, offset)
                emitted.append((part, begin, begin + len(part), index))
                offset = begin + len(part)
            for text_, begin, end, step in emitted:
                token.text = text_
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = text_
                if positions:
                    token.pos = pos + step
                if chars:
                    token.startchar, token.endchar = start_char + begin, start_char + end
                yield token
            pos += len(parts)


class ExactFilter(Filter):
    """Accent-exact form: "Hoà" -> "hòa" (one tone placement, lower case)."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, tokens):
        for token in tokens:
            token.text = _exact(token.text)
            yield token


class FoldFilter(Filter):
    """Accent-insensitive form: "Nghị" -> "nghi", "Đ" -> "d"."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, tokens):
        for token in tokens:
            token.text = _fold(token.text)
            yield token


class BigramFilter(Filter):
    """Pairs of neighbouring syllables, one term each: most Vietnamese words are two syllables
    ("đầu tư", "giải ngân"), so a phrase becomes term lookups instead of positional matching.

    >>> [t.text for t in BigramFilter()(VietnameseTokenizer(wholes=False)("đầu tư công"))]
    ['đầu tư', 'tư công']
    """

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, tokens):
        previous = None
        for token in tokens:
            text = token.text
            if previous is not None:
                token.text = f"{previous} {text}"
                yield token
            previous = text


def bigrams(parts: list[str]) -> list[str]:
    """The bigram terms of a sequence of analyzed syllables, as ``BigramFilter`` indexes them."""
    return [f"{a} {b}" for a, b in zip(parts, parts[1:])]


class _ChunkCache(dict):
    """A run of text between spaces -> (exact parts, folded parts, exact wholes, folded wholes).

    "(84/NQ-CP)," -> (["84", "nq", "cp"], ["84", "nq", "cp"], ["84/nq-cp"], ["84/nq-cp"]).
    Splitting at spaces first is safe: a token (``TOKEN_RE``) never holds one; and the same few
    thousand runs keep coming back, so each is analyzed once.
    """

    LIMIT = 200_000  # distinct runs kept (2,000 reports hold about 50,000); then start over

    def __missing__(self, chunk: str) -> tuple[list[str], list[str], list[str], list[str]]:
        parts, wholes = [], []
        for token in TOKEN_RE.findall(chunk):
            pieces = split_compound(token)
            parts.extend(pieces)
            if len(pieces) > 1:
                wholes.append(token)
        value = ([_exact(p) for p in parts], [_fold(p) for p in parts],
                 [_exact(w) for w in wholes], [_fold(w) for w in wholes])
        if len(self) >= self.LIMIT:
            self.clear()
        self[chunk] = value
        return value


_CHUNKS = _ChunkCache()


def analyze_text(text: str | None) -> tuple[list[str], list[str], list[str], list[str]]:
    """What the analyzers below make of a text, at once: (exact parts, folded parts, exact
    wholes, folded wholes). ``EXACT`` gives the exact parts and wholes, ``FOLDED`` the folded
    ones, the bigram analyzers pair neighbouring parts.

    >>> analyze_text("Nghị quyết 84/NQ-CP, hoà")
    (['nghị', 'quyết', '84', 'nq', 'cp', 'hòa'], ['nghi', 'quyet', '84', 'nq', 'cp', 'hoa'], ['84/nq-cp'], ['84/nq-cp'])
    """
    exact, folded, exact_wholes, folded_wholes = [], [], [], []
    for chunk in (text or "").split():
        e, f, ew, fw = _CHUNKS[chunk]
        exact += e
        folded += f
        if ew:
            exact_wholes += ew
            folded_wholes += fw
    return exact, folded, exact_wholes, folded_wholes


EXACT: Composable = VietnameseTokenizer() | ExactFilter()
FOLDED: Composable = VietnameseTokenizer() | FoldFilter()
EXACT_BIGRAMS: Composable = VietnameseTokenizer(wholes=False) | ExactFilter() | BigramFilter()
FOLDED_BIGRAMS: Composable = VietnameseTokenizer(wholes=False) | FoldFilter() | BigramFilter()
