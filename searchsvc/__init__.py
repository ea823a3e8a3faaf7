"""searchsvc: full-text search over Vietnamese provincial government reports.

The pipeline, one module per stage: loaders (file -> text), sections (text -> Report with
metadata, sections, footnotes), citations and resolve (instrument references), analysis and
schema (Whoosh), indexing (build/update), searching (query -> Results).
"""
from .citations import extract_citations
from .models import Citation, Footnote, Report, Section
from .normalize import fold, nfc, tone_normalize
from .sections import parse_report

__all__ = [
    "Citation", "Footnote", "Report", "Section",
    "extract_citations", "fold", "nfc", "parse_report", "read_report", "tone_normalize",
]


def read_report(path):
    """Load and parse one report file (see ``searchsvc.ingest.read_report``)."""
    from .ingest import read_report as _read

    return _read(path)
