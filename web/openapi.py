"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

Paths and parameters here, the response schemas in ``apischemas``. The filters, sorts and limits
are read from the library, not repeated here.
"""
from __future__ import annotations

from searchsvc.ingest import REPORT_ID
from searchsvc.instruments import LIST_SORTS, MAX_LIST_PER_PAGE
from searchsvc.models import FACETS, GROUPS, SCOPES, SORTS
from searchsvc.query import MAX_CLAUSES, MAX_DEPTH, MAX_QUERY_LENGTH
from searchsvc.searching import MAX_PAGE, MAX_PER_PAGE

from .apischemas import SCHEMAS, STRING, ref
from .params import LISTING_YEAR_PATTERN, MAX_FILTER_VALUES, MAX_VALUE_LENGTH, YEAR_PATTERN
from .export import MAX_EXPORT
from .facets import MORE_PER_PAGE

__all__ = ["document"]


def _param(name: str, description: str, schema: dict, *, where: str = "query", repeat: bool = False, required: bool = False) -> dict:
    parameter = {"name": name, "in": where, "description": description, "required": required or where == "path"}
    if repeat:
        parameter |= {"schema": {"type": "array", "items": schema, "maxItems": MAX_FILTER_VALUES}, "style": "form", "explode": True}
    else:
        parameter["schema"] = schema
    return parameter


def _ok(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


UNAVAILABLE = _error("no usable index yet (build it with `searchsvc index`)")
BAD = _error("invalid parameter: unknown name, value out of range, query too long")
TOO_LARGE = {  # on every operation: what the app and the server refuse before any parameter is read
    "405": _error("a method other than GET (the Allow header names GET)"),
    "414": _error("URL longer than 512 KiB"),
    "431": _error("request headers larger than 64 KiB, or one header field over 8 KiB"),
}

FILTER_HELP = {
    "province": "province, e.g. Bắc Giang",
    "year": "report year: 2020 or a range 2020..2022",
    "period": "period, e.g. 6 tháng đầu năm",
    "doctype": "genre of the document itself, e.g. Kế hoạch",
    "type": "type of a cited instrument, e.g. Nghị quyết",
    "issuer": "issuer of a cited instrument, e.g. Chính phủ",
    "instrument": "a cited instrument: key 84_NQ-CP.2020 or reference 84/NQ-CP",
    "section": "top-level part of the report, as in the facet; takes every heading of its group (case, numbering and years aside)",
}


# Values the server checks beyond a pattern, named as string formats (JSON Schema: an annotation):
# "year-range" a year or a range whose first year is not after the last; "instrument-reference" a key
# or a reference the citation grammar reads as one instrument (DOMAIN.md), else a 400. In paths,
# "report-id" and "instrument-key" are ids the index gives (any other is a 404).
_FILTER_FORMATS = {
    "year": {"pattern": YEAR_PATTERN, "format": "year-range"},
    "instrument": {"format": "instrument-reference"},
}


def _filter_value(name: str) -> dict:
    return {"type": "string", "maxLength": MAX_VALUE_LENGTH} | _FILTER_FORMATS.get(name, {})


def _with_limits(paths: dict) -> dict:
    for item in paths.values():
        item["get"]["responses"] |= TOO_LARGE
    return paths


def document() -> dict:
    page = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}
    search_parameters = [
        _param("q", f"query text (at most {MAX_QUERY_LENGTH} characters, {MAX_CLAUSES} words, phrases and filters, "
                    f"{MAX_DEPTH} levels of parentheses: more is a 400); invalid syntax is searched as words with a warning",
               {"type": "string", "maxLength": MAX_QUERY_LENGTH}),
        *(_param(name, FILTER_HELP[name] + f" (repeat to OR values, at most {MAX_FILTER_VALUES})", _filter_value(name),
                 repeat=True) for name in FACETS),
        _param("year_from", "first report year of a range (with or without year_to; empty: no lower bound, as the page form sends it)", {"type": "string", "pattern": "^([0-9]{4})?$"}),
        _param("year_to", "last report year of a range (empty: no upper bound)", {"type": "string", "pattern": "^([0-9]{4})?$"}),
        _param("sort", "order of hits", {"type": "string", "enum": list(SORTS), "default": "relevance"}),
        _param("page", "page number", page),
        _param("per_page", "hits (group=report: reports) per page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10}),
        _param("group", "section: one hit per matching section; report: one row per report with its best 1–3 "
               "sections (the HTML page's default)", {"type": "string", "enum": list(GROUPS), "default": "section"}),
        _param("scope", "citation filters (instrument, type, issuer): report selects the reports that cite and "
               "searches them anywhere; section keeps only the sections that cite", {"type": "string", "enum": list(SCOPES), "default": "report"}),
    ]
    listing_parameters = [
        _param("q", "words the type, number, issuer or title must contain (accents ignored)",
               {"type": "string", "maxLength": MAX_QUERY_LENGTH}),
        _param("type", "instrument type, e.g. Nghị quyết", _filter_value("type"), repeat=True),
        _param("issuer", "issuer, e.g. Chính phủ", _filter_value("issuer"), repeat=True),
        _param("year", "year of the instrument, e.g. 2020", _filter_value("listing") | {"pattern": LISTING_YEAR_PATTERN},
               repeat=True),
        _param("sort", "order", {"type": "string", "enum": list(LIST_SORTS), "default": "count"}),
        _param("page", "page number", page),
        _param("per_page", "instruments per page", {"type": "integer", "minimum": 1, "maximum": MAX_LIST_PER_PAGE, "default": 50}),
    ]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "searchsvc",
            "version": "1.0.0",
            "description": "Full-text search over Vietnamese provincial government reports and the instruments they cite.",
        },
        "paths": _with_limits({
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search report sections, with facets",
                    "parameters": search_parameters,
                    "responses": {"200": _ok("SearchResults", "one page of hits"), "400": BAD, "503": UNAVAILABLE},
                }
            },
            "/api/export.csv": {
                "get": {
                    "operationId": "exportCsv",
                    "summary": f"Every hit of a search (at most {MAX_EXPORT}) as CSV, UTF-8 with a byte order mark",
                    "parameters": [p for p in search_parameters if p["name"] not in ("page", "per_page")],
                    "responses": {
                        "200": {"description": "one row per hit", "content": {"text/csv": {"schema": STRING}}},
                        "400": BAD, "503": UNAVAILABLE,
                    },
                }
            },
            "/api/export.json": {
                "get": {
                    "operationId": "exportJson",
                    "summary": f"Every hit of a search (at most {MAX_EXPORT}) as JSON",
                    "parameters": [p for p in search_parameters if p["name"] not in ("page", "per_page")],
                    "responses": {"200": _ok("Export", "the rows of the CSV export"), "400": BAD, "503": UNAVAILABLE},
                }
            },
            "/api/facets/{name}": {
                "get": {
                    "operationId": "facetValues",
                    "summary": "Every value of one facet for a search, paged, optionally only those containing a text",
                    "parameters": [
                        _param("name", "the facet", {"type": "string", "enum": list(FACETS)}, where="path"),
                        *[p for p in search_parameters if p["name"] not in ("page", "per_page")],
                        _param("fq", "text the values must contain (accents and case ignored)", {"type": "string", "maxLength": 200}),
                        _param("fpage", f"page of values ({MORE_PER_PAGE} a page)", page),
                    ],
                    "responses": {"200": _ok("FacetValues", "the values"), "400": BAD, "404": _error("no such facet"), "503": UNAVAILABLE},
                }
            },
            "/api/reports/{report_id}": {
                "get": {
                    "operationId": "report",
                    "summary": "One parsed report: metadata, sections, footnotes, citations, text",
                    "parameters": [_param("report_id", "report id (README: report ids)",
                                          {"type": "string", "pattern": f"^{REPORT_ID.pattern}$", "format": "report-id"},
                                          where="path")],
                    "responses": {"200": _ok("Report", "the report"), "400": BAD, "404": _error("no such report"),
                                  "503": UNAVAILABLE},
                }
            },
            "/api/instruments": {
                "get": {
                    "operationId": "instruments",
                    "summary": "Cited instruments with citation counts",
                    "parameters": listing_parameters,
                    "responses": {"200": _ok("InstrumentList", "one page of instruments"), "400": BAD, "503": UNAVAILABLE},
                }
            },
            "/api/instruments/{key}": {
                "get": {
                    "operationId": "instrument",
                    "summary": "One instrument and the sections citing it; a key without year shared by several years lists them",
                    "parameters": [
                        _param("key", "instrument key: 84_NQ-CP.2020, or 84_NQ-CP without year",
                               {"type": "string", "format": "instrument-key"}, where="path"),
                        _param("page", "page of citing sections", page),
                        _param("per_page", "citing sections per page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 50}),
                    ],
                    "responses": {
                        "200": {
                            "description": "the instrument, or the dated instruments a key without year may mean",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "oneOf": [ref("InstrumentDetail"), ref("Disambiguation")],
                                        "discriminator": {
                                            "propertyName": "kind",
                                            "mapping": {
                                                "instrument": "#/components/schemas/InstrumentDetail",
                                                "disambiguation": "#/components/schemas/Disambiguation",
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        "400": BAD,
                        "404": _error("no such instrument"),
                        "503": UNAVAILABLE,
                    },
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}},
                                  "400": BAD},
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "Liveness and the live index generation",
                    "responses": {"200": _ok("Health", "serving"), "503": UNAVAILABLE},
                }
            },
        }),
        "components": {"schemas": SCHEMAS},
    }
