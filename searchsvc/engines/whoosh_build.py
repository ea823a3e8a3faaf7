"""A full build's Whoosh segments, written from prepared documents in the process that prepared them.

Whoosh's ``SegmentWriter`` handles each posting in Python half a dozen times: the field's
``index`` yields it, ``add_document`` makes a tuple of it, its pool keeps it, sorts every tuple
of the segment, hands them one by one to the field writer, which adds each to a block. With
~700 postings a section (four body fields), that was most of a build. A ``SegmentBuilder``
writes the same segment (tested byte for byte against ``SegmentWriter`` in
``tests/test_whoosh_build.py``) through the codec's public writers, and a term's postings
in bulk:

* each document's stored values, field lengths and columns go to the codec's per-document
  writer as ``SegmentWriter.add_document`` hands them, field by field in name order;
* a body field's terms, already counted (``schema.CountedText``: {term: count}), are kept as
  the dictionary's keys and counts, one list extended per document; other fields' postings
  (headings, identifiers, keywords, numbers) as Whoosh's ``index`` yields them;
* a value the last documents had (a report's province, year, issuers: the same in each of its
  sections) is analyzed once;
* when the segment is written, each field's postings are put in term order by one NumPy sort,
  and the field's terms go to the codec's field writer at once (``whoosh_writer.FieldWriter.add_terms``,
  ``whoosh_blocks.write_terms``).

A builder starts another segment when its postings reach ``SEGMENT_POSTINGS``: that bounds
its memory. Its segments are listed in the index by the writer of the build
(``whoosh_writer.Writer.commit``), after every builder has finished.
"""
from __future__ import annotations

from array import array
from collections import defaultdict
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.fields import UnknownFieldError

from ..schema import CountedText

__all__ = ["SegmentBuilder", "SEGMENT_POSTINGS", "check_schema"]

SEGMENT_POSTINGS = 8_000_000  # postings a builder's segment holds before it starts another (~0.35 GB of memory at most)
CACHED_VALUES = 4096  # field values whose analysis a builder keeps (cleared when full)


class _Vocabulary(dict):
    """term -> its number, in the order first seen: a term not yet in it gets the next one."""

    def __missing__(self, term) -> int:
        self[term] = number = len(self)
        return number


class _Terms:
    """The terms of a field's postings in a segment, in document order, as numbers into its
    vocabulary (4 bytes a posting: the analyzer's strings of each document are not kept)."""

    __slots__ = ("vocabulary", "codes")

    def __init__(self):
        self.vocabulary = _Vocabulary()
        self.codes = array("I")

    def extend(self, terms) -> None:
        self.codes.extend(map(self.vocabulary.__getitem__, terms))

    def __len__(self) -> int:
        return len(self.codes)

    def order(self) -> tuple[list, np.ndarray, np.ndarray]:
        """(the distinct terms sorted, where each posting goes to put them in term order, then
        document order (a stable sort of document-ordered postings), the first posting of each
        term and one past the last)."""
        distinct = sorted(self.vocabulary)
        rank = np.empty(len(distinct), dtype=np.int64)
        rank[np.fromiter(map(self.vocabulary.__getitem__, distinct), dtype=np.int64, count=len(distinct))] = np.arange(len(distinct))
        ranks = rank[np.frombuffer(self.codes, dtype=np.uint32)]
        bounds = np.zeros(len(distinct) + 1, dtype=np.int64)
        np.cumsum(np.bincount(ranks, minlength=len(distinct)), out=bounds[1:])
        return distinct, _stable_order(ranks, len(distinct)), bounds


def _stable_order(ranks: np.ndarray, count: int) -> np.ndarray:
    """``np.argsort(ranks, kind="stable")`` of ranks below ``count``, by NumPy's radix sort of
    16-bit keys (several times faster than its merge sort of wider ones): the low 16 bits,
    then the high ones.

    >>> _stable_order(np.array([70000, 3, 70000, 3, 65536]), 70001).tolist()
    [1, 3, 4, 0, 2]
    """
    if count <= 1 << 16:
        return np.argsort(ranks.astype(np.uint16), kind="stable")
    order = np.argsort((ranks & 0xFFFF).astype(np.uint16), kind="stable")
    return order[np.argsort((ranks[order] >> 16).astype(np.uint16), kind="stable")]


class _Counted:
    """One body field's postings in a segment (``CountedText``: {term: count} a document)."""

    __slots__ = ("terms", "counts", "docs", "sizes")

    def __init__(self):
        self.terms = _Terms()
        self.counts = array("I")
        self.docs: list[int] = []  # the documents that have it …
        self.sizes: list[int] = []  # … and how many terms each

    def add(self, docnum: int, counted: dict) -> None:
        self.terms.extend(counted.keys())
        self.counts.extend(counted.values())
        self.docs.append(docnum)
        self.sizes.append(len(counted))


class _Indexed:
    """One other field's postings in a segment, in document order, as its ``index`` yields them."""

    __slots__ = ("terms", "docs", "weights", "values")

    def __init__(self):
        self.terms = _Terms()
        self.docs: list[int] = []
        self.weights: list[float] = []
        self.values: list[bytes] = []


def check_schema(schema) -> None:
    """A ``SegmentBuilder`` writes what the engine's schema has: no term vectors, no separate
    spelling words (Whoosh's writer adds those in its own ways). ValueError for another."""
    for name in schema.names():
        field = schema[name]
        if field.vector or field.separate_spelling():
            raise ValueError(f"field {name!r}: term vectors and separate spelling are not written by SegmentBuilder")


class SegmentBuilder:
    """Writes documents into new segments of the Whoosh index at ``path`` (created before),
    without listing them in it: ``finish`` returns them."""

    def __init__(self, path: Path, codec, limit: int | None = None):
        ix = whoosh_index.open_dir(str(path))
        self._storage, self._indexname, self._schema = ix.storage, ix.indexname, ix.schema
        check_schema(self._schema)
        self._codec = codec
        self._limit = SEGMENT_POSTINGS if limit is None else limit
        self._done: list = []
        self._segment = None
        self._analyzed: dict[tuple, tuple] = {}  # (field, value) -> (terms, weights, values, length)

    def _start(self) -> None:
        self._segment = self._codec.new_segment(self._storage, self._indexname)
        self._perdoc = self._codec.per_document_writer(self._storage, self._segment)
        self._docs = 0
        self._postings = 0
        self._counted: dict[str, _Counted] = defaultdict(_Counted)
        self._indexed: dict[str, _Indexed] = defaultdict(_Indexed)

    def add(self, fields: dict) -> None:
        """One document, as ``SegmentWriter.add_document(**fields)`` takes it (no boosts)."""
        if self._segment is None:
            self._start()
        names = sorted(name for name in fields if not name.startswith("_"))
        for name in names:
            if name not in self._schema:
                raise UnknownFieldError(f"No field named {name!r} in {self._schema}")
        for name in fields:
            if name.startswith("_") and not name.startswith("_stored_"):
                raise ValueError(f"{name!r}: boosts are not written by SegmentBuilder")
        docnum, perdoc, schema = self._docs, self._perdoc, self._schema
        perdoc.start_doc(docnum)
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                if isinstance(field, CountedText) and isinstance(value, dict):
                    self._counted[name].add(docnum, value)
                    self._postings += len(value)
                    length = sum(value.values()) if field.scorable else 0
                else:
                    length = self._index(name, field, value, docnum)
            stored = fields.get(f"_stored_{name}", value)
            perdoc.add_field(name, field, stored if field.stored else None, length)
            if field.column_type and stored is not None:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(stored))
        perdoc.finish_doc()
        self._docs += 1
        if self._postings >= self._limit:
            self._done.append(self._write())

    def _index(self, name: str, field, value, docnum: int) -> int:
        """Keep the postings of one field of a document (``field.index``); its length. A report's
        sections share most of their values (province, year, issuers, …): each value is
        analyzed once (the last ``CACHED_VALUES``)."""
        key = (name, type(value), value)  # 1 and True are equal keys, not equal values
        try:
            analyzed = self._analyzed.get(key)
        except TypeError:  # a list of values: not kept
            analyzed, key = None, None
        if analyzed is None:
            if len(self._analyzed) >= CACHED_VALUES:
                self._analyzed.clear()
            items = list(field.index(value))
            length = sum(frequency for _, frequency, _, _ in items) if field.scorable else 0
            # Whoosh's writer multiplies each weight by the document's boost, 1.0
            analyzed = ([item[0] for item in items], [item[2] * 1.0 for item in items], [item[3] for item in items], length)
            if key is not None:
                self._analyzed[key] = analyzed
        terms, weights, values, length = analyzed
        postings = self._indexed[name]
        postings.terms.extend(terms)
        postings.docs += [docnum] * len(terms)
        postings.weights += weights
        postings.values += values
        self._postings += len(terms)
        return length

    def finish(self) -> list:
        """The segments written (none without documents); the builder is done."""
        if self._segment is not None and self._docs:
            self._done.append(self._write())
        self._segment = None
        return self._done

    def _write(self):
        """Write the current segment: its per-document files, its postings in term order; a
        compound file of them, as ``SegmentWriter`` makes."""
        segment, self._segment = self._segment, None
        self._perdoc.close()
        writer = self._codec.field_writer(self._storage, segment)
        kept = {name: len(kept.terms) for name, kept in [*self._counted.items(), *self._indexed.items()]}
        for name in sorted(name for name, count in kept.items() if count):  # as Whoosh's writer: no field without postings
            field = self._schema[name]
            writer.start_field(name, field)
            if name in self._counted:
                _write_counted(writer, field, self._counted[name])
            else:
                _write_indexed(writer, field, self._indexed[name])
            writer.finish_field()
        writer.close()
        segment.set_doc_count(self._docs)
        if segment.should_assemble():
            segment.create_compound_file(self._storage)
        return segment


def _write_counted(writer, field, counted: _Counted) -> None:
    distinct, order, bounds = counted.terms.order()
    docs = np.repeat(np.asarray(counted.docs, dtype=np.uint32), counted.sizes)[order]
    counts = np.frombuffer(counted.counts, dtype=np.uint32).astype(np.int64)[order]
    weights = counts * float(field.format.field_boost)  # ``CountedText.index``
    values = counts.astype(">u4").tobytes()  # ``pack_uint`` of each count: Whoosh's Frequency values
    writer.add_terms([term.encode("utf-8") for term in distinct], docs, weights, values, bounds)


def _write_indexed(writer, field, postings: _Indexed) -> None:
    distinct, order, bounds = postings.terms.order()
    docs = np.asarray(postings.docs, dtype=np.uint32)[order]
    weights = np.asarray(postings.weights, dtype=np.float64)[order]
    values = [postings.values[at] for at in order.tolist()]
    fixed = field.format.fixed_value_size()
    if fixed is not None and fixed >= 0:  # Whoosh's writer joins values of a fixed size
        values = b"".join(values) if fixed else None
    writer.add_terms(distinct, docs, weights, values, bounds)
