"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

Schemas are JSON Schema 2020-12 (OpenAPI 3.1), so the tests validate real responses against them
with ``jsonschema``. The filters, sorts and limits are read from the library, not repeated here.
"""
from __future__ import annotations

from searchsvc.ingest import REPORT_ID
from searchsvc.instruments import LIST_SORTS, MAX_LIST_PER_PAGE
from searchsvc.models import FACETS, GROUPS, SCOPES, SORTS
from searchsvc.query import MAX_CLAUSES, MAX_DEPTH, MAX_QUERY_LENGTH
from searchsvc.searching import MAX_PAGE, MAX_PER_PAGE

from .params import LISTING_YEAR_PATTERN, MAX_FILTER_VALUES, MAX_VALUE_LENGTH, YEAR_PATTERN
from .export import MAX_EXPORT
from .facets import MORE_PER_PAGE

__all__ = ["document"]


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required: list[str] | None = None, extra: bool = False) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": extra,
    }


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
STRINGS = {"type": "array", "items": STRING}

EXPORT_ROW = _object({
    "number": INTEGER, "title": STRING, "province": STRING, "year": {"type": ["integer", "string"]}, "period": STRING,
    "report_date": STRING, "section": STRING, "snippet": STRING, "instruments": STRING, "url": STRING, "report_id": STRING,
})

SCHEMAS = {
    "Error": _object({"error": _object({"code": STRING, "message": STRING})}),
    "FacetValue": _object({"value": STRING, "label": STRING, "count": INTEGER, "selected": {"type": "boolean"}}),
    "FacetValues": _object({
        "facet": STRING, "total": INTEGER, "page": INTEGER, "per_page": INTEGER,
        "values": {"type": "array", "items": _object({
            "value": STRING, "label": STRING, "count": INTEGER, "selected": {"type": "boolean"}, "values": STRINGS,
        })},
    }),
    "Export": _object({
        "query": STRING, "filters": {"type": "object", "additionalProperties": STRINGS}, "sort": STRING,
        "total": INTEGER, "total_reports": INTEGER, "exported": INTEGER, "truncated": {"type": "boolean"},
        "max_export": INTEGER, "hits": {"type": "array", "items": EXPORT_ROW},
    }),
    "HitInstrument": _object(
        {
            "key": STRING,
            "canonical": STRING,
            "type": _nullable("string"),
            "year": _nullable("integer"),
            "date": _nullable("string"),
            "title": _nullable("string"),
        }
    ),
    "Hit": _object(
        {
            "report_id": STRING,
            "section_id": STRING,
            "title": STRING,
            "province": _nullable("string"),
            "year": _nullable("integer"),
            "period": _nullable("string"),
            "report_date": _nullable("string", description="ISO date the report was signed"),
            "path": STRINGS,
            "heading": STRING,
            "snippet": {"type": "string", "description": "HTML: escaped text, query terms in <mark>"},
            "score": {"type": "number"},
            "instruments": {"type": "array", "items": _ref("HitInstrument")},
            "cites": {"type": "boolean", "description": "the section cites what a citation filter asks for"},
            "url": {"type": "string", "description": "the report page, query marked, at the section"},
        }
    ),
    "SameContent": _object({"report_id": STRING, "title": STRING, "province": _nullable("string"), "year": _nullable("integer")}),
    "ReportRow": _object(
        {
            "report_id": STRING,
            "title": STRING,
            "province": _nullable("string"),
            "year": _nullable("integer"),
            "period": _nullable("string"),
            "report_date": _nullable("string"),
            "sections": {"type": "array", "items": _ref("Hit"), "description": "its best 1–3 matching sections"},
            "matched": {"type": "integer", "description": "sections of the report that match (0 for a partial match)"},
            "same_content": {"type": "array", "items": _ref("SameContent"),
                             "description": "reports whose best section says the same, folded under this one"},
            "missing": {**STRINGS, "description": "query words the report lacks (a partial match, ranked below the full ones)"},
            "own_number": {"type": "boolean", "description": "the query is this document's own number"},
            "url": STRING,
        }
    ),
    "SearchResults": _object(
        {
            "query": STRING,
            "total": {"type": "integer", "description": "matching sections"},
            "total_reports": {"type": "integer", "description": "distinct reports among them"},
            "page": INTEGER,
            "per_page": INTEGER,
            "took_ms": {"type": "number"},
            "hits": {"type": "array", "items": _ref("Hit")},
            "facets": {
                "type": "object",
                "properties": {name: {"type": "array", "items": _ref("FacetValue")} for name in FACETS},
                "required": list(FACETS),
                "additionalProperties": False,
            },
            "suggestion": _nullable("string", description="did you mean (only a query that finds something)"),
            "warnings": STRINGS,
            "group": {"type": "string", "enum": list(GROUPS)},
            "total_rows": {"type": "integer", "description": "group=report: rows, reports of the same content folded into one"},
            "reports": {"type": "array", "items": _ref("ReportRow"),
                        "description": "group=report: one row per report, in the order of each report's best section"},
        },
        required=["query", "total", "total_reports", "page", "per_page", "took_ms", "hits", "facets", "suggestion", "warnings", "group"],
    ),
    "Footnote": _object(
        {"marker": STRING, "number": INTEGER, "text": STRING, "line": INTEGER, "marker_line": _nullable("integer")}
    ),
    "Section": _object(
        {
            "id": STRING,
            "path": STRINGS,
            "label": STRING,
            "heading": STRING,
            "level": INTEGER,
            "text": STRING,
            "start_line": INTEGER,
            "end_line": INTEGER,
            "parent": _nullable("string"),
            "footnotes": {"type": "array", "items": _ref("Footnote")},
        }
    ),
    "Citation": _object(
        {
            "doc": STRING,
            "section_id": _nullable("string"),
            "line": INTEGER,
            "start": INTEGER,
            "end": INTEGER,
            "surface": STRING,
            "type": STRING,
            "number": STRING,
            "symbol": STRING,
            "canonical": STRING,
            "date": _nullable("string"),
            "year": _nullable("integer"),
            "issuer": _nullable("string"),
            "issuer_code": _nullable("string"),
            "title": _nullable("string"),
            "resolved_from": _nullable("integer"),
            "key": STRING,
        }
    ),
    "Report": _object(
        {
            "id": STRING,
            "title": STRING,
            "province": _nullable("string"),
            "year": _nullable("integer"),
            "period": _nullable("string"),
            "report_date": _nullable("string"),
            "doc_number": _nullable("string"),
            "issuer": _nullable("string"),
            "doc_type": _nullable("string", description="genre of the document: Báo cáo, Kế hoạch, Quyết định, …"),
            "source": _nullable("string"),
            "format": STRING,
            "encoding": _nullable("string"),
            "unaccented": {"type": "boolean"},
            "warnings": STRINGS,
            "sections": {"type": "array", "items": _ref("Section")},
            "citations": {"type": "array", "items": _ref("Citation")},
            "text": {"type": "string", "description": "the whole text (NFC); sections and citations point into it"},
            "url": STRING,
            "original_url": _nullable("string", description="download of the original file, if still in the corpus"),
        },
        required=["id", "title", "province", "year", "period", "sections", "citations", "url", "original_url"],
    ),
    "Tally": _object({"value": STRING, "count": INTEGER}),
    "InstrumentSummary": _object(
        {
            "key": {"type": "string", "description": "84_NQ-CP.2020"},
            "canonical": {"type": "string", "description": "84/NQ-CP"},
            "type": _nullable("string"),
            "number": _nullable("string"),
            "symbol": _nullable("string"),
            "year": _nullable("integer"),
            "date": _nullable("string"),
            "issuer": _nullable("string"),
            "issuer_code": _nullable("string"),
            "title": _nullable("string"),
            "citation_count": INTEGER,
            "report_count": INTEGER,
            "label": STRING,
            "url": STRING,
            "api_url": STRING,
        }
    ),
    "InstrumentList": _object(
        {
            "total": INTEGER,
            "page": INTEGER,
            "per_page": INTEGER,
            "sort": {"type": "string", "enum": list(LIST_SORTS)},
            "instruments": {"type": "array", "items": _ref("InstrumentSummary")},
            "options": {
                "type": "object",
                "properties": {n: {"type": "array", "items": _ref("Tally")} for n in ("type", "issuer", "year")},
                "required": ["type", "issuer", "year"],
                "additionalProperties": False,
            },
        }
    ),
    "CitingSection": _object(
        {
            "report_id": STRING,
            "report_title": STRING,
            "province": _nullable("string"),
            "report_year": _nullable("integer"),
            "period": _nullable("string"),
            "section_id": _nullable("string"),
            "section_heading": _nullable("string"),
            "section_path": STRINGS,
            "sentence": {"type": "string", "description": "the citing sentence"},
            "surface": STRING,
            "line": INTEGER,
            "year_inferred": {"type": "boolean", "description": "written without a year"},
            "url": STRING,
        }
    ),
    "InstrumentDetail": _object(
        {
            "kind": {"const": "instrument"},
            "instrument": _ref("InstrumentSummary"),
            "by_province": {"type": "array", "items": _ref("Tally")},
            "by_year": {"type": "array", "items": _ref("Tally")},
            "total": {"type": "integer", "description": "citing sections (mentions)"},
            "page": INTEGER,
            "per_page": INTEGER,
            "citations": {"type": "array", "items": _ref("CitingSection")},
        }
    ),
    "Disambiguation": _object(
        {
            "kind": {"const": "disambiguation"},
            "key": STRING,
            "canonical": STRING,
            "candidates": {"type": "array", "items": _ref("InstrumentSummary")},
            "undated": {"type": "array", "items": _ref("CitingSection")},
        }
    ),
    "Health": _object(
        {"status": {"const": "ok"}, "generation": STRING, "reports": INTEGER, "citations": INTEGER, "instruments": INTEGER}
    ),
}


def _param(name: str, description: str, schema: dict, *, where: str = "query", repeat: bool = False, required: bool = False) -> dict:
    parameter = {"name": name, "in": where, "description": description, "required": required or where == "path"}
    if repeat:
        parameter |= {"schema": {"type": "array", "items": schema, "maxItems": MAX_FILTER_VALUES}, "style": "form", "explode": True}
    else:
        parameter["schema"] = schema
    return parameter


def _ok(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


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
                                        "oneOf": [_ref("InstrumentDetail"), _ref("Disambiguation")],
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
