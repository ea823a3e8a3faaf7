"""The results list in a real headless Chromium: one row per report, partial matches with what
they lack, abbreviations matched both ways, the view switches. Expected reports come from reading
the seed files (plain string search), not from the engine."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from searchsvc.normalize import fold
from tests.browser.test_browser import result_count, search

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def reports_holding(*needles: str) -> set[str]:
    return {p.stem for p in CORPUS.glob("*.txt") if any(fold(n) in fold(p.read_text(encoding="utf-8")) for n in needles)}


def rows(page) -> list[str]:
    hrefs = page.locator("ol.hits li.report-row h2 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [urlsplit(h).path.rsplit("/", 1)[-1] for h in hrefs]


def test_one_row_per_report_with_its_best_sections(desktop, artifacts):
    search(desktop, "giải ngân vốn đầu tư công")
    shown = rows(desktop)
    assert len(shown) == len(set(shown)) == 5  # every seed report discusses it, each once
    assert "5 báo cáo," in result_count(desktop) and "đoạn" in result_count(desktop)
    for row in desktop.locator("li.report-row").all():
        sections = row.locator("li.row-section")
        assert 1 <= sections.count() <= 3
        matched = row.locator("a.matched")
        assert matched.inner_text().endswith("đoạn khớp")
        assert int(matched.inner_text().split()[0]) >= sections.count()
    desktop.screenshot(path=str(artifacts / "results-by-report.png"), full_page=True)
    # "N đoạn khớp" opens every matching section of that report
    first = desktop.locator("li.report-row").first
    count = int(first.locator("a.matched").inner_text().split()[0])
    with desktop.expect_navigation():
        first.locator("a.matched").click()
    assert parse_qs(urlsplit(desktop.url).query)["group"] == ["section"]
    assert desktop.locator("ol.hits li.hit").count() == count
    assert set(rows(desktop)) == set()  # sections now, not report rows


def test_switching_between_reports_and_sections(desktop):
    search(desktop, "giải ngân vốn đầu tư công")
    views = desktop.locator("nav.result-views")
    assert views.locator("a[aria-current=true]").inner_text() == "Theo báo cáo"
    with desktop.expect_navigation():
        views.locator("a", has_text="Theo đoạn").click()
    assert desktop.locator("ol.hits li.report-row").count() == 0
    assert desktop.locator("ol.hits li.hit").count() == 10  # a page of sections


def test_partial_matches_follow_with_what_they_lack(desktop):
    # 000 writes "Quy hoạch tỉnh Bình Dương giai đoạn 2021-2030", not "thời kỳ"
    search(desktop, "quy hoạch tỉnh thời kỳ 2021-2030")
    shown = rows(desktop)
    assert set(shown) == reports_holding("quy hoạch tỉnh")
    partial = desktop.locator("li.report-row.partial")
    assert partial.count() == 1 and shown[-1].startswith("000_")
    assert partial.locator("p.missing").inner_text().startswith("Thiếu:")
    assert "kỳ" in partial.locator("p.missing").inner_text()
    assert "khớp một phần" in result_count(desktop)


def test_an_abbreviation_matches_its_words_and_marks_them(desktop):
    search(desktop, "GPMB")
    assert set(rows(desktop)) == reports_holding("GPMB", "giải phóng mặt bằng")
    marks = {m.strip() for m in desktop.locator("ol.hits mark").all_inner_texts()}
    assert marks and marks <= {"GPMB", "giải phóng mặt bằng"}
    assert "giải phóng mặt bằng" in marks and "GPMB" in marks


def test_citing_reports_or_only_citing_sections(desktop):
    desktop.goto("/?q=đầu tư&instrument=84_NQ-CP.2020")
    assert set(rows(desktop)) == reports_holding("84/NQ-CP")  # reports that cite it and discuss it anywhere
    assert desktop.locator("li.row-section.cites .cites-label").count() >= 1
    with desktop.expect_navigation():
        desktop.locator("nav.result-views a", has_text="Chỉ các đoạn trích dẫn").click()
    assert parse_qs(urlsplit(desktop.url).query)["scope"] == ["section"]
    cited = desktop.locator("ol.hits li.hit").all()
    assert cited and all(h.locator("p.hit-instruments a", has_text="84/NQ-CP").count() for h in cited)
