"""search() on the seed corpus. Expected answers come from reading the files (plain string search
over corpus/*.txt in this module), not from the engine."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from searchsvc.models import SearchRequest
from searchsvc.normalize import exact_form, fold
from searchsvc.searching import QueryError, search

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
R0, R1, R2, R3, R4 = sorted(p.stem for p in CORPUS.glob("*.txt"))


def grep_reports(needle: str, folded: bool = False) -> set[str]:
    """Report ids whose file contains ``needle`` (optionally accent-insensitively)."""
    out = set()
    for path in CORPUS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        haystack, wanted = (fold(text), fold(needle)) if folded else (text, needle)
        if wanted in haystack:
            out.add(path.stem)
    return out


def run(index, q="", **kwargs):
    per_page = kwargs.pop("per_page", 100)
    return search(index, SearchRequest(q=q, per_page=per_page, **kwargs))


def reports_of(results) -> set[str]:
    return {h.report_id for h in results.hits}


@pytest.mark.parametrize(
    "q",
    [
        "Nghị quyết 84/NQ-CP",
        "nghi quyet 84/NQ-CP",  # no diacritics
        "84/NQ-CP",  # the bare symbol
        "NQ 84/NQ-CP",  # abbreviation as type word
        "Nghị quyết số 84",  # type and number only
        "84/nq-cp",  # lower case
        "NGHỊ QUYẾT 84/NQ-CP",  # upper case
    ],
)
def test_instrument_query_returns_exactly_the_citing_reports(seed_index, q):
    expected = grep_reports("84/NQ-CP")
    assert expected == {R0, R2, R4}
    results = run(seed_index, q)
    assert reports_of(results) == expected
    assert results.total_reports == 3
    for hit in results.hits:  # every hit cites it, and says so
        assert any(i["canonical"] == "84/NQ-CP" for i in hit.instruments)


def test_same_number_across_years_told_apart(seed_index):
    results = run(seed_index, "01/NQ-CP")
    cited = {i["key"] for h in results.hits for i in h.instruments if i["canonical"] == "01/NQ-CP"}
    assert cited == {"01_NQ-CP.2020", "01_NQ-CP.2021", "01_NQ-CP.2023"}
    years = {v.value: v.count for v in results.facets["year"]}
    assert years == {"2020": 2, "2021": 1, "2023": 1}  # 000 and 004 cite the 2020 one
    only_2021 = run(seed_index, "instrument:01_NQ-CP.2021")
    assert reports_of(only_2021) == {R3}


@pytest.mark.parametrize("q", ["giải ngân vốn đầu tư công", "giai ngan von dau tu cong"])
def test_public_investment_disbursement_ranks_first(seed_index, q):
    results = run(seed_index, q)
    phrase = fold("giải ngân vốn đầu tư công")
    top = results.hits[0]
    assert phrase in fold(top.snippet.replace("<mark>", "").replace("</mark>", ""))
    # every section holding the whole phrase ranks above every section that does not
    holds = [phrase in fold(_body(seed_index, h)) for h in results.hits]
    assert holds == sorted(holds, reverse=True)
    assert sum(holds) >= 5


def _body(index, hit) -> str:
    report = index.report(hit.report_id)
    section = next(s for s in report["sections"] if s["id"] == hit.section_id)
    notes = " ".join(f["text"] for f in section["footnotes"])
    return section["text"] + " " + notes


def test_both_spellings_found_without_accents(seed_index):
    results = run(seed_index, "suc khoe")
    old, new = grep_reports("sức khoẻ"), grep_reports("sức khỏe")
    assert old and new and old != new
    assert reports_of(results) == old | new
    marked = " ".join(h.snippet for h in results.hits)
    assert "<mark>sức khoẻ</mark>" in marked and "<mark>sức khỏe</mark>" in marked


@pytest.mark.parametrize("q", ["sức khoẻ", "sức khỏe"])
def test_tone_placements_match_each_other_with_accents(seed_index, q):
    assert reports_of(run(seed_index, f'"{q}"')) == grep_reports("sức khoẻ") | grep_reports("sức khỏe")


def test_accented_query_ranks_exact_matches_first(seed_index):
    results = run(seed_index, "bán")
    exact = [bool(re.search(r"(?<!\w)bán(?!\w)", exact_form(_body(seed_index, h)) + " " + exact_form(h.heading))) for h in results.hits]
    assert any(exact) and not all(exact)
    assert exact == sorted(exact, reverse=True), "every section with 'bán' comes before those without"
    unaccented = run(seed_index, "ban")
    assert unaccented.total == results.total  # without accents: every variant matches


def test_filters_and_disjunctive_facets(seed_index):
    covid = {R: n for R, n in ((p.stem, fold(p.read_text(encoding="utf-8")).count("covid")) for p in CORPUS.glob("*.txt")) if n}
    results = run(seed_index, "covid")
    assert {v.value: v.count for v in results.facets["province"]} == {
        "Bình Dương": 1, "Bình Phước": 1, "Bắc Giang": 1, "Hà Tĩnh": 1, "Bến Tre": 1,
    }
    assert results.total_reports == len(covid)
    picked = run(seed_index, "covid", filters={"province": ["Bắc Giang"]})
    assert reports_of(picked) == {R2}
    # the selected facet keeps the counts of its other values; other facets narrow
    assert {v.value: v.count for v in picked.facets["province"]} == {v.value: v.count for v in results.facets["province"]}
    assert [v.selected for v in picked.facets["province"] if v.value == "Bắc Giang"] == [True]
    assert {v.value: v.count for v in picked.facets["year"]} == {"2020": 1}
    both = run(seed_index, "covid", filters={"province": ["Bắc Giang", "Hà Tĩnh"]})  # OR within a facet
    assert reports_of(both) == {R2, R3}
    narrowed = run(seed_index, "covid", filters={"province": ["Bắc Giang", "Hà Tĩnh"], "year": ["2021"]})  # AND across
    assert reports_of(narrowed) == {R3}


@pytest.mark.parametrize(
    "q, expected",
    [
        ("covid year:2020..2021", {R0, R2, R3, R4}),
        ("covid year:2023", {R1}),
        ('covid province:"Bến Tre"', {R4}),
        ("covid province:ben-tre", set()),  # not a province spelling
        ('covid province:"ben tre"', {R4}),  # filters fold too
        ('covid period:"năm"', {R4}),
        ('type:"Công văn"', {R1}),  # 1567/UBND-NC, the only official letter cited
        ("covid -tỉnh", set()),  # every covid section says "tỉnh"? checked below
    ],
)
def test_field_filters_in_query(seed_index, q, expected):
    results = run(seed_index, q)
    if q == "covid -tỉnh":
        assert all("tinh" not in fold(_body(seed_index, h)).split() for h in results.hits)
        return
    assert reports_of(results) == expected


def test_boolean_operators(seed_index):
    a, b = run(seed_index, "Covid"), run(seed_index, "xâm nhập mặn")
    either = run(seed_index, '"xâm nhập mặn" OR covid')
    assert either.total >= max(a.total, b.total)
    assert reports_of(run(seed_index, '"xâm nhập mặn" AND covid')) <= reports_of(b)
    assert run(seed_index, "covid NOT covid").total == 0


@pytest.mark.parametrize("q", ['"đầu tư công', "đầu tư AND", "(đầu tư", "đầu tư)", "OR"])
def test_invalid_syntax_is_searched_as_words_with_a_warning(seed_index, q):
    results = run(seed_index, q)
    assert results.warnings
    if q != "OR":
        assert results.total > 0


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"page": 0}, {"page": -1}, {"per_page": 1000}, {"per_page": 0}, {"sort": "random"},
        {"filters": {"colour": ["red"]}}, {"filters": {"year": ["20x0"]}}, {"filters": {"instrument": ["nonsense"]}},
        {"q": "x" * 10_000}, {"q": " OR ".join(["a"] * 1000)}, {"q": "(" * 500 + "a" + ")" * 500},
    ],
)
def test_invalid_parameters_raise_query_error(seed_index, request_kwargs):
    with pytest.raises(QueryError):
        search(seed_index, SearchRequest(**request_kwargs))


def test_snippets_mark_accented_text_from_folded_match(seed_index):
    hit = run(seed_index, "giai ngan").hits[0]
    assert "<mark>giải ngân</mark>" in hit.snippet
    assert hit.snippet.count(" … ") <= 2  # at most three fragments


def test_did_you_mean(seed_index):
    results = run(seed_index, "giai ngn")
    assert results.total == 0
    assert results.suggestion == "giải ngân"  # the typo fixed, the missing accent restored
    assert run(seed_index, results.suggestion).total > 0


def test_sort_by_report_date(seed_index):
    newest = run(seed_index, "covid", sort="newest")
    oldest = run(seed_index, "covid", sort="oldest")
    years = [h.year for h in newest.hits]
    assert years == sorted(years, reverse=True)
    assert [h.year for h in oldest.hits] == sorted(years)


def test_paging(seed_index):
    everything = run(seed_index, "covid", per_page=100)
    pages = [run(seed_index, "covid", per_page=7, page=p) for p in range(1, everything.total // 7 + 2)]
    assert [(h.report_id, h.section_id) for p in pages for h in p.hits] == [(h.report_id, h.section_id) for h in everything.hits]


def test_empty_query_browses_everything(seed_index):
    results = run(seed_index, "")
    assert results.total_reports == 5
    assert results.total == sum(len(seed_index.report(r)["sections"]) for r in seed_index.report_ids())


def test_undated_mention_counts_with_the_only_dated_instrument(seed_index):
    # 004 writes "Nghị quyết 84/NQ-CP" without a date; 000 and 002 date it 29/5/2020, the only year known
    results = run(seed_index, "", filters={"instrument": ["84_NQ-CP.2020"]})
    assert reports_of(results) == {R0, R2, R4}
    facet = {v.value: v.count for v in run(seed_index, "Nghị quyết 84/NQ-CP").facets["instrument"]}
    assert facet["84_NQ-CP.2020"] == 3 and "84_NQ-CP" not in facet
    hit = next(h for h in run(seed_index, "84/NQ-CP").hits if h.report_id == R4)
    assert "84_NQ-CP.2020" in {i["key"] for i in hit.instruments}


def test_snippet_marks_compound_for_its_part(seed_index):
    assert any("<mark>Covid-19</mark>" in h.snippet for h in run(seed_index, "covid").hits)


# --- results by report ----------------------------------------------------------------------------------
def rows_of(index, q="", **kwargs):
    return run(index, q, group="report", **kwargs).reports


def test_one_row_per_report_with_its_best_sections(seed_index):
    results = run(seed_index, "giải ngân vốn đầu tư công", group="report")
    ids = [r.report_id for r in results.reports]
    assert len(ids) == len(set(ids)) == results.total_reports
    for row in results.reports:
        assert 1 <= len(row.sections) <= 3 and row.matched >= len(row.sections)
        assert {h.report_id for h in row.sections} == {row.report_id}
        scores = [h.score for h in row.sections]
        assert scores == sorted(scores, reverse=True)
    best = [r.sections[0].score for r in results.reports]
    assert best == sorted(best, reverse=True)  # ordered by each report's best section
    assert sum(r.matched for r in results.reports) == results.total


@pytest.mark.parametrize("q", ["instrument:84/NQ-CP", '"84/NQ-CP"', "84/nq-cp", "Nghị quyết 84/NQ-CP"])
def test_an_instrument_typed_any_way_finds_the_reports_of_the_facet_link(seed_index, q):
    facet_link = {r.report_id for r in rows_of(seed_index, "", filters={"instrument": ["84_NQ-CP.2020"]})}
    assert facet_link == {R0, R2, R4} == grep_reports("84/NQ-CP")  # 004 cites it undated
    typed = run(seed_index, q, group="report")
    assert {r.report_id for r in typed.reports} == facet_link and not typed.warnings


def test_a_documents_own_number_finds_it_first(seed_index):
    # 000's annex caption: "(Kèm theo Báo cáo số 165 /BC-UBND ngày 01/7/2020)"; nothing cites it
    assert grep_reports("165 /BC-UBND") == {R0} and not grep_reports("165/BC-UBND")
    rows = rows_of(seed_index, "165/BC-UBND")
    assert rows[0].report_id == R0 and rows[0].own_number


def test_reports_with_most_of_the_words_follow_with_what_they_lack(seed_index):
    # 000 (Bình Dương) writes "Quy hoạch tỉnh Bình Dương giai đoạn 2021-2030", not "thời kỳ"
    rows = rows_of(seed_index, "quy hoạch tỉnh thời kỳ 2021-2030")
    assert {r.report_id for r in rows} == grep_reports("quy hoạch tỉnh", folded=True)
    partial = [r for r in rows if r.missing]
    assert [r.report_id for r in partial] == [R0] and rows[-1].report_id == R0
    assert "kỳ" in partial[0].missing


def test_foreign_investment_finds_reports_that_write_it_otherwise(seed_index):
    # every report that writes "vốn đầu tư nước ngoài" or "FDI" is about attracting it
    wanted = grep_reports("đầu tư nước ngoài") | grep_reports("FDI")
    rows = rows_of(seed_index, "thu hút đầu tư nước ngoài FDI")
    assert wanted <= {r.report_id for r in rows}
    full = [r for r in rows if not r.missing]
    assert full and all(rows.index(r) < rows.index(p) for r in full for p in rows if p.missing)


@pytest.mark.parametrize(
    "q, needles",
    [
        ("GPMB", ["GPMB", "giải phóng mặt bằng"]),
        ('"giải phóng mặt bằng"', ["GPMB", "giải phóng mặt bằng"]),  # as words, 003's "giải phóng" … "mặt bằng" too
        ("KT-XH", ["KT-XH", "KTXH", "kinh tế - xã hội"]),
        ("FDI", ["FDI", "đầu tư trực tiếp nước ngoài"]),
    ],
)
def test_abbreviations_find_both_forms(seed_index, q, needles):
    expected = set().union(*(grep_reports(n, folded=True) for n in needles))
    assert {h.report_id for h in run(seed_index, q).hits} == expected


# --- citation filters select reports ------------------------------------------------------------------------
def test_citation_filters_select_reports_or_only_the_citing_sections(seed_index):
    filters = {"instrument": ["84_NQ-CP.2020"]}
    reports = run(seed_index, "đầu tư", filters=filters, group="report")
    sections = run(seed_index, "đầu tư", filters=filters, scope="section")
    assert {r.report_id for r in reports.reports} == {R0, R2, R4}
    # 004 cites it in a paragraph on helping firms and people through Covid-19 ("Nghị quyết
    # 84/NQ-CP …, giảm lãi vay, …") that never says "đầu tư": only the citing sections leave 004 out
    assert {h.report_id for h in sections.hits} == {R0, R2}
    assert reports.total > sections.total  # their other sections about "đầu tư" count too
    for hit in sections.hits:
        assert "84_NQ-CP.2020" in {i["key"] for i in hit.instruments}
    shown = [h for r in reports.reports for h in r.sections]
    assert all(("84_NQ-CP.2020" in {i["key"] for i in h.instruments}) == h.cites for h in shown)


# --- did you mean ------------------------------------------------------------------------------------------------
def test_did_you_mean_drops_unknown_words_and_needs_results(seed_index):
    results = run(seed_index, "xyzzqw giai ngn")
    assert results.suggestion == "giải ngân"  # the unknown word is dropped, not kept
    assert run(seed_index, "xyzzqw").suggestion is None  # nothing to suggest that finds anything


def test_did_you_mean_looks_at_a_bounded_number_of_words(seed_index):
    from searchsvc.query import parse_query
    from searchsvc.suggest import MAX_WORDS, suggest

    class Counting:
        def __init__(self, engine):
            self.engine, self.calls = engine, 0

        def correct(self, word):
            self.calls += 1
            return self.engine.correct(word)

        def __getattr__(self, name):
            return getattr(self.engine, name)

    text = " ".join(f"qx{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(60))
    engine, cache = Counting(seed_index.reader), {}
    suggest(engine, cache, parse_query(text), text)
    assert engine.calls == MAX_WORDS
    suggest(engine, cache, parse_query(text), text)
    assert engine.calls == MAX_WORDS  # corrections are kept


# --- grouping (pure) ----------------------------------------------------------------------------------------
PARAGRAPH = ("Tập trung tháo gỡ khó khăn, vướng mắc trong công tác bồi thường, giải phóng mặt bằng; đẩy nhanh "
             "tiến độ giải ngân vốn đầu tư công năm {year}, phấn đấu giải ngân đạt trên 95% kế hoạch vốn được giao.")


def _stored(report: str, section: str, body: str) -> dict:
    return {"report_id": report, "section_id": section, "title": f"Báo cáo {report}", "province": None, "year": None,
            "period": None, "report_date": None, "body": body}


@pytest.mark.parametrize(
    "bodies, rows, folded",
    [
        # the same paragraph in three reports, years changed: one row, two folded under it
        ([PARAGRAPH.format(year=2020), PARAGRAPH.format(year=2021), PARAGRAPH.format(year=2022)], ["a"], {"a": ["b", "c"]}),
        # different paragraphs stay apart
        ([PARAGRAPH.format(year=2020), "Công tác tiếp công dân, giải quyết khiếu nại, tố cáo được thực hiện nghiêm túc, "
          "đúng quy định của pháp luật; không để xảy ra điểm nóng, khiếu kiện đông người trên địa bàn tỉnh."], ["a", "b"], {}),
        # short headings are never folded together ("1. Kết quả đạt được")
        (["1. Kết quả đạt được", "1. Kết quả đạt được"], ["a", "b"], {}),
    ],
)
def test_group_reports_folds_copies_of_one_paragraph(bodies, rows, folded):
    from searchsvc.grouping import group_reports

    ranked = [(i, 1.0 - i / 10, _stored(r, "s1", body)) for i, (r, body) in enumerate(zip("abc", bodies))]
    grouped = group_reports(ranked)
    assert [r.report_id for r in grouped] == rows
    assert {r.report_id: [s["report_id"] for s in r.same_content] for r in grouped if r.same_content} == folded


def test_group_reports_keeps_a_reports_best_three_sections_in_rank_order():
    from searchsvc.grouping import group_reports

    ranked = [(i, 1.0 - i / 10, _stored(r, f"s{i}", f"đoạn {i}")) for i, r in enumerate("abaaab")]
    grouped = group_reports(ranked)
    assert [r.report_id for r in grouped] == ["a", "b"]
    assert [stored["section_id"] for _, _, stored in grouped[0].ranked] == ["s0", "s2", "s3"]


def test_pages_count_rows_once_copies_are_folded(seed_index):
    results = run(seed_index, "giải ngân vốn đầu tư công", group="report", per_page=2)
    assert results.total_rows == 5 and results.pages == 3  # five reports, none a copy of another
