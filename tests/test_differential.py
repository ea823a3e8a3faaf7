"""Differential tests on random collections: the Whoosh fast path against Whoosh itself, and
against the Tantivy engine.

Hypothesis makes collections of 1–40 small reports from the seed reports' sentences and headings,
with metadata that varies (a province and date line or none, a title or none, text typed without
diacritics, empty sections), built in one process or by worker processes that write segments of
their own (one or several each), then changed (files removed, rewritten, added: deletions and
new segments) and, some of the time, merged into one segment. On each, random queries of every
kind the query language has (words with and without accents, phrases, OR, AND, NOT and ``-``,
parentheses, instruments, field filters, year ranges), with and without facet filters:

* the fast path's hits, their order and scores, totals, report counts and every facet's counts
  equal what Whoosh's own ``searcher.search`` finds for the same query, counted plainly;
* the Tantivy engine gives the same totals, report counts, facets and hits (and the same pages
  when sorted by date), as the engines promise.

CI runs ``DIFF_EXAMPLES`` collections; ``SEARCHSVC_DIFF_EXAMPLES=200`` runs more on demand. The
numbers of collections and queries tried are printed at the end (``pytest -s``).
"""
from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq
from whoosh import sorting
from whoosh.index import open_dir

from searchsvc.analysis import bigrams, split_compound
from searchsvc.engine import SearchIndex
from searchsvc.indexing import build_index, current_generation
from searchsvc.models import SearchRequest
from searchsvc.normalize import exact_form, fold, has_diacritics
from searchsvc.query import And, Filter, Instrument, Not, Or, Phrase, QueryError, Word, parse_query
from searchsvc.schema import (EXACT_BOOST, FACET_COLUMNS, MULTI_SEP, PROXIMITY_BOOST, filter_clause, instrument_term,
                              word_terms)
from searchsvc.searching import search

SEEDS = Path(__file__).resolve().parent.parent / "corpus"
DIFF_EXAMPLES = int(os.environ.get("SEARCHSVC_DIFF_EXAMPLES", "6"))
QUERIES_PER_COLLECTION = 12
TRIED = Counter()  # collections, queries, comparisons: printed at the end of the session


@atexit.register
def _print_counts() -> None:
    if TRIED:
        print(f"\ndifferential tests: {TRIED['collections']} collections, {TRIED['queries']} queries "
              f"({TRIED['filtered']} with facet filters, {TRIED['hits']} with hits), {TRIED['tantivy']} compared with "
              f"Tantivy; {TRIED['reports']} reports, {TRIED['multi-segment']} multi-segment indexes, "
              f"{TRIED['deleted']} with deleted documents")


# --- the material: sentences and headings of the seed reports ----------------------------------------
def _material() -> tuple[list[str], list[str]]:
    sentences, headings = [], []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip().strip("*").strip()
            if re.match(r"^[IVX]+\.\s+\S", line) and len(line) < 120:
                headings.append(re.sub(r"^[IVX]+\.\s+", "", line))
            elif 40 < len(line) < 400:
                sentences += [s.strip() for s in re.split(r"(?<=[.;])\s+", line) if len(s.strip()) > 20]
    return sorted(set(sentences)), sorted(set(headings))


SENTENCES, HEADINGS = _material()
PROVINCES = ["Bắc Giang", "Bình Phước", "Bến Tre", "Hà Tĩnh", "Bình Dương", "Thừa Thiên Huế"]
ROMAN = ["I", "II", "III", "IV", "V"]
WORDS = sorted({w for s in SENTENCES[::7] for w in re.findall(r"[^\W\d_]+", s) if len(w) > 1})
INSTRUMENTS = sorted({m for s in SENTENCES for m in re.findall(r"\b\d{1,3}/(?:\d{4}/)?[A-ZĐ]{1,4}-[A-ZĐa-z]{1,6}\b", s)})


@st.composite
def reports(draw) -> str:
    """The text of one small report."""
    lines = []
    if draw(st.booleans()):
        province = draw(st.sampled_from(PROVINCES))
        day, month, year = draw(st.integers(1, 28)), draw(st.integers(1, 12)), draw(st.integers(2018, 2024))
        lines.append(f"{province}, ngày {day} tháng {month} năm {year}" if draw(st.booleans()) else f"{province}, năm {year}")
        lines.append("")
    lines.append("BÁO CÁO")
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(SENTENCES))[:100])
    lines.append("")
    lines += draw(st.lists(st.sampled_from(SENTENCES), max_size=2))
    for number in range(draw(st.integers(0, 4))):
        lines += ["", f"{ROMAN[number]}. {draw(st.sampled_from(HEADINGS))}"]
        lines += draw(st.lists(st.sampled_from(SENTENCES), max_size=3))  # an empty section at times
    text = "\n".join(lines) + "\n"
    return fold(text) if draw(st.integers(0, 5)) == 0 else text  # typed without diacritics


@st.composite
def collections(draw) -> dict:
    texts = [draw(reports()) for _ in range(draw(st.integers(1, 40)))]
    names = [f"r{number:03d}.txt" for number in range(len(texts))]
    changes = {}
    if draw(st.booleans()):  # an update: files removed, rewritten, added
        for name in draw(st.lists(st.sampled_from(names), max_size=4, unique=True)):
            changes[name] = draw(st.one_of(st.none(), reports()))  # None: removed
        for number in range(draw(st.integers(0, 3))):
            changes[f"n{number:03d}.txt"] = draw(reports())
    return {
        "files": dict(zip(names, texts)),
        "changes": changes,
        "workers": draw(st.sampled_from([0, 2])),  # parsed here, or by worker processes
        # postings a segment builder's segment holds: a segment every document or few, or one per builder
        "segment_postings": draw(st.sampled_from([1, 300, 8_000_000])),
        # Whoosh's update: its own merge policy, no merging (deletions stay in older segments), or
        # everything merged into one segment at the end
        "merge": draw(st.sampled_from(["policy", "none", "optimize"])),
    }


def _write(folder: Path, files: dict) -> None:
    for name, text in files.items():
        if text is None:
            (folder / name).unlink(missing_ok=True)
        else:
            (folder / name).write_text(text, encoding="utf-8")


def _whoosh_merging(merge: bool):
    """Whoosh's update writer with its merge policy, or told not to merge (a test-only shape:
    deletions stay in older segments)."""
    from whoosh.writing import SegmentWriter

    commit = SegmentWriter.commit
    if merge:
        return mock.patch.object(SegmentWriter, "commit", commit)
    return mock.patch.object(SegmentWriter, "commit", lambda self, *args, **kwargs: commit(self, merge=False))


def _build(collection: dict, engine: str, where: Path) -> SearchIndex:
    corpus, index_dir = where / "corpus", where / engine
    corpus.mkdir(parents=True, exist_ok=True)
    _write(corpus, collection["files"])
    with mock.patch("searchsvc.indexing.POOL_MIN_FILES", 2), \
            mock.patch("searchsvc.engines.whoosh_build.SEGMENT_POSTINGS", collection["segment_postings"]), \
            _whoosh_merging(collection["merge"] != "none"):
        build_index(corpus, index_dir, engine=engine, workers=collection["workers"])
        if collection["changes"]:
            _write(corpus, collection["changes"])
            build_index(corpus, index_dir, workers=collection["workers"])
    if engine == "whoosh" and collection["merge"] == "optimize":
        open_dir(str(current_generation(index_dir) / "whoosh")).optimize()
    return SearchIndex(index_dir)


# --- queries -----------------------------------------------------------------------------------------
def _term(draw, words: list[str]) -> str:
    kind = draw(st.integers(0, 9))
    word = draw(st.sampled_from(words))
    if kind <= 3:
        return word if kind else fold(word)
    if kind == 4:
        return '"' + " ".join(draw(st.lists(st.sampled_from(words), min_size=2, max_size=3))) + '"'
    if kind == 5 and INSTRUMENTS:
        return draw(st.sampled_from(INSTRUMENTS))
    if kind == 6:
        return f'province:"{draw(st.sampled_from(PROVINCES))}"'
    if kind == 7:
        low = draw(st.integers(2017, 2025))
        return f"year:{low}" if draw(st.booleans()) else f"year:{low}..{low + draw(st.integers(0, 3))}"
    if kind == 8:
        return f'type:"{draw(st.sampled_from(["Nghị quyết", "Quyết định", "Kế hoạch", "Chỉ thị"]))}"'
    return word.upper()


@st.composite
def query_texts(draw, words: list[str]) -> str:
    parts = [_term(draw, words)]
    for _ in range(draw(st.integers(0, 3))):
        joint = draw(st.sampled_from([" ", " OR ", " OR ", " AND ", " -", " NOT "]))
        parts.append(joint + _term(draw, words))
    text = "".join(parts)
    if draw(st.integers(0, 4)) == 0:
        text = f"({text}) {draw(st.sampled_from(words))}"
    return text


# --- the oracle: the same query as Whoosh queries, run by Whoosh's searcher ---------------------------
def _w_word(text: str) -> wq.Query:
    return wq.Or([wq.Term(field, term, boost=boost) for field, term, boost in word_terms(text)])


def _w_phrase(words: tuple[str, ...], slop: int = 1, boost: float = 1.0) -> wq.Query:
    parts = [p for w in words for p in split_compound(w)]
    if len(parts) == 1:
        return _w_word(parts[0])
    folded = [fold(p) for p in parts]
    options = [wq.And([wq.Term("body_b", b, boost=boost) for b in bigrams(folded)]),
               wq.Phrase("heading_f", folded, slop=slop, boost=boost)]
    if any(has_diacritics(w) for w in words):
        exact = [exact_form(p) for p in parts]
        options += [wq.And([wq.Term("body_eb", b, boost=boost * EXACT_BOOST) for b in bigrams(exact)]),
                    wq.Phrase("heading", exact, slop=slop, boost=boost * EXACT_BOOST)]
    return wq.Or(options)


def _w_filter(facet: str, values: list[str]) -> wq.Query:
    options = []
    for value in values:
        field, term = filter_clause(facet, value)
        if field == "year":  # a range scores 1, as a constant
            options.append(wq.ConstantScoreQuery(wq.NumericRange("year", term[0], term[1]), 1.0))
        else:
            options.append(wq.Term(field, term))
    return options[0] if len(options) == 1 else wq.Or(options)


def to_whoosh(node) -> wq.Query:
    if node is None:
        return wq.Every()
    if isinstance(node, Word):
        return _w_word(node.text)
    if isinstance(node, Phrase):
        return _w_phrase(node.words)
    if isinstance(node, Instrument):
        term = instrument_term(node.canonical, node.year) if node.canonical else f"{fold(node.type)}#{node.number}"
        return wq.Term("instruments", term)
    if isinstance(node, Filter):
        return _w_filter(node.field, [node.value])
    if isinstance(node, Not):  # every live document the item does not match, scoring 1
        return wq.ConstantScoreQuery(wq.Not(to_whoosh(node.item)), 1.0)
    if isinstance(node, Or):
        return wq.Or([to_whoosh(item) for item in node.items])
    if isinstance(node, And):
        query = wq.And([to_whoosh(item) for item in node.items])
        words = tuple(item.text for item in node.items if isinstance(item, Word))
        return wq.AndMaybe(query, _w_phrase(words, 2, PROXIMITY_BOOST)) if len(words) > 1 else query
    raise TypeError(node)


def _oracle(searcher, tree, filters: dict, excluding: str | None = None) -> dict[int, float]:
    """docnum -> score of Whoosh's own search of the query and every filter but ``excluding``."""
    parts = [to_whoosh(tree)] + [_w_filter(f, v) for f, v in filters.items() if v and f != excluding]
    query = parts[0] if len(parts) == 1 else wq.And(parts)
    return {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}


def _plain_facet(cells: list[str], reports: list[str], docs) -> dict[str, int]:
    """value -> distinct reports among ``docs``, counted one document at a time."""
    pairs = {(value, reports[d]) for d in docs for value in (cells[d].split(MULTI_SEP) if cells[d] else [])}
    return dict(Counter(value for value, _ in pairs))


# --- the comparisons ---------------------------------------------------------------------------------
def _compare_with_whoosh(index: SearchIndex, tree, filters: dict) -> None:
    reader = index.reader
    searcher = reader._searcher
    whoosh_reader = searcher.reader()
    reports = [whoosh_reader.stored_fields(d)["report_id"] if not whoosh_reader.is_deleted(d) else None
               for d in range(whoosh_reader.doc_count_all())]
    compiled = reader.compile(tree, filters)
    expected = _oracle(searcher, tree, filters)
    docs = reader.matching_docs(compiled)
    assert sorted(docs) == sorted(expected)
    assert reader.count_reports(docs) == len({reports[d] for d in expected})

    page, total = reader.page(compiled, "relevance", 0, max(len(expected), 1))
    assert total == len(expected)
    ours = [(doc, score) for doc, score, _ in page]
    assert sorted(doc for doc, _ in ours) == sorted(expected)
    for doc, score in ours:
        assert score == pytest.approx(expected[doc], rel=1e-6, abs=1e-9), doc
    newest = _date_order(searcher, "newest")
    place = {doc: i for i, (doc, _) in enumerate(ours)}
    for (a, score_a), (b, score_b) in zip(ours, ours[1:]):
        assert score_a >= score_b
        if score_a == score_b:  # ties: newest report first, then report id and section order
            assert newest[a] < newest[b]
    ranked = sorted(expected, key=lambda d: (-expected[d], d))
    for better, worse in zip(ranked, ranked[1:]):
        if expected[better] > expected[worse] * (1 + 1e-6) + 1e-9:  # clearly apart in Whoosh: apart here too
            assert place[better] < place[worse]

    for sort in ("newest", "oldest"):
        dated, _ = reader.page(compiled, sort, 0, max(len(expected), 1))
        order = _date_order(searcher, sort)
        assert [doc for doc, _, _ in dated] == sorted(expected, key=order.__getitem__)

    for facet, column in FACET_COLUMNS.items():
        cells = [str(v) if not isinstance(v, bytes) else v.decode() for v in whoosh_reader.column_reader(column, translate=False)]
        among = expected if facet not in filters else _oracle(searcher, tree, filters, excluding=facet)
        counted = reader.count_facet(facet, reader.matching_docs(compiled, excluding=facet if facet in filters else None))
        plain = _plain_facet(cells, reports, among)
        assert dict(counted) == plain, facet
        assert list(counted) == sorted(plain, key=lambda v: (-plain[v], v))


_ORDERS: dict = {}


def _date_order(searcher, sort: str) -> dict[int, int]:
    """docnum -> place in Whoosh's own sort by (date, report id, section order), newest or oldest first."""
    key = (id(searcher), sort)
    if key not in _ORDERS:
        reverse = sort == "newest"
        facet = sorting.MultiFacet([sorting.FieldFacet("sort_date", reverse=reverse), sorting.FieldFacet("report_id"),
                                    sorting.FieldFacet("order")])
        if len(_ORDERS) > 4:  # another collection's
            _ORDERS.clear()
        _ORDERS[key] = {hit.docnum: i for i, hit in enumerate(searcher.search(wq.Every(), limit=None, sortedby=facet))}
    return _ORDERS[key]


def _answer(index: SearchIndex, q: str, filters: dict, sort: str) -> tuple:
    first = search(index, SearchRequest(q=q, filters=filters, sort=sort, per_page=100))
    hits = list(first.hits)
    for page in range(2, (first.total + 99) // 100 + 1):
        hits += search(index, SearchRequest(q=q, filters=filters, sort=sort, page=page, per_page=100)).hits
    facets = {name: [(v.value, v.count, v.selected) for v in values] for name, values in first.facets.items()}
    keys = [(h.report_id, h.section_id) for h in hits]
    return first.total, first.total_reports, facets, first.warnings, keys if sort != "relevance" else sorted(keys)


def _facet_values(index: SearchIndex) -> dict[str, list[str]]:
    values = search(index, SearchRequest(q="")).facets
    return {name: [v.value for v in found] for name, found in values.items() if found}


_WORK = Path(tempfile.mkdtemp(prefix="searchsvc-diff-"))
atexit.register(shutil.rmtree, _WORK, ignore_errors=True)


@settings(max_examples=DIFF_EXAMPLES, deadline=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(collection=collections(), data=st.data())
def test_fast_path_equals_whoosh_and_tantivy_on_random_collections(collection, data):
    where = Path(tempfile.mkdtemp(dir=_WORK))
    try:
        whoosh, tantivy = _build(collection, "whoosh", where), _build(collection, "tantivy", where / "t")
        TRIED["collections"] += 1
        TRIED["reports"] += len(whoosh.report_ids())
        TRIED["segments"] += len(whoosh.reader._searcher.reader().leaf_readers())
        TRIED["multi-segment"] += len(whoosh.reader._searcher.reader().leaf_readers()) > 1
        TRIED["deleted"] += not whoosh.reader._live.all()
        texts = [t for t in {**collection["files"], **collection["changes"]}.values() if t]
        counts = Counter(w for t in texts for w in re.findall(r"[^\W\d_]+", t) if len(w) > 1)
        words = [w for w, _ in counts.most_common(300)] or WORDS  # words the collection has, often
        values = _facet_values(whoosh)
        for _ in range(QUERIES_PER_COLLECTION):
            q = data.draw(query_texts(words), label="query")
            filters = {}
            wanted = values and data.draw(st.integers(0, 2), label="with facet filters") == 0
            for facet in data.draw(st.lists(st.sampled_from(sorted(values)), max_size=2, unique=True), label="facets") if wanted else []:
                filters[facet] = data.draw(st.lists(st.sampled_from(values[facet]), min_size=1, max_size=2, unique=True))
            try:
                tree = parse_query(q).tree
            except QueryError:
                continue
            TRIED["queries"] += 1
            TRIED["hits"] += len(whoosh.reader.matching_docs(whoosh.reader.compile(tree, filters))) > 0
            TRIED["filtered"] += bool(filters)
            _compare_with_whoosh(whoosh, tree, filters)
            sort = data.draw(st.sampled_from(["relevance", "newest", "oldest"]), label="sort")
            assert _answer(tantivy, q, filters, sort) == _answer(whoosh, q, filters, sort), (q, filters, sort)
            TRIED["tantivy"] += 1
        whoosh.close(), tantivy.close()
    finally:
        shutil.rmtree(where, ignore_errors=True)


# --- the real office files: both engines, the same answers ---------------------------------------------
REALDOCS = Path(os.environ.get("SEARCHSVC_REALDOCS", Path(__file__).resolve().parents[2] / "shared" / "realdocs"))
REAL_QUERIES = ["cải cách hành chính", "cai cach hanh chinh", '"chỉ số"', "Lâm Đồng", "Quảng Ngãi OR Bình Thuận",
                "ma túy -Lâm", "NOT chỉ số", "kế hoạch year:2025", "2025", "", "quyết định công bố", "xyzzyq"]


@pytest.fixture(scope="module")
def real_indexes(tmp_path_factory) -> dict:
    built = {}
    for engine in ("whoosh", "tantivy"):
        folder = tmp_path_factory.mktemp(f"realdocs-{engine}")
        summary = build_index(REALDOCS, folder, engine=engine)
        built[engine] = (summary, SearchIndex(folder))
    yield built
    for _, index in built.values():
        index.close()


def test_every_real_file_indexes_and_searches_the_same_on_both_engines(real_indexes):
    """Whatever the loaders read of ../shared/realdocs today (files they skip are skipped by
    both, with the same reason), both engines give the same answers to queries of every kind
    and to the first words of each report's title, sorted by relevance and by date."""
    (whoosh_summary, whoosh), (tantivy_summary, tantivy) = real_indexes["whoosh"], real_indexes["tantivy"]
    assert whoosh_summary.reports > 0
    assert (sorted(tantivy_summary.added), tantivy_summary.skipped) == (sorted(whoosh_summary.added), whoosh_summary.skipped)
    titles = [whoosh.report(rid)["title"] for rid in whoosh.report_ids()]
    queries = REAL_QUERIES + [" ".join(re.findall(r"[^\W\d_]+", title)[:3]) for title in titles if title]
    for q in queries:
        for sort in ("relevance", "newest"):
            assert _answer(tantivy, q, {}, sort) == _answer(whoosh, q, {}, sort), (q, sort)
    everything = search(whoosh, SearchRequest(q=""))
    assert everything.total_reports == whoosh_summary.reports == len(whoosh.report_ids())
