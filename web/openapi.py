"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json.

Schemas are JSON Schema 2020-12 (OpenAPI 3.1), so the tests validate real responses against them
with ``jsonschema``. The filters, sorts and limits are read from the library, not repeated here.
"""
from __future__ import annotations

from searchsvc.instruments import LIST_SORTS, MAX_LIST_PER_PAGE
from searchsvc.models import FACETS, GROUPS, SCOPES, SORTS
from searchsvc.query import MAX_QUERY_LENGTH
from searchsvc.searching import MAX_PAGE, MAX_PER_PAGE

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

SCHEMAS = {
    "Error": _object({"error": _object({"code": STRING, "message": STRING})}),
    "FacetValue": _object({"value": STRING, "label": STRING, "count": INTEGER, "selected": {"type": "boolean"}}),
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
        parameter |= {"schema": {"type": "array", "items": schema}, "style": "form", "explode": True}
    else:
        parameter["schema"] = schema
    return parameter


def _ok(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


UNAVAILABLE = _error("no usable index yet (build it with `searchsvc index`)")
BAD = _error("invalid parameter: unknown name, value out of range, query too long")

FILTER_HELP = {
    "province": "province, e.g. Bắc Giang",
    "year": "report year: 2020 or a range 2020..2022",
    "period": "period, e.g. 6 tháng đầu năm",
    "doctype": "genre of the document itself, e.g. Kế hoạch",
    "type": "type of a cited instrument, e.g. Nghị quyết",
    "issuer": "issuer of a cited instrument, e.g. Chính phủ",
    "instrument": "a cited instrument: key 84_NQ-CP.2020 or reference 84/NQ-CP",
    "section": "top-level part of the report, as in the facet",
}


def document() -> dict:
    page = {"type": "integer", "minimum": 1}
    search_parameters = [
        _param("q", f"query text (at most {MAX_QUERY_LENGTH} characters); invalid syntax is searched as words with a warning",
               {"type": "string", "maxLength": MAX_QUERY_LENGTH}),
        *(_param(name, FILTER_HELP[name] + " (repeat to OR values)", STRING, repeat=True) for name in FACETS),
        _param("sort", "order of hits", {"type": "string", "enum": list(SORTS), "default": "relevance"}),
        _param("page", "page number", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
        _param("per_page", "hits (group=report: reports) per page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10}),
        _param("group", "section: one hit per matching section; report: one row per report with its best 1–3 "
               "sections (the HTML page's default)", {"type": "string", "enum": list(GROUPS), "default": "section"}),
        _param("scope", "citation filters (instrument, type, issuer): report selects the reports that cite and "
               "searches them anywhere; section keeps only the sections that cite", {"type": "string", "enum": list(SCOPES), "default": "report"}),
    ]
    listing_parameters = [
        _param("q", "words the type, number, issuer or title must contain (accents ignored)", STRING),
        _param("type", "instrument type, e.g. Nghị quyết", STRING, repeat=True),
        _param("issuer", "issuer, e.g. Chính phủ", STRING, repeat=True),
        _param("year", "year of the instrument, e.g. 2020", {"type": "string", "pattern": "^[0-9]{4}$"}, repeat=True),
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
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search report sections, with facets",
                    "parameters": search_parameters,
                    "responses": {"200": _ok("SearchResults", "one page of hits"), "400": BAD, "503": UNAVAILABLE},
                }
            },
            "/api/reports/{report_id}": {
                "get": {
                    "operationId": "report",
                    "summary": "One parsed report: metadata, sections, footnotes, citations, text",
                    "parameters": [_param("report_id", "report id", {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$"}, where="path")],
                    "responses": {"200": _ok("Report", "the report"), "404": _error("no such report"), "503": UNAVAILABLE},
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
                        _param("key", "instrument key: 84_NQ-CP.2020, or 84_NQ-CP without year", {"type": "string"}, where="path"),
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
                    "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}},
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "Liveness and the live index generation",
                    "responses": {"200": _ok("Health", "serving"), "503": UNAVAILABLE},
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
