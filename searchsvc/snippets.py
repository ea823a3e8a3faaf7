"""Highlighted snippets on the original accented text, whatever field the match was on.

A token of the text is marked when its folded form is a folded query word (or a part of a
queried instrument code); the HTML keeps the text's own diacritics and escapes everything else.

Folding every token of every hit would cost more than the search itself (a page of ten sections
holds some 3,000 tokens), so a text is folded whole first, letter for letter (``_fold_letters``:
same length, so a place in it is a place in the text), the query words are looked up in that
with ``str.find``, and only the runs of text around what is found are cut into tokens and
folded one by one to decide. A snippet stops looking once its fragments are full.
"""
from __future__ import annotations

import heapq
import re
from html import escape
from itertools import chain, islice

import numpy as np

from .analysis import split_compound
from .normalize import TOKEN_RE, fold, nfc

__all__ = ["highlight", "snippet"]


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
_OTHER = re.compile(r"[^\W_\x00-\x7f]")  # in a folded text, a letter or digit that is not ASCII


def _fold_letters(text: str) -> str:
    """``text`` with the letters of ``_LETTERS`` folded, and as long: where a token of the text,
    or a part of one, folds to a word, that word stands in it between non-letters (unless the
    token holds a letter left as it was, which ``_others`` finds).

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


def _others(folded: str):
    """Where a letter or digit did not fold to ASCII ("ß", "½", "Ω"…): its token is checked the slow way."""
    if not folded.isascii():
        yield from (found.start() for found in _OTHER.finditer(folded))


def _is_marked(token: str, terms: set[str]) -> bool:
    # a compound is marked for a query word that is one of its parts ("covid" in "Covid-19")
    return fold(token) in terms or any(fold(p) in terms for p in split_compound(token))


def _marked_spans(text: str, terms: set[str], phrases: list[tuple[str, ...]]):
    """Character spans of ``text`` to mark, in order: single terms, and whole runs for phrases;
    marks with only spaces between them are one span ("đầu tư công")."""
    phrases = [phrase for phrase in phrases if phrase]
    words = {w for w in chain(terms, (phrase[0] for phrase in phrases)) if w}
    if not words:
        return
    starting: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        starting.setdefault(phrase[0], []).append(phrase)
    folded, size = _fold_letters(text), len(text)
    places = heapq.merge(_others(folded), *(_places(folded, word) for word in words))
    marks: list[tuple[int, int]] = []  # marked tokens not given out yet, a heap
    current: tuple[int, int] | None = None  # the span being joined
    last_end = done = 0  # end of the last mark given out; tokens before ``done`` are all checked
    for place in chain(places, [size]):
        if place < done:
            continue
        if place < size:  # check every token of the run of text (no spaces, brackets …) around it
            begin = place
            while begin and (text[begin - 1].isalnum() or text[begin - 1] in _SEPARATORS):
                begin -= 1
            done = _BREAK.search(text, place + 1)
            done = done.start() if done else size
            for token in TOKEN_RE.finditer(text, begin, done):
                if _is_marked(token.group(), terms):
                    heapq.heappush(marks, token.span())
                form = fold(token.group()) if starting else ""
                if form in starting:
                    following = [token, *islice(TOKEN_RE.finditer(text, token.end()), max(map(len, starting[form])) - 1)]
                    forms = [form, *(fold(t.group()) for t in following[1:])]
                    for phrase in starting[form]:
                        if tuple(forms[: len(phrase)]) == phrase:
                            for t in following[: len(phrase)]:
                                heapq.heappush(marks, t.span())
        else:
            done = size + 1
        while marks and marks[0][0] < done:  # final: later runs only mark tokens after them
            start, end = heapq.heappop(marks)
            if start < last_end:  # the same token marked twice
                continue
            last_end = end
            if current and not text[current[1] : start].strip():
                current = (current[0], end)
            else:
                if current:
                    yield current
                current = (start, end)
    if current:
        yield current


def highlight(text: str, terms: set[str], phrases: list[tuple[str, ...]] = ()) -> str:
    """The whole text as HTML with matches in <mark>.

    >>> highlight("Sức khoẻ <nhân dân>", {"suc", "khoe"})
    '<mark>Sức khoẻ</mark> &lt;nhân dân&gt;'
    """
    out, position = [], 0
    for start, end in _marked_spans(text, terms, list(phrases)):
        out.append(escape(text[position:start], quote=False))
        out.append(f"<mark>{escape(text[start:end], quote=False)}</mark>")
        position = end
    out.append(escape(text[position:], quote=False))
    return "".join(out)


def snippet(text: str, terms: set[str], phrases: list[tuple[str, ...]] = (), *, fragments: int = 3, width: int = 220) -> str:
    """Up to ``fragments`` pieces of ``text`` around the matches, as HTML, joined by " … ".

    Without a match, the start of the text. Pieces are cut at word boundaries.
    """
    spans: list[tuple[int, int]] = []
    windows: list[tuple[int, int]] = []
    for start, end in _marked_spans(text, terms, list(phrases)):
        if len(windows) == fragments and start >= windows[-1][1]:
            break  # past the last piece: the rest of the text is not looked at
        spans.append((start, end))
        if windows and start < windows[-1][1] or len(windows) == fragments:
            continue
        left = max(0, start - width // 3)
        right = min(len(text), max(end, left + width))
        windows.append((left, right))
    if not spans:
        head = text[:width]
        cut = head.rsplit(" ", 1)[0] if len(text) > width else head
        return escape(" ".join(cut.split()), quote=False) + (" …" if len(text) > width else "")
    pieces = []
    for left, right in windows:
        if left > 0:
            left = text.find(" ", left) + 1 or left
        if right < len(text):
            right = text.rfind(" ", left, right) if text.rfind(" ", left, right) > left else right
        inner = [(max(s, left) - left, min(e, right) - left) for s, e in spans if s < right and e > left]
        piece = text[left:right]
        html, position = [], 0
        for s, e in inner:
            html.append(escape(piece[position:s], quote=False))
            html.append(f"<mark>{escape(piece[s:e], quote=False)}</mark>")
            position = e
        html.append(escape(piece[position:], quote=False))
        pieces.append(("… " if left > 0 else "") + " ".join("".join(html).split()) + (" …" if right < len(text) else ""))
    return " ".join(pieces).replace("… …", "…")
