"""Report metadata from the text: title, province, year, period, signing date, number, issuer.

DOMAIN.md: the province is often only in the place-date line, the title or the body; the year a
report is about and the date it was signed can differ.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .citations import iso_date
from .normalize import fold, fold_aligned
from .header import DOC_TYPES, issuer_name, read_header
from .patterns import ISSUER_CODES, canonical_code

__all__ = ["Metadata", "read_metadata", "PROVINCES", "PERIODS"]

PROVINCES = [
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
    "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An",
    "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế", "Tiền Giang",
    "Thành phố Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
]
# Other spellings of a name (folded): TP. HCM, TP.HCM, Thành phố Hồ Chí Minh; Bà Rịa-Vũng Tàu.
_ALIASES = {
    "ba ria vung tau": "Bà Rịa - Vũng Tàu",
    "ho chi minh": "Thành phố Hồ Chí Minh",
    "hcm": "Thành phố Hồ Chí Minh",
    "tp hcm": "Thành phố Hồ Chí Minh",
    "tp.hcm": "Thành phố Hồ Chí Minh",
    "tp. hcm": "Thành phố Hồ Chí Minh",
    "tp ho chi minh": "Thành phố Hồ Chí Minh",
    "tp. ho chi minh": "Thành phố Hồ Chí Minh",
    "thanh pho ho chi minh": "Thành phố Hồ Chí Minh",
}
_PROVINCE_BY_FOLD = {fold(p): p for p in PROVINCES} | _ALIASES
_PROVINCE_ALTERNATION = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(_PROVINCE_BY_FOLD, key=len, reverse=True))
# "tỉnh Bắc Giang", "UBND tỉnh Hà Tĩnh" (folded text); "thành phố Hà Tĩnh" is a city, not the province
_PROVINCE_IN_BODY = re.compile(rf"(?<!\w)(?:tinh|thanh pho truc thuoc trung uong)\s+({_PROVINCE_ALTERNATION})(?!\w)")
# In the agency block a centrally-run city is "THÀNH PHỐ HÀ NỘI", "TP. HỒ CHÍ MINH", "UBND TP.HCM".
_PROVINCE_IN_AGENCY = re.compile(rf"(?<!\w)(?:tinh|thanh pho|tp\.?)\s*({_PROVINCE_ALTERNATION})(?!\w)|(?<!\w)(tp\.?\s*hcm|thanh pho ho chi minh)(?!\w)")
# Bodies of the state and the Party that belong to no province.
_CENTRAL = re.compile(r"^(?:bo|thu tuong|chinh phu|van phong chinh phu|quoc hoi|ban chap hanh trung uong|ngan hang nha nuoc)\b")
_ANNEX_DATE = re.compile(
    r"kem theo (?:bao cao|bc)\s+so\s*(?P<num>\d+)\s*/\s*(?P<sym>[\w-]+)\s*,?\s*ngay\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# Years that are a horizon or a term, not the year a document is about: "đến năm 2030",
# "giai đoạn 2021 - 2025", "nhiệm kỳ 2025 - 2030", "tầm nhìn 2045".
_HORIZON = re.compile(r"(?:den|toi|tam nhin|giai doan|nhiem ky|khoa)\s+(?:nam\s+)?(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?")

# Periods a report reviews, in the words of DOMAIN.md; matched on folded text.
PERIODS = [
    ("6 tháng đầu năm", r"6 thang dau nam|sau thang dau nam"),
    ("6 tháng cuối năm", r"6 thang cuoi nam"),
    ("9 tháng", r"9 thang"),
    ("quý IV", r"quy iv\b|quy 4\b"),
    ("quý III", r"quy iii\b|quy 3\b"),
    ("quý II", r"quy ii\b|quy 2\b"),
    ("quý I", r"quy i\b|quy 1\b"),
    ("tháng", r"\bthang (\d{1,2})\b"),  # "tháng 8", "tháng 8 năm 2025" -> "tháng 8"
    ("năm", r"\bnam (?:19|20)\d\d"),
]


@dataclass
class Metadata:
    title: str
    province: str | None
    year: int | None
    period: str | None
    report_date: str | None
    doc_number: str | None
    issuer: str | None
    title_lines: tuple[int, int] | None  # 0-based first and last line of the title block
    doc_type: str | None = None  # the genre of the document itself: "Báo cáo", "Quyết định", …
    own_span: tuple[int, int] | None = None  # "Số: 123/BC-UBND" in the text: not a citation


def _strip_markup(line: str) -> str:
    return line.replace("**", "").replace("__", "").strip().strip("*").strip()


_GENRE_WORD = re.compile(rf"^\W*(?:{'|'.join(sorted(DOC_TYPES, key=len, reverse=True))})\b")
_SUBJECT = re.compile(r"^\W*v/v\b")
# The authority line of a decision, after its title: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
_AUTHORITY = re.compile(r"^(?:CHỦ TỊCH|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|TRƯỞNG BAN|GIÁM ĐỐC|BỘ TRƯỞNG|THỦ TƯỚNG)\b")


def _title_block(lines: list[str]) -> tuple[str, tuple[int, int] | None]:
    """The lines after the genre line ("BÁO CÁO", "QUYẾT ĐỊNH" …) up to the body, or an official
    letter's "V/v …" subject: "Kiểm điểm công tác chỉ đạo, điều hành …"."""
    for index, line in enumerate(lines[:40]):
        folded = fold_aligned(_strip_markup(line))
        if _SUBJECT.match(folded):
            return _strip_markup(line).lstrip("(").strip(" ;,)"), (index, index)
        genre = _GENRE_WORD.match(folded)
        if not genre or not _strip_markup(line)[: genre.end()].isupper() or len(line.strip()) > 60:
            continue
        parts, last, i = [], index, index + 1
        while i < len(lines) and not lines[i].strip():  # "BÁO CÁO", blank line, title
            i += 1
        while i < len(lines):
            text = _strip_markup(lines[i])
            if not text:
                following = next((l.strip() for l in lines[i + 1 : i + 3] if l.strip()), "")
                if following[:1].islower():  # the title goes on after a blank line
                    i += 1
                    continue
                break
            if len(text) > 400 or text.startswith(("(", "Kính gửi", "Căn cứ", "Thực hiện")) or _looks_like_heading(text) or _AUTHORITY.match(text):
                break
            parts.append(text)
            last = i
            i += 1
        if parts:
            return re.sub(r"\s+", " ", " ".join(parts)).strip(" ;,"), (index, last)
    first = next((_strip_markup(l) for l in lines if l.strip()), "")
    return first[:200], None


def _looks_like_heading(text: str) -> bool:
    return bool(re.match(r"^(?:Phần|PHẦN|[A-Z]\.|[IVX]+\.|\d{1,2}\.|Điều \d)\s", text))


def _province_named(folded: str) -> str | None:
    match = _PROVINCE_IN_AGENCY.search(folded)
    if not match:
        return None
    name = re.sub(r"\s+", " ", match.group(1) or match.group(2))
    return _PROVINCE_BY_FOLD.get(name) or _PROVINCE_BY_FOLD.get(name.replace(".", ". ").replace("  ", " "))


def _province(text: str, agency: list[str], place: str | None, own_symbol: str | None = None) -> str | None:
    """The agency block names it ("UBND TỈNH LÂM ĐỒNG"), else the place-date line, else the body;
    a ministry or the Prime Minister belongs to no province, wherever it signs."""
    folded_agency = fold(" ".join(agency)).lower()
    named = _province_named(folded_agency)
    if named:
        return named
    if agency and _CENTRAL.match(folded_agency):
        return None
    issuing = re.split(r"[-.(]", own_symbol or "")[0]  # "BTP-BTTP": a ministry's letter, signed in Hà Nội
    if _CENTRAL.match(fold(ISSUER_CODES.get(issuing, "")).lower()) or issuing in ("TTg", "CP"):
        return None
    if place:
        tail = re.search(rf"(?:{_PROVINCE_ALTERNATION})\s*$", fold(place).strip())
        if tail:
            return _PROVINCE_BY_FOLD[re.sub(r"\s+", " ", tail.group())]
    counts = Counter(re.sub(r"\s+", " ", m.group(1)) for m in _PROVINCE_IN_BODY.finditer(fold(text)))
    if not counts:
        return None
    return _PROVINCE_BY_FOLD[counts.most_common(1)[0][0]]


def _period(title: str) -> str | None:
    folded = _HORIZON.sub(" ", fold(title))
    best: tuple[int, str] | None = None
    for name, pattern in PERIODS[:-1]:
        match = re.search(pattern, folded)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), f"{name} {int(match.group(1))}" if match.groups() else name)
    if best:
        return best[1]
    return "năm" if re.search(PERIODS[-1][1], folded) else None


def read_metadata(text: str) -> Metadata:
    """Metadata of a report text (NFC).

    The year is the first year named in the title that is not a horizon (the year reviewed:
    "… năm 2020 và nhiệm vụ năm 2021" is about 2020; "đến năm 2030" is no year of the report),
    else the signing year, else the most frequent year in the text.
    """
    lines = text.split("\n")
    title, title_lines = _title_block(lines)
    header = read_header(text)
    folded = fold_aligned(text)
    # an annex line "(Kèm theo Báo cáo số 165 /BC-UBND ngày 01/7/2020)"; garbled ones come first
    annexes = sorted(_ANNEX_DATE.finditer(folded), key=lambda m: not m.group("sym").startswith("bc-"))
    annex = annexes[0] if annexes else None
    report_date = None
    if header.day and header.month and header.year:
        report_date = iso_date(str(header.day), str(header.month), str(header.year))
    elif annex and not header.year:
        report_date = iso_date(annex.group("d"), annex.group("m"), annex.group("y"))
    doc_number = header.doc_number
    if doc_number is None and header.own_symbol is None and annex:
        symbol = text[annex.start("sym") : annex.end("sym")]
        doc_number = f"{annex.group('num')}/" + "-".join(canonical_code(p) for p in symbol.split("-"))
    year_in_title = _YEAR.search(_HORIZON.sub(" ", fold(title)))
    if year_in_title:
        year = int(year_in_title.group())
    elif header.year:
        year = header.year
    else:
        years = Counter(_YEAR.findall(text))
        year = int(years.most_common(1)[0][0]) if years else None
    province = _province(text, header.agency, header.place, header.own_symbol)
    doc_type = header.doc_type
    issuer = issuer_name(header.agency, province, doc_type, text)
    if issuer is None:
        issuer = _issuer_from_symbol(header.own_symbol, province, folded)
    return Metadata(
        title=title,
        province=province,
        year=year,
        period=_period(title),
        report_date=report_date,
        doc_number=doc_number,
        issuer=issuer,
        title_lines=title_lines,
        doc_type=doc_type,
        own_span=header.own_span,
    )


def _issuer_from_symbol(own_symbol: str | None, province: str | None, folded: str) -> str | None:
    """No agency block was read: the issuer code of the own symbol ("BTP-BTTP" -> Bộ Tư pháp), or
    a People's Committee named in the text."""
    if own_symbol:
        for code in re.split(r"[-.(]", own_symbol):
            if code in ISSUER_CODES and code not in ("UBND",):
                return ISSUER_CODES[code]
    if "uy ban nhan dan" in folded or "ubnd tinh" in folded:
        return f"Ủy ban nhân dân tỉnh {province}" if province else "Ủy ban nhân dân tỉnh"
    return None
