import unicodedata

import pytest
from hypothesis import given, strategies as st

from searchsvc.normalize import (
    clean_text, exact_form, fold, fold_aligned, has_diacritics, iter_tokens, looks_unaccented, nfc, tone_normalize,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (unicodedata.normalize("NFD", "Nghị quyết"), "Nghị quyết"),  # NFD input composes
        ("Nghị quyết", "Nghị quyết"),  # NFC stays
        ("\ufeffBáo cáo\r\nsố 1\rhết", "Báo cáo\nsố 1\nhết"),  # BOM, CRLF and CR
        ("a\u200bb", "ab"),  # zero-width space
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "old, new",
    [
        ("hoà", "hòa"),
        ("hoá", "hóa"),
        ("khoá", "khóa"),
        ("khoẻ", "khỏe"),
        ("uỷ", "ủy"),
        ("thuỷ", "thủy"),
        ("Uỷ ban", "Ủy ban"),  # upper case first letter
        ("HOÀ", "HÒA"),  # all upper case
        ("hoàn", "hoàn"),  # closed syllable: same in both styles
        ("quý", "quý"),  # "qu" + y is not the "uy" glide
        ("hoặc", "hoặc"),  # breve on a: not the old/new pair
        ("thuế", "thuế"),  # tone on ê in both styles
        ("huỳnh", "huỳnh"),  # closed syllable
        ("hòa", "hòa"),  # already new style
    ],
)
def test_tone_placement(old, new):
    assert tone_normalize(old) == new
    assert tone_normalize(unicodedata.normalize("NFD", old)) == new  # also from NFD


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Nghị quyết", "nghi quyet"),
        ("ĐẢNG", "dang"),  # đ is not touched by NFD: folded explicitly
        ("đầu tư công", "dau tu cong"),
        ("15/2021/NĐ-CP", "15/2021/nd-cp"),
        (unicodedata.normalize("NFD", "sức khỏe"), "suc khoe"),
        ("sức khoẻ", "suc khoe"),  # both tone placements fold alike
        ("⁽¹⁾", "(1)"),  # unidecode for symbols
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_is_only_for_matching():
    text = "Nghị quyết"
    fold(text)
    assert text == "Nghị quyết"


@pytest.mark.parametrize("text", ["Nghị quyết⁽¹⁾ “Đảng”", "ĐẠI HỘI – 2020", "x\u0301y"])
def test_fold_aligned_keeps_length(text):
    assert len(fold_aligned(text)) == len(text)


@pytest.mark.parametrize(
    "word, expected",
    [("Hoà", "hòa"), ("KHOẺ", "khỏe"), ("Bán", "bán")],
)
def test_exact_form(word, expected):
    assert exact_form(word) == expected


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("Nghị quyết 84/NQ-CP", ["Nghị", "quyết", "84/NQ-CP"]),
        ("15/2021/NĐ-CP, 36-NQ/TW.", ["15/2021/NĐ-CP", "36-NQ/TW"]),  # trailing punctuation dropped
        ("tăng 6,4% đạt 5.145 tỷ", ["tăng", "6,4", "đạt", "5.145", "tỷ"]),  # figures stay whole
        ("kinh tế - xã hội", ["kinh", "tế", "xã", "hội"]),  # a spaced dash is no joiner
    ],
)
def test_tokens(text, tokens):
    assert [t for t, _, _ in iter_tokens(text)] == tokens


@pytest.mark.parametrize(
    "text, expected",
    [("bàn", True), ("đ", True), ("ban", False), ("84/NQ-CP", False)],
)
def test_has_diacritics(text, expected):
    assert has_diacritics(text) is expected


def test_looks_unaccented():
    plain = "Thuc hien Nghi quyet so 84/NQ-CP cua Chinh phu, UBND tinh da trien khai nhung giai phap trong nam " * 3
    assert looks_unaccented(plain)
    assert not looks_unaccented("Thực hiện Nghị quyết số 84/NQ-CP của Chính phủ, UBND tỉnh đã triển khai " * 3)


@given(st.text())
def test_fold_and_tone_never_crash(text):
    assert fold(text) == fold(fold(text))
    assert nfc(tone_normalize(text)) == tone_normalize(text)
    assert len(fold_aligned(text)) == len(text)
