"""searchsvc.progress: the lines it writes (pure) and how it writes them when output is a log."""
from __future__ import annotations

import io
import threading
from contextlib import redirect_stderr

import pytest

from searchsvc import progress


@pytest.mark.parametrize("seconds, words", [
    (0, "0 giây"),
    (0.4, "0 giây"),  # rounded to the second
    (59.6, "1 phút 00 giây"),  # rounds up into the next unit
    (185, "3 phút 05 giây"),
    (3599, "59 phút 59 giây"),
    (7380, "2 giờ 03 phút"),  # over an hour: to the minute
    (-3, "0 giây"),  # a clock that stepped back
])
def test_duration(seconds, words):
    assert progress.duration(seconds) == words


@pytest.mark.parametrize("label, done, total, unit, elapsed, finished, line", [
    ("Lập chỉ mục", 0, 100, "tệp", 0.0, False, "Lập chỉ mục: 0/100 tệp, đã 0 giây"),
    ("Lập chỉ mục", 40, 100, "tệp", 10.0, False, "Lập chỉ mục: 40/100 tệp (40%), 4,0 tệp/giây, còn khoảng 15 giây, đã 10 giây"),
    ("Lập chỉ mục", 3, 2000, "tệp", 120.0, False,  # slow: a rate under one, time left in hours
     "Lập chỉ mục: 3/2000 tệp (0%), 0,03 tệp/giây, còn khoảng 22 giờ 11 phút, đã 2 phút 00 giây"),
    ("Lập chỉ mục", 1500, 2000, "tệp", 60.0, False, "Lập chỉ mục: 1500/2000 tệp (75%), 25 tệp/giây, còn khoảng 20 giây, đã 1 phút 00 giây"),
    ("Lập chỉ mục", 100, 100, "tệp", 48.0, True, "Lập chỉ mục: xong 100/100 tệp trong 48 giây"),
    ("Lập chỉ mục", 0, 0, "tệp", 0.2, True, "Lập chỉ mục: xong trong 0 giây"),  # nothing to do
    ("Ghi chỉ mục", 0, None, "tệp", 25.0, False, "Ghi chỉ mục: đang chạy, đã 25 giây"),  # no total: time so far
    ("Ghi chỉ mục", 0, None, "tệp", 25.0, True, "Ghi chỉ mục: xong trong 25 giây"),
    ("OCR", 7, None, "trang", 14.0, False, "OCR: 7 trang, 0,50 trang/giây, đã 14 giây"),  # a count without a total
    ("OCR", 12, 12, "trang", 30.0, False, "OCR: 12/12 trang (100%), 0,40 trang/giây, đã 30 giây"),  # all done: no time left
])
def test_status_line(label, done, total, unit, elapsed, finished, line):
    assert progress.status_line(label, done, total, unit, elapsed, finished) == line


def test_a_task_reads_its_clock():
    now = [100.0]
    task = progress.Task("Nhận dạng chữ", 10, "trang", clock=lambda: now[0])
    task.advance(4)
    now[0] = 108.0
    assert task.line() == "Nhận dạng chữ: 4/10 trang (40%), 0,50 trang/giây, còn khoảng 12 giây, đã 8 giây"


class _Log(io.StringIO):
    """Standard error as a log file: not a terminal; says when it holds ``wanted`` lines."""

    def __init__(self, wanted: int):
        super().__init__()
        self.wanted, self.enough = wanted, threading.Event()

    def write(self, text):
        written = super().write(text)
        if self.getvalue().count("\n") >= self.wanted:
            self.enough.set()
        return written


@pytest.fixture
def log(monkeypatch):
    """Progress on, standard error a log (set in the test's own phase: pytest sets its capture
    again between a fixture and the test)."""
    monkeypatch.setattr(progress, "LOG_INTERVAL", 0.05)
    progress.enable()
    yield _Log(wanted=3)
    progress.enable(False)


def test_a_step_that_blocks_still_gets_lines_in_a_log(log):
    """A commit or merge is one long call: lines keep coming while it runs, then one at the end."""
    with redirect_stderr(log), progress.task("Ghi chỉ mục") as step:
        assert log.enough.wait(60)  # the start line and two more, written while this thread waits
        step.advance(0)
    lines = log.getvalue().splitlines()
    assert lines[0] == "Ghi chỉ mục: đang chạy, đã 0 giây"
    assert all(line.startswith("Ghi chỉ mục: đang chạy, đã ") for line in lines[1:-1]) and len(lines) >= 4
    assert lines[-1].startswith("Ghi chỉ mục: xong trong ")


def test_track_counts_every_item_and_says_when_it_stopped_early(log):
    with redirect_stderr(log):
        assert list(progress.track(iter("abc"), 3, "Đọc báo cáo")) == ["a", "b", "c"]
    assert log.getvalue().splitlines()[-1].startswith("Đọc báo cáo: xong 3/3 tệp trong ")
    with redirect_stderr(log):
        for _ in progress.track(iter("abc"), 3, "Đọc báo cáo"):
            break
    assert log.getvalue().splitlines()[-1].endswith(" — dừng lại")


def test_off_by_default_and_in_child_processes(capsys):
    import os

    assert not progress.is_enabled()
    list(progress.track(range(3), 3, "Thử"))
    assert capsys.readouterr().err == ""
    progress.enable()
    try:
        read_end, write_end = os.pipe()
        child = os.fork()
        if child == 0:  # a parsing worker
            os.write(write_end, b"1" if progress.is_enabled() else b"0")
            os._exit(0)
        os.waitpid(child, 0)
        assert os.read(read_end, 1) == b"0"
        os.close(read_end), os.close(write_end)
    finally:
        progress.enable(False)
