"""The header block of an administrative document: issuing agency, own number, genre, place and date.

DOMAIN.md: every office document opens with the agency (left, in capitals: "UBND TỈNH LÂM ĐỒNG /
SỞ NỘI VỤ"), the national motto (right), "Số: 181/BC-SNV" under the agency, the place-date line
("Lâm Đồng, ngày 05 tháng 11 năm 2025") and the genre in capitals ("BÁO CÁO", "QUYẾT ĐỊNH") or a
"V/v …" subject for an official letter. Loaders deliver it in several shapes: a .docx table row
joined by a tab, PDF lines in reading order, the header printed after page 1's footnote (pypdf),
OCR lines that merge both columns. These functions look for each piece by its form, not by place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import fold, fold_aligned
from .patterns import ISSUER_CODES, TYPE_ABBREVIATIONS, canonical_code

__all__ = ["Header", "read_header", "issuer_name", "DOC_TYPES"]

# The genre of a document, as printed in capitals above its title (folded -> canonical).
DOC_TYPES = {
    fold(name): name
    for name in (
        "Báo cáo", "Kế hoạch", "Quyết định", "Chỉ thị", "Công văn", "Tờ trình", "Thông báo", "Nghị quyết",
        "Chương trình", "Đề án", "Phương án", "Hướng dẫn", "Quy chế", "Quy định", "Công điện", "Kết luận",
        "Thông tư", "Nghị định", "Giấy mời",
    )
}
_GENRE_LINE = re.compile(rf"^[\W_]*(?P<genre>{'|'.join(sorted(DOC_TYPES, key=len, reverse=True))})\b")
# "Số: 181/BC-SNV", "Số:    /BC-UBND" (blank), OCR "Số: 1#Œ/QĐ-UBND" (unreadable handwriting)
_OWN_NUMBER = re.compile(
    r"(?<!\w)so\s*:\s*(?P<num>[^\s/]{0,8}?)\s*/\s*(?P<sym>[^\W_](?:[^\W_]|&)*(?:[-.](?:[^\W_]|&)+)*(?:\([^\W_]+\))?)"
)
_PLACE_DATE = re.compile(
    r"(?P<place>[^\W\d][^,\n\t]{1,40}),\s*ngay\s*(?P<d>\d{1,2})?[^\n\d]{0,6}?thang\s*(?P<m>\d{1,2})?[^\n\d]{0,6}?nam\s*(?P<y>(?:19|20)\d\d)"
)
_MOTTO = re.compile(r"cong hoa|xa hoi chu nghia|doc lap|tu do\s*[-–]|hanh phuc")
# Words that open a new unit in the agency block ("UBND TỈNH LÂM ĐỒNG SỞ NỘI VỤ" is two units).
_UNIT_HEAD = re.compile(
    r"(?<!\w)(?:uy ban nhan dan|ubnd|so|ban|trung tam|hoi dong|van phong|cong an|bo|cuc|chi cuc|thu tuong|chinh phu)(?!\w)"
)
_SUB_UNIT = re.compile(r"^(?:van phong|phong|to|bo phan)\b")  # a unit named only within its parent
_LOCALITY = re.compile(r"(?<!\w)(?:tinh|thanh pho|tp)(?!\w)")
_HEAD_LINES = 160  # pypdf may print the header after a long first-page footnote (DOMAIN.md)


@dataclass
class Header:
    doc_number: str | None  # "181/BC-SNV"; None when blank
    own_symbol: str | None  # "BC-SNV" even when the number is blank
    own_span: tuple[int, int] | None  # span of "Số: …" in the text: not a citation
    doc_type: str | None
    agency: list[str]  # units of the agency block, outermost first, as printed
    place: str | None
    day: int | None
    month: int | None
    year: int | None


def _left_cell(line: str) -> str:
    return line.split("\t")[0]


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _agency(lines: list[str], number_line: int, before_number: str) -> list[str]:
    """The run of capital lines ending at the "Số:" line, motto and stamps left out, split in units."""
    parts = [before_number] if before_number.strip() else []
    for line in reversed(lines[max(0, number_line - 6) : number_line]):
        cell = _left_cell(line)
        folded = fold_aligned(cell)
        motto = _MOTTO.search(folded)
        if motto:
            cell = cell[: motto.start()]
        cell = cell.strip(" _.-—|")
        if not cell:
            if motto:
                continue
            break
        if not _is_caps(cell) or re.search(r"[;:@]", cell):
            break
        parts.insert(0, cell)
    text = " ".join(" ".join(parts).split())
    folded = fold_aligned(text)
    heads = [m for m in _UNIT_HEAD.finditer(folded) if m.group() != "so" or text[m.start() : m.end()].upper() == "SỞ"]
    # "VĂN PHÒNG UBND", "BỘ CÔNG AN", "THỦ TƯỚNG CHÍNH PHỦ" are one unit: a head right after another
    cuts = [0] + [b.start() for a, b in zip(heads, heads[1:]) if folded[a.end() : b.start()].strip()]
    if heads and heads[0].start() > 0 and folded[: heads[0].start()].strip():
        cuts.append(heads[0].start())
    cuts = sorted(set(cuts))
    return [text[a:b].strip(" ,") for a, b in zip(cuts, cuts[1:] + [len(text)]) if text[a:b].strip(" ,")]


def read_header(text: str) -> Header:
    lines = text.split("\n")[:_HEAD_LINES]
    head = "\n".join(lines)
    folded = fold_aligned(head)
    own = next((m for m in _OWN_NUMBER.finditer(folded) if _at_header_place(head, m.start())), None)
    doc_number = own_symbol = own_span = None
    agency: list[str] = []
    if own:
        symbol = head[own.start("sym") : own.end("sym")]
        own_symbol = _canonical_symbol(symbol)
        number = own.group("num")
        if re.fullmatch(r"0*[1-9]\d{0,4}", number):  # "0" is a misread handwritten number
            doc_number = f"{number}/{own_symbol}"
        own_span = (own.start(), own.end())
        number_line = head.count("\n", 0, own.start())
        line_start = head.rfind("\n", 0, own.start()) + 1
        agency = _agency(lines, number_line, _left_cell(head[line_start : own.start()]))
    place_date = _PLACE_DATE.search(folded)
    place = day = month = year = None
    if place_date:
        place = head[place_date.start("place") : place_date.end("place")]
        day = int(place_date.group("d")) if place_date.group("d") else None
        month = int(place_date.group("m")) if place_date.group("m") else None
        year = int(place_date.group("y"))
    return Header(doc_number, own_symbol, own_span, _doc_type(lines, own_symbol), agency, place, day, month, year)


def _at_header_place(head: str, start: int) -> bool:
    """ "Số:" with a capital S, opening a line or a table cell or right after the agency in
    capitals ("TỈNH LÂM ĐỒNG Số: …"); "các Chỉ thị số: 15/CT-TTg" in the body is a list."""
    if head[start] != "S":
        return False
    before = head[max(0, start - 40) : start].split("\n")[-1].split("\t")[-1]
    return not before.strip() or _is_caps(before)


def _canonical_symbol(symbol: str) -> str:
    out, last = [], 0
    for part in re.finditer(r"(?:[^\W_]|&)+", symbol):
        out.append(symbol[last : part.start()])
        out.append(canonical_code(part.group()))
        last = part.end()
    return "".join(out) + symbol[last:]


def _doc_type(lines: list[str], own_symbol: str | None) -> str | None:
    """The genre: the type abbreviation of the own symbol ("BC-SNV"), else the genre line in
    capitals ("TỜ TRÌNH"), else an official letter when the symbol names only the issuer
    ("UBND-NC", "BTP-BTTP") or a "V/v" subject is given."""
    if own_symbol:
        first = re.split(r"[-.(]", own_symbol)[0]
        for abbreviation, name in TYPE_ABBREVIATIONS.items():
            if first == abbreviation and fold(name) in DOC_TYPES:
                return name
    for line in lines[:60]:
        cell = line.strip()
        genre = _GENRE_LINE.match(fold_aligned(cell))
        if genre and _is_caps(cell[: genre.end()]) and len(cell) < 60:
            return DOC_TYPES[genre.group("genre")]
    if own_symbol and (re.split(r"[-.(]", own_symbol)[0] in ISSUER_CODES or "-" in own_symbol):
        return "Công văn"
    if any(re.match(r"\s*\(?V/v\b", line) for line in lines[:40]):
        return "Công văn"
    return None


def issuer_name(agency: list[str], province: str | None, doc_type: str | None, text: str) -> str | None:
    """Who issues the document: the last unit of the agency block, named within its parent
    ("Sở Nội vụ tỉnh Lâm Đồng", "Văn phòng thường trực Ban Chỉ huy PCTT và TKCN tỉnh …"); the
    Chủ tịch of a People's Committee when the decision is issued in that name or it is a Chỉ thị."""
    if not agency:
        return None
    units = [_readable(unit, province) for unit in agency]
    name = units[-1]
    folded = fold(name).lower()
    if _SUB_UNIT.match(folded) and not _LOCALITY.search(folded) and len(units) > 1:
        name = f"{name} {units[-2]}"
        folded = fold(name).lower()
    people_committee = folded.replace(" ", "").startswith(("uybannhandan", "ubnd"))
    if people_committee:
        name = "Ủy ban nhân dân " + (f"tỉnh {province}" if province else name.split(" ", 3)[-1])
        authority = re.search(r"(?m)^\s*CHỦ TỊCH (?:ỦY|UỶ) BAN NHÂN DÂN", text[:4000])
        if authority or doc_type == "Chỉ thị":
            name = "Chủ tịch " + name
        return name
    if province and folded.endswith(("tinh", "thanh pho")):
        return f"{name} {province}"
    if province and not _LOCALITY.search(folded) and not folded.startswith(("bo ", "thu tuong", "chinh phu")):
        parent = fold(" ".join(units[:-1])).lower()
        if len(units) == 1 or "uy ban nhan dan" in parent or "ubnd" in parent:
            return f"{name} tỉnh {province}"
        return f"{name} {units[-2]}"
    return name


def _readable(unit: str, province: str | None) -> str:
    """ "SỞ NỘI VỤ" -> "Sở nội vụ"-like display form: first word capitalised, abbreviations kept."""
    words = []
    for i, word in enumerate(unit.split()):
        plain = fold(word).upper()
        keep = word.isupper() and (len(plain) > 2 and plain in ISSUER_CODES or not re.search(r"[AEIOUY]", plain) or "&" in word)
        words.append(word if keep else (word.capitalize() if i == 0 else word.lower()))
    head = _UNIT_HEAD.match(fold(" ".join(words)).lower())
    named = len(head.group().split()) if head else None  # "Sở Tư pháp", "Ban Chỉ đạo": the name is capitalised
    if named is not None and named < len(words) and fold(words[named]).lower() not in ("tinh", "thanh", "huyen", "xa", "tp"):
        words[named] = words[named][:1].upper() + words[named][1:]
    readable = " ".join(words)
    if province:
        readable = re.sub(re.escape(province), province, readable, flags=re.IGNORECASE)
    return readable
