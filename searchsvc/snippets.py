"""Highlighted snippets on the original accented text: what is marked is what matched.

The query says what each of its words and phrases matches (``query.Match``): typed with
diacritics, that spelling (one tone placement: "hoà" = "hòa"), and only where the text does not
have it, the folded form the engine also counted; typed without, every accent variant. An
instrument code is marked whole, never in parts, and no part of a code ("TU" of "04-NQ/TU") is
marked for a word. ``settle`` makes that choice for one text (a section, or a whole report page).

Finding the words: a text is folded whole first, letter for letter (``_fold_letters``: same
length, so a place in it is a place in the text), the folded query words are looked up in that
with ``str.find``, and only the tokens around what is found are checked one by one.

Snippets are cut from the text with footnote markers and inline notes left out
(``clean_notes``), in up to three pieces around the marks (the pieces holding the most different
query words first), merged when they overlap or touch, cut at word boundaries with "…".
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from functools import lru_cache
from html import escape
from itertools import chain, islice

import numpy as np

from .normalize import TOKEN_RE, exact_form, fold, nfc
from .patterns import MARKER
from .query import Match

__all__ = ["clean_notes", "settle", "marked_spans", "join_spans", "highlight", "snippet"]


def _letter_table() -> np.ndarray:
    """Code point -> the code point of its ``fold`` for the letters and digits that fold to one
    ASCII letter or digit ("Đ" -> "d", "ệ" -> "e", "¹" -> "1"); every other code point -> itself.

    These are Latin letters and digits and super- and subscript digits: none composes with its
    neighbour under NFC, so folding a token of them letter by letter is folding the token."""
    ranges = (range(ord("A"), ord("Z") + 1), range(0x80, 0x250), range(0x1E00, 0x1F00), range(0x2070, 0x20A0))
    table = np.arange(ranges[-1].stop, dtype=np.uint32)
    for code in chain.from_iterable(ranges):
        char = chr(code)
        folded = fold(char)
        if char.isalnum() and nfc(char) == char and len(folded) == 1 and folded.isascii() and folded.isalnum():
            table[code] = ord(folded)
    return table


_LETTERS = _letter_table()
_SEPARATORS = frozenset("/-.,&")  # what joins the runs of letters of one token (``TOKEN_RE``)
_BREAK = re.compile(r"[^\w/\-.,&]|_")  # a character in no token, that no token runs across
_exact = lru_cache(maxsize=1 << 14)(exact_form)
_fold = lru_cache(maxsize=1 << 14)(fold)

# Footnote markup a reader should not see in a quote: markers "⁽¹⁾", "[1]", "[footnote:2]",
# "[footnoteRef:2]", inline notes "[13: Nghị quyết …]" (with the blanks before them), markdown
# bold/italic "**".
_NOTES = re.compile(rf"(?P<note>\[\s*\d{{1,3}}\s*:[^\]\n]*\]|{MARKER}(?!\w))|\*+", re.IGNORECASE)
_NOTE_START = re.compile(r"[\[⁽⁰¹²³⁴⁵⁶⁷⁸⁹*]")  # what every match of ``_NOTES`` begins with: most texts have none


def clean_notes(text: str) -> str:
    """``text`` without footnote markers, inline notes and emphasis markers.

    A note begins with one of the characters of ``_NOTE_START``: only there is one tried (a
    pattern tried at every character of the text costs more than all the rest of a snippet),
    and the blanks before a note go with it.

    >>> clean_notes("theo Nghị quyết⁽¹⁾ [footnoteRef:2] số 84[3: Nghị quyết về …] của **Chính phủ**")
    'theo Nghị quyết số 84 của Chính phủ'
    """
    pieces, position = [], 0
    for candidate in _NOTE_START.finditer(text):
        start = candidate.start()
        found = _NOTES.match(text, start) if start >= position else None
        if found is None:
            continue
        if found.group("note") is not None:
            while start > position and text[start - 1] in " \t":
                start -= 1
        pieces.append(text[position:start])
        position = found.end()
    return "".join(pieces) + text[position:] if pieces else text


def _fold_letters(text: str) -> str:
    """``text`` with the letters of ``_LETTERS`` folded, and as long.

    >>> _fold_letters("Nghị quyết 84/NQ-CP “Đầu tư”")
    'nghi quyet 84/nq-cp “dau tu”'
    """
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)  # one table lookup per letter, at once
    size = len(_LETTERS)
    if len(codes) and codes.max() >= size:
        folded = np.where(codes < size, _LETTERS[np.minimum(codes, size - 1)], codes)
    else:
        folded = _LETTERS[codes]
    return folded.tobytes().decode("utf-32-le")


def _places(folded: str, word: str):
    """Where ``word`` stands in ``folded`` between non-letters."""
    size, position = len(word), folded.find(word)
    while position >= 0:
        end = position + size
        if not (position and folded[position - 1].isalnum()) and not (end < len(folded) and folded[end].isalnum()):
            yield position
        position = folded.find(word, position + 1)


def _token_at(text: str, place: int) -> tuple[int, int]:
    """The span of the token (``TOKEN_RE``) that holds ``place``."""
    begin = place
    while begin and (text[begin - 1].isalnum() or text[begin - 1] in _SEPARATORS):
        begin -= 1
    stop = _BREAK.search(text, place + 1)
    stop = stop.start() if stop else len(text)
    for token in TOKEN_RE.finditer(text, begin, stop):
        if token.start() <= place < token.end():
            return token.span()
    return place, place


def _alone(text: str, place: int, end: int) -> bool:
    """Whether the letters ``place:end`` (between non-letters) are a whole token: no separator
    joins them to letters before or after (then ``_token_at`` would find just them)."""
    return not ((place > 1 and text[place - 1] in _SEPARATORS and text[place - 2].isalnum())
                or (end + 1 < len(text) and text[end] in _SEPARATORS and text[end + 1].isalnum()))


def _occurrences(text: str, folded: str, match: Match):
    """(spans of the tokens, whether it is the spelling typed) of each place ``match`` matches."""
    first, rest = match.folded[0], match.folded[1:]
    letters = first.isalnum()
    for place in _places(folded, first):
        end = place + len(first)
        token = (place, end) if letters and _alone(text, place, end) else _token_at(text, place)
        if token != (place, end) and (match.whole or "/" in text[token[0]:token[1]]):
            continue  # a code is marked whole; a word never marks a part of a code
        spans = [token]  # a part of a plain compound marks the compound ("Covid-19" for "covid")
        if rest:
            following = list(islice(TOKEN_RE.finditer(text, token[1]), len(rest)))
            if [_fold(t.group()) for t in following] != list(rest):
                continue
            spans += [t.span() for t in following]
        words = [(place, end), *spans[1:]]
        exact = match.exact is not None and all(_exact(text[s:e]) == w for (s, e), w in zip(words, match.exact))
        yield spans, exact


def settle(matches: list[Match], text: str) -> list[Match]:
    """The matches as they mark ``text``: a word typed with diacritics keeps its spelling where
    the text has it, and falls back to its folded form where the text does not."""
    folded = _fold_letters(text)
    settled = []
    for match in matches:
        if match.exact is not None and not any(exact for _, exact in _occurrences(text, folded, match)):
            match = replace(match, exact=None)
        settled.append(match)
    return settled


def marked_spans(text: str, matches: list[Match]) -> list[tuple[int, int]]:
    """Character spans of ``text`` to mark, in order, for matches already ``settle``d; marks with
    only spaces between them are one span ("đầu tư công")."""
    return _marks(text, _fold_letters(text), matches, settled=True)


def _marks(text: str, folded: str, matches: list[Match], settled: bool) -> list[tuple[int, int]]:
    """``marked_spans`` of the matches, ``settle``d first unless ``settled``: each match's
    occurrences are found once, for both (where its spelling is, and what it marks)."""
    spans = []
    for match in matches:
        found = list(_occurrences(text, folded, match))
        spelt = match.exact is not None and (settled or any(exact for _, exact in found))
        spans += [span for tokens, exact in found if exact or not spelt for span in tokens]
    return join_spans(text, sorted(spans))


def join_spans(text: str, spans) -> list[tuple[int, int]]:
    """Sorted token spans as marks: a token marked twice once, marks with only spaces between
    them one mark ("đầu tư công")."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and start < joined[-1][1]:  # the same token marked twice
            continue
        if joined and not text[joined[-1][1]:start].strip():
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _html(text: str, spans: list[tuple[int, int]]) -> str:
    out, position = [], 0
    for start, end in spans:
        out.append(escape(text[position:start], quote=False))
        out.append(f"<mark>{escape(text[start:end], quote=False)}</mark>")
        position = end
    out.append(escape(text[position:], quote=False))
    return "".join(out)


def highlight(text: str, matches: list[Match]) -> str:
    """The whole text as HTML with the marks of ``settle``d matches in <mark>.

    >>> from .query import parse_query
    >>> highlight("Sức khoẻ <nhân dân>, sức khỏe", parse_query("sức khỏe").matches())
    '<mark>Sức khoẻ</mark> &lt;nhân dân&gt;, <mark>sức khỏe</mark>'
    """
    return _html(text, marked_spans(text, matches))


def _windows(text: str, spans: list[tuple[int, int]], fragments: int, width: int) -> list[tuple[int, int]]:
    """Up to ``fragments`` pieces of about ``width`` characters around marks, those holding the
    most different marked words first, in text order, merged when they overlap or touch."""
    ends = [e for _, e in spans]  # increasing: marks do not overlap
    names = [_fold(text[s:e]) for s, e in spans]
    candidates = []
    for index, (start, _) in enumerate(spans[:200]):
        left = max(0, start - width // 4)
        right = min(len(text), left + width)
        words = set(names[index : bisect_right(ends, right)])  # the marks from here that end inside
        candidates.append((-len(words), left, (left, right)))
    chosen: list[tuple[int, int]] = []
    for _, _, (left, right) in sorted(candidates):
        overlapping = [i for i, (l, r) in enumerate(chosen) if left < r and l < right]
        if overlapping:  # one longer piece rather than the same words twice, up to twice as long
            l, r = chosen[overlapping[0]]
            if len(overlapping) == 1 and max(r, right) - min(l, left) <= 2 * width:
                chosen[overlapping[0]] = (min(l, left), max(r, right))
        elif len(chosen) < fragments:
            chosen.append((left, right))
    merged: list[tuple[int, int]] = []
    for left, right in sorted(chosen):
        if merged and left <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], right))
        else:
            merged.append((left, right))
    return merged


def _word_bounds(text: str, left: int, right: int) -> tuple[int, int]:
    """``left``/``right`` moved inwards to word boundaries (unless at the ends of the text)."""
    if left > 0 and not text[left - 1].isspace():
        space = text.find(" ", left, right)
        left = space + 1 if space >= 0 else left
    if right < len(text) and not text[right].isspace():
        space = text.rfind(" ", left, right)
        right = space if space > left else right
    return left, right


def snippet(text: str, matches: list[Match], *, fragments: int = 3, width: int = 220) -> str:
    """Up to ``fragments`` pieces of ``text`` around the marks, as HTML, joined by " … "; without
    a mark, the start of the text. Footnote markup is left out; pieces end at word boundaries."""
    text = clean_notes(text)
    spans = _marks(text, _fold_letters(text), matches, settled=False)
    if not spans:
        left, right = _word_bounds(text, 0, min(len(text), width))
        return escape(" ".join(text[:right].split()), quote=False) + (" …" if right < len(text) else "")
    pieces = []
    for left, right in _windows(text, spans, fragments, width):
        left, right = _word_bounds(text, left, right)
        inner = [(max(s, left) - left, min(e, right) - left) for s, e in spans if s < right and e > left]
        html = " ".join(_html(text[left:right], inner).split())
        pieces.append(("… " if left > 0 else "") + html + (" …" if right < len(text) else ""))
    return " ".join(pieces).replace("… …", "…")
