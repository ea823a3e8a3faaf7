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
    "QĐi": "Quy định",  # Party regulations: 08-QĐi/TW
    "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch",
    "PL": "Pháp lệnh",
    "PA": "Phương án",
    "CV": "Công văn",
    "GM": "Giấy mời",
    "BB": "Biên bản",
    "ĐĐN": "Đơn đề nghị",
    # joint ("liên ngành", "liên tịch") and cooperation ("phối hợp") forms: 12/KHLN-SYT-SGDĐT
    "KHLN": "Kế hoạch",
    "KHPH": "Kế hoạch",
    "CTrLN": "Chương trình",
    "CTrPH": "Chương trình",
    "HDLN": "Hướng dẫn",
    "HDPH": "Hướng dẫn",
    "QCPH": "Quy chế",
    "BCĐX": "Báo cáo",  # báo cáo đề xuất
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
    "ket luan kiem tra": "Kết luận",
    "ket luan thanh tra": "Kết luận",
    "bao cao de xuat": "Báo cáo",
    "phuong an nghiep vu": "Phương án",
    "don de nghi hop nhat": "Đơn đề nghị",
    **{f"{fold(kind)} {form}": kind for kind in ("Kế hoạch", "Chương trình", "Hướng dẫn", "Quy chế")
       for form in ("lien nganh", "phoi hop", "lien tich")},
    # abbreviations used as type words in running text ("NQ số 84/NQ-CP", "NQ 84")
    **{fold(abbr): name for abbr, name in TYPE_ABBREVIATIONS.items() if len(abbr) > 1},
}
# A written word that names no type of its own: "văn bản số 279/BC-BTP" is a Báo cáo; the symbol's
# type abbreviation says what it is, and without one it is an official letter.
GENERIC_TYPE_WORDS = frozenset({"van ban"})

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
    "BNNMT": "Bộ Nông nghiệp và Môi trường",
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
    "BDTTG": "Bộ Dân tộc và Tôn giáo",
    "KTNN": "Kiểm toán Nhà nước",
    "BTCTW": "Ban Tổ chức Trung ương",
    "UBKTTW": "Ủy ban Kiểm tra Trung ương",
    # departments and agencies of a province (DOMAIN.md: 6806/STC-GCS, 114/KH-CAT-PC04)
    "SNV": "Sở Nội vụ",
    "STC": "Sở Tài chính",
    "STP": "Sở Tư pháp",
    "SYT": "Sở Y tế",
    "SKHCN": "Sở Khoa học và Công nghệ",
    "SGDĐT": "Sở Giáo dục và Đào tạo",
    "SNNMT": "Sở Nông nghiệp và Môi trường",
    "SNNPTNT": "Sở Nông nghiệp và Phát triển nông thôn",
    "STNMT": "Sở Tài nguyên và Môi trường",
    "SKHĐT": "Sở Kế hoạch và Đầu tư",
    "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
    "STTTT": "Sở Thông tin và Truyền thông",
    "SXD": "Sở Xây dựng",
    "SCT": "Sở Công Thương",
    "SGTVT": "Sở Giao thông vận tải",
    "SLĐTBXH": "Sở Lao động - Thương binh và Xã hội",
    "SDTTG": "Sở Dân tộc và Tôn giáo",
    "CAT": "Công an tỉnh",
}
# Issuer codes of Party bodies, written after the slash of "36-NQ/TW": TW, TU, BTCTW, UBKTTW, HU, ĐU …
PARTY_ISSUER = re.compile(r"(?:\w*(?:tw|tu)|hu|du|qu)\d{0,2}")

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
    "ban to chuc trung uong": "Ban Tổ chức Trung ương",
    "ban chap hanh trung uong dang": "Ban Chấp hành Trung ương",
    "cong an tinh": "Công an tỉnh",
    "bo cong an": "Bộ Công an",
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
# A symbol part: a letter, then letters, digits and "&" ("NĐ", "QH14", "GD&ĐT", "PC04", "KTVB&QLXLVPHC").
CODE = r"[^\W\d_](?:[^\W_]|&){0,15}"
# A number, also with a decimal part ("66.7/2025/NQ-CP").
NUMBER = r"\d{1,5}(?:\.\d{1,2})?"
YEAR = r"(?:19|20)\d\d"
# After the number: "/" with optional spaces ("165 /BC-UBND"), or the Party "-" ("36-NQ/TW",
# "31- HD/BTCTW"); a line break may follow either when a PDF wrapped the reference there.
NUMBER_SEP = rf"[ \t]*(?:/|-(?=[ \t]*\n?[ \t]*{CODE}/))[ \t]*(?:\n[ \t]*)?"
# Between two parts of a symbol: "-" (a line break or spaces may follow it: "6138/UBND-" ⏎ "KGVX",
# "40/KH- STTTT"; never spaces before it), "." inside a unit's code ("325/KL-STP.ĐKT"), "/" of Party
# symbols ("NQ/TW", also typed "19/NQ/TW").
CODE_JOIN = r"(?:-(?:[ \t]*\n)?[ \t]*|[./])"

# The symbol is read in two steps: this pattern finds the longest candidate on folded text, then
# ``citations.read_symbol`` checks each part in the source (a part must be a known code or written
# as one, in capitals: "UBND-" ⏎ "ngày" ends at "UBND") and decides the kind of instrument.
SYMBOL = rf"""
(?<![\w/.,])(?P<number>{NUMBER})
(?P<sep>{NUMBER_SEP})
(?:(?P<year>{YEAR})[ \t]*/[ \t]*)?
(?P<codes>{CODE}(?:{CODE_JOIN}{CODE}){{0,6}}(?:\({CODE}\))?)
(?![\w&])
"""
# One part of a matched symbol and the separator before it (source text).
SYMBOL_PART = re.compile(rf"(?P<join>{CODE_JOIN}|\()?(?P<code>{CODE})\)?")
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
[ \t]*(?:{MARKER})?
(?:[ \t]+(?:{CODE}[ \t]+)?\d{{1,4}}(?=[ \t]*,?[ \t]*ngay))?  # a unit's number after the symbol: "192/KH-ĐKT 557 ngày"
[ \t]*,?[ \t]*(?:\n[ \t]*)?
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
    (?:(?:bo[ \t]+truong|giam[ \t]+doc|thu[ \t]+truong|chanh[ \t]+van[ \t]+phong)[ \t]+)?
    (?P<issuer_name>{alternation(ISSUER_NAMES)})(?!\w)""",
    re.VERBOSE,
)

# "Nghị quyết số 84" with no symbol: only counted when an earlier full reference explains it.
NUMBER_ONLY_RE = re.compile(
    rf"(?<!\w)(?P<type_word>{alternation(TYPE_WORDS)}){TYPE_TO_NUMBER}(?P<number>{NUMBER})(?![\w/.,-])"
)
