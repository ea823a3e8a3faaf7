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
from .patterns import canonical_code

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
_PROVINCE_BY_FOLD = {fold(p): p for p in PROVINCES} | {"ba ria vung tau": "Bà Rịa - Vũng Tàu", "tp ho chi minh": "Thành phố Hồ Chí Minh", "tp. ho chi minh": "Thành phố Hồ Chí Minh", "ho chi minh": "Thành phố Hồ Chí Minh"}
_PROVINCE_ALTERNATION = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(_PROVINCE_BY_FOLD, key=len, reverse=True))
# "tỉnh Bắc Giang", "UBND tỉnh Hà Tĩnh" (folded text); "thành phố Hà Tĩnh" is a city, not the province
_PROVINCE_IN_BODY = re.compile(rf"(?<!\w)(?:tinh|thanh pho truc thuoc trung uong)\s+({_PROVINCE_ALTERNATION})(?!\w)")
# These run on fold_aligned text (same length as the source), so unaccented reports match too;
# values are then read from the source at the same span.
_PLACE_DATE = re.compile(
    r"^\s*(?P<place>[^\W\d][^,\n]{1,40}),\s*ngay\s*(?P<d>\d{1,2})?\s*thang\s*(?P<m>\d{1,2})?\s*nam\s*(?P<y>\d{4})",
    re.MULTILINE,
)
_ANNEX_DATE = re.compile(
    r"kem theo (?:bao cao|bc)\s+so\s*(?P<num>\d+)\s*/\s*(?P<sym>[\w-]+)\s*,?\s*ngay\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
)
_OWN_NUMBER = re.compile(r"^\s*so\s*:?\s*(?P<num>\d+)\s*/\s*(?P<sym>bc-\w+)", re.MULTILINE)
_REPORT_WORD = re.compile(r"^\W*bao cao\b")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")

# Periods a report reviews, in the words of DOMAIN.md; matched on folded text.
PERIODS = [
    ("6 tháng đầu năm", r"6 thang dau nam|sau thang dau nam"),
    ("6 tháng cuối năm", r"6 thang cuoi nam"),
    ("9 tháng", r"9 thang"),
    ("quý IV", r"quy iv\b|quy 4\b"),
    ("quý III", r"quy iii\b|quy 3\b"),
    ("quý II", r"quy ii\b|quy 2\b"),
    ("quý I", r"quy i\b|quy 1\b"),
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


def _strip_markup(line: str) -> str:
    return line.replace("**", "").replace("__", "").strip().strip("*").strip()


def _title_block(lines: list[str]) -> tuple[str, tuple[int, int] | None]:
    """The lines after "BÁO CÁO" up to the body: "Kiểm điểm công tác chỉ đạo, điều hành …"."""
    for index, line in enumerate(lines[:40]):
        if not _REPORT_WORD.match(fold_aligned(_strip_markup(line))):
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
            if len(text) > 200 or text.startswith(("(", "Kính gửi", "Căn cứ", "Thực hiện")) or _looks_like_heading(text):
                break
            parts.append(text)
            last = i
            i += 1
        if parts:
            return re.sub(r"\s+", " ", " ".join(parts)).strip(" ;,"), (index, last)
    first = next((_strip_markup(l) for l in lines if l.strip()), "")
    return first[:200], None


def _looks_like_heading(text: str) -> bool:
    return bool(re.match(r"^(?:Phần|PHẦN|[A-Z]\.|[IVX]+\.|\d{1,2}\.)\s", text))


def _province(text: str, place: str | None) -> str | None:
    if place and fold(place).strip() in _PROVINCE_BY_FOLD:
        return _PROVINCE_BY_FOLD[fold(place).strip()]
    counts = Counter(re.sub(r"\s+", " ", m.group(1)) for m in _PROVINCE_IN_BODY.finditer(fold(text)))
    if not counts:
        return None
    return _PROVINCE_BY_FOLD[counts.most_common(1)[0][0]]


def _period(title: str) -> str | None:
    folded = fold(title)
    best: tuple[int, str] | None = None
    for name, pattern in PERIODS[:-1]:
        match = re.search(pattern, folded)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), name)
    if best:
        return best[1]
    return "năm" if re.search(PERIODS[-1][1], folded) else None


def read_metadata(text: str) -> Metadata:
    """Metadata of a report text (NFC).

    The year is the first year named in the title (the year reviewed: "… năm 2020 và nhiệm vụ
    năm 2021" is about 2020), else the signing year, else the most frequent year in the text.
    """
    lines = text.split("\n")
    title, title_lines = _title_block(lines)
    folded = fold_aligned(text)
    head = folded[: sum(len(l) + 1 for l in lines[:60])]
    place_date = _PLACE_DATE.search(head)
    # an annex line "(Kèm theo Báo cáo số 165 /BC-UBND ngày 01/7/2020)"; garbled ones come first
    annexes = sorted(_ANNEX_DATE.finditer(folded), key=lambda m: not m.group("sym").startswith("bc-"))
    annex = annexes[0] if annexes else None
    report_date = None
    if place_date and place_date.group("d") and place_date.group("m"):
        report_date = iso_date(place_date.group("d"), place_date.group("m"), place_date.group("y"))
    elif annex:
        report_date = iso_date(annex.group("d"), annex.group("m"), annex.group("y"))
    own = _OWN_NUMBER.search(head) or annex
    doc_number = None
    if own:
        symbol = text[own.start("sym") : own.end("sym")]
        doc_number = f"{own.group('num')}/" + "-".join(canonical_code(p) for p in symbol.split("-"))
    year_in_title = _YEAR.search(title)
    if year_in_title:
        year = int(year_in_title.group())
    elif place_date:
        year = int(place_date.group("y"))
    else:
        years = Counter(_YEAR.findall(text))
        year = int(years.most_common(1)[0][0]) if years else None
    province = _province(text, text[place_date.start("place") : place_date.end("place")] if place_date else None)
    by_people_committee = "ubnd" in fold(doc_number or "") or "uy ban nhan dan" in folded or "ubnd tinh" in folded
    issuer = None
    if by_people_committee:
        issuer = f"Ủy ban nhân dân tỉnh {province}" if province else "Ủy ban nhân dân tỉnh"
    return Metadata(
        title=title,
        province=province,
        year=year,
        period=_period(title),
        report_date=report_date,
        doc_number=doc_number,
        issuer=issuer,
        title_lines=title_lines,
    )
