"""The W3 codec's posting blocks read straight from the postings file (``whoosh_segments._blocks``)
against Whoosh's public matcher API, for every block shape the codec writes.

The W3 writer keeps 128 postings a block and writes a block's weights in a short form: ``None``
when every weight is 1, one float when all are equal, a tuple otherwise; it compresses a block
with zlib unless told not to. The engine's codec (``whoosh_writer.Codec``) writes blocks of
1,024 postings, not compressed: all 300 postings of a term in one block. ``_blocks`` reads the file a piece at a time, and a block may cross
the end of a piece or be larger than one. (The codec's inlined terms, ``inlinelimit`` above 1,
fail to write in whoosh-reloaded 2.7.5: no index holds them; any matcher without the block fields
is read through the public API, which ``_public`` checks.)
"""
from __future__ import annotations

import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, TEXT, Schema
from whoosh.index import create_in

from searchsvc.engines import whoosh_segments
from searchsvc.engines.whoosh_segments import _block_ids, leaves, positions, postings
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


@pytest.fixture(scope="module", params=[lambda: W3Codec(compression=3), lambda: W3Codec(compression=0), Codec],
                ids=["compressed", "not compressed", "the engine's codec: 1,024 postings a block, not compressed"])
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


@pytest.mark.parametrize("chunk", [1 << 16, 7, 300], ids=["one piece", "a piece shorter than a block's length",
                                                            "blocks across pieces"])
@pytest.mark.parametrize("field", ["flat", "text"])
@pytest.mark.parametrize("term", ["one", "two", "many", "odd", "lonely", "w7", "absent"])
def test_postings_read_as_the_matcher_reads_them(segment, monkeypatch, chunk, field, term):
    monkeypatch.setattr(whoosh_segments, "_CHUNK", chunk)
    ((leaf, _),) = leaves(segment)
    docs, weights = postings(leaf, field, term)
    public_docs, public_weights = _public(monkeypatch, lambda: postings(leaf, field, term))
    assert docs.tolist() == public_docs.tolist()
    assert weights.tolist() == public_weights.tolist()
    expected = [n for n, text in enumerate(_documents()) if term in text.split()]
    assert docs.tolist() == expected
    if term == "many":
        assert weights.tolist() == [n % 3 + 1 for n in expected]


@pytest.mark.parametrize("chunk", [1 << 16, 7], ids=["one piece", "a piece shorter than a block's length"])
@pytest.mark.parametrize("term", ["many", "odd", "lonely", "absent"])
def test_positions_read_as_the_matcher_reads_them(segment, monkeypatch, chunk, term):
    monkeypatch.setattr(whoosh_segments, "_CHUNK", chunk)
    ((leaf, _),) = leaves(segment)
    docs, values = positions(leaf, "text", term)
    public_docs, public_values = _public(monkeypatch, lambda: positions(leaf, "text", term))
    assert docs.tolist() == public_docs.tolist()
    assert values == public_values
    decode = segment.schema["text"].format.decode_positions
    texts = _documents()
    for doc, value in zip(docs.tolist(), values):
        assert decode(value) == [i for i, word in enumerate(texts[doc].split()) if word == term]


@pytest.mark.parametrize("deltas, counts, last_ids, expected", [
    ([(3, 2), (7, 1)], [2, 2], [5, 8], [3, 5, 7, 8]),
    ([(0, 1, 1)], [3], [2], [0, 1, 2]),  # one block, the first document
    ([(4,), (9,), (12,)], [1, 1, 1], [4, 9, 12], [4, 9, 12]),  # blocks of one posting: each first delta absolute
])
def test_block_ids(deltas, counts, last_ids, expected):
    assert _block_ids(deltas, counts, last_ids).tolist() == expected


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
