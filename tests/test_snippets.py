import pickle

import pytest

from searchsvc.analysis import EXACT, FOLDED, split_compound
from searchsvc.query import parse_query
from searchsvc.snippets import clean_notes, highlight, settle, snippet


def marks(text: str, query: str) -> str:
    return highlight(text, settle(parse_query(query).matches(), text))


@pytest.mark.parametrize(
    "text, query, expected",
    [
        ("Chăm sóc sức khoẻ nhân dân", "suc khoe", "Chăm sóc <mark>sức khoẻ</mark> nhân dân"),
        ("giải ngân vốn", "giai", "<mark>giải</mark> ngân vốn"),
        ("a <b> & c", "b", "a &lt;<mark>b</mark>&gt; &amp; c"),  # escaped around the mark
        ("đầu tư công và đầu tư", '"dau tu cong"', "<mark>đầu tư công</mark> và đầu tư"),
        ("Nghị quyết 84/NQ-CP ngày", "84/nq-cp", "Nghị quyết <mark>84/NQ-CP</mark> ngày"),
        ("không có gì", "xyz", "không có gì"),
        # typed with tones: only that spelling where the text has it (old and new tone placement alike)
        ("phấn đấu đầu tư từ vốn", "đầu tư", "phấn đấu <mark>đầu tư</mark> từ vốn"),
        ("CỘNG HÒA và đầu tư công", "công", "CỘNG HÒA và đầu tư <mark>công</mark>"),
        ("hoà giải và hòa giải", "hoà giải", "<mark>hoà giải</mark> và <mark>hòa giải</mark>"),
        ("môi trường mới", "mới", "môi trường <mark>mới</mark>"),
        # the text lacks the spelling typed: the folded form the engine counted is marked
        ("dau tu cong", "đầu tư", "<mark>dau tu</mark> cong"),
        # typed without tones: every accent variant
        ("đấu và đầu", "dau", "<mark>đấu</mark> và <mark>đầu</mark>"),
        # a code is marked whole, never in parts; a word never marks a part of a code
        ("theo 04-NQ/TU của Tỉnh ủy, đầu tư", "đầu tư", "theo 04-NQ/TU của Tỉnh ủy, <mark>đầu tư</mark>"),
        ("theo 04-NQ/TU, tu", "tu", "theo 04-NQ/TU, <mark>tu</mark>"),
        ("Nghị quyết 84/NQ-CP và NQ-CP", "84/NQ-CP", "Nghị quyết <mark>84/NQ-CP</mark> và NQ-CP"),
        # a part of a plain compound is a word the engine indexed ("covid" in "Covid-19")
        ("dịch Covid-19", "covid", "dịch <mark>Covid-19</mark>"),
        # an abbreviation marks its expansion and the reverse
        ("công tác GPMB và giải phóng mặt bằng", "GPMB", "công tác <mark>GPMB</mark> và <mark>giải phóng mặt bằng</mark>"),
    ],
)
def test_highlight(text, query, expected):
    assert marks(text, query) == expected


def test_snippet_has_at_most_three_fragments():
    text = " ".join(["lời"] * 200 + ["đầu", "tư"] + ["lời"] * 200 + ["đầu", "tư"] + ["lời"] * 200 + ["đầu", "tư"] + ["lời"] * 200 + ["đầu", "tư"])
    html = snippet(text, parse_query("dau tu").matches(), width=60)
    assert html.count("<mark>") == 3


def test_snippet_without_match_is_the_start():
    assert snippet("Báo cáo tình hình", parse_query("xyz").matches()) == "Báo cáo tình hình"


def test_snippet_pieces_that_overlap_are_merged_and_never_repeat_words():
    text = "Tỉnh đã giải ngân vốn đầu tư công đạt 95% kế hoạch, giải ngân vốn đầu tư công tăng so với cùng kỳ."
    html = snippet(text, parse_query("giải ngân vốn đầu tư công").matches(), width=60)
    plain = html.replace("<mark>", "").replace("</mark>", "").replace("… ", "").replace(" …", "")
    assert plain.count("đạt 95%") == 1 and plain.count("giải ngân") == 2  # as often as the text has them


def test_snippet_cuts_at_word_boundaries():
    text = "mở đầu " * 60 + "giải ngân vốn đầu tư công " + "kết thúc " * 60
    html = snippet(text, parse_query("giải ngân").matches(), width=80)
    for piece in html.split("…"):
        words = piece.replace("<mark>", "").replace("</mark>", "").split()
        assert all(w in {"mở", "đầu", "giải", "ngân", "vốn", "tư", "công", "kết", "thúc"} for w in words), piece


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Nghị quyết⁽¹⁾ số 84", "Nghị quyết số 84"),  # superscript marker
        ("Nghị quyết [footnoteRef:2] số 84", "Nghị quyết số 84"),
        ("Nghị quyết[footnote:3] số 84", "Nghị quyết số 84"),
        ("Nghị quyết[13: Nghị quyết về nhiệm vụ …] số 84", "Nghị quyết số 84"),  # an inline note
        ("Nghị quyết[1] số 84", "Nghị quyết số 84"),  # a bracketed marker
        ("**BÁO CÁO** năm", "BÁO CÁO năm"),  # markdown bold
        ("tỷ lệ [đạt] 95%", "tỷ lệ [đạt] 95%"),  # brackets that are not notes stay
    ],
)
def test_clean_notes(text, expected):
    assert clean_notes(text) == expected


def test_snippet_shows_no_footnote_markup():
    text = "Thực hiện Nghị quyết số 84/NQ-CP[footnote:2] của Chính phủ[2: Nghị quyết về giải pháp …] về đầu tư công"
    html = snippet(text, parse_query("đầu tư công").matches())
    assert "footnote" not in html and "[2" not in html and "<mark>đầu tư công</mark>" in html


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


# --- the find-based marker agrees with marking every token one by one ----------------------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402

from searchsvc.analysis import split_compound as _parts  # noqa: E402
from searchsvc.normalize import TOKEN_RE, exact_form, fold  # noqa: E402
from searchsvc.snippets import join_spans, marked_spans  # noqa: E402

SYLLABLES = ["đầu", "đấu", "dau", "ĐẦU", "tư", "từ", "tử", "TU", "công", "cộng", "CÔNG", "hoà", "hòa", "hoa",
             "84/NQ-CP", "04-NQ/TU", "Covid-19", "KT-XH", "giải", "giai", "ngân"]
GLUE = [" ", ", ", " - ", "; ", " (", ") ", "\n", "…"]


def naive_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Every token checked against every typed word: whole, or a part of a compound without "/";
    a word typed with diacritics marks only its spelling when the text has it somewhere."""
    tokens = list(TOKEN_RE.finditer(text))
    spans = []
    for word in words:
        exact = exact_form(word) if word != fold(word) else None
        hits = [(t, exact_form(t.group()) == exact) for t in tokens
                if fold(t.group()) == fold(word) or ("/" not in t.group() and fold(word) in [fold(p) for p in _parts(t.group())])]
        exact_there = exact is not None and any(e for t, e in hits if fold(t.group()) == fold(word))
        spans += [t.span() for t, e in hits if not exact_there or (e and fold(t.group()) == fold(word))]
    return join_spans(text, sorted(set(spans)))  # joining marks is not what is compared


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SYLLABLES), st.sampled_from(GLUE)), min_size=1, max_size=30),
       st.lists(st.sampled_from(["đầu", "dau", "tư", "tu", "công", "hòa", "giai", "covid", "ngân"]), min_size=1, max_size=3, unique=True))
def test_marks_agree_with_checking_every_token(pieces, words):
    text = "".join(s + g for s, g in pieces)
    matches = settle(parse_query(" ".join(words)).matches(), text)
    assert marked_spans(text, matches) == naive_spans(text, words)
