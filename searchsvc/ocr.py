"""Scanned PDF pages -> text through Tesseract's Vietnamese model, cached by file hash.

DOMAIN.md: provincial offices publish scans with no text layer, scans whose only text is the
signature stamp ("SAO Y; CÔNG AN TỈNH …"), and scans with a garbage OCR layer ("Cdn c* LuQt Tii
ch*c"). ``needs_ocr`` tells such a page from a real text page; ``ocr_pages`` renders the pages
with poppler's ``pdftoppm`` (300 dpi, grey) and reads them with ``tesseract -l vie``. Debian
packages: ``tesseract-ocr tesseract-ocr-vie poppler-utils``.

Results are cached in ``cache_dir`` under the SHA-256 of the PDF's bytes and the page number, so
re-indexing an unchanged file never runs OCR again. The cache directory is the ``ocr_cache``
setting (``SEARCHSVC_OCR_CACHE``).
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .syllables import is_vietnamese_syllable

__all__ = ["OcrUnavailable", "needs_ocr", "ocr_pages", "INSTALL_HINT", "missing_tools"]

INSTALL_HINT = "apt-get install -y tesseract-ocr tesseract-ocr-vie poppler-utils"
_DPI = 300
_TIMEOUT = 300  # seconds per page; a hang guard only
_MIN_PAGE_CHARS = 200  # a text page of an A4 document holds far more; less is a stamp or nothing
# Share of words (2+ letters) that are Vietnamese syllables: >= 0.9 on every real text page of
# shared/realdocs, 0.39 and 0.46 on the garbage OCR layer of dev_16.
_MIN_VALID_WORDS = 0.7
_WORD = re.compile(r"[^\W\d_]+")
_VERSION = "1"  # bump when rendering or recognition options change: old cache entries are ignored


class OcrUnavailable(Exception):
    """OCR cannot run here; ``str(err)`` names the missing tool and the install command."""


def missing_tools() -> list[str]:
    """The OCR programs (and the Vietnamese model) that are not installed."""
    missing = [tool for tool in ("pdftoppm", "tesseract") if shutil.which(tool) is None]
    if "tesseract" not in missing:
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
        if "vie" not in listed.stdout.split():
            missing.append("tesseract Vietnamese model (vie)")
    return missing


def needs_ocr(page_text: str, has_image: bool) -> bool:
    """True for a scanned page whose text layer is no text: (almost) empty, or not Vietnamese words.

    A page without an image has nothing to recognise: its text layer is all there is.

    >>> needs_ocr("SAO Y; CÔNG AN TỈNH LÂM ĐỒNG; 06/01/2026", has_image=True)
    True
    """
    if not has_image:
        return False
    compact = "".join(page_text.split())
    if len(compact) < _MIN_PAGE_CHARS:
        return True
    words = [w for w in _WORD.findall(page_text) if len(w) > 1]
    if not words:
        return True
    valid = sum(1 for w in words if is_vietnamese_syllable(w.lower()))
    return valid / len(words) < _MIN_VALID_WORDS


def ocr_pages(data: bytes, pages: list[int], cache_dir: str | os.PathLike | None) -> dict[int, str]:
    """Recognised text of the given 1-based ``pages`` of a PDF, from the cache when it is there."""
    digest = hashlib.sha256(data).hexdigest()
    cache = Path(cache_dir) if cache_dir else None
    out: dict[int, str] = {}
    todo = []
    for page in pages:
        cached = cache / f"{digest}.v{_VERSION}.p{page}.txt" if cache else None
        if cached is not None and cached.is_file():
            out[page] = cached.read_text("utf-8")
        else:
            todo.append(page)
    if not todo:
        return _clean(out)
    missing = missing_tools()
    if missing:
        raise OcrUnavailable(f"OCR needs {', '.join(missing)} ({INSTALL_HINT})")
    with tempfile.TemporaryDirectory(prefix="searchsvc-ocr-") as work:
        pdf = Path(work, "in.pdf")
        pdf.write_bytes(data)
        for page in todo:
            out[page] = _recognise(pdf, page, Path(work))
            if cache is not None:
                _store(cache, f"{digest}.v{_VERSION}.p{page}.txt", out[page])
    return _clean(out)


# Tesseract reads "Đ" as the Icelandic "Ð" (U+00D0) now and then: Vietnamese has no such letter.
_ETH = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


# A scan's margin or a table rule read as a bar before the line: "| 1. Về triển khai …"
_MARGIN_BAR = re.compile(r"^[|¦][ \t]+", re.MULTILINE)


def _clean(pages: dict[int, str]) -> dict[int, str]:
    return {page: _MARGIN_BAR.sub("", text.translate(_ETH)) for page, text in pages.items()}


def _recognise(pdf: Path, page: int, work: Path) -> str:
    image = work / f"p{page}"
    _run(["pdftoppm", "-r", str(_DPI), "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(image)])
    # one thread: the indexer already runs one worker process per core
    done = _run(["tesseract", f"{image}.png", "stdout", "-l", "vie", "--psm", "6"], {"OMP_THREAD_LIMIT": "1"})
    return done.stdout.decode("utf-8", "replace")


def _run(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=_TIMEOUT, check=False, env={**os.environ, **(env or {})}
        )
    except subprocess.TimeoutExpired:
        raise OcrUnavailable(f"{command[0]} did not finish in {_TIMEOUT} s") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrUnavailable(f"{command[0]} failed: {reason[-1] if reason else done.returncode}")
    return done


def _store(cache: Path, name: str, text: str) -> None:
    """Write a cache entry atomically (another worker may read it at the same time)."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, cache / name)
    except OSError:
        pass  # a read-only cache only costs time
