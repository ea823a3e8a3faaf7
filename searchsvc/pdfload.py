""".pdf -> text with pypdf, chosen over pdfminer.six by measurement on the seed reports (both exact
on precomposed text; on decomposed text pdfminer split 36 % of words at the combining marks, and it
was 3-25x slower). Running headers, footers and page numbers are dropped and lines are joined back
into paragraphs. Scanned pages and garbage text layers go through OCR (``ocr``); a number and day
printed only in the signature stamp are read with poppler (``pdfstamp``)."""
from __future__ import annotations

import io
import math
import re
from collections import Counter

from searchsvc import settings
from searchsvc.loadbase import LoadedText, LoadError, finish, note_text_quality, repair
from searchsvc.ocr import needs_ocr, ocr_pages
from searchsvc.pdfstamp import fill_from_stamp

__all__ = ["load_pdf"]

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


def load_pdf(data: bytes, max_bytes: int) -> LoadedText:
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
    scanned: list[int] = []
    for number, page in enumerate(reader.pages, 1):
        try:
            raw = page.extract_text() or ""
        except Exception as exc:  # one bad page should not lose the others
            warnings.append(f"page {number}: text could not be extracted ({exc})")
            raw = ""
        pages.append([line for line in map(_pdf_line, raw.split("\n")) if line])
        if needs_ocr(raw, _has_image(page)):
            scanned.append(number)
    if scanned:
        recognised = ocr_pages(data, scanned, settings.get("ocr_cache") or None)
        for number in scanned:
            pages[number - 1] = [line for line in map(_pdf_line, recognised[number].split("\n")) if line]
        warnings.append(f"page(s) {_ranges(scanned)} read by OCR (scanned, no usable text layer)")
    empty = [number for number, lines in enumerate(pages, 1) if not lines]
    if len(empty) == len(pages):
        raise LoadError("PDF has no text layer (scanned images; needs OCR)")
    if empty:
        warnings.append(f"no text layer on page(s) {_ranges(empty)} (scanned? needs OCR)")

    lines = _join_wrapped_lines([line for page in _drop_running_lines(pages) for line in page])
    joined = "\n".join(lines)
    if 1 not in scanned:
        joined, stamped = fill_from_stamp(data, joined)
        warnings.extend(stamped)
    text, _kind = repair(joined, warnings)
    finished = finish(text)
    note_text_quality(finished, warnings)
    return LoadedText(finished, "pdf", None, {}, warnings)


def _has_image(page) -> bool:
    try:
        return len(page.images) > 0
    except Exception:  # pypdf raises several types for damaged resources; then there is nothing to OCR
        return False


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

