"""Library results -> what a template shows: labels in Vietnamese, every URL built here.

Templates only loop and print: facet values arrive with their toggle URL, active filters as chips
with a removal URL, pagination and sort as ready links, dates as "29/05/2020".
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from flask import url_for
from markupsafe import Markup

from searchsvc.instruments import (
    CitingReport, Disambiguation, InstrumentDetail, InstrumentSummary, Listing, Mention, Tally,
)
from searchsvc.models import FACETS, Results, SearchRequest
from searchsvc.snippets import clean_notes

from . import resultrows

__all__ = [
    "FACET_TITLES", "SORT_TITLES", "search_url", "report_url", "instrument_url", "date_vi", "search_page",
    "instrument_page", "disambiguation_page", "instruments_page", "hit_dicts",
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
def _query_string(pairs: list[tuple[str, str]]) -> str:
    return ("?" + urlencode(pairs)) if pairs else ""


def search_url(request: SearchRequest, *, endpoint: str = "views.search", **changes) -> str:
    """The URL of a search state; ``changes`` replaces q, filters, sort, page or per_page.

    Defaults are left out so URLs stay short and shareable: ``/?q=đầu+tư&province=Bắc+Giang``.
    """
    q = changes.get("q", request.q)
    filters = changes.get("filters", request.filters)
    sort = changes.get("sort", request.sort)
    page = changes.get("page", request.page)
    per_page = changes.get("per_page", request.per_page)
    group = changes.get("group", request.group)
    scope = changes.get("scope", request.scope)
    pairs: list[tuple[str, str]] = [("q", q)] if q else []
    pairs += [(name, value) for name in FACETS for value in filters.get(name, [])]
    if sort != "relevance":
        pairs.append(("sort", sort))
    if page != 1:
        pairs.append(("page", str(page)))
    if per_page != DEFAULT_PER_PAGE:
        pairs.append(("per_page", str(per_page)))
    if group != DEFAULT_GROUP:
        pairs.append(("group", group))
    if scope != "report":
        pairs.append(("scope", scope))
    return url_for(endpoint) + _query_string(pairs)


def toggled(filters: dict[str, list[str]], facet: str, value: str) -> dict[str, list[str]]:
    """The filters with one value added, or removed when it was there."""
    current = filters.get(facet, [])
    new = [v for v in current if v != value] if value in current else [*current, value]
    out = {name: list(values) for name, values in filters.items() if name != facet}
    if new:
        out[facet] = new
    return out


def report_url(report_id: str, q: str = "", section_id: str | None = None) -> str:
    """/reports/<id>?q=…#<section>: the report, the query marked, scrolled to the section."""
    url = url_for("views.report", report_id=report_id) + _query_string([("q", q)] if q else [])
    return url + (f"#{section_id}" if section_id else "")


def instrument_url(key: str) -> str:
    return url_for("views.instrument", key=key)


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
    return url_for("views.instruments") + _query_string(pairs)


# --- shared pieces ------------------------------------------------------------------------------------------
@dataclass
class Link:
    label: str
    url: str | None = None
    current: bool = False
    title: str | None = None


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
class FacetLink:
    value: str
    label: str
    count: int
    selected: bool
    url: str  # adds the value, or removes it when selected


@dataclass
class FacetGroup:
    name: str
    title: str
    values: list[FacetLink]


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
    facets: list[FacetGroup]
    chips: list[Chip]
    clear_url: str | None
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
    facets = [
        FacetGroup(
            name,
            FACET_TITLES[name],
            [
                FacetLink(v.value, v.label, v.count, v.selected,
                          search_url(request, filters=toggled(request.filters, name, v.value), page=1))
                for v in results.facets.get(name, [])
            ],
        )
        for name in FACETS
    ]
    labels = {(g.name, f.value): f.label for g in facets for f in g.values}
    chips = [
        Chip(FACET_TITLES[name], labels.get((name, value), value),
             search_url(request, filters=toggled(request.filters, name, value), page=1))
        for name in FACETS for value in request.filters.get(name, [])
    ]
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
        facets=[g for g in facets if g.values],
        chips=chips,
        clear_url=search_url(request, filters={}, page=1) if chips else None,
        sorts=sorts,
        pages=pagination(results.page, results.pages, lambda p: search_url(request, page=p)),
        suggestion=suggestion,
        warnings=list(results.warnings),
        hidden=hidden,
        browsing=not request.q.strip() and not request.filters,
        empty=not results.hits and not rows,
        heading=(f"Kết quả cho “{request.q.strip()}”" if request.q.strip()
                 else "Kết quả lọc" if request.filters else "Tất cả báo cáo"),
        examples=[Link(text, url_for("views.search") + _query_string([("q", text)])) for text in EXAMPLES],
    )


def hit_dicts(request: SearchRequest, results: Results) -> dict:
    """``Results.to_dict()`` with each hit's and row's report-page URL: the JSON of /api/search."""
    return resultrows.result_dicts(request, results)


# --- instrument pages ------------------------------------------------------------------------------------------------
@dataclass
class Bar:
    label: str
    count: int
    y: int  # top of the row
    width: float  # bar length
    text_y: int  # baseline of the labels
    count_x: float  # where the count is written


@dataclass
class Chart:
    """A horizontal bar chart drawn as inline SVG by the template (no script, no style)."""

    id: str
    title: str
    bars: list[Bar]
    width: int = 360
    label_width: int = 150
    row: int = 24
    bar_height: int = 16
    height: int = 0
    description: str = ""

    @property
    def label_x(self) -> int:
        return self.label_width - 6


def bar_chart(chart_id: str, title: str, tallies: list[Tally], unit: str) -> Chart:
    chart = Chart(chart_id, title, [])
    area = chart.width - chart.label_width - 40
    biggest = max((t.count for t in tallies), default=1) or 1
    for row, tally in enumerate(tallies):
        width = max(2.0, round(area * tally.count / biggest, 1))
        y = row * chart.row
        chart.bars.append(Bar(shorten(tally.value, 22), tally.count, y + 4, width, y + 17,
                              chart.label_width + width + 6))
    chart.height = max(chart.row, len(tallies) * chart.row)
    chart.description = "; ".join(f"{t.value}: {t.count} {unit}" for t in tallies)
    return chart


@dataclass
class MentionView:
    url: str
    crumbs: list[str]
    sentence: Markup
    note: str | None


@dataclass
class CitingReportView:
    title: str
    url: str
    meta: list[str]
    mentions: list[MentionView]


@dataclass
class InstrumentPage:
    summary: InstrumentSummary
    heading: str
    facts: list[tuple[str, str]]
    charts: list[Chart]
    reports: list[CitingReportView]
    pages: list[Link]
    counts: str
    api_url: str


def _facts(summary: InstrumentSummary) -> list[tuple[str, str]]:
    rows = [
        ("Loại văn bản", summary.type),
        ("Số", summary.number),
        ("Ký hiệu", summary.symbol),
        ("Số, ký hiệu", summary.canonical),
        ("Năm", str(summary.year) if summary.year else None),
        ("Ngày ban hành", date_vi(summary.date)),
        ("Cơ quan ban hành", summary.issuer),
    ]  # the title ("trích yếu"), when known, is the page's lead
    return [(label, value or "—") for label, value in rows]


def _mention_view(report_id: str, mention: Mention, highlight: str) -> MentionView:
    return MentionView(
        url=report_url(report_id, highlight, mention.section_id),
        crumbs=crumbs(mention.section_path, mention.section_heading),
        sentence=mark_surface(clean_notes(mention.sentence), mention.surface),  # a quote without footnote markers
        note="ghi không kèm năm" if mention.year_inferred else None,
    )


def citing_report_views(reports: list[CitingReport], highlight: str) -> list[CitingReportView]:
    return [
        CitingReportView(
            title=r.title,
            url=report_url(r.report_id),
            meta=[v for v in (r.province, str(r.year) if r.year else None, r.period) if v],
            mentions=[_mention_view(r.report_id, m, highlight) for m in r.mentions],
        )
        for r in reports
    ]


def instrument_page(detail: InstrumentDetail, page: int, per_page: int) -> InstrumentPage:
    summary = detail.instrument
    pages = max(1, -(-len(detail.reports) // per_page))
    shown = detail.reports[(page - 1) * per_page: page * per_page]
    base = instrument_url(summary.key)
    return InstrumentPage(
        summary=summary,
        heading=summary.label,
        facts=_facts(summary),
        charts=[
            bar_chart("chart-province", "Số báo cáo trích dẫn theo tỉnh", detail.by_province, "báo cáo"),
            bar_chart("chart-year", "Số báo cáo trích dẫn theo năm báo cáo", detail.by_year, "báo cáo"),
        ],
        reports=citing_report_views(shown, summary.canonical),
        pages=pagination(page, pages, lambda p: base + (f"?page={p}" if p != 1 else "")),
        counts=f"{summary.citation_count} lần trích dẫn trong {summary.report_count} báo cáo",
        api_url=url_for("api.instrument", key=summary.key),
    )


@dataclass
class CandidateView:
    label: str
    url: str
    date: str | None
    issuer: str | None
    title: str | None
    counts: str


@dataclass
class DisambiguationPage:
    canonical: str
    candidates: list[CandidateView]
    undated: list[CitingReportView]


def disambiguation_page(choice: Disambiguation) -> DisambiguationPage:
    return DisambiguationPage(
        canonical=choice.canonical,
        candidates=[
            CandidateView(s.label, instrument_url(s.key), date_vi(s.date), s.issuer, s.title,
                          f"{s.citation_count} lần trích dẫn trong {s.report_count} báo cáo")
            for s in choice.candidates
        ],
        undated=citing_report_views(choice.undated, choice.canonical),
    )


@dataclass
class Option:
    value: str
    label: str
    selected: bool


@dataclass
class SelectFilter:
    name: str
    title: str
    options: list[Option]


@dataclass
class InstrumentRow:
    label: str
    url: str
    type: str
    issuer: str
    date: str
    title: str | None
    citations: int
    reports: int


@dataclass
class InstrumentsPage:
    text: str
    filters: list[SelectFilter]
    chips: list[Chip]
    clear_url: str | None
    sorts: list[Link]
    rows: list[InstrumentRow]
    pages: list[Link]
    summary: str
    sort: str


def instruments_page(args: dict, listing: Listing) -> InstrumentsPage:
    titles = {"type": "Loại văn bản", "issuer": "Cơ quan ban hành", "year": "Năm ban hành"}
    chosen = {"type": args["types"], "issuer": args["issuers"], "year": args["years"]}
    plural = {"type": "types", "issuer": "issuers", "year": "years"}
    filters = [
        SelectFilter(name, title, [Option("", "Tất cả", not chosen[name])] + [
            Option(t.value, f"{t.value} ({t.count})", t.value in chosen[name]) for t in listing.options[name]
        ])
        for name, title in titles.items()
    ]
    chips = [
        Chip(titles[name], value,
             instruments_url(args, **{plural[name]: [v for v in chosen[name] if v != value]}, page=1))
        for name in titles for value in chosen[name]
    ]
    if args["text"]:
        chips.append(Chip("Số, ký hiệu", args["text"], instruments_url(args, text="", page=1)))
    rows = [
        InstrumentRow(s.canonical + (f" ({s.year})" if s.year else ""), instrument_url(s.key), s.type or "—",
                      s.issuer or "—", date_vi(s.date) or "—", s.title, s.citation_count, s.report_count)
        for s in listing.instruments
    ]
    return InstrumentsPage(
        text=args["text"],
        filters=filters,
        chips=chips,
        clear_url=url_for("views.instruments") if chips else None,
        sorts=[Link(title, instruments_url(args, sort=sort, page=1), current=sort == args["sort"])
               for sort, title in LIST_SORT_TITLES.items()],
        rows=rows,
        pages=pagination(listing.page, listing.pages, lambda p: instruments_url(args, page=p)),
        summary=f"{listing.total} văn bản" if listing.total else "Không có văn bản nào khớp bộ lọc",
        sort=args["sort"],
    )


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
        back_url=url_for("views.search") + _query_string([("q", q)]) if q else None,
        plain_url=report_url(report["id"]),
        api_url=url_for("api.report", report_id=report["id"]),
    )
