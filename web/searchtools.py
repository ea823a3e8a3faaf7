"""Everything around the result rows of the search page, assembled for the template: the sidebar,
chips, the year range, charts, export links and the page-size control (``facets``, ``charts``,
``export`` make the pieces)."""
from __future__ import annotations

from dataclasses import dataclass

from searchsvc.facetlist import FacetEntry
from searchsvc.models import Results, SearchRequest

from . import charts, export, facets

__all__ = ["SearchTools", "search_tools", "ENTRY_FACETS"]

ENTRY_FACETS = ("year", "province", "section")  # counted in full for every results page (charts, groups)


@dataclass
class SearchTools:
    sidebar: list[facets.FacetBox]
    active: int  # filters in force (the phone's "Bộ lọc (2)")
    chips: list[facets.Chip]
    clear_url: str | None
    range: facets.RangeForm
    charts: list[charts.Chart]
    exports: dict[str, str]
    per_page: list[tuple[int, bool]]
    hidden: list[tuple[str, str]]  # the search state for the page-size form, page size left out
    count_note: str


def search_tools(request: SearchRequest, results: Results, entries: dict[str, list[FacetEntry]]) -> SearchTools:
    chips, clear_url = facets.chips(request, _labels(request, results, entries))
    boxes = facets.sidebar(request, results, entries)
    province_more = next((b.more.url for b in boxes if b.name == "province" and b.more), "")
    hidden = [(k, v) for k, v in facets.state(request) if k != "per_page"]
    return SearchTools(
        sidebar=boxes,
        active=len(chips),
        chips=chips,
        clear_url=clear_url,
        range=facets.range_form(request),
        charts=charts.results_charts(request, entries, province_more) if results.total else [],
        exports=export.export_links(request),
        per_page=export.per_page_options(request),
        hidden=hidden,
        count_note="Số bên cạnh mỗi giá trị là số báo cáo có kết quả.",
    )


def _labels(request: SearchRequest, results: Results, entries: dict[str, list[FacetEntry]]) -> dict[tuple[str, str], str]:
    """What each filter in force reads as on its chip ("84/NQ-CP (2020)"), found among the counted
    values; only the filtered facets are looked through (a heading facet has thousands of values)."""
    labels = {(name, v.value): v.label for name, values in results.facets.items() if name in request.filters for v in values}
    labels |= {(name, value): e.label for name, group in entries.items() if name in request.filters
               for e in group for value in e.values}
    return labels
