"""The JSON Schemas of the API's responses (``openapi.document`` serves them under
``components.schemas``): JSON Schema 2020-12, as OpenAPI 3.1 takes them, so tests validate real
responses with ``jsonschema``. Enumerations come from the library, not repeated here."""
from __future__ import annotations

from searchsvc.instruments import LIST_SORTS
from searchsvc.models import FACETS, GROUPS

__all__ = ["SCHEMAS", "STRING", "ref"]


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


def ref(name: str) -> dict:
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
            "instruments": {"type": "array", "items": ref("HitInstrument")},
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
            "sections": {"type": "array", "items": ref("Hit"), "description": "its best 1–3 matching sections"},
            "matched": {"type": "integer", "description": "sections of the report that match (0 for a partial match)"},
            "same_content": {"type": "array", "items": ref("SameContent"),
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
            "hits": {"type": "array", "items": ref("Hit")},
            "facets": {
                "type": "object",
                "properties": {name: {"type": "array", "items": ref("FacetValue")} for name in FACETS},
                "required": list(FACETS),
                "additionalProperties": False,
            },
            "suggestion": _nullable("string", description="did you mean (only a query that finds something)"),
            "warnings": STRINGS,
            "group": {"type": "string", "enum": list(GROUPS)},
            "total_rows": {"type": "integer", "description": "group=report: rows, reports of the same content folded into one"},
            "reports": {"type": "array", "items": ref("ReportRow"),
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
            "footnotes": {"type": "array", "items": ref("Footnote")},
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
            "sections": {"type": "array", "items": ref("Section")},
            "citations": {"type": "array", "items": ref("Citation")},
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
            "instruments": {"type": "array", "items": ref("InstrumentSummary")},
            "options": {
                "type": "object",
                "properties": {n: {"type": "array", "items": ref("Tally")} for n in ("type", "issuer", "year")},
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
            "instrument": ref("InstrumentSummary"),
            "by_province": {"type": "array", "items": ref("Tally")},
            "by_year": {"type": "array", "items": ref("Tally")},
            "total": {"type": "integer", "description": "citing sections (mentions)"},
            "page": INTEGER,
            "per_page": INTEGER,
            "citations": {"type": "array", "items": ref("CitingSection")},
        }
    ),
    "Disambiguation": _object(
        {
            "kind": {"const": "disambiguation"},
            "key": STRING,
            "canonical": STRING,
            "candidates": {"type": "array", "items": ref("InstrumentSummary")},
            "undated": {"type": "array", "items": ref("CitingSection")},
        }
    ),
    "Health": _object(
        {"status": {"const": "ok"}, "generation": STRING, "reports": INTEGER, "citations": INTEGER, "instruments": INTEGER}
    ),
}
