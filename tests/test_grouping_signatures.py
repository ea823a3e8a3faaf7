"""Grouping by report from the word signatures written at index time (``signatures``) gives what
grouping from the stored text gives: property tests against the plain grouping, and the same
searches with and without the signatures on the seed corpus (both engines) and on the real office
files; a missing, stale or damaged signatures folder is never read (the stored text is)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchsvc import reportrows, searching
from searchsvc.engine import SearchIndex
from searchsvc.grouping import Grouping, group_reports, group_sections, near_identical, words_of
from searchsvc.indexing import build_index
from searchsvc.models import SearchRequest
from searchsvc.signatures import COMPLETE, FOLDER, Recorder, Signatures, Stale, words_for

from .test_grouping_speed import BODY, _plain_grouping

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
REALDOCS = Path(os.environ.get("SEARCHSVC_REALDOCS", ROOT.parent / "shared" / "realdocs"))
QUERIES = ["đầu tư công", "ngân sách nhà nước", "kinh tế", "covid", '"vốn đầu tư"', "giải ngân", "báo cáo", "tỉnh"]
SECTIONS = st.lists(st.tuples(st.sampled_from("abcdefgh"), BODY), max_size=40)


def _rows(rows) -> list[tuple]:
    return [(r.report_id, r.title, r.province, r.year, [d for d, _, _ in r.ranked], r.same_content) for r in rows]


def _numbered(bodies: list[str], tmp: Path) -> Signatures:
    """Signatures of ``bodies`` (one report each, one section) written and read back as an index does."""
    generation = tmp / "gen-000001"
    generation.mkdir(parents=True, exist_ok=True)
    recorder = Recorder(generation, None)
    for i, body in enumerate(bodies):
        recorder.add(f"r{i}", (f"Báo cáo {i}", "Bắc Giang" if i % 2 else None, 2020 + i % 3, None, "2021-03-01"),
                     [tuple(words_of(body))])
    recorder.commit()
    return Signatures.open(generation)


ABOUT = {"title": "Báo cáo", "province": None, "year": 0, "period": "6 tháng", "report_date": None}


@settings(max_examples=150, deadline=None)
@given(SECTIONS, st.none() | st.integers(0, 8))
def test_grouping_by_word_numbers_is_grouping_by_words(tmp_path_factory, sections, detailed):
    """Word numbers (read back from a signatures part) and ``same`` (the signature number) fold
    exactly the reports that the words fold; stored fields are read for the sections of the
    first ``detailed`` rows only (the others show their report's fields: ``about``)."""
    ranked = [(i, 1.0 - i / 100, {"report_id": r, "body": body, **ABOUT}) for i, (r, body) in enumerate(sections)]
    signatures = _numbered([body for _, body in sections], tmp_path_factory.mktemp("sig"))
    read: list[int] = []
    rows = group_sections([(d, s, f["report_id"]) for d, s, f in ranked], lambda i: read.append(i) or ranked[i][2],
                          words=signatures.words, same=signatures.number, about=lambda r: dict(ABOUT), detailed=detailed)
    whole = group_reports(ranked)
    shown = len(rows) if detailed is None else detailed
    assert _rows(rows[:shown]) == _rows(whole[:shown])
    assert [(r.report_id, r.title, r.period, r.same_content) for r in rows] == \
        [(r.report_id, r.title, r.period, r.same_content) for r in whole]
    got = [(row.report_id, [s["report_id"] for s in row.same_content]) for row in rows]
    assert got == [(r, same) for r, _, same in _plain_grouping(ranked)]
    assert sorted(read) == sorted({i for r in rows[:shown] for i, (d, _, _) in enumerate(ranked)
                                   if d in {doc for doc, _, _ in r.ranked}})  # no folded copy's, no later row's


@settings(max_examples=200, deadline=None)
@given(SECTIONS, st.lists(st.integers(0, 40), max_size=3), st.integers(0, 8))
def test_grouping_more_sections_is_grouping_them_all_at_once(sections, cuts, detailed):
    """``Grouping.add`` of a list, then of a longer one starting with it (a search fetching more
    sections), gives what ``group_sections`` of the longer list gives."""
    ranked = [(i, 1.0, {"report_id": r, "title": r, "body": body}) for i, (r, body) in enumerate(sections)]
    listed = [(d, s, f["report_id"]) for d, s, f in ranked]
    grouping = Grouping(detailed)
    for cut in sorted(cuts) + [len(listed)]:
        rows = grouping.add(listed[:cut], lambda i: ranked[i][2])
    assert _rows(rows) == _rows(group_sections(listed, lambda i: ranked[i][2], detailed=detailed))
    other = listed[1:] + listed[:1]  # not the same start: grouped anew
    assert _rows(grouping.add(other, lambda i: ranked[(i + 1) % len(ranked)][2])) == \
        _rows(group_sections(other, lambda i: ranked[(i + 1) % len(ranked)][2], detailed=detailed))


@settings(max_examples=200, deadline=None)
@given(BODY, BODY)
def test_near_identical_of_word_numbers_is_near_identical_of_words(tmp_path_factory, a, b):
    signatures = _numbered([a, b], tmp_path_factory.mktemp("sig"))
    assert near_identical(signatures.words(0), frozenset(signatures.words(1))) == near_identical(words_of(a), words_of(b))
    assert len(signatures.words(0)) == len(words_of(a))
    assert (signatures.number(0) == signatures.number(1)) == (words_of(a) == words_of(b))


def _grouped(index: SearchIndex, q: str, page: int = 1, sort: str = "relevance") -> dict:
    results = searching.search(index, SearchRequest(q=q, group="report", page=page, per_page=3, sort=sort)).to_dict()
    results.pop("took_ms")
    return results


def _without_signatures(index: SearchIndex, q: str, page: int = 1, sort: str = "relevance") -> dict:
    generation = index.generation
    saved = generation.cache.get("signatures")
    generation.cache["signatures"] = None
    try:
        return _grouped(index, q, page, sort)
    finally:
        generation.cache["signatures"] = saved


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_seed_searches_group_the_same_with_signatures(seed_index, sort):
    generation = seed_index.generation
    signatures = Signatures.open(generation.path)
    assert signatures is not None and len(signatures) == seed_index.generation.reader.doc_count()
    for q in QUERIES:
        for page in (1, 2):
            assert _grouped(seed_index, q, page, sort) == _without_signatures(seed_index, q, page, sort), (q, page)
    engine = generation.reader
    compiled = engine.compile(None, {})
    sections, _ = reportrows._sections(engine, compiled, sort, 1000)
    words, _ = words_for(signatures, engine, sections)
    for i in range(len(sections)):  # every section's signature numbers its words
        body = reportrows._sections(engine, compiled, sort, 1000)[1](i)["body"]
        assert len(words(i)) == len(words_of(body))


def _copy(source: Path, target: Path, names: list[str] | None = None) -> Path:
    target.mkdir(parents=True)
    for path in sorted(source.iterdir()):
        if path.is_file() and (names is None or path.name in names):
            shutil.copy2(path, target / path.name)
    return target


@pytest.mark.parametrize("engine", ["tantivy", "whoosh"])
def test_an_update_adds_a_part_and_groups_the_same(tmp_path, engine):
    """An update (a file added, one changed, one removed) writes a second part; the engine's
    documents find their sections in both (Whoosh through report id and order)."""
    files = sorted(p.name for p in SEEDS.iterdir() if p.is_file())
    corpus = _copy(SEEDS, tmp_path / "corpus", files[:-1])
    build_index(corpus, tmp_path / "index", engine=engine)
    shutil.copy2(SEEDS / files[-1], corpus / files[-1])
    (corpus / files[0]).unlink()
    changed = corpus / files[1]
    changed.write_bytes(changed.read_bytes() + "\nĐầu tư công: đã giải ngân thêm.\n".encode() if changed.suffix == ".txt"
                        else changed.read_bytes())
    summary = build_index(corpus, tmp_path / "index", engine=engine)
    assert not summary.full and summary.added and summary.removed
    index = SearchIndex(tmp_path / "index")
    parts = sorted(p.name for p in (index.generation.path / FOLDER).glob("part-*.json"))
    assert parts == ["part-000000.json", "part-000001.json"]
    assert Signatures.open(index.generation.path) is not None
    for q in QUERIES:
        assert _grouped(index, q) == _without_signatures(index, q), q
    index.close()


def _built(tmp_path: Path, files: list[str] | None = None, folder: str = "index") -> tuple[Path, SearchIndex]:
    """(a copy of the seed corpus, or of some of its files, its Tantivy index)."""
    corpus = _copy(SEEDS, tmp_path / f"corpus-{folder}", files)
    build_index(corpus, tmp_path / folder, engine="tantivy")
    return corpus, SearchIndex(tmp_path / folder)


def test_missing_stale_or_damaged_signatures_are_not_read(tmp_path):
    _, index = _built(tmp_path)
    generation = index.generation.path
    expected = {q: _grouped(index, q) for q in QUERIES}
    folder = generation / FOLDER
    complete = json.loads((folder / COMPLETE).read_text())
    assert complete == {"generation": generation.name, "parts": 1}
    cases = {
        "stale": lambda: (folder / COMPLETE).write_text(json.dumps({"generation": "gen-999999", "parts": 1})),
        "missing": lambda: (folder / COMPLETE).unlink(),
        "a part missing": lambda: (folder / "part-000000.npz").unlink(),
        "no folder": lambda: shutil.rmtree(folder),
    }
    shutil.copytree(folder, tmp_path / "saved")
    for name, damage in cases.items():
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(tmp_path / "saved", folder)
        damage()
        assert Signatures.open(generation) is None, name
        index.generation.cache.pop("signatures", None)
        for q in QUERIES:
            assert _grouped(index, q) == expected[q], (name, q)
    index.close()


def test_an_update_of_a_generation_without_signatures_writes_none(tmp_path):
    """A generation whose parts are not complete for it (written by a version without them) is
    updated without signatures: they would lack the sections it added."""
    files = sorted(p.name for p in SEEDS.iterdir() if p.is_file())
    corpus, first = _built(tmp_path, files[:-1])
    live = first.generation.path
    first.close()
    shutil.rmtree(live / FOLDER)
    shutil.copy2(SEEDS / files[-1], corpus / files[-1])
    build_index(corpus, tmp_path / "index", engine="tantivy")
    index = SearchIndex(tmp_path / "index")
    assert index.generation.path != live and not (index.generation.path / FOLDER).exists()
    assert Signatures.open(index.generation.path) is None
    _, whole = _built(tmp_path, folder="whole")  # the same files built at once: with signatures
    assert Signatures.open(whole.generation.path) is not None
    for q in QUERIES:
        assert _grouped(index, q) == _grouped(whole, q), q
    index.close(), whole.close()


def test_an_update_of_damaged_signatures_writes_none_and_succeeds(tmp_path):
    files = sorted(p.name for p in SEEDS.iterdir() if p.is_file())
    corpus, first = _built(tmp_path, files[:-1])
    live = first.generation.path
    first.close()
    (live / FOLDER / "part-000000.json").write_text("{")
    shutil.copy2(SEEDS / files[-1], corpus / files[-1])
    assert build_index(corpus, tmp_path / "index", engine="tantivy").added == [files[-1]]
    index = SearchIndex(tmp_path / "index")
    assert index.generation.path != live and not (index.generation.path / FOLDER).exists()
    assert (live / FOLDER / "part-000000.bin").exists()  # the previous generation keeps its files
    index.close()


def test_sections_of_another_index_are_not_taken_for_the_engines(tmp_path):
    """Parts whose sections are not the engine's documents (report ids differ) are not used."""
    _, index = _built(tmp_path)
    generation = index.generation.path
    (tmp_path / generation.name).mkdir()
    recorder = Recorder(tmp_path / generation.name, None)
    for n in range(3):
        recorder.add(f"other{n}", ("Khác", None, 0), [("từ",)] * 2000)
    recorder.commit()
    other = Signatures.open(tmp_path / generation.name)
    engine = index.generation.reader
    sections, _ = reportrows._sections(engine, engine.compile(None, {}), "relevance", 50)
    with pytest.raises(Stale):
        other.row(engine, *sections[0][::2])
    words, _ = words_for(Signatures.open(generation), engine, sections)
    assert words(0)
    expected = {q: _grouped(index, q) for q in QUERIES}
    index.generation.cache["signatures"] = other  # searches group from the stored text
    assert {q: _grouped(index, q) for q in QUERIES} == expected
    index.close()


@pytest.fixture(scope="module")
def real_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("realdocs-tantivy")
    build_index(REALDOCS, folder, engine="tantivy")
    index = SearchIndex(folder)
    yield index
    index.close()


def test_real_office_files_group_the_same_with_signatures(real_index):
    assert Signatures.open(real_index.generation.path) is not None
    titles = [real_index.report(rid)["title"] for rid in real_index.report_ids()]
    queries = ["cải cách hành chính", "chỉ số", "Lâm Đồng", "kế hoạch", "quyết định công bố", "ma túy", "2025", ""]
    for q in queries + [" ".join(t.split()[:3]) for t in titles if t]:
        for sort in ("relevance", "newest"):
            assert _grouped(real_index, q, 1, sort) == _without_signatures(real_index, q, 1, sort), (q, sort)
