"""Whoosh and Tantivy side by side on the seed corpus: the same query must give the same answer.

Every other test on the seed index already runs once per engine (``conftest.engine``); this module
puts the two next to each other, so that a drift shows as a difference rather than as two tests
that each still pass. Scores differ in their last digits (Tantivy keeps field lengths in one
byte), so relevance order is compared where Whoosh's scores are clearly apart.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from searchsvc.engine import SearchIndex
from searchsvc.engines import tantivy_writer
from searchsvc.indexing import IndexUnavailable, build_index, current_generation
from searchsvc.models import FACETS, SearchRequest
from searchsvc.query import parse_query
from searchsvc.searching import search

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
R0, R1, R2, R3, R4 = sorted(p.stem for p in CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> dict[str, SearchIndex]:
    """One index of the seed corpus per engine."""
    indexes = {}
    for name in ("whoosh", "tantivy"):
        folder = tmp_path_factory.mktemp(f"both-{name}")
        build_index(CORPUS, folder, engine=name)
        indexes[name] = SearchIndex(folder)
    yield indexes
    for index in indexes.values():
        index.close()


QUERIES = [
    # instruments, in the ways people write them (DOMAIN.md)
    ("Nghị quyết 84/NQ-CP", {}),
    ("nghi quyet 84/nq-cp", {}),  # no diacritics, lower case
    ("84/NQ-CP", {}),  # the bare symbol
    ("Nghị quyết số 84", {}),  # type and number only
    ("01/NQ-CP", {}),  # one number, three years
    ("15/CT-TTg", {}),
    ("36-NQ/TW", {}),  # a Party document: hyphen first
    ("NQ 84", {}),  # abbreviated type word
    # words, accented and not
    ("giải ngân vốn đầu tư công", {}),
    ("giai ngan von dau tu cong", {}),
    ("bán", {}),  # accents change meaning: exact matches first
    ("ban", {}),  # without accents: every variant
    ("sức khoẻ", {}),  # old-style tone placement
    ("sức khỏe", {}),  # new-style
    ("covid-19", {}),  # a compound, matched whole
    ("Covid", {}),  # a part of a compound
    ("tăng trưởng 6,4", {}),  # a figure stays one token
    # phrases
    ('"chuyển đổi số"', {}),
    ('"đầu tư công"', {}),
    ('"chu yen doi"', {}),  # nothing has it
    # boolean logic
    ("y tế OR giáo dục", {}),
    ("doanh nghiệp -covid", {}),
    ("NOT covid", {}),
    ("(du lịch OR thương mại) AND dịch vụ", {}),
    ('đầu tư "cải cách hành chính"', {}),
    ('"đầu tư công', {}),  # invalid syntax: searched as words
    # filters, in the query and as facets
    ('covid province:"Bắc Giang"', {}),
    ("covid year:2020..2021", {}),
    ('type:"Nghị quyết" issuer:"Chính phủ"', {}),
    ("kinh tế", {"province": ["Bắc Giang", "Hà Tĩnh"]}),  # OR within a facet
    ("kinh tế", {"year": ["2020"], "type": ["Chỉ thị"]}),  # AND across facets
    ("", {"instrument": ["84_NQ-CP.2020"]}),  # browsing one instrument
    ("", {"section": ["II. Đánh giá chung"]}),
    (f"chỉ đạo report:{R1}", {}),
    # no query at all: everything
    ("", {}),
    # a typo: did you mean
    ("giai ngn", {}),
]


def _facets(results) -> dict:
    return {name: [(v.value, v.count, v.selected) for v in values] for name, values in results.facets.items()}


def _hit(hit) -> tuple:
    return (hit.report_id, hit.section_id, hit.heading, hit.snippet, json.dumps(hit.instruments, sort_keys=True), tuple(hit.path))


def _run(index, q, filters, sort="relevance", page=1, per_page=20):
    return search(index, SearchRequest(q=q, filters=filters, sort=sort, page=page, per_page=per_page))


@pytest.mark.parametrize("q, filters", QUERIES)
@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_sorted_pages_are_identical(both, q, filters, sort):
    whoosh, tantivy = (_run(both[name], q, filters, sort) for name in ("whoosh", "tantivy"))
    assert (tantivy.total, tantivy.total_reports) == (whoosh.total, whoosh.total_reports)
    assert _facets(tantivy) == _facets(whoosh)
    assert [_hit(h) for h in tantivy.hits] == [_hit(h) for h in whoosh.hits]  # same order, same snippets
    assert (tantivy.suggestion, tantivy.warnings) == (whoosh.suggestion, whoosh.warnings)
    if whoosh.total > 20:  # a later page too
        later = [_run(both[name], q, filters, sort, page=2) for name in ("whoosh", "tantivy")]
        assert [_hit(h) for h in later[1].hits] == [_hit(h) for h in later[0].hits]


def _every_hit(index, q, filters) -> tuple:
    """(first page of 100, every hit in rank order) of a relevance search."""
    first = _run(index, q, filters, per_page=100)
    hits = list(first.hits)
    for page in range(2, (first.total + 99) // 100 + 1):
        hits += _run(index, q, filters, page=page, per_page=100).hits
    return first, hits


@pytest.mark.parametrize("q, filters", QUERIES)
def test_relevance_finds_the_same_hits_and_the_same_best_one(both, q, filters):
    (whoosh, whoosh_hits), (tantivy, tantivy_hits) = (_every_hit(both[name], q, filters) for name in ("whoosh", "tantivy"))
    assert (tantivy.total, tantivy.total_reports) == (whoosh.total, whoosh.total_reports)
    assert _facets(tantivy) == _facets(whoosh)
    assert (tantivy.suggestion, tantivy.warnings) == (whoosh.suggestion, whoosh.warnings)
    assert sorted(_hit(h) for h in tantivy_hits) == sorted(_hit(h) for h in whoosh_hits)
    scores = [h.score for h in whoosh_hits]
    if len(scores) > 1 and scores[0] > scores[1] * 1.02:  # a clear winner in Whoosh wins in Tantivy too
        assert _hit(tantivy_hits[0]) == _hit(whoosh_hits[0])
    # and wherever Whoosh's scores are clearly apart, the two rank the same way
    position = {_hit(h)[:2]: i for i, h in enumerate(tantivy_hits)}
    for better, worse in zip(whoosh_hits, whoosh_hits[1:]):
        if better.score > worse.score * 1.05:
            assert position[_hit(better)[:2]] < position[_hit(worse)[:2]], (better.section_id, worse.section_id)


@pytest.mark.parametrize("q", ["Nghị quyết 84/NQ-CP", "covid", "", "kinh tế year:2020", "NOT covid"])
def test_every_facet_counts_the_same_values(both, q):
    """All values of every facet, not only the ones a page shows (FACET_SIZE)."""
    counts = {}
    for name, index in both.items():
        reader = index.reader
        compiled = reader.compile(parse_query(q).tree, {})
        docs = reader.matching_docs(compiled)
        aliases = index.catalogue().aliases
        counts[name] = {f: dict(reader.count_facet(f, docs, aliases if f == "instrument" else None)) for f in FACETS}
        counts[name]["reports"] = len({reader.report_of(d) for d in docs})
    assert counts["tantivy"] == counts["whoosh"]


def test_instrument_ties_come_in_the_same_order_in_both(both):
    """Equal scores (sections citing only the instrument) come in the same order in both."""
    ranked = {name: _run(index, "Nghị quyết 84/NQ-CP", {}, per_page=100).hits for name, index in both.items()}
    assert [(h.report_id, h.section_id, h.score) for h in ranked["tantivy"]] == [
        (h.report_id, h.section_id, h.score) for h in ranked["whoosh"]
    ]


def test_vocabulary_and_corrections_agree(both):
    whoosh, tantivy = (both[name].reader for name in ("whoosh", "tantivy"))
    assert tantivy.vocabulary() == whoosh.vocabulary()
    for word in ("giai", "ngn", "kinhh", "covit", "tnh", "dau", "xyz", "84/nq-c"):
        assert tantivy.correct(word) == whoosh.correct(word), word


def test_analysis_emits_the_tokens_of_the_whoosh_analyzers(seed_reports):
    """Same terms as ``analysis.EXACT``/``FOLDED``: the parts in order, then the whole compounds."""
    from searchsvc.analysis import EXACT, FOLDED, split_compound

    for report in seed_reports.values():
        for section in report.sections:
            exact, folded = tantivy_writer.analyze(section.text)
            for analyzer, ours in ((EXACT, exact), (FOLDED, folded)):
                tokens = [t.text for t in analyzer(section.text, mode="index")]
                wholes = [t for t in tokens if len(split_compound(t)) > 1]
                parts = [t for t in tokens if len(split_compound(t)) == 1]
                assert ours.split() == parts + wholes


@pytest.mark.parametrize(
    "text, exact, folded",
    [
        ("Nghị quyết 84/NQ-CP", "nghị quyết 84 nq cp 84/nq-cp", "nghi quyet 84 nq cp 84/nq-cp"),
        ("Uỷ ban hoà giải", "ủy ban hòa giải", "uy ban hoa giai"),  # one tone placement
        ("tăng 6,4% so với 5.145 tỷ", "tăng 6,4 so với 5.145 tỷ", "tang 6,4 so voi 5.145 ty"),  # figures whole
        ("Covid-19 và KH&CN", "covid 19 và kh cn covid-19 kh&cn", "covid 19 va kh cn covid-19 kh&cn"),
        ("", "", ""),
    ],
)
def test_analyze(text, exact, folded):
    assert tantivy_writer.analyze(text) == (exact, folded)


def test_descending_keys_sort_newest_first():
    dates = ["2023-06-14", "2020-99-99", "2020-12-31", "0000", "2020", "2020-1", "2021-01-01"]
    assert sorted(dates, key=tantivy_writer.descending) == sorted(dates, reverse=True)


def test_changing_engine_rebuilds_in_full(tmp_path):
    index_dir = tmp_path / "index"
    build_index(CORPUS, index_dir, engine="whoosh")
    summary = build_index(CORPUS, index_dir, engine="tantivy")
    assert summary.full and len(summary.added) == 5
    assert (current_generation(index_dir) / "tantivy").is_dir()
    index = SearchIndex(index_dir)
    assert search(index, SearchRequest(q="Nghị quyết 84/NQ-CP")).total_reports == 3
    index.close()
    assert not build_index(CORPUS, index_dir).changed  # later runs keep the engine the index has


def test_tantivy_index_of_another_layout_asks_for_a_full_rebuild(tmp_path):
    index_dir = tmp_path / "index"
    build_index(CORPUS, index_dir, engine="tantivy")
    layout = current_generation(index_dir) / "tantivy" / tantivy_writer.LAYOUT_FILE
    layout.write_text(json.dumps({"version": -1}))
    with pytest.raises(IndexUnavailable, match="--full"):
        SearchIndex(index_dir)


def test_tantivy_incremental_update_replaces_a_report(tmp_path):
    """delete_report + add in one writer: the old sections are gone, the new ones found."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine="tantivy")
    before = SearchIndex(index_dir)
    sections = search(before, SearchRequest(q=f"report:{R1}")).total
    before.close()
    target = corpus / f"{R1}.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nCây thanh long xuất khẩu sang châu Âu.\n", encoding="utf-8")
    assert build_index(corpus, index_dir).updated == [f"{R1}.txt"]
    index = SearchIndex(index_dir)
    assert {h.report_id for h in search(index, SearchRequest(q='"thanh long xuất khẩu"')).hits} == {R1}
    after = search(index, SearchRequest(q=f"report:{R1}", per_page=100))
    assert after.total in (sections, sections + 1)  # the report once, not twice
    assert len({h.section_id for h in after.hits}) == after.total
    assert search(index, SearchRequest(q="")).total_reports == 5
    index.close()


def test_tantivy_reader_serves_threads_at_once(both):
    """One reader per server worker, shared by its threads (a Tantivy search releases the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    index = both["tantivy"]
    queries = ["covid", "Nghị quyết 84/NQ-CP", '"đầu tư công"', "kinh tế year:2020", "NOT covid", ""] * 8
    alone = {q: _facets(_run(index, q, {})) for q in set(queries)}
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(lambda q: (q, _facets(_run(index, q, {}))), queries))
    assert all(facets == alone[q] for q, facets in together)


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_an_index_without_documents_answers_empty(tmp_path, engine):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "empty.txt").write_bytes(b"")  # skipped: nothing gets indexed
    build_index(tmp_path / "corpus", tmp_path / "index", engine=engine)
    index = SearchIndex(tmp_path / "index")
    for q in ("covid", "", "Nghị quyết 84/NQ-CP"):
        results = search(index, SearchRequest(q=q))
        assert (results.total, results.total_reports, results.hits) == (0, 0, [])
        assert all(values == [] for values in results.facets.values())
    index.close()


# --- a new user's collection, through the command line -------------------------------------------------
SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def _six_formats(folder: Path) -> None:
    """Six ordinary report files: UTF-8, UTF-8 with BOM and CRLF, NFD, Windows-1258 (decomposed,
    as that code page writes Vietnamese), a .docx made with python-docx, and one typed without
    diacritics."""
    import unicodedata

    import docx

    from searchsvc.normalize import fold

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    folder.mkdir()
    (folder / "a_utf8.txt").write_text(texts[0], encoding="utf-8")
    (folder / "b_bom_crlf.txt").write_bytes(b"\xef\xbb\xbf" + texts[1].replace("\n", "\r\n").encode("utf-8"))
    (folder / "c_nfd.txt").write_text(unicodedata.normalize("NFD", texts[2]), encoding="utf-8")
    (folder / "d_cp1258.txt").write_bytes(unicodedata.normalize("NFD", texts[3]).encode("cp1258", errors="replace"))
    document = docx.Document()
    for line in texts[4].splitlines():
        document.add_paragraph(line)
    document.save(folder / "e_docx.docx")
    (folder / "f_plain.txt").write_text(fold(texts[0]), encoding="utf-8")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "searchsvc.cli", *args], capture_output=True, text=True, timeout=600,
                          env=os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parent.parent)})


SIX_QUERIES = ["kinh tế", "kinh te", '"đầu tư công"', "Nghị quyết 84/NQ-CP", "covid -dịch", "", "giáo dục OR y tế",
               "ngân sách year:2020"]


def _answers(index: Path) -> dict:
    answers = {}
    for q in SIX_QUERIES:
        done = _cli("search", q, "--index", str(index), "--json", "--limit", "100")
        assert done.returncode == 0, done.stderr
        results = json.loads(done.stdout)
        answers[q] = (results["total"], results["total_reports"], results["facets"],
                      sorted((h["report_id"], h["section_id"], h["snippet"]) for h in results["hits"]))
    return answers


def test_six_ordinary_files_index_and_search_on_the_default_engine_as_on_tantivy(tmp_path):
    _six_formats(tmp_path / "corpus")
    built = _cli("index", "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "default"))
    assert built.returncode == 0, built.stderr
    assert "Báo cáo: 6 " in built.stdout
    assert _cli("index", "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "tantivy"),
                "--engine", "tantivy").returncode == 0
    default, tantivy = _answers(tmp_path / "default"), _answers(tmp_path / "tantivy")
    assert default["kinh tế"][1] == 6 and default["Nghị quyết 84/NQ-CP"][0]  # every file found, citations too
    assert default == tantivy


def _sort_date(hit) -> str:
    """A hit's report date as the index sorts by it (``schema.section_documents``: a year alone
    sorts after the dated reports of that year, no date at all first)."""
    return hit.report_date or (f"{hit.year}-99-99" if hit.year else "0000")


def _comes_first(a, b, sections: dict[str, list[str]]) -> bool:
    """Whether hit ``a`` comes before hit ``b`` of the same score: newer report, else (report id,
    section order)."""
    if _sort_date(a) != _sort_date(b):
        return _sort_date(a) > _sort_date(b)
    return (a.report_id, sections[a.report_id].index(a.section_id)) < (b.report_id, sections[b.report_id].index(b.section_id))


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_equal_scores_come_newest_report_first_then_by_report_and_section_order(tmp_path, engine, monkeypatch):
    """Ties are ordered by report date (newest first), report id, section order — the same after
    a rebuild of the same corpus, whichever process wrote which document (worker processes race
    for files and Whoosh's write a segment each, so document numbers change between builds)."""
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    orders = []
    for build in ("first", "again"):
        build_index(CORPUS, tmp_path / build, engine=engine, workers=0 if build == "first" else 2)
        index = SearchIndex(tmp_path / build)
        ranked = {q: search(index, SearchRequest(q=q, per_page=100)).hits for q in ("Nghị quyết 84/NQ-CP", "covid", "01/NQ-CP")}
        sections = {rid: [s["id"] for s in index.report(rid)["sections"]] for rid in index.report_ids()}
        index.close()
        ties = 0
        for hits in ranked.values():
            for better, worse in zip(hits, hits[1:]):
                assert better.score >= worse.score
                if better.score == worse.score:
                    ties += 1
                    assert _comes_first(better, worse, sections), (better.report_id, better.section_id)
        assert ties  # the queries do have equal scores
        orders.append({q: [(h.report_id, h.section_id) for h in hits] for q, hits in ranked.items()})
    assert orders[0] == orders[1]


def test_a_thousand_term_query_is_evaluated_once_per_distinct_term(both, monkeypatch, capsys):
    """Bounded work in the engines whatever the query (the parser caps what users type; the
    engines do not rely on it): a tree of 1,000 words, as AND and as OR, finds what one of its
    words finds, and Whoosh reads each distinct term once. The CPU time of each is printed (a
    measurement, not an assertion)."""
    import time

    from searchsvc.engines import whoosh_engine
    from searchsvc.query import And, Or, Word

    reads = []
    original = whoosh_engine.Reader._term
    monkeypatch.setattr(whoosh_engine.Reader, "_term", lambda self, *key: reads.append(key) or original(self, *key))
    words = [Word(w) for w in ("1", "covid", "tế")] * 334
    for name, index in both.items():
        reader = index.reader
        for combine in (And, Or):
            reads.clear()
            started = time.process_time()
            compiled = reader.compile(combine(tuple(words)), {})
            page, total = reader.page(compiled, "relevance", 0, 10)
            spent = (time.process_time() - started) * 1000
            read_for_all, reads[:] = list(reads), []
            alone = reader.compile(combine(tuple(words[:4])), {})  # every pair of neighbours once
            assert sorted(reader.matching_docs(compiled)) == sorted(reader.matching_docs(alone))
            assert total == len(reader.matching_docs(alone))
            if name == "whoosh":  # as many term lookups as for four of the words
                assert len(read_for_all) == len(reads)
            with capsys.disabled():
                print(f"\n1,000-term {combine.__name__} on {name}: {spent:.1f} ms CPU, {total} hits")
