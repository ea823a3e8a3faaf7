"""Bounded memory per input file (``searchsvc.limits``): compressed-expansion .docx and .pdf bombs,
generated here, are skipped or cut short with a reason, and indexing them stays within ~100 MB
of the indexer's baseline."""
from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import pytest

from searchsvc import limits
from searchsvc.limits import MAX_DOCX_OTHER_BYTES, MAX_DOCX_XML_BYTES, MAX_PDF_GROWTH_BYTES, check_docx_parts, pdf_pages
from searchsvc.loaders import LoadError, load_text

from .test_reliability import _peak_rss_kb_of_index_run, small_corpus

MB = 1024 * 1024
WORDS = ["mot", "hai", "ba", "bon", "nam", "sau", "bay", "tam"]
PARAGRAPH = "<w:p><w:r><w:t>Báo cáo tình hình kinh tế - xã hội</w:t></w:r></w:p>".encode()


def _part(name: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.file_size = size
    return info


@pytest.mark.parametrize("parts, refused", [
    ([("word/document.xml", MB), ("word/styles.xml", 100_000)], None),  # a real report: well below
    ([("word/document.xml", MAX_DOCX_XML_BYTES)], None),  # exactly the limit
    ([("word/document.xml", MAX_DOCX_XML_BYTES - 10), ("word/_rels/document.xml.rels", 11)], "XML"),  # all XML counts
    ([("word/document.xml", 200 * MB)], "XML"),  # a ZIP bomb in the text
    ([("word/document.xml", MB), ("word/media/image1.png", MAX_DOCX_OTHER_BYTES)], None),  # photos up to the limit
    ([("word/document.xml", MB), ("word/media/image1.png", 500 * MB)], "images"),  # a bomb python-docx would load
])
def test_check_docx_parts(parts, refused):
    infos = [_part(name, size) for name, size in parts]
    if refused is None:
        check_docx_parts(infos)
    else:
        with pytest.raises(LoadError, match=refused):
            check_docx_parts(infos)


def _docx_bomb(path: Path, xml_bytes: int = 0, media_bytes: int = 0) -> None:
    """A real .docx (python-docx's own) whose body or an image part expands to the sizes given."""
    from docx import Document

    blank = io.BytesIO()
    Document().save(blank)
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml" and xml_bytes:
                head, body, tail = data.partition(b"<w:body>")
                with out.open("word/document.xml", "w", force_zip64=True) as part:
                    part.write(head + body)
                    block = PARAGRAPH * 10_000
                    for _ in range(xml_bytes // len(block)):
                        part.write(block)
                    part.write(tail)
            else:
                out.writestr(info, data)
        if media_bytes:
            with out.open("word/media/image1.png", "w", force_zip64=True) as part:
                for _ in range(media_bytes // MB):
                    part.write(bytes(MB))


def _pdf_bomb(path: Path, page_bytes: int, pages: int = 1) -> None:
    """A PDF whose pages' Flate-compressed content streams decode to ``page_bytes`` of text each
    (a line naming its page in words, repeated: a line on every page, even with the page number
    in digits, would be a running header)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{' '.join(f'{4 + 2 * i} 0 R' for i in range(pages))}] /Count {pages} >>".encode(),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i in range(pages):
        line = f"BT /F1 12 Tf 72 712 Td (Bao cao tinh hinh kinh te xa hoi phan {WORDS[i % len(WORDS)]}) Tj ET\n".encode()
        stream = zlib.compress(line * (page_bytes // len(line)), 9)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream + b"\nendstream")
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode() + b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def test_a_small_pdf_page_is_read_and_a_bomb_page_is_not(tmp_path):
    _pdf_bomb(tmp_path / "fine.pdf", 20_000)
    assert "Bao cao tinh hinh" in load_text(tmp_path / "fine.pdf").text
    _pdf_bomb(tmp_path / "bomb.pdf", 64 * MB)  # 64 MB of page content from a file of about 230 KB
    assert (tmp_path / "bomb.pdf").stat().st_size < 300_000
    with pytest.raises(LoadError):  # its only page is over the stream limit: nothing to read
        load_text(tmp_path / "bomb.pdf")


def test_pdf_pages_stop_when_memory_has_grown_too_much(monkeypatch):
    """The growth check between pages, with the process's memory read from a list: 10 MB more per page."""
    readings = iter(range(0, 100 * MAX_PDF_GROWTH_BYTES, 10 * MB))
    monkeypatch.setattr(limits, "_resident_bytes", lambda: next(readings))

    class Reader:
        pages = list(range(1, 100))

    read = []
    with pytest.raises(LoadError, match=f"by page {MAX_PDF_GROWTH_BYTES // (10 * MB) + 1}"):
        for page in pdf_pages(Reader()):
            read.append(page)
    assert read == list(range(1, MAX_PDF_GROWTH_BYTES // (10 * MB) + 1))


def test_indexing_bombs_stays_within_100_mb_of_the_baseline(tmp_path):
    baseline, _ = _peak_rss_kb_of_index_run(small_corpus(tmp_path / "plain", 1), tmp_path / "plain-index")
    corpus = small_corpus(tmp_path / "corpus", 1)
    _docx_bomb(corpus / "text-bomb.docx", xml_bytes=300 * MB)  # ~300 KB on disk
    _docx_bomb(corpus / "image-bomb.docx", media_bytes=900 * MB)  # below the old 1 GB expansion check
    _pdf_bomb(corpus / "page-bomb.pdf", 64 * MB)
    _pdf_bomb(corpus / "pages-bomb.pdf", int(0.9 * MB), pages=4)  # each page under the stream limit: read
    _docx_bomb(corpus / "just-below.docx", xml_bytes=MAX_DOCX_XML_BYTES - MB)  # with its other XML parts, under the limit: read
    assert all(path.stat().st_size < 2 * MB for path in corpus.iterdir())
    peak, summary = _peak_rss_kb_of_index_run(corpus, tmp_path / "index")
    skipped = dict(summary["skipped"])
    assert set(skipped) == {"text-bomb.docx", "image-bomb.docx", "page-bomb.pdf"}
    assert "XML" in skipped["text-bomb.docx"] and "images" in skipped["image-bomb.docx"]
    assert summary["reports"] == 3  # the seed, and the PDF and the .docx within the limits
    assert peak - baseline < 100 * 1024, (baseline, peak)
