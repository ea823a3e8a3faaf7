"""What surrounds the result rows, in a real headless Chromium: every facet value, chips, the year
range, export, page size, charts, grouped headings, match navigation in a report, the phone's
filter drawer, the skip link, and axe-core on every kind of page.

Each behaviour runs with and without JavaScript, at desktop and phone size (``view`` fixture).
The server, the browser and ``open_page`` are those of ``test_browser``.
"""
from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, Q84, SEED_84, open_page
from .test_browser import hit_reports, result_count

pytestmark = pytest.mark.browser

REPORT = "000_bbd1df693d80d1cb"  # Bình Dương 2020
WORDS = "đầu tư"  # many matches in REPORT
VIEWS = [("desktop", True), ("desktop", False), ("phone", True), ("phone", False)]


@pytest.fixture(params=VIEWS, ids=[f"{size}-{'js' if js else 'nojs'}" for size, js in VIEWS])
def view(request, browser, server):
    size, js = request.param
    options = {"java_script_enabled": js}
    if size == "phone":
        options |= {"is_mobile": True, "has_touch": True, "device_scale_factor": 2}
    context, page, problems = open_page(browser, server, PHONE if size == "phone" else DESKTOP, **options)
    page.size, page.js = size, js
    yield page
    context.close()
    assert problems == [], "no script errors and no Content-Security-Policy violations"


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def text_of(locator) -> str:
    return " ".join(locator.inner_text().split())


def follow(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def open_filters(page) -> None:
    """On a phone the filters are a drawer opened from the top of the page."""
    if page.size == "phone":
        page.locator("a.drawer-open").click()
        page.locator("#filters").wait_for(state="visible")


def facet_box(page, title: str):
    return page.locator("section.facet", has=page.locator("h3", has_text=re.compile(f"^{re.escape(title)}$")))


# --- 1. every value of a facet ------------------------------------------------------------------------------------
def test_more_values_filter_as_you_type_and_apply(view):
    view.goto("/")
    open_filters(view)
    box = facet_box(view, "Văn bản được trích dẫn")
    assert box.locator("a.facet-value").count() == 12
    follow(view, box.locator("a.facet-more"))
    assert urlsplit(view.url).path == "/facets/instrument"
    assert view.locator("#facet-results a.facet-value").count() == 50  # a page of 50 of the 63 seed instruments
    if view.js:  # the list narrows while typing, without leaving the page
        view.locator("#facet-text").press_sequentially("84/nq", delay=30)
        expect(view.locator("#facet-results a.facet-value")).to_have_count(1)
        assert query(view)["fq"] == ["84/nq"]
    else:
        view.fill("#facet-text", "84/nq")
        with view.expect_navigation():
            view.press("#facet-text", "Enter")
    value = view.locator("#facet-results a.facet-value")
    assert value.count() == 1 and value.locator(".facet-label").inner_text() == "84/NQ-CP (2020)"
    follow(view, value)
    assert query(view) == {"instrument": ["84_NQ-CP.2020"]}
    assert set(hit_reports(view)) == SEED_84
    assert text_of(view.locator("a.chip")).startswith("Văn bản được trích dẫn: 84/NQ-CP (2020)")


# --- 2. chips from typed filters, "Xóa bộ lọc", counts labelled ---------------------------------------------------------
def test_typed_filter_is_a_chip_that_one_click_removes(view):
    view.goto("/?" + f"q={Q84} province:\"Bến Tre\"")
    assert hit_reports(view) == ["004_41c8df0f7ff6743b"]
    chip = view.locator("a.chip")
    assert chip.count() == 1 and "Tỉnh, thành phố: Bến Tre" in text_of(chip)
    follow(view, chip)
    assert query(view) == {"q": [Q84]}
    assert set(hit_reports(view)) == SEED_84
    assert view.locator("a.chip").count() == 0


def test_clear_filters_link_removes_every_filter(view):
    view.goto(f"/?q={WORDS} year:2020..2021&province=Bắc Giang")
    assert view.locator("a.chip").count() == 2
    follow(view, view.locator("a.chip-clear", has_text="Xóa bộ lọc"))
    assert query(view) == {"q": [WORDS]}
    assert view.locator("a.chip").count() == 0
    open_filters(view)
    assert "số báo cáo" in view.locator("p.facets-note").inner_text()


# --- 3. year range ------------------------------------------------------------------------------------------------------------
def test_year_range_form_filters_and_shows_a_chip(view):
    view.goto("/?q=" + WORDS)
    open_filters(view)
    view.fill("#year-from", "2021")
    view.fill("#year-to", "2023")
    follow(view, view.locator("form.year-range button"))
    assert query(view) == {"q": [WORDS], "year_from": ["2021"], "year_to": ["2023"]}
    assert "Năm báo cáo: 2021–2023" in text_of(view.locator("a.chip"))
    years = view.locator("ol.hits p.meta span:nth-child(2)").all_inner_texts()  # province, year, period, date
    assert years and set(years) <= {"2021", "2022", "2023"}
    follow(view, view.locator("a.chip"))  # the chip removes the range
    assert query(view) == {"q": [WORDS]}


# --- 4. export, page size, API link ----------------------------------------------------------------------------------------------
def test_csv_export_downloads_every_result(view):
    view.goto("/?q=" + WORDS + "&province=Bắc Giang")
    total = int(re.search(r"(\d+) đoạn", result_count(view)).group(1))  # "N báo cáo, M đoạn": a row per section
    with view.expect_download() as download:
        view.locator("p.exports a", has_text="CSV").click()
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) - 1 == total and {r[2] for r in rows[1:]} == {"Bắc Giang"}


def test_page_size_control_and_api_link(view):
    view.goto("/?q=" + WORDS + "&group=section")  # the seeds hold 5 reports: count sections
    assert view.locator("ol.hits > li").count() == 10
    if view.js:  # choosing a size applies it
        with view.expect_navigation():
            view.select_option("#per-page", "20")
    else:
        view.select_option("#per-page", "20")
        follow(view, view.locator("form.per-page button"))
    assert query(view) == {"q": [WORDS], "per_page": ["20"], "group": ["section"]}
    assert view.locator("ol.hits > li").count() == 20
    api = view.locator("p.exports a", has_text="API JSON").get_attribute("href")
    assert urlsplit(api).path == "/api/search"
    data = view.request.get(api).json()  # the same hits as the page, as JSON
    assert data["per_page"] == 20 and len(data["hits"]) == 20


# --- 5. charts ------------------------------------------------------------------------------------------------------------------------
def test_result_chart_bars_apply_a_filter(view):
    view.goto("/?q=" + WORDS)
    view.locator("details.result-charts summary").click()
    bar = view.locator("figure.chart", has_text="theo năm").locator("a.chart-bar", has_text="2021")
    bar.wait_for(state="visible")
    follow(view, bar)
    assert query(view) == {"q": [WORDS], "year": ["2021"]}
    assert set(view.locator("ol.hits p.meta span:nth-child(2)").all_inner_texts()) == {"2021"}


def test_instrument_chart_bars_search_the_citing_reports(view):
    view.goto("/instruments/84_NQ-CP.2020")
    follow(view, view.locator("figure.chart", has_text="theo tỉnh").locator("a.chart-bar", has_text="Bến Tre"))
    assert query(view) == {"instrument": ["84_NQ-CP.2020"], "province": ["Bến Tre"]}
    assert hit_reports(view) == ["004_41c8df0f7ff6743b"]


# --- 6. grouped headings -------------------------------------------------------------------------------------------------------------------
def test_one_heading_group_finds_both_spellings(view):
    view.goto("/")
    open_filters(view)
    group = facet_box(view, "Phần của báo cáo").locator("a.facet-value", has_text=re.compile("đánh giá chung", re.I))
    assert group.count() == 1 and group.locator(".count").inner_text() == "2"
    follow(view, group)
    assert result_count(view).startswith("2 báo cáo,")  # "2 báo cáo, N đoạn"


# --- 7. inside a report ---------------------------------------------------------------------------------------------------------------------------
def in_view(page, selector: str) -> bool:
    return page.evaluate(
        """s => { const r = document.querySelector(s).getBoundingClientRect();
                  return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


def test_next_and_previous_match(view):
    view.goto(f"/reports/{REPORT}?q={WORDS}")
    total = view.locator(".report-text mark").count()
    assert total >= 3
    count = view.locator(".match-count")
    assert count.inner_text() == f"{total} kết quả"
    toc = view.locator("details.toc .toc-count").all_inner_texts()
    assert sum(int(t.split()[0]) for t in toc) == total  # every match counted in the table of contents
    if view.js:
        view.keyboard.press("n")
        assert count.inner_text() == f"kết quả 1/{total}"
        view.keyboard.press("n")
        assert count.inner_text() == f"kết quả 2/{total}"
        assert view.locator("mark.current").get_attribute("id") == "m-2" and in_view(view, "#m-2")
        view.keyboard.press("p")
        view.keyboard.press("p")  # from the first back to the last, as find in page does
        assert count.inner_text() == f"kết quả {total}/{total}"
        view.locator("a.match-next").click()
        assert count.inner_text() == f"kết quả 1/{total}"
        assert query(view)["m"] == ["1"]
    else:
        follow(view, view.locator("a.match-next"))
        assert count.inner_text() == f"kết quả 1/{total}"
        follow(view, view.locator("a.match-next"))
        assert count.inner_text() == f"kết quả 2/{total}"
        assert view.evaluate("document.querySelector(':target').id") == "m-2"
        assert view.locator("mark.current").get_attribute("id") == "m-2" and in_view(view, "#m-2")
        follow(view, view.locator("a.match-prev"))
        assert count.inner_text() == f"kết quả 1/{total}"


def test_instrument_page_points_to_the_official_text(view):
    view.goto("/instruments/84_NQ-CP.2020")
    link = view.locator("p.official a")
    href = link.get_attribute("href")
    assert urlsplit(href).netloc == "vbpl.vn" and parse_qs(urlsplit(href).query)["Keyword"] == ["84/NQ-CP"]
    assert link.is_visible()


# --- 8. phone drawer, skip link ------------------------------------------------------------------------------------------------------------------------
def test_filters_come_first_on_a_phone_as_a_drawer(view):
    view.goto(f"/?q={Q84}")
    heading = view.locator("#results-heading").bounding_box()
    if view.size == "desktop":
        assert view.locator("#filters").is_visible() and not view.locator("a.drawer-open").is_visible()
        return
    assert not view.locator("#filters").is_visible()
    opener = view.locator("a.drawer-open")
    assert opener.bounding_box()["y"] < heading["y"]  # at the top, before the results
    opener.click()
    filters = view.locator("#filters")
    filters.wait_for(state="visible")
    assert filters.bounding_box()["y"] < view.locator("#results-heading").bounding_box()["y"]
    follow(view, facet_box(view, "Tỉnh, thành phố").locator("a.facet-value", has_text="Bến Tre"))
    assert hit_reports(view) == ["004_41c8df0f7ff6743b"]
    assert not view.locator("#filters").is_visible()  # closed again over the new results
    assert view.locator("a.drawer-open").inner_text() == "Bộ lọc (1 đang dùng)"


def test_skip_link_reaches_the_filters(view):
    view.goto(f"/?q={Q84}")
    view.keyboard.press("Tab")
    view.keyboard.press("Tab")
    assert view.evaluate("document.activeElement.textContent") == "Bỏ qua, đến bộ lọc"
    view.keyboard.press("Enter")
    view.locator("#filters").wait_for(state="visible")
    presses = 1
    view.keyboard.press("Tab")
    while not view.evaluate("document.activeElement.classList.contains('facet-value')") and presses < 20:
        view.keyboard.press("Tab")
        presses += 1
    assert presses <= 5  # the year range, then the first filter value: not after every hit


# --- axe-core ------------------------------------------------------------------------------------------------------------------------------------------
AXE_PAGES = ["/", f"/?q={WORDS}&province=Bắc Giang", f"/reports/{REPORT}?q={WORDS}", "/instruments/84_NQ-CP.2020",
             "/facets/province?q=" + WORDS, "/instruments"]


@pytest.fixture(params=["desktop", "phone"])
def scripted(request, browser, server):
    """A page with scripting on: axe-core is a script (with it off, its checks never finish)."""
    phone = request.param == "phone"
    extra = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2} if phone else {}
    context, page, problems = open_page(browser, server, PHONE if phone else DESKTOP, **extra)
    page.size = request.param
    yield page
    context.close()
    assert problems == []


@pytest.mark.parametrize("url", AXE_PAGES)
def test_axe_finds_no_violations(scripted, url):
    scripted.goto(url)
    scripted.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # check what they hide too
    if scripted.size == "phone" and scripted.locator("a.drawer-open").count():
        scripted.locator("a.drawer-open").click()
    violations = Axe().run(scripted).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
