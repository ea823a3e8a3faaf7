"""Regex pieces for instrument references, built from named parts (DOMAIN.md "Instrument references").

Every pattern here runs on *folded* text (``normalize.fold_aligned``: lower case, no diacritics,
same length as the source), so "NGHỊ QUYẾT", "Nghị quyết" and "nghi quyet" are one spelling and a
match span is also a span of the original text. The closed lists below are data: the type
abbreviations and issuer codes of DOMAIN.md, each with its canonical spelling.
"""
from __future__ import annotations

import re

from .normalize import fold

# --- closed lists ---------------------------------------------------------------------------------
# Type abbreviation in a symbol -> canonical type name. Spelled as the standard writes them.
TYPE_ABBREVIATIONS: dict[str, str] = {
    "NQ": "Nghị quyết",
    "NĐ": "Nghị định",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "TT": "Thông tư",
    "KH": "Kế hoạch",
    "KL": "Kết luận",
    "CĐ": "Công điện",
    "CTr": "Chương trình",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "HD": "Hướng dẫn",
    "ĐA": "Đề án",
    "TTr": "Tờ trình",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch",
    "PL": "Pháp lệnh",
}

# Written type words (folded form -> canonical type). Longest first when joined into a regex.
TYPE_WORDS: dict[str, str] = {
    **{fold(name): name for name in set(TYPE_ABBREVIATIONS.values())},
    "luat": "Luật",  # laws carry no type abbreviation: 82/2019/QH14
    "cong van": "Công văn",  # nor do official letters: 1567/UBND-NC
    "cv": "Công văn",
    "thong bao ket luan": "Thông báo",
    "van ban": "Công văn",
    "nghi quyet lien tich": "Nghị quyết liên tịch",
    "thong tu lien tich": "Thông tư liên tịch",
    # abbreviations used as type words in running text ("NQ số 84/NQ-CP", "NQ 84")
    **{fold(abbr): name for abbr, name in TYPE_ABBREVIATIONS.items() if len(abbr) > 1},
}

# Issuer code in a symbol -> the body it implies.
ISSUER_CODES: dict[str, str] = {
    "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "TW": "Ban Chấp hành Trung ương",
    "TU": "Tỉnh ủy",
    "HĐND": "Hội đồng nhân dân tỉnh",
    "UBND": "Ủy ban nhân dân tỉnh",
    "VPCP": "Văn phòng Chính phủ",
    "NHNN": "Ngân hàng Nhà nước",
    "BTC": "Bộ Tài chính",
    "BYT": "Bộ Y tế",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BCA": "Bộ Công an",
    "BQP": "Bộ Quốc phòng",
    "BXD": "Bộ Xây dựng",
    "BCT": "Bộ Công Thương",
    "BGTVT": "Bộ Giao thông vận tải",
    "BNV": "Bộ Nội vụ",
    "BTP": "Bộ Tư pháp",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BNG": "Bộ Ngoại giao",
}

# Issuer names as written after "của" (folded) -> canonical name. Abbreviated forms included.
ISSUER_NAMES: dict[str, str] = {
    **{fold(name): name for name in ISSUER_CODES.values()},
    "bo chinh tri": "Bộ Chính trị",
    "ban bi thu": "Ban Bí thư",
    "ban chap hanh trung uong": "Ban Chấp hành Trung ương",
    "bch trung uong": "Ban Chấp hành Trung ương",
    "trung uong": "Ban Chấp hành Trung ương",
    "ban thuong vu tinh uy": "Ban Thường vụ Tỉnh ủy",
    "btv tinh uy": "Ban Thường vụ Tỉnh ủy",
    "thuong truc tinh uy": "Tỉnh ủy",
    "tinh uy": "Tỉnh ủy",
    "hoi dong nhan dan tinh": "Hội đồng nhân dân tỉnh",
    "hdnd tinh": "Hội đồng nhân dân tỉnh",
    "uy ban nhan dan tinh": "Ủy ban nhân dân tỉnh",
    "ubnd tinh": "Ủy ban nhân dân tỉnh",
    "chu tich ubnd tinh": "Ủy ban nhân dân tỉnh",
    "thu tuong": "Thủ tướng Chính phủ",
    "ttcp": "Thủ tướng Chính phủ",
    "quoc hoi": "Quốc hội",
    "ubtvqh": "Ủy ban Thường vụ Quốc hội",
    "vpcp": "Văn phòng Chính phủ",
    "ngan hang nha nuoc viet nam": "Ngân hàng Nhà nước",
}

# Codes whose canonical spelling is not plain upper case, keyed by their folded form.
_MIXED_CASE = {fold(code): code for code in [*TYPE_ABBREVIATIONS, *ISSUER_CODES, "QH", "UBTVQH"]}


def canonical_code(part: str) -> str:
    """The standard spelling of one symbol part: "nd" -> "NĐ", "ctr" -> "CTr", "ttg" -> "TTg".

    Unknown parts are upper-cased with their own diacritics ("KT" stays "KT").
    """
    folded = fold(part)
    if folded in _MIXED_CASE:
        return _MIXED_CASE[folded]
    numbered = re.fullmatch(r"(qh|ubtvqh)(\d+)", folded)
    if numbered:
        return _MIXED_CASE[numbered.group(1)] + numbered.group(2)
    return part.upper()


def alternation(words) -> str:
    """Join literal words into a regex alternation, longest first, spaces matching any whitespace."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


# --- the reference, piece by piece ------------------------------------------------------------------
LETTER = r"[^\W\d_]"
# A symbol part: letters, optionally followed by digits ("QH14", "UBTVQH15", "NĐ").
CODE = rf"{LETTER}{{1,10}}\d{{0,2}}"
NUMBER = r"\d{1,5}"
YEAR = r"(?:19|20)\d\d"
# Optional horizontal space around a separator ("165 /BC-UBND") — never a line break.
SEP_SLASH = r"[ \t]?/[ \t]?"

SYMBOL = rf"""
(?<![\w/.,])(?P<number>{NUMBER})
(?:
    # Party documents: 36-NQ/TW, 764-QĐ/TU
    -(?P<party_type>{CODE})/(?P<party_issuer>{CODE}(?:-{CODE})?)
  | {SEP_SLASH}
    (?:(?P<year>{YEAR})/)?
    (?:
        # Laws: 82/2019/QH14
        (?P<law_issuer>(?:qh|ubtvqh)\d{{2}})
        # State documents: 84/NQ-CP, 15/2021/NĐ-CP, 244/2020/NQ-HĐND; and official letters
        # (Công văn), whose first part is the issuer, not a type: 1567/UBND-NC
      | (?P<type>{CODE})-(?P<issuer>{CODE}(?:-{CODE})?)
    )
)
(?![\w/])
"""
SYMBOL_RE = re.compile(SYMBOL, re.VERBOSE)

TYPE_WORD_RE = re.compile(rf"(?<!\w)(?P<type_word>{alternation(TYPE_WORDS)})(?!\w)")

# A footnote marker that may stand right after a reference: ⁽¹⁾, [1], [footnote:1], [footnoteRef:1]
MARKER = r"(?:⁽[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\[(?:footnote(?:ref)?:)?\d+\])"
# A break inside a reference: white space, and whole footnote lines that the layout put in the
# middle of a sentence ("… Chỉ thị số 07/CT-TTg ngày\n\n⁽⁸⁾ Nghị quyết về …\n\n04/02/2020").
NOTE_LINE = rf"(?:(?<=\n)[ \t]*{MARKER}[^\n]*)"
GAP = rf"(?:\s|{NOTE_LINE})*"
LINE_BREAK = rf"[ \t]*(?:\n{GAP})?"

# Between a type word and its number: "số", "số:", "Số:", a line break, nothing.
TYPE_TO_NUMBER = r"[ \t]*(?:\n[ \t]*)?(?:so[ \t]*:?[ \t]*(?:\n[ \t]*)?)?"
# A type word right before a symbol (folded text, searched backwards from the symbol).
TYPE_BEFORE_RE = re.compile(rf"(?<!\w)(?P<type_word>{alternation(TYPE_WORDS)}){TYPE_TO_NUMBER}$")
# A list continuation before a symbol: "…ngày 27/3/2020, " / " và " / "; "
LIST_GLUE_RE = re.compile(rf"(?:{MARKER})?(?:{GAP}[,;]{GAP}|{GAP}\s(?:va|hoac)\s{GAP})")

DATE = rf"""
[ \t]*(?:{MARKER})?[ \t]*,?[ \t]*(?:\n[ \t]*)?
ngay{LINE_BREAK}
(?:
    (?P<d1>\d{{1,2}})[ \t]*(?P<s>[/.-])[ \t]*(?P<m1>\d{{1,2}})[ \t]*(?P=s)[ \t]*(?P<y1>{YEAR})
  | (?P<d2>\d{{1,2}})[ \t]+thang[ \t]+(?P<m2>\d{{1,2}})[ \t]+nam[ \t]+(?P<y2>{YEAR})
)
"""
DATE_AFTER_RE = re.compile(DATE, re.VERBOSE)

ISSUER_AFTER_RE = re.compile(
    rf"""[ \t]*(?:{MARKER})?[ \t]*,?[ \t]*
    cua[ \t]+(?:(?:hoi[ \t]+nghi|ky[ \t]+hop)[^,;.\n]{{0,40}}?[ \t])?
    (?P<issuer_name>{alternation(ISSUER_NAMES)})(?!\w)""",
    re.VERBOSE,
)

# "Nghị quyết số 84" with no symbol: only counted when an earlier full reference explains it.
NUMBER_ONLY_RE = re.compile(
    rf"(?<!\w)(?P<type_word>{alternation(TYPE_WORDS)}){TYPE_TO_NUMBER}(?P<number>{NUMBER})(?![\w/.,-])"
)
