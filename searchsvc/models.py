"""The records that cross module boundaries: reports, sections, footnotes, citations, results."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from functools import cache


@dataclass
class Footnote:
    """A note attached to the section where its marker stands ("⁽¹⁾", "[footnote:2]", "[1]")."""

    marker: str  # as written in the body: "⁽¹⁾", "[footnote:2]", "[1]"
    number: int
    text: str
    line: int  # 1-based line of the note text
    marker_line: int | None = None  # 1-based line of the marker in the body, when found


@dataclass
class Section:
    """One heading and the text up to the next heading; ``path`` holds the labels from the root."""

    id: str  # "s0" (text before the first heading), "s1", … in document order
    path: list[str]  # ["Phần thứ nhất", "A", "I", "2", "2.1"]
    label: str  # the last element of path ("" for s0)
    heading: str
    level: int  # depth in the tree: len(path)
    text: str  # the section's own lines (heading line included), footnote notes left out
    start_line: int  # 1-based, inclusive
    end_line: int  # 1-based, inclusive
    parent: str | None = None
    footnotes: list[Footnote] = field(default_factory=list)

    def to_dict(self) -> dict:
        return _values(self) | {"path": list(self.path), "footnotes": [_values(note) for note in self.footnotes]}


@dataclass
class Citation:
    """One mention of a numbered instrument ("Nghị quyết số 84/NQ-CP ngày 29/5/2020 của Chính phủ")."""

    doc: str  # report id
    section_id: str | None
    line: int  # 1-based line where the mention starts
    start: int  # character span of ``surface`` in the report text
    end: int
    surface: str
    type: str  # "Nghị quyết", "Chỉ thị", … (canonical, with diacritics)
    number: str  # "84", "15/2021" (with the year when the symbol carries one)
    symbol: str  # "NQ-CP", "NĐ-CP", "NQ/TW", "UBND-NC"
    canonical: str  # "84/NQ-CP", "36-NQ/TW", "15/2021/NĐ-CP"
    date: str | None  # ISO "2020-05-29"
    year: int | None
    issuer: str | None  # "Chính phủ", "Thủ tướng Chính phủ", …
    issuer_code: str | None = None  # "CP", "TTg", "TW", …
    title: str | None = None  # from a footnote that names the instrument
    resolved_from: int | None = None  # line of the full reference a short one was resolved to

    @property
    def key(self) -> str:
        """The instrument this mention cites, as used in URLs: "84_NQ-CP.2020"."""
        return instrument_key(self.canonical, self.year)

    def to_dict(self) -> dict:
        return _values(self) | {"key": self.key}


@cache
def _names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def _values(record) -> dict:
    """A dataclass of plain values as a dict (``dataclasses.asdict`` copies every value, deeply:
    most of the time of writing a report's JSON when indexing)."""
    return {name: getattr(record, name) for name in _names(type(record))}


def instrument_key(canonical: str, year: int | None) -> str:
    """URL-safe instrument id: "84/NQ-CP" of 2020 -> "84_NQ-CP.2020"; no year -> "84_NQ-CP"."""
    slug = canonical.replace("/", "_")
    return f"{slug}.{year}" if year else slug


def canonical_from_key(key: str) -> tuple[str, int | None]:
    """Inverse of ``instrument_key``: "84_NQ-CP.2020" -> ("84/NQ-CP", 2020)."""
    slug, _, year = key.rpartition(".") if "." in key else (key, "", "")
    if not year.isdigit():
        return key.replace("_", "/"), None
    return slug.replace("_", "/"), int(year)


@dataclass
class Report:
    """A parsed report: metadata, sections in document order (a tree through ``parent``), citations."""

    id: str
    title: str
    province: str | None
    year: int | None
    period: str | None
    report_date: str | None
    doc_number: str | None
    issuer: str | None
    sections: list[Section]
    citations: list[Citation]
    text: str = ""  # the whole text, NFC, as shown
    source: str | None = None  # file name in the corpus
    format: str = "txt"
    encoding: str | None = None
    unaccented: bool = False
    warnings: list[str] = field(default_factory=list)
    doc_type: str | None = None  # the genre of the document itself: "Báo cáo", "Quyết định", "Công văn", …

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def to_dict(self, with_text: bool = False) -> dict:
        data = {
            "id": self.id,
            "title": self.title,
            "province": self.province,
            "year": self.year,
            "period": self.period,
            "report_date": self.report_date,
            "doc_number": self.doc_number,
            "issuer": self.issuer,
            "doc_type": self.doc_type,
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "unaccented": self.unaccented,
            "warnings": list(self.warnings),
            "sections": [s.to_dict() for s in self.sections],
            "citations": [c.to_dict() for c in self.citations],
        }
        if with_text:
            data["text"] = self.text
        return data


# --- search ------------------------------------------------------------------------------------------
SORTS = ("relevance", "newest", "oldest")
GROUPS = ("section", "report")  # hits: one per matching section, or one row per report
SCOPES = ("report", "section")  # citation filters select reports that cite, or only the citing sections
FACETS = ("province", "year", "period", "doctype", "type", "issuer", "instrument", "section")


@dataclass
class SearchRequest:
    """What a user asked: query text, facet filters (OR within a facet, AND across), sort, page."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    group: str = "section"
    scope: str = "report"


@dataclass
class FacetValue:
    value: str  # what the filter parameter carries ("Bắc Giang", "84_NQ-CP.2020")
    label: str  # what a person reads ("Bắc Giang", "84/NQ-CP (2020)")
    count: int  # distinct reports
    selected: bool = False

    def to_dict(self) -> dict:
        return {"value": self.value, "label": self.label, "count": self.count, "selected": self.selected}


@dataclass
class Hit:
    report_id: str
    section_id: str
    title: str
    province: str | None
    year: int | None
    period: str | None
    report_date: str | None
    path: list[str]
    heading: str
    snippet: str  # HTML: escaped text with <mark>
    score: float
    instruments: list[dict]  # {"key", "canonical", "type", "year", "title"}
    cites: bool = False  # the section cites what a citation filter asks for (report scope)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Results:
    query: str
    total: int  # sections
    total_reports: int
    page: int
    per_page: int
    took_ms: float
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    warnings: list[str] = field(default_factory=list)
    group: str = "section"
    reports: list = field(default_factory=list)  # ``grouping.ReportRow`` of the page (group "report")
    total_rows: int = 0  # group "report": rows (reports of the same content fold into one row)
    entries: dict = field(default_factory=dict)  # facet -> every ``facetlist.FacetEntry`` (``search(…, entries=…)``)

    @property
    def pages(self) -> int:
        shown = self.total_rows if self.group == "report" else self.total
        return max(1, -(-shown // self.per_page))

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "total_reports": self.total_reports,
            "page": self.page,
            "per_page": self.per_page,
            "took_ms": round(self.took_ms, 2),
            "hits": [h.to_dict() for h in self.hits],
            "facets": {name: [v.to_dict() for v in values] for name, values in self.facets.items()},
            "suggestion": self.suggestion,
            "warnings": list(self.warnings),
            "group": self.group,
            **({"reports": [r.to_dict() for r in self.reports], "total_rows": self.total_rows} if self.group == "report" else {}),
        }
