"""The Whoosh engine's posting blocks: document numbers and weights as arrays of bytes.

Whoosh's W3 codec writes a block of postings as one pickled tuple (ids, weights, values): the
ids as a tuple of Python ints (deltas), the weights as a tuple of floats. Unpickling them number
by number and turning them into arrays was most of a cold query's time (about 160 ns a posting;
a multi-word query reads ~300,000 postings at 2,000 reports). The engine's codec
(``whoosh_writer.Codec``) writes, in the same pickled tuple, the block's document numbers as
``<u4`` bytes (absolute, not deltas) and its weights as ``<f4`` bytes: the same 32-bit values
Whoosh keeps in its ``array("f")``. A block is then read with ``np.frombuffer``
(``whoosh_segments``). Whoosh's short forms of the weights (None when all are 1, one float when
all are equal) are kept. Values of varying size (a heading's encoded positions, one per posting,
which Whoosh writes as a tuple of byte strings: ~380 ns a posting to unpickle, even when only
the weights are wanted) are written as a list ``[lengths as <u4 bytes, the values joined]``:
a block is read at once, each value cut out only when asked for (``values_of``). Fixed-size
values (a body's frequencies) stay Whoosh's joined bytes.

Whoosh's own matchers (its searcher, merging segments) read these blocks through ``LeafMatcher``,
which the codec hands out; blocks in Whoosh's form (an index written before) read as before.
These classes use the W3 codec's private fields (``_ids``, ``_weights``, ``_byteids``, ``_data``)
of whoosh-reloaded 2.7.5; ``tests/test_whoosh_segments.py`` reads every block shape through
Whoosh's matcher and through the engine's reader.

A full build writes a field's terms at once (``write_terms``, for ``whoosh_build``): the blocks
and term infos Whoosh's writer makes posting by posting, made from arrays, their statistics
counted by NumPy for every block at once. ``tests/test_whoosh_build.py`` checks that a segment
written so is byte for byte the one Whoosh's ``SegmentWriter`` writes, for every shape.
"""
from __future__ import annotations

import zlib
from array import array
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher, W3PostingsWriter, W3TermInfo
from whoosh.system import pack_int
from whoosh.util.numeric import length_to_byte

__all__ = ["ID_TYPE", "WEIGHT_TYPE", "LENGTH_TYPE", "PostingsWriter", "LeafMatcher", "joined_values", "write_terms"]

ID_TYPE = np.dtype("<u4")  # a block's document numbers (Whoosh's writer keeps them in an ``array("I")``)
WEIGHT_TYPE = np.dtype("<f4")  # a block's weights (Whoosh's writer keeps them in an ``array("f")``)
LENGTH_TYPE = np.dtype("<u4")  # the length of each value of varying size


def joined_values(values) -> tuple[bytes, np.ndarray]:
    """(every value joined, where each one starts: one more than values) of a block's values of
    varying size, in either form: the engine's list, or Whoosh's tuple of byte strings.

    >>> joined_values([np.array([2, 0, 1], dtype="<u4").tobytes(), b"abc"])
    (b'abc', array([0, 2, 2, 3]))
    >>> joined_values((b"ab", b"", b"c"))
    (b'abc', array([0, 2, 2, 3]))
    """
    if isinstance(values, list):
        lengths, joined = values
        lengths = np.frombuffer(lengths, dtype=LENGTH_TYPE)
    else:
        joined, lengths = b"".join(values), np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    return joined, starts


DATA_PROTOCOL = 5  # a block's (ids, weights, values): protocol 2 pickles bytes as latin-1 text, 5x slower both ways
_NO_LENGTHS = (length_to_byte(None), length_to_byte(0))  # a block's (shortest, longest) field length when none is given


def _block(ids, weights, values, count: int, last_id, highest, compression: int, lengths: tuple[int, int], last: bool) -> bytes:
    """One block of a posting list as ``W3PostingsWriter._write_block`` writes it: its length
    (negative for a term's last block), its info tuple (count, last id, highest weight,
    compression, shortest and longest field length as bytes), its data (ids, weights, values);
    the data pickled with ``DATA_PROTOCOL`` (Whoosh's reader loads any)."""
    data = dumps((ids, weights, values), DATA_PROTOCOL)
    if compression:
        data = zlib.compress(data, compression)
    info = dumps((count, last_id, highest, compression, *lengths), 2)
    length = len(info) + len(data)
    return pack_int(-length if last else length) + info + data


class PostingsWriter(W3PostingsWriter):
    """Whoosh's posting writer, writing a block's document numbers and weights as bytes (term
    vectors, whose ids are terms, as Whoosh writes them), its data pickled with ``DATA_PROTOCOL``."""

    def _write_block(self, last=False):
        if not self._blockcount:  # a term's first block: Whoosh's header first
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        lengths = (length_to_byte(self._minlength), length_to_byte(self._maxlength))
        self._postfile.write(_block(self._mini_ids(), self._mini_weights(), self._mini_values(), len(self._ids), self._ids[-1],
                                    self._maxweight, self._compression, lengths, last))
        self._blockcount += 1
        self._new_block()

    def _mini_ids(self):
        if self._byteids:
            return super()._mini_ids()
        return np.asarray(self._ids, dtype=ID_TYPE).tobytes()

    def _mini_weights(self):
        weights = super()._mini_weights()  # None, one float or a tuple of all
        return np.asarray(weights, dtype=WEIGHT_TYPE).tobytes() if isinstance(weights, tuple) else weights

    def _mini_values(self):
        values = super()._mini_values()  # None, the values joined (fixed size) or a tuple of all
        return _varying(values) if isinstance(values, tuple) else values


def _varying(values) -> list[bytes]:
    """A block's values of varying size as the engine writes them: [lengths, the values joined]."""
    return [np.fromiter(map(len, values), dtype=LENGTH_TYPE, count=len(values)).tobytes(), b"".join(values)]



def write_terms(postfile, table, prefix: bytes, terms: list[bytes], docs: np.ndarray, weights: np.ndarray,
                values: bytes | list[bytes] | None, bounds: np.ndarray, blocklimit: int) -> None:
    """Write the postings of a field's ``terms`` (ascending) to ``postfile`` and their term
    infos to ``table`` under ``prefix`` + term, as ``PostingsWriter`` and Whoosh's field writer
    write them after ``add_posting`` one by one (no lengths, not compressed, none inlined).

    The postings are in term order, then document order: term *i* has ``bounds[i]`` up to
    ``bounds[i + 1]``; ``weights`` as ``add_posting`` gets them (float64); ``values`` joined
    (fixed size), None (size 0) or a list (varying size)."""
    sizes = np.diff(bounds)
    blocks = -(-sizes // blocklimit)  # of each term
    term_of_block = np.repeat(np.arange(len(terms)), blocks)
    starts = bounds[:-1][term_of_block] + (np.arange(len(term_of_block)) - (np.cumsum(blocks) - blocks)[term_of_block]) * blocklimit
    ends = np.minimum(starts + blocklimit, bounds[1:][term_of_block])
    stored = weights.astype(np.float32)  # what Whoosh's array("f") keeps
    highest = np.maximum.reduceat(weights, starts)
    all_one = np.logical_and.reduceat(stored == 1.0, starts)
    all_equal = np.logical_and.reduceat(stored == np.repeat(stored[starts], ends - starts), starts)
    # a block's weights: None (all 1), one float (all equal), else as bytes (``PostingsWriter._mini_weights``)
    short = np.where(all_one, 0, np.where(all_equal, 1, 2)).tolist()
    exact = _integral(stored)  # sums of whole numbers are exact in any order: NumPy's, else Whoosh's own
    totals = np.add.reduceat(stored.astype(np.float64), bounds[:-1]).tolist() if exact else [0.0] * len(terms)
    ids, weight_bytes = docs.astype(ID_TYPE).tobytes(), stored.astype(WEIGHT_TYPE).tobytes()
    size = len(values) // len(docs) if isinstance(values, bytes) else 0
    firsts, lasts = docs[bounds[:-1]].tolist(), docs[bounds[1:] - 1].tolist()  # of each term
    block_lasts, block_weights = docs[ends - 1].tolist(), stored[starts].tolist()
    starts, ends, highest = starts.tolist(), ends.tolist(), highest.tolist()
    offset, following = postfile.tell(), 0  # the first block of the next term
    rows = zip(terms, bounds[:-1].tolist(), bounds[1:].tolist(), blocks.tolist(), totals, firsts, lasts)
    for term, first, last, count, weight, first_id, last_id in rows:
        parts, most, weight = [WHOOSH3_HEADER_MAGIC], 0, weight if exact else 0
        for block in range(following, following + count):
            start, end, form = starts[block], ends[block], short[block]
            mini_weights = None if form == 0 else block_weights[block] if form == 1 else weight_bytes[start * 4:end * 4]
            if values is None or isinstance(values, bytes):
                mini_values = values[start * size:end * size] if size else None
            else:
                mini_values = _varying([value for value in values[start:end] if value])
            if not exact:
                weight += sum(stored[start:end].tolist())  # ``W3TermInfo.add_block``
            top = highest[block]
            top = top if top > 0 else 0  # ``add_posting`` keeps the highest weight above 0
            most = max(most, top)
            parts.append(_block(ids[start * 4:end * 4], mini_weights, mini_values, end - start, block_lasts[block], top, 0,
                                _NO_LENGTHS, end == last))
        following += count
        written = b"".join(parts)
        postfile.write(written)
        terminfo = W3TermInfo(weight=weight, df=last - first, maxweight=most, minid=first_id, maxid=last_id)
        terminfo.set_extent(offset, len(written))
        table.add(prefix + term, terminfo.to_bytes())
        offset += len(written)


def _integral(weights: np.ndarray) -> bool:
    """Whether the weights are whole numbers, whose sums are exact in any order (Whoosh sums a
    term's weights one by one)."""
    return bool(np.all(weights == np.round(weights)))


class LeafMatcher(W3LeafMatcher):
    """Whoosh's block matcher, reading blocks of either form."""

    def _part(self, index: int):
        """The block's ids (0), weights (1) or values (2) as written."""
        if self._data is None:
            self._read_data()
        return self._data[index]

    def _read_ids(self):
        ids = self._part(0)
        if isinstance(ids, bytes) and not self._byteids:
            self._ids = tuple(np.frombuffer(ids, dtype=ID_TYPE).tolist())
        else:
            super()._read_ids()

    def _read_weights(self):
        weights = self._part(1)
        if isinstance(weights, bytes):
            self._weights = array("f", np.frombuffer(weights, dtype=WEIGHT_TYPE).tolist())
        else:
            super()._read_weights()

    def _read_values(self):
        values = self._part(2)
        if isinstance(values, list):
            joined, starts = joined_values(values)
            bounds = starts.tolist()
            self._values = tuple(joined[start:end] for start, end in zip(bounds, bounds[1:]))
        else:
            super()._read_values()
