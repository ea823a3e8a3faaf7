import pickle

import pytest

from searchsvc.analysis import EXACT, FOLDED, split_compound
from searchsvc.snippets import highlight, snippet


@pytest.mark.parametrize(
    "text, terms, phrases, expected",
    [
        ("Chăm sóc sức khoẻ nhân dân", {"suc", "khoe"}, [], "Chăm sóc <mark>sức khoẻ</mark> nhân dân"),
        ("giải ngân vốn", {"giai"}, [], "<mark>giải</mark> ngân vốn"),
        ("a <b> & c", {"b"}, [], "a &lt;<mark>b</mark>&gt; &amp; c"),  # escaped around the mark
        ("đầu tư công và đầu tư", set(), [("dau", "tu", "cong")], "<mark>đầu tư công</mark> và đầu tư"),
        ("Nghị quyết 84/NQ-CP ngày", {"84/nq-cp"}, [], "Nghị quyết <mark>84/NQ-CP</mark> ngày"),
        ("không có gì", {"xyz"}, [], "không có gì"),
    ],
)
def test_highlight(text, terms, phrases, expected):
    assert highlight(text, terms, phrases) == expected


def test_snippet_has_at_most_three_fragments():
    text = " ".join(["lời"] * 200 + ["đầu", "tư"] + ["lời"] * 200 + ["đầu", "tư"] + ["lời"] * 200 + ["đầu", "tư"] + ["lời"] * 200 + ["đầu", "tư"])
    html = snippet(text, {"dau", "tu"}, width=60)
    assert html.count("<mark>") == 3


def test_snippet_without_match_is_the_start():
    assert snippet("Báo cáo tình hình", {"xyz"}) == "Báo cáo tình hình"


@pytest.mark.parametrize(
    "token, parts",
    [("84/NQ-CP", ["84", "NQ", "CP"]), ("15/2021/NĐ-CP", ["15", "2021", "NĐ", "CP"]), ("6,4", ["6,4"]), ("đầu", ["đầu"])],
)
def test_split_compound(token, parts):
    assert split_compound(token) == parts


@pytest.mark.parametrize("analyzer", [EXACT, FOLDED], ids=["exact", "folded"])
def test_analyzers_survive_a_pickle_round_trip(analyzer):
    restored = pickle.loads(pickle.dumps(analyzer))
    text = "Uỷ ban hoà giải 84/NQ-CP"
    assert [t.text for t in restored(text, mode="index")] == [t.text for t in analyzer(text, mode="index")]


@pytest.mark.parametrize(
    "analyzer, text, mode, tokens",
    [
        (EXACT, "Hoà BÁN", "index", ["hòa", "bán"]),  # one tone placement, lower case, accents kept
        (FOLDED, "Hoà BÁN", "index", ["hoa", "ban"]),
        (FOLDED, "NQ 84/NQ-CP", "index", ["nq", "84/nq-cp", "84", "nq", "cp"]),  # whole and parts
        (FOLDED, "84/NQ-CP", "query", ["84", "nq", "cp"]),  # queries use the parts, as a phrase
    ],
)
def test_analyzers(analyzer, text, mode, tokens):
    assert [t.text for t in analyzer(text, mode=mode)] == tokens
