"""Number and day that exist only in a signed PDF's stamp layer.

DOMAIN.md / realdocs README: provincial offices fill in the document number and the day when they
sign electronically; the signing software prints them in a form-field appearance ("stamp") that
pypdf does not extract, so pypdf reads "Số:        /TB-UBND" and "ngày    tháng 11 năm 2024" where
the page shows "Số: 565/TB-UBND" and "ngày 15 tháng 11 năm 2024". poppler's ``pdftotext`` (Debian
``poppler-utils``, installed for OCR anyway) renders that layer; ``fill_from_stamp`` copies the two
values into the blanks of the header, and nothing else.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["fill_from_stamp"]

_HEAD = 6000  # characters of the extracted text where the header block is looked for
_TIMEOUT = 60  # seconds; a hang guard only
_BLANK_NUMBER = re.compile(r"(?P<lead>Số\s*:)(?P<gap>[ \t]*)/[ \t]*(?P<sym>[^\W_][\w&.()-]*)")
_BLANK_DAY = re.compile(r"(?P<lead>ngày)(?P<gap>[ \t.…]*)(?=tháng[ \t]*(?P<m>\d{1,2})[ \t]+năm[ \t]+(?P<y>\d{4}))")


def fill_from_stamp(data: bytes, text: str) -> tuple[str, list[str]]:
    """``text`` with a blank own number and signing day filled from page 1 as poppler reads it."""
    head = text[:_HEAD]
    blank_number = _BLANK_NUMBER.search(head)
    blank_day = _BLANK_DAY.search(head)
    if not (blank_number or blank_day) or shutil.which("pdftotext") is None:
        return text, []
    page = _first_page(data)
    filled: list[str] = []
    edits: list[tuple[int, int, str]] = []
    if blank_number:
        symbol = re.escape(blank_number.group("sym"))
        stamped = re.search(rf"Số\s*:\s*(\d{{1,5}})\s*/\s*{symbol}", page)
        if stamped:
            edits.append((blank_number.start("gap"), blank_number.end("gap"), f" {stamped.group(1)}"))
            filled.append("number")
    if blank_day:
        month, year = blank_day.group("m", "y")
        stamped = re.search(rf"ngày\s*(\d{{1,2}})\s*tháng\s*0?{int(month)}\s+năm\s+{year}", page)
        if stamped:
            edits.append((blank_day.start("gap"), blank_day.end("gap"), f" {stamped.group(1)} "))
            filled.append("day")
    for start, end, value in sorted(edits, reverse=True):
        text = text[:start] + value + text[end:]
    return text, ([f"{' and '.join(filled)} read from the signature stamp layer"] if filled else [])


def _first_page(data: bytes) -> str:
    with tempfile.TemporaryDirectory(prefix="searchsvc-stamp-") as work:
        pdf = Path(work, "in.pdf")
        pdf.write_bytes(data)
        try:
            done = subprocess.run(
                ["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", str(pdf), "-"],
                capture_output=True, timeout=_TIMEOUT, check=False,
            )
        except subprocess.TimeoutExpired:
            return ""
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""
