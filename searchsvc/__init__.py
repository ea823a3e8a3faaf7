"""searchsvc: full-text search over Vietnamese provincial government reports.

The pipeline, one module per stage: loaders (file -> text), sections and metadata (text ->
Report with sections and footnotes), citations and resolve (instrument references), analysis and
schema (index fields), indexing (build aside, switch on success), query (the query language),
engines (Whoosh, Tantivy) behind engine.SearchIndex, searching (request -> Results).
"""
__version__ = "0.1.0"

from .citations import extract_citations
from .ingest import read_report
from .models import Citation, Footnote, Report, SearchRequest, Section
from .normalize import fold, nfc, tone_normalize
from .sections import parse_report

__all__ = [
    "Citation", "Footnote", "Report", "SearchRequest", "Section",
    "extract_citations", "fold", "nfc", "parse_report", "read_report", "tone_normalize",
]
