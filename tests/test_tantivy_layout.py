"""The Tantivy layout: the body keeps term frequencies but no positions (a body phrase is its
syllable bigrams), headings keep positions (a heading phrase is positional). Tantivy refuses a
positional query on a field without positions, so these searches also show that no query the
engine builds reads body positions."""
from __future__ import annotations

import pytest

from searchsvc.engine import SearchIndex
from searchsvc.indexing import build_index
from searchsvc.models import SearchRequest
from searchsvc.searching import search

# One report written here: its text is the gold. The heading "Đầu tư công" holds the phrase;
# the body of the other section holds the same words, only in another order.
REPORT = """BÁO CÁO
Tình hình năm 2024

I. Đầu tư công
Năm nay tỉnh giải ngân vốn chậm so với kế hoạch.

II. Kết quả khác
Công tác đầu tư vào hạ tầng giao thông được đẩy mạnh; tư liệu công bố đầy đủ.
"""


@pytest.fixture(scope="module")
def tantivy_index(tmp_path_factory) -> SearchIndex:
    root = tmp_path_factory.mktemp("layout")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "bao-cao.txt").write_text(REPORT, encoding="utf-8")
    build_index(corpus, root / "index", engine="tantivy")
    return SearchIndex(root / "index")


@pytest.mark.parametrize(
    ("query", "headings"),
    [
        ('"giải ngân vốn"', ["Đầu tư công"]),  # a body phrase, words in order: its bigrams
        ('"giai ngan von"', ["Đầu tư công"]),  # the same typed without diacritics: folded bigrams
        ('"vốn giải ngân"', []),  # the body's words in another order: not the phrase
        ('"đầu tư vào hạ tầng"', ["Kết quả khác"]),  # a longer body phrase
        ('"đầu tư công"', ["Đầu tư công"]),  # in the heading only ("công tác đầu tư" in the other body is not it)
        ('"công đầu tư"', []),  # the heading's words in another order: its positions say no
        ("đầu tư", ["Kết quả khác", "Đầu tư công"]),  # two words: both sections, with a nearness bonus clause
    ],
)
def test_phrases_without_body_positions(tantivy_index, query, headings):
    results = search(tantivy_index, SearchRequest(q=query))
    assert sorted(hit.heading for hit in results.hits) == sorted(headings)
