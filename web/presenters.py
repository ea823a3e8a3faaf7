"""Library results -> what a template shows: labels in Vietnamese, every URL built here.

Templates only loop and print: facet values arrive with their toggle URL, active filters as chips
with a removal URL, pagination and sort as ready links, dates as "29/05/2020".
"""
from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from urllib.parse import urlencode

from flask import Flask, request as current_request, url_for
from markupsafe import Markup

from searchsvc.models import FACETS, Results, SearchRequest

from . import resultrows

__all__ = [
    "FACET_TITLES", "SORT_TITLES", "search_url", "facet_links", "report_url", "instrument_url", "path", "query_string", "date_vi",
    "search_page", "hit_dicts",
]

FACET_TITLES = {
    "province": "Tỉnh, thành phố",
    "year": "Năm báo cáo",
    "period": "Kỳ báo cáo",
    "doctype": "Loại văn bản",
    "type": "Loại văn bản được trích dẫn",
    "issuer": "Cơ quan ban hành",
    "instrument": "Văn bản được trích dẫn",
    "section": "Phần của báo cáo",
}
SORT_TITLES = {"relevance": "Phù hợp nhất", "newest": "Mới nhất", "oldest": "Cũ nhất"}
LIST_SORT_TITLES = {"count": "Trích dẫn nhiều nhất", "newest": "Mới nhất", "oldest": "Cũ nhất", "name": "Theo số hiệu"}
DEFAULT_PER_PAGE = 10  # as web.DEFAULTS["PER_PAGE"]: left out of URLs
DEFAULT_LIST_PER_PAGE = 50  # as web.DEFAULTS["INSTRUMENTS_PER_PAGE"]
DEFAULT_GROUP = "report"  # the page shows one row per report unless asked otherwise
EXAMPLES = ("giải ngân vốn đầu tư công", "Nghị quyết 84/NQ-CP", '"cải cách hành chính"', "covid province:\"Bắc Giang\"", "nong thon moi")


# --- small formatting ---------------------------------------------------------------------------------
def date_vi(iso: str | None) -> str | None:
    """ "2020-05-29" -> "29/05/2020"; anything else unchanged."""
    if not iso or len(iso) != 10 or iso[4] != "-" or iso[7] != "-":
        return iso
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def shorten(text: str | None, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def crumbs(path: list[str] | tuple[str, ...], heading: str | None) -> list[str]:
    """A section's place in its report: ["Phần thứ hai", "II", "3. Cải thiện môi trường …"]."""
    if not path:
        return ["Phần mở đầu"]
    *parents, last = path
    return [*parents, f"{last}. {shorten(heading, 110)}" if heading else last]


def mark_surface(sentence: str, surface: str) -> Markup:
    """The citing sentence as HTML with the citation itself in <mark>."""
    at = sentence.find(surface) if surface else -1
    if at < 0:
        return Markup(escape(sentence, quote=False))
    return Markup(
        escape(sentence[:at], quote=False) + "<mark>" + escape(surface, quote=False) + "</mark>"
        + escape(sentence[at + len(surface):], quote=False)
    )


# --- URLs -----------------------------------------------------------------------------------------------
_PATHS = "searchsvc.paths"  # the app's extension: {script root: {(endpoint, values): path}}
MAX_PATHS = 50_000  # paths remembered per app and script root (forgotten all at once past that)
_request_paths: ContextVar[dict | None] = ContextVar("searchsvc_request_paths", default=None)


def init_app(app: Flask) -> None:
    """Each request finds its app's remembered paths once: a results page builds hundreds of paths,
    and looking the app and request up through Flask's context proxies cost more than the lookup."""

    app.jinja_env.globals["path"] = path

    @app.before_request
    def bind_paths() -> None:
        _request_paths.set(app.extensions.setdefault(_PATHS, {}).setdefault(current_request.script_root, {}))

    @app.teardown_request
    def unbind_paths(_error: BaseException | None) -> None:
        _request_paths.set(None)


def path(endpoint: str, **values) -> str:
    """``url_for`` of a path of this app, remembered per app and script root during a request (the
    routing map builds a path slower than a page uses it); built afresh outside one. Templates call
    it as ``path(…)``."""
    paths = _request_paths.get()
    if paths is None or (values and any(name.startswith("_") for name in values)):  # _external, _anchor …: url_for's own
        return url_for(endpoint, **values)
    key = (endpoint, *sorted(values.items())) if len(values) > 1 else (endpoint, *values.items())
    found = paths.get(key)
    if found is None:
        if len(paths) >= MAX_PATHS:
            paths.clear()
        found = paths[key] = url_for(endpoint, **values)
    return found


def query_string(pairs: list[tuple[str, str]]) -> str:
    """``?`` and the pairs as ``urlencode`` writes them; each pair encoded once per process (a
    results page repeats the same query and filters in a hundred links)."""
    return ("?" + "&".join([_pair(name, value) for name, value in pairs])) if pairs else ""


@lru_cache(maxsize=4096)
def _pair(name: str, value: str) -> str:
    return urlencode([(name, value)])


@lru_cache(maxsize=256)
def _query_of(q: str) -> str:
    """``?q=…`` of a query (empty without one): the same on every report link of a page."""
    return query_string([("q", q)] if q else [])


def search_url(request: SearchRequest, *, endpoint: str = "views.search", **changes) -> str:
    """The URL of a search state; ``changes`` replaces q, filters, sort, page, per_page, group or scope.

    Defaults are left out so URLs stay short and shareable: ``/?q=đầu+tư&province=Bắc+Giang``.
    """
    return path(endpoint) + query_string(_state_pairs(request, endpoint, changes))


def facet_links(request: SearchRequest, facet: str) -> Callable[[list[str]], str]:
    """``values -> search_url(request, filters=<the filters, facet's values replaced by values>,
    page=1)``. A sidebar box or a chart links every value of one facet: what the links share (the
    query, the other filters, the sort, the view) is put together once for all of them."""
    pairs = _state_pairs(request, "views.search", {"filters": {**request.filters, facet: []}, "page": 1})
    at = (1 if request.q else 0) + sum(len(request.filters.get(name, [])) for name in FACETS[: FACETS.index(facet)])
    head, tail, base = pairs[:at], pairs[at:], path("views.search")
    return lambda values: base + query_string([*head, *((facet, value) for value in values), *tail])


def _state_pairs(request: SearchRequest, endpoint: str, changes: dict) -> list[tuple[str, str]]:
    """The parameters of a search state (``search_url``), in their order: q, filters by facet, then
    what differs from the defaults."""
    q = changes.get("q", request.q)
    filters = changes.get("filters", request.filters)
    sort = changes.get("sort", request.sort)
    page = changes.get("page", request.page)
    per_page = changes.get("per_page", request.per_page)
    group = changes.get("group", request.group)
    scope = changes.get("scope", request.scope)
    pairs: list[tuple[str, str]] = [("q", q)] if q else []
    pairs += [(name, value) for name in FACETS if name in filters for value in filters[name]]
    if sort != "relevance":
        pairs.append(("sort", sort))
    if page != 1:
        pairs.append(("page", str(page)))
    if per_page != DEFAULT_PER_PAGE:
        pairs.append(("per_page", str(per_page)))
    if group != ("section" if endpoint.startswith("api.") else DEFAULT_GROUP):  # each endpoint's own default
        pairs.append(("group", group))
    if scope != "report":
        pairs.append(("scope", scope))
    return pairs


def toggled(filters: dict[str, list[str]], facet: str, value: str) -> dict[str, list[str]]:
    """The filters with one value added, or removed when it was there."""
    new = toggled_values(filters.get(facet, []), value)
    out = {name: list(values) for name, values in filters.items() if name != facet}
    if new:
        out[facet] = new
    return out


def toggled_values(current: list[str], value: str) -> list[str]:
    """A facet's values with ``value`` added, or removed when it was there."""
    return [v for v in current if v != value] if value in current else [*current, value]


def report_url(report_id: str, q: str = "", section_id: str | None = None) -> str:
    """/reports/<id>?q=…#<section>: the report, the query marked, scrolled to the section."""
    url = path("views.report", report_id=report_id) + _query_of(q)
    return url + (f"#{section_id}" if section_id else "")


def instrument_url(key: str) -> str:
    return path("views.instrument", key=key)


def instruments_url(args: dict, **changes) -> str:
    state = {**args, **changes}
    pairs: list[tuple[str, str]] = []
    if state.get("text"):
        pairs.append(("q", state["text"]))
    for param, name in (("type", "types"), ("issuer", "issuers"), ("year", "years")):
        pairs += [(param, v) for v in state.get(name, [])]
    if state.get("sort", "count") != "count":
        pairs.append(("sort", state["sort"]))
    if state.get("page", 1) != 1:
        pairs.append(("page", str(state["page"])))
    if state.get("per_page", DEFAULT_LIST_PER_PAGE) != DEFAULT_LIST_PER_PAGE:
        pairs.append(("per_page", str(state["per_page"])))
    return url_for("views.instruments") + query_string(pairs)


# --- shared pieces ------------------------------------------------------------------------------------------
@dataclass
class Link:
    label: str
    url: str | None = None
    current: bool = False
    title: str | None = None

    def __html__(self) -> str:
        """The link as a plain anchor, for ``{{ link }}`` in a template (one piece of markup
        instead of three escaped values); without a URL, its label."""
        if self.url is None:
            return escape(self.label)
        title = f' title="{escape(self.title)}"' if self.title else ""
        current = ' aria-current="true"' if self.current else ""
        return f'<a href="{escape(self.url)}"{title}{current}>{escape(self.label)}</a>'


def pagination(page: int, pages: int, url_of) -> list[Link]:
    """Previous, a window of page numbers with gaps (url None), next."""
    if pages <= 1:
        return []
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links = [Link("‹ Trước", url_of(page - 1) if page > 1 else None, title="Trang trước")]
    previous = 0
    for number in shown:
        if number - previous > 1:
            links.append(Link("…"))
        links.append(Link(str(number), url_of(number), current=number == page, title=f"Trang {number}"))
        previous = number
    links.append(Link("Sau ›", url_of(page + 1) if page < pages else None, title="Trang sau"))
    return links


# --- the search page -------------------------------------------------------------------------------------------
@dataclass
class Chip:
    facet: str
    label: str
    url: str  # the search without this value


@dataclass
class SearchPage:
    request: SearchRequest
    results: Results
    summary: str
    hits: list[resultrows.HitView]
    rows: list[resultrows.RowView]  # group "report": one row per report
    views: list[Link]  # by report / by section; with a citation filter, reports citing / citing sections
    sorts: list[Link]
    pages: list[Link]
    suggestion: Link | None
    warnings: list[str]
    hidden: list[tuple[str, str]]  # what the search box carries along: filters, sort, per_page
    browsing: bool  # no query and no filter: the whole collection
    empty: bool
    heading: str
    examples: list[Link]


def instrument_label(item: dict) -> str:
    return f"{item['canonical']} ({item['year']})" if item.get("year") else item["canonical"]


def _views(request: SearchRequest) -> list[Link]:
    """Switches between one row per report and one per section, and, with a filter on what a
    document cites, between the reports that cite it and only the sections that cite it."""
    links = [Link("Theo báo cáo", search_url(request, group="report", page=1), current=request.group == "report"),
             Link("Theo đoạn", search_url(request, group="section", page=1), current=request.group == "section")]
    if any(request.filters.get(f) for f in ("instrument", "type", "issuer")):
        links += [Link("Báo cáo có trích dẫn", search_url(request, scope="report", page=1), current=request.scope == "report"),
                  Link("Chỉ các đoạn trích dẫn", search_url(request, scope="section", page=1), current=request.scope == "section")]
    return links


def search_page(request: SearchRequest, results: Results) -> SearchPage:
    first = (results.page - 1) * results.per_page + 1
    rows = resultrows.row_views(request, results.reports, first) if results.group == "report" else []
    hits = [] if rows else resultrows.hit_views(request, results.hits, first)
    sorts = [Link(title, search_url(request, sort=sort, page=1), current=sort == request.sort)
             for sort, title in SORT_TITLES.items()]
    suggestion = None
    if results.suggestion:
        suggestion = Link(results.suggestion, search_url(request, q=results.suggestion, page=1))
    hidden = [(name, value) for name in FACETS for value in request.filters.get(name, [])]
    if request.sort != "relevance":
        hidden.append(("sort", request.sort))
    if request.per_page != DEFAULT_PER_PAGE:
        hidden.append(("per_page", str(request.per_page)))
    hidden += [(name, value) for name, value, default in (("group", request.group, DEFAULT_GROUP), ("scope", request.scope, "report"))
               if value != default]
    return SearchPage(
        request=request,
        results=results,
        summary=resultrows.counts_summary(results),
        hits=hits,
        rows=rows,
        views=_views(request),
        sorts=sorts,
        pages=pagination(results.page, results.pages, lambda p: search_url(request, page=p)),
        suggestion=suggestion,
        warnings=list(results.warnings),
        hidden=hidden,
        browsing=not request.q.strip() and not request.filters,
        empty=not results.hits and not rows,
        heading=(f"Kết quả cho “{request.q.strip()}”" if request.q.strip()
                 else "Kết quả lọc" if request.filters else "Tất cả báo cáo"),
        examples=[Link(text, url_for("views.search") + query_string([("q", text)])) for text in EXAMPLES],
    )


def hit_dicts(request: SearchRequest, results: Results) -> dict:
    """``Results.to_dict()`` with each hit's and row's report-page URL: the JSON of /api/search."""
    return resultrows.result_dicts(request, results)


# --- the report page ------------------------------------------------------------------------------------------------
@dataclass
class ReportPage:
    id: str
    title: str
    facts: list[tuple[str, str]]
    unaccented: bool
    toc: list  # reportview.TocNode
    sections: list  # reportview.SectionView
    instruments: list[Link]  # cited in this report, most mentioned first
    original_url: str | None
    original_label: str
    q: str
    marks: int
    notice: str | None
    back_url: str | None
    plain_url: str  # the report without marks
    api_url: str


FORMAT_NAMES = {"txt": "Văn bản thuần (.txt)", "docx": "Word (.docx)", "pdf": "PDF (.pdf)"}


def report_page(report: dict, text, toc: list, q: str, notice: str | None, has_original: bool) -> ReportPage:
    facts = [
        ("Tỉnh, thành phố", report.get("province")),
        ("Năm", str(report["year"]) if report.get("year") else None),
        ("Kỳ báo cáo", report.get("period")),
        ("Ngày ký", date_vi(report.get("report_date"))),
        ("Số hiệu", report.get("doc_number")),
        ("Cơ quan ban hành", report.get("issuer")),
        ("Định dạng gốc", FORMAT_NAMES.get(report.get("format") or "", report.get("format"))),
    ]
    labels = {}
    for citation in report.get("citations", []):
        labels.setdefault(citation["key"], instrument_label(citation))
    instruments = [
        Link(f"{labels[key]} × {count}" if count > 1 else labels[key], instrument_url(key))
        for key, count in sorted(text.citations.items(), key=lambda kv: (-kv[1], labels.get(kv[0], kv[0])))
        if key in labels
    ]
    if q and not text.marks and not notice:
        notice = f"Không thấy “{q}” trong nội dung báo cáo (có thể khớp qua bộ lọc hoặc văn bản được trích dẫn)."
    return ReportPage(
        id=report["id"],
        title=report.get("title") or report["id"],
        facts=[(label, value or "—") for label, value in facts],
        unaccented=bool(report.get("unaccented")),
        toc=toc,
        sections=text.sections,
        instruments=instruments,
        original_url=url_for("views.original", report_id=report["id"]) if has_original else None,
        original_label=f"Tải tệp gốc ({report.get('source') or report['id']})",
        q=q,
        marks=text.marks,
        notice=notice,
        back_url=url_for("views.search") + query_string([("q", q)]) if q else None,
        plain_url=report_url(report["id"]),
        api_url=url_for("api.report", report_id=report["id"]),
    )
