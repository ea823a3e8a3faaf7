from html import escape

import pytest
from hypothesis import given, settings, strategies as st

from searchsvc.abbreviations import abbreviations, by_short
from searchsvc.query import (
    MAX_CLAUSES, MAX_DEPTH, Alternatives, And, Filter, Instrument, Match, Not, Or, Phrase, QueryError, Word, Words,
    near_words, parse_query, year_bounds,
)
from searchsvc.snippets import highlight, settle


@pytest.mark.parametrize(
    "text, tree",
    [
        ("đầu tư", And((Word("đầu"), Word("tư")))),
        ('"đầu tư công"', Phrase(("đầu", "tư", "công"))),
        ("a OR b c", And((Or((Word("a"), Word("b"))), Word("c")))),  # OR binds tighter than the implicit AND
        ("a AND b", And((Word("a"), Word("b")))),
        ("NOT a b", And((Not(Word("a")), Word("b")))),
        ("-covid tỉnh", And((Not(Word("covid")), Word("tỉnh")))),
        ("(a OR b) AND c", And((Or((Word("a"), Word("b"))), Word("c")))),
        ('province:"Bắc Giang"', Filter("province", "Bắc Giang")),
        ("year:2020..2022", Filter("year", "2020..2022")),
        ("Nghị quyết 84/NQ-CP", Instrument("84/NQ-CP", "Nghị quyết", surface="Nghị quyết 84/NQ-CP")),
        ("nghi quyet 84/NQ-CP", Instrument("84/NQ-CP", "Nghị quyết", surface="nghi quyet 84/NQ-CP")),
        ("84/nq-cp", Instrument("84/NQ-CP", None, surface="84/nq-cp")),
        ("NQ 84/NQ-CP", Instrument("84/NQ-CP", "Nghị quyết", surface="NQ 84/NQ-CP")),
        ("Nghị quyết số 84", Instrument(None, "Nghị quyết", "84", surface="Nghị quyết số 84")),
        ("NQ 84", Instrument(None, "Nghị quyết", "84", surface="NQ 84")),
        ("kế hoạch 5 năm", And((Word("kế"), Word("hoạch"), Word("5"), Word("năm")))),  # a figure, no reference
        ("15/2021/ND-CP", Instrument("15/2021/NĐ-CP", None, surface="15/2021/ND-CP")),  # canonical keeps Đ
        ("", None),
        ("– …", None),  # punctuation only
    ],
)
def test_parse(text, tree):
    parsed = parse_query(text)
    assert parsed.tree == tree
    assert parsed.warnings == ()


@pytest.mark.parametrize(
    "text, words",
    [
        ('"đầu tư công', ("đầu", "tư", "công")),  # a lone quote
        ("đầu tư AND", ("đầu", "tư")),  # a dangling AND
        ("OR đầu", ("đầu",)),  # a leading OR
        ("(đầu tư", ("đầu", "tư")),  # unclosed parenthesis
        ("đầu) tư", ("đầu", "tư")),  # stray closing parenthesis
        ("NOT", ()),  # nothing to negate
        ("()", ()),  # empty group
    ],
)
def test_invalid_syntax_falls_back_to_words_with_warning(text, words):
    parsed = parse_query(text)
    assert len(parsed.warnings) == 1 and "cú pháp" in parsed.warnings[0]
    found = tuple(leaf.text for leaf in parsed.leaves((Word,)))
    assert found == words


@pytest.mark.parametrize(
    "text",
    [
        "x" * 1001,  # too long
        " OR ".join(["a"] * (MAX_CLAUSES + 1)),  # too many clauses
        "(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1),  # too deep
        "year:abc",  # an impossible filter value
        "year:2022..2020",  # a reversed range
    ],
)
def test_query_errors(text):
    with pytest.raises(QueryError):
        parse_query(text)


@pytest.mark.parametrize(
    "value, bounds",
    [("2020", (2020, 2020)), ("2020..2022", (2020, 2022)), ("..2021", (None, 2021)), ("2019..", (2019, None))],
)
def test_year_bounds(value, bounds):
    assert year_bounds(value) == bounds


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list('ab đ"()-: 84/NQ-CP.') + ["AND", "OR", "NOT", "year:", "province:", "2020..", " "]), max_size=40))
def test_parse_never_crashes(pieces):
    text = "".join(pieces)
    try:
        parse_query(text)
    except QueryError:
        pass


# --- what each word matches --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, matches",
    [
        ("Hoà", [Match(("hoa",), ("hòa",))]),  # one tone placement: hoà = hòa
        ("hoa", [Match(("hoa",))]),  # typed without tones: every accent variant
        ('"đầu tư"', [Match(("dau", "tu"), ("đầu", "tư"))]),
        ('"dau tư"', [Match(("dau", "tu"), ("dau", "tư"))]),  # one word with tones: the phrase is exact
        ("84/nq-cp", [Match(("84/nq-cp",), whole=True)]),  # a code marks whole
        ("Nghị quyết số 84", []),  # a bare number marks nothing in the text
        ("-covid tỉnh", [Match(("tinh",), ("tỉnh",))]),  # negated words are not marked
    ],
)
def test_matches(text, matches):
    assert parse_query(text).matches() == matches


@pytest.mark.parametrize(
    "text",
    ["instrument:84/NQ-CP", '"84/NQ-CP"', "84/nq-cp", '"Nghị quyết 84/NQ-CP"'],
)
def test_instrument_typed_any_way_is_an_instrument_or_its_filter_without_warning(text):
    parsed = parse_query(text)
    assert parsed.warnings == ()
    assert parsed.tree in (Filter("instrument", "84/NQ-CP"), Instrument("84/NQ-CP", None, surface="84/NQ-CP"),
                           Instrument("84/NQ-CP", None, surface="84/nq-cp"),
                           Instrument("84/NQ-CP", "Nghị quyết", surface="Nghị quyết 84/NQ-CP"))


# --- abbreviations: one row per abbreviation of searchsvc/data/abbreviations.tsv ---------------------------
# (abbreviation, how a report spells it out): written from the reports and DOMAIN.md, not from the file
ABBREVIATION_ROWS = [
    ("KT-XH", "tình hình kinh tế - xã hội"),
    ("UBND", "Ủy ban nhân dân tỉnh"),
    ("HĐND", "Hội đồng nhân dân tỉnh"),
    ("NSNN", "thu ngân sách nhà nước"),
    ("GPMB", "bồi thường, giải phóng mặt bằng"),
    ("CCHC", "đẩy mạnh cải cách hành chính"),
    ("TTHC", "giải quyết thủ tục hành chính"),
    ("DN", "hỗ trợ doanh nghiệp"),
    ("DNNVV", "doanh nghiệp nhỏ và vừa"),
    ("FDI", "thu hút đầu tư trực tiếp nước ngoài"),
    ("ODA", "vốn hỗ trợ phát triển chính thức"),
    ("ANTT", "giữ vững an ninh trật tự"),
    ("QP-AN", "quốc phòng - an ninh"),
    ("NTM", "xây dựng nông thôn mới"),
    ("ATGT", "bảo đảm an toàn giao thông"),
    ("BHXH", "người tham gia bảo hiểm xã hội"),
    ("BHYT", "tỷ lệ bao phủ bảo hiểm y tế"),
    ("BHTN", "chi trả bảo hiểm thất nghiệp"),
    ("CNTT", "ứng dụng công nghệ thông tin"),
    ("CĐS", "thúc đẩy chuyển đổi số"),
    ("XDCB", "nợ đọng xây dựng cơ bản"),
    ("ĐTC", "giải ngân vốn đầu tư công"),
    ("KCN", "các khu công nghiệp"),
    ("CCN", "hạ tầng cụm công nghiệp"),
    ("KNTC", "giải quyết khiếu nại, tố cáo"),
    ("MTQG", "các chương trình mục tiêu quốc gia"),
    ("CTMTQG", "thực hiện chương trình mục tiêu quốc gia"),
    ("OCOP", "Chương trình mỗi xã một sản phẩm"),
    ("GRDP", "tổng sản phẩm trên địa bàn tỉnh"),
    ("KH&CN", "hoạt động khoa học và công nghệ"),
    ("THPT", "trường trung học phổ thông"),
    ("THCS", "trường trung học cơ sở"),
    ("ĐBQH", "Đoàn đại biểu Quốc hội"),
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc"),
    ("HTX", "các hợp tác xã"),
    ("BCĐ", "Ban Chỉ đạo tỉnh"),
    ("PCTT", "công tác phòng, chống thiên tai"),
    ("PCI", "Chỉ số năng lực cạnh tranh cấp tỉnh"),
    ("PAPI", "Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh"),
]


def test_every_abbreviation_of_the_data_file_has_a_row():
    assert sorted(a.shorts[0] for a in abbreviations()) == sorted(short for short, _ in ABBREVIATION_ROWS)


@pytest.mark.parametrize("short, sentence", ABBREVIATION_ROWS, ids=[s for s, _ in ABBREVIATION_ROWS])
def test_abbreviation_both_ways(short, sentence):
    # typed short, the spelled-out words are marked in a report that spells it out …
    assert "<mark>" in highlight(sentence, settle(parse_query(short).matches(), sentence))
    # … and typed spelled out, the abbreviation is marked where a report abbreviates
    spelled = by_short(short).expansion
    text, marked = f"về {short} trong năm", f"về <mark>{escape(short)}</mark> trong năm"
    assert highlight(text, settle(parse_query(" ".join(spelled)).matches(), text)) == marked
    assert highlight(text, settle(parse_query(short.lower()).matches(), text)) == marked


def test_abbreviation_alternatives_in_the_searched_tree():
    parsed = parse_query("tình hình KT-XH")
    assert parsed.tree == And((Word("tình"), Word("hình"), Word("KT-XH")))  # as typed
    assert parsed.search_tree == And((Word("tình"), Word("hình"),
                                      Alternatives((Word("KT-XH"), Phrase(("kinh", "tế", "xã", "hội"))))))
    spelled = parse_query("giải ngân vốn đầu tư công").search_tree
    assert spelled.items[-1] == Alternatives((Words((Word("đầu"), Word("tư"), Word("công"))), Word("ĐTC")))
    assert near_words(spelled) == ["giải", "ngân", "vốn", "đầu", "tư", "công"]  # nearness over all the words
