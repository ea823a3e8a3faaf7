"""Writing a Whoosh index: the Whoosh engine's ``prepare`` and ``Writer`` (``whoosh_engine``).

A full build writes segments in one process per core with Whoosh's multiprocessing writer (a
segment whenever a process's postings fill ``SEGMENT_MB``: no postings spilled to disk), made to end on
every path: its sub-writer processes end with the indexing run and are stopped when it fails; a
sub-writer that dies (a full disk) fails the build instead of losing its documents or leaving
the parent waiting; a sub-writer that got no job leaves no empty segment in the index.
"""
from __future__ import annotations

import os
import queue
import sys
from collections import Counter
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

from ..analysis import analyze_text, bigrams
from ..processes import exit_with_parent
from ..schema import build_schema
from .whoosh_blocks import LeafMatcher, PostingsWriter

__all__ = ["prepare", "create_writer", "Writer", "JOB_DOCUMENTS"]

JOB_DOCUMENTS = 100  # documents per job a full build hands to one of Whoosh's sub-writers
SEGMENT_MB = 384  # a sub-writer writes a segment when its postings take this much (Whoosh's estimate; ~30 % more in fact)
BLOCK_POSTINGS = 1024  # postings a block of the postings file holds (Whoosh: 128); not compressed, the index takes ~1.6x the disk
POOL_MB = 4 * SEGMENT_MB  # Whoosh's limit before spilling postings to disk: never reached by a sub-writer


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

    def postings_writer(self, dbfile, byteids=False):
        return PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids, compression=self._compression,
                              inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():  # a ``ListMatcher`` of the postings in the term's info
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return LeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class _SubWriter(SubWriterTask):
    """One of Whoosh's sub-writer processes, which ends with the indexing run (``kill -9``) and
    writes a segment whenever its postings reach ``SEGMENT_MB``: Whoosh's writer would otherwise
    spill them to sorted runs on disk and merge those at the end, which doubles the cost of
    writing a large segment. Its segments go to the parent as one list (``_MpWriter._commit_toc``)."""

    def run(self):
        exit_with_parent()
        try:
            self._write_segments()
        except Exception as error:  # a full disk: one line; the indexing run fails with it
            print(f"Lỗi: tiến trình ghi chỉ mục dừng: {error}", file=sys.stderr)
            sys.exit(1)

    def _write_segments(self) -> None:
        ix = self.storage.open_index(self.indexname)
        segments = []
        self.writer = SegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            job = self.jobqueue.get()
            if job is None:  # the parent's "finish"
                break
            self._process_file(*job)
            if self.writer.pool.currentsize > SEGMENT_MB << 20:
                segments.append(self.writer._finalize_segment())
                self.writer = SegmentWriter(ix, _lk=False, **self.kwargs)
        if not self.running:
            self.writer.cancel()
            return
        segments.append(self.writer._finalize_segment())
        self.resultqueue.put((None, set(), segments), timeout=5)


class _Jobs:
    """The sub-writers' job queue as the parent writer puts to it: it waits for a sub-writer to
    take a job, but not for one that died (an error, a full disk): that fails the build."""

    def __init__(self, jobs, tasks: list):
        self.jobs, self.tasks = jobs, tasks

    def put(self, job) -> None:
        while True:
            _check_tasks(self.tasks)
            try:
                self.jobs.put(job, timeout=0.5)
                return
            except queue.Full:
                continue


def _check_tasks(tasks: list) -> None:
    failed = [task.exitcode for task in tasks if task.exitcode not in (None, 0)]
    if failed:
        raise OSError(f"Một tiến trình ghi chỉ mục (Whoosh) đã dừng vì lỗi (mã {failed[0]}).")


class _MpWriter(MpWriter):
    """Whoosh's multiprocessing writer, made to end on every path: sub-writers that end with
    the indexing run and are stopped on ``cancel``; a sub-writer that dies fails the commit
    instead of losing its documents or leaving the parent waiting; no segment without documents
    (a sub-writer that got no job) is listed in the index."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self._queue = self.jobqueue
        self.jobqueue = _Jobs(self._queue, self.tasks)

    def _new_task(self):
        task = _SubWriter(self.storage, self.indexname, self._queue, self.resultqueue, self.subargs, self.multisegment)
        task.daemon = True  # never outlives this process
        self.tasks.append(task)
        task.start()
        return task

    def _commit_toc(self, segments):
        _check_tasks(self.tasks)
        listed = [s for item in segments for s in (item if isinstance(item, list) else [item])]  # a sub-writer's list
        super()._commit_toc([segment for segment in listed if segment.doc_count_all()])

    def cancel(self):
        try:
            for task in self.tasks:
                task.terminate()
            for task in self.tasks:
                task.join(10)
                if task.is_alive():
                    task.kill()
        finally:
            self.tasks.clear()
            SegmentWriter.cancel(self)


class Writer:
    """A full build writes segments in one process per core (Whoosh's ``procs`` with ``multisegment``); an
    update, a handful of documents, one segment in this process."""

    def __init__(self, path: Path, fresh: bool):
        path.mkdir(parents=True, exist_ok=True)
        self._path = path
        ix = whoosh_index.create_in(str(path), build_schema()) if fresh else whoosh_index.open_dir(str(path))
        codec = Codec()
        if fresh and (os.cpu_count() or 1) > 1:
            self._writer = _MpWriter(ix, procs=os.cpu_count(), batchsize=JOB_DOCUMENTS, multisegment=True, limitmb=128, codec=codec,
                                     subargs={"codec": codec, "limitmb": POOL_MB})
        else:
            self._writer = ix.writer(limitmb=256, codec=codec)

    def delete_report(self, report_id: str) -> None:
        self._writer.delete_by_term("report_id", report_id)

    def add(self, prepared: dict) -> None:
        self._writer.add_document(**prepared)

    def commit(self) -> None:
        """Commit, then save the arrays a reader would otherwise make at opening (``whoosh_arrays``)."""
        self._writer.commit()
        from .whoosh_engine import Reader  # the reader imports this module

        reader = Reader(self._path)
        try:
            reader.save_arrays()
        finally:
            reader.close()

    def cancel(self) -> None:
        self._writer.cancel()


def create_writer(path: Path, fresh: bool) -> Writer:
    return Writer(path, fresh)
