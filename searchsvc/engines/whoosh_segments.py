"""Reading a Whoosh index's segments into arrays, whatever shape each segment has.

A Whoosh reader hands back different objects for the same call: a segment with no documents
gives ``EmptyColumnReader`` for every column; a column no document of a segment filled is absent
from it; a term may be stored as one block, many blocks, or inlined in its term info (a
``ListMatcher``); a segment with deletions wraps its matchers in a filter. The fast way to read a
column or postings (a block at a time, the column's bytes at once) uses the W3 codec's private
fields; each fast path here first checks that the object it was given has them, and otherwise
reads through Whoosh's public API (one value or posting at a time: slower, the same answer).
``tests/test_whoosh_engine.py`` builds every shape and compares both paths.
"""
from __future__ import annotations

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import byte_to_length

__all__ = ["leaves", "text_column", "number_column", "field_lengths", "postings", "positions"]

# the field length Whoosh's BM25F divides by, from the one byte it keeps (0: no length, read as 1)
_BYTE_LENGTHS = np.array([byte_to_length(b) if b else 1 for b in range(256)], dtype=np.float64)
_BLOCK_FIELDS = ("_data", "_read_data", "_read_weights", "_next_block", "is_active")
_VALUE_FIELDS = ("_read_ids", "_read_values", "_ids", "_values", "_next_block", "is_active")


def leaves(reader) -> list:
    """(segment reader, first document number) of each segment that holds documents."""
    if not reader.doc_count_all():
        return []
    return [(leaf, offset) for leaf, offset in reader.leaf_readers() if leaf.doc_count_all()]


# --- columns ----------------------------------------------------------------------------------------
def text_column(reader, name: str) -> list[str]:
    """The text of a sortable column for every document ("" where a segment lacks it)."""
    values: list[str] = []
    for leaf, _ in leaves(reader):
        count = leaf.doc_count_all()
        if not leaf.has_column(name):
            values += [""] * count
            continue
        column = leaf.column_reader(name, translate=False)
        fast = _var_bytes(column, count)
        values += fast if fast is not None else [_text(v) for v in column]
    return values


def _var_bytes(column, count: int) -> list[str] | None:
    """The values of Whoosh's ``VarBytesColumn`` reader from its bytes, read at once; None for
    any other reader (or one whose fields do not describe ``count`` values)."""
    if not all(hasattr(column, f) for f in ("_offsets", "_lengths", "_dbfile", "_basepos")):
        return None
    starts, lengths = column._offsets, column._lengths
    if len(starts) != count or len(lengths) != count:
        return None
    size = (starts[-1] + lengths[-1]) if count else 0
    data = column._dbfile.get(column._basepos, size) if size else b""
    return [data[s : s + n].decode("utf-8") for s, n in zip(starts, lengths)]


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value or ""


def number_column(reader, name: str) -> np.ndarray:
    """A numeric sortable column for every document (0 where a segment lacks it or a document
    has no value), through Whoosh's public column readers."""
    values: list[int] = []
    for leaf, _ in leaves(reader):
        if leaf.has_column(name):
            values += [int(v or 0) for v in leaf.column_reader(name)]
        else:
            values += [0] * leaf.doc_count_all()
    return np.array(values, dtype=np.int64)


def field_lengths(reader, field: str) -> np.ndarray:
    """Each document's length of ``field`` as Whoosh's BM25F reads it (one byte each, 1 for none)."""
    lengths = [_segment_lengths(leaf, field) for leaf, _ in leaves(reader)]
    return np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.float64)


def _segment_lengths(leaf, field: str) -> np.ndarray:
    count = leaf.doc_count_all()
    codes = _length_bytes(leaf, f"_{field}_len", count)  # where the W3 codec keeps the length bytes
    if codes is not None:
        return _BYTE_LENGTHS[codes]
    return np.array([leaf.doc_field_length(doc, field, 0) or 1 for doc in range(count)], dtype=np.float64)


def _length_bytes(leaf, column_name: str, count: int) -> np.ndarray | None:
    """The length bytes of a segment's documents, read at once from the W3 codec's per-document
    reader (zeros where no document has the field); None where the segment reader has none."""
    perdoc = getattr(leaf, "_perdoc", None)
    if perdoc is None or not (hasattr(perdoc, "has_column") and hasattr(perdoc, "column_reader")):
        return None
    if not perdoc.has_column(column_name):
        return np.zeros(count, dtype=np.uint8)
    codes = np.frombuffer(bytes(perdoc.column_reader(column_name, LENGTHS_COLUMN).load()), dtype=np.uint8)
    return codes if len(codes) == count else None


# --- postings ---------------------------------------------------------------------------------------
def postings(leaf, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers (in the segment, deleted ones included) and weights of a term."""
    if (field, text) not in leaf:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    matcher = _unfiltered(leaf.postings(field, text))
    if all(hasattr(matcher, f) for f in _BLOCK_FIELDS):
        ids, weights = [], []
        while matcher.is_active():  # the W3 codec's blocks: pickled (id deltas, weights, …)
            if matcher._data is None:
                matcher._read_data()
            ids.append(np.cumsum(np.array(matcher._data[0], dtype=np.int64)))
            matcher._read_weights()
            weights.append(np.asarray(matcher._weights, dtype=np.float64))
            matcher._next_block()
        if not ids:  # a term whose every posting was filtered out
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        return np.concatenate(ids), np.concatenate(weights)
    docs, weights = [], []
    while matcher.is_active():
        docs.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(docs, dtype=np.int64), np.array(weights, dtype=np.float64)


def positions(leaf, field: str, text: str, decode) -> dict[int, tuple[int, ...]]:
    """Document (in the segment) -> positions of a term, in a field with positions."""
    if (field, text) not in leaf:
        return {}
    matcher = _unfiltered(leaf.postings(field, text))
    found = {}
    if all(hasattr(matcher, f) for f in _VALUE_FIELDS):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_values()
            for doc, value in zip(matcher._ids, matcher._values):
                found[doc] = tuple(decode(value))
            matcher._next_block()
        return found
    while matcher.is_active():
        found[matcher.id()] = tuple(matcher.value_as("positions"))
        matcher.next()
    return found


def _unfiltered(matcher):
    """The matcher under Whoosh's filter of deleted documents (the caller's live mask drops
    them): its ``child``, if it is such a wrapper."""
    from whoosh.matching.wrappers import FilterMatcher

    return matcher.child if isinstance(matcher, FilterMatcher) else matcher
