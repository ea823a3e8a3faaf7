"""What a Tantivy reader knows per document once it has read it (``Reader._load``): which
uids are live, and the order of equal scores."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import tantivy

from searchsvc.engines.tantivy_engine import open_reader
from searchsvc.engines.tantivy_writer import line_count
from searchsvc.indexing import build_index, current_generation
from searchsvc.normalize import fold, has_diacritics
from searchsvc.query import parse_query

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _built(tmp_path: Path) -> tuple[Path, Path]:
    """(a copy of the seed corpus, its Tantivy index)."""
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    build_index(corpus, index_dir, engine="tantivy")
    return corpus, index_dir


def _reader(index_dir: Path):
    return open_reader(current_generation(index_dir) / "tantivy")


def _asked(reader, field: str) -> list[int]:
    """The uids of every live document in ``field`` order, asked of Tantivy one by one."""
    searcher = reader._index.searcher()
    hits = searcher.search(tantivy.Query.all_query(), searcher.num_docs, order_by_field=field, order=tantivy.Order.Asc).hits
    return [searcher.fast_field_values("uid", [address])[0] for _, address in hits]


def _check(reader) -> None:
    """The live mask and the tie ranks the reader loaded, against Tantivy's own answers."""
    arrays = reader._load()
    lines = line_count(reader._rows_path)
    live = _asked(reader, "uid")
    assert len(arrays.live) == lines
    assert np.flatnonzero(arrays.live).tolist() == live
    by_date = _asked(reader, "sort_new")
    assert np.argsort(arrays.tie_rank[by_date], kind="stable").tolist() == list(range(len(by_date)))
    assert sorted(arrays.tie_rank[by_date].tolist()) == list(range(len(by_date)))
    assert np.all(arrays.tie_rank[~arrays.live] == len(by_date))  # deleted documents rank past every live one


def test_a_fresh_build_has_every_uid_live(tmp_path):
    _, index_dir = _built(tmp_path)
    reader = _reader(index_dir)
    _check(reader)
    assert reader._load().live.all()  # as many live documents as lines: none deleted


def test_an_update_leaves_the_replaced_and_removed_reports_sections_out(tmp_path):
    corpus, index_dir = _built(tmp_path)
    before = line_count(current_generation(index_dir) / "tantivy" / "facets.jsonl")
    target = corpus / "001_ffc53ab4c4f31481.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nKhu công nghiệp Đồng Xoài mở rộng.\n", encoding="utf-8")
    (corpus / "004_41c8df0f7ff6743b.txt").unlink()
    build_index(corpus, index_dir)
    reader = _reader(index_dir)
    _check(reader)
    live = reader._load().live
    assert len(live) > before and 0 < np.count_nonzero(~live) < before  # old lines of two reports stay, not live
    assert np.count_nonzero(live) == reader.doc_count()


BLOCK = 1 << 20  # what line_count reads at a time


@pytest.mark.parametrize("lengths", [
    [],  # an empty file: no uid given yet
    [1],  # one empty line
    [BLOCK - 1, 5],  # the first block ends right after a newline
    [BLOCK, 5],  # the first newline is the second block's first byte
    [BLOCK + 1],  # one line longer than a block
    [100, 2 * BLOCK, 7, 1],  # lines on both sides of two block ends
])
def test_line_count_counts_across_the_blocks_it_reads(tmp_path, lengths):
    path = tmp_path / "facets.jsonl"
    path.write_bytes(b"".join(b"x" * (length - 1) + b"\n" for length in lengths))
    assert line_count(path) == len(lengths)


def test_the_vocabulary_keeps_one_string_for_a_term_without_accents(tmp_path):
    _, index_dir = _built(tmp_path)
    reader = _reader(index_dir)
    terms = reader._index.searcher().terms_with_prefix("body", "")
    expected: dict[str, str] = {}
    for term, _ in sorted(terms, key=lambda t: (-t[1], t[0])):  # most frequent spelling, then first in order
        expected.setdefault(fold(term), term)
    vocabulary = reader.vocabulary()
    assert vocabulary == expected
    assert any(has_diacritics(v) for v in vocabulary.values()) and any(k == v for k, v in vocabulary.items())
    assert all(k is v for k, v in vocabulary.items() if k == v)  # memory: one string for both


@pytest.mark.parametrize("margin", [2, 16])
def test_a_search_wanting_more_hits_gives_what_a_search_of_its_own_gives(tmp_path, monkeypatch, margin):
    """The hits a search fetched are ``kept`` (``Reader._ranked``): asking the
    same search for more or fewer gives what a search of its own gives, whether the hits kept
    serve it (every hit fetched, or enough scoring above the last one) or it searches again.
    Ties are ordered by rank here (the path that fetches past the wanted hits), and the margin
    is small enough that both happen."""
    _, index_dir = _built(tmp_path)
    reader = _reader(index_dir)
    reader._load().tie_order = False
    monkeypatch.setattr(type(reader), "TIE_MARGIN", margin)
    reused = searched = 0
    for q in ("năm", "kinh tế", "tỉnh", "đầu tư công"):
        tree = parse_query(q).search_tree
        compiled, kept = reader.compile(tree, {}), {}
        total = len(reader.matching_docs(compiled))
        assert total > 40 + margin, q  # the first fetch leaves hits out
        for n in (40, 9, 1, total, total // 2, 5):
            before = kept.get("ranked")
            assert reader.sections(compiled, "relevance", n, kept)[0] == reader.sections(reader.compile(tree, {}), "relevance", n)[0], (q, n)
            reused, searched = reused + (kept["ranked"] is before), searched + (kept["ranked"] is not before)
    assert reused and searched
