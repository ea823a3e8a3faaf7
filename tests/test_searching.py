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
