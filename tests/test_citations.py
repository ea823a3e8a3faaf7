import pytest
from hypothesis import given, settings, strategies as st

from searchsvc.citations import extract_citations
from searchsvc.patterns import ISSUER_CODES, TYPE_ABBREVIATIONS, canonical_code
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
