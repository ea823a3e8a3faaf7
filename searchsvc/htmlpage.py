"""Saved web pages (.html / .htm) -> text, with lxml's HTML parser.

Offices publish on their portals and users save the page: the text is in the body, block elements
(paragraphs, headings, list items, table rows, line breaks) end lines, scripts, styles, forms and
navigation are not text. Table cells of one row are joined by a tab, as for .docx tables.
"""
from __future__ import annotations

import re

__all__ = ["html_to_text"]

_DROPPED = ("script", "style", "noscript", "template", "head", "nav", "form", "button", "select", "iframe", "svg")
_BLOCKS = frozenset(
    "p div br li tr h1 h2 h3 h4 h5 h6 section article header footer blockquote pre table ul ol dl dt dd "
    "caption figcaption address hr main aside".split()
)
_CELLS = frozenset(("td", "th"))
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def html_to_text(data: bytes) -> str:
    """The visible text of an HTML page, one line per block element.

    >>> html_to_text(b"<html><body><h1>B\\xc3\\xa1o c\\xc3\\xa1o</h1><p>Ngh\\xe1\\xbb\\x8b quy\\xe1\\xba\\xbft 84/NQ-CP</p></body></html>")
    'Báo cáo\\nNghị quyết 84/NQ-CP'
    """
    import lxml.html

    root = lxml.html.document_fromstring(_decode(data))
    for element in list(root.iter(*_DROPPED)):  # collected first: dropping changes the tree being walked
        element.drop_tree()
    parts: list[str] = []
    _walk(root, parts)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line.replace(" \t ", "\t") for line in lines if line.strip())


def _decode(data: bytes) -> str:
    declared = _CHARSET.search(data[:4096])
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["utf-8", "cp1258"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def _walk(element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _BLOCKS:
        parts.append("\n")
    elif tag in _CELLS:
        parts.append(" \t ")
    if element.text and tag:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if tag in _BLOCKS:
        parts.append("\n")
