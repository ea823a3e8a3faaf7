"""Writing a Tantivy index: its schema and layout, the analysis of a section (``prepare``, run in
the indexer's worker processes) and the ``Writer``. See ``tantivy_engine`` for the design.

* **Text is analyzed here, in Python** (``analysis.split_compound``, ``exact_form``, ``fold``) and
  handed to Tantivy as space-separated tokens that its ``whitespace`` tokenizer only splits
  (``analyze``): the parts of compounds at consecutive positions ("84/NQ-CP" -> "84 nq cp"), then
  the whole compounds ("84/nq-cp", "covid-19") that a one-word query looks up; and, as Whoosh's
  ``body_b``/``body_eb``, the body's syllable bigrams ("đầu_tư tư_công"), so that a phrase in the
  body is term lookups. Each distinct run of text is analyzed once (``analysis.analyze_text``).
* The writer numbers documents (``uid``, a u64 fast field) and writes one line per document —
  report and facet values — to ``facets.jsonl`` beside the index (``tantivy_arrays`` reads it).
* Every file is written once and replaced, never changed in place: a new generation may share
  the previous one's files through hard links.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import tantivy

from ..analysis import analyze_text
from ..schema import FACET_COLUMNS, HEADING_BOOST

__all__ = ["SCHEMA", "LAYOUT_VERSION", "LAYOUT_FILE", "FACETS_FILE", "ROW_SEP", "FACETS", "BIGRAM_JOIN", "Writer",
           "prepare", "create_writer", "open_index", "segment_sizes", "line_count", "analyze", "bigrams", "descending"]

LAYOUT_VERSION = 2  # the Tantivy fields below; an index of another layout must be rebuilt in full
LAYOUT_FILE = "searchsvc.json"  # {"version": LAYOUT_VERSION}
FACETS_FILE = "facets.jsonl"  # line n: the report and facet values of document uid n
WRITER_HEAP = 256_000_000  # bytes; fewer, larger segments than Tantivy's default 128 MB
WRITER_THREADS = 1  # the indexer's worker processes (parsing, ``prepare``) keep the other cores busy; one segment
TOKENIZER = "searchsvc_ws"  # tokens come pre-analyzed, separated by single spaces
BIGRAM_JOIN = "_"  # joins the two syllables of a bigram term ("đầu_tư"): never inside a token
ROW_SEP = "\x1e"  # joins report id and facet columns in a line of FACETS_FILE (values use MULTI_SEP)
FACETS = tuple(FACET_COLUMNS)  # the order of facet columns in a line

def _build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in ("heading", "heading_f"):  # see ``analyze``; positions for phrases (``tantivy_query``)
        builder.add_text_field(name, tokenizer_name=TOKENIZER, index_option="position")
    # the body: term frequencies without positions (no query reads them, and writing them costs a
    # tenth of the indexing and a quarter of the index); a phrase is its syllable bigrams ("đầu_tư")
    for name in ("body", "body_f", "body_eb", "body_b"):
        builder.add_text_field(name, tokenizer_name=TOKENIZER, index_option="freq")
    # filters: one raw term per value, several values by adding the field several times
    builder.add_text_field("instruments", tokenizer_name="raw", index_option="freq")
    for name in ("report_id", "f_type", "f_issuer", "f_province", "f_period", "f_doctype", "f_top"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_unsigned_field("uid", fast=True)
    for name in ("sort_old", "sort_new"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_bytes_field("hit", stored=True)  # what a hit shows, as JSON
    return builder.build()


SCHEMA = _build_schema()


SEGMENT_FILES = {"idx", "pos", "term", "store", "fast", "fieldnorm", "del"}  # what Tantivy maps into memory


def open_index(path: Path) -> tantivy.Index:
    index = tantivy.Index.open(str(path))
    _check_layout(path)
    index.register_tokenizer(TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
    return index


def segment_sizes(path: Path) -> dict[str, int]:
    """The size of each file of the index's segments (the memory-mapped ones), by name."""
    sizes = {}
    with os.scandir(path) as entries:
        for entry in entries:
            if entry.is_file() and "." in entry.name and entry.name.split(".")[-1] in SEGMENT_FILES:
                sizes[entry.name] = entry.stat().st_size
    return sizes


def _check_layout(path: Path) -> None:
    try:
        layout = json.loads((path / LAYOUT_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        layout = None
    if not layout or layout.get("version") != LAYOUT_VERSION:
        raise ValueError(f"chỉ mục Tantivy ở {path} có bố cục cũ hoặc không rõ (cần lập lại toàn bộ)")



# --- analysis ---------------------------------------------------------------------------------------
def analyze_parts(text: str | None) -> tuple[str, str, str, str]:
    """(exact parts, folded parts, exact wholes, folded wholes) of a text (``analysis.analyze_text``),
    each space-joined.

    >>> analyze_parts("Nghị quyết 84/NQ-CP, hoà")
    ('nghị quyết 84 nq cp hòa', 'nghi quyet 84 nq cp hoa', '84/nq-cp', '84/nq-cp')
    """
    exact, folded, exact_wholes, folded_wholes = analyze_text(text)
    return " ".join(exact), " ".join(folded), " ".join(exact_wholes), " ".join(folded_wholes)


def analyze(text: str | None) -> tuple[str, str]:
    """The accent-exact and the folded tokens of a text, as Tantivy's whitespace tokenizer splits them.

    The parts of every token come first, at consecutive positions, then the whole compounds:
    phrases only ever hold parts (``split_compound``), and no part equals a whole (a whole holds
    "/", "-" …), so no phrase can match across (positions are kept for headings only: a phrase
    in the body is its bigrams); and the field keeps Whoosh's length (parts and wholes), which
    BM25 divides by.

    >>> analyze("Nghị quyết 84/NQ-CP, hoà")
    ('nghị quyết 84 nq cp hòa 84/nq-cp', 'nghi quyet 84 nq cp hoa 84/nq-cp')
    """
    exact, folded, exact_wholes, folded_wholes = analyze_parts(text)
    return _joined(exact, exact_wholes), _joined(folded, folded_wholes)


def _joined(parts: str, wholes: str) -> str:
    return f"{parts} {wholes}" if wholes else parts


def _bigram_text(parts: list[str]) -> str:
    """Every pair of neighbouring parts, as ``analysis.BigramFilter`` makes them (across
    punctuation too), one token each. (Tantivy's regex tokenizer could pair them itself, but
    costs three times as much as this join.)

    >>> _bigram_text(["đầu", "tư", "công"])
    'đầu_tư tư_công'
    """
    return " ".join(map(BIGRAM_JOIN.join, zip(parts, parts[1:])))


def bigrams(parts: list[str]) -> list[str]:
    """The bigram terms of a sequence of analyzed syllables (``analysis.bigrams``)."""
    return [f"{a}{BIGRAM_JOIN}{b}" for a, b in zip(parts, parts[1:])]


_SEAM = "\x01 \x01"  # two filler tokens: no phrase, even one move sloppy, runs from one copy to the next


def _heading(tokens: str) -> str:
    """Whoosh's ``field_boost`` on headings (``schema.HEADING_BOOST``, 2) multiplies the weight
    (frequency) of each heading term: index the heading's tokens that many times (the length
    grows alike for every heading, so BM25's length ratio stays Whoosh's)."""
    return f" {_SEAM} ".join([tokens] * round(HEADING_BOOST)) if tokens else ""


class _Reversed(dict):
    """Code point -> its character in ``descending`` (a ``str.translate`` table, filled as used)."""

    def __missing__(self, code: int) -> str:
        value = self[code] = chr(0xFFFF - min(code, 0xFFFE))
        return value


_REVERSED = _Reversed()


def descending(key: str) -> str:
    """A string whose ascending order is the descending order of ``key`` (prefixes included).

    >>> descending("2020") > descending("2021") > descending("20210") > descending("2022")
    True
    """
    return key.translate(_REVERSED) + "\uffff"



# --- writing ----------------------------------------------------------------------------------------
STORED = ("id", "report_id", "section_id", "order", "heading", "body", "year", "title", "province", "period",
          "report_date", "path", "label", "citations")  # what Whoosh stores, so hits are the same dicts


class Writer:
    def __init__(self, path: Path, fresh: bool):
        if fresh and path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True, exist_ok=True)
        if fresh:
            tantivy.Index(SCHEMA, path=str(path), reuse=False)
            (path / LAYOUT_FILE).write_text(json.dumps({"version": LAYOUT_VERSION}), encoding="utf-8")
            (path / FACETS_FILE).write_text("", encoding="utf-8")
        self._index = open_index(path)
        self._rows_path = path / FACETS_FILE
        self._next_uid = line_count(self._rows_path)
        self._rows: list[str] = []
        self._writer = self._index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)

    def delete_report(self, report_id: str) -> None:
        self._writer.delete_documents_by_term("report_id", report_id)

    def add(self, prepared: tuple[dict, str]) -> None:
        """Number a document of ``prepare`` (its uid is its line of ``facets.jsonl``) and add it."""
        fields, row = prepared
        uid = self._next_uid
        self._next_uid += 1
        self._writer.add_document(tantivy.Document.from_dict({**fields, "uid": uid}, SCHEMA))
        self._rows.append(row)

    def commit(self) -> None:
        """Commit, then let the merges it started finish, so a reader opened next sees one state."""
        writer, self._writer = self._writer, None  # whatever happens, this writer is done
        writer.commit()
        writer.wait_merging_threads()  # consumes the writer: the index lock is released
        if self._rows:  # a new file, not an append: the previous generation may share this one's files
            temporary = self._rows_path.with_suffix(".tmp")
            shutil.copyfile(self._rows_path, temporary)  # in the kernel (copy_file_range) where it can
            with open(temporary, "ab") as rows:
                rows.write(("\n".join(self._rows) + "\n").encode("utf-8"))
            os.replace(temporary, self._rows_path)
            self._rows = []

    def cancel(self) -> None:
        if self._writer is not None:
            self._writer.rollback()
            self._writer = None
        self._rows = []


def line_count(path: Path) -> int:
    """Lines in ``facets.jsonl``: the number of uids given so far."""
    with open(path, "rb") as rows:  # a block at a time: never the whole file in memory
        return sum(block.count(b"\n") for block in iter(lambda: rows.read(1 << 20), b""))


def prepare(document: dict) -> tuple[dict, str]:
    """A document of ``schema.section_documents`` as ``Writer.add`` takes it: its Tantivy fields
    but the uid, and its line of ``facets.jsonl``. All the Python analysis happens here, so that
    the indexer runs it in worker processes, next to parsing (a pure function; the result pickles)."""
    body, body_f, body_wholes, body_f_wholes = analyze_text(document["body"])  # lists: the bigrams pair them
    heading, heading_f = analyze(document["heading"])
    sort_date, report_id, order = document["sort_date"], document["report_id"], f"{document['order']:08d}"
    fields = {
        "body": " ".join(body + body_wholes), "body_f": " ".join(body_f + body_f_wholes),
        "body_eb": _bigram_text(body), "body_b": _bigram_text(body_f),
        "heading": _heading(heading), "heading_f": _heading(heading_f),
        "instruments": _keywords(document["instruments"]),
        "report_id": report_id,
        "f_type": _keywords(document["f_type"]),
        "f_issuer": _keywords(document["f_issuer"]),
        "f_province": document["f_province"],
        "f_period": document["f_period"],
        "f_doctype": document["f_doctype"],
        "f_top": document["f_top"],
        "year": int(document["year"] or 0),
        "sort_old": f"{sort_date}\x01{report_id}\x01{order}",
        "sort_new": f"{descending(sort_date)}\x01{report_id}\x01{order}",
        "hit": json.dumps({name: document.get(name) for name in STORED}, ensure_ascii=False).encode(),
    }
    row = ROW_SEP.join([report_id, *(document[FACET_COLUMNS[facet]] or "" for facet in FACETS)])
    return fields, json.dumps(row, ensure_ascii=False)


def _keywords(value: str) -> list[str]:
    """Whoosh KEYWORD(commas=True): comma-separated, stripped, empty ones dropped."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def create_writer(path: Path, fresh: bool) -> Writer:
    return Writer(path, fresh)
