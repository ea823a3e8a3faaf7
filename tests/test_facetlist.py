"""searchsvc.facetlist: every value of a facet, and section headings grouped by their text."""
from __future__ import annotations

import re

import pytest

from searchsvc.facetlist import SECTION_VALUE_LIMIT, expand_sections, heading_key, heading_label
from searchsvc.searching import facet_entries
from searchsvc.models import SearchRequest
from searchsvc.searching import FACET_SIZE, search


@pytest.mark.parametrize(
    "heading, label",
    [
        ("II. Đánh giá chung", "Đánh giá chung"),
        ("III. ĐÁNH GIÁ CHUNG", "ĐÁNH GIÁ CHUNG"),  # case is kept in what is shown
        ("Phần thứ hai. MỘT SỐ NHIỆM VỤ TRỌNG TÂM", "MỘT SỐ NHIỆM VỤ TRỌNG TÂM"),
        ("Phần II. Kết quả", "Kết quả"),
        ("A. TÌNH HÌNH CÔNG TÁC 6 THÁNG ĐẦU NĂM 2023", "TÌNH HÌNH CÔNG TÁC 6 THÁNG ĐẦU NĂM"),  # "năm" stays, the year goes
        ("2.1. Tình hình (2020)", "Tình hình"),
        ("a) Kết quả giai đoạn 2016-2020", "Kết quả"),  # a range and the word that names it
        ("b) Kế hoạch 2021 – 2025", "Kế hoạch"),
        ("PHỤ LỤC III. Thống kê nhiệm vụ", "Thống kê nhiệm vụ"),
        ("PHỤ LỤC. Kết quả thực hiện", "PHỤ LỤC. Kết quả thực hiện"),  # an unnumbered appendix keeps its word
        ("Phần mở đầu", "Phần mở đầu"),
        ("Chương trình 135", "Chương trình 135"),  # a number that is not a year stays
        ("2020", "2020"),  # nothing left once stripped: the heading as written
        ("II.   Đánh   giá\tchung ", "Đánh giá chung"),  # whitespace collapsed
    ],
)
def test_heading_label(heading, label):
    assert heading_label(heading) == label


def test_a_value_cut_by_the_index_loses_its_cut_word():
    words = ("nhiệm vụ giao các Bộ có liên quan đến địa phương " * 4).split()
    cut = ("PHỤ LỤC III. " + " ".join(words))[:SECTION_VALUE_LIMIT]
    label = heading_label(cut)
    assert cut.startswith("PHỤ LỤC III. " + label)
    assert label.split()[-1] in words  # a whole word, never a piece of one
    assert heading_label("Đánh giá chung") == "Đánh giá chung"  # short values are never cut


@pytest.mark.parametrize(
    "one, other, same",
    [
        ("II. ĐÁNH GIÁ CHUNG", "III. Đánh giá chung", True),  # case and numbering
        ("I. Kiểm điểm công tác năm 2016", "I. KIỂM ĐIỂM CÔNG TÁC NĂM 2024", True),  # years
        ("Danh gia chung", "Đánh giá chung", True),  # a report typed without accents (DOMAIN.md)
        ("Tình hình 6 tháng đầu năm", "Tình hình 6 tháng cuối năm", False),
        ("Tình hình công tác năm 2020", "Tình hình công tác 6 tháng đầu năm 2020", False),
    ],
)
def test_heading_key_groups_spellings_of_one_heading(one, other, same):
    assert (heading_key(one) == heading_key(other)) is same


# --- on the seed index (both engines) -----------------------------------------------------------------------
def test_every_value_is_listed_with_the_counts_search_shows(seed_index):
    request = SearchRequest(q="đầu tư")
    results = search(seed_index, request)
    entries = facet_entries(seed_index, request)
    for facet, shown in results.facets.items():
        if facet == "section":
            continue
        every = {e.value: e.count for e in entries[facet]}
        assert {v.value: v.count for v in shown}.items() <= every.items()
        assert len(shown) == min(FACET_SIZE, len(every))
    assert len(entries["instrument"]) > FACET_SIZE  # more instruments than the sidebar shows


@pytest.mark.parametrize(
    "request_",
    [
        SearchRequest(q="đầu tư"),
        SearchRequest(q="KT-XH"),  # an abbreviation: its expansion is searched too, and counted
        SearchRequest(q="đầu tư", filters={"instrument": ["84_NQ-CP.2020"]}),  # reports citing it, searched anywhere
        SearchRequest(q="đầu tư", filters={"instrument": ["84_NQ-CP.2020"]}, scope="section"),
        SearchRequest(filters={"province": ["Bắc Giang"], "year": ["2020"]}),
    ],
    ids=["words", "abbreviation", "citation-report-scope", "citation-section-scope", "two-filters"],
)
def test_the_pages_entries_count_what_search_found(seed_index, request_):
    """The charts and sidebar of the results page (``search(…, entries=…)``) count the same
    documents as the search's own facets, and as ``facet_entries`` of the same request."""
    facets = ("year", "province", "section", "instrument")
    results = search(seed_index, request_, entries=facets)
    assert results.entries == facet_entries(seed_index, request_, facets)
    for facet in ("year", "province", "instrument"):
        every = {e.value: e.count for e in results.entries[facet]}
        assert {v.value: v.count for v in results.facets[facet] if v.count}.items() <= every.items()
    if not request_.filters:
        assert sum(e.count for e in results.entries["year"]) == results.total_reports  # one year per report


def test_a_facet_is_counted_without_its_own_filter(seed_index):
    request = SearchRequest(filters={"province": ["Bắc Giang"]})
    provinces = facet_entries(seed_index, request, ("province", "year"))
    assert {e.value for e in provinces["province"]} == {"Bình Dương", "Bình Phước", "Bắc Giang", "Bến Tre", "Hà Tĩnh"}
    assert [e.value for e in provinces["province"] if e.selected] == ["Bắc Giang"]
    assert [(e.value, e.count) for e in provinces["year"]] == [("2020", 1)]  # Bắc Giang's report is of 2020


def test_years_come_newest_first(seed_index):
    years = facet_entries(seed_index, SearchRequest(), ("year",))["year"]
    assert [e.value for e in years] == ["2023", "2021", "2020"]
    assert [e.count for e in years] == [1, 1, 3]


def test_section_headings_are_grouped_and_counted_exactly(seed_index):
    groups = facet_entries(seed_index, SearchRequest(), ("section",))["section"]
    general = next(g for g in groups if heading_key(g.label) == heading_key("đánh giá chung"))
    assert sorted(general.values) == ["II. Đánh giá chung", "III. ĐÁNH GIÁ CHUNG"]  # two reports, two spellings
    narrowed = search(seed_index, expand_sections(seed_index, SearchRequest(filters={"section": [general.value]})))
    assert general.count == narrowed.total_reports == 2
    labels = [g.label for g in groups]
    assert len(labels) == len({heading_key(label) for label in labels})  # one entry per group
    assert not [label for label in labels if re.match(r"^(?:[IVX]+|[A-Z]|\d+)\.\s", label)]  # numbering left out


def test_a_section_filter_takes_every_heading_of_its_group(seed_index):
    expanded = expand_sections(seed_index, SearchRequest(filters={"section": ["II. Đánh giá chung"]}))
    assert sorted(expanded.filters["section"]) == ["II. Đánh giá chung", "III. ĐÁNH GIÁ CHUNG"]
    assert expand_sections(seed_index, SearchRequest(q="x")) == SearchRequest(q="x")  # no section filter: unchanged
