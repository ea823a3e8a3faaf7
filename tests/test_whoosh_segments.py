"""The W3 codec's posting blocks read straight from the postings file (``whoosh_segments._blocks``)
against Whoosh's public matcher API, for every block shape the codec writes.

The W3 writer keeps 128 postings a block and writes a block's weights in a short form: ``None``
when every weight is 1, one float when all are equal, a tuple otherwise; it compresses a block
with zlib unless told not to. The engine's codec (``whoosh_writer.Codec``) writes blocks of
1,024 postings, not compressed (all 300 postings of a term in one block), with their document
numbers and unequal weights as bytes (``whoosh_blocks``), which Whoosh's matcher reads through the
codec's ``LeafMatcher``; it is also run with Whoosh's 128 postings a block. A term's blocks are
read at once, where its term info says they are (``_extent``). (The codec's inlined terms,
``inlinelimit`` above 1, fail to write in whoosh-reloaded 2.7.5: no index holds them; a segment
reader without the W3 terms reader's fields is read through the public API, which ``_public``
checks.)
"""
from __future__ import annotations

import numpy as np
import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, TEXT, Schema
from whoosh.index import create_in

from searchsvc.engines import whoosh_segments
from searchsvc.engines.whoosh_segments import _block_docs, _block_weights, leaves, positions, postings
from searchsvc.engines.whoosh_blocks import LeafMatcher, joined_values
from searchsvc.engines.whoosh_writer import Codec


def _documents() -> list[str]:
    """300 texts (more than two blocks of 128): "one" once in each (weights 1: ``None``), "two"
    twice in each (all equal: one float), "many" 1 to 3 times (a tuple), "odd" in every third,
    "lonely" in one text only (a block of one posting)."""
    texts = []
    for n in range(300):
        words = ["one", "two", "two"] + ["many"] * (n % 3 + 1) + (["odd"] if n % 3 == 0 else [])
        words += ["lonely"] if n == 150 else []
        texts.append(" ".join(words + [f"w{n}"]))
    return texts


@pytest.fixture(scope="module", params=[lambda: W3Codec(compression=3), lambda: W3Codec(compression=0), Codec,
                                        lambda: Codec(blocklimit=128)],
                ids=["compressed", "not compressed", "the engine's codec: 1,024 postings a block, not compressed",
                     "the engine's codec with Whoosh's 128 postings a block: ids and weights as bytes in many blocks"])
def segment(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("blocks")
    ix = create_in(str(path), Schema(id=ID(stored=True), flat=TEXT(phrase=False), text=TEXT))
    writer = ix.writer(codec=request.param())
    for n, text in enumerate(_documents()):
        writer.add_document(id=str(n), flat=text, text=text)
    writer.commit()
    searcher = ix.searcher()
    yield searcher.reader()
    searcher.close()


def _public(monkeypatch, read):
    """What ``read`` gives with the fast path turned off (Whoosh's matcher, one posting at a time)."""
    with monkeypatch.context() as patched:
        patched.setattr(whoosh_segments, "_BLOCK_FIELDS", ("no such field",))
        return read()


@pytest.mark.parametrize("field", ["flat", "text"])
@pytest.mark.parametrize("term", ["one", "two", "many", "odd", "lonely", "w7", "absent"])
def test_postings_read_as_the_matcher_reads_them(segment, monkeypatch, field, term):
    ((leaf, _),) = leaves(segment)
    assert (whoosh_segments._extent(leaf, field, term) == b"") == (term == "absent")  # the fast path, in one read
    docs, weights = postings(leaf, field, term)
    public_docs, public_weights = _public(monkeypatch, lambda: postings(leaf, field, term))
    assert docs.tolist() == public_docs.tolist()
    assert weights.tolist() == public_weights.tolist()
    expected = [n for n, text in enumerate(_documents()) if term in text.split()]
    assert docs.tolist() == expected
    if term == "many":
        assert weights.tolist() == [n % 3 + 1 for n in expected]


@pytest.mark.parametrize("term", ["many", "odd", "lonely", "absent"])
def test_positions_read_as_the_matcher_reads_them(segment, monkeypatch, term):
    ((leaf, _),) = leaves(segment)
    docs, joined, starts = positions(leaf, "text", term)
    public_docs, public_joined, public_starts = _public(monkeypatch, lambda: positions(leaf, "text", term))
    assert docs.tolist() == public_docs.tolist()
    assert (joined, starts.tolist()) == (public_joined, public_starts.tolist())
    assert len(starts) == len(docs) + 1
    decode = segment.schema["text"].format.decode_positions
    texts = _documents()
    for doc, start, end in zip(docs.tolist(), starts.tolist(), starts[1:].tolist()):
        assert decode(joined[start:end]) == [i for i, word in enumerate(texts[doc].split()) if word == term]


@pytest.mark.parametrize("as_read", [True, False], ids=["length as whoosh-reloaded reads it: a 1-tuple", "length as a number"])
def test_a_terms_blocks_are_read_where_its_info_says(segment, monkeypatch, as_read):
    """``_extent`` reads a term's blocks in one piece from its term info's (offset, length),
    whichever form the length has; what it reads starts after the W3 header and holds every posting."""
    ((leaf, _),) = leaves(segment)
    info = leaf.term_info("text", "many")
    _, length = info.extent()
    number = length[0] if isinstance(length, tuple) else length
    info._length = (number,) if as_read else number
    monkeypatch.setattr(leaf, "term_info", lambda field, text: info)
    data = whoosh_segments._extent(leaf, "text", "many")
    assert len(data) == number - 4
    assert sum(block_info[0] for block_info, _ in whoosh_segments._blocks(data)) == 300


def test_each_codec_writes_its_block_form(segment):
    """The engine's codec writes a block's ids and (unequal) weights as bytes; Whoosh's codec as
    tuples: both forms are present in the segments the tests above read."""
    ((leaf, _),) = leaves(segment)
    matcher = whoosh_segments._matcher(leaf, "text", "many")
    blocks = list(whoosh_segments._blocks(whoosh_segments._extent(leaf, "text", "many")))
    engines = isinstance(segment.codec(), Codec)
    assert isinstance(matcher, LeafMatcher) == engines
    assert sum(info[0] for info, _ in blocks) == 300 and len(blocks) == (1 if segment.codec()._blocklimit > 300 else 3)
    for _, (ids, weights, values) in blocks:
        assert isinstance(ids, bytes if engines else tuple)
        assert isinstance(weights, bytes if engines else tuple)
        assert isinstance(values, list if engines else tuple)  # positions: values of varying size
    for _, (_, _, values) in whoosh_segments._blocks(whoosh_segments._extent(leaf, "flat", "many")):
        assert isinstance(values, bytes)  # frequencies: values of one size, joined by Whoosh's codec and the engine's


@pytest.mark.parametrize("values, joined, starts", [
    ((b"ab", b"", b"c"), b"abc", [0, 2, 2, 3]),  # Whoosh's form: a tuple of values (one empty)
    ([np.array([2, 0, 1], dtype="<u4").tobytes(), b"abc"], b"abc", [0, 2, 2, 3]),  # the engine's: [lengths, joined]
    ((b"xyz",), b"xyz", [0, 3]),  # a block of one posting
    ([np.array([300], dtype="<u4").tobytes(), b"p" * 300], b"p" * 300, [0, 300]),  # a length above one byte
])
def test_joined_values(values, joined, starts):
    assert [joined_values(values)[0], joined_values(values)[1].tolist()] == [joined, starts]


@pytest.mark.parametrize("parts, joined, starts", [
    ([], b"", [0]),  # no segment holds the term
    ([(b"ab", np.array([0, 1, 2]))], b"ab", [0, 1, 2]),
    ([(b"ab", np.array([0, 1, 2])), (b"", np.array([0])), (b"cde", np.array([0, 3]))], b"abcde", [0, 1, 2, 5]),  # a part without values
])
def test_join_values(parts, joined, starts):
    result = whoosh_segments.join_values(parts)
    assert [result[0], result[1].tolist()] == [joined, starts]


@pytest.mark.parametrize("ids, count, expected", [
    ((3, 2, 4), 3, [3, 5, 9]),  # Whoosh's form: deltas, the first from 0
    ((0, 1, 1), 3, [0, 1, 2]),  # the first document of the segment
    ((12,), 1, [12]),  # a block of one posting
    (bytes([7, 0, 0, 0, 9, 1, 0, 0]), 2, [7, 265]),  # the engine's form: absolute numbers, 4 bytes little-endian
    ((0xFFFFFFFF).to_bytes(4, "little"), 1, [0xFFFFFFFF]),  # unsigned: the largest number Whoosh's array("I") holds
])
def test_block_docs(ids, count, expected):
    assert _block_docs(ids, count).tolist() == expected


@pytest.mark.parametrize("weights, count, expected", [
    (None, 3, [1.0, 1.0, 1.0]),  # every weight 1
    (2.0, 2, [2.0, 2.0]),  # all equal: one float
    ((1.0, 3.0, 2.0), 3, [1.0, 3.0, 2.0]),  # Whoosh's form: a tuple
    (np.array([1.0, 3.0, 0.1], dtype="<f4").tobytes(), 3, [1.0, 3.0, float(np.float32(0.1))]),  # the engine's: 32-bit floats, as Whoosh keeps them
])
def test_block_weights(weights, count, expected):
    assert _block_weights(weights, count).tolist() == expected


@pytest.mark.parametrize("field", ["flat", "text"])
def test_length_bytes_read_as_the_column_reads_them(segment, field):
    """A length column read at once equals Whoosh's column reader; documents after the last one
    written (the writer leaves defaults out) read as the default."""
    ((leaf, _),) = leaves(segment)
    count = leaf.doc_count_all()
    column = leaf._perdoc.column_reader(f"_{field}_len", whoosh_segments.LENGTHS_COLUMN)
    fast = whoosh_segments._numeric_column(column, count)
    assert fast is not None
    assert fast.tolist() == list(column.load())
    longer = whoosh_segments._numeric_column(column, count + 3)  # as if three documents without the field followed
    assert longer.tolist() == list(column.load()) + [0, 0, 0]
    assert whoosh_segments._numeric_column(object(), count) is None  # another reader: the public path


def test_number_columns_read_as_the_column_reads_them(tmp_path):
    """A numeric sortable column (Whoosh stores it shifted to sort as unsigned) read at once and
    translated once per distinct value equals Whoosh's translating reader, documents without a
    value included (the field's default), and negative numbers."""
    from whoosh.fields import NUMERIC

    ix = create_in(str(tmp_path), Schema(n=NUMERIC(sortable=True), wide=NUMERIC(bits=64, sortable=True), t=TEXT))
    writer = ix.writer()
    for number in range(40):
        fields = {"t": "x"} if number % 7 == 0 else {"n": number * 37 - 500, "wide": number << 40}
        writer.add_document(**fields)
    writer.add_document(t="last without numbers")
    writer.commit()
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for name in ("n", "wide"):
            ((leaf, _),) = leaves(reader)
            assert whoosh_segments._numeric_column(leaf.column_reader(name, translate=False), leaf.doc_count_all()) is not None
            public = _public_column(reader, name)
            assert whoosh_segments.number_column(reader, name).tolist() == public
            assert public[1] == (37 - 500 if name == "n" else 1 << 40)


def _public_column(reader, name: str) -> list[int]:
    return [int(v or 0) for leaf, _ in leaves(reader) for v in leaf.column_reader(name)]
