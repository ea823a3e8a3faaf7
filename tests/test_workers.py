"""The indexing run's worker processes (``workers.Workers``): results in the items' order, each
worker's writer finished and handed back, a worker's error raised in the run, a worker that dies
failing the run instead of hanging it, and no worker left behind."""
from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

from searchsvc.workers import WorkerDied, Workers


class _Writer:
    """A worker's writer: what it was given, and its process."""

    def __init__(self):
        self.items = []

    def add(self, item):
        self.items.append(item)

    def finish(self):
        return (os.getpid(), self.items)


def _square(item, writer):
    if writer is not None:
        writer.add(item)
    return item * item


def _no_children_left() -> bool:
    deadline = time.monotonic() + 60  # a hang guard, not a timing assertion
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not multiprocessing.active_children()


@pytest.mark.parametrize("count, ahead", [(1, 1), (2, 4), (3, 1)])
def test_results_come_in_the_items_order(count, ahead):
    workers = Workers(count, _square, ahead=ahead)
    try:
        assert list(workers.parsed(list(range(40)))) == [n * n for n in range(40)]
        assert workers.finish() == [None] * count  # no writers
    finally:
        workers.close()
    assert _no_children_left()


def test_each_worker_finishes_its_own_writer():
    """Every item is written by exactly one worker, whose writer hands back what it wrote; a
    worker that got no item (three workers, two items) made no writer."""
    workers = Workers(3, _square, _Writer)
    try:
        assert list(workers.parsed([5, 6])) == [25, 36]
        written = workers.finish()
    finally:
        workers.close()
    assert len(written) == 3
    made = [w for w in written if w is not None]
    assert 1 <= len(made) <= 2
    assert sorted(item for _, items in made for item in items) == [5, 6]
    assert len({pid for pid, _ in made}) == len(made) and os.getpid() not in {pid for pid, _ in made}


def _fails_on_three(item, writer):
    if item == 3:
        raise OSError(28, "No space left on device")
    return item


def _dies_on_three(item, writer):
    if item == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return item


@pytest.mark.parametrize("parse, error, message", [
    (_fails_on_three, OSError, "No space left on device"),  # the worker's own error
    (_dies_on_three, WorkerDied, "dừng đột ngột"),  # killed: no word from it
])
def test_a_failing_or_dying_worker_fails_the_run(parse, error, message):
    workers = Workers(2, parse)
    try:
        with pytest.raises(error, match=message):
            list(workers.parsed(list(range(10))))
    finally:
        workers.close()
    assert _no_children_left()


def test_a_run_that_stops_early_stops_its_workers():
    workers = Workers(2, _square)
    results = workers.parsed(list(range(1000)))
    assert next(results) == 0
    workers.close()
    assert _no_children_left()
