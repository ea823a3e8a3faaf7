"""File -> text: the first stage of the pipeline, for .txt in any encoding, .docx and .pdf.

``load_text(path)`` returns a ``LoadedText`` whose ``text`` is what the rest of the pipeline reads
(NFC, "\\n" line ends, no BOM: ``normalize.clean_text``) or raises ``LoadError`` with a reason a
user can act on ("PDF has no text layer (needs OCR)"). Nothing else escapes: a broken file of any
kind is a LoadError.

Text files (DOMAIN.md: real collections come in NFD, Windows-1258, with a BOM and CRLF, typed
without diacritics, or in the pre-Unicode TCVN3/VNI fonts): a BOM decides; otherwise UTF-8 if the
bytes are valid UTF-8; otherwise the 8-bit encoding under which most words are valid Vietnamese
(``legacy.decode_bytes``). Any Unicode text is then checked line by line for mojibake and for
TCVN3/VNI characters (``legacy.repair_text``) — that also covers .docx typed in ".VnTime" fonts.

Word files: paragraphs and tables in body order, heading styles in ``heading_lines``, footnotes
and endnotes as "[N]" markers with the notes at the end ("[1] Nghị quyết về …").

PDF files: pypdf, chosen over pdfminer.six by measurement on the seed reports (both exact on
precomposed text; on decomposed text pdfminer split 36 % of words at the combining marks, and it
was 3-25x slower). Running headers, footers and page numbers are dropped and lines are joined back
into paragraphs.
"""
from __future__ import annotations

import io
import math
import os
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from searchsvc.legacy import decode_bytes, repair_text, vietnamese_score
from searchsvc.limits import check_docx_parts, pdf_pages
from searchsvc.normalize import clean_text, looks_unaccented

__all__ = ["load_text", "LoadedText", "LoadError", "SUPPORTED_SUFFIXES", "MAX_FILE_BYTES"]

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf")
MAX_FILE_BYTES = 50 * 1024 * 1024
# A .docx is a ZIP; refuse one that would expand to more than this many times the size limit.
_DOCX_EXPANSION = 20


class LoadError(Exception):
    """A file that cannot be turned into text; ``str(err)`` is the reason shown to the user."""


@dataclass
class LoadedText:
    """The text of one file and what was learned reading it."""

    text: str  # NFC, "\n" line endings, no BOM (normalize.clean_text)
    format: str  # "txt" | "docx" | "pdf"
    encoding: str | None  # "utf-8", "utf-8-sig", "utf-16", "cp1258", "tcvn3", "vni", … None for docx/pdf
    heading_lines: dict[int, int] = field(default_factory=dict)  # 1-based line -> 0 Title, 1-9 Heading N
    warnings: list[str] = field(default_factory=list)


def load_text(path: str | os.PathLike, max_bytes: int = MAX_FILE_BYTES) -> LoadedText:
    """Read ``path`` (.txt, .docx or .pdf) into text; raise LoadError for anything unusable.

    The size is checked before the file is read.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "(no extension)"
        raise LoadError(f"unsupported file type {shown}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    data = _read_bytes(path, max_bytes)
    loader = {".txt": _load_txt, ".docx": _load_docx, ".pdf": _load_pdf}[suffix]
    try:
        loaded = loader(data, max_bytes)
    except LoadError:
        raise
    except Exception as exc:  # the contract: a broken file is a LoadError, whatever the library raised
        raise LoadError(f"could not read {suffix} file ({type(exc).__name__}: {exc})") from exc
    if not loaded.text.strip():
        raise LoadError("empty file" if loaded.format == "txt" else f"no text in the {suffix} file")
    return loaded


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise LoadError(f"not a file: {path.name}")
        if size > max_bytes:
            raise LoadError(f"file is larger than {_human_size(max_bytes)}")
        if size == 0:
            raise LoadError("empty file")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat()
    except FileNotFoundError:
        raise LoadError(f"file not found: {path}") from None
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise LoadError(f"file is larger than {_human_size(max_bytes)}")
    if not data:
        raise LoadError("empty file")
    return data


def _human_size(size: int) -> str:
    mb = 1024 * 1024
    return f"{size // mb} MB" if size >= mb and size % mb == 0 else f"{size} bytes"


# --- shared finishing steps ----------------------------------------------------------------
# Form feed and vertical tab end a line; other control characters (and C1 controls left over
# from broken encodings) are dropped. Tab stays: .docx table cells are tab-separated.
_LINE_CONTROLS = dict.fromkeys(map(ord, "\f\v"), "\n")
_DROPPED_CONTROLS = dict.fromkeys(
    [c for c in range(0x20) if chr(c) not in "\t\n\r\f\v"] + [0x7F] + list(range(0x80, 0xA0)), None
)
_CONTROL_TABLE = _LINE_CONTROLS | _DROPPED_CONTROLS


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # the keys of _CONTROL_TABLE


def _finish(text: str) -> str:
    if _CONTROLS.search(text):
        text = text.translate(_CONTROL_TABLE)
    return clean_text(text)


def _repair(text: str, warnings: list[str]) -> tuple[str, str | None]:
    """Mojibake and legacy-font repair (see legacy.repair_text); returns (text, kind)."""
    repaired = repair_text(text)
    warnings.extend(repaired.warnings)
    return repaired.text, repaired.kind


def _note_text_quality(text: str, warnings: list[str]) -> None:
    head = text[:20000]
    if len(head.encode()) - len(head) > len(head) // 20:
        return  # plenty of non-ASCII letters: accented for sure (and looks_unaccented is slow)
    if looks_unaccented(text):
        warnings.append("text has no diacritics (Vietnamese typed without accents)")


# --- .txt ------------------------------------------------------------------------------------
_BOMS = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)
# Files that are not text at all, recognised by their first bytes.
_MAGIC = (
    (b"%PDF-", "the file is a PDF; give it the .pdf extension"),
    (b"PK\x03\x04", "the file is a ZIP archive (a .docx? give it the .docx extension)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "the file is an old Word/Excel document (.doc/.xls); save it as .docx"),
    (b"{\\rtf", "the file is RTF; save it as .docx or plain text"),
    (b"\x89PNG", "the file is a PNG image"),
    (b"\xff\xd8\xff", "the file is a JPEG image"),
    (b"GIF8", "the file is a GIF image"),
    (b"\x1f\x8b", "the file is gzip-compressed"),
)
_CONTROL_BYTES = bytes(c for c in range(0x20) if c not in b"\t\n\r\f\v\x1a") + b"\x7f"
_CONTROL_CHARS = frozenset(_CONTROL_BYTES.decode("ascii"))
_BINARY_SAMPLE = 65536


def _load_txt(data: bytes, max_bytes: int) -> LoadedText:
    text, encoding, warnings = _decode_txt(data)
    text, kind = _repair(text, warnings)
    if kind == "mojibake":
        encoding = f"{encoding} (mojibake repaired)"
    elif kind in ("tcvn3", "vni"):
        encoding = kind
    finished = _finish(text)
    if unicodedata.normalize("NFC", text) != text:
        warnings.append("decomposed (NFD) diacritics composed to NFC")
    _note_text_quality(finished, warnings)
    return LoadedText(finished, "txt", encoding, {}, warnings)


def _decode_txt(data: bytes) -> tuple[str, str, list[str]]:
    """Bytes -> (text, encoding, warnings) for a .txt file; LoadError for binary data."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                return body.decode(codec), label, []
            except UnicodeDecodeError:
                return body.decode(codec, errors="replace"), label, [f"invalid {label} data replaced with \ufffd"]
    for magic, reason in _MAGIC:
        if data.startswith(magic):
            raise LoadError(f"binary data, not text ({reason})")
    utf16 = _sniff_utf16(data)
    if utf16 is not None:
        return utf16, "utf-16", ["UTF-16 without a byte order mark"]
    sample = data[:_BINARY_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > max(2, len(sample) // 200):
        raise LoadError("binary data, not text")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    text, encoding, warnings = decode_bytes(data)
    # A UTF-8 file with a few broken bytes reads better as UTF-8 than as any 8-bit encoding.
    lenient = data.decode("utf-8", errors="replace")
    if vietnamese_score(lenient, limit=200_000) > vietnamese_score(text, limit=200_000):
        return lenient, "utf-8", ["invalid UTF-8 bytes replaced with \ufffd"]
    return text, encoding, warnings


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: most ASCII characters leave a zero byte at every other position."""
    sample = data[: _BINARY_SAMPLE & ~1]
    if len(sample) < 4:
        return None
    half = len(sample) // 2
    zeros_even = sample[0::2].count(0) / half
    zeros_odd = sample[1::2].count(0) / half
    for codec, high, low in (("utf-16-le", zeros_odd, zeros_even), ("utf-16-be", zeros_even, zeros_odd)):
        if high > 0.3 and low < 0.02:
            try:
                text = data[: len(data) & ~1].decode(codec)
            except UnicodeDecodeError:
                return None
            if not any(ch in _CONTROL_CHARS for ch in text[:2000]):
                return text
    return None


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


def _load_docx(data: bytes, max_bytes: int) -> LoadedText:
    import docx  # imported here: only .docx files need python-docx
    from docx.opc.exceptions import PackageNotFoundError

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise LoadError("old Word .doc file named .docx; open it in Word and save as .docx")
    if not data.startswith(b"PK"):
        raise LoadError("corrupt .docx (not a ZIP archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_docx_parts(archive.infolist())  # bounded memory (``limits``)
            expanded = sum(info.file_size for info in archive.infolist())
            if expanded > _DOCX_EXPANSION * max_bytes:  # checked before anything is decompressed
                limit = _human_size(_DOCX_EXPANSION * max_bytes)
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
    lines: list[str] = []
    headings: dict[int, int] = {}
    for block in _iter_blocks(document.element.body):
        if block.tag == _TBL:
            lines.extend(_table_lines(block, notes))
            continue
        text = _paragraph_text(block, notes)
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
    text, _kind = _repair("\n".join(lines), warnings)
    # Finish line by line so that heading line numbers stay true.
    finished = "\n".join(_finish(line).replace("\n", " ") for line in text.split("\n"))
    _note_text_quality(finished, warnings)
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


# --- .pdf ------------------------------------------------------------------------------------
_EDGE_LINES = 3  # lines at the top and at the bottom of a page that may be header or footer
# "Trang 3", "Page 3 of 10", "- 3 -", "3/10": page numbers wherever they stand among edge lines.
_PAGE_LABEL = re.compile(
    r"(?:trang|page|tr\.)\s*\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?|[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}\s*/\s*\d{1,4}",
    re.IGNORECASE,
)
_LONE_NUMBER = re.compile(r"\d{1,4}")  # a page number only as the first or last line of a page
_SPACE_BEFORE_MARK = re.compile(r"[ \t]+(?=[\u0300-\u036f])")
_SENTENCE_END = re.compile(r"[.!?…:][\"'”’)\]»⁾⁰¹²³⁴-⁹*]*$")
_STARTS_LOWER = re.compile(r"[(\"'“‘«]*([^\W\d_])")
# A list item starts a new line even when it starts in lower case: "- ", "a) ", "b. ", "(2) ",
# "1. ", "ii) ", and footnote notes "⁽¹⁾ …", "[1] …".
_LIST_MARK = re.compile(r"(?:[-+•*]\s|\(?(?:\d{1,3}|[a-zđ]|[ivx]{1,4})[.)]\s|⁽|\[\d+\])", re.IGNORECASE)
# Headings that start a new line after a long line: "II.", "A. ", "2.1", "Phần thứ nhất", "Điều 3".
_HEADING_START = re.compile(r"(?:[IVXLC]+\.|[A-Z]\.\s|\d+(?:\.\d+)+|(?:phần|chương|mục|điều)\b)", re.IGNORECASE)
_LONG_LINE = 0.85  # a line this close to the typical full line length was probably wrapped
# Words that never end a sentence or a heading: a line ending with one was wrapped.
_OPEN_ENDING = re.compile(
    r"(?:^|\s)(?:và|của|các|những|ngày|số|với|theo|tại|cho|để|trong|là|về|từ|đã|được|như|hoặc)$",
    re.IGNORECASE,
)


def _load_pdf(data: bytes, max_bytes: int) -> LoadedText:
    try:
        import pypdf
    except ImportError:
        raise LoadError("reading PDF needs the pypdf package (pip install pypdf)") from None

    if b"%PDF-" not in data[:1024]:
        raise LoadError("not a PDF file (no %PDF header)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:  # pypdf raises several unrelated types for damaged files
        raise LoadError(f"corrupt PDF ({exc})") from None
    warnings: list[str] = []
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # e.g. an AES cipher without the cryptography package
            raise LoadError(f"encrypted PDF (cannot decrypt: {exc})") from None
        if not opened:
            raise LoadError("encrypted PDF (a password is needed to open it)")
        warnings.append("encrypted PDF opened without a password")

    pages: list[list[str]] = []
    for number, page in enumerate(pdf_pages(reader), 1):  # bounded memory (``limits``)
        try:
            raw = page.extract_text() or ""
        except Exception as exc:  # one bad page should not lose the others
            warnings.append(f"page {number}: text could not be extracted ({exc})")
            raw = ""
        pages.append([line for line in map(_pdf_line, raw.split("\n")) if line])
    empty = [number for number, lines in enumerate(pages, 1) if not lines]
    if len(empty) == len(pages):
        raise LoadError("PDF has no text layer (scanned images; needs OCR)")
    if empty:
        warnings.append(f"no text layer on page(s) {_ranges(empty)} (scanned? needs OCR)")

    lines = _join_wrapped_lines([line for page in _drop_running_lines(pages) for line in page])
    text, _kind = _repair("\n".join(lines), warnings)
    finished = _finish(text)
    _note_text_quality(finished, warnings)
    return LoadedText(finished, "pdf", None, {}, warnings)


def _pdf_line(line: str) -> str:
    """One extracted line: no space before a combining mark, single spaces, trimmed."""
    return " ".join(_SPACE_BEFORE_MARK.sub("", line).split())


def _ranges(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:10])) + (" …" if len(numbers) > 10 else "")


def _running_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page headers, footers and page numbers.

    A header or footer is a line among the first or last ``_EDGE_LINES`` of a page that recurs
    (digits aside: "Trang 3" ~ "Trang 4") at the same edge of at least half the pages; a page
    number is "Trang 3", "- 3 -", "3/10" at an edge, or a lone number as a page's first or last line.
    """
    top: Counter[str] = Counter()
    bottom: Counter[str] = Counter()
    for lines in pages:
        top.update({_running_key(line) for line in lines[:_EDGE_LINES]})
        bottom.update({_running_key(line) for line in lines[-_EDGE_LINES:]})
    need = max(2, math.ceil(len(pages) / 2))
    top_keys = {key for key, count in top.items() if count >= need}
    bottom_keys = {key for key, count in bottom.items() if count >= need}

    kept_pages = []
    for lines in pages:
        last = len(lines) - 1
        kept = []
        for index, line in enumerate(lines):
            at_top, at_bottom = index < _EDGE_LINES, index > last - _EDGE_LINES
            key = _running_key(line)
            if (
                (at_top and key in top_keys)
                or (at_bottom and key in bottom_keys)
                or ((at_top or at_bottom) and _PAGE_LABEL.fullmatch(line))
                or (index in (0, last) and _LONE_NUMBER.fullmatch(line))
            ):
                continue
            kept.append(line)
        kept_pages.append(kept)
    return kept_pages


def _join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join lines a PDF wrapped (also across pages) back into one line per paragraph.

    A line continues the previous one when the previous one does not end a sentence, the line is
    not a list item, and either the line starts in lower case ("… tập trung dân chủ;" / "tập trung
    chỉ đạo …"), or (the line not being a heading) the previous one ends with a word no sentence
    ends with ("… ngày" / "01/01/2020 …") or was nearly full width and is not itself a heading.
    Without glyph positions "full width" is measured in characters, against the 90th percentile
    of line lengths; a paragraph whose last line happens to be long and unpunctuated may thus
    absorb the next plain paragraph, but a short heading (numbered or in capitals, one or two
    lines) is not extended by length alone. After a sentence end nothing tells a wrap from a new
    paragraph, so such a line stays a line of its own.
    """
    if not lines:
        return []
    lengths = sorted(len(line) for line in lines)
    long_line = _LONG_LINE * lengths[int(0.9 * (len(lengths) - 1))]
    paragraphs = [lines[0]]
    previous, count = lines[0], 1  # count: physical lines in the current paragraph
    for line in lines[1:]:
        heading_like = count <= 2 and _looks_like_heading(paragraphs[-1])
        if _continues(previous, line, long_line, heading_like):
            joiner = "" if re.search(r"\w-$", previous) else " "  # "Covid-" + "19"
            paragraphs[-1] += joiner + line
            count += 1
        else:
            paragraphs.append(line)
            count = 1
        previous = line
    return paragraphs


def _continues(previous: str, line: str, long_line: float, heading_like: bool) -> bool:
    if _SENTENCE_END.search(previous) or _LIST_MARK.match(line):
        return False
    first = _STARTS_LOWER.match(line)
    if first and first.group(1).islower():
        return True
    if _HEADING_START.match(line):
        return False
    return bool(_OPEN_ENDING.search(previous)) or (len(previous) >= long_line and not heading_like)


def _looks_like_heading(text: str) -> bool:
    """A paragraph that may be a heading (one or two lines): numbered ("1.", "I.", "a)") or capitals."""
    return bool(_LIST_MARK.match(text) or _HEADING_START.match(text)) or _is_capitals(text)


def _is_capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)
