"""HTML pages. Each view parses its parameters, calls the library once, hands a presenter's
result to a template; errors are raised and rendered by ``errors``."""
from __future__ import annotations

import codecs
import mimetypes
import unicodedata

from flask import Blueprint, current_app, redirect, render_template, request, send_file
from werkzeug.exceptions import NotFound

from urllib.parse import quote

from searchsvc.facetlist import expand_sections
from searchsvc.instruments import Disambiguation, Moved, find_instrument, list_instruments
from searchsvc.query import QueryError, parse_query
from searchsvc.searching import search as run_search

from . import charts, facets, instrumentpages, params, presenters, reportnav, reportview, searchtools
from .state import get_catalogue, get_index, get_report

__all__ = ["bp"]

bp = Blueprint("views", __name__)


@bp.app_context_processor
def header_query() -> dict:
    """The query stays in the header's search box on every page (errors included)."""
    return {"header_q": request.args.get("q", "")}


@bp.get("/")
def search():
    search_request = params.search_request(request.args, current_app.config["PER_PAGE"], group=presenters.DEFAULT_GROUP)
    index = get_index()
    expanded = expand_sections(index, search_request)  # a heading filter takes its whole group
    results = run_search(index, expanded, entries=searchtools.ENTRY_FACETS)  # the charts' and sidebar's every value
    return render_template("search.html", page=presenters.search_page(search_request, results),
                           tools=searchtools.search_tools(search_request, results, results.entries))


@bp.get("/facets/<name>")
def facet(name: str):
    """ "Xem thêm": every value of one facet for a search, paged, with a filter box."""
    search_request, text, page_number, entries = facets.asked_values(name, request.args, current_app.config["PER_PAGE"])
    return render_template("facet.html", page=facets.facet_page(search_request, name, entries, text, page_number))


@bp.get("/reports/<report_id>")
def report(report_id: str):
    params.check_known(request.args, ("q", "m"))
    data = get_report(report_id)
    q = params.single(request.args, "q").strip()
    current = params.integer(request.args, "m", 0)
    matches, notice = [], None
    if q:
        try:
            matches = parse_query(q).matches()
        except QueryError as error:  # the report is still worth showing, unmarked
            notice = f"Không đánh dấu được từ khóa: {error}"
    text = reportview.render_report(data, matches, presenters.instrument_url)
    counts = reportnav.number_marks(text.sections, current)
    page = presenters.report_page(data, text, reportview.toc(data), q, notice,
                                  get_index().original_file(data["id"]) is not None)
    return render_template("report.html", page=page, toc_nodes=reportnav.toc_with_counts(page.toc, counts),
                           matches=reportnav.match_nav(data["id"], q, sum(counts.values()), current))


@bp.get("/reports/<report_id>/original")
def original(report_id: str):
    params.check_known(request.args, ())
    data = get_report(report_id)
    path = get_index().original_file(data["id"])
    if path is None:
        raise NotFound(f"Tệp gốc của báo cáo “{report_id}” không còn trong kho.")
    response = send_file(path, as_attachment=True, download_name=_download_name(path.name))
    response.content_type = _download_type(path.name, data.get("encoding"))  # werkzeug would say utf-8
    return response


def _download_name(name: str) -> str:
    """The file name offered for download: the corpus file's own, in NFC, control characters (a
    newline is allowed in a file name, never in a header) as spaces."""
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in unicodedata.normalize("NFC", name))


def _download_type(name: str, encoding: str | None) -> str:
    """The content type of an original file; a text file says its own encoding (DOMAIN.md:
    reports also come in Windows-1258), or goes out as bytes when we cannot name it."""
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if not mimetype.startswith("text/"):
        return mimetype
    try:
        charset = codecs.lookup(encoding or "utf-8").name
    except LookupError:
        return "application/octet-stream"
    charset = "utf-8" if charset.startswith("utf-8") else charset.replace("cp125", "windows-125")
    return f"{mimetype}; charset={charset}"


@bp.get("/instruments")
def instruments():
    args = params.instrument_listing(request.args, current_app.config["INSTRUMENTS_PER_PAGE"])
    listing = list_instruments(get_catalogue(), **args)
    return render_template("instruments.html", page=instrumentpages.instruments_page(args, listing))


@bp.get("/instruments/<key>")
def instrument(key: str):
    params.check_known(request.args, ("page",))
    page_number = params.integer(request.args, "page", 1)
    if page_number < 1:
        raise QueryError("Số trang phải từ 1 trở lên.")
    found = find_instrument(get_catalogue(), params.instrument_key(key))
    if found is None:
        raise NotFound(f"Không có văn bản “{key}” trong các báo cáo đã lập chỉ mục.")
    if isinstance(found, Moved):
        return redirect(presenters.instrument_url(found.key))
    if isinstance(found, Disambiguation):
        return render_template("disambiguation.html", page=instrumentpages.disambiguation_page(found))
    per_page = current_app.config["CITING_REPORTS_PER_PAGE"]
    return render_template("instrument.html", page=instrumentpages.instrument_page(found, page_number, per_page),
                           charts=charts.instrument_charts(found), official_url=official_search_url(found.instrument.canonical))


VBPL_SEARCH = "https://vbpl.vn/pages/vbpq-timkiem.aspx?type=0&s=1&SearchIn=Title,Title1&Keyword="


def official_search_url(canonical: str) -> str:
    """A search for an instrument's number on vbpl.vn, the national database of legal documents."""
    return VBPL_SEARCH + quote(canonical, safe="")
