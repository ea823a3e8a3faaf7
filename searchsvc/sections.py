"""parse_report(text, report_id) -> Report: metadata, a tree of sections with footnotes, citations.

Headings, outermost first, every level optional (DOMAIN.md): "Phần thứ nhất" / "PHẦN I" /
"PHỤ LỤC", "A.", "I.", "1.", "1.1." (also "6.1.Công tác"), "a)". A numbered line is often a heading
and the first sentence of a long paragraph at once: its first clause becomes the heading.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Mapping

from .citations import LineIndex, extract_citations
from .metadata import read_metadata
from .models import Footnote, Report, Section
from .normalize import clean_text, fold, looks_unaccented
from .resolve import attach_titles, resolve_citations

__all__ = ["parse_report", "match_heading", "heading_of", "HeadingMatch"]


@dataclass(frozen=True)
class HeadingMatch:
    # style rank: 0 part/annex, 1 "A." and "Chương I", 2 "I.", 2.2 "Mục 1", 2.5 "Điều 1.",
    # 3 "1." (also a Khoản inside an Điều), 4 "1.1", 5 "1.1.1", 6 "a)" (also an Điểm)
    rank: float
    label: str  # "Phần thứ nhất", "A", "I", "Điều 1", "2", "2.1", "a"
    rest: str  # the text after the label on the same line


_MARKUP = re.compile(r"^[\s*_]+|[\s*_]+$")
_HEADING_PATTERNS: list[tuple[re.Pattern[str], int | None]] = [
    (re.compile(r"^(?P<label>(?:Phần|PHẦN)\s+(?:thứ|THỨ)\s+[^\W\d]+|(?:Phần|PHẦN)\s+[IVX]+\b)\s*[:.\-–]?\s*(?P<rest>.*)$"), 0),
    (re.compile(r"^(?P<label>(?:PHỤ LỤC|Phụ lục)(?:\s+(?:[IVX]+|\d+))?)\s*[:.\-–]?\s*(?P<rest>.*)$"), 0),
    # an attached regulation, charter or plan ("ban hành kèm theo Quyết định …"): its own part
    (re.compile(r"^(?P<label>QUY CHẾ|QUY ĐỊNH|ĐIỀU LỆ|ĐỀ ÁN|PHƯƠNG ÁN|CHƯƠNG TRÌNH|KẾ HOẠCH|HƯỚNG DẪN)\s*(?P<rest>)$"), 0),
    # legal structure of decisions, directives and attached regulations: Chương, Mục, Điều
    (re.compile(r"^(?P<label>(?:Chương|CHƯƠNG)\s+(?:[IVXLC]+|\d{1,3}))\b\s*[:.\-–]?\s*(?P<rest>.*)$"), 1),
    (re.compile(r"^(?P<label>(?:Mục|MỤC)\s+(?:\d{1,2}|[IVX]+))\s*[:.\-–]\s*(?P<rest>.*)$"), 2.2),
    (re.compile(r"^(?P<label>(?:Điều|ĐIỀU)\s+\d{1,3})\s*[.:]\s*(?P<rest>.*)$"), 2.5),
    (re.compile(r"^(?P<label>[A-HJ-UWYZĐ])\.\s+(?P<rest>\S.*)$"), 1),
    (re.compile(r"^(?P<label>[IVX]{1,6})\.\s*(?P<rest>[^\W\d_].*)$"), 2),
    (re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){1,3})(?!\d)\.?\s*(?P<rest>[^\W\d_\s].*)$"), None),
    (re.compile(r"^(?P<label>\d{1,2})\.\s*(?P<rest>[^\W\d_].*)$"), 3),
    (re.compile(r"^(?P<label>[a-zđ])\)\s*(?P<rest>\S.*)$"), 6),
]
_ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")
_TABLE_ROW = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,6}|[a-zđ])[.)]?\t")


def match_heading(line: str) -> HeadingMatch | None:
    """The heading style of a line, or None for body text.

    >>> match_heading("6.1.Công tác quản lý vốn đầu tư công")
    HeadingMatch(rank=4, label='6.1', rest='Công tác quản lý vốn đầu tư công')
    >>> match_heading("5.145 tỷ đồng") is None
    True
    """
    stripped = _MARKUP.sub("", line)
    if _TABLE_ROW.match(stripped):
        return None  # "1.1<TAB>Thực hiện kế hoạch…": a numbered row of a table, not a heading
    for pattern, rank in _HEADING_PATTERNS:
        match = pattern.match(stripped)
        if not match:
            continue
        label, rest = match.group("label"), _MARKUP.sub("", match.group("rest"))
        if rank == 0 and label.isupper() and " " in label and not label.startswith(("PHẦN", "PHỤ")):
            label = label.capitalize()  # "QUY CHẾ" -> "Quy chế"
        if rank == 2 and not _ROMAN.match(label):
            continue
        if rank is None:  # "2.1" -> 4, "2.1.1" -> 5
            rank = 3 + label.count(".")
        if rank in (3, 4, 5) and rest[:1].islower():
            continue  # "1. trong đó …" is a sentence, not a heading
        return HeadingMatch(rank, re.sub(r"\s+", " ", label), rest)
    return None


_CLAUSE_END = re.compile(r"[.:;!?](?=\s|$)")


def heading_of(rest: str, max_len: int = 160) -> str:
    """The heading of a heading line: the whole of a short line, else its first clause.

    >>> heading_of("Tăng trưởng kinh tế ước đạt 6,4%. Trong đó, khu vực công nghiệp … " + "x" * 200)
    'Tăng trưởng kinh tế ước đạt 6,4%'
    """
    rest = rest.strip().rstrip(":").strip()
    if len(rest) <= max_len:
        return rest
    clause = _CLAUSE_END.search(rest)
    if clause and clause.start() <= 200:
        return rest[: clause.start()].strip()
    cut = rest[:120].rsplit(" ", 1)[0]
    return cut.rstrip(",;") + "…"


# --- footnotes (three formats, DOMAIN.md) ----------------------------------------------------------
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPER_NOTE_LINE = re.compile(r"^\s*(?P<marker>⁽[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾)\s*(?P<text>\S.*)$")
_BRACKET_NOTE_LINE = re.compile(r"^\s*(?P<marker>\[(?P<n>\d{1,3})\])\s*(?P<text>\S.*)$")
_INLINE_NOTE = re.compile(r"\[(?P<n>\d{1,3}):\s*(?P<text>[^\]]*)\]")
_INLINE_MARKER = re.compile(r"\[footnote(?:Ref)?:(?P<n>\d+)\]")


def _inline_notes(text: str):
    """``_INLINE_NOTE`` matches of ``text``, in linear time.

    Every note ends at the first "]" after it, so no note starts after the last "]": searching
    only up to it gives the same matches without rescanning an unclosed tail ("[2: [2: [2: …",
    quadratic) once per "[".
    """
    return _INLINE_NOTE.finditer(text, 0, text.rfind("]") + 1)


def _without_inline_notes(text: str) -> str:
    """``_INLINE_NOTE.sub("", text)`` in linear time (see ``_inline_notes``)."""
    end = text.rfind("]") + 1
    return _INLINE_NOTE.sub("", text[:end]) + text[end:]


@dataclass
class _Note:
    footnote: Footnote
    marker_offset: int | None  # where the marker stands in the text
    note_line: int | None  # 0-based line holding the note text when it is a line of its own


def _find_footnotes(lines: list[str], text: str) -> list[_Note]:
    index = LineIndex(text)
    notes: list[_Note] = []
    # "⁽¹⁾" markers with a "⁽¹⁾ note" line below; "[1]" markers with "[1] note" lines at the end
    for number, line in enumerate(lines):
        match = _SUPER_NOTE_LINE.match(line) or _BRACKET_NOTE_LINE.match(line)
        if match:
            marker = match.group("marker")
            value = int(marker.strip("⁽⁾[]").translate(_SUPERSCRIPT))
            notes.append(_Note(Footnote(marker, value, match.group("text").strip(), number + 1), None, number))
    note_lines = {n.note_line for n in notes}
    first_outside: dict[str, int | None] = {}  # one scan per distinct marker, not per note
    for note in notes:
        marker = note.footnote.marker
        if marker not in first_outside:
            first_outside[marker] = _first_marker_outside(text, marker, note_lines, index)
        note.marker_offset = first_outside[marker]
        if note.marker_offset is not None:
            note.footnote.marker_line = index.line_of(note.marker_offset)
    # "[footnote:2]" markers with "[2: note]" inline
    first_marker: dict[str, re.Match] = {}  # the first "[footnote:N]" of each N, found in one pass
    for marker_match in _INLINE_MARKER.finditer(text):
        first_marker.setdefault(marker_match.group("n"), marker_match)
    for match in _inline_notes(text):
        value = int(match.group("n"))
        marker_match = first_marker.get(str(value))
        marker = marker_match.group() if marker_match else f"[footnote:{value}]"
        position = marker_match.start() if marker_match else -1
        footnote = Footnote(marker, value, match.group("text").strip(), index.line_of(match.start()))
        if position >= 0:
            footnote.marker_line = index.line_of(position)
        notes.append(_Note(footnote, position if position >= 0 else match.start(), None))
    return notes


def _first_marker_outside(text: str, marker: str, note_lines: set[int | None], index: LineIndex) -> int | None:
    """The first place ``marker`` stands in the body (not on a note line)."""
    start = 0
    while (position := text.find(marker, start)) >= 0:
        if index.line_of(position) - 1 not in note_lines:
            return position
        start = position + len(marker)
    return None


# --- the section tree ----------------------------------------------------------------------------
# Lines a Word heading style is often misapplied to (DOMAIN.md): list items, the genre line
# ("QUYẾT ĐỊNH:"), the national motto, signature titles ("KT. CHỦ TỊCH").
_NOT_A_HEADING = re.compile(
    r"^(?:[-+•*]|(?:quyet dinh|chi thi|nghi quyet|ke hoach|bao cao|to trinh|thong bao)\s*:?\s*$|cong hoa xa hoi|doc lap"
    r"|(?:kt|tm|tl|q)\.|(?:pho )?(?:chu tich|giam doc|truong ban)\s*$)"
)


def _split(lines: list[str], skip: set[int], heading_lines: Mapping[int, int]) -> list[tuple[int, HeadingMatch, str]]:
    """(0-based line, heading match, heading text) for every heading line."""
    found = []
    for index, line in enumerate(lines):
        if index in skip or not line.strip():
            continue
        match = match_heading(line)
        if match is None and (index + 1) in heading_lines and not _NOT_A_HEADING.match(fold(_MARKUP.sub("", line))):
            level = heading_lines[index + 1]
            text = _MARKUP.sub("", line)
            match = HeadingMatch({0: 0, 1: 0, 2: 2, 3: 3}.get(level, 4), text[:40], text)
        if match is None:
            continue
        heading = heading_of(match.rest)
        if not heading:  # "Phần thứ nhất" with its title on the next line
            following = next((i for i in range(index + 1, min(index + 6, len(lines))) if lines[i].strip()), None)
            if following is not None and match_heading(lines[following]) is None and len(lines[following].strip()) <= 200:
                heading = _MARKUP.sub("", lines[following])
        found.append((index, match, heading or match.label))
    return found


def _build_sections(report_id: str, lines: list[str], note_lines: set[int], headings, title: str) -> list[Section]:
    sections: list[Section] = []
    stack: list[tuple[int, Section]] = []  # (rank, section)
    starts = [h[0] for h in headings]

    def body(first: int, last: int) -> str:
        return "\n".join(lines[i] for i in range(first, last + 1) if i not in note_lines).strip("\n")

    first_heading = starts[0] if starts else len(lines)
    preamble = body(0, first_heading - 1) if first_heading > 0 else ""
    if preamble.strip():
        sections.append(Section("s0", [], "", title, 0, preamble, 1, first_heading))
    for number, (index, match, heading) in enumerate(headings, start=1):
        end = (starts[number] if number < len(starts) else len(lines)) - 1
        while stack and stack[-1][0] >= match.rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        path = [*(parent.path if parent else []), match.label]
        section = Section(
            id=f"s{number}",
            path=path,
            label=match.label,
            heading=heading,
            level=len(path),
            text=body(index, end),
            start_line=index + 1,
            end_line=end + 1,
            parent=parent.id if parent else None,
        )
        sections.append(section)
        stack.append((match.rank, section))
    return sections


def _section_at(sections: list[Section], line: int, starts: list[int] | None = None) -> Section | None:
    """The last section starting at or before ``line`` (the first one for a line before all).

    ``starts`` (the sections' start lines, in order, as ``_build_sections`` makes them) turns the
    scan into a bisection: a report with many headings and many citations stays linear.
    """
    if starts is not None:
        position = bisect_right(starts, line)
        return sections[position - 1] if position else (sections[0] if sections else None)
    for section in reversed(sections):
        if section.start_line <= line:
            return section
    return sections[0] if sections else None


def parse_report(text: str, report_id: str, heading_lines: Mapping[int, int] | None = None) -> Report:
    """Parse a report text into a ``Report``.

    ``heading_lines`` maps 1-based line numbers to heading levels taken from Word styles
    (``loaders``); numbering rules apply either way.
    """
    text = clean_text(text)
    lines = text.split("\n")
    meta = read_metadata(text)
    notes = _find_footnotes(lines, text)
    note_lines = {n.note_line for n in notes if n.note_line is not None}
    title_skip = set(range(meta.title_lines[0], meta.title_lines[1] + 1)) if meta.title_lines else set()
    headings = _split(lines, note_lines | title_skip, heading_lines or {})
    sections = _build_sections(report_id, lines, note_lines, headings, meta.title)
    index = LineIndex(text)
    starts = [section.start_line for section in sections]
    if starts != sorted(starts):
        starts = None
    for note in notes:
        anchor_line = index.line_of(note.marker_offset) if note.marker_offset is not None else note.footnote.line
        owner = _section_at(sections, anchor_line, starts)
        if owner is not None:
            owner.footnotes.append(note.footnote)
    for section in sections:  # inline "[2: …]" notes are footnotes, not body text
        section.text = _without_inline_notes(section.text)
    citations = [c for c in extract_citations(text, report_id) if not _own_number(c, meta, text)]
    note_owner = {n.note_line + 1: n for n in notes if n.note_line is not None}
    for citation in citations:
        note = note_owner.get(citation.line)
        anchor = index.line_of(note.marker_offset) if note and note.marker_offset is not None else citation.line
        owner = _section_at(sections, anchor, starts)
        citation.section_id = owner.id if owner else None
    resolve_citations(citations)
    attach_titles(citations, [(n.footnote, n.marker_offset) for n in notes if n.marker_offset is not None], text)
    return Report(
        id=report_id,
        title=meta.title,
        province=meta.province,
        year=meta.year,
        period=meta.period,
        report_date=meta.report_date,
        doc_number=meta.doc_number,
        issuer=meta.issuer,
        sections=sections,
        citations=citations,
        text=text,
        unaccented=looks_unaccented(text),
        doc_type=meta.doc_type,
    )


# "(Kèm theo Báo cáo số 165/BC-UBND ngày 01/7/2020)": an annex repeating the document's own number
_ANNEX_LINE = re.compile(r"^\W*kem theo (?P<genre>[^\W\d]+(?: [^\W\d]+)?) so\b")


def _own_number(citation, meta, text: str) -> bool:
    """The document's own number ("Số: 254/TB-PCTT") and the annex lines that repeat it are no
    citations; a mention of another document of the same genre in such a line is."""
    if citation.canonical == meta.doc_number:
        return True
    if meta.own_span and meta.own_span[0] <= citation.start < meta.own_span[1]:
        return True
    line_start = text.rfind("\n", 0, citation.start) + 1
    if citation.start - line_start > 60:
        return False  # an annex line repeats the number right at its start (and folding stays linear)
    annex = _ANNEX_LINE.match(fold(text[line_start : citation.end]))
    return bool(annex and meta.doc_type and fold(meta.doc_type) == annex.group("genre"))
