"""The Whoosh engine scores over NumPy arrays: it must score exactly as Whoosh's own searcher.

For each query shape the engine builds (a word in four fields with the exact-form boost, a body
phrase as bigrams, a heading phrase by positions, AND with a nearness bonus, OR, a keyword
filter), the same query is written as a Whoosh query and run by Whoosh's searcher with its
default BM25F weighting on the seed index; hits and scores must agree. Also: an index updated in
place (deleted documents in an older segment, a second segment) and the document arrays.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from whoosh.index import open_dir
from whoosh import query as wq

from searchsvc.engine import SearchIndex
from searchsvc.engines.whoosh_engine import Reader, prepare
from searchsvc.engines.whoosh_evaluate import Evaluator as _Evaluator
from searchsvc.indexing import build_index, current_generation
from searchsvc.normalize import exact_form, fold
from searchsvc.schema import EXACT_BOOST, PROXIMITY_BOOST, section_documents

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _word(text: str) -> wq.Query:
    folded, exact = fold(text), exact_form(text)
    terms = [wq.Term("body_f", folded), wq.Term("heading_f", folded)]
    if exact != folded:  # typed with accents
        terms += [wq.Term("body", exact, boost=EXACT_BOOST), wq.Term("heading", exact, boost=EXACT_BOOST)]
    return wq.Or(terms)


def _bigrams(field: str, forms: list[str], boost: float = 1.0) -> wq.Query:
    return wq.And([wq.Term(field, f"{a} {b}", boost=boost) for a, b in zip(forms, forms[1:])])


def _phrase(words: list[str], slop: int = 1, boost: float = 1.0) -> wq.Query:
    folded, exact = [fold(w) for w in words], [exact_form(w) for w in words]
    return wq.Or([
        _bigrams("body_b", folded, boost), wq.Phrase("heading_f", folded, slop=slop, boost=boost),
        _bigrams("body_eb", exact, boost * EXACT_BOOST), wq.Phrase("heading", exact, slop=slop, boost=boost * EXACT_BOOST),
    ])


CASES = [
    ("word with accents", lambda e: e.word("đầu"), _word("đầu")),
    ("rare word", lambda e: e.word("khoẻ"), _word("khoẻ")),
    ("body phrase", lambda e: e.phrase(("giải", "ngân", "vốn")), _phrase(["giải", "ngân", "vốn"])),
    ("heading phrase", lambda e: e.phrase(("kinh", "tế")), _phrase(["kinh", "tế"])),
    ("or", lambda e: e.any_of([e.word("covid"), e.word("dịch")]), wq.Or([_word("covid"), _word("dịch")])),
    ("and + nearness", lambda e: _near(e, ["đầu", "tư", "công"]),
     wq.AndMaybe(wq.And([_word("đầu"), _word("tư"), _word("công")]), _phrase(["đầu", "tư", "công"], 2, PROXIMITY_BOOST))),
    ("keyword filter", lambda e: e.all_of([e.word("vốn"), e.filter("province", ["Bắc Giang"])]),
     wq.And([_word("vốn"), wq.Term("f_province", "bac giang")])),
    ("instrument", lambda e: e.term("instruments", "84/nq-cp"), wq.Term("instruments", "84/nq-cp")),
]


def _near(evaluator: _Evaluator, words: list[str]):
    mask, score = evaluator.all_of([evaluator.word(w) for w in words])
    near_mask, near_score = evaluator.phrase(tuple(words), slop=2, boost=PROXIMITY_BOOST)
    return mask, score + np.where(mask & near_mask, near_score, 0.0)


def _whoosh_scores(reader: Reader, query: wq.Query) -> dict[int, float]:
    results = reader._searcher.search(query, limit=None)
    return {hit.docnum: hit.score for hit in results}


def _assert_same_scores(reader: Reader, ours, query: wq.Query) -> None:
    mask, score = ours(_Evaluator(reader))
    mask &= reader._live
    expected = _whoosh_scores(reader, query)
    assert expected, "a case that matches nothing proves nothing"
    assert set(np.flatnonzero(mask).tolist()) == set(expected)
    for doc, value in expected.items():
        assert score[doc] == pytest.approx(value, rel=1e-6), doc


@pytest.fixture(scope="module")
def whoosh_index(tmp_path_factory) -> SearchIndex:
    folder = tmp_path_factory.mktemp("whoosh-scores")
    build_index(CORPUS, folder, engine="whoosh")
    index = SearchIndex(folder)
    yield index
    index.close()


@pytest.mark.parametrize("name, ours, query", CASES, ids=[c[0] for c in CASES])
def test_scores_are_whoosh_scores(whoosh_index, name, ours, query):
    _assert_same_scores(whoosh_index.reader, ours, query)


def test_scores_stay_whoosh_scores_with_deletions_and_segments(tmp_path, seed_reports):
    """A report deleted from the first segment and written again into a second one (Whoosh's
    writer, told not to merge): postings of both segments, their offsets and the deletions must
    line up."""
    build_index(CORPUS, tmp_path / "index", engine="whoosh")
    path = current_generation(tmp_path / "index") / "whoosh"
    report = seed_reports[sorted(seed_reports)[2]]
    writer = open_dir(str(path)).writer()
    writer.delete_by_term("report_id", report.id)
    for document in section_documents(report):
        writer.add_document(**prepare(document))
    writer.commit(merge=False)
    reader = Reader(path)
    try:
        assert len(reader._searcher.reader().leaf_readers()) >= 2
        assert not reader._live.all()
        for _, ours, query in CASES:
            _assert_same_scores(reader, ours, query)
        assert reader.vocabulary() == _whoosh_vocabulary(reader._searcher.reader())
    finally:
        reader.close()


@pytest.mark.parametrize("workers", [0, 2], ids=["written here", "written by two workers"])
def test_scores_stay_whoosh_scores_when_builders_write_many_segments(tmp_path, monkeypatch, workers):
    """A full build's segment builder starts another segment whenever its postings reach
    ``SEGMENT_POSTINGS`` (here: every few documents), in this process or in each worker: all of
    them are listed, with the same documents and scores."""
    from searchsvc import indexing
    from searchsvc.engines import whoosh_build

    monkeypatch.setattr(indexing, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(whoosh_build, "SEGMENT_POSTINGS", 2000)
    summary = build_index(CORPUS, tmp_path / "index", engine="whoosh", workers=workers)
    reader = Reader(current_generation(tmp_path / "index") / "whoosh")
    try:
        segments = reader._searcher.reader().leaf_readers()
        assert len(segments) > 2  # more than one per builder
        assert reader._n == sum(leaf.doc_count_all() for leaf, _ in segments)
        ids = sorted(reader._searcher.stored_fields(d)["id"] for d in range(reader._n))
        assert len(set(ids)) == len(ids) == summary.sections  # each section once
        for _, ours, query in CASES:
            _assert_same_scores(reader, ours, query)
        assert reader.vocabulary() == _whoosh_vocabulary(reader._searcher.reader())
    finally:
        reader.close()


def _whoosh_vocabulary(reader) -> dict[str, str]:
    """Folded body term -> its most frequent spelling, through Whoosh's reader of all segments
    (term by term over the merged terms; the first of equal frequency kept)."""
    best: dict[str, tuple[int, str]] = {}
    for term, info in reader.iter_field("body"):
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        if fold(text) not in best or info.doc_frequency() > best[fold(text)][0]:
            best[fold(text)] = (info.doc_frequency(), text)
    return {key: text for key, (_, text) in best.items()}


def test_date_ranks_follow_whoosh_sorting(whoosh_index):
    from whoosh import sorting

    reader = whoosh_index.reader
    for sort, reverse in (("newest", True), ("oldest", False)):
        order = sorting.MultiFacet([sorting.FieldFacet("sort_date", reverse=reverse), sorting.FieldFacet("report_id"),
                                    sorting.FieldFacet("order")])
        expected = [hit.docnum for hit in reader._searcher.search(wq.Every(), limit=None, sortedby=order)]
        assert np.argsort(reader._array(sort)).tolist() == expected


# --- every segment shape Whoosh hands back ------------------------------------------------------------
def _commit_segment(path: Path, documents: list[dict], delete: str | None = None) -> None:
    """One more segment (Whoosh's writer told not to merge) holding ``documents``."""
    writer = open_dir(str(path)).writer()
    if delete:
        writer.delete_by_term("report_id", delete)
    for document in documents:
        writer.add_document(**prepare(document))
    writer.commit(merge=False)


def _add_empty_segment(path: Path) -> None:
    """A segment without documents listed in the index, as Whoosh's multiprocessing writer lists
    one for a sub-writer that got no job (a test-only use of its private steps)."""
    from whoosh.writing import SegmentWriter

    ix = open_dir(str(path))
    writer = SegmentWriter(ix)
    segments = list(ix._segments())
    writer._commit_toc(segments + [writer._finalize_segment()])
    writer._finish()


def _bare(document: dict) -> dict:
    """A section with only its required fields: no facet column has a value in its segment."""
    keep = ("id", "report_id", "section_id", "order", "heading", "heading_f", "body", "body_f", "sort_date", "year")
    return {k: v for k, v in document.items() if k in keep}


SHAPE_PRESENT = {  # how each shape shows in the segment readers Whoosh hands back
    "empty segment first": lambda leaves: any(not leaf.doc_count_all() for leaf, _ in leaves),
    "single-document segment": lambda leaves: any(leaf.doc_count_all() == 1 for leaf, _ in leaves),
    "segment with deletions": lambda leaves: any(leaf.has_deletions() for leaf, _ in leaves),
    "column absent from a segment": lambda leaves: any(not leaf.has_column("c_province") for leaf, _ in leaves),
    "update: old segment with deletions, new segment": lambda leaves: len(leaves) == 2 and leaves[0][0].has_deletions(),
}

SHAPES = {
    "empty segment first": lambda path, docs: _add_empty_segment(path),
    "single-document segment": lambda path, docs: _commit_segment(path, docs[:1]),
    "segment with deletions": lambda path, docs: _commit_segment(path, [], delete=docs[0]["report_id"]),
    "column absent from a segment": lambda path, docs: _commit_segment(path, [_bare(docs[1])]),
    "update: old segment with deletions, new segment": lambda path, docs: _commit_segment(
        path, docs, delete=docs[0]["report_id"]),
}


@pytest.fixture(scope="module")
def shaped(tmp_path_factory, seed_reports):
    """name -> index folder built with one segment shape (on top of a small index)."""
    report = seed_reports[sorted(seed_reports)[1]]
    documents = section_documents(report)
    other = section_documents(seed_reports[sorted(seed_reports)[3]])
    folders = {}
    for name, make in SHAPES.items():
        path = tmp_path_factory.mktemp("shape") / "whoosh"
        path.mkdir()
        from whoosh.index import create_in
        from searchsvc.schema import build_schema

        create_in(str(path), build_schema())
        if name == "empty segment first":
            make(path, documents)
            _commit_segment(path, documents)
        else:
            _commit_segment(path, other + documents)
            make(path, documents)
        folders[name] = path
    return folders


def _plain_answers(reader: Reader) -> dict:
    """What the reader reads of every document and term, through its (fast or not) paths."""
    body = reader._searcher.reader()
    words = sorted({t.decode() if isinstance(t, bytes) else t for t, _ in body.iter_field("body_f")})[:40:3]
    return {
        "n": reader._n,
        "live": reader._live.tolist(),
        "reports": list(reader._table.report_ids),
        "facets": {f: [sorted(c.values)] for f, c in reader._table.facets.items()},
        "arrays": {name: reader._array(name).tolist() for name in ("year", "newest", "oldest", "length:body_f")},
        "terms": {w: [a.tolist() for a in reader._term("body_f", w)] for w in words},
        "positions": {term: _heading_positions(reader, term) for term in (fold("kinh"), fold("tế"))},
    }


def _heading_positions(reader: Reader, term: str) -> dict[int, tuple[int, ...]]:
    docs = reader._positions("heading_f", term)[0]
    return dict(zip(docs.tolist(), reader.positions_in("heading_f", term, docs)))


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_segment_shape_reads_as_whoosh_reads_it(shaped, shape, monkeypatch):
    """Scores equal Whoosh's own searcher's, and the fast paths (private fields) read what the
    public API reads, on each shape."""
    from searchsvc.engines import whoosh_segments

    reader = Reader(shaped[shape])
    try:
        assert SHAPE_PRESENT[shape](reader._searcher.reader().leaf_readers())
        n = reader._n
        assert reader._table.report_ids == [reader._searcher.stored_fields(d)["report_id"] for d in range(n)]
        for _, ours, query in CASES[:6]:
            mask, score = ours(_Evaluator(reader))
            mask &= reader._live
            expected = _whoosh_scores(reader, query)
            assert set(np.flatnonzero(mask).tolist()) == set(expected)
            for doc, value in expected.items():
                assert score[doc] == pytest.approx(value, rel=1e-6)
        body = reader._searcher.reader()
        for term, _ in list(body.iter_field("body_f"))[::7]:  # the idf's frequency, counted from the postings read
            text = term.decode() if isinstance(term, bytes) else term
            assert reader._read_postings("body_f", text)[2] == body.doc_frequency("body_f", text)
        fast = _plain_answers(reader)
    finally:
        reader.close()
    monkeypatch.setattr(whoosh_segments, "_BLOCK_FIELDS", ("no such field",))
    monkeypatch.setattr(whoosh_segments, "_var_bytes", lambda column, count: None)
    monkeypatch.setattr(whoosh_segments, "_length_bytes", lambda leaf, column, count: None)
    monkeypatch.setattr(whoosh_segments, "_numeric_column", lambda column, count: None)
    reader = Reader(shaped[shape])
    try:
        assert _plain_answers(reader) == fast
    finally:
        reader.close()


# --- the arrays saved with the index ------------------------------------------------------------------
def _arrays_of(reader: Reader) -> dict:
    reader._read_arrays()
    table = reader._table
    return {
        "arrays": {name: array.tolist() for name, array in sorted(reader._arrays.items())},
        "reports": list(table.report_ids),
        "report_of": table.report_of.tolist(),
        "facets": {f: (c.values, c.flat.tolist(), c.pair_value.tolist(), c.pair_report.tolist()) for f, c in table.facets.items()},
    }


def test_saved_arrays_are_the_arrays_a_reader_makes(tmp_path, monkeypatch):
    """The writer saves the facet table and the per-document arrays after its commit; a reader
    opens with them (it builds no facet table) and they equal what it makes from Whoosh's
    columns. A file saved for other segments (an update since), or damaged, is not used."""
    from searchsvc.engines import whoosh_arrays, whoosh_engine

    build_index(CORPUS, tmp_path / "index", engine="whoosh")
    path = current_generation(tmp_path / "index") / "whoosh"
    assert (path / whoosh_arrays.ARRAYS_FILE).is_file()
    with monkeypatch.context() as patched:  # opening builds nothing
        patched.setattr(whoosh_engine.FacetTable, "from_columns", None)
        patched.setattr(whoosh_engine.Reader, "_read_array", None)
        reader = Reader(path)
        saved = _arrays_of(reader)
        reader.close()
    data = (path / whoosh_arrays.ARRAYS_FILE).read_bytes()
    (path / whoosh_arrays.ARRAYS_FILE).unlink()
    reader = Reader(path)
    try:
        assert _arrays_of(reader) == saved
    finally:
        reader.close()

    (path / whoosh_arrays.ARRAYS_FILE).write_bytes(data[: len(data) // 2])  # damaged: made again
    reader = Reader(path)
    try:
        assert _arrays_of(reader) == saved
    finally:
        reader.close()
    assert whoosh_arrays.load(path, ("other", ())) is None  # saved for other segments
