"""Instrument pages -> what their templates show: one instrument with everything citing it, the
choice between instruments of one number, and the catalogue listing (labels in Vietnamese, every
URL built in ``presenters``)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup

from searchsvc.instruments import (
    CitingReport, Disambiguation, InstrumentDetail, InstrumentSummary, Listing, Mention,
)
from searchsvc.snippets import clean_notes

from .presenters import (
    LIST_SORT_TITLES, Chip, Link, crumbs, date_vi, instrument_url, instruments_url, mark_surface, pagination, report_url,
)

__all__ = ["instrument_page", "disambiguation_page", "instruments_page", "citing_report_views"]


# --- instrument pages ------------------------------------------------------------------------------------------------
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


