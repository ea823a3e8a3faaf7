"""What surrounds the result rows of the search page: the facet sidebar, the "Xem thêm" page of one
facet, the active-filter chips and the year range form. Every URL is built here; templates print.

- The sidebar shows the first ``SIDEBAR_SIZE`` values of a facet (selected ones always) and a
  "Xem thêm" link to ``/facets/<name>``, which pages through every value with a filter box.
- Chips show every active filter, whether it came from a facet link (``?province=…``), from the
  year range (``?year=2020..2022``) or from the query text (``province:"Bắc Giang"``); each chip's
  URL is the search without it.
- Section headings come grouped (``searchsvc.facetlist``): one link stands for every heading of
  its group.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from flask import url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from searchsvc.facetlist import FacetEntry, expand_sections, heading_key
from searchsvc.searching import facet_entries
from searchsvc.models import FACETS, Results, SearchRequest
from searchsvc.normalize import fold, nfc
from searchsvc.query import And, Filter, parse_query

from . import params
from .presenters import (DEFAULT_GROUP, DEFAULT_PER_PAGE, FACET_TITLES, Link, facet_links, pagination, path, query_string,
                         search_url, toggled, toggled_values)
from .state import get_index

__all__ = [
    "SIDEBAR_SIZE", "MORE_PER_PAGE", "FacetLink", "FacetBox", "Chip", "RangeForm", "FacetPage",
    "sidebar", "chips", "range_form", "facet_page", "matching", "state", "asked_values", "query_filters", "year_text",
]

SIDEBAR_SIZE = 12  # values of a facet in the sidebar (searchsvc.searching.FACET_SIZE gives these)
MORE_PER_PAGE = 50  # values per page of "Xem thêm"
FIELD_TITLES = {**FACET_TITLES, "year": "Năm báo cáo", "report": "Báo cáo"}
_FIELD_TOKEN = re.compile(r'(?<![^\s(])(?P<field>[A-Za-z]+):(?P<value>"[^"]*"|[^\s()"]+)')


@dataclass
class FacetLink:
    label: str
    count: int  # distinct reports
    selected: bool
    url: str  # adds the value, or removes it when selected

    def __html__(self) -> str:
        """The value's link as the sidebar and the "Xem thêm" page print it (``{{ value }}`` in
        ``_tools.facet_values``): one piece of markup instead of three escaped values (a sidebar
        has some sixty)."""
        state = ' selected" aria-current="true" title="Bỏ chọn' if self.selected else ""
        return (f'<a class="facet-value{state}" href="{escape(self.url)}"><span class="facet-label">{escape(self.label)}</span> '
                f'<span class="count">{int(self.count)}</span><span class="visually-hidden"> báo cáo</span></a>')


@dataclass
class FacetBox:
    name: str
    title: str
    values: list[FacetLink]
    more: Link | None  # "Xem thêm (61)" when there are values beyond those shown


@dataclass
class Chip:
    facet: str
    label: str
    url: str  # the search without this filter
    source: str  # "facet" (a link or the range form) or "query" (typed in the search box)


@dataclass
class RangeForm:
    year_from: str
    year_to: str
    hidden: list[tuple[str, str]]  # the rest of the search state
    action: str


@dataclass
class FacetPage:
    name: str
    title: str
    text: str  # the filter-as-you-type text
    values: list[FacetLink]
    summary: str
    pages: list[Link]
    back_url: str
    action: str
    hidden: list[tuple[str, str]]


# --- small pieces ------------------------------------------------------------------------------------
def year_text(value: str) -> str:
    """A year filter value as read: "2020..2022" -> "2020–2022", "2020.." -> "từ 2020"."""
    if ".." not in value:
        return value
    low, high = value.split("..", 1)
    return f"{low}–{high}" if low and high else f"từ {low}" if low else f"đến {high}"


def _is_range(value: str) -> bool:
    return ".." in value


def _link(name: str, entry: FacetEntry, current: list[str], link: Callable[[list[str]], str]) -> FacetLink:
    """A facet value's link (``link``: ``presenters.facet_links`` of the facet; ``current``: its
    values in force): adds the value, or removes every value of its group when selected."""
    if entry.selected:
        same = heading_key if name == "section" else str  # a heading stands for its whole group
        gone = {same(e) for e in entry.values}
        values = [v for v in current if same(v) not in gone]
    else:
        values = toggled_values(current, entry.value)
    return FacetLink(entry.label, entry.count, entry.selected, link(values))


def _links(request: SearchRequest, name: str, entries: list[FacetEntry]) -> list[FacetLink]:
    link, current = facet_links(request, name), request.filters.get(name, [])
    return [_link(name, entry, current, link) for entry in entries]


def state(request: SearchRequest, *, skip_year: bool = False) -> list[tuple[str, str]]:
    """The search as hidden form fields (query, filters, sort, page size)."""
    pairs = [("q", request.q)] if request.q else []
    pairs += [(name, value) for name in FACETS for value in request.filters.get(name, [])
              if not (skip_year and name == "year")]
    if request.sort != "relevance":
        pairs.append(("sort", request.sort))
    if request.per_page != DEFAULT_PER_PAGE:
        pairs.append(("per_page", str(request.per_page)))
    pairs += [(name, value) for name, value, default in (("group", request.group, DEFAULT_GROUP), ("scope", request.scope, "report"))
              if value != default]  # the view in force (by report or by section, citing sections only)
    return pairs


# --- the sidebar -------------------------------------------------------------------------------------
def sidebar(request: SearchRequest, results: Results, entries: dict[str, list[FacetEntry]]) -> list[FacetBox]:
    """Every facet with values: ``entries`` where computed (all values), else what ``search`` gave."""
    boxes = []
    for name in FACETS:
        if name in entries:  # counted values of the index: never a range; looked through only when filtered
            every = entries[name]
            shown = every[:SIDEBAR_SIZE] + ([e for e in every[SIDEBAR_SIZE:] if e.selected] if name in request.filters else [])
            more = len(every) > SIDEBAR_SIZE
            total = len(every)
        else:
            shown = [FacetEntry((v.value,), v.label, v.count, v.selected)
                     for v in results.facets.get(name, []) if not _is_range(v.value)]
            more = sum(not e.selected for e in shown) >= SIDEBAR_SIZE  # search() stops at FACET_SIZE
            total = None
        if not shown:
            continue
        label = f"Xem thêm ({total})" if total else "Xem thêm"
        more_link = Link(label, _facet_url(request, name), title=f"Tất cả giá trị của “{FACET_TITLES[name]}”") if more else None
        boxes.append(FacetBox(name, FACET_TITLES[name], _links(request, name, shown), more_link))
    return boxes


def _facet_url(request: SearchRequest, name: str, **extra) -> str:
    pairs = state(request) + [(k, str(v)) for k, v in extra.items() if v not in ("", None, 1)]
    return path("views.facet", name=name) + query_string(pairs)


# --- chips ---------------------------------------------------------------------------------------------
def query_filters(q: str) -> list[tuple[str, str, str]]:
    """The filters typed in the query text that narrow the whole search (not inside OR or NOT):
    (field, value, the query text without it).

    >>> query_filters('covid province:"Bắc Giang"')
    [('province', 'Bắc Giang', 'covid')]
    """
    tree = parse_query(q).tree
    top = tree.items if isinstance(tree, And) else (tree,)
    wanted = {(node.field, node.value) for node in top if isinstance(node, Filter)}
    found = []
    for match in _FIELD_TOKEN.finditer(q):
        key = (match.group("field").lower(), nfc(match.group("value").strip('"')))
        if key in wanted:
            rest = " ".join((q[: match.start()] + " " + q[match.end():]).split())
            found.append((*key, rest))
    return found


def chips(request: SearchRequest, labels: dict[tuple[str, str], str]) -> tuple[list[Chip], str | None]:
    """Every active filter as a chip, and the URL that removes them all ("Xóa bộ lọc")."""
    out = []
    for name in FACETS:
        for value in request.filters.get(name, []):
            label = year_text(value) if name == "year" else labels.get((name, value), value)
            out.append(Chip(FACET_TITLES[name], label,
                            search_url(request, filters=toggled(request.filters, name, value), page=1), "facet"))
    typed = query_filters(request.q)
    for field, value, rest in typed:
        label = year_text(value) if field == "year" else value
        out.append(Chip(FIELD_TITLES[field], label, search_url(request, q=rest, page=1), "query"))
    clear = search_url(request, q=_without_filters(request.q), filters={}, page=1) if out else None
    return out, clear


def _without_filters(q: str) -> str:
    """The query text with every typed filter taken out, one after another."""
    while found := query_filters(q):
        q = found[0][2]
    return q


# --- the year range ------------------------------------------------------------------------------------
def range_form(request: SearchRequest) -> RangeForm:
    """The "Năm từ … đến …" form, filled from the year filter in force (a range, or one year)."""
    years = request.filters.get("year", [])
    low = high = ""
    if len(years) == 1:
        low, _, high = years[0].partition("..") if _is_range(years[0]) else (years[0], "", years[0])
    return RangeForm(low, high, state(request, skip_year=True), path("views.search"))


# --- "Xem thêm": every value of one facet ------------------------------------------------------------------
def asked_values(name: str, args: MultiDict, per_page: int) -> tuple[SearchRequest, str, int, list[FacetEntry]]:
    """The search, the filter text, the page and every value of facet ``name`` that a request of
    ``/facets/<name>`` or ``/api/facets/<name>`` asks for; NotFound for an unknown facet."""
    if name not in FACETS:
        raise NotFound(f"Không có bộ lọc “{name}” (có: {', '.join(FACETS)}).")
    search_request, text, page = params.facet_request(args, per_page, DEFAULT_GROUP)
    index = get_index()
    return search_request, text, page, facet_entries(index, expand_sections(index, search_request), (name,))[name]


def matching(entries: list[FacetEntry], text: str) -> list[FacetEntry]:
    """The values whose label contains ``text``, accents and case aside ("bac" finds "Bắc Giang")."""
    wanted = fold(text.strip())
    return [e for e in entries if not _is_range(e.value) and (not wanted or wanted in fold(e.label))]


def facet_page(request: SearchRequest, name: str, entries: list[FacetEntry], text: str, page: int) -> FacetPage:
    wanted = text.strip()
    matching_entries = matching(entries, text)
    pages = max(1, -(-len(matching_entries) // MORE_PER_PAGE))
    page = min(page, pages)
    shown = matching_entries[(page - 1) * MORE_PER_PAGE: page * MORE_PER_PAGE]
    title = FACET_TITLES[name]
    if matching_entries:
        summary = f"{len(matching_entries)} giá trị" + (f" chứa “{wanted}”" if wanted else "")
    else:
        summary = f"Không có giá trị nào chứa “{text.strip()}”" if wanted else "Không có giá trị nào"
    return FacetPage(
        name=name,
        title=title,
        text=text,
        values=_links(request, name, shown),
        summary=summary,
        pages=pagination(page, pages, lambda p: _facet_url(request, name, fq=text.strip(), fpage=p)),
        back_url=search_url(request),
        action=url_for("views.facet", name=name),
        hidden=state(request),
    )
