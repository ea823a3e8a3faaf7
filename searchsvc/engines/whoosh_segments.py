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

import io
import pickle
import zlib

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE, unpack_int
from whoosh.util.numeric import byte_to_length

from .whoosh_blocks import ID_TYPE, WEIGHT_TYPE, joined_values

__all__ = ["leaves", "text_column", "number_column", "field_lengths", "postings", "positions", "join_values"]

# the field length Whoosh's BM25F divides by, from the one byte it keeps (0: no length, read as 1)
_BYTE_LENGTHS = np.array([byte_to_length(b) if b else 1 for b in range(256)], dtype=np.float64)
_BLOCK_FIELDS = ("_postfile",)  # the W3 terms reader's postings file (``_extent``)
# struct's type codes of fixed size (as ``NumericColumn`` packs them, "!"): NumPy's big-endian types
_NUMERIC_TYPES = {code: np.dtype(">" + code) for code in "bBhHiIqQ"}


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
    has no value): the column's raw numbers read at once (``_numeric_column``), each distinct one
    translated by the field as Whoosh's column reader translates it; else through that reader."""
    values: list[np.ndarray] = []
    for leaf, _ in leaves(reader):
        count = leaf.doc_count_all()
        raw = _numeric_column(leaf.column_reader(name, translate=False), count) if leaf.has_column(name) else None
        if raw is not None:
            distinct, inverse = np.unique(raw, return_inverse=True)
            translate = reader.schema[name].from_column_value
            numbers = np.array([int(translate(v) or 0) for v in distinct.tolist()], dtype=np.int64)
            values.append(numbers[inverse.reshape(-1)])
        elif leaf.has_column(name):
            values.append(np.array([int(v or 0) for v in leaf.column_reader(name)], dtype=np.int64))
        else:
            values.append(np.zeros(count, dtype=np.int64))
    return np.concatenate(values) if values else np.zeros(0, dtype=np.int64)


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
    column = perdoc.column_reader(column_name, LENGTHS_COLUMN)
    codes = _numeric_column(column, count)
    if codes is None:
        codes = np.frombuffer(bytes(column.load()), dtype=np.uint8)
    return codes if len(codes) == count else None


def _numeric_column(column, count: int) -> np.ndarray | None:
    """The raw values of Whoosh's ``NumericColumn`` reader (fixed-size big-endian numbers of the
    first ``_count`` documents, the default for the documents after them), read at once; None
    for any other reader."""
    if not all(hasattr(column, f) for f in ("_dbfile", "_basepos", "_count", "_fixedlen", "_defaultbytes", "_typecode")):
        return None
    dtype = _NUMERIC_TYPES.get(column._typecode)
    if dtype is None or dtype.itemsize != column._fixedlen or not 0 <= column._count <= count:
        return None
    data = column._dbfile.get(column._basepos, column._count * column._fixedlen) if column._count else b""
    return np.frombuffer(data + column._defaultbytes * (count - column._count), dtype=dtype)


# --- postings ---------------------------------------------------------------------------------------
def postings(leaf, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers (in the segment, deleted ones included) and weights of a term."""
    data = _extent(leaf, field, text)
    if data is not None:
        docs, weights = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.float64)]
        for (count, *_), (ids, block_weights, _) in _blocks(data):
            docs.append(_block_docs(ids, count))
            weights.append(_block_weights(block_weights, count))
        return np.concatenate(docs).astype(np.int64), np.concatenate(weights)
    matcher = _matcher(leaf, field, text)
    docs, weights = [], []
    while matcher is not None and matcher.is_active():
        docs.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.array(docs, dtype=np.int64), np.array(weights, dtype=np.float64)


def positions(leaf, field: str, text: str) -> tuple[np.ndarray, bytes, np.ndarray]:
    """Document numbers (in the segment) of a term in a field with positions, each one's encoded
    value (what the field format's ``decode_positions`` reads) joined into one byte string, and
    where each value starts in it (one more than documents): decoding, even cutting the values
    apart, is left to the few documents a phrase asks about."""
    size = leaf.schema[field].format.fixed_value_size()
    data = _extent(leaf, field, text) if size is None or size < 0 else None  # values of varying size
    if data is not None:
        docs, values = [np.zeros(0, dtype=np.int64)], []
        for (count, *_), (ids, _, block_values) in _blocks(data):
            docs.append(_block_docs(ids, count))
            values.append(joined_values(block_values))
        return (np.concatenate(docs).astype(np.int64), *join_values(values))
    matcher = _matcher(leaf, field, text)
    docs, values = [], []
    while matcher is not None and matcher.is_active():
        docs.append(matcher.id())
        values.append(matcher.value())
        matcher.next()
    return (np.array(docs, dtype=np.int64), *joined_values(tuple(values)))


def join_values(parts: list[tuple[bytes, np.ndarray]]) -> tuple[bytes, np.ndarray]:
    """Values joined (with where each one starts, ``joined_values``), from parts joined so.

    >>> join_values([(b"ab", np.array([0, 1, 2])), (b"cde", np.array([0, 3]))])
    (b'abcde', array([0, 1, 2, 5]))
    """
    if not parts:
        return b"", np.zeros(1, dtype=np.int64)
    offsets = np.cumsum([0] + [len(joined) for joined, _ in parts])
    starts = [part_starts[:-1] + offset for (_, part_starts), offset in zip(parts, offsets.tolist())]
    return b"".join(joined for joined, _ in parts), np.concatenate(starts + [offsets[-1:]])


def _extent(leaf, field: str, text: str) -> bytes | None:
    """The W3 codec's posting blocks of a term in a segment, read at once (its term info gives
    where they are and how long: one lookup, one read, not the matcher's reads block by block);
    b"" where the segment lacks the term; None where the postings are not so stored (inlined in
    the term info, another codec, a segment reader without the W3 terms reader's fields): those
    are read through Whoosh's matcher."""
    terms = getattr(leaf, "_terms", None)
    if not all(hasattr(terms, f) for f in _BLOCK_FIELDS):
        return None
    try:
        info = leaf.term_info(field, text)
    except TermNotFound:
        return b""
    if not all(hasattr(info, f) for f in ("extent", "is_inlined")) or info.is_inlined():
        return None
    offset, length = info.extent()
    if isinstance(length, tuple):  # whoosh-reloaded 2.7.5 reads a term info's length as ``struct.unpack`` gives it
        (length,) = length
    data = terms._postfile.get(offset, length)
    return data[len(WHOOSH3_HEADER_MAGIC):] if data[:len(WHOOSH3_HEADER_MAGIC)] == WHOOSH3_HEADER_MAGIC else None


def _blocks(data: bytes):
    """The blocks of a W3 posting list as the codec wrote them (``W3PostingsWriter._write_block``):
    (info tuple: count, last id, max weight, compression, …) and (ids, weights, values:
    ``_block_docs``, ``_block_weights``, ``whoosh_blocks.joined_values``)."""
    stream, position = io.BytesIO(data), 0
    while position < len(data):
        length = unpack_int(data[position:position + _INT_SIZE])[0]
        end = position + _INT_SIZE + abs(length)
        stream.seek(position + _INT_SIZE)
        info = pickle.load(stream)
        block = data[stream.tell():end]
        yield info, pickle.loads(zlib.decompress(block) if info[3] else block)
        if length < 0:  # the last block is written with a negative length
            return
        position = end


def _block_docs(ids, count: int) -> np.ndarray:
    """A block's document numbers: the engine's codec writes them as bytes (``whoosh_blocks``),
    Whoosh's as a tuple of deltas, the first one from 0.

    >>> _block_docs((3, 2, 4), 3).tolist(), _block_docs(bytes([7, 0, 0, 0, 9, 1, 0, 0]), 2).tolist()
    ([3, 5, 9], [7, 265])
    """
    if isinstance(ids, bytes):
        return np.frombuffer(ids, dtype=ID_TYPE)
    return np.cumsum(np.fromiter(ids, dtype=np.int64, count=count))


def _block_weights(weights, count: int) -> np.ndarray:
    """A block's weights from the forms the codecs write them in: None when every weight is 1,
    one float when all are equal, bytes (``whoosh_blocks``), a tuple (Whoosh's codec)."""
    if weights is None:
        return np.ones(count)
    if isinstance(weights, float):
        return np.full(count, weights)
    if isinstance(weights, bytes):
        return np.frombuffer(weights, dtype=WEIGHT_TYPE).astype(np.float64)
    return np.fromiter(weights, dtype=np.float64, count=count)


def _matcher(leaf, field: str, text: str):
    """The term's matcher in a segment (``_unfiltered``), None where the segment lacks the term."""
    try:
        return _unfiltered(leaf.postings(field, text))
    except TermNotFound:
        return None


def _unfiltered(matcher):
    """The matcher under Whoosh's filter of deleted documents (the caller's live mask drops
    them): its ``child``, if it is such a wrapper, back at its first posting (the filter moved it
    past the deleted documents it starts with)."""
    from whoosh.matching.wrappers import FilterMatcher

    if not isinstance(matcher, FilterMatcher):
        return matcher
    matcher.child.reset()
    return matcher.child
