"""Finding one's way among the matches inside a report: "kết quả k/N" with previous and next links,
and the number of matches of each section in the table of contents.

Every highlighted match (``<mark>`` of ``reportview.render_report``) gets an anchor ``#m-<k>``
in reading order (footnotes after their section's lines). Previous and next are plain links to
``?q=…&m=<k>#m-<k>``: without JavaScript the page reloads at that match, marked as the current one;
``app.js`` moves between matches without reloading (keys n and p too).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import url_for
from markupsafe import Markup

__all__ = ["MatchNav", "NavNode", "number_marks", "match_nav", "toc_with_counts"]

_MARK = re.compile(r"<mark>")


@dataclass
class MatchNav:
    total: int
    current: int  # 0: none chosen yet
    label: str  # "kết quả 3/17", or "17 kết quả"
    previous_url: str
    next_url: str
    first_url: str


@dataclass
class NavNode:
    id: str
    text: str
    count: int  # matches in this section itself
    children: list["NavNode"] = field(default_factory=list)

    @property
    def count_label(self) -> str:
        return f"{self.count} kết quả"


def number_marks(sections: list, current: int) -> dict[str, int]:
    """Give each ``<mark>`` of the rendered sections its anchor (the ``current`` one also the class
    "current"), in place; return the number of marks per section id."""
    counter = 0
    per_section: dict[str, int] = {}

    def anchor(_match) -> str:
        nonlocal counter
        counter += 1
        css = ' class="current"' if counter == current else ""
        return f'<mark id="m-{counter}"{css}>'

    for section in sections:
        before = counter
        for line in section.lines:
            line.html = Markup(_MARK.sub(anchor, str(line.html)))
        for note in section.footnotes:
            note.html = Markup(_MARK.sub(anchor, str(note.html)))
        per_section[section.id] = counter - before
    return per_section


def _url(report_id: str, q: str, number: int) -> str:
    return url_for("views.report", report_id=report_id, q=q, m=number) + f"#m-{number}"


def match_nav(report_id: str, q: str, total: int, current: int) -> MatchNav | None:
    """Previous and next match, wrapping around at the ends as a browser's find does."""
    if not q or total < 1:
        return None
    current = current if 1 <= current <= total else 0
    following = current % total + 1
    preceding = current - 1 if current > 1 else total
    label = f"kết quả {current}/{total}" if current else f"{total} kết quả"
    return MatchNav(total, current, label, _url(report_id, q, preceding), _url(report_id, q, following),
                    _url(report_id, q, 1))


def toc_with_counts(nodes: list, counts: dict[str, int]) -> list[NavNode]:
    """The table of contents (``reportview.TocNode``) with each section's number of matches."""
    return [NavNode(n.id, n.text, counts.get(n.id, 0), toc_with_counts(n.children, counts)) for n in nodes]
