import pytest
from hypothesis import given, settings, strategies as st

from searchsvc.query import (
    MAX_CLAUSES, MAX_DEPTH, And, Filter, Instrument, Not, Or, Phrase, QueryError, Word, parse_query, year_bounds,
)


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
    assert parsed.warnings == []


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
