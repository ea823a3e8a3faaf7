"""searchsvc.instruments: the catalogue of cited instruments, from small records and from the seeds."""
from __future__ import annotations

import pytest

from searchsvc.instruments import (
    Disambiguation, InstrumentDetail, Moved, Tally, build_catalogue, find_instrument, list_instruments,
)
from searchsvc.models import canonical_from_key
from searchsvc.query import QueryError

SEED_84 = {"000_bbd1df693d80d1cb", "002_acdedd4f53924217", "004_41c8df0f7ff6743b"}


def record(key: str, report_id: str = "r1", **overrides) -> dict:
    """A citation record as ``SearchIndex.citations()`` holds it (see ``schema.catalogue_records``)."""
    canonical, year = canonical_from_key(key)
    number = canonical.split("/")[0].split("-")[0]
    data = {
        "key": key,
        "canonical": canonical,
        "type": "Nghị quyết",
        "date": f"{year}-05-29" if year else None,
        "year": year,
        "issuer": "Chính phủ",
        "title": None,
        "surface": f"Nghị quyết số {canonical}",
        "line": 10,
        "sentence": f"Thực hiện Nghị quyết số {canonical} của Chính phủ",
        "report_id": report_id,
        "section_id": "s1",
        "section_heading": "Về kinh tế",
        "section_path": ["I", "1"],
        "number": number,
        "symbol": canonical.split("/", 1)[-1],
        "issuer_code": "CP",
        "report_title": f"Báo cáo {report_id}",
        "province": "Bắc Giang",
        "report_year": 2020,
        "period": "6 tháng đầu năm",
    }
    return data | overrides


def citations(*records: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for item in records:
        out.setdefault(item["report_id"], []).append(item)
    return out


# --- building ---------------------------------------------------------------------------------------------
def test_mentions_of_one_key_are_one_instrument_with_counts():
    catalogue = build_catalogue(citations(
        record("84_NQ-CP.2020", "r1", line=5),
        record("84_NQ-CP.2020", "r1", line=9),
        record("84_NQ-CP.2020", "r2"),
    ))
    summary = catalogue.entries["84_NQ-CP.2020"].summary
    assert (summary.citation_count, summary.report_count) == (3, 2)
    assert (summary.canonical, summary.year, summary.type, summary.number, summary.symbol) == (
        "84/NQ-CP", 2020, "Nghị quyết", "84", "NQ-CP")
    assert summary.label == "Nghị quyết 84/NQ-CP (2020)"


def test_summary_takes_the_most_common_value_and_skips_missing_ones():
    catalogue = build_catalogue(citations(
        record("84_NQ-CP.2020", "r1", title=None, date=None),
        record("84_NQ-CP.2020", "r2", title="Nghị quyết về tháo gỡ khó khăn", date="2020-05-29"),
        record("84_NQ-CP.2020", "r3", title="Nghị quyết về tháo gỡ khó khăn", date="2020-05-29"),
        record("84_NQ-CP.2020", "r4", title="Một tên khác", date="2020-05-30"),  # a typo in one report
    ))
    summary = catalogue.entries["84_NQ-CP.2020"].summary
    assert summary.title == "Nghị quyết về tháo gỡ khó khăn"
    assert summary.date == "2020-05-29"


def test_undated_mentions_join_the_only_dated_instrument_of_that_number():
    # DOMAIN.md: a bare "Nghị quyết 84/NQ-CP" is ambiguous until resolved; with one 84/NQ-CP known, it is that one
    catalogue = build_catalogue(citations(record("84_NQ-CP.2020", "r1"), record("84_NQ-CP", "r2", year=None, date=None)))
    assert catalogue.aliases == {"84_NQ-CP": "84_NQ-CP.2020"}
    assert "84_NQ-CP" not in catalogue.entries
    entry = catalogue.entries["84_NQ-CP.2020"]
    assert (entry.summary.citation_count, entry.summary.report_count) == (2, 2)
    inferred = {m.report_id: m.year_inferred for r in entry.reports for m in r.mentions}
    assert inferred == {"r1": False, "r2": True}


def test_undated_mentions_without_any_dated_instrument_stay_an_instrument():
    catalogue = build_catalogue(citations(record("11_CT-TTg", "r1", year=None, date=None, type="Chỉ thị")))
    assert catalogue.entries["11_CT-TTg"].summary.year is None
    assert catalogue.entries["11_CT-TTg"].summary.label == "Chỉ thị 11/CT-TTg"
    assert isinstance(find_instrument(catalogue, "11_CT-TTg"), InstrumentDetail)


def test_undated_mentions_are_not_guessed_when_several_years_exist():
    catalogue = build_catalogue(citations(
        record("01_NQ-CP.2020", "r1"), record("01_NQ-CP.2021", "r2"), record("01_NQ-CP", "r3", year=None, date=None),
    ))
    assert catalogue.aliases == {}
    assert catalogue.entries["01_NQ-CP.2020"].summary.citation_count == 1
    choice = find_instrument(catalogue, "01_NQ-CP")
    assert isinstance(choice, Disambiguation)
    assert [c.key for c in choice.candidates] == ["01_NQ-CP.2020", "01_NQ-CP.2021"]
    assert [r.report_id for r in choice.undated] == ["r3"]


def test_citing_reports_newest_first_mentions_in_text_order():
    catalogue = build_catalogue(citations(
        record("84_NQ-CP.2020", "old", report_year=2020, line=30),
        record("84_NQ-CP.2020", "old", report_year=2020, line=3),
        record("84_NQ-CP.2020", "new", report_year=2021),
    ))
    detail = find_instrument(catalogue, "84_NQ-CP.2020")
    assert [r.report_id for r in detail.reports] == ["new", "old"]
    assert [m.line for m in detail.reports[1].mentions] == [3, 30]
    assert len(detail.mentions) == 3


def test_tallies_count_reports_by_province_and_by_year():
    catalogue = build_catalogue(citations(
        record("84_NQ-CP.2020", "a", province="Bến Tre", report_year=2021),
        record("84_NQ-CP.2020", "a", province="Bến Tre", report_year=2021),  # same report twice: counted once
        record("84_NQ-CP.2020", "b", province="Bắc Giang", report_year=2020),
        record("84_NQ-CP.2020", "c", province="Bắc Giang", report_year=2020),
        record("84_NQ-CP.2020", "d", province=None, report_year=None),
    ))
    detail = find_instrument(catalogue, "84_NQ-CP.2020")
    assert detail.by_province == [Tally("Bắc Giang", 2), Tally("Bến Tre", 1), Tally("Không rõ tỉnh", 1)]
    assert detail.by_year == [Tally("2020", 2), Tally("2021", 1)]


# --- finding ------------------------------------------------------------------------------------------------
@pytest.fixture
def small():
    return build_catalogue(citations(
        record("84_NQ-CP.2020", "r1"),
        record("84_NQ-CP", "r2", year=None),
        record("01_NQ-CP.2020", "r1"),
        record("01_NQ-CP.2021", "r2"),
        record("15_2020_QĐ-TTg.2020", "r1", type="Quyết định"),
        record("11_CT-TTg.2020", "r1", type="Chỉ thị"),
        record("11_ct-ttg.2020", "r2", type="Chỉ thị"),  # two keys differing only in case
    ))


@pytest.mark.parametrize(
    "key, expected",
    [
        ("84_NQ-CP.2020", InstrumentDetail),
        ("84_NQ-CP", Moved("84_NQ-CP.2020")),  # an undated key merged into the one dated instrument
        ("01_NQ-CP", Disambiguation),  # numbers restart every year: two candidates
        ("01_NQ-CP.2021", InstrumentDetail),
        ("01_NQ-CP.2022", None),  # a year nobody cites
        ("84_nq-cp.2020", Moved("84_NQ-CP.2020")),  # typed in lower case
        ("15_2020_QD-TTg.2020", Moved("15_2020_QĐ-TTg.2020")),  # typed without Đ
        ("15_2020_QĐ-TTg", Moved("15_2020_QĐ-TTg.2020")),  # no undated mention, one dated instrument
        ("11_CT-TTG.2020", None),  # matches two keys case-insensitively: no guess
        ("nothing", None),
        ("", None),
    ],
)
def test_find_instrument(small, key, expected):
    found = find_instrument(small, key)
    if isinstance(expected, type):
        assert isinstance(found, expected)
    else:
        assert found == expected


# --- listing ------------------------------------------------------------------------------------------------
@pytest.fixture
def mixed():
    return build_catalogue(citations(
        record("84_NQ-CP.2020", "r1"), record("84_NQ-CP.2020", "r2"), record("84_NQ-CP.2020", "r3"),
        record("11_CT-TTg.2020", "r1", type="Chỉ thị", issuer="Thủ tướng Chính phủ", date="2020-03-04"),
        record("11_CT-TTg.2020", "r2", type="Chỉ thị", issuer="Thủ tướng Chính phủ", date="2020-03-04"),
        record("470_CĐ-TTg.2023", "r4", type="Công điện", issuer="Thủ tướng Chính phủ", date="2023-05-20",
               title="Công điện về chấn chỉnh công tác"),
        record("9_KH-UBND", "r4", type="Kế hoạch", issuer=None, date=None, year=None),
        record("36-NQ_TW.2018", "r1", issuer="Ban Chấp hành Trung ương", date="2018-10-22"),
    ))


def keys(listing):
    return [s.key for s in listing.instruments]


@pytest.mark.parametrize(
    "arguments, expected",
    [
        ({}, ["84_NQ-CP.2020", "11_CT-TTg.2020", "36-NQ_TW.2018", "470_CĐ-TTg.2023", "9_KH-UBND"]),  # most cited first
        ({"types": ["Chỉ thị"]}, ["11_CT-TTg.2020"]),
        ({"types": ["Chỉ thị", "Công điện"]}, ["11_CT-TTg.2020", "470_CĐ-TTg.2023"]),  # OR within a filter
        ({"issuers": ["Thủ tướng Chính phủ"], "years": ["2023"]}, ["470_CĐ-TTg.2023"]),  # AND across filters
        ({"years": ["2018", "2020"], "types": ["Nghị quyết"]}, ["84_NQ-CP.2020", "36-NQ_TW.2018"]),
        ({"text": "84"}, ["84_NQ-CP.2020"]),
        ({"text": "cd-ttg"}, ["470_CĐ-TTg.2023"]),  # accents ignored: "cd" finds "CĐ"
        ({"text": "chan chinh"}, ["470_CĐ-TTg.2023"]),  # the title counts too
        ({"text": "nghi quyet 36"}, ["36-NQ_TW.2018"]),  # every word must match
        ({"sort": "newest"}, ["470_CĐ-TTg.2023", "84_NQ-CP.2020", "11_CT-TTg.2020", "36-NQ_TW.2018", "9_KH-UBND"]),
        ({"sort": "oldest"}, ["36-NQ_TW.2018", "11_CT-TTg.2020", "84_NQ-CP.2020", "470_CĐ-TTg.2023", "9_KH-UBND"]),  # undated last
        ({"sort": "name"}, ["11_CT-TTg.2020", "470_CĐ-TTg.2023", "9_KH-UBND", "36-NQ_TW.2018", "84_NQ-CP.2020"]),  # type, then number as a number
        ({"per_page": 2, "page": 2}, ["36-NQ_TW.2018", "470_CĐ-TTg.2023"]),
        ({"per_page": 2, "page": 9}, []),  # past the end: an empty page, not an error
        ({"types": ["Luật"]}, []),
    ],
)
def test_list_instruments(mixed, arguments, expected):
    assert keys(list_instruments(mixed, **arguments)) == expected


def test_listing_counts_pages_and_options(mixed):
    listing = list_instruments(mixed, per_page=2, types=["Nghị quyết"])
    assert (listing.total, listing.pages, listing.page) == (2, 1, 1)
    assert listing.options["type"][0] == Tally("Nghị quyết", 2)  # options count the whole catalogue
    assert [t.value for t in listing.options["year"]] == ["2023", "2020", "2018"]
    assert Tally("Thủ tướng Chính phủ", 2) in listing.options["issuer"]


@pytest.mark.parametrize(
    "arguments, reason",
    [
        ({"sort": "popular"}, "unknown sort"),
        ({"per_page": 0}, "per_page below 1"),
        ({"per_page": 1000}, "per_page above the maximum"),
        ({"page": 0}, "page below 1"),
        ({"page": -1}, "negative page"),
        ({"years": ["20x0"]}, "a year that is not four digits"),
        ({"years": ["2020..2022"]}, "ranges are for search, not for this list"),
    ],
)
def test_list_instruments_rejects_bad_parameters(mixed, arguments, reason):
    with pytest.raises(QueryError):
        list_instruments(mixed, **arguments)


# --- the seed corpus ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seeds(seed_index):
    return build_catalogue(seed_index.citations())


def test_seed_84_nq_cp_is_cited_by_three_reports(seeds):
    detail = find_instrument(seeds, "84_NQ-CP.2020")
    assert {r.report_id for r in detail.reports} == SEED_84
    assert detail.instrument.date == "2020-05-29"
    assert detail.instrument.issuer == "Chính phủ"
    assert all(m.sentence for _, m in detail.mentions)


def test_seed_01_nq_cp_exists_for_three_years(seeds):
    choice = find_instrument(seeds, "01_NQ-CP")
    assert isinstance(choice, Disambiguation)
    assert [c.year for c in choice.candidates] == [2020, 2021, 2023]


def test_seed_catalogue_accounts_for_every_citation(seed_index, seeds):
    total = sum(len(records) for records in seed_index.citations().values())
    undated_alone = sum(e.summary.citation_count for e in seeds.undated.values())
    assert sum(s.citation_count for s in seeds.summaries()) == total
    assert undated_alone == 0  # in the seeds every undated mention resolves to one instrument
