"""The indexer's fast analysis (``analysis.analyze_joined``/``analyze_text``, ``signatures.section_words``,
``tantivy_writer.descending``) against the plain implementations it must agree with: Whoosh's
composed analyzers, ``grouping.words_of`` and the character-by-character formula."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchsvc import analysis, signatures
from searchsvc.analysis import EXACT, FOLDED, PAIR_JOIN, analyze_joined, analyze_text, split_compound
from searchsvc.engines import tantivy_writer
from searchsvc.grouping import COMPARED, words_of

# Letters of Vietnamese text (precomposed, decomposed, both tone placements, đ), figures and codes,
# every kind of space, and characters whose fold is not one letter: "中" folds to "Zhong " (a space
# inside a token), "½" to " 1/2", "İ" lower-cases to two characters.
PIECES = ["Nghị", "quyết", "hoà", "hòa", "Uỷ", "đầu", "tư", "công", "Đ", "ĐẦU", "nghi\u0323", "e\u0302\u0301",
          "\u0301", "84", "NQ", "CP", "2021", "6,4", "5.145", "KH", "CN", "Covid", "19", "a", "B",
          "中", "国", "½", "İ", "ß", "²", "_", "/", "-", ".", ",", "&", "(", ")", "%", ":", "⁽¹⁾"]
SPACES = [" ", "  ", "\n", "\t", "\xa0", "\u2003", "\u3000", "\r\n"]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(SPACES)), max_size=60).map("".join)


def reference_lists(text: str) -> tuple[list[str], ...]:
    """(exact parts, folded parts, exact wholes, folded wholes) of Whoosh's analyzers: a token is
    a whole when the tokenizer's text splits (its fold may hold spaces: "中" -> "Zhong ")."""
    raw = [t.text for t in analysis.VietnameseTokenizer()(text, mode="index")]
    exact, folded = ([t.text for t in analyzer(text, mode="index")] for analyzer in (EXACT, FOLDED))
    whole = [len(split_compound(t)) > 1 for t in raw]
    return ([t for t, w in zip(exact, whole) if not w], [t for t, w in zip(folded, whole) if not w],
            [t for t, w in zip(exact, whole) if w], [t for t, w in zip(folded, whole) if w])


def reference(text: str) -> analysis.Analyzed:
    """What Whoosh's analyzers make of a text, joined as ``Analyzed`` holds it."""
    exact, folded, exact_wholes, folded_wholes = reference_lists(text)
    pairs = [" ".join(map(PAIR_JOIN.join, zip(parts, parts[1:]))) for parts in (exact, folded)]
    return analysis.Analyzed(" ".join(exact), " ".join(folded), " ".join(exact_wholes), " ".join(folded_wholes), *pairs)


@pytest.mark.parametrize(
    "text",
    [
        "Nghị quyết 84/NQ-CP, hoà",
        "đầu tư công",
        "(84/NQ-CP),",  # one run: parts and a whole
        "đầu",  # one part: no pair
        "- – ,",  # runs without a token
        "",
        "中国 đầu tư",  # "中" folds to "Zhong ": a folded token holding spaces, paired as one
        "Nghị quyết ½ năm",  # "½" folds to " 1/2"
        "nghi\u0323 quye\u0302\u0301t",  # decomposed
        "a\u2003b\xa0c\u3000d",  # spaces other than " "
    ],
)
def test_analyze_joined_is_what_the_whoosh_analyzers_make(text):
    assert analyze_joined(text) == reference(text)
    assert analyze_joined(text) == reference(text)  # the runs cached
    assert analyze_text(text) == reference_lists(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=4))
def test_analyze_joined_agrees_with_the_whoosh_analyzers(batch):
    for text in batch:  # several texts: runs cached by one are reused by the next
        assert analyze_joined(text) == reference(text)
        assert analyze_text(text) == reference_lists(text)


def test_the_run_cache_starts_over_between_texts(monkeypatch):
    monkeypatch.setattr(analysis._Runs, "LIMIT", 3)
    for text in ["Nghị quyết 84/NQ-CP, hoà", "đầu tư công năm 2021", "中国 đầu tư", "a b c d e f g"] * 2:
        assert analyze_joined(text) == reference(text)
        assert analyze_text(text) == reference_lists(text)
    assert len(analysis._EXACT) <= 3 + len("a b c d e f g".split())


def test_tantivy_fields_hold_what_the_whoosh_analyzers_make(seed_reports):
    from searchsvc.schema import section_documents

    for report in seed_reports.values():
        for document in section_documents(report):
            fields, _ = tantivy_writer.prepare(document)
            body, heading = reference(document["body"]), reference(document["heading"])
            assert fields["body"].split() == (body.exact + " " + body.exact_wholes).split()
            assert fields["body_f"].split() == (body.folded + " " + body.folded_wholes).split()
            assert (fields["body_eb"], fields["body_b"]) == (body.exact_pairs, body.folded_pairs)
            assert fields["heading"].split()[:len(heading.exact.split())] == heading.exact.split()


long_texts = st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(SPACES)), max_size=900).map("".join)


@pytest.mark.parametrize(
    "text",
    [
        "Nghị quyết 84/NQ-CP (nghị quyết) về đầu tư",
        "a–b a—b",  # dashes are not spaces: one run, folded whole
        "中国 ½ năm 2021",
        "x" * (COMPARED - 2) + " đầu tư",  # a run cut at COMPARED characters
        "đầu tư " * 400,  # past COMPARED
    ],
)
def test_section_words_are_the_grouping_words(text):
    assert set(signatures.section_words(text)) == words_of(text)
    assert len(signatures.section_words(text)) == len(words_of(text))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(long_texts, min_size=1, max_size=3))
def test_section_words_agree_with_words_of(batch):
    for text in batch:
        assert sorted(signatures.section_words(text)) == sorted(words_of(text))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=("Cs",))))
def test_descending_is_the_character_formula(key):
    assert tantivy_writer.descending(key) == "".join(chr(0xFFFF - min(ord(c), 0xFFFE)) for c in key) + "\uffff"
