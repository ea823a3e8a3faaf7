"""``signatures.section_words`` (the words the indexer gives every section, made run by run) against
``grouping.words_of`` (the same words from the whole text, as a search without signatures makes them)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchsvc import signatures
from searchsvc.grouping import COMPARED, words_of
from searchsvc.normalize import fold

# Letters of Vietnamese text (precomposed, decomposed, both tone placements, đ), figures and codes,
# every kind of space, and characters whose fold is not one letter: "中" folds to "Zhong " (a space
# inside a run), "½" to " 1/2", "İ" lower-cases to two characters, "–" folds to "-" (joins words).
PIECES = ["Nghị", "quyết", "hoà", "hòa", "Uỷ", "đầu", "tư", "công", "Đ", "ĐẦU", "nghi\u0323", "e\u0302\u0301",
          "\u0301", "84", "NQ", "CP", "2021", "6,4", "5.145", "KH", "CN", "Covid", "19", "a", "B", "x" * 40,
          "中", "国", "½", "İ", "ß", "²", "_", "/", "-", "–", ".", ",", "&", "(", ")", "%", ":", "⁽¹⁾"]
SPACES = [" ", "  ", "\n", "\t", "\xa0", "\u2003", "\u3000", "\r\n", "\x1c", "\x85", "\u2028"]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(SPACES)), max_size=900).map("".join)


@pytest.mark.parametrize(
    "text",
    [
        "Nghị quyết 84/NQ-CP (nghị quyết) về đầu tư",  # a word once, codes and figures left out
        "a–b a—b",  # a dash is no space: one run, whose fold joins the words ("a-b")
        "中国 ½ năm 2021",  # folds holding spaces
        "nghi\u0323 quye\u0302\u0301t",  # decomposed
        "x" * (COMPARED - 2) + " đầu tư",  # a run cut at COMPARED characters
        "đầu tư " * 400,  # past COMPARED
        "",
    ],
)
def test_section_words_are_the_grouping_words(text):
    assert sorted(signatures.section_words(text)) == sorted(words_of(text))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=3))
def test_section_words_agree_with_words_of(batch):
    for text in batch:  # several texts: runs cached by one are reused by the next
        assert sorted(signatures.section_words(text)) == sorted(words_of(text))


def test_every_space_folds_to_a_space():
    """What makes a text's words the union of its runs' words: no space folds to a letter or to nothing."""
    spaces = [chr(code) for code in range(0x110000) if chr(code).isspace()]
    assert len(spaces) > 20
    for space in spaces:
        assert fold(space).isspace(), hex(ord(space))


def test_the_run_cache_starts_over(monkeypatch):
    monkeypatch.setattr(signatures._RunWords, "LIMIT", 3)
    for text in ["Nghị quyết 84/NQ-CP, hoà", "đầu tư công năm 2021", "中国 đầu tư", "a b c d e f g"] * 2:
        assert sorted(signatures.section_words(text)) == sorted(words_of(text))
    assert len(signatures._RUN_WORDS) <= 3 + len("a b c d e f g".split())
