""".docx -> text: paragraphs and tables in body order, heading styles in ``heading_lines``, Word
auto-numbering labels written before their paragraphs, footnotes and endnotes as "[N]" markers
with the notes at the end ("[1] Nghị quyết về …")."""
from __future__ import annotations

import io
import re
import zipfile

from searchsvc.loadbase import LoadedText, LoadError, finish, human_size, note_text_quality, repair
from searchsvc.wordnumbering import WordNumbering

__all__ = ["load_docx"]

# A .docx is a ZIP; refuse one that would expand to more than this many times the size limit.
_DOCX_EXPANSION = 20
# --- .docx -----------------------------------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (_W + t for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_T, _TAB, _PTAB, _BR, _CR = (_W + t for t in ("t", "tab", "ptab", "br", "cr"))
_NO_BREAK_HYPHEN = _W + "noBreakHyphen"
_FOOTNOTE_REFERENCE, _ENDNOTE_REFERENCE = _W + "footnoteReference", _W + "endnoteReference"
# Subtrees whose text is not part of the paragraph as read: properties, deleted or moved-away
# text, field instructions ("PAGE", "TOC \\o"), and drawings/text boxes (their text floats
# outside the paragraph flow and Word keeps a duplicate in mc:Fallback).
_SKIPPED = frozenset(
    [_W + t for t in ("pPr", "rPr", "tcPr", "trPr", "tblPr", "tblGrid", "del", "moveFrom", "instrText",
                      "delInstrText", "delText", "fldData", "drawing", "pict", "object", "footnoteRef",
                      "endnoteRef", "annotationRef", "commentReference")]
    + [_MC + "AlternateContent"]
)
_HEADING_NAME = re.compile(r"heading\s*([1-9])")


def load_docx(data: bytes, max_bytes: int) -> LoadedText:
    import docx  # imported here: only .docx files need python-docx
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise LoadError("old Word .doc file named .docx; open it in Word and save as .docx")
    if not data.startswith(b"PK"):
        raise LoadError("corrupt .docx (not a ZIP archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
            if expanded > _DOCX_EXPANSION * max_bytes:  # checked before anything is decompressed
                limit = human_size(_DOCX_EXPANSION * max_bytes)
                raise LoadError(f"the .docx expands to more than {limit} (ZIP bomb?)")
            damaged = archive.testzip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise LoadError(f"corrupt .docx ({exc})") from None
    if damaged is not None:
        raise LoadError(f"corrupt .docx (damaged part {damaged})")
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as exc:  # python-docx: "file … is not a Word file, content type is …"
        raise LoadError(f"not a Word document ({exc})") from None
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile, SyntaxError) as exc:  # lxml errors are SyntaxErrors
        raise LoadError(f"corrupt .docx ({type(exc).__name__}: {exc})") from None

    notes = _Notes(document)
    numbering = WordNumbering(document)
    lines: list[str] = []
    headings: dict[int, int] = {}
    for block in _iter_blocks(document.element.body):
        if block.tag == _TBL:
            lines.extend(_table_lines(block, notes))
            continue
        text = _paragraph_text(block, notes)
        label = numbering.label(block)
        if label and text.strip():  # Word auto-numbering: the label is drawn, not written
            text = f"{label} {text.lstrip()}"
        level = _heading_level(block, document)
        if level is not None and text.strip():
            headings[len(lines) + 1] = level
            lines.append(" ".join(text.split("\n")))  # a heading stays one line
        else:
            lines.extend(text.split("\n"))
    note_lines = notes.lines()
    if note_lines:
        lines.append("")
        lines.extend(note_lines)

    warnings: list[str] = []
    text, _kind = repair("\n".join(lines), warnings)
    # Finish line by line so that heading line numbers stay true.
    finished = "\n".join(finish(line).replace("\n", " ") for line in text.split("\n"))
    note_text_quality(finished, warnings)
    return LoadedText(finished, "docx", None, headings, warnings)


def _iter_blocks(parent):
    """Paragraphs and tables of a body, cell or content control, in document order."""
    for child in parent:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _iter_blocks(content)
        elif child.tag in (_W + "customXml", _W + "ins", _W + "moveTo"):
            yield from _iter_blocks(child)


def _paragraph_text(paragraph, notes: _Notes | None) -> str:
    """The text of a ``w:p``; note references become "[N]" (nothing when ``notes`` is None)."""
    parts: list[str] = []
    _collect_text(paragraph, parts, notes)
    return "".join(parts).strip("\n")


def _collect_text(element, parts: list[str], notes: _Notes | None) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue  # XML comments and processing instructions have no string tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag in (_TAB, _PTAB):
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag in (_FOOTNOTE_REFERENCE, _ENDNOTE_REFERENCE):
            if notes is not None:
                kind = "footnote" if tag == _FOOTNOTE_REFERENCE else "endnote"
                parts.append(notes.marker(kind, child.get(_W + "id")))
        else:
            _collect_text(child, parts, notes)


def _table_lines(table, notes: _Notes | None) -> list[str]:
    """One line per row, cells separated by a tab; merged cells are read once."""
    lines = []
    for row in _iter_children(table, _TR):
        cells = []
        for cell in _iter_children(row, _TC):
            merge = cell.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(_W + "val", "continue") == "continue":
                cells.append("")  # covered by the cell above
            else:
                cells.append(_cell_text(cell, notes))
        lines.append("\t".join(cells).rstrip())
    return lines


def _iter_children(parent, tag: str):
    """Children with ``tag``, looking through content controls and custom XML wrappers."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _iter_children(content, tag)
        elif child.tag == _W + "customXml":
            yield from _iter_children(child, tag)


def _cell_text(cell, notes: _Notes | None) -> str:
    parts = []
    for block in _iter_blocks(cell):
        if block.tag == _TBL:
            text = " ".join(" ".join(line.split("\t")) for line in _table_lines(block, notes))
        else:
            text = _paragraph_text(block, notes)
        text = " ".join(text.split())
        if text:
            parts.append(text)
    return " ".join(parts)


def _heading_level(paragraph, document) -> int | None:
    """0 for Title, N for "Heading N", else the outline level set on the paragraph or its style."""
    from docx.text.paragraph import Paragraph

    direct = paragraph.find(f"{_W}pPr/{_W}outlineLvl")
    if direct is not None:
        return _outline_level(direct)
    style = Paragraph(paragraph, document).style
    for _ in range(20):  # a style chain is short; the bound guards against a cycle
        if style is None:
            return None
        name = (style.name or "").strip().lower()
        if name == "title":
            return 0
        match = _HEADING_NAME.fullmatch(name)
        if match:
            return int(match.group(1))
        outline = style.element.find(f"{_W}pPr/{_W}outlineLvl")
        if outline is not None:
            return _outline_level(outline)
        style = style.base_style
    return None


def _outline_level(element) -> int | None:
    value = element.get(_W + "val", "")
    return int(value) + 1 if value.isdigit() and int(value) < 9 else None  # 9 means body text


class _Notes:
    """Footnotes and endnotes: numbered [1], [2] … in the order the body refers to them."""

    _RELTYPES = {
        "footnote": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
        "endnote": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes",
    }

    def __init__(self, document):
        self._document = document
        self._texts: dict[str, dict[str, str] | None] = {}
        self._numbers: dict[tuple[str, str], int] = {}

    def marker(self, kind: str, note_id: str | None) -> str:
        if note_id is None or note_id not in self._notes(kind):
            return ""
        key = (kind, note_id)
        if key not in self._numbers:
            self._numbers[key] = len(self._numbers) + 1
        return f"[{self._numbers[key]}]"

    def lines(self) -> list[str]:
        return [
            f"[{number}] {self._notes(kind)[note_id]}".rstrip()
            for (kind, note_id), number in sorted(self._numbers.items(), key=lambda item: item[1])
        ]

    def _notes(self, kind: str) -> dict[str, str]:
        if kind not in self._texts:
            self._texts[kind] = self._read(kind)
        return self._texts[kind] or {}

    def _read(self, kind: str) -> dict[str, str] | None:
        from docx.oxml.parser import parse_xml

        for rel in self._document.part.rels.values():
            if rel.reltype == self._RELTYPES[kind] and not rel.is_external:
                root = parse_xml(rel.target_part.blob)
                break
        else:
            return None
        texts = {}
        for note in root.iterchildren(_W + kind):
            if note.get(_W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            paragraphs = (_paragraph_text(p, None) for p in note.iter(_P))
            texts[note.get(_W + "id")] = " ".join(" ".join(p.split()) for p in paragraphs if p.strip())
        return texts

