"""A full build's segments (``whoosh_build.SegmentBuilder``) are, byte for byte, the segments
Whoosh's own ``SegmentWriter`` writes from the same documents with the same codec: every file of
the compound segment (terms, postings, stored fields, columns, field lengths), the document
count and the field lengths listed in the table of segments.

``SegmentBuilder`` hands a field's terms to the codec's field writer at once
(``whoosh_blocks.write_terms``), which builds the blocks and term infos Whoosh builds posting by
posting, from Whoosh 2.7.5's private fields; these tests hold it to Whoosh's own writer for every
shape it writes: weights all 1, all equal, unequal, whole or not; values of a fixed size, none,
of varying size (positions) and empty; terms of one posting, of a block less one, a block, a
block and one, several blocks; documents without some fields, with empty values, with a stored
value of their own; and, through the same calls, Whoosh's own writer when the fast path does not
apply (a compressing codec).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, strategies as st
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema, UnknownFieldError
from whoosh.index import create_in

from searchsvc.analysis import EXACT
from searchsvc.engines import whoosh_build
from searchsvc.engines.whoosh_build import SegmentBuilder, _stable_order, check_schema
from searchsvc.engines.whoosh_engine import prepare
from searchsvc.engines.whoosh_writer import Codec, worker_writer
from searchsvc.schema import CountedText, build_schema, section_documents


def _files(storage, segment) -> dict[str, bytes]:
    """Every file of a compound segment by name (its random id replaced)."""
    compound = segment.open_compound_file(storage)
    try:
        return {name.replace(segment.segid, "ID"): compound.open_file(name).read() for name in compound.list()}
    finally:
        compound.close()


def _whoosh_segment(path: Path, schema, documents: list[dict], codec):
    path.mkdir(exist_ok=True)
    ix = create_in(str(path), schema)
    writer = ix.writer(codec=codec)
    for document in documents:
        writer.add_document(**document)
    writer.commit(merge=False)
    (segment,) = ix._segments()
    return ix.storage, segment


def _built_segments(path: Path, schema, documents: list[dict], codec, limit: int | None = None):
    path.mkdir(exist_ok=True)
    ix = create_in(str(path), schema)
    builder = SegmentBuilder(path, codec, limit=limit)
    for document in documents:
        builder.add(document)
    return ix.storage, builder.finish()


def _assert_same_segment(tmp_path, schema, documents, codec_factory):
    storage, expected = _whoosh_segment(tmp_path / "whoosh", schema, documents, codec_factory())
    built_storage, segments = _built_segments(tmp_path / "built", schema, documents, codec_factory())
    assert len(segments) == 1
    (built,) = segments
    assert built.doc_count_all() == expected.doc_count_all() == len(documents)
    assert built._fieldlengths == expected._fieldlengths  # listed in the table of segments
    ours, whoosh = _files(built_storage, built), _files(storage, expected)
    assert sorted(ours) == sorted(whoosh)
    assert [name for name in whoosh if ours[name] != whoosh[name]] == []


CODECS = [Codec, lambda: Codec(blocklimit=4), lambda: Codec(compression=3)]
CODEC_IDS = ["the engine's codec", "4 postings a block (terms of many blocks)", "compressed (Whoosh's own writer, term by term)"]


@pytest.mark.parametrize("codec", CODECS, ids=CODEC_IDS)
def test_seed_report_sections_are_written_as_whoosh_writes_them(tmp_path, seed_reports, codec):
    documents = [prepare(document) for report in seed_reports.values() for document in section_documents(report)]
    _assert_same_segment(tmp_path, build_schema(), documents, codec)


def _shapes_schema() -> Schema:
    counted = CountedText(EXACT, stored=True)
    fractional = CountedText(EXACT)
    fractional.format.field_boost = 0.3  # weights that are not whole numbers: sums in Whoosh's order
    return Schema(
        counted=counted, fractional=fractional,
        text=TEXT(stored=True, field_boost=2.0),  # positions: values of varying size
        flat=TEXT(phrase=False),  # frequencies: values of a fixed size
        key=KEYWORD(commas=True, scorable=True), ident=ID(stored=True, sortable=True),  # no values
        number=NUMERIC(stored=True, sortable=True), note=STORED,
    )


def _shapes() -> list[dict]:
    """Terms of 1, 3, 4, 5 and 11 postings (4 a block); weights all 1, all 2, unequal."""
    documents = []
    for n in range(11):
        words = ["every"] + ["twice", "twice"] + ["many"] * (n % 3 + 1) + (["third"] if n % 3 == 0 else [])
        words += ["three"] if n < 3 else []
        words += ["four"] if n < 4 else []
        words += ["five"] if n < 5 else []
        words += ["lonely"] if n == 7 else []
        document = {"counted": dict(zip(words, [words.count(w) for w in words])),
                    "fractional": {w: words.count(w) for w in words},
                    "text": " ".join(words), "flat": " ".join(words), "key": ",".join(sorted(set(words))),
                    "ident": f"doc{n}", "number": n * 7, "note": {"n": n}}
        if n == 2:
            document["text"] = ""  # an empty value: no postings, length 0
        if n == 3:
            document["_stored_counted"] = "stored as given"
        if n == 5:
            for name in ("key", "flat", "number"):  # fields a document lacks
                del document[name]
        if n == 6:
            document["counted"] = {}  # counted, without terms
        documents.append(document)
    return documents


@pytest.mark.parametrize("codec", CODECS, ids=CODEC_IDS)
def test_every_shape_is_written_as_whoosh_writes_it(tmp_path, codec):
    _assert_same_segment(tmp_path, _shapes_schema(), _shapes(), codec)


def test_a_builder_starts_another_segment_when_its_postings_reach_the_limit(tmp_path):
    storage, segments = _built_segments(tmp_path, _shapes_schema(), _shapes(), Codec(), limit=40)
    assert len(segments) > 2
    assert sum(segment.doc_count_all() for segment in segments) == len(_shapes())
    assert all(segment.doc_count_all() for segment in segments)


def test_a_builder_without_documents_writes_no_segment(tmp_path):
    create_in(str(tmp_path), build_schema())
    assert worker_writer(tmp_path).finish() == []
    builder = worker_writer(tmp_path)
    builder.add(prepare(section_documents(_one_report())[0]))
    assert len(builder.finish()) == 1


def _one_report():
    from searchsvc.ingest import read_report

    return read_report(sorted((Path(__file__).resolve().parent.parent / "corpus").glob("*.txt"))[0])


@pytest.mark.parametrize("field, why", [
    (TEXT(vector=True), "term vectors"),
    (TEXT(analyzer=__import__("whoosh.analysis", fromlist=["StemmingAnalyzer"]).StemmingAnalyzer(), spelling=True),
     "a stemmed field's spelling words, kept apart"),
])
def test_what_a_builder_does_not_write_is_refused(field, why):
    with pytest.raises(ValueError):
        check_schema(Schema(id=ID, odd=field))


@pytest.mark.parametrize("document, error", [
    ({"nosuchfield": "x"}, UnknownFieldError),
    ({"ident": "x", "_boost": 2.0}, ValueError),  # boosts: Whoosh's writer multiplies weights by them
    ({"flat": "x", "_flat_boost": 2.0}, ValueError),
])
def test_documents_a_builder_cannot_write_as_whoosh_would_are_refused(tmp_path, document, error):
    create_in(str(tmp_path), _shapes_schema())
    with pytest.raises(error):
        SegmentBuilder(tmp_path, Codec()).add(document)


def test_the_engine_schema_is_one_a_builder_writes():
    check_schema(build_schema())
    assert whoosh_build.SEGMENT_POSTINGS > 0


@pytest.mark.parametrize("ranks, count", [
    ([], 1),  # nothing to order
    ([2, 0, 2, 1, 0], 3),  # equal ranks keep their order (postings stay in document order)
    ([65535, 0, 65535], 65536),  # the widest 16-bit ranks
    ([70000, 3, 70000, 3, 65536, 1], 70001),  # beyond 16 bits: sorted by the low bits, then the high ones
])
def test_stable_order_is_numpys_stable_argsort(ranks, count):
    ranks = np.array(ranks, dtype=np.int64)
    assert _stable_order(ranks, count).tolist() == np.argsort(ranks, kind="stable").tolist()


@given(st.lists(st.integers(0, 200_000), max_size=300))
def test_stable_order_agrees_with_numpy_on_any_ranks(ranks):
    ranks = np.array(ranks, dtype=np.int64)
    count = int(ranks.max()) + 1 if len(ranks) else 1
    assert _stable_order(ranks, count).tolist() == np.argsort(ranks, kind="stable").tolist()
