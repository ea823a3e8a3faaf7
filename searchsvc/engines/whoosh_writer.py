"""Writing a Whoosh index: the Whoosh engine's ``prepare``, ``Writer`` and ``worker_writer``
(``whoosh_engine``), and its codec.

A full build writes segments where documents are prepared: each worker process of the indexing
run (``workers``) writes the files it parses into segments of its own (``whoosh_build``), and
this process lists them all in the index at the end: a document crosses no process boundary.
A worker that fails or dies fails the build (the new generation is removed); a worker that got
no file writes no segment; a build whose workers hand back fewer documents than they wrote fails.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.index import TOC, LockError, clean_files
from whoosh.system import pack_ushort

from ..analysis import analyze_text, bigrams
from ..schema import build_schema
from .whoosh_blocks import LeafMatcher, PostingsWriter, write_terms
from .whoosh_build import SegmentBuilder

__all__ = ["prepare", "create_writer", "worker_writer", "Writer", "Codec"]

BLOCK_POSTINGS = 1024  # postings a block of the postings file holds (Whoosh: 128); not compressed, the index takes ~1.6x the disk


def prepare(document: dict) -> dict:
    """The document with its body analyzed once for the four body fields: {term: count} each
    (``schema.CountedText``); Whoosh stores the text itself. Runs in worker processes."""
    exact, folded, exact_wholes, folded_wholes = analyze_text(document["body"])
    return document | {
        "body": Counter(exact + exact_wholes),
        "body_f": Counter(folded + folded_wholes),
        "body_eb": Counter(bigrams(exact)),
        "body_b": Counter(bigrams(folded)),
        "_stored_body": document["body"],
    }


class Codec(W3Codec):
    """Whoosh's codec without per-block length statistics: they serve only Whoosh's own
    block-skipping scorer, which this engine does not run, and cost a column read per posting
    when a segment is written (a fifth of a build). Its posting blocks are larger and not
    compressed (``BLOCK_POSTINGS``): the engine reads a term's postings whole, so blocks only
    cost it (a pickle and a zlib call each, read and written; zlib was the largest part of
    decoding a term's blocks), and Whoosh's own matchers read blocks of any size. A block's
    document numbers and weights are written as bytes (``whoosh_blocks``). (Whoosh pickles
    this class into its table of segments: it keeps its name and module, and reads the segments
    written before in Whoosh's form.)"""

    length_stats = False

    def __init__(self, blocklimit: int = 0, compression: int = 0, inlinelimit: int = 1):
        super().__init__(blocklimit=blocklimit or BLOCK_POSTINGS, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage, segment):
        return FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids, compression=self._compression,
                              inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():  # a ``ListMatcher`` of the postings in the term's info
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class FieldWriter(W3FieldWriter):
    """Whoosh's field writer, which also takes a field's terms at once (``whoosh_build``)."""

    def add_terms(self, terms: list[bytes], docs: np.ndarray, weights: np.ndarray, values, bounds: np.ndarray) -> None:
        """Every term of the field started, ascending, with its postings (``whoosh_blocks.write_terms``);
        posting by posting through Whoosh's own writer when this one lacks the W3 writer's fields."""
        codec = self._codec
        if (getattr(codec, "_compression", None) == 0 and getattr(codec, "_inlinelimit", None) == 1
                and all(hasattr(self, name) for name in ("_postfile", "_tindex", "_fieldid"))):
            write_terms(self._postfile, self._tindex, pack_ushort(self._fieldid), terms, docs, weights, values, bounds,
                        codec._blocklimit)
            return
        size = len(values) // len(docs) if isinstance(values, bytes) else 0
        for term, start, end in zip(terms, bounds[:-1].tolist(), bounds[1:].tolist()):
            self.start_term(term)
            for at in range(start, end):
                value = values[at] if isinstance(values, list) else values[at * size:(at + 1) * size] if size else b""
                self.add(int(docs[at]), float(weights[at]), value, None)
            self.finish_term()


class Writer:
    """A full build writes its segments with ``SegmentBuilder``s: this process's (files parsed
    here) and the indexing run's workers' (``worker_writer``, handed over by ``add_written``),
    listed in the index by ``commit``. An update, a handful of documents and deletions, goes
    through Whoosh's writer in this process (one segment)."""

    def __init__(self, path: Path, fresh: bool):
        path.mkdir(parents=True, exist_ok=True)
        self._path = path
        codec = Codec()
        if not fresh:
            self._writer = whoosh_index.open_dir(str(path)).writer(limitmb=256, codec=codec)
            return
        self._writer = None
        self._ix = whoosh_index.create_in(str(path), build_schema())
        self._lock = self._ix.lock("WRITELOCK")  # as Whoosh's writer holds it while it writes
        if not self._lock.acquire():
            raise LockError(f"{path}: chỉ mục Whoosh đang được ghi")
        self._builder = SegmentBuilder(path, codec)
        self._segments: list = []

    def delete_report(self, report_id: str) -> None:
        if self._writer is not None:  # a new index has none
            self._writer.delete_by_term("report_id", report_id)

    def add(self, prepared: dict) -> None:
        if self._writer is not None:
            self._writer.add_document(**prepared)
        else:
            self._builder.add(prepared)

    def add_written(self, written: list[list], documents: int) -> None:
        """The segments the workers' builders wrote (``SegmentBuilder.finish`` of each), which
        hold ``documents`` documents, as the workers said of each file they wrote: a build
        that lost some fails."""
        segments = [segment for listed in written for segment in listed]
        if sum(segment.doc_count_all() for segment in segments) != documents:
            raise OSError(f"Các tiến trình ghi chỉ mục trả về {sum(s.doc_count_all() for s in segments)} "
                          f"tài liệu thay vì {documents}.")
        self._segments += segments

    def commit(self) -> None:
        """List every segment in the index (a full build) or commit Whoosh's writer (an update),
        then save the arrays a reader would otherwise make at opening (``whoosh_arrays``)."""
        if self._writer is not None:
            self._writer.commit()
        else:
            self._list_segments(self._segments + self._builder.finish())
        from .whoosh_engine import Reader  # the reader imports this module

        reader = Reader(self._path)
        try:
            reader.save_arrays()
        finally:
            reader.close()

    def _list_segments(self, segments: list) -> None:
        """A new table of segments for the index, as Whoosh's writer commits one; files no
        segment lists (a builder's temporary files) removed."""
        ix = self._ix
        storage, name = ix.storage, ix.indexname
        try:
            storage.temp_storage(f"{name}.tmp").destroy()  # the per-document writers' temporary folder
            generation = ix.latest_generation() + 1
            TOC(ix.schema, segments, generation).write(storage, name)
            clean_files(storage, name, generation, segments)
        finally:
            self._lock.release()

    def cancel(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
        else:
            self._lock.release()


def create_writer(path: Path, fresh: bool) -> Writer:
    return Writer(path, fresh)


def worker_writer(path: Path) -> SegmentBuilder:
    """A worker process's writer in a full build (``workers``): its files' documents go to
    segments of its own in the new index at ``path``, listed by the build's ``Writer``."""
    return SegmentBuilder(path, Codec())
