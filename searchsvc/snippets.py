"""Highlighted snippets on the original accented text, whatever field the match was on.

A token of the text is marked when its folded form is a folded query word (or a part of a
queried instrument code); the HTML keeps the text's own diacritics and escapes everything else.
"""
from __future__ import annotations

from html import escape

from .analysis import split_compound
from .normalize import fold, iter_tokens

__all__ = ["highlight", "snippet"]


def _marked_spans(text: str, terms: set[str], phrases: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Character spans of ``text`` to mark: single terms, and whole runs for phrases."""
    tokens = list(iter_tokens(text))
    folded = [fold(t) for t, _, _ in tokens]
    # a compound is marked for a query word that is one of its parts ("covid" in "Covid-19")
    marked = [f in terms or any(fold(p) in terms for p in split_compound(t)) for f, (t, _, _) in zip(folded, tokens)]
    for phrase in phrases:
        size = len(phrase)
        for i in range(len(tokens) - size + 1):
            if tuple(folded[i : i + size]) == phrase:
                for j in range(i, i + size):
                    marked[j] = True
    spans: list[tuple[int, int]] = []
    for (token, start, end), on in zip(tokens, marked):
        if not on:
            continue
        if spans and not text[spans[-1][1] : start].strip():  # join "đầu tư công" into one mark
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


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
    spans = _marked_spans(text, terms, list(phrases))
    if not spans:
        head = text[:width]
        cut = head.rsplit(" ", 1)[0] if len(text) > width else head
        return escape(" ".join(cut.split()), quote=False) + (" …" if len(text) > width else "")
    windows: list[tuple[int, int]] = []
    for start, end in spans:
        if windows and start < windows[-1][1]:
            continue
        left = max(0, start - width // 3)
        right = min(len(text), max(end, left + width))
        windows.append((left, right))
        if len(windows) == fragments:
            break
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
