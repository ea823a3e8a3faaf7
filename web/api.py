"""The JSON API: the same library calls as the HTML pages, rendered as JSON.

Errors are ``{"error": {"code", "message"}}`` (see ``errors``); the document at
/api/openapi.json describes every endpoint (``openapi``).
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for

from werkzeug.exceptions import NotFound

from searchsvc.instruments import (
    Disambiguation, InstrumentDetail, InstrumentSummary, Moved, find_instrument, list_instruments,
)
from searchsvc.facetlist import expand_sections
from searchsvc.query import QueryError
from searchsvc.searching import MAX_PER_PAGE, search as run_search

from . import export, facets, openapi, params, presenters
from .state import get_catalogue, get_index, get_report

__all__ = ["bp"]

bp = Blueprint("api", __name__)


@bp.get("/api/search")
def search():
    search_request = params.search_request(request.args, current_app.config["PER_PAGE"])
    results = run_search(get_index(), expand_sections(get_index(), search_request))
    return jsonify(presenters.hit_dicts(search_request, results))


@bp.get("/api/export.csv")
def export_csv():
    """Every result (up to ``export.MAX_EXPORT``) of a search, as a spreadsheet."""
    search_request = params.search_request(request.args, current_app.config["PER_PAGE"])
    rows, _, _ = export.exported_rows(get_index(), search_request)
    return export.csv_response(rows, "ket-qua-tim-kiem.csv")


@bp.get("/api/export.json")
def export_json():
    search_request = params.search_request(request.args, current_app.config["PER_PAGE"])
    rows, total, reports = export.exported_rows(get_index(), search_request)
    return jsonify(export.json_document(search_request, rows, total, reports))


@bp.get("/api/facets/<name>")
def facet(name: str):
    """Every value of one facet for a search (``?…&fq=Bắc`` keeps the values containing "Bắc")."""
    _, text, page, entries = facets.asked_values(name, request.args, current_app.config["PER_PAGE"])
    found = facets.matching(entries, text)
    per_page = facets.MORE_PER_PAGE
    return jsonify(
        {
            "facet": name,
            "total": len(found),
            "page": page,
            "per_page": per_page,
            "values": [e.to_dict() | {"values": list(e.values)} for e in found[(page - 1) * per_page: page * per_page]],
        }
    )


@bp.get("/api/reports/<report_id>")
def report(report_id: str):
    params.check_known(request.args, ())
    data = get_report(report_id)
    has_original = get_index().original_file(data["id"]) is not None
    return jsonify(
        data
        | {
            "url": presenters.report_url(data["id"]),
            "original_url": url_for("views.original", report_id=data["id"]) if has_original else None,
        }
    )


def _summary(summary: InstrumentSummary) -> dict:
    return summary.to_dict() | {
        "url": presenters.instrument_url(summary.key),
        "api_url": url_for("api.instrument", key=summary.key),
    }


@bp.get("/api/instruments")
def instruments():
    args = params.instrument_listing(request.args, current_app.config["INSTRUMENTS_PER_PAGE"])
    listing = list_instruments(get_catalogue(), **args)
    return jsonify(
        {
            "total": listing.total,
            "page": listing.page,
            "per_page": listing.per_page,
            "sort": args["sort"],
            "instruments": [_summary(s) for s in listing.instruments],
            "options": {name: [t.to_dict() for t in tallies] for name, tallies in listing.options.items()},
        }
    )


def _citations(reports, highlight: str) -> list[dict]:
    return [
        {
            "report_id": report.report_id,
            "report_title": report.title,
            "province": report.province,
            "report_year": report.year,
            "period": report.period,
        }
        | mention.to_dict()
        | {"url": presenters.report_url(report.report_id, highlight, mention.section_id)}
        for report in reports
        for mention in report.mentions
    ]


@bp.get("/api/instruments/<key>")
def instrument(key: str):
    params.check_known(request.args, ("page", "per_page"))
    page = params.page_number(request.args)
    per_page = params.integer(request.args, "per_page", 50)
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise QueryError(f"Số kết quả mỗi trang phải từ 1 đến {MAX_PER_PAGE}.")
    catalogue = get_catalogue()
    found = find_instrument(catalogue, params.instrument_key(key))
    if isinstance(found, Moved):  # one hop: the only instrument this key can name
        found = find_instrument(catalogue, found.key)
    if isinstance(found, Disambiguation):
        return jsonify(
            {
                "kind": "disambiguation",
                "key": found.key,
                "canonical": found.canonical,
                "candidates": [_summary(s) for s in found.candidates],
                "undated": _citations(found.undated, found.canonical),
            }
        )
    if not isinstance(found, InstrumentDetail):
        raise NotFound(f"Không có văn bản “{key}” trong các báo cáo đã lập chỉ mục.")
    citations = _citations(found.reports, found.instrument.canonical)
    return jsonify(
        {
            "kind": "instrument",
            "instrument": _summary(found.instrument),
            "by_province": [t.to_dict() for t in found.by_province],
            "by_year": [t.to_dict() for t in found.by_year],
            "total": len(citations),
            "page": page,
            "per_page": per_page,
            "citations": citations[(page - 1) * per_page: page * per_page],
        }
    )


@bp.get("/api/openapi.json")
def openapi_document():
    params.check_known(request.args, ())
    return jsonify(openapi.document())


@bp.get("/healthz")
def health():
    index = get_index()
    generation = index.check()  # 503 while searches fail, not only at start
    return jsonify({"status": "ok", "generation": generation.name, **index.counts(generation)})
