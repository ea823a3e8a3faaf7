"""A report parses to the same sections and citations whatever format or encoding it came in.

Each seed report is written into tmp_path as another encoding, as a .docx with Word heading styles,
as a PDF, and typed without diacritics; it is loaded with ``loaders.load_text``, parsed with
``sections.parse_report`` (with the loader's ``heading_lines``) and compared with the parse of the
UTF-8 original. The generators are the ones ``test_loaders`` checks character by character.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

import docx
import pytest
from unidecode import unidecode

from searchsvc.loaders import load_text
from searchsvc.sections import parse_report
from tests.test_loaders import ENCODINGS, SEEDS, _heading_level, _paragraphs, _text_pdf, seed_text, squash


@lru_cache(maxsize=None)
def original(seed: Path):
    """The parse of the UTF-8 seed: what every other form must reproduce."""
    return parse_report(seed_text(seed), seed.stem)


def parsed(path: Path):
    loaded = load_text(path)
    return parse_report(loaded.text, path.stem, loaded.heading_lines)


def structure(report) -> list[tuple[int, tuple[str, ...]]]:
    return [(section.start_line, tuple(section.path)) for section in report.sections]


def canonical_keys(report) -> Counter[str]:
    return Counter(citation.canonical for citation in report.citations)


# Every encoding once, the seeds taken in turn (the text round trips themselves are checked on
# more seeds in test_loaders; a lossless round trip gives the same text, hence the same parse).
CASES = [(row[0], row[1], SEEDS[i % len(SEEDS)]) for i, row in enumerate(ENCODINGS)]


@pytest.mark.parametrize("name, encode, seed", CASES, ids=[f"{c[0]}-{c[2].stem[:3]}" for c in CASES])
def test_every_encoding_parses_like_the_original(tmp_path, name, encode, seed):
    data, representable = encode(seed_text(seed))
    path = tmp_path / f"{seed.stem}.txt"
    path.write_bytes(data)

    report, expected = parsed(path), original(seed)

    assert structure(report) == structure(expected)
    assert canonical_keys(report) == canonical_keys(expected)
    # Windows-1258, TCVN3 and VNI lose "⁽¹⁾" (TCVN3 also the capital of "Ủy"): headings are
    # compared where the heading line survives the encoding.
    for got, want in zip(report.sections, expected.sections):
        if representable[want.start_line - 1]:
            assert got.heading == want.heading


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_docx_with_heading_styles_parses_like_the_original(tmp_path, seed):
    text = seed_text(seed)
    document = docx.Document()
    for line in text.split("\n"):
        level = _heading_level(line)
        if level is None:
            document.add_paragraph(line)
        else:
            document.add_heading(line, level)
    document.save(tmp_path / f"{seed.stem}.docx")

    report, expected = parsed(tmp_path / f"{seed.stem}.docx"), original(seed)

    assert [(s.path, s.heading) for s in report.sections] == [(s.path, s.heading) for s in expected.sections]
    assert canonical_keys(report) == canonical_keys(expected)


@pytest.mark.parametrize("seed", [SEEDS[0], SEEDS[3]], ids=lambda p: p.stem[:3])  # "⁽¹⁾" and "[footnote:2]" notes
def test_pdf_parses_like_the_original(tmp_path, seed):
    """Same sections and citations. A heading that wrapped onto a second line may come back
    longer (the PDF joins a heading the source itself had broken) or shorter (a wrapped heading
    whose second line starts with a capital stays cut), so headings are compared as prefixes."""
    _text_pdf(_paragraphs(seed_text(seed))).output(str(tmp_path / f"{seed.stem}.pdf"))

    report, expected = parsed(tmp_path / f"{seed.stem}.pdf"), original(seed)

    assert [s.path for s in report.sections] == [s.path for s in expected.sections]
    assert canonical_keys(report) == canonical_keys(expected)
    for got, want in zip(report.sections, expected.sections):
        shorter, longer = sorted((squash(got.heading), squash(want.heading)), key=len)
        assert longer.startswith(shorter)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_unaccented_copy_cites_the_same_instruments(tmp_path, seed):
    """Typed without diacritics ("Nghi dinh so 04/2019/ND-CP"): the same canonical keys."""
    path = tmp_path / f"{seed.stem}.txt"
    path.write_text("".join(unidecode(ch) for ch in seed_text(seed)), encoding="utf-8")
    report = parsed(path)
    assert canonical_keys(report) == canonical_keys(original(seed))
    assert report.unaccented and not original(seed).unaccented  # flagged, so the UI can say so
    want = original(seed)
    assert (report.province and unidecode(report.province), report.year, report.period and unidecode(report.period)) == (
        want.province and unidecode(want.province), want.year, want.period and unidecode(want.period))


# --- the formats offices publish (issue 13): legacy .doc, scanned PDF, saved web page ---------------
REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"
SCAN_LINES = [
    "Thực hiện Nghị quyết số 84/NQ-CP ngày 29/5/2020",
    "của Chính phủ và Kế hoạch số 266/KH-UBND",
    "ngày 20/01/2020 của Ủy ban nhân dân tỉnh.",
]


def _scanned_pdf(tmp_path: Path) -> Path:
    """A page that is only an image of printed lines, as a scanner makes it (300 dpi, A4 width)."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    from tests.test_loaders import FONT

    image = Image.new("L", (2480, 1200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 44)
    for row, line in enumerate(SCAN_LINES):
        draw.text((180, 200 + row * 90), line, fill=0, font=font)
    image.save(tmp_path / "page.png")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(tmp_path / "page.png"), x=0, y=0, w=210)
    pdf.output(str(tmp_path / "scan.pdf"))
    return tmp_path / "scan.pdf"


def test_scanned_pdf_is_read_by_ocr_once(tmp_path, monkeypatch):
    monkeypatch.setenv("SEARCHSVC_OCR_CACHE", str(tmp_path / "cache"))
    scan = _scanned_pdf(tmp_path)
    loaded = load_text(scan)
    assert any("read by OCR" in w for w in loaded.warnings)
    report = parse_report(loaded.text, "scan")
    assert [c.canonical for c in report.citations] == ["84/NQ-CP", "266/KH-UBND"]
    assert [c.date for c in report.citations] == ["2020-05-29", "2020-01-20"]
    # a second reading of the same bytes comes from the cache: no program is run
    import subprocess

    def no_programs(*args, **kwargs):
        raise AssertionError(f"OCR ran again: {args[0]}")

    monkeypatch.setattr(subprocess, "run", no_programs)
    assert load_text(scan).text == loaded.text


def test_scan_without_ocr_tools_is_skipped_with_the_install_command(tmp_path, monkeypatch):
    import shutil

    from searchsvc.loaders import LoadError

    monkeypatch.setenv("SEARCHSVC_OCR_CACHE", "")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(LoadError, match="apt-get install -y tesseract-ocr tesseract-ocr-vie poppler-utils"):
        load_text(_scanned_pdf(tmp_path))


def test_legacy_doc_tables_and_citations():
    loaded = load_text(REALDOCS / "dev_20_binh-thuan-cv-cong-dien-131-2024.doc")
    assert loaded.format == "doc"
    # the "V/v" box is one table cell wrapped over three lines: read back as one line
    assert "V/v triển khai Công điện số 131/CĐ-TTg ngày 11/12/2024 của Thủ tướng Chính phủ" in loaded.text
    report = parse_report(loaded.text, "dev_20")
    assert [c.canonical for c in report.citations] == ["131/CĐ-TTg", "131/CĐ-TTg", "766/QĐ-TTg"]
    assert (report.province, report.doc_type, report.issuer) == ("Bình Thuận", "Công văn", "Ủy ban nhân dân tỉnh Bình Thuận")


def test_legacy_doc_without_antiword_is_skipped_with_the_install_command(monkeypatch):
    import shutil

    from searchsvc.loaders import LoadError

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(LoadError, match="apt-get install -y antiword"):
        load_text(REALDOCS / "dev_17_lam-dong-bcd-qd-to-giup-viec-cchc-2025.doc")


@pytest.mark.parametrize(
    "rows, expected",
    [
        # a cell wrapped over lines: fragments starting in lower case or with a digit continue it
        (["|V/v triển khai Công điện số 131/CĐ-TTg ngày | CỘNG HÒA |", "|11/12/2024 của Thủ tướng | Độc lập |"],
         ["V/v triển khai Công điện số 131/CĐ-TTg ngày 11/12/2024 của Thủ tướng", "CỘNG HÒA", "Độc lập"]),
        # capital lines of the agency block stay lines
        (["|ỦY BAN NHÂN DÂN |", "|TỈNH BÌNH THUẬN |", "|Số: /UBND-NC |"], ["ỦY BAN NHÂN DÂN", "TỈNH BÌNH THUẬN", "Số: /UBND-NC"]),
        # an empty cell ends a paragraph of its column
        (["|a b|", "| |", "|c d|"], ["a b", "c d"]),
    ],
)
def test_antiword_table_rows(rows, expected):
    from searchsvc.officedoc import table_block_lines

    assert table_block_lines(rows) == expected


def test_saved_web_page(tmp_path):
    page = (
        "<html><head><meta charset='utf-8'><title>Cổng thông tin</title><style>p{}</style></head><body>"
        "<nav>Trang chủ | Tin tức</nav><h1>BÁO CÁO</h1><p>Tình hình kinh tế - xã hội 6 tháng đầu năm 2020</p>"
        "<p>Thực hiện Nghị quyết số <b>84/NQ-CP</b> ngày 29/5/2020 của Chính phủ&nbsp;…</p>"
        "<table><tr><td>1</td><td>Chỉ tiêu</td></tr></table><script>var x = '1/KH-UBND';</script></body></html>"
    )
    (tmp_path / "bao-cao.html").write_text(page, encoding="utf-8")
    loaded = load_text(tmp_path / "bao-cao.html")
    assert loaded.format == "html"
    assert loaded.text.split("\n")[:3] == [
        "BÁO CÁO", "Tình hình kinh tế - xã hội 6 tháng đầu năm 2020", "Thực hiện Nghị quyết số 84/NQ-CP ngày 29/5/2020 của Chính phủ …",
    ]
    assert "Trang chủ" not in loaded.text and "var x" not in loaded.text  # navigation and scripts are no text
    report = parse_report(loaded.text, "web")
    assert [c.canonical for c in report.citations] == ["84/NQ-CP"]
    assert report.period == "6 tháng đầu năm"


def test_web_page_in_windows_1258(tmp_path):
    page = "<html><head><meta charset='windows-1258'></head><body><p>Báo cáo 12/BC-UBND</p></body></html>"
    (tmp_path / "cu.htm").write_bytes(page.encode("cp1258"))  # "á" is one byte, 0xE1
    assert load_text(tmp_path / "cu.htm").text == "Báo cáo 12/BC-UBND"
