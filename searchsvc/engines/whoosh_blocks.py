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
"""
from __future__ import annotations

from array import array

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher, W3PostingsWriter

__all__ = ["ID_TYPE", "WEIGHT_TYPE", "LENGTH_TYPE", "PostingsWriter", "LeafMatcher", "joined_values"]

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


class PostingsWriter(W3PostingsWriter):
    """Whoosh's posting writer, writing a block's document numbers and weights as bytes (term
    vectors, whose ids are terms, as Whoosh writes them)."""

    def _mini_ids(self):
        if self._byteids:
            return super()._mini_ids()
        return np.asarray(self._ids, dtype=ID_TYPE).tobytes()

    def _mini_weights(self):
        weights = super()._mini_weights()  # None, one float or a tuple of all
        return np.asarray(weights, dtype=WEIGHT_TYPE).tobytes() if isinstance(weights, tuple) else weights

    def _mini_values(self):
        values = super()._mini_values()  # None, the values joined (fixed size) or a tuple of all
        if not isinstance(values, tuple):
            return values
        return [np.fromiter(map(len, values), dtype=LENGTH_TYPE, count=len(values)).tobytes(), b"".join(values)]


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
