"""A stored report (``Report.to_dict(with_text=True)``) -> the report page: sections, notes, links.

The text is cut by absolute character offsets, so citation links, footnote markers and query
highlighting never disagree about where things are:

- ``report["citations"][i]["start"/"end"]`` are spans of ``report["text"]``: each becomes a link
  to the instrument page (a span across a line break becomes one link per line);
- ``section["start_line"/"end_line"]`` (1-based, inclusive) select a section's lines of
  ``text.split("\\n")``; footnote notes are left out of the body and shown under their section,
  whether on their own line ("⁽¹⁾ Nghị quyết về …") or inline ("… [2: Nghị quyết số 01/NQ-CP …]");
  their citations are linked there too;
- everything between links is ``snippets.highlight`` (escaped, query terms in <mark>).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from typing import Callable

from markupsafe import Markup

from searchsvc.query import Match
from searchsvc.snippets import highlight, settle

__all__ = ["ReportText", "SectionView", "FootnoteView", "TocNode", "render_report", "toc"]

LONG_HEADING = 200  # a heading line longer than this is a paragraph that starts with a heading


@dataclass
class FootnoteView:
    anchor: str  # "fn-s2-1"
    back: str | None  # "fnref-s2-1": the marker in the text, when it was found
    number: int
    html: Markup


@dataclass
class Line:
    html: Markup
    tag: str  # "p", or "h2".."h6" for a section's heading line


@dataclass
class SectionView:
    id: str
    level: int
    label: str
    lines: list[Line]
    footnotes: list[FootnoteView]


@dataclass
class TocNode:
    id: str
    text: str
    children: list["TocNode"] = field(default_factory=list)


@dataclass
class ReportText:
    sections: list[SectionView]
    marks: int  # highlighted spans in the whole text
    citations: Counter  # instrument key -> mentions rendered as links


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str  # "cite" | "ref"
    target: str  # instrument URL, or footnote anchor
    ident: str = ""  # the marker's own id


def _line_starts(text: str) -> list[int]:
    starts, position = [], 0
    for line in text.split("\n"):
        starts.append(position)
        position += len(line) + 1
    return starts


def _locate_note(line: str, note: dict) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(span of the note text, span to leave out of the body) within its line, or Nones.

    Inline notes are bracketed ("[2:  Nghị quyết …]"); others fill their own line ("⁽¹⁾ …").
    """
    body = note.get("text") or ""
    at = line.find(body) if body else -1
    if at < 0:
        return None, None
    text_span = (at, at + len(body))
    opening = None
    for match in re.finditer(rf"\[\s*{int(note.get('number') or 0)}\s*:", line[:at]):
        opening = match
    if opening is not None:
        closing = line.find("]", text_span[1])
        return text_span, (opening.start(), closing + 1 if closing >= 0 else len(line))
    if len(line[:at].strip()) <= 12 and len(line[text_span[1]:].strip()) <= 2:  # "⁽¹⁾ …", "[1] …"
        return text_span, (0, len(line))
    return text_span, None  # a note inside a body line without brackets: the body keeps it


def render_report(report: dict, matches: list[Match], instrument_url: Callable[[str], str]) -> ReportText:
    """Every section of the report as HTML lines and footnotes (see the module docstring). A word
    typed with diacritics marks that spelling wherever the report has it (``snippets.settle``)."""
    text: str = report.get("text") or ""
    matches = settle(matches, text) if matches else []
    lines = text.split("\n")
    starts = _line_starts(text)
    marks = 0
    cited: Counter = Counter()

    def plain(piece: str) -> str:
        nonlocal marks
        piece = piece.replace("**", "")  # markdown bold markers in converted reports (DOMAIN.md)
        html = highlight(piece, matches) if matches else escape(piece, quote=False)
        marks += html.count("<mark>")
        return html

    spans: list[_Span] = []
    for citation in report.get("citations", []):
        if 0 <= citation["start"] < citation["end"] <= len(text):
            spans.append(_Span(citation["start"], citation["end"], "cite", instrument_url(citation["key"]), citation["key"]))

    cut_lines: set[int] = set()  # 1-based lines that hold only a note
    cut_spans: dict[int, list[tuple[int, int]]] = {}  # 1-based line -> inline note spans (line offsets)
    notes_of: dict[str, list[tuple[dict, tuple[int, int] | None]]] = {}
    for section in report.get("sections", []):
        for note in section.get("footnotes", []):
            number = note.get("line") or 0
            located, cut = _locate_note(lines[number - 1], note) if 1 <= number <= len(lines) else (None, None)
            absolute = (starts[number - 1] + located[0], starts[number - 1] + located[1]) if located else None
            if cut is not None and cut == (0, len(lines[number - 1])):
                cut_lines.add(number)
            elif cut is not None:
                cut_spans.setdefault(number, []).append(cut)
            notes_of.setdefault(section["id"], []).append((note, absolute))
            marker_line = note.get("marker_line")
            marker = note.get("marker") or ""
            if marker and marker_line and 1 <= marker_line <= len(lines):
                at = lines[marker_line - 1].find(marker)
                if at >= 0:
                    start = starts[marker_line - 1] + at
                    ident = f"{section['id']}-{note.get('number')}"
                    spans.append(_Span(start, start + len(marker), "ref", f"#fn-{ident}", f"fnref-{ident}"))
    spans.sort(key=lambda s: (s.start, -s.end))
    span_starts = [s.start for s in spans]
    shown_markers: set[str] = set()

    def render(start: int, end: int, continued: bool = True) -> str:
        """Text [start, end) as HTML: links for the spans inside, highlighted text between.

        ``continued``: a span that began before ``start`` (a citation broken over lines) is linked
        again here; footnotes pass False so a citation that runs across note lines does not swallow them.
        """
        out, position = [], start
        first = bisect_right(span_starts, start) - 1
        for span in spans[max(0, first - 1):]:
            if span.start >= end:
                break
            if span.end <= position or (span.start < start and not continued):
                continue
            s, e = max(span.start, position), min(span.end, end)
            out.append(plain(text[position:s]))
            if span.kind == "cite":
                cited[span.ident] += 1
                out.append(f'<a class="cite" href="{escape(span.target)}">{plain(text[s:e])}</a>')
            else:
                number = span.ident.rsplit("-", 1)[-1]
                shown_markers.add(span.ident)
                out.append(f'<sup class="fnref"><a id="{escape(span.ident)}" href="{escape(span.target)}">[{escape(number)}]</a></sup>')
            position = e
        out.append(plain(text[position:end]))
        return "".join(out)

    views: list[SectionView] = []
    for section in report.get("sections", []):
        rendered: list[Line] = []
        first, last = section["start_line"], min(section["end_line"], len(lines))
        for number in range(first, last + 1):
            if number in cut_lines or not lines[number - 1].strip():
                continue
            line_start = starts[number - 1]
            pieces, position = [], 0
            for cut_start, cut_end in sorted(cut_spans.get(number, [])):
                pieces.append((position, cut_start))
                position = max(position, cut_end)
            pieces.append((position, len(lines[number - 1])))
            html = "".join(render(line_start + a, line_start + b) for a, b in pieces if b > a).strip()
            if html:
                is_heading = bool(section["path"]) and number == first and len(lines[number - 1]) <= LONG_HEADING
                tag = f"h{min(6, 1 + max(1, section.get('level', 1)))}" if is_heading else "p"
                rendered.append(Line(Markup(html), tag))
        views.append(SectionView(section["id"], section.get("level", 0), section.get("label", ""), rendered, []))
    for view in views:  # after every body line, so a note links back only to a marker that is shown
        for note, absolute in notes_of.get(view.id, []):
            ident = f"{view.id}-{note.get('number')}"
            html = render(*absolute, continued=False) if absolute else plain(note.get("text") or "")
            back = f"fnref-{ident}" if f"fnref-{ident}" in shown_markers else None
            view.footnotes.append(FootnoteView(f"fn-{ident}", back, note.get("number") or 0, Markup(html.strip())))
    return ReportText(views, marks, cited)


def toc(report: dict, limit: int = 110) -> list[TocNode]:
    """The section tree for a table of contents ("Phần mở đầu" for the text before any heading)."""
    nodes: dict[str, TocNode] = {}
    roots: list[TocNode] = []
    for section in report.get("sections", []):
        heading = " ".join((section.get("heading") or "").split())
        if len(heading) > limit:
            heading = heading[: limit - 1].rsplit(" ", 1)[0] + "…"
        label = section.get("label")
        node = TocNode(section["id"], f"{label}. {heading}" if label else (heading if section.get("path") else "Phần mở đầu"))
        nodes[section["id"]] = node
        parent = nodes.get(section.get("parent") or "")
        (parent.children if parent else roots).append(node)
    return roots
