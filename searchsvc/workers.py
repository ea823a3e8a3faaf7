"""Worker processes of an indexing run: each parses files and, in a full build by an engine that
writes in them, writes its files' documents into segments of its own.

An engine whose documents are costly to hand from process to process (Whoosh's: hundreds of
postings a section) gives a worker a writer of its own (``worker_writer``): the worker that
parses a file also writes its documents, and only what the indexing run keeps of a file (its
report, citations, signatures) comes back. At the end each worker finishes its writer and
hands back what it wrote (``Workers.finish``), for the engine's writer to list in the index.

The workers start (fork) when made, before an engine's writer starts threads; files go to
whichever worker is free, a bounded number ahead of the run; results come back in the files'
order. A worker that raises fails the run with its error; one that dies (out of memory,
``kill``) fails it too, instead of hanging it; workers exit with the run (``kill -9``: their
parent gone) and are stopped when it fails or stops early.
"""
from __future__ import annotations

import multiprocessing
import queue
import signal
import sys
from typing import Callable, Iterator

from .processes import exit_with_parent

__all__ = ["Workers", "WorkerDied"]

POLL_SECONDS = 0.5  # how often the run checks on its workers while it waits for one
_FINISHED, _FAILED = -1, -2  # what a worker reports besides a parsed file (its number)


class WorkerDied(OSError):
    """A worker process ended without a word (killed, out of memory)."""


def _work(jobs, results, parse: Callable, make_writer: Callable | None) -> None:
    """A worker: parse (and write) the files it takes until told to finish (None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the run, which stops its workers itself
    exit_with_parent()
    writer = None
    try:
        while (job := jobs.get()) is not None:
            number, item = job
            if writer is None and make_writer is not None:
                writer = make_writer()
            results.put((number, parse(item, writer)))
        results.put((_FINISHED, writer.finish() if writer is not None else None))
    except BaseException as error:  # the run raises it
        results.put((_FAILED, _picklable(error)))
        results.close()
        results.join_thread()
        sys.exit(1)


def _picklable(error: BaseException) -> BaseException:
    import pickle

    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


class Workers:
    """``count`` worker processes running ``parse(item, writer)`` (``writer``: one of
    ``make_writer()`` per worker, or None) on the items given to ``parsed``."""

    def __init__(self, count: int, parse: Callable, make_writer: Callable | None = None, ahead: int = 4):
        context = multiprocessing.get_context("fork")
        self._jobs, self._results = context.Queue(), context.Queue()
        self._ahead = ahead * count  # items handed out beyond the one the run waits for
        self._processes = [context.Process(target=_work, args=(self._jobs, self._results, parse, make_writer), daemon=True)
                           for _ in range(count)]
        for process in self._processes:
            process.start()

    def parsed(self, items: list) -> Iterator:
        """The results of ``items``, in their order; items are handed out as results are taken."""
        done: dict[int, object] = {}
        handed = 0
        for number in range(len(items)):
            while handed < min(len(items), number + 1 + self._ahead):
                self._jobs.put((handed, items[handed]))
                handed += 1
            while number not in done:
                key, value = self._next()
                if key < 0:
                    raise RuntimeError("a worker finished before it was told to")
                done[key] = value
            yield done.pop(number)

    def finish(self) -> list:
        """Tell every worker to finish; what each one's writer wrote (``finish()``), in no order."""
        for _ in self._processes:
            self._jobs.put(None)
        written = []
        while len(written) < len(self._processes):
            key, value = self._next()
            if key != _FINISHED:
                raise RuntimeError("a worker sent a result after it was told to finish")
            written.append(value)
        for process in self._processes:
            process.join()
        return written

    def _next(self) -> tuple[int, object]:
        """The next thing a worker sent; its error raised; WorkerDied when one died without a word."""
        while True:
            try:
                key, value = self._results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                dead = [p.exitcode for p in self._processes if p.exitcode not in (None, 0)]
                if dead:
                    raise WorkerDied(f"Một tiến trình đọc tệp đã dừng đột ngột (mã {dead[0]}).") from None
                continue
            if key == _FAILED:
                raise value
            return key, value

    def close(self) -> None:
        """Stop the workers still running (an early stop, an error) and wait for them."""
        for process in self._processes:
            if process.is_alive():
                process.terminate()
        for process in self._processes:
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join()
        self._jobs.cancel_join_thread()
        self._results.cancel_join_thread()
        self._jobs.close()
        self._results.close()
