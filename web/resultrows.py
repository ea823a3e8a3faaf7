"""Search hits -> the rows of the results list: one per section, or one per report with its
best sections ("N đoạn khớp"), the reports of the same content folded under it, and what a
partial match lacks ("Thiếu: …"). Templates only print what is prepared here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from searchsvc.grouping import ReportRow
from searchsvc.models import Hit, Results, SearchRequest

from . import presenters as p  # URLs and labels: one way of building them (imports this module)

__all__ = ["HitView", "RowView", "hit_views", "row_views", "counts_summary", "result_dicts", "COPIES_SHOWN"]

COPIES_SHOWN = 12  # reports of the same content listed under a row (a paragraph copied by a hundred offices)


@dataclass
class HitView:
    number: int
    url: str
    title: str
    meta: list[str]
    crumbs: list[str]
    snippet: Markup  # escaped by the library, <mark> only
    instruments: list
    cites: bool = False  # the section cites what the citation filter asks for


@dataclass
class RowView:
    number: int
    url: str  # the report, the query marked
    title: str
    meta: list[str]
    sections: list[HitView]
    matched: str  # "5 đoạn khớp"; "" for a partial match
    matched_url: str  # every matching section of this report
    same_content: list = field(default_factory=list)  # Links to the first ``COPIES_SHOWN`` reports folded under this one
    same_content_label: str = ""  # "và 3 báo cáo khác cùng nội dung"
    more_copies: object = None  # a Link to every matching section, the copies not listed included
    missing: str = ""  # "Thiếu: FDI, thu hút"
    own_number: bool = False


def _meta(item) -> list[str]:
    return [v for v in (item.province, str(item.year) if item.year else None, item.period, p.date_vi(item.report_date)) if v]


def hit_views(request: SearchRequest, hits: list[Hit], first: int) -> list[HitView]:
    return [
        HitView(
            number=number,
            url=p.report_url(hit.report_id, request.q, hit.section_id),
            title=hit.title,
            meta=_meta(hit),
            crumbs=p.crumbs(hit.path, hit.heading),
            snippet=Markup(hit.snippet),
            instruments=[p.Link(p.instrument_label(i), p.instrument_url(i["key"]), title=i.get("title") or i.get("type"))
                         for i in hit.instruments],
            cites=hit.cites,
        )
        for number, hit in enumerate(hits, start=first)
    ]


def row_views(request: SearchRequest, rows: list[ReportRow], first: int) -> list[RowView]:
    views = []
    for number, row in enumerate(rows, start=first):
        same = [p.Link(" – ".join(v for v in (r["province"], str(r["year"]) if r["year"] else None) if v) or r["title"],
                       p.report_url(r["report_id"], request.q), title=r["title"]) for r in row.same_content[:COPIES_SHOWN]]
        rest = len(row.same_content) - len(same)
        views.append(RowView(
            number=number,
            url=p.report_url(row.report_id, request.q),
            title=row.title,
            meta=_meta(row),
            sections=hit_views(request, row.sections, 1),
            matched="" if row.missing else f"{row.matched} đoạn khớp",  # a partial match has no full section
            matched_url=p.search_url(request, q=_in_report(request.q, row.report_id), group="section", page=1),
            same_content=same,
            same_content_label=f"và {len(row.same_content)} báo cáo khác cùng nội dung" if same else "",
            more_copies=p.Link(f"và {rest} báo cáo khác", p.search_url(request, group="section", page=1),
                               title="Mọi đoạn khớp, từng đoạn một, kể cả các báo cáo cùng nội dung") if rest > 0 else None,
            missing=("Thiếu: " + ", ".join(row.missing)) if row.missing else "",
            own_number=row.own_number,
        ))
    return views


def _in_report(q: str, report_id: str) -> str:
    """The query limited to one report (the ``report:`` filter of the query language)."""
    return f"{q.strip()} report:{report_id}".strip()


def counts_summary(results: Results) -> str:
    """ "12 báo cáo, 57 đoạn (35 ms)"; with the rows shown on this page."""
    took = "dưới 1 ms" if results.took_ms < 1 else f"{results.took_ms:.0f} ms"
    if not results.total:
        return f"Không có kết quả ({took})"
    counts = f"{results.total_reports} báo cáo, {results.total} đoạn"
    if results.group == "report":
        order = " — xếp theo đoạn phù hợp nhất của mỗi báo cáo" if results.query.strip() else ""
        partial = sum(1 for r in results.reports if r.missing)
        extra = f"; thêm {partial} báo cáo khớp một phần" if partial else ""
        return f"{counts}{extra} ({took}){order}"
    first = (results.page - 1) * results.per_page + 1
    return f"Hiển thị {first}–{first + len(results.hits) - 1} trong {counts} ({took})"


def result_dicts(request: SearchRequest, results: Results) -> dict:
    """``Results.to_dict()`` with each hit's and row's report-page URL: the JSON of /api/search."""
    data = results.to_dict()
    for hit in data["hits"]:
        hit["url"] = p.report_url(hit["report_id"], request.q, hit["section_id"])
    for row in data.get("reports", []):
        row["url"] = p.report_url(row["report_id"], request.q)
        for hit in row["sections"]:
            hit["url"] = p.report_url(hit["report_id"], request.q, hit["section_id"])
    return data
