"""Legacy Word 97-2003 ``.doc`` -> text, through antiword (Debian package ``antiword``).

Chosen by measurement on the three real ``.doc`` files of ``shared/realdocs`` (characters of text
recovered; the reference is the document read in Word):

=========  =========  ======  =====================================================
file       antiword   catdoc  note
=========  =========  ======  =====================================================
dev_05     69 383     68 081  both complete
dev_17      6 270      4 659  catdoc stops after the first table, then prints bytes
dev_20      5 187      2 975  catdoc loses points 3-5 of the letter
=========  =========  ======  =====================================================

antiword (``-w 0``: one line per paragraph) prints a table as rows of ``|cell|cell|`` whose cell
text is wrapped inside each cell; ``table_block_lines`` turns such a block back into lines, one
column after the other, re-joining a cell's wrapped fragments (DOMAIN.md: "V/v … Công điện số
131/CĐ-TTg ngày" ⏎ "11/12/2024 …" is one reference).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

__all__ = ["DocUnavailable", "doc_to_text", "table_block_lines", "INSTALL_HINT"]

INSTALL_HINT = "apt-get install -y antiword"
_TIMEOUT = 120  # seconds; a hang guard only
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TABLE_LINE = re.compile(r"^\s*\|.*\|\s*$")
# A fragment that continues the one above it in the same cell: starts in lower case, with a digit
# or with punctuation that cannot open a line.
_CONTINUES = re.compile(r"^(?:[^\W\d_](?<=[a-zđàáảãạăâèéẻẽẹêìíỉĩịòóỏõọôơùúủũụưỳýỷỹỵ])|\d|[,.;:)])")


class DocUnavailable(Exception):
    """The converter is missing or failed; ``str(err)`` says why and how to install it."""


def doc_to_text(data: bytes) -> str:
    """The text of a Word 97-2003 file, tables flattened to lines (see ``table_block_lines``)."""
    if data[:8] != _OLE2_MAGIC:
        raise DocUnavailable("not a Word 97-2003 file (no OLE2 header)")
    program = shutil.which("antiword")
    if program is None:
        raise DocUnavailable(f"reading .doc needs antiword ({INSTALL_HINT})")
    try:
        with tempfile.TemporaryDirectory(prefix="searchsvc-doc-") as work:
            path = os.path.join(work, "in.doc")
            with open(path, "wb") as handle:
                handle.write(data)
            done = subprocess.run(
                [program, "-w", "0", "-m", "UTF-8.txt", path], capture_output=True, timeout=_TIMEOUT, check=False
            )
    except subprocess.TimeoutExpired:
        raise DocUnavailable(f"antiword did not finish in {_TIMEOUT} s") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DocUnavailable(f"antiword failed: {reason[-1] if reason else done.returncode}")
    return flatten_tables(done.stdout.decode("utf-8", "replace"))


def flatten_tables(text: str) -> str:
    """Replace every block of antiword table lines by ``table_block_lines`` of that block."""
    out: list[str] = []
    block: list[str] = []
    for line in text.split("\n"):
        if _TABLE_LINE.match(line):
            block.append(line)
            continue
        if block:
            out.extend(table_block_lines(block))
            block = []
        out.append(line)
    out.extend(table_block_lines(block))
    return "\n".join(out)


def table_block_lines(rows: list[str]) -> list[str]:
    """antiword table rows -> lines, column by column, wrapped cell fragments joined.

    >>> table_block_lines(["|Số: /UBND-NC |Bình Thuận |", "|V/v Công điện số 131/CĐ-TTg ngày| |",
    ...                    "|11/12/2024 của Thủ tướng| |"])
    ['Số: /UBND-NC', 'V/v Công điện số 131/CĐ-TTg ngày 11/12/2024 của Thủ tướng', 'Bình Thuận']
    """
    columns: list[list[str]] = []
    for row in rows:
        cells = row.strip().strip("|").split("|")
        while len(columns) < len(cells):
            columns.append([])
        for column, cell in zip(columns, cells):
            column.append(" ".join(cell.split()))
    lines: list[str] = []
    for column in columns:
        current = ""
        for fragment in column:
            if not fragment:
                if current:
                    lines.append(current)
                current = ""
            elif current and _CONTINUES.match(fragment):
                current = f"{current} {fragment}"
            else:
                if current:
                    lines.append(current)
                current = fragment
        if current:
            lines.append(current)
    return lines
