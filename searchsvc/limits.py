"""Bounded memory per input file: what a .docx or .pdf may expand to while it is read.

A file of a few hundred KB can expand a thousandfold (a ZIP or Flate "bomb"), and reading it costs
far more again: python-docx and lxml hold about 17 bytes per byte of XML, pypdf about 30 per byte
of a decoded page content stream (measured; tests/test_security.py). The limits below keep one
file under ~100 MB above the indexer's baseline; a file over them is skipped with the reason
(``LoadError``), like any unreadable file. Real reports are far below them: the 25 real documents
of shared/realdocs have at most 1 MB of XML.
"""
from __future__ import annotations

import os
import zipfile
from typing import Iterator

__all__ = ["check_docx_parts", "pdf_pages", "MAX_DOCX_XML_BYTES", "MAX_DOCX_OTHER_BYTES", "MAX_PDF_STREAM_BYTES",
           "MAX_PDF_GROWTH_BYTES"]

MAX_DOCX_XML_BYTES = 3 * 1024 * 1024  # the XML parts of a .docx, expanded, all together (real ones: at most 1 MB)
MAX_DOCX_OTHER_BYTES = 32 * 1024 * 1024  # its other parts (images…), which python-docx also loads
MAX_PDF_STREAM_BYTES = 1024 * 1024  # one decoded PDF stream (a page's content; the real ones: at most 106 KB)
MAX_PDF_GROWTH_BYTES = 80 * 1024 * 1024  # resident memory a PDF may add, checked before each page
# pypdf's limits on decoded output (pypdf.Configuration, public since pypdf 6)
_PDF_OUTPUT_LIMITS = (
    "zlib_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
    "brotli_maximum_output_length", "jbig2_maximum_output_length", "array_based_stream_maximum_output_length",
)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_docx_parts(parts: list[zipfile.ZipInfo]) -> None:
    """Raise ``LoadError`` when the parts of a .docx would expand past the limits (the sizes the
    archive declares: zipfile never reads more than a part declares, and a part that holds more
    fails its CRC check)."""
    from .loaders import LoadError

    xml = sum(p.file_size for p in parts if p.filename.endswith((".xml", ".rels")))
    other = sum(p.file_size for p in parts) - xml
    if xml > MAX_DOCX_XML_BYTES:
        raise LoadError(f"the .docx holds {_mb(xml)} of text and layout (XML) when expanded, "
                        f"more than {_mb(MAX_DOCX_XML_BYTES)} can be read in bounded memory (ZIP bomb?)")
    if other > MAX_DOCX_OTHER_BYTES:
        raise LoadError(f"the .docx holds {_mb(other)} of images and other parts when expanded, "
                        f"more than {_mb(MAX_DOCX_OTHER_BYTES)} (ZIP bomb?)")


def pdf_pages(reader) -> Iterator:
    """The pages of a ``pypdf.PdfReader``, read under the stream limits (a page over them fails
    on its own, as a damaged page does); ``LoadError`` when reading has grown this process by
    more than ``MAX_PDF_GROWTH_BYTES`` (decoded pages stay cached in the reader)."""
    import pypdf

    from .loaders import LoadError

    pypdf.overwrite_configuration(**{name: MAX_PDF_STREAM_BYTES for name in _PDF_OUTPUT_LIMITS})
    start = _resident_bytes()
    for number, page in enumerate(reader.pages, 1):
        grown = _resident_bytes() - start
        if grown > MAX_PDF_GROWTH_BYTES:
            raise LoadError(f"reading the PDF took more than {_mb(MAX_PDF_GROWTH_BYTES)} of memory "
                            f"by page {number} (a compressed bomb?)")
        yield page


def _resident_bytes() -> int:
    """This process's resident memory now (Linux /proc; elsewhere 0, and the growth check is off)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
