"""The results of a search, every page of them up to ``MAX_EXPORT`` rows, as CSV or JSON.

CSV starts with a UTF-8 byte order mark so that Excel opens Vietnamese text correctly; JSON is
UTF-8 as written. Both carry the same rows, in the order of the results page.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from html import unescape

from flask import Response, request as http_request, url_for

from searchsvc.engine import SearchIndex
from searchsvc.facetlist import expand_sections
from searchsvc.models import Hit, SearchRequest
from searchsvc.searching import MAX_PER_PAGE, search as run_search

from .presenters import crumbs, report_url, search_url

__all__ = ["MAX_EXPORT", "COLUMNS", "exported_rows", "csv_response", "json_document", "export_links", "per_page_options"]

MAX_EXPORT = 1000  # rows in one export: a search that finds more says it was cut
PER_PAGE_CHOICES = (10, 20, 50, 100)
COLUMNS = {  # field -> column title
    "number": "STT",
    "title": "Báo cáo",
    "province": "Tỉnh, thành phố",
    "year": "Năm",
    "period": "Kỳ báo cáo",
    "report_date": "Ngày ký",
    "section": "Mục",
    "snippet": "Trích đoạn",
    "instruments": "Văn bản được trích dẫn",
    "url": "Liên kết",
    "report_id": "Mã báo cáo",
}
_TAG = re.compile(r"<[^>]*>")


def _row(number: int, hit: Hit, q: str) -> dict:
    return {
        "number": number,
        "title": hit.title,
        "province": hit.province or "",
        "year": hit.year or "",
        "period": hit.period or "",
        "report_date": hit.report_date or "",
        "section": " › ".join(crumbs(hit.path, hit.heading)),
        "snippet": " ".join(unescape(_TAG.sub("", hit.snippet)).split()),
        "instruments": "; ".join(i["canonical"] for i in hit.instruments),
        "url": http_request.host_url.rstrip("/") + report_url(hit.report_id, q, hit.section_id),
        "report_id": hit.report_id,
    }


def exported_rows(index: SearchIndex, search_request: SearchRequest) -> tuple[list[dict], int, int]:
    """(rows, sections found, reports found): every hit from the first page on, at most ``MAX_EXPORT``."""
    expanded = expand_sections(index, search_request)
    rows: list[dict] = []
    page, total, reports = 1, 0, 0
    while len(rows) < MAX_EXPORT:
        results = run_search(index, replace(expanded, page=page, per_page=MAX_PER_PAGE, group="section"))  # a row per section
        total, reports = results.total, results.total_reports
        rows += [_row(len(rows) + n, hit, search_request.q) for n, hit in enumerate(results.hits, start=1)]
        if not results.hits or page >= results.pages:
            break
        page += 1
    return rows[:MAX_EXPORT], total, reports


def csv_response(rows: list[dict], filename: str) -> Response:
    out = io.StringIO()
    out.write("\ufeff")  # the BOM: Excel reads the file as UTF-8
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), extrasaction="ignore", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    response = Response(out.getvalue().encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_document(search_request: SearchRequest, rows: list[dict], total: int, reports: int) -> dict:
    return {
        "query": search_request.q,
        "filters": search_request.filters,
        "sort": search_request.sort,
        "total": total,
        "total_reports": reports,
        "exported": len(rows),
        "truncated": total > len(rows),
        "max_export": MAX_EXPORT,
        "hits": rows,
    }


def export_links(search_request: SearchRequest) -> dict[str, str]:
    """The page's links to its own results as CSV, JSON (all pages) and the JSON API (this page)."""
    whole = replace(search_request, page=1, group="section")  # exports hold a row per section
    return {
        "csv": search_url(whole, endpoint="api.export_csv"),
        "json": search_url(whole, endpoint="api.export_json"),
        "api": search_url(search_request, endpoint="api.search"),
        "docs": url_for("api.openapi_document"),
    }


def per_page_options(search_request: SearchRequest) -> list[tuple[int, bool]]:
    """(results per page, chosen) for the page-size control; an unusual size stays listed."""
    sizes = sorted({*PER_PAGE_CHOICES, search_request.per_page})
    return [(size, size == search_request.per_page) for size in sizes]
