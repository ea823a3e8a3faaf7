"""Tests for the loader stage: searchsvc.loaders (file -> text) and its tables in searchsvc.legacy.

Every input file is generated from the seed reports into tmp_path while the tests run (no binary
fixtures are committed): the seeds re-encoded in each encoding DOMAIN.md lists, a .docx written
with python-docx, PDFs written with fpdf2, and broken files of every kind.

The legacy encoders below are written independently of searchsvc.legacy: they spell each letter
the way it looks when the legacy bytes are shown as Windows-1252 (TCVN3 "NghÞ quyÕt", VNI
"Nghò quyeát" for "Nghị quyết"), so a wrong byte in either table makes the round trip fail.
"""
from __future__ import annotations

import random
import re
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.parser import parse_xml
from fpdf import FPDF
from unidecode import unidecode

from searchsvc.legacy import decode_bytes, decode_tcvn3, decode_vni, repair_text, restore_tcvn3_capitals
from searchsvc.loaders import MAX_FILE_BYTES, SUPPORTED_SUFFIXES, LoadedText, LoadError, load_text
from searchsvc.normalize import clean_text
from searchsvc.syllables import is_vietnamese_syllable, vietnamese_score

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
GRAVE, HOOK, TILDE, ACUTE, DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
TONES = (GRAVE, HOOK, TILDE, ACUTE, DOT)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def seed_text(path: Path) -> str:
    return clean_text(path.read_text(encoding="utf-8"))


def squash(text: str) -> str:
    return " ".join(text.split())


# --- independent encoders for the round trips --------------------------------------------------
# Each returns the encoded bytes and whether every character could be represented; a line that
# could not is written with "?" in its place and left out of the comparison.
def _split_tone(ch: str) -> tuple[str, str | None]:
    """"ấ" -> ("â", ACUTE): the letter without its tone, and the tone."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = next((mark for mark in decomposed if mark in TONES), None)
    bare = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in TONES))
    return bare, tone


def cp1258_line(line: str) -> tuple[bytes, bool]:
    """Windows-1258 as Word writes it: precomposed where the code page has the letter, else the
    letter without tone followed by a combining tone mark ("ấ" -> "â" + U+0301)."""
    out, ok = bytearray(), True
    for ch in line:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        bare, tone = _split_tone(ch)
        try:
            out += (bare + (tone or "")).encode("cp1258")
        except UnicodeEncodeError:
            out += b"?"
            ok = False
    return bytes(out), ok


# TCVN3 as Windows-1252 shows it. Toned capitals do not exist: they are typed with the small
# letter's code (the ".VnTimeH" font drew it as a capital).
_TCVN3_ROWS = {  # vowel: glyphs for huyền, hỏi, ngã, sắc, nặng
    "a": "µ¶·¸¹", "ă": "»¼½¾Æ", "â": "ÇÈÉÊË", "e": "ÌÎÏÐÑ", "ê": "ÒÓÔÕÖ", "i": "×ØÜÝÞ",
    "o": "ßáâãä", "ô": "åæçèé", "ơ": "êëìíî", "u": "ïñòóô", "ư": "õö÷øù", "y": "úûüýþ",
}
TCVN3_VIEW = dict(zip("ăâêôơưđĂÂÊÔƠƯĐ", "¨©ª«¬\xad®¡¢£¤¥¦§"))
for _vowel, _glyphs in _TCVN3_ROWS.items():
    for _tone, _glyph in zip((GRAVE, HOOK, TILDE, ACUTE, DOT), _glyphs):
        _letter = unicodedata.normalize("NFC", _vowel + _tone)
        TCVN3_VIEW[_letter] = TCVN3_VIEW[_letter.upper()] = _glyph
TCVN3_PUNCTUATION = "“”‘’–—…"  # Windows-1252 bytes 0x80-0x9F, not letters in TCVN3


def tcvn3_view(line: str) -> tuple[str, bool]:
    """TCVN3 text as it looks read as Windows-1252; False when the line loses something
    (a toned capital, or a character TCVN3 has no code for)."""
    out, ok = [], True
    for ch in line:
        if ch in TCVN3_VIEW:
            out.append(TCVN3_VIEW[ch])
            ok = ok and not (ch.isupper() and _split_tone(ch)[1])
        elif ch.isascii() or ch in TCVN3_PUNCTUATION:
            out.append(ch)
        else:
            out.append("?")
            ok = False
    return "".join(out), ok


# VNI as Windows-1252 shows it: a letter, then one byte for its marks.
VNI_TONE = {GRAVE: "ø", ACUTE: "ù", HOOK: "û", TILDE: "õ", DOT: "ï"}
VNI_HAT = {None: "â", GRAVE: "à", ACUTE: "á", HOOK: "å", TILDE: "ã", DOT: "ä"}  # circumflex + tone
VNI_BREVE = {None: "ê", GRAVE: "è", ACUTE: "é", HOOK: "ú", TILDE: "ü", DOT: "ë"}  # breve + tone
VNI_TONED_I = {GRAVE: "ì", ACUTE: "í", HOOK: "æ", TILDE: "ó", DOT: "ò"}
VNI_PUNCTUATION = "“”‘’–—…¹²³"


def _vni_char(ch: str) -> str | None:
    if ch in "đĐ":
        return "ñ" if ch == "đ" else "Ñ"
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not marks:
        return ch if ch.isascii() or ch in VNI_PUNCTUATION else None
    if base.lower() not in "aeiouy":
        return None
    up = str.upper if base.isupper() else str
    tone = next((mark for mark in marks if mark in TONES), None)
    if "\u0302" in marks:
        return base + up(VNI_HAT[tone])
    if "\u0306" in marks:
        return base + up(VNI_BREVE[tone])
    if base.lower() == "i" and tone:
        return up(VNI_TONED_I[tone])
    if base.lower() == "y" and tone == DOT:
        return up("î")
    head = up({"o": "ô", "u": "ö"}[base.lower()]) if "\u031b" in marks else base
    return head + (up(VNI_TONE[tone]) if tone else "")


def vni_view(line: str) -> tuple[str, bool]:
    chars = [_vni_char(ch) for ch in line]
    return "".join(c if c is not None else "?" for c in chars), None not in chars


_CP1252_OR_C1 = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xA0)}


def _c1_cp1252(data: bytes) -> str:
    """Bytes read as Windows-1252 the way Windows does: undefined bytes become C1 controls."""
    return data.decode("latin-1").translate(_CP1252_OR_C1)


def _lines_encoder(encode_line, newline: bytes = b"\n"):
    """An encoder applying ``encode_line`` (line -> (bytes, ok)) to every line."""

    def encode(text: str) -> tuple[bytes, list[bool]]:
        pairs = [encode_line(line) for line in text.split("\n")]
        return newline.join(data for data, _ in pairs), [ok for _, ok in pairs]

    return encode


def _view_encoder(view, codec: str):
    """Legacy text as bytes: "tcvn3"/"vni" view, written in ``codec`` (cp1252 = the 8-bit file,
    utf-8 = the text copied out of Word into a UTF-8 file)."""

    def encode_line(line: str) -> tuple[bytes, bool]:
        shown, ok = view(line)
        return shown.encode(codec), ok

    return _lines_encoder(encode_line)


def _lossless(encode_text):
    def encode(text: str) -> tuple[bytes, list[bool]]:
        return encode_text(text), [True] * len(text.split("\n"))

    return encode


ALL, SOME = SEEDS, SEEDS[::2]  # SOME: 000 (has "⁽¹⁾" footnotes), 002, 004 — the slower repairs
ENCODINGS = [
    # (id, encoder, expected encoding, seeds, reason)
    ("utf-8-bom-crlf", _lossless(lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode()), "utf-8-sig", ALL,
     "Notepad's UTF-8 with BOM and Windows line ends"),
    ("cr-only", _lossless(lambda t: t.replace("\n", "\r").encode()), "utf-8", ALL, "old Mac line ends"),
    ("nfd", _lossless(lambda t: unicodedata.normalize("NFD", t).encode()), "utf-8", ALL,
     "decomposed diacritics (macOS, some converters) must come back as NFC"),
    ("utf-16-le-bom", _lossless(lambda t: "\ufeff".encode("utf-16-le") + t.encode("utf-16-le")), "utf-16", ALL,
     "Windows 'Unicode' text"),
    ("utf-16-be-bom", _lossless(lambda t: "\ufeff".encode("utf-16-be") + t.encode("utf-16-be")), "utf-16", ALL,
     "big-endian UTF-16"),
    ("utf-16-le-no-bom", _lossless(lambda t: t.encode("utf-16-le")), "utf-16", ALL,
     "UTF-16 whose BOM was lost: recognised by the zero bytes"),
    ("mojibake-cp1252", _lossless(lambda t: _c1_cp1252(t.encode()).encode()), "utf-8 (mojibake repaired)", ALL,
     "UTF-8 read as Windows-1252 and saved again as UTF-8: 'Nghá»‹ quyáº¿t'"),
    ("mojibake-latin1", _lossless(lambda t: t.encode().decode("latin-1").encode()), "utf-8 (mojibake repaired)",
     SOME, "the same through Latin-1 (C1 controls instead of Windows-1252 punctuation)"),
    ("mojibake-twice", _lossless(lambda t: _c1_cp1252(_c1_cp1252(t.encode()).encode()).encode()),
     "utf-8 (mojibake repaired)", SOME, "mangled twice over; repaired in two rounds"),
    # Lossy: Windows-1258, TCVN3 and VNI cannot write "⁽¹⁾" (and TCVN3 no toned capital such
    # as "Ủ" in "Ủy ban"); only the lines the encoding can represent are compared.
    ("cp1258-crlf", _lines_encoder(cp1258_line, b"\r\n"), "cp1258", ALL,
     "Windows-1258 with tones as combining marks, as Word saves 'Vietnamese (Windows)'"),
    ("tcvn3-bytes", _view_encoder(tcvn3_view, "cp1252"), "tcvn3", SOME, "a .VnTime document saved as plain text"),
    ("vni-bytes", _view_encoder(vni_view, "cp1252"), "vni", SOME, "a VNI-Times document saved as plain text"),
    ("tcvn3-as-utf8", _view_encoder(tcvn3_view, "utf-8"), "tcvn3", SOME,
     "TCVN3 text copied out of Word into a UTF-8 file: 'NghÞ quyÕt'"),
    ("vni-as-utf8", _view_encoder(vni_view, "utf-8"), "vni", SOME,
     "VNI text copied out of Word into a UTF-8 file: 'Nghò quyeát'"),
]


# --- PDF writer (fpdf2, DejaVu Sans: a Unicode TrueType font) -------------------------------
PDF_HEADER = "UBND TỈNH BÌNH PHƯỚC - Báo cáo công tác 6 tháng"


class ReportPDF(FPDF):
    """An A4 report with a running header and a page number in the footer."""

    def __init__(self, header: str | None = PDF_HEADER, footer: str | None = "Trang {n}"):
        super().__init__()
        self.header_text, self.footer_format = header, footer
        self.add_font("dejavu", fname=str(FONT))
        self.set_font("dejavu", size=11)

    def header(self):
        if self.header_text:
            self.set_font("dejavu", size=8)
            self.cell(0, 6, self.header_text, align="C")
            self.ln(8)
            self.set_font("dejavu", size=11)

    def footer(self):
        if self.footer_format:
            self.set_y(-12)
            self.set_font("dejavu", size=8)
            self.cell(0, 6, self.footer_format.format(n=self.page_no()), align="C")


def _text_pdf(paragraphs: list[str], **kwargs) -> ReportPDF:
    pdf = ReportPDF(**kwargs)
    pdf.add_page()
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
    return pdf


# --- text files ----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_seeds_load_as_utf8_unchanged(seed):
    """Detection must not misfire on real UTF-8 Vietnamese: text is exactly clean_text of the file."""
    loaded = load_text(seed)
    assert loaded == LoadedText(
        clean_text(seed.read_text(encoding="utf-8")), "txt", "utf-8", {}, loaded.warnings
    )
    assert not any("mojibake" in w or "TCVN3" in w or "VNI" in w for w in loaded.warnings)


@pytest.mark.parametrize(
    "name, encode, encoding, seed, reason",
    [(*row[:3], seed, row[4]) for row in ENCODINGS for seed in row[3]],
    ids=[f"{row[0]}-{seed.stem[:3]}" for row in ENCODINGS for seed in row[3]],
)
def test_encodings_round_trip(tmp_path, name, encode, encoding, seed, reason):
    text = seed_text(seed)
    data, representable = encode(text)
    path = tmp_path / f"{seed.stem}.{name}.txt"
    path.write_bytes(data)

    loaded = load_text(path)

    assert (loaded.format, loaded.encoding) == ("txt", encoding), reason
    got, want = loaded.text.split("\n"), text.split("\n")
    assert len(got) == len(want)
    if all(representable):
        assert loaded.text == text, reason
    else:
        kept = [i for i, ok in enumerate(representable) if ok]
        assert len(kept) >= 0.75 * len(want)  # most of the report is compared
        assert [got[i] for i in kept] == [want[i] for i in kept], reason


def test_warnings_say_what_was_done(tmp_path):
    text = seed_text(SEEDS[1])
    cases = {
        "cp1258.txt": (_lines_encoder(cp1258_line), "decoded as Windows-1258"),
        "moji.txt": (_lossless(lambda t: _c1_cp1252(t.encode()).encode()), "mojibake repaired"),
        "tcvn3.txt": (_view_encoder(tcvn3_view, "cp1252"), "converted from TCVN3"),
        "vni.txt": (_view_encoder(vni_view, "utf-8"), "VNI Windows characters converted"),
    }
    for name, (encode, expected) in cases.items():
        (tmp_path / name).write_bytes(encode(text)[0])
        assert any(expected in w for w in load_text(tmp_path / name).warnings), name


def test_tcvn3_restores_capitals_of_headings(tmp_path):
    """TCVN3 has no "Ể": a heading in capitals comes back in capitals, "Uỷ ban" stays as typed."""
    lines = ["KIỂM ĐIỂM CHỈ ĐẠO, ĐIỀU HÀNH CỦA UBND TỈNH", "BÁO CÁO TÌNH HÌNH KINH TẾ - XÃ HỘI", "Uỷ ban nhân dân tỉnh"]
    (tmp_path / "caps.txt").write_bytes("\r\n".join(tcvn3_view(l)[0] for l in lines).encode("cp1252"))
    assert load_text(tmp_path / "caps.txt").text.split("\n") == lines


def test_unaccented_text_loads_as_is(tmp_path):
    """Text typed without diacritics is plain ASCII: loaded unchanged, flagged in a warning."""
    text = "".join(unidecode(ch) for ch in seed_text(SEEDS[4]))
    (tmp_path / "khong-dau.txt").write_text(text, encoding="utf-8")
    loaded = load_text(tmp_path / "khong-dau.txt")
    assert (loaded.text, loaded.encoding) == (text, "utf-8")
    assert any("no diacritics" in w for w in loaded.warnings)


@pytest.mark.parametrize(
    "data, encoding, text, warning",
    [
        # a few broken bytes in a UTF-8 file: still UTF-8, the bad byte replaced
        ("Nghị quyết số 01/NQ-CP của Chính phủ về nhiệm vụ".encode() + b"\xff" + " tiếp tục thực hiện".encode(),
         "utf-8", "Nghị quyết số 01/NQ-CP của Chính phủ về nhiệm vụ\ufffd tiếp tục thực hiện", "invalid UTF-8"),
        # 8-bit text that is not Vietnamese: read as Windows-1258 (= Windows-1252 for these letters)
        ("Café crème, déjà vu".encode("cp1252"), "cp1258", "Café crème, déjà vu", "no Vietnamese recognised"),
        # Windows-1258 file with its undefined byte 0x8A: replaced, not an exception
        (cp1258_line("Nghị quyết số 01")[0] + b" \x8a", "cp1258", "Nghị quyết số 01 \ufffd", "replaced"),
        # UTF-32 with BOM
        ("\ufeffBáo cáo số 1".encode("utf-32-le"), "utf-32", "Báo cáo số 1", None),
        # form feed between pages (text exported from a PDF) ends a line; a stray NUL is dropped
        ("Trang 1\fTrang 2\x00".encode(), "utf-8", "Trang 1\nTrang 2", None),
    ],
    ids=["utf8-with-bad-byte", "western-8bit", "cp1258-undefined-byte", "utf-32-bom", "form-feed"],
)
def test_odd_text_files(tmp_path, data, encoding, text, warning):
    (tmp_path / "odd.txt").write_bytes(data)
    loaded = load_text(tmp_path / "odd.txt")
    assert (loaded.encoding, loaded.text) == (encoding, text)
    if warning:
        assert any(warning in w for w in loaded.warnings), loaded.warnings


# --- broken and unsupported files ------------------------------------------------------------------
def _zip_bytes(members: dict[str, bytes]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _image_only_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 80, style="F")  # a scanned page: drawing, no text layer
    return bytes(pdf.output())


def _encrypted_pdf() -> bytes:
    pdf = _text_pdf(["Báo cáo mật của UBND tỉnh."])
    pdf.set_encryption(owner_password="chu-so-huu", user_password="mat-khau")
    return bytes(pdf.output())


_JUNK = random.Random(1258).randbytes(4096)

BROKEN = [
    # (file name, content, max_bytes, expected message, reason)
    ("junk.txt", _JUNK, MAX_FILE_BYTES, "binary data, not text", "random bytes"),
    ("anh.txt", b"\x89PNG\r\n\x1a\n" + _JUNK, MAX_FILE_BYTES, "PNG image", "an image renamed .txt"),
    ("bao-cao.txt", b"%PDF-1.7\n" + _JUNK, MAX_FILE_BYTES, "the file is a PDF", "a PDF renamed .txt"),
    ("empty.txt", b"", MAX_FILE_BYTES, "empty file", "zero bytes"),
    ("blank.txt", b" \r\n\t\r\n", MAX_FILE_BYTES, "empty file", "only whitespace"),
    ("empty.docx", b"", MAX_FILE_BYTES, "empty file", "zero bytes, any format"),
    ("big.txt", "Báo cáo ".encode() * 200, 1000, "file is larger than 1000 bytes", "size checked before reading"),
    ("big.pdf", b"%PDF-1.4" + b" " * 2000, 1000, "file is larger than", "also for PDF"),
    ("bang.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", MAX_FILE_BYTES, "unsupported file type .xls", "Excel"),
    ("bao-cao", b"Bao cao", MAX_FILE_BYTES, "unsupported file type (no extension)", "no suffix"),
    ("ghi-chu.md", b"# Bao cao", MAX_FILE_BYTES, "unsupported file type .md", "markdown is not supported"),
    ("junk.docx", _JUNK, MAX_FILE_BYTES, "corrupt .docx (not a ZIP archive)", "random bytes named .docx"),
    ("cu.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _JUNK, MAX_FILE_BYTES, "old Word .doc", "a .doc renamed"),
    ("cut.docx", b"PK\x03\x04" + _JUNK[:100], MAX_FILE_BYTES, "corrupt .docx", "truncated ZIP"),
    ("other.docx", _zip_bytes({"readme.txt": b"hello"}), MAX_FILE_BYTES, "corrupt .docx",
     "a ZIP that is not a Word package"),
    ("bomb.docx", _zip_bytes({"word/document.xml": b" " * 3_000_000}), 100_000, "expands to more than",
     "a ZIP bomb is refused before decompressing"),
    ("junk.pdf", _JUNK, MAX_FILE_BYTES, "not a PDF file", "random bytes named .pdf"),
    ("cut.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", MAX_FILE_BYTES, "corrupt PDF", "truncated PDF"),
    ("scan.pdf", _image_only_pdf(), MAX_FILE_BYTES, "PDF has no text layer (scanned images; needs OCR)",
     "image-only PDF"),
    ("mat.pdf", _encrypted_pdf(), MAX_FILE_BYTES, "encrypted PDF (a password is needed to open it)",
     "a user password is set"),
]


@pytest.mark.parametrize("name, content, max_bytes, message, reason", BROKEN, ids=[row[0] for row in BROKEN])
def test_broken_files_raise_load_error(tmp_path, name, content, max_bytes, message, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError) as info:
        load_text(path, max_bytes=max_bytes)
    assert message in str(info.value), reason


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(LoadError, match="file not found"):
        load_text(tmp_path / "khong-co.txt")
    (tmp_path / "thu-muc.txt").mkdir()
    with pytest.raises(LoadError, match="not a file"):
        load_text(tmp_path / "thu-muc.txt")


def test_interface_constants():
    assert SUPPORTED_SUFFIXES == (".txt", ".docx", ".pdf", ".doc", ".html", ".htm")
    assert MAX_FILE_BYTES == 50 * 1024 * 1024
    assert issubclass(LoadError, Exception)


def test_suffix_is_case_insensitive(tmp_path):
    (tmp_path / "BAO-CAO.TXT").write_text("Báo cáo", encoding="utf-8")
    assert load_text(tmp_path / "BAO-CAO.TXT").text == "Báo cáo"


# --- .docx ---------------------------------------------------------------------------------------
_ROMAN = re.compile(r"[IVX]+\. ")
_NUMBERED = re.compile(r"\d+\. ")
_SUBNUMBERED = re.compile(r"\d+\.\d+\.? ")
TABLE = [
    ["STT", "Văn bản", "Nội dung"],
    ["1", "Nghị định số 04/2019/NĐ-CP ngày 11/01/2019", "Tiêu chuẩn, định mức sử dụng xe ô tô"],
    ["2", "Tổng hợp chung", None],  # merged across two columns: read once
    ["3", "Quyết định số 1234/QĐ-UBND", "Đã ban hành"],
    [None, "Kế hoạch số 266/KH-UBND", "Đang thực hiện"],  # first cell merged with the row above
]
TABLE_LINES = [
    "STT\tVăn bản\tNội dung",
    "1\tNghị định số 04/2019/NĐ-CP ngày 11/01/2019\tTiêu chuẩn, định mức sử dụng xe ô tô",
    "2\tTổng hợp chung",
    "3\tQuyết định số 1234/QĐ-UBND\tĐã ban hành",
    "\tKế hoạch số 266/KH-UBND\tĐang thực hiện",
]
NOTES = {  # w:id -> text; the body refers to 2 before 1, so 2 becomes [1]
    "1": "Nghị định số 15/2021/NĐ-CP ngày 03/3/2021 của Chính phủ.",
    "2": "Nghị quyết về nhiệm vụ, giải pháp chủ yếu năm 2020.",
}
ENDNOTE = "Số liệu ước tính đến ngày 31/10/2020."


def _notes_part(document, kind: str, notes: dict[str, str]) -> None:
    """Add word/footnotes.xml or word/endnotes.xml (python-docx cannot write notes itself)."""
    items = [
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>',
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>',
    ] + [
        f'<w:{kind} w:id="{note_id}"><w:p><w:r><w:{kind}Ref/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{kind}>'
        for note_id, text in notes.items()
    ]
    xml = f'<w:{kind}s xmlns:w="{W_NS}">{"".join(items)}</w:{kind}s>'
    content_type, reltype = (CT.WML_FOOTNOTES, RT.FOOTNOTES) if kind == "footnote" else (CT.WML_ENDNOTES, RT.ENDNOTES)
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, xml.encode(), document.part.package)
    document.part.relate_to(part, reltype)


def _note_reference(paragraph, kind: str, note_id: str) -> None:
    paragraph._p.append(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:{kind}Reference w:id="{note_id}"/></w:r>'))


def _heading_level(line: str) -> int | None:
    if line == "BÁO CÁO":
        return 0
    if _ROMAN.match(line):
        return 1
    if _SUBNUMBERED.match(line):
        return 3
    if _NUMBERED.match(line) and len(line) < 150:
        return 2
    return None


def build_report_docx(path: Path, text: str) -> tuple[list[str], dict[int, int]]:
    """A .docx of a seed: heading styles on "BÁO CÁO", "I.", "1.", "3.1" lines, the table after the
    first paragraph under a "1." heading, two footnotes and an endnote. Returns the expected lines
    and heading_lines."""
    document = docx.Document()
    lines: list[str] = []
    headings: dict[int, int] = {}
    table_done = notes_done = False
    after_heading = None  # level of the heading the last non-empty line was
    for line in text.split("\n"):
        level = _heading_level(line)
        if level is not None:
            document.add_heading(line, level)
            headings[len(lines) + 1] = level
            lines.append(line)
            after_heading = level
            continue
        if not notes_done and "Nghị quyết 01/NQ-CP" in line:
            # "… của Chính phủ[1]; Nghị quyết …[2] …[3]": references after their runs
            head, tail = line.split("Nghị quyết 01/NQ-CP", 1)
            paragraph = document.add_paragraph(head + "Nghị quyết 01/NQ-CP")
            _note_reference(paragraph, "footnote", "2")
            paragraph.add_run(" (xem thêm)")
            _note_reference(paragraph, "footnote", "1")
            _note_reference(paragraph, "endnote", "1")
            paragraph.add_run(tail)
            lines.append(head + "Nghị quyết 01/NQ-CP[1] (xem thêm)[2][3]" + tail)
            notes_done, after_heading = True, None
            continue
        document.add_paragraph(line)
        lines.append(line)
        if not line.strip():
            continue
        if not table_done and after_heading == 2:
            table = document.add_table(rows=len(TABLE), cols=3)
            for r, row in enumerate(TABLE):
                for c, value in enumerate(row):
                    if value is not None:
                        table.cell(r, c).text = value
            table.cell(2, 1).merge(table.cell(2, 2)).text = "Tổng hợp chung"
            table.cell(3, 0).merge(table.cell(4, 0)).text = "3"
            lines.extend(TABLE_LINES)
            table_done = True
        after_heading = None
    assert table_done and notes_done
    _notes_part(document, "footnote", NOTES)
    _notes_part(document, "endnote", {"1": ENDNOTE})
    document.save(path)
    return lines + ["", f"[1] {NOTES['2']}", f"[2] {NOTES['1']}", f"[3] {ENDNOTE}"], headings


@pytest.fixture(scope="module")
def report_docx(tmp_path_factory):
    """Seed 004 as a .docx: (expected lines, expected heading_lines, what load_text returned)."""
    path = tmp_path_factory.mktemp("docx") / "bao-cao.docx"
    lines, headings = build_report_docx(path, seed_text(SEEDS[4]))
    return lines, headings, load_text(path)


def test_docx_paragraphs_tables_and_notes_in_order(report_docx):
    lines, _, loaded = report_docx
    assert (loaded.format, loaded.encoding, loaded.warnings) == ("docx", None, [])
    assert loaded.text.split("\n") == lines


def test_docx_heading_lines_point_at_headings(report_docx):
    _, headings, loaded = report_docx
    assert loaded.heading_lines == headings
    assert {level for level in headings.values()} == {0, 1, 2, 3}
    text_lines = loaded.text.split("\n")
    assert text_lines[min(headings) - 1] == "BÁO CÁO"
    assert all(_heading_level(text_lines[n - 1]) == level for n, level in loaded.heading_lines.items())


def test_docx_table_stands_where_it_is_in_the_body(report_docx):
    """The table comes right after the paragraph under a "2." heading, where it stands in the body
    (not all paragraphs first, then all tables); a row holds the citation as one tab-separated line."""
    *_, loaded = report_docx
    text_lines = loaded.text.split("\n")
    first = text_lines.index(TABLE_LINES[0])
    before = [n for n in range(1, first + 1) if text_lines[n - 1].strip()]  # 1-based, non-empty
    assert loaded.heading_lines.get(before[-2]) == 2  # heading, paragraph, then the table
    assert text_lines[first + 1].split("\t")[1] == "Nghị định số 04/2019/NĐ-CP ngày 11/01/2019"


def test_docx_details(tmp_path):
    """Soft line breaks, tabs, an outline level set by hand, a heading with a line break, and text
    typed in the TCVN3 font ".VnTime" (stored as Windows-1252 characters in the XML)."""
    document = docx.Document()
    heading = document.add_heading("", 1)
    heading.add_run("PHẦN I")
    heading.add_run().add_break()
    heading.add_run("TÌNH HÌNH KINH TẾ")
    document.add_paragraph("Dòng một\nDòng hai\tcột")
    outlined = document.add_paragraph("Mục do người dùng định dạng")
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl xmlns:w="{W_NS}" w:val="1"/>'))
    body_level = document.add_paragraph("Đoạn văn có outlineLvl 9 là thân bài")
    body_level._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl xmlns:w="{W_NS}" w:val="9"/>'))
    document.add_paragraph(tcvn3_view("Thực hiện Nghị quyết số 01/NQ-CP của Chính phủ về nhiệm vụ")[0])
    document.save(tmp_path / "chi-tiet.docx")

    loaded = load_text(tmp_path / "chi-tiet.docx")

    assert loaded.text.split("\n") == [
        "PHẦN I TÌNH HÌNH KINH TẾ",  # a heading stays one line
        "Dòng một",
        "Dòng hai\tcột",
        "Mục do người dùng định dạng",
        "Đoạn văn có outlineLvl 9 là thân bài",
        "Thực hiện Nghị quyết số 01/NQ-CP của Chính phủ về nhiệm vụ",
    ]
    assert loaded.heading_lines == {1: 1, 4: 2}
    assert any("TCVN3" in w for w in loaded.warnings)


def test_docx_without_text(tmp_path):
    document = docx.Document()
    document.add_paragraph("")
    document.save(tmp_path / "trong.docx")
    with pytest.raises(LoadError, match="no text in the .docx file"):
        load_text(tmp_path / "trong.docx")


# --- .pdf ---------------------------------------------------------------------------------------------
def _paragraphs(text: str) -> list[str]:
    return [squash(line) for line in text.split("\n") if line.strip()]


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory):
    """Most of seed 001 as a 5-page justified PDF with header and "Trang N" footer."""
    paragraphs = _paragraphs(seed_text(SEEDS[1]))[:50]
    path = tmp_path_factory.mktemp("pdf") / "bao-cao.pdf"
    pdf = _text_pdf(paragraphs)
    pdf.output(str(path))
    assert pdf.page_no() >= 5
    return path, paragraphs, load_text(path)


def test_pdf_text_is_the_report_without_headers_and_page_numbers(report_pdf):
    path, paragraphs, loaded = report_pdf
    assert (loaded.format, loaded.encoding, loaded.heading_lines) == ("pdf", None, {})
    assert squash(loaded.text) == squash(" ".join(paragraphs))  # every word, diacritics intact
    assert loaded.text == unicodedata.normalize("NFC", loaded.text)
    assert PDF_HEADER not in loaded.text
    assert not re.search(r"Trang \d", loaded.text)


def _line_starts(lines: list[str]) -> list[int]:
    """Word offsets at which each line starts."""
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line.split())
    return starts


def test_pdf_lines_come_back_as_paragraphs(report_pdf):
    """Wrapped lines are joined into paragraphs. A paragraph boundary of the source may vanish only
    where the source itself broke a sentence (no sentence end, next line in lower case); the PDF
    may leave a few extra breaks (after a sentence end, nothing tells a wrap from a new paragraph)."""
    _, paragraphs, loaded = report_pdf
    got = loaded.text.split("\n")
    source_starts, got_starts = _line_starts(paragraphs), set(_line_starts(got))
    for index, start in enumerate(source_starts[1:], 1):
        if start not in got_starts:
            previous, line = paragraphs[index - 1], paragraphs[index]
            assert not re.search(r"[.!?…:][”)*]*$", previous) and line[0].islower(), (previous, line)
    extra = got_starts - set(source_starts)
    assert len(extra) <= 0.15 * len(paragraphs)
    assert len(got) <= 1.15 * len(paragraphs)


def test_pdf_sentence_broken_across_a_page(tmp_path):
    sentence = (
        "Ủy ban nhân dân tỉnh đã ban hành Kế hoạch số 266/KH-UBND ngày 20/01/2020 để triển khai thực hiện "
        "Nghị quyết số 01/NQ-CP ngày 01/01/2020 của Chính phủ và tích cực chỉ đạo, điều hành bám sát các "
        "nhiệm vụ trọng tâm năm 2020, các nội dung quan trọng, cấp bách của tỉnh và giải quyết kịp thời "
        "những khó khăn, vướng mắc phát sinh trong quá trình thực hiện."
    )
    pdf = ReportPDF()
    pdf.add_page()
    pdf.multi_cell(0, 6, "I. TÌNH HÌNH CHUNG", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(pdf.page_break_trigger - 12)  # room for two lines: the sentence goes on over the page
    pdf.multi_cell(0, 6, sentence, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "1. Kết quả đạt được", new_x="LMARGIN", new_y="NEXT")
    assert pdf.page_no() == 2
    pdf.output(str(tmp_path / "ngat-trang.pdf"))

    assert load_text(tmp_path / "ngat-trang.pdf").text.split("\n") == [
        "I. TÌNH HÌNH CHUNG",
        sentence,
        "1. Kết quả đạt được",
    ]


@pytest.mark.parametrize(
    "footer",
    ["Trang {n}", "- {n} -", "{n}", "{n}/{{nb}}", "Page {n} of {{nb}}"],
    ids=["trang-n", "dash-n-dash", "lone-number", "n-of-total", "page-n-of-total"],
)
def test_pdf_page_number_styles(tmp_path, footer):
    paragraphs = [
        "Tăng trưởng kinh tế ước đạt 6,4%, cao hơn bình quân cả nước.",
        "Thu ngân sách nhà nước đạt 43,8% dự toán năm.",
        "Giải ngân vốn đầu tư công đạt 55% kế hoạch.",
    ]
    pdf = ReportPDF(header=None, footer=footer)
    for paragraph in paragraphs:
        pdf.add_page()
        pdf.multi_cell(0, 6, paragraph)
    pdf.output(str(tmp_path / "so-trang.pdf"))
    assert load_text(tmp_path / "so-trang.pdf").text.split("\n") == paragraphs


def test_pdf_decomposed_text_comes_back_composed(tmp_path):
    """The case that decided for pypdf: glyphs for combining marks (NFD text in the PDF)."""
    paragraphs = _paragraphs(seed_text(SEEDS[3]))[:12]
    pdf = _text_pdf([unicodedata.normalize("NFD", p) for p in paragraphs], header=None, footer=None)
    pdf.output(str(tmp_path / "nfd.pdf"))
    assert squash(load_text(tmp_path / "nfd.pdf").text) == squash(" ".join(paragraphs))


def test_pdf_partly_scanned_and_owner_encrypted(tmp_path):
    pdf = _text_pdf(["Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2020."], header=None, footer=None)
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")  # page 2 is a scan
    pdf.set_encryption(owner_password="chu-so-huu")  # restrictions only: opens without a password
    pdf.output(str(tmp_path / "mot-phan.pdf"))
    loaded = load_text(tmp_path / "mot-phan.pdf")
    assert loaded.text == "Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2020."
    assert any("no text layer on page(s) 2" in w for w in loaded.warnings)
    assert any("encrypted" in w for w in loaded.warnings)


# --- searchsvc.legacy: tables and detection -----------------------------------------------------------
@pytest.mark.parametrize(
    "decode, legacy, unicode, reason",
    [
        (decode_tcvn3, "B¶o Th¾ng, M\xadêng Kh\xad¬ng, B¸t X¸t", "Bảo Thắng, Mường Khương, Bát Xát",
         "place names from a public TCVN3 converter's README"),
        (decode_tcvn3, "NghÞ quyÕt sè 01/NQ-CP cña ChÝnh phñ", "Nghị quyết số 01/NQ-CP của Chính phủ", "ị ế ố ủ í"),
        (decode_tcvn3, "§¨ng ký, ¡, ¢, £, ¤, ¥, ¦", "Đăng ký, Ă, Â, Ê, Ô, Ơ, Ư", "the seven capitals TCVN3 has"),
        (decode_vni, "Xin chaøo caùc baïn", "Xin chào các bạn", "a public VNI converter's README"),
        (decode_vni, "Nghò quyeát soá 01/NQ-CP cuûa Chính phuû", "Nghị quyết số 01/NQ-CP của Chính phủ",
         "the brief's example"),
        (decode_vni, "ÑAÊNG KYÙ, Ñaêng kyù, öôùc, ÖÔÙC, khuyûu, yù", "ĐĂNG KÝ, Đăng ký, ước, ƯỚC, khuỷu, ý",
         "capitals, breve, horn pairs"),
    ],
)
def test_legacy_known_answers(decode, legacy, unicode, reason):
    assert decode(legacy.encode("cp1252")) == unicode, reason


def test_legacy_tables_cover_every_vietnamese_letter():
    """All 134 toned/modified letters plus đ/Đ round-trip through both test encoders."""
    letters = [
        unicodedata.normalize("NFC", base + mark + tone)
        for base in "aeiouyAEIOUY"
        for mark in ("", "\u0302", "\u0306", "\u031b")
        for tone in ("", *TONES)
        if (mark, base.lower()) in {("", b) for b in "aeiouy"} | {("\u0302", b) for b in "aeo"}
        | {("\u0306", "a"), ("\u031b", "o"), ("\u031b", "u")}
    ] + ["đ", "Đ"]
    letters = [ch for ch in letters if not ch.isascii()]
    assert len(letters) == 134
    for ch in letters:
        assert decode_vni(vni_view(ch)[0].encode("cp1252")) == ch
        assert decode_tcvn3(tcvn3_view(ch)[0].encode("cp1252")) in (ch, ch.lower())


@pytest.mark.parametrize(
    "word, valid",
    [
        ("Nghị", True), ("quyết", True), ("KHUỶU", True), ("giữ", True), ("thuở", True), ("hoà", True),
        ("NghÞ", False),  # TCVN3 read as Windows-1252
        ("quyeát", False),  # VNI read as Windows-1252
        ("ngho", False),  # "ngh" only before e, ê, i
        ("viềt", False),  # a stop final takes only sắc or nặng
        ("ă", False),  # needs a final
        ("Ä‘", False),  # mojibake of "đ"
    ],
)
def test_is_vietnamese_syllable(word, valid):
    assert is_vietnamese_syllable(word) is valid


def test_restore_tcvn3_capitals():
    assert restore_tcvn3_capitals("KIểM ĐIểM CHỉ ĐạO\nSố: /BC-UBND\nUỷ ban TỉNH") == (
        "KIỂM ĐIỂM CHỈ ĐẠO\nSố: /BC-UBND\nUỷ ban TỈNH"
    )


def test_repair_text_touches_only_broken_lines():
    """A real Unicode line is never converted; mixed documents are repaired line by line."""
    text = "Nghị quyết số 01/NQ-CP\nNghÞ quyÕt sè 02/NQ-CP cña ChÝnh phñ\nBáo cáo tóm tắt"
    repaired = repair_text(text)
    # "Báo cáo" read as TCVN3 would be "Bỏo cỏo": worse, so the line stays
    assert repaired.text == "Nghị quyết số 01/NQ-CP\nNghị quyết số 02/NQ-CP của Chính phủ\nBáo cáo tóm tắt"
    assert (repaired.kind, repaired.lines_changed) == ("tcvn3", 1)
    assert repair_text("Báo cáo kết quả").kind is None
    assert repair_text("plain ASCII").text == "plain ASCII"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (cp1258_line("Nghị quyết số 01 của Chính phủ về nhiệm vụ")[0], "cp1258"),
        (tcvn3_view("Nghị quyết số 01 của Chính phủ về nhiệm vụ")[0].encode("cp1252"), "tcvn3"),
        (vni_view("Nghị quyết số 01 của Chính phủ về nhiệm vụ")[0].encode("cp1252"), "vni"),
    ],
    ids=["cp1258", "tcvn3", "vni"],
)
def test_decode_bytes_chooses_by_valid_words(data, encoding):
    text, chosen, _ = decode_bytes(data)
    assert (text, chosen) == ("Nghị quyết số 01 của Chính phủ về nhiệm vụ", encoding)
    assert vietnamese_score(text) == 9  # nine words with diacritics, all valid


# --- Word auto-numbering (issue 13): the label lives in numbering.xml, not in the text ------------------
def _numbered_docx(path: Path) -> None:
    """Headings numbered by a multi-level list "I." > "1." > "a)" defined in numbering.xml."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>'
        '</w:abstractNum>'
    ))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in [(0, "KẾT QUẢ ĐẠT ĐƯỢC"), (1, "Về kinh tế"), (2, "Nông nghiệp tăng 3%"), (2, "Công nghiệp"),
                        (1, "Về xã hội"), (0, "NHIỆM VỤ NĂM 2021"), (1, "Tiếp tục thực hiện Nghị quyết số 84/NQ-CP")]:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
        ))
    document.add_paragraph("Mục tiêu chung", style="List Number")  # numbered through its style
    document.save(str(path))


def test_word_auto_numbering_labels(tmp_path):
    _numbered_docx(tmp_path / "so-tu-dong.docx")
    lines = load_text(tmp_path / "so-tu-dong.docx").text.split("\n")
    assert lines == [
        "I. KẾT QUẢ ĐẠT ĐƯỢC", "1. Về kinh tế", "a) Nông nghiệp tăng 3%", "b) Công nghiệp", "2. Về xã hội",
        "II. NHIỆM VỤ NĂM 2021", "1. Tiếp tục thực hiện Nghị quyết số 84/NQ-CP", "1. Mục tiêu chung",
    ]


@pytest.mark.parametrize(
    "number, fmt, label",
    [(4, "upperRoman", "IV"), (9, "lowerRoman", "ix"), (5, "lowerLetter", "đ"),  # Vietnamese lists: a b c d đ
     (6, "lowerLetter", "e"), (3, "decimalZero", "03"), (12, "decimal", "12"), (2, "upperLetter", "B")],
)
def test_word_number_formats(number, fmt, label):
    from searchsvc.wordnumbering import format_number

    assert format_number(number, fmt) == label
