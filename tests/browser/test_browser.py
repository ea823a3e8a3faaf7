"""The pages in a real headless Chromium (Playwright, sync API), served by a real WSGI server.

These tests never skip: without Chromium at /usr/bin/chromium they fail and say how to install it.
One browser for the whole session; each test gets a fresh context. Screenshots go to
tests/artifacts/ (git-ignored) for a person to look at.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import DESKTOP, Q84, SEED_84, open_page

pytestmark = pytest.mark.browser


def search(page, text: str) -> None:
    page.goto("/")
    page.fill("#q", text)
    with page.expect_navigation():
        page.press("#q", "Enter")


def hit_reports(page) -> list[str]:
    hrefs = page.locator("ol.hits h2.hit-title a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [urlsplit(h).path.rsplit("/", 1)[-1] for h in hrefs]


def result_count(page) -> str:
    return page.locator("p.result-count").inner_text()


def no_horizontal_overflow(page) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wide = page.evaluate(
        """width => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1 && getComputedStyle(e).position !== 'absolute')
            .filter(e => !e.closest('.table-wrap, .visually-hidden, .skip-link'))
            .map(e => e.tagName + '.' + e.className).slice(0, 5)""",
        width,
    )
    assert wide == []


# --- scenarios ---------------------------------------------------------------------------------------------------
def test_search_for_an_instrument_lists_the_citing_reports(desktop, artifacts):
    search(desktop, Q84)
    assert parse_qs(urlsplit(desktop.url).query)["q"] == [Q84]
    assert desktop.input_value("#q") == Q84  # the query stays in the box
    assert set(hit_reports(desktop)) == SEED_84
    assert "3 báo cáo, 3 đoạn" in result_count(desktop)
    assert desktop.locator("ol.hits mark").first.inner_text() == "84/NQ-CP"
    desktop.screenshot(path=str(artifacts / "search-desktop.png"), full_page=True)


def test_facet_click_filters_and_a_second_click_removes_it(desktop):
    search(desktop, "đầu tư công")
    before = result_count(desktop)
    facet = desktop.locator("section.facet", has=desktop.locator("h3", has_text="Tỉnh, thành phố"))
    link = facet.locator("a.facet-value", has_text="Bắc Giang")
    expected_reports = int(link.locator(".count").inner_text())
    with desktop.expect_navigation():
        link.click()
    assert parse_qs(urlsplit(desktop.url).query)["province"] == ["Bắc Giang"]
    assert result_count(desktop).startswith(f"{expected_reports} báo cáo,")
    metas = desktop.locator("ol.hits p.meta").all_inner_texts()
    assert metas and all("Bắc Giang" in m for m in metas)
    selected = facet.locator("a.facet-value.selected")
    assert selected.get_attribute("aria-current") == "true"
    assert desktop.locator("a.chip", has_text="Bắc Giang").count() == 1
    with desktop.expect_navigation():
        selected.click()
    assert "province" not in parse_qs(urlsplit(desktop.url).query)
    assert result_count(desktop).split("(")[0] == before.split("(")[0]
    assert desktop.locator("a.chip").count() == 0


def test_opening_a_result_lands_on_the_highlighted_section(desktop):
    search(desktop, Q84)
    first = desktop.locator("ol.hits a.row-section-where").first  # a report's best section
    section = first.get_attribute("href").split("#", 1)[1]
    with desktop.expect_navigation():
        first.click()
    assert urlsplit(desktop.url).fragment == section
    target = desktop.locator(f"section#{section}")
    marks = target.locator("mark")
    assert marks.count() >= 1 and "84/NQ-CP" in marks.first.inner_text()
    box = marks.first.bounding_box()
    assert box is not None and 0 <= box["y"] < DESKTOP["height"]  # scrolled into view
    assert desktop.evaluate("document.querySelector(':target').id") == section


def test_instrument_link_leads_to_every_citing_report(desktop, artifacts):
    search(desktop, Q84)
    link = desktop.locator("p.hit-instruments a", has_text=re.compile(r"^84/NQ-CP")).first
    with desktop.expect_navigation():
        link.click()
    assert urlsplit(desktop.url).path == "/instruments/84_NQ-CP.2020"  # an undated link redirects here
    assert desktop.locator("h1").inner_text() == "Nghị quyết 84/NQ-CP (2020)"
    reports = desktop.locator("li.citing-report h3 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {h.rsplit("/", 1)[-1] for h in reports} == SEED_84
    assert desktop.locator("figure.chart svg rect").count() == 4  # 3 provinces, 1 year
    desktop.screenshot(path=str(artifacts / "instrument-desktop.png"), full_page=True)


def test_phone_search_fits_the_screen(phone, artifacts):
    search(phone, Q84)
    assert set(hit_reports(phone)) == SEED_84
    no_horizontal_overflow(phone)
    phone.screenshot(path=str(artifacts / "search-phone.png"), full_page=True)
    phone.goto("/instruments/84_NQ-CP.2020")
    no_horizontal_overflow(phone)
    phone.screenshot(path=str(artifacts / "instrument-phone.png"), full_page=True)
    for url in ("/reports/000_bbd1df693d80d1cb?q=Nghị quyết 84/NQ-CP#s35", "/instruments"):
        phone.goto(url)
        no_horizontal_overflow(phone)


def test_slash_focuses_the_search_box(desktop):
    desktop.goto("/reports/002_acdedd4f53924217")
    assert desktop.evaluate("document.activeElement.id") != "q"
    desktop.keyboard.press("/")
    assert desktop.evaluate("document.activeElement.id") == "q"
    assert desktop.input_value("#q") == ""  # the "/" itself is not typed
    desktop.keyboard.type("84/NQ")  # inside the box "/" is an ordinary character
    assert desktop.input_value("#q") == "84/NQ"


def test_typing_a_number_suggests_instruments(desktop):
    desktop.goto("/")
    desktop.locator("#q").press_sequentially("giải ngân 84", delay=20)
    option = desktop.locator("#instrument-suggestions option[value='giải ngân 84/NQ-CP']")
    option.wait_for(state="attached")
    assert "Nghị quyết 84/NQ-CP (2020)" in option.get_attribute("label")


def test_everything_works_without_javascript(browser, server):
    context, page, problems = open_page(browser, server, java_script_enabled=False)
    try:
        page.goto("/")
        page.fill("#q", Q84)
        with page.expect_navigation():
            page.click("form.search-form button[type=submit]")
        assert set(hit_reports(page)) == SEED_84
        provinces = page.locator("section.facet", has=page.locator("h3", has_text="Tỉnh, thành phố"))
        with page.expect_navigation():
            provinces.locator("a.facet-value", has_text="Bến Tre").click()
        assert hit_reports(page) == ["004_41c8df0f7ff6743b"]
        page.fill("#q", "covid")  # a new query keeps the active filter (hidden fields of the form)
        with page.expect_navigation():
            page.press("#q", "Enter")
        assert parse_qs(urlsplit(page.url).query) == {"q": ["covid"], "province": ["Bến Tre"]}
    finally:
        context.close()
    assert problems == []
