"""Around the result rows: every facet value, chips, year range, export, charts, report navigation.

HTML is parsed (tests/htmltree.py), never grepped; the seed index of each engine (tests/conftest.py).
"""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from searchsvc.models import FACETS
from searchsvc.normalize import fold
from searchsvc.web.facets import query_filters, year_text

from .htmltree import parse

Q84 = "Nghị quyết 84/NQ-CP"
SEED_84 = {"000_bbd1df693d80d1cb", "002_acdedd4f53924217", "004_41c8df0f7ff6743b"}
REPORT = "000_bbd1df693d80d1cb"  # Bình Dương 2020, cites 84/NQ-CP
WORDS = "đầu tư"  # many matches in REPORT


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.data[:400]
    return parse(response.data)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def api(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def facet_box(document, title: str):
    return next(s for s in document.find_all("section", class_="facet") if s.find("h3").text == title)


# --- pure pieces ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "q, found",
    [
        ('covid province:"Bắc Giang"', [("province", "Bắc Giang", "covid")]),
        ("year:2020..2021 đầu tư", [("year", "2020..2021", "đầu tư")]),
        ('province:"Bắc Giang" year:2020', [("province", "Bắc Giang", "year:2020"), ("year", "2020", 'province:"Bắc Giang"')]),
        ("covid OR province:Bến", []),  # inside OR: it does not narrow the whole search, so no chip
        ("-province:Bến covid", []),  # a negated word, not a filter
        ("covid NOT year:2020", []),  # negated: not a chip
        ("đầu tư công", []),
        ("", []),
    ],
)
def test_query_filters(q, found):
    assert query_filters(q) == found


@pytest.mark.parametrize(
    "value, text",
    [("2020", "2020"), ("2020..2022", "2020–2022"), ("2020..", "từ 2020"), ("..2021", "đến 2021")],
)
def test_year_text(value, text):
    assert year_text(value) == text


# --- every value of a facet -------------------------------------------------------------------------------------
def test_more_link_pages_through_every_instrument_with_a_filter_box(client):
    document = page(client, "/")
    box = facet_box(document, "Văn bản được trích dẫn")
    assert len(box.find_all("a", class_="facet-value")) == 12
    more = box.find("a", class_="facet-more")
    every = api(client, "/api/facets/instrument")["total"]
    assert every > 12 and more.text == f"Xem thêm ({every})" if "(" in more.text else more.text == "Xem thêm"
    first = page(client, more.get("href"))
    assert first.find("h1").text == "Văn bản được trích dẫn: tất cả giá trị"
    labels = [a.find("span", class_="facet-label").text for a in first.find_all("a", class_="facet-value")]
    second_url = next(a.get("href") for a in first.find("nav", class_="pagination").find_all("a") if a.text == "2")
    second = page(client, second_url)
    labels += [a.find("span", class_="facet-label").text for a in second.find_all("a", class_="facet-value")]
    assert len(labels) == len(set(labels)) == every  # 50 a page: every value on one of the pages


def test_filter_box_finds_values_without_accents(client):
    document = page(client, "/facets/province?q=&fq=bac")
    labels = [a.find("span", class_="facet-label").text for a in document.find_all("a", class_="facet-value")]
    assert labels == ["Bắc Giang"]  # "bac" is not in "Bình …" nor "Bến Tre"
    assert document.find("input", id="facet-text").get("value") == "bac"
    link = document.find("a", class_="facet-value").get("href")
    assert query_of(link) == {"province": ["Bắc Giang"]}  # back to the results, filtered
    empty = page(client, "/facets/province?fq=xyz")
    assert empty.find_all("a", class_="facet-value") == []
    assert "Không có giá trị nào" in empty.find("p", class_="result-count").text


def test_facet_page_keeps_the_search_and_marks_selected_values(client):
    document = page(client, f"/facets/province?q={Q84}&province=Bến Tre")
    hidden = {(i.get("name"), i.get("value")) for i in document.find("form", class_="facet-filter").find_all("input") if i.get("type") == "hidden"}
    assert hidden == {("q", Q84), ("province", "Bến Tre")}
    selected = document.find("a", class_="selected")
    assert selected.find("span", class_="facet-label").text == "Bến Tre"
    assert query_of(selected.get("href")) == {"q": [Q84]}
    values = {a.find("span", class_="facet-label").text for a in document.find_all("a", class_="facet-value")}
    assert values == {"Bình Dương", "Bắc Giang", "Bến Tre"}  # the citing provinces, counted without their own filter


@pytest.mark.parametrize("url", ["/facets/nope", "/api/facets/nope"])
def test_unknown_facet_is_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/facets/province?fpage=0", "/api/facets/province?fpage=x", "/facets/year?bogus=1"])
def test_bad_facet_parameters_are_400(client, url):
    assert client.get(url).status_code == 400


def test_api_facet_values(client):
    data = api(client, "/api/facets/province?fq=b%E1%BA%BFn")  # "bến"
    assert [v["label"] for v in data["values"]] == ["Bến Tre"]
    data = api(client, f"/api/facets/province?q={Q84}")
    assert {v["value"] for v in data["values"]} == {"Bình Dương", "Bắc Giang", "Bến Tre"}
    assert all(v["count"] == 1 for v in data["values"])


# --- counts, chips and the year range ------------------------------------------------------------------------------
def test_counts_are_labelled_as_reports(client):
    document = page(client, "/?q=đầu tư")
    aside = document.find("aside", id="filters")
    assert "số báo cáo" in aside.find("p", class_="facets-note").text
    link = facet_box(document, "Tỉnh, thành phố").find("a", class_="facet-value")
    assert link.find("span", class_="visually-hidden").text.strip() == "báo cáo"


def test_typed_filters_become_removable_chips(client):
    document = page(client, '/?q=covid province:"Bắc Giang"')
    chip = document.find("a", class_="chip")
    assert chip.find("span", class_="chip-facet").text == "Tỉnh, thành phố:"
    assert "Bắc Giang" in chip.text and chip.get("data-source") == "query"
    assert query_of(chip.get("href")) == {"q": ["covid"]}
    clear = document.find("a", class_="chip-clear")
    assert clear.text == "Xóa bộ lọc" and query_of(clear.get("href")) == {"q": ["covid"]}


def test_clear_removes_facet_and_typed_filters_alike(client):
    document = page(client, "/?q=đầu tư year:2020..2021&province=Bắc Giang&sort=newest")
    chips = {c.find("span", class_="chip-facet").text: c for c in document.find_all("a", class_="chip")}
    assert "2020–2021" in chips["Năm báo cáo:"].text
    assert query_of(chips["Năm báo cáo:"].get("href")) == {"q": ["đầu tư"], "province": ["Bắc Giang"], "sort": ["newest"]}
    assert query_of(document.find("a", class_="chip-clear").get("href")) == {"q": ["đầu tư"], "sort": ["newest"]}


def test_year_range_form_filters_and_shows_a_chip(client):
    data = api(client, "/api/search?year_from=2020&year_to=2021&per_page=100")
    assert {h["year"] for h in data["hits"]} == {2020, 2021}
    assert data["total_reports"] == 4  # three reports of 2020, one of 2021 (the seeds' dates)
    document = page(client, "/?year_from=2021&year_to=2023")
    form = document.find("form", class_="year-range")
    assert form.find("input", id="year-from").get("value") == "2021"
    assert form.find("input", id="year-to").get("value") == "2023"
    chip = document.find("a", class_="chip")
    assert "2021–2023" in chip.text and query_of(chip.get("href")) == {}
    metas = [m.text for m in document.find("ol", class_="hits").find_all("p", class_="meta")]
    assert metas and all("2021" in m or "2023" in m for m in metas)
    reversed_bounds = api(client, "/api/search?year_from=2021&year_to=2020&per_page=100")
    assert reversed_bounds["total_reports"] == 4  # bounds typed the wrong way round: the same range
    only_from = api(client, "/api/search?year_from=2021&per_page=100")
    assert {h["year"] for h in only_from["hits"]} == {2021, 2023}


@pytest.mark.parametrize(
    "query",
    ["year_from=20x", "year_to=99999", "year_to=%1E", "year_from=%202020", "year_from=2020&year_from=2021",
     "year=", "year=2020&year="],  # an empty year filter value, as the OpenAPI pattern says
)
def test_bad_year_range_is_400(client, query):
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"]


# --- export, page size, API link ---------------------------------------------------------------------------------
def test_export_csv_and_json_hold_every_hit(client):
    query = "q=đầu tư&province=Bắc Giang&province=Bến Tre"
    total = api(client, f"/api/search?{query}")["total"]
    assert total > 10  # more than one page of the results page
    response = client.get(f"/api/export.csv?{query}")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["STT", "Báo cáo", "Tỉnh, thành phố"]
    assert len(rows) - 1 == total
    assert {r[2] for r in rows[1:]} == {"Bắc Giang", "Bến Tre"}
    exported = api(client, f"/api/export.json?{query}")
    assert exported["exported"] == exported["total"] == total and exported["truncated"] is False
    assert [str(h["number"]) for h in exported["hits"]] == [r[0] for r in rows[1:]]
    assert [h["url"].split("://", 1)[1].split("/", 1)[1] for h in exported["hits"][:10]] == [
        h["url"].lstrip("/") for h in api(client, f"/api/search?{query}")["hits"]
    ]  # the same order as the results page
    assert "<mark>" not in exported["hits"][0]["snippet"]


def test_export_json_matches_its_schema(client):
    spec = client.get("/api/openapi.json").get_json()
    schema = spec["paths"]["/api/export.json"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    data = api(client, f"/api/export.json?q={Q84}")
    jsonschema.Draft202012Validator({**schema, "components": spec["components"]}).validate(data)
    assert {h["report_id"] for h in data["hits"]} == SEED_84
    facets = spec["paths"]["/api/facets/{name}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**facets, "components": spec["components"]}).validate(api(client, "/api/facets/section"))


def test_results_page_links_exports_api_and_page_size(client):
    document = page(client, "/?q=đầu tư&province=Bắc Giang&page=2&per_page=20")
    links = {a.text: a.get("href") for a in document.find("p", class_="exports").find_all("a")}
    assert urlsplit(links["CSV (Excel)"]).path == "/api/export.csv"
    assert query_of(links["CSV (Excel)"]) == {"q": ["đầu tư"], "province": ["Bắc Giang"], "per_page": ["20"]}  # all pages
    assert urlsplit(links["JSON"]).path == "/api/export.json"
    assert urlsplit(links["API JSON"]).path == "/api/search"
    assert query_of(links["API JSON"])["page"] == ["2"]
    assert query_of(links["API JSON"])["group"] == ["report"]  # the API answers with the page's rows
    form = document.find("form", class_="per-page")
    options = {o.get("value"): "selected" in o.attrs for o in form.find("select").find_all("option")}
    assert options == {"10": False, "20": True, "50": False, "100": False}
    hidden = {(i.get("name"), i.get("value")) for i in form.find_all("input")}
    assert hidden == {("q", "đầu tư"), ("province", "Bắc Giang")}  # a new size starts at page 1


# --- charts ------------------------------------------------------------------------------------------------------
def test_result_charts_count_reports_and_bars_apply_the_filter(client):
    document = page(client, f"/?q={Q84}")
    charts = {f.find("figcaption").text: f for f in document.find("details", class_="result-charts").find_all("figure")}
    years = charts["Số báo cáo khớp theo năm"]
    bars = {a.find_all("text")[0].text: (int(a.find_all("text")[1].text), a.get("href")) for a in years.find_all("a", class_="chart-bar")}
    assert {year: count for year, (count, _) in bars.items()} == {"2020": 3}  # the three citing reports are of 2020
    assert query_of(bars["2020"][1]) == {"q": [Q84], "year": ["2020"]}
    provinces = charts["Số báo cáo khớp theo tỉnh, thành phố"]
    names = {a.find("text").text for a in provinces.find_all("a", class_="chart-bar")}
    assert names == {"Bình Dương", "Bắc Giang", "Bến Tre"}
    for bar in provinces.find_all("a", class_="chart-bar"):
        assert query_of(bar.get("href")) == {"q": [Q84], "province": [bar.find("text").text]}


@pytest.mark.parametrize(
    "label, count, url, current",
    [
        ("Bắc Giang", 12, "/?q=đầu+tư&province=Bắc+Giang", False),
        ("2020", 1, "/?q=x&year=2020&sort=newest", True),  # the filter in force: marked current
        ('<b>"Tỉnh" & \'nơi\'</b>', 0, '/?q="<script>"&x=1', False),  # markup in a value stays text
    ],
)
def test_chart_bars_are_links_with_their_values_escaped(label, count, url, current):
    from searchsvc.web.charts import bar_chart

    chart = bar_chart("chart-x", "Tiêu đề", [(label, count, url, current), ("Khác", 4, "/?q=k", False)], "báo cáo")
    svg = parse(f'<svg xmlns="http://www.w3.org/2000/svg">{chart.bars_svg}</svg>')
    first, second = svg.find_all("a", class_="chart-bar")
    assert first.get("href") == url and ("current" in first.classes) == current and "current" not in second.classes
    assert first.get("aria-label") == first.find("title").text == f"{label}: {count} báo cáo"
    label_text, count_text = first.find_all("text")
    assert label_text.text == label and count_text.text == str(count)
    assert "<script>" not in str(chart.bars_svg) and "<b>" not in str(chart.bars_svg)
    rect = first.find("rect")
    assert float(rect.get("width")) == chart.bars[0].width and int(rect.get("y")) == chart.bars[0].y


@pytest.mark.parametrize(
    "label, count, selected, url",
    [
        ("Bắc Giang", 12, False, "/?q=đầu+tư&province=Bắc+Giang"),
        ("2020", 1, True, "/?q=x"),  # selected: its link removes the value, marked current
        ('<b>"Tỉnh" & \'nơi\'</b>', 0, False, '/?q="<script>"&x=1'),  # markup in a value stays text
    ],
)
def test_a_facet_value_prints_its_link_with_its_values_escaped(label, count, selected, url):
    from markupsafe import escape

    from searchsvc.web.facets import FacetLink

    html = str(escape(FacetLink(label, count, selected, url)))  # what ``{{ value }}`` prints
    link = parse(f"<li>{html}</li>").find("a")
    assert link.get("href") == url and ("selected" in link.classes) == selected
    assert (link.get("aria-current"), link.get("title")) == (("true", "Bỏ chọn") if selected else (None, None))
    assert link.find("span", class_="facet-label").text == label and link.find("span", class_="count").text == str(count)
    assert "<script>" not in html and "<b>" not in html


@pytest.mark.parametrize(
    "label, url, current, title",
    [
        ("Nghị quyết 84/NQ-CP", "/instruments/84_NQ-CP.2020?q=x&y=1", False, "Nghị quyết"),
        ("2", "/?q=x&page=2", True, None),  # no title: no title attribute (never "None")
        ('<i>"a" & \'b\'</i>', '/r?q="<script>"', False, '<b>"t"</b>'),  # markup in every value stays text
    ],
)
def test_a_link_prints_itself_as_an_anchor_with_its_values_escaped(label, url, current, title):
    from markupsafe import escape

    from searchsvc.web.presenters import Link

    html = str(escape(Link(label, url, current=current, title=title)))  # what ``{{ link }}`` prints
    anchor = parse(f"<p>{html}</p>").find("a")
    assert anchor.get("href") == url and anchor.text == label and anchor.get("title") == title
    assert anchor.get("aria-current") == ("true" if current else None)
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert str(escape(Link('<gap & "x">'))) == "&lt;gap &amp; &quot;x&quot;&gt;"  # no URL: its label, as text


# --- section groups ----------------------------------------------------------------------------------------------------
def test_section_facet_shows_one_entry_per_heading_group(client):
    document = page(client, "/")
    box = facet_box(document, "Phần của báo cáo")
    labels = [a.find("span", class_="facet-label").text for a in box.find_all("a", class_="facet-value")]
    assert len({fold(label) for label in labels}) == len(labels)
    general = next(a for a in box.find_all("a", class_="facet-value") if fold(a.find("span", class_="facet-label").text) == "danh gia chung")
    assert general.find("span", class_="count").text == "2"
    filtered = page(client, general.get("href"))
    assert filtered.find("p", class_="result-count").text.startswith("2 báo cáo,")  # "2 báo cáo, N đoạn"
    selected = facet_box(filtered, "Phần của báo cáo").find("a", class_="selected")
    assert query_of(selected.get("href")) == {}  # one click removes the whole group


# --- report and instrument pages ---------------------------------------------------------------------------------
def test_report_match_navigation_without_script(client):
    document = page(client, f"/reports/{REPORT}?q={WORDS}")
    marks = [m for m in document.find("div", class_="report-text").find_all("mark")]
    assert len(marks) >= 3 and [m.get("id") for m in marks] == [f"m-{n}" for n in range(1, len(marks) + 1)]
    nav = document.find("nav", class_="match-nav")
    assert nav.find("span", class_="match-count").text == f"{len(marks)} kết quả"
    next_url = nav.find("a", class_="match-next").get("href")
    assert query_of(next_url) == {"q": [WORDS], "m": ["1"]} and next_url.endswith("#m-1")
    second = page(client, f"/reports/{REPORT}?q={WORDS}&m=2")
    nav = second.find("nav", class_="match-nav")
    assert nav.find("span", class_="match-count").text == f"kết quả 2/{len(marks)}"
    assert second.by_id("m-2").get("class") == "current"
    assert nav.find("a", class_="match-prev").get("href").endswith("#m-1")
    last = page(client, f"/reports/{REPORT}?q={WORDS}&m={len(marks)}")
    assert last.find("a", class_="match-next").get("href").endswith("#m-1")  # wraps around like find in page


def test_table_of_contents_counts_matches_per_section(client):
    document = page(client, f"/reports/{REPORT}?q={WORDS}")
    text = document.find("div", class_="report-text")
    expected = {s.get("id"): len(s.find_all("mark")) for s in text.find_all("section", class_="report-section")}
    toc = document.find("details", class_="toc")
    shown = {}
    for link in toc.find_all("a"):
        count = link.find_all("span", class_="toc-count")
        shown[link.get("href")[1:]] = int(count[0].text.split()[0]) if count else 0
    assert {k: v for k, v in shown.items() if v} == {k: v for k, v in expected.items() if v}
    assert sum(shown.values()) == len(text.find_all("mark"))


def test_report_without_query_has_no_match_navigation(client):
    document = page(client, f"/reports/{REPORT}")
    assert document.find_all("nav", class_="match-nav") == []
    assert client.get(f"/reports/{REPORT}?q=x&m=abc").status_code == 400


def test_instrument_page_links_to_the_official_database(client):
    document = page(client, "/instruments/84_NQ-CP.2020")
    link = document.find("p", class_="official").find("a")
    parts = urlsplit(link.get("href"))
    assert parts.scheme == "https" and parts.netloc == "vbpl.vn"
    assert parse_qs(parts.query)["Keyword"] == ["84/NQ-CP"]
    assert "noopener" in link.get("rel")


def test_pages_serialise_filters_as_json_safely(client):
    """The export's filters echo what was asked, Vietnamese text intact."""
    data = json.loads(client.get("/api/export.json?province=Bến Tre").data.decode("utf-8"))
    assert data["filters"] == {"province": ["Bến Tre"]} and {h["province"] for h in data["hits"]} == {"Bến Tre"}


def test_export_is_bounded_and_says_so(client, monkeypatch):
    from searchsvc.web import export

    monkeypatch.setattr(export, "MAX_EXPORT", 25)
    data = api(client, "/api/export.json?q=đầu tư")
    assert data["total"] > 25 and data["exported"] == 25 and data["truncated"] is True
    assert [h["number"] for h in data["hits"]] == list(range(1, 26))


@pytest.mark.parametrize("url", ["/facets/province?q=đầu tư", "/facets/section", "/facets/instrument?fq=zzz&fpage=9"])
def test_facet_pages_are_wellformed_vietnamese_html(client, url):
    document = page(client, url)  # raises on tags that do not nest
    assert document.find("html").get("lang") == "vi"
    assert len(document.find_all("h1")) == 1


# --- one facet's links, put together once ------------------------------------------------------------------------------
_values = st.lists(st.sampled_from(["Bắc Giang", "2020", "a&b=c", "Hà Nội", "84_NQ-CP.2020", "x y", ""]), max_size=3)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=st.sampled_from(["", "đầu tư", "a&b", 'province:"Bắc Giang" covid']),
    filters=st.dictionaries(st.sampled_from(FACETS), _values, max_size=4),
    facet=st.sampled_from(FACETS),
    values=_values,
    sort=st.sampled_from(["relevance", "newest"]),
    page=st.integers(1, 3),
    per_page=st.sampled_from([10, 20]),
    group=st.sampled_from(["report", "section"]),
    scope=st.sampled_from(["report", "section"]),
)
def test_a_facets_links_are_the_search_urls_of_its_values(app, q, filters, facet, values, sort, page, per_page, group, scope):
    """``facet_links`` (the sidebar's and the charts' links) gives what ``search_url`` gives for the
    same filters, page 1: the same parameters in the same order, for every shape of search."""
    from searchsvc.models import SearchRequest
    from searchsvc.web.presenters import facet_links, search_url

    request = SearchRequest(q=q, filters=filters, sort=sort, page=page, per_page=per_page, group=group, scope=scope)
    with app.test_request_context("/"):
        app.preprocess_request()
        assert facet_links(request, facet)(values) == search_url(request, filters={**filters, facet: values}, page=1)
