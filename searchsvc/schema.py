"""The Whoosh schema, in one place, and the documents of a report (one per section).

Exact and folded text are separate fields (``analysis``); instruments, types and issuers are
keyword fields; the facet values are also kept as sortable columns (``f_*``) so facet counts read
columns, not stored documents. ``SCHEMA_VERSION`` changes whenever a field does: an index built
with another version is rebuilt in full.
"""
from __future__ import annotations

import json
import re

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.system import pack_uint

from .analysis import EXACT, EXACT_BIGRAMS, FOLDED, FOLDED_BIGRAMS
from .models import Citation, Report, Section
from .normalize import exact_form, fold, has_diacritics
from .query import instrument_value, year_bounds

# footnote lines a sentence may run across ("… ngày\n⁽⁸⁾ Nghị quyết về …\n04/02/2020"): not part of it
NOTE_LINES = re.compile(r"(?m)^[ \t]*(?:⁽[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾|\[\d{1,3}\])[^\n]*$")

__all__ = ["SCHEMA_VERSION", "EXACT_BOOST", "PROXIMITY_BOOST", "build_schema", "word_terms", "section_documents", "catalogue_records", "filter_clause", "instrument_term", "instrument_terms", "MULTI_SEP", "FACET_COLUMNS"]

SCHEMA_VERSION = 7
EXACT_BOOST = 10.0  # an accent-exact match outranks any folded-only one (DOMAIN.md "bán" vs "bàn")
PROXIMITY_BOOST = 6.0  # words of the query standing together ("đầu tư công")
MULTI_SEP = "\x1f"  # joins the values of a multi-valued facet column
HEADING_BOOST = 2.0

# facet name -> column holding its display values (multi-valued ones joined by MULTI_SEP)
FACET_COLUMNS = {
    "province": "c_province",
    "year": "c_year",
    "period": "c_period",
    "doctype": "c_doctype",  # the genre of the report itself: Báo cáo, Kế hoạch, Quyết định, …
    "type": "c_types",
    "issuer": "c_issuers",
    "instrument": "c_instruments",
    "section": "c_top",
}


class CountedText(TEXT):
    """A TEXT field without positions that also takes its terms already counted ({term: count}):
    the Whoosh engine analyzes a section's body once (``analysis.analyze_text``) for the four
    body fields, in worker processes, instead of once per field in Whoosh's writer."""

    def __init__(self, analyzer, stored: bool = False, spelling: bool = False):
        super().__init__(analyzer=analyzer, phrase=False, stored=stored, spelling=spelling)

    def index(self, value, **kwargs):
        if not isinstance(value, dict):
            return super().index(value, **kwargs)
        boost = self.format.field_boost
        return ((term.encode("utf-8"), count, count * boost, pack_uint(count)) for term, count in value.items())


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        report_id=ID(stored=True, sortable=True),
        section_id=ID(stored=True),
        order=NUMERIC(stored=True, sortable=True),
        heading=TEXT(analyzer=EXACT, stored=True, field_boost=HEADING_BOOST),
        heading_f=TEXT(analyzer=FOLDED, field_boost=HEADING_BOOST),
        # the body: no positions, phrases are its syllable bigrams (filled by the Whoosh engine)
        body=CountedText(EXACT, stored=True),
        body_f=CountedText(FOLDED, spelling=True),
        body_b=CountedText(FOLDED_BIGRAMS),
        body_eb=CountedText(EXACT_BIGRAMS),
        # filters, matched on folded values; "instruments" holds instrument_terms()
        instruments=KEYWORD(commas=True, scorable=True),
        f_type=KEYWORD(commas=True),
        f_issuer=KEYWORD(commas=True),
        f_province=ID,
        f_period=ID,
        f_doctype=ID,
        f_top=ID,
        year=NUMERIC(stored=True, sortable=True),
        sort_date=ID(sortable=True),
        # display values, as columns for facets
        c_province=ID(sortable=True),
        c_year=ID(sortable=True),
        c_period=ID(sortable=True),
        c_doctype=ID(sortable=True),
        c_types=ID(sortable=True),
        c_issuers=ID(sortable=True),
        c_instruments=ID(sortable=True),
        c_top=ID(sortable=True),
        # what a hit shows
        title=STORED,
        province=STORED,
        period=STORED,
        report_date=STORED,
        path=STORED,
        label=STORED,
        citations=STORED,
    )


def filter_clause(facet: str, value: str) -> tuple[str, object]:
    """The field and term a facet filter value matches (both engines build their queries from
    it); for "year", the field and a (low, high) range. Values are validated by
    ``query.check_filter`` beforehand.

    >>> filter_clause("province", "Bắc Giang"), filter_clause("year", "2020..2021")
    (('f_province', 'bac giang'), ('year', (2020, 2021)))
    """
    value = value.strip()
    if facet == "year":
        return "year", year_bounds(value)
    if facet == "instrument":
        return "instruments", instrument_term(*instrument_value(value))
    if facet == "report":
        return "report_id", value
    if facet in ("type", "issuer"):
        return f"f_{facet}", fold(value).replace(" ", "_")
    return {"section": "f_top"}.get(facet, f"f_{facet}"), fold(value)


def word_terms(word: str) -> list[tuple[str, str, float]]:
    """The (field, term, boost) a query word is looked up as, by both engines: its folded form in
    body and heading; typed with accents, its exact form too, worth ``EXACT_BOOST`` times more. A
    compound ("Covid-19") is looked up whole.

    >>> word_terms("Hoà")
    [('body_f', 'hoa', 1.0), ('heading_f', 'hoa', 1.0), ('body', 'hòa', 10.0), ('heading', 'hòa', 10.0)]
    """
    folded = fold(word)
    terms = [("body_f", folded, 1.0), ("heading_f", folded, 1.0)]
    if has_diacritics(word):
        exact = exact_form(word)
        terms += [("body", exact, EXACT_BOOST), ("heading", exact, EXACT_BOOST)]
    return terms


def instrument_term(canonical: str, year: int | None) -> str:
    """The keyword term that finds an instrument: any year (None), one year, or undated (0).

    >>> instrument_term("15/2021/ND-CP", None), instrument_term("84/NQ-CP", 2020), instrument_term("84/NQ-CP", 0)
    ('15/2021/nd-cp', '84/nq-cp@2020', '84/nq-cp@0')
    """
    return fold(canonical) if year is None else f"{fold(canonical)}@{year}"


def instrument_terms(canonical: str, year: int | None, type_name: str | None) -> list[str]:
    """Keyword terms for one cited instrument: any year, its year (0: not known), "type#number".

    >>> instrument_terms("84/NQ-CP", 2020, "Nghị quyết")
    ['84/nq-cp', '84/nq-cp@2020', 'nghi quyet#84']
    """
    terms = [instrument_term(canonical, None), instrument_term(canonical, year or 0)]
    if type_name:
        number = canonical.split("/")[0].split("-")[0]
        terms.append(f"{fold(type_name)}#{number}")
    return terms


def catalogue_records(report: Report) -> list[dict]:
    """Every citation of a report with what an instrument page shows next to it."""
    headings = {s.id: s for s in report.sections}
    records = []
    for citation in report.citations:
        section = headings.get(citation.section_id)
        records.append(
            _citation_record(citation, report.text)
            | {
                "report_id": report.id,
                "section_id": citation.section_id,
                "section_heading": section.heading if section else None,
                "section_path": section.path if section else [],
                "number": citation.number,
                "symbol": citation.symbol,
                "issuer_code": citation.issuer_code,
                "report_title": report.title,
                "province": report.province,
                "report_year": report.year,
                "period": report.period,
            }
        )
    return records


def _citation_record(citation: Citation, text: str) -> dict:
    return {
        "key": citation.key,
        "canonical": citation.canonical,
        "type": citation.type,
        "date": citation.date,
        "year": citation.year,
        "issuer": citation.issuer,
        "title": citation.title,
        "surface": citation.surface,
        "line": citation.line,
        "sentence": citing_sentence(text, citation.start, citation.end),
    }


def citing_sentence(text: str, start: int, end: int, limit: int = 320) -> str:
    """The sentence around a span: from the previous ". "/";"/line start to the next one."""
    left = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1, text.rfind("; ", 0, start) + 1)
    right_candidates = [i for i in (text.find("\n", end), text.find(". ", end), text.find("; ", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    left = max(left + 1 if left >= 0 else 0, start - limit // 2)
    right = min(right, end + limit // 2)
    sentence = " ".join(NOTE_LINES.sub(" ", text[left:right]).split())
    return ("… " if left > 0 and text[left - 1] not in "\n.;" else "") + sentence


def _top_section(report: Report, section: Section) -> str:
    if not section.path:
        return "Phần mở đầu"
    top = report.section(section.id)
    while top is not None and top.parent:
        top = report.section(top.parent)
    return f"{top.label}. {top.heading}"[:120] if top else ""


def section_documents(report: Report) -> list[dict]:
    """One Whoosh document per section, carrying its report's metadata."""
    by_section: dict[str | None, list[Citation]] = {}
    for citation in report.citations:
        by_section.setdefault(citation.section_id, []).append(citation)
    sort_date = report.report_date or (f"{report.year}-99-99" if report.year else "0000")
    documents = []
    for order, section in enumerate(report.sections):
        citations = by_section.get(section.id, [])
        notes = "\n".join(f"{f.marker} {f.text}" for f in section.footnotes)
        body = section.text + ("\n" + notes if notes else "")
        types = sorted({c.type for c in citations})
        issuers = sorted({c.issuer for c in citations if c.issuer})
        keys = list(dict.fromkeys(c.key for c in citations))
        terms = list(dict.fromkeys(t for c in citations for t in instrument_terms(c.canonical, c.year, c.type)))
        top = _top_section(report, section)
        documents.append(
            {
                "id": f"{report.id}#{section.id}",
                "report_id": report.id,
                "section_id": section.id,
                "order": order,
                "heading": section.heading,
                "heading_f": section.heading,
                "body": body,
                "body_f": body,
                "instruments": ",".join(terms),
                "f_type": ",".join(fold(t).replace(" ", "_") for t in types),
                "f_issuer": ",".join(fold(i).replace(" ", "_") for i in issuers),
                "f_province": fold(report.province or ""),
                "f_period": fold(report.period or ""),
                "f_doctype": fold(report.doc_type or ""),
                "f_top": fold(top),
                "year": report.year or 0,
                "sort_date": sort_date,
                "c_province": report.province or "",
                "c_year": str(report.year or ""),
                "c_period": report.period or "",
                "c_doctype": report.doc_type or "",
                "c_types": MULTI_SEP.join(types),
                "c_issuers": MULTI_SEP.join(issuers),
                "c_instruments": MULTI_SEP.join(keys),
                "c_top": top,
                "title": report.title,
                "province": report.province,
                "period": report.period,
                "report_date": report.report_date,
                "path": json.dumps(section.path, ensure_ascii=False),
                "label": section.label,
                "citations": json.dumps([_citation_record(c, report.text) for c in citations], ensure_ascii=False),
            }
        )
    return documents
