"""Shortcuts taken for speed agree with the plain ways they stand for.

* ``normalize.fold`` of a long text (one table lookup per character) against folding character
  by character, as ``fold`` does for short texts;
* ``snippets._alone`` (a word between non-letters taken as its own token without a regex)
  against ``snippets._token_at``;
* ``grouping._words`` (the words with digits taken out by one search over the distinct words)
  against checking each word;
* ``grouping._close`` (the first rows' sizes checked one by one, the others at once) against the
  size test on every kept row at once, whatever the number of rows checked one by one.
"""
from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchsvc import grouping
from searchsvc.normalize import _FOLD_TABLE, TOKEN_RE, _fold_char, fold, nfc
from searchsvc.snippets import _alone, _fold_letters, _places, _token_at

from .test_grouping_speed import BODY, _plain_grouping


def _fold_each(text: str) -> str:
    """``fold`` as written first: translate, then every character that is left on its own."""
    return "".join(_fold_char(ch) for ch in nfc(text).translate(_FOLD_TABLE))


# Vietnamese letters in both cases, NFD pieces (a combining mark folds to nothing), characters
# that fold to several ("…" -> "...", "Æ" -> "AE") or to one ASCII one from outside Latin ("“", "–",
# "²"), and code points past the table (CJK, emoji).
CHARS = st.sampled_from(list("aăâeêoôơuưiyđĐẠẶỆỘỢỨỲ AZz09-/.,&_\t\n") + ["e\u0301", "\u0323", "…", "Æ", "ß", "“", "”",
                                                                          "–", "²", "⁽", "漢", "😀", "ǅ", "İ"])


@settings(max_examples=400, deadline=None)
@given(st.lists(CHARS, min_size=0, max_size=120).map("".join))
def test_fold_of_a_long_text_is_folding_each_character(text):
    long = (text + " ") * 65  # past the length where the table is used
    assert fold(long) == _fold_each(long)
    assert fold(text) == _fold_each(text)


@pytest.mark.parametrize(
    "text",
    [
        "Chăm sóc sức khoẻ nhân dân " * 5,  # every character folds to one
        "Báo cáo… “tình hình” 2020–2025 " * 5,  # "…" folds to three: the slow way, same result
        "Nghi\u0323 quye\u0302\u0301t " * 10,  # NFD: composed first
    ],
)
def test_fold_of_long_vietnamese_texts(text):
    assert fold(text) == _fold_each(text)


TOKEN_CHARS = st.sampled_from(list("ab1ă/-.,& _\t") + ["đ", "Ư", "²"])


@settings(max_examples=500, deadline=None)
@given(st.lists(TOKEN_CHARS, max_size=24).map("".join), st.sampled_from(["a", "ab", "1", "b1", "a1b"]))
def test_a_word_alone_is_its_own_token(text, word):
    folded = _fold_letters(text)
    for place in _places(folded, word):
        end = place + len(word)
        if _alone(text, place, end):
            assert _token_at(text, place) == (place, end)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([f"r{i}" for i in range(30)]), BODY), max_size=60), st.sampled_from([0, 1, 3]))
def test_grouping_is_the_same_whatever_rows_are_checked_one_by_one(sections, head):
    ranked = [(i, 1.0 - i / 100, {"report_id": r, "title": r, "body": body}) for i, (r, body) in enumerate(sections)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grouping, "HEAD", head)
        rows = grouping.group_reports(ranked)
    got = [(row.report_id, [d for d, _, _ in row.ranked], [s["report_id"] for s in row.same_content]) for row in rows]
    assert got == _plain_grouping(ranked)


def test_close_lists_the_rows_of_about_as_many_words_in_order():
    sizes = np.array([10, 100, 80, 125, 126, 79, 100, 40, 95], dtype=np.int64)
    for head in range(len(sizes) + 1):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(grouping, "HEAD", head)
            # 100 words: 80 (0.8 exactly) and 125 (100/125 = 0.8) are close; 79 and 126 are not
            assert list(grouping._close(sizes, len(sizes), 100)) == [1, 2, 3, 6, 8]
            assert list(grouping._close(sizes, 3, 100)) == [1, 2]  # only the kept rows


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Đầu", "tư", "84/NQ-CP", "2020", "COVID-19", "x²", "a.b", "١٢", "KH&CN", " ", "\n", ", "]),
                max_size=60).map("".join))
def test_words_leave_out_every_word_with_a_digit(body):
    grouping._words.cache_clear()
    plain = frozenset(w for w in TOKEN_RE.findall(fold(body[: grouping.COMPARED])) if not re.search(r"\d", w))
    assert grouping._words(body) == plain
