import pytest
from hypothesis import given, settings, strategies as st

from searchsvc.citations import extract_citations
from searchsvc.patterns import GENERIC_TYPE_WORDS, ISSUER_CODES, TYPE_ABBREVIATIONS, TYPE_WORDS, canonical_code
from searchsvc.resolve import resolve_citations


def cite(text):
    return resolve_citations(extract_citations(text, "doc"))


def fields(c):
    return (c.type, c.canonical, c.date, c.year, c.issuer)


@pytest.mark.parametrize(
    "text, expected",
    [
        # the full form of DOMAIN.md
        ("Nghị quyết số 84/NQ-CP ngày 29/5/2020 của Chính phủ",
         [("Nghị quyết", "84/NQ-CP", "2020-05-29", 2020, "Chính phủ")]),
        # "số:" and a date with dashes
        ("Số: 84/NQ-CP ngày 29-5-2020", [("Nghị quyết", "84/NQ-CP", "2020-05-29", 2020, "Chính phủ")]),
        # date in words
        ("Chỉ thị 11/CT-TTg ngày 4 tháng 3 năm 2020", [("Chỉ thị", "11/CT-TTg", "2020-03-04", 2020, "Thủ tướng Chính phủ")]),
        # the Party hyphen form, issuer stated
        ("Nghị quyết số 36-NQ/TW ngày 22/10/2018 của Bộ Chính trị",
         [("Nghị quyết", "36-NQ/TW", "2018-10-22", 2018, "Bộ Chính trị")]),
        # year in the number: year without a date
        ("theo Nghị định 15/2021/NĐ-CP", [("Nghị định", "15/2021/NĐ-CP", None, 2021, "Chính phủ")]),
        # typed without diacritics: canonical keeps "Đ"
        ("nghi dinh so 15/2021/ND-CP cua Chinh phu", [("Nghị định", "15/2021/NĐ-CP", None, 2021, "Chính phủ")]),
        # upper case type word
        ("NGHỊ QUYẾT SỐ 84/NQ-CP", [("Nghị quyết", "84/NQ-CP", None, None, "Chính phủ")]),
        # abbreviation as type word, lower-case symbol
        ("NQ số 84/nq-cp", [("Nghị quyết", "84/NQ-CP", None, None, "Chính phủ")]),
        # official letter without type abbreviation
        ("Công văn số 1567/UBND-NC ngày 02/6/2020", [("Công văn", "1567/UBND-NC", "2020-06-02", 2020, "Ủy ban nhân dân tỉnh")]),
        # no type word: inferred from the symbol
        ("thực hiện 04/CTr-UBND", [("Chương trình", "04/CTr-UBND", None, None, "Ủy ban nhân dân tỉnh")]),
        # a law-numbered resolution keeps the written type word
        ("Nghị quyết số 82/2019/QH14 của Quốc hội", [("Nghị quyết", "82/2019/QH14", None, 2019, "Quốc hội")]),
        # a law without a type word
        ("theo 82/2019/QH14", [("Luật", "82/2019/QH14", None, 2019, "Quốc hội")]),
        # a line break inside the reference
        ("Nghị quyết số\n84/NQ-CP ngày\n29/5/2020", [("Nghị quyết", "84/NQ-CP", "2020-05-29", 2020, "Chính phủ")]),
        # a list sharing one type word and one issuer
        ("các Chỉ thị số: 15/CT-TTg ngày 27/3/2020, 16/CT-TTg ngày 31/3/2020 của Thủ tướng Chính phủ",
         [("Chỉ thị", "15/CT-TTg", "2020-03-27", 2020, "Thủ tướng Chính phủ"),
          ("Chỉ thị", "16/CT-TTg", "2020-03-31", 2020, "Thủ tướng Chính phủ")]),
        # a Party list closed by "của Bộ Chính trị": the issuer applies to all
        ("Nghị quyết số 50-NQ/TW ngày 20/8/2019, 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị",
         [("Nghị quyết", "50-NQ/TW", "2019-08-20", 2019, "Bộ Chính trị"),
          ("Nghị quyết", "52-NQ/TW", "2019-09-27", 2019, "Bộ Chính trị")]),
        # a list closed by an issuer that cannot have issued the first item
        ("Nghị quyết số 84/NQ-CP và Chỉ thị số 11/CT-TTg của Thủ tướng Chính phủ",
         [("Nghị quyết", "84/NQ-CP", None, None, "Chính phủ"),
          ("Chỉ thị", "11/CT-TTg", None, None, "Thủ tướng Chính phủ")]),
        # a short reference takes date and year from the earlier full one
        ("Nghị quyết số 84/NQ-CP ngày 29/5/2020. Sau đó, Nghị quyết 84/NQ-CP được triển khai",
         [("Nghị quyết", "84/NQ-CP", "2020-05-29", 2020, "Chính phủ")] * 2),
        # a bare number resolves to the earlier full reference of the same type
        ("Nghị quyết số 84/NQ-CP ngày 29/5/2020; thực hiện Nghị quyết số 84 tốt",
         [("Nghị quyết", "84/NQ-CP", "2020-05-29", 2020, "Chính phủ")] * 2),
        # footnote marker between symbol and date
        ("Chỉ thị số 36-CT/TW⁽⁵⁾ ngày 16/8/2019", [("Chỉ thị", "36-CT/TW", "2019-08-16", 2019, "Ban Chấp hành Trung ương")]),
    ],
)
def test_reference_formats(text, expected):
    assert [fields(c) for c in cite(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a department of a province issues an official letter under its own code
        ("Công văn số 6806/STC-GCS ngày 19/12/2025 của Sở Tài chính",
         [("Công văn", "6806/STC-GCS", "2025-12-19", 2025, "Sở Tài chính")]),
        # a unit code after the issuer: the issuer is the department, not the unit
        ("Kế hoạch số 114/KH-CAT-PC04 ngày 22/3/2024", [("Kế hoạch", "114/KH-CAT-PC04", "2024-03-22", 2024, "Công an tỉnh")]),
        ("Hướng dẫn số 26/HD-BCA-C04 ngày 29/4/2025 của Bộ Công an",
         [("Hướng dẫn", "26/HD-BCA-C04", "2025-04-29", 2025, "Bộ Công an")]),
        # a ministry's letter with its department's code
        ("Công văn 3917/BTP-BTTP", [("Công văn", "3917/BTP-BTTP", None, None, "Bộ Tư pháp")]),
        # an inspection conclusion: "." inside the issuer code
        ("Kết luận kiểm tra số 325/KL-STP.ĐKT 556 của Đoàn Kiểm tra", [("Kết luận", "325/KL-STP.ĐKT", None, None, "Sở Tư pháp")]),
        # a joint document of several issuers, and "&" inside a code
        ("Kế hoạch liên ngành số 12/KHLN-SYT-SGDĐT", [("Kế hoạch", "12/KHLN-SYT-SGDĐT", None, None, "Sở Y tế")]),
        ("Kế hoạch số 107/KHPH-CA-GD&ĐT ngày 20/3/2024", [("Kế hoạch", "107/KHPH-CA-GD&ĐT", "2024-03-20", 2024, None)]),
        ("Chương trình phối hợp số 03/CTrPH-BCA-BGDĐT ngày 22/01/2024",
         [("Chương trình", "03/CTrPH-BCA-BGDĐT", "2024-01-22", 2024, "Bộ Công an")]),
        ("Công văn số 1014/SNV-CCHC&VTLT ngày 22/8/2025", [("Công văn", "1014/SNV-CCHC&VTLT", "2025-08-22", 2025, "Sở Nội vụ")]),
        # parentheses inside a symbol
        ("Báo cáo đề xuất số 03/BCĐX-CAT(PC04)", [("Báo cáo", "03/BCĐX-CAT(PC04)", None, None, "Công an tỉnh")]),
        # "/" where "-" belongs in a Party symbol
        ("Nghị quyết số 19/NQ/TW", [("Nghị quyết", "19-NQ/TW", None, None, "Ban Chấp hành Trung ương")]),
        # spaces around separators
        ("Hướng dẫn số 31- HD/BTCTW ngày 23/4/2025 của Ban Tổ chức Trung ương",
         [("Hướng dẫn", "31-HD/BTCTW", "2025-04-23", 2025, "Ban Tổ chức Trung ương")]),
        ("Báo cáo số 165 /BC-UBND", [("Báo cáo", "165/BC-UBND", None, None, "Ủy ban nhân dân tỉnh")]),
        ("Kế hoạch số 40/KH- STTTT ngày 11/6/2024", [("Kế hoạch", "40/KH-STTTT", "2024-06-11", 2024, "Sở Thông tin và Truyền thông")]),
        # a decimal number
        ("Nghị quyết số 66.7/2025/NQ-CP", [("Nghị quyết", "66.7/2025/NQ-CP", None, 2025, "Chính phủ")]),
        # a reference broken at its hyphen or after the number by PDF wrapping
        ("Nghị định số 15/2021/NĐ-\nCP ngày 03/3/2021", [("Nghị định", "15/2021/NĐ-CP", "2021-03-03", 2021, "Chính phủ")]),
        ("số 6138/UBND-\nKGVX ngày 13/11/2024", [("Công văn", "6138/UBND-KGVX", "2024-11-13", 2024, "Ủy ban nhân dân tỉnh")]),
        ("Hướng dẫn số 31-\nHD/BTCTW", [("Hướng dẫn", "31-HD/BTCTW", None, None, "Ban Tổ chức Trung ương")]),
        # the part after the break is no code: the symbol ends before it
        ("Quyết định số 787/QĐ-UBND-\nngày 21/8/2025", [("Quyết định", "787/QĐ-UBND", None, None, "Ủy ban nhân dân tỉnh")]),
        # the same number with different symbols: two instruments
        ("Chỉ thị số 36-CT/TU ngày 23/01/2025 và Chỉ thị số 36-CT/TW ngày 16/8/2019",
         [("Chỉ thị", "36-CT/TU", "2025-01-23", 2025, "Tỉnh ủy"), ("Chỉ thị", "36-CT/TW", "2019-08-16", 2019, "Ban Chấp hành Trung ương")]),
        # "văn bản" names no type: the symbol says what it is
        ("tại văn bản số 279/BC-BTP ngày 28 tháng 4 năm 2026", [("Báo cáo", "279/BC-BTP", "2026-04-28", 2026, "Bộ Tư pháp")]),
        ("Văn bản số 6812/STC-NS ngày 20/12/2025", [("Công văn", "6812/STC-NS", "2025-12-20", 2025, "Sở Tài chính")]),
        # an issuer code alone is a symbol after a type word only
        ("Công văn số 360/HĐTĐ về việc lấy ý kiến", [("Công văn", "360/HĐTĐ", None, None, None)]),
        # every other type word of administrative writing
        ("Phương án số 4196/PA-UBND", [("Phương án", "4196/PA-UBND", None, None, "Ủy ban nhân dân tỉnh")]),
        ("Công điện 207/CĐ-TTg của Thủ tướng Chính phủ", [("Công điện", "207/CĐ-TTg", None, None, "Thủ tướng Chính phủ")]),
        ("Thông báo số 185/TB-VPCP ngày 14/04/2026", [("Thông báo", "185/TB-VPCP", "2026-04-14", 2026, "Văn phòng Chính phủ")]),
        ("Đề án số 05/ĐA-UBND ngày 02/7/2025", [("Đề án", "05/ĐA-UBND", "2025-07-02", 2025, "Ủy ban nhân dân tỉnh")]),
        ("Tờ trình số 677/TTr-SNV ngày 22/12/2025", [("Tờ trình", "677/TTr-SNV", "2025-12-22", 2025, "Sở Nội vụ")]),
        ("Giấy mời số 27/GM-SKHCN", [("Giấy mời", "27/GM-SKHCN", None, None, "Sở Khoa học và Công nghệ")]),
        ("Luật Thanh niên số 57/2020/QH14", [("Luật", "57/2020/QH14", None, 2020, "Quốc hội")]),
        # the date opens the clause
        ("Ngày 10/11/2025, Sở Nội vụ đã ban hành Công văn số 2775/SNV-CCHC về việc",
         [("Công văn", "2775/SNV-CCHC", "2025-11-10", 2025, "Sở Nội vụ")]),
        ("Đến ngày 03/12/2025, Sở Nội vụ có Công văn số 3331/SNV-TCBC",
         [("Công văn", "3331/SNV-TCBC", "2025-12-03", 2025, "Sở Nội vụ")]),
        # a team's number after the symbol, before the date
        ("Kế hoạch số 192/KH-ĐKT 557 ngày 23/4/2025", [("Kế hoạch", "192/KH-ĐKT", "2025-04-23", 2025, None)]),
        # the title of the person before the issuing body
        ("Quyết định số 1187/QĐ-BNV ngày 15/10/2025 của Bộ trưởng Bộ Nội vụ",
         [("Quyết định", "1187/QĐ-BNV", "2025-10-15", 2025, "Bộ Nội vụ")]),
    ],
)
def test_administrative_reference_formats(text, expected):
    """Issue 13: what provincial offices cite, and how hurried typing and PDF extraction write it."""
    assert [fields(c) for c in cite(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tổng thu ngân sách ước đạt 5.145 tỷ đồng",  # money
        "tăng 6,4% so với cùng kỳ",  # percentage
        "ngày 29/5/2020",  # a date
        "giai đoạn 2016 – 2020 và 2021-2025",  # year ranges
        "phòng chống Covid-19",  # a name with a number
        "các Nghị quyết của Tỉnh ủy",  # a type word without a number
        "Nghị quyết số 84 của Hội đồng",  # a bare number with nothing earlier to explain it
        "Kế hoạch 5 năm 2021 - 2025",  # a type word followed by a figure
        "quốc lộ 1A/QL",  # an unknown symbol
        "đã thực hiện 35/45 nhiệm vụ, 165/165 kiến nghị",  # fractions
        "có 1.140/1.140 dịch vụ công",  # fractions with thousands separators
        "phòng, chống HIV/AIDS và ma túy",  # letters on both sides, no number
        "tổng số tiền 91.060.000.000 đồng; điện thoại 0263.3822.123",  # money, a phone number
        "tốc độ 60 km/h trên quốc lộ",  # a unit of measure
        "Đoàn Kiểm tra liên ngành 500-UBND tỉnh",  # a team's name: no type before the hyphen
        "Điều 3 - UBND tỉnh giao",  # a dash between words
        "Tờ trình …/TTr-SNV ngày …/8/2025",  # a draft's blank number
        "360/HĐTĐ",  # one code without a type word
        "Trong quý I/2023 và tháng 7/2025",  # periods
        "kê khai theo Mẫu số 01/ĐK-TCT và Biểu số 02/BC-TK",  # codes of forms
    ],
)
def test_not_citations(text):
    assert cite(text) == []


def test_spans_point_into_the_text():
    text = "Thực hiện Nghị quyết số 84/NQ-CP ngày 29/5/2020 của Chính phủ, UBND tỉnh…"
    (c,) = cite(text)
    assert text[c.start : c.end] == c.surface == "Nghị quyết số 84/NQ-CP ngày 29/5/2020 của Chính phủ"
    assert c.line == 1


def test_same_number_different_years_stay_apart():
    text = "Nghị quyết số 01/NQ-CP ngày 01/01/2020 … Nghị quyết số 01/NQ-CP ngày 01/01/2021"
    assert [c.key for c in cite(text)] == ["01_NQ-CP.2020", "01_NQ-CP.2021"]


@pytest.mark.parametrize("abbreviation", sorted(TYPE_ABBREVIATIONS))
def test_every_type_abbreviation_is_recognized(abbreviation):
    (c,) = cite(f"theo 12/{abbreviation}-UBND")
    assert c.type == TYPE_ABBREVIATIONS[abbreviation]
    assert c.canonical == f"12/{abbreviation}-UBND"


@pytest.mark.parametrize("code", sorted(ISSUER_CODES))
def test_every_issuer_code_implies_its_issuer(code):
    (c,) = cite(f"Quyết định 7/QĐ-{code}")
    assert c.issuer == ISSUER_CODES[code]


@pytest.mark.parametrize(
    "typed, canonical",
    [("nd", "NĐ"), ("ND", "NĐ"), ("qd", "QĐ"), ("ctr", "CTr"), ("ttg", "TTg"), ("hdnd", "HĐND"), ("qh14", "QH14"), ("kt", "KT")],
)
def test_canonical_code(typed, canonical):
    assert canonical_code(typed) == canonical


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789/-. ,;:\nNQCPTWĐđgàyốsh(⁽¹⁾)[]abcnghịquyết")), max_size=200))
def test_extractor_never_crashes_and_spans_are_verbatim(text):
    for c in cite(text):
        assert text[c.start : c.end] == c.surface
        assert c.canonical


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_extractor_on_any_text(text):
    for c in cite(text):
        assert text[c.start : c.end] == c.surface


@pytest.mark.parametrize("code", sorted(ISSUER_CODES))
def test_every_issuer_code_opens_an_official_letter(code):
    (c,) = cite(f"Công văn số 5/{code}-VP")
    assert (c.type, c.canonical, c.issuer) == ("Công văn", f"5/{code}-VP", ISSUER_CODES[code])


@pytest.mark.parametrize("word", sorted(TYPE_WORDS))
def test_every_type_word_names_the_type(word):
    (c,) = cite(f"{word} số 5/QĐ-UBND")
    expected = "Quyết định" if word in GENERIC_TYPE_WORDS else TYPE_WORDS[word]  # "văn bản" names no type
    assert c.type == expected
