"""Progress of the steps a user waits for (indexing, its commit and merge, OCR, reading files).

On a terminal a bar (tqdm); when standard error is not a terminal (a log file, a service manager)
a line when a step starts, one every ``LOG_INTERVAL`` seconds with done/total, rate and time left,
and one when it ends; nothing at all when progress is off. ::

    from searchsvc import progress

    for page in progress.track(pages, len(pages), "Nhận dạng chữ (OCR)", unit="trang"):
        ...
    with progress.task("Ghi chỉ mục"):  # no total: the time it has taken so far
        writer.commit()

Off until a command turns it on (``enable``), so that the library and the web app print nothing;
off in child processes (parsing workers), whose progress is that of the files they return.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager
from typing import Iterable, Iterator, TypeVar

__all__ = ["Task", "duration", "enable", "is_enabled", "status_line", "task", "track"]

LOG_INTERVAL = 5.0  # seconds between two lines when output is not a terminal
BAR_REFRESH = 1.0  # seconds between two redraws of a bar that did not move (elapsed time, a long wait)

_state = {"enabled": False}
T = TypeVar("T")


def enable(on: bool = True) -> None:
    """Show progress from now on (``searchsvc`` commands do, unless ``--quiet``), or stop."""
    _state["enabled"] = on


def is_enabled() -> bool:
    return _state["enabled"]


os.register_at_fork(after_in_child=lambda: enable(False))


# --- what is shown (pure) -----------------------------------------------------------------------------
def duration(seconds: float) -> str:
    """A duration in words, to the second under an hour.

    >>> duration(42.4), duration(185), duration(7380)
    ('42 giây', '3 phút 05 giây', '2 giờ 03 phút')
    """
    seconds = round(max(seconds, 0))
    if seconds < 60:
        return f"{seconds} giây"
    if seconds < 3600:
        return f"{seconds // 60} phút {seconds % 60:02d} giây"
    return f"{seconds // 3600} giờ {seconds % 3600 // 60:02d} phút"


def _number(value: float) -> str:
    """A rate with two significant figures at most, Vietnamese decimal comma."""
    text = f"{value:.0f}" if value >= 10 else f"{value:.1f}" if value >= 1 else f"{value:.2f}"
    return text.replace(".", ",")


def status_line(label: str, done: int, total: int | None, unit: str, elapsed: float, finished: bool = False) -> str:
    """One line of progress: done/total, rate and time left while running; the total at the end."""
    count = f"{done}/{total} {unit}" if total is not None else f"{done} {unit}"
    if finished:
        return f"{label}: xong {count} trong {duration(elapsed)}" if done or total else f"{label}: xong trong {duration(elapsed)}"
    if not done:
        return f"{label}: {count}, đã {duration(elapsed)}" if total else f"{label}: đang chạy, đã {duration(elapsed)}"
    rate = done / elapsed if elapsed > 0 else 0.0
    parts = [f"{label}: {count}" + (f" ({100 * done // total}%)" if total else "")]
    if rate > 0:
        parts.append(f"{_number(rate)} {unit}/giây")
        if total is not None and total > done:
            parts.append(f"còn khoảng {duration((total - done) / rate)}")
    parts.append(f"đã {duration(elapsed)}")
    return ", ".join(parts)


# --- showing it ---------------------------------------------------------------------------------------
class Task:
    """A step under way: ``advance`` it as items are done; ``line`` says where it stands."""

    def __init__(self, label: str, total: int | None, unit: str, clock=time.monotonic):
        self.label, self.total, self.unit, self.done = label, total, unit, 0
        self._clock = clock
        self.started = clock()
        self._bar = None

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self._bar is not None:
            self._bar.update(count)

    def line(self, finished: bool = False) -> str:
        return status_line(self.label, self.done, self.total, self.unit, self._clock() - self.started, finished)


def _write(line: str) -> None:
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError):  # standard error closed (a pipe whose reader is gone)
        pass


@contextmanager
def task(label: str, total: int | None = None, unit: str = "tệp") -> Iterator[Task]:
    """A step of ``total`` items (None: of unknown size, shown with its time so far); ``advance``
    the task yielded as items are done."""
    current = Task(label, total, unit)
    if not is_enabled():
        yield current
        return
    on_terminal = sys.stderr.isatty()
    if on_terminal:
        from tqdm import tqdm

        sized = _columns() > 0  # a terminal that says its width (not always so: a bare pseudo-terminal)
        current._bar = tqdm(total=total, unit=f" {unit}", desc=label, file=sys.stderr, leave=False,
                            dynamic_ncols=sized, ncols=None if sized else 80, nrows=None if sized else 24,
                            bar_format=None if total is not None else "{desc}: đang chạy, đã {elapsed}")
        refresh, interval = current._bar.refresh, BAR_REFRESH
    else:
        _write(current.line())
        refresh, interval = (lambda: _write(current.line())), LOG_INTERVAL
    stop = threading.Event()
    ticker = threading.Thread(target=_tick, args=(stop, interval, refresh), daemon=True)
    ticker.start()
    finished = False
    try:
        yield current
        finished = True
    finally:
        stop.set()
        ticker.join()
        if current._bar is not None:
            current._bar.close()
        else:
            _write(current.line(finished=True) if finished else f"{current.line()} — dừng lại")


def _columns() -> int:
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        return 0


def _tick(stop: threading.Event, interval: float, refresh) -> None:
    while not stop.wait(interval):
        try:
            refresh()
        except (OSError, ValueError):
            return


def track(items: Iterable[T], total: int | None, label: str, unit: str = "tệp") -> Iterator[T]:
    """``items``, advancing a task (``task``) by one for each."""
    with task(label, total, unit) as current:
        for item in items:
            yield item
            current.advance()
