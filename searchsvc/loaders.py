"""File -> text: the first stage of the pipeline, for .txt in any encoding, .docx, .doc, .pdf, .html.

``load_text(path)`` returns a ``LoadedText`` whose ``text`` is what the rest of the pipeline reads
(NFC, "\\n" line ends, no BOM: ``normalize.clean_text``) or raises ``LoadError`` with a reason a
user can act on ("PDF has no text layer (needs OCR)"). Nothing else escapes: a broken file of any
kind is a LoadError.

Text files (DOMAIN.md: real collections come in NFD, Windows-1258, with a BOM and CRLF, typed
without diacritics, or in the pre-Unicode TCVN3/VNI fonts): a BOM decides; otherwise UTF-8 if the
bytes are valid UTF-8; otherwise the 8-bit encoding under which most words are valid Vietnamese
(``legacy.decode_bytes``). Any Unicode text is then checked line by line for mojibake and for
TCVN3/VNI characters (``legacy.repair_text``) — that also covers .docx typed in ".VnTime" fonts.

Word files (``docxload``), legacy Word 97-2003 (``officedoc``, antiword), PDF (``pdfload``: pypdf,
OCR of scanned pages, the signature stamp layer) and saved web pages (``htmlpage``) each have a
module; ``loadbase`` holds what they share. A tool that is missing makes the file a LoadError whose
reason names the command that installs it.
"""
from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from searchsvc.docxload import load_docx
from searchsvc.htmlpage import html_to_text
from searchsvc.legacy import decode_bytes
from searchsvc.syllables import vietnamese_score
from searchsvc.loadbase import LoadedText, LoadError, finish, human_size, note_text_quality, repair
from searchsvc.ocr import OcrUnavailable
from searchsvc.officedoc import DocUnavailable, doc_to_text
from searchsvc.pdfload import load_pdf

__all__ = ["load_text", "LoadedText", "LoadError", "SUPPORTED_SUFFIXES", "MAX_FILE_BYTES"]

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf", ".doc", ".html", ".htm")
MAX_FILE_BYTES = 50 * 1024 * 1024


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
    loader = {
        ".txt": _load_txt, ".docx": load_docx, ".pdf": load_pdf, ".doc": _load_doc, ".html": _load_html, ".htm": _load_html,
    }[suffix]
    try:
        loaded = loader(data, max_bytes)
    except LoadError:
        raise
    except (DocUnavailable, OcrUnavailable) as exc:  # a missing tool: the reason names the install command
        raise LoadError(str(exc)) from None
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
            raise LoadError(f"file is larger than {human_size(max_bytes)}")
        if size == 0:
            raise LoadError("empty file")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat()
    except FileNotFoundError:
        raise LoadError(f"file not found: {path}") from None
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise LoadError(f"file is larger than {human_size(max_bytes)}")
    if not data:
        raise LoadError("empty file")
    return data


# --- .doc and .html: text from a converter, finished like any other ------------------------------
def _converted(text: str, kind: str) -> LoadedText:
    warnings: list[str] = []
    text, _kind = repair(text, warnings)
    finished = finish(text)
    note_text_quality(finished, warnings)
    return LoadedText(finished, kind, None, {}, warnings)


def _load_doc(data: bytes, max_bytes: int) -> LoadedText:
    return _converted(doc_to_text(data), "doc")


def _load_html(data: bytes, max_bytes: int) -> LoadedText:
    return _converted(html_to_text(data), "html")


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
    text, kind = repair(text, warnings)
    if kind == "mojibake":
        encoding = f"{encoding} (mojibake repaired)"
    elif kind in ("tcvn3", "vni"):
        encoding = kind
    finished = finish(text)
    if unicodedata.normalize("NFC", text) != text:
        warnings.append("decomposed (NFD) diacritics composed to NFC")
    note_text_quality(finished, warnings)
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

