"""Horizontal bar charts as inline SVG (no script, no style attribute), each bar a link: on the
results page it applies the filter, on an instrument page it searches the citing reports of that
province or year. The template draws the figure; the bars are written here (``Chart.bars_svg``).
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from searchsvc.facetlist import FacetEntry
from searchsvc.instruments import InstrumentDetail
from searchsvc.models import SearchRequest

from .presenters import DEFAULT_GROUP, Link, facet_links, shorten

__all__ = ["Bar", "Chart", "bar_chart", "results_charts", "instrument_charts", "CHART_BARS"]

CHART_BARS = 15  # bars of the province chart on the results page (the rest behind "Xem thêm")


@dataclass
class Bar:
    label: str
    count: int
    y: int  # top of the row
    width: float  # bar length
    text_y: int  # baseline of the labels
    count_x: float  # where the count is written
    url: str
    title: str  # what the link says: "Bắc Giang: 12 báo cáo — lọc theo giá trị này"
    current: bool = False


@dataclass
class Chart:
    id: str
    title: str
    bars: list[Bar]
    more: Link | None = None
    width: int = 360
    label_width: int = 150
    row: int = 24
    bar_height: int = 16
    height: int = 0
    description: str = ""

    @property
    def label_x(self) -> int:
        return self.label_width - 6

    @property
    def bars_svg(self) -> Markup:
        """Every bar as an SVG link, its texts escaped, its numbers written as they are. Written
        here, not by the template: a results page draws about 25 bars of 13 values each, and
        printing each value through the template was a third of the page's rendering."""
        return Markup("".join(
            f'<a class="chart-bar{" current" if bar.current else ""}" href="{escape(bar.url)}" aria-label="{title}">'
            f"<title>{title}</title>"
            f'<text x="{self.label_x}" y="{bar.text_y}" text-anchor="end" font-size="12">{escape(bar.label)}</text>'
            f'<rect class="chart-fill" x="{self.label_width}" y="{bar.y}" width="{bar.width}" height="{self.bar_height}" rx="2"></rect>'
            f'<text x="{bar.count_x}" y="{bar.text_y}" font-size="12">{bar.count}</text></a>'
            for bar in self.bars for title in (escape(bar.title),)
        ))


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int, str, bool]], unit: str,
              more: Link | None = None) -> Chart:
    """``rows``: (label, count, url, current) per bar, top to bottom."""
    chart = Chart(chart_id, title, [], more)
    area = chart.width - chart.label_width - 40
    biggest = max((count for _, count, _, _ in rows), default=1) or 1
    for row, (label, count, url, current) in enumerate(rows):
        width = max(2.0, round(area * count / biggest, 1))
        y = row * chart.row
        chart.bars.append(Bar(shorten(label, 22), count, y + 4, width, y + 17, chart.label_width + width + 6,
                              url, f"{label}: {count} {unit}", current))
    chart.height = max(chart.row, len(rows) * chart.row)
    chart.description = "; ".join(f"{label}: {count} {unit}" for label, count, _, _ in rows)
    return chart


def results_charts(request: SearchRequest, entries: dict[str, list[FacetEntry]], more_url: str) -> list[Chart]:
    """Matching reports by year (oldest first) and by province (most first), bars as filters."""
    years = sorted((e for e in entries.get("year", []) if ".." not in e.value), key=lambda e: e.value)
    provinces = entries.get("province", [])
    only_year, only_province = facet_links(request, "year"), facet_links(request, "province")  # one value, the others dropped
    charts = []
    if years:
        charts.append(bar_chart("chart-year", "Số báo cáo khớp theo năm",
                                [(e.label, e.count, only_year([e.value]), e.selected) for e in years],
                                "báo cáo"))
    if provinces:
        more = Link(f"Xem tất cả {len(provinces)} tỉnh, thành phố", more_url) if len(provinces) > CHART_BARS else None
        charts.append(bar_chart("chart-province", "Số báo cáo khớp theo tỉnh, thành phố",
                                [(e.label, e.count, only_province([e.value]), e.selected)
                                 for e in provinces[:CHART_BARS]],
                                "báo cáo", more))
    return charts


def instrument_charts(detail: InstrumentDetail) -> list[Chart]:
    """An instrument's citing reports by province and by year; a bar searches those reports."""
    citing = SearchRequest(filters={"instrument": [detail.instrument.key]}, group=DEFAULT_GROUP)
    in_province, in_year = facet_links(citing, "province"), facet_links(citing, "year")
    return [
        bar_chart("chart-province", "Số báo cáo trích dẫn theo tỉnh",
                  [(t.value, t.count, in_province([t.value]), False) for t in detail.by_province], "báo cáo"),
        bar_chart("chart-year", "Số báo cáo trích dẫn theo năm báo cáo",
                  [(t.value, t.count, in_year([t.value]), False) for t in detail.by_year], "báo cáo"),
    ]
