"""Building and updating the index: incremental by content hash, built aside, one writer at a time."""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from searchsvc import indexing, ingest
from searchsvc.engine import SearchIndex
from searchsvc.indexing import IndexBusy, IndexUnavailable, build_index, current_generation
from searchsvc.models import SearchRequest
from searchsvc.searching import search

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


def hits(index_dir, q):
    index = SearchIndex(index_dir)
    try:
        return {h.report_id for h in search(index, SearchRequest(q=q, per_page=100)).hits}
    finally:
        index.close()


def test_full_build_then_nothing_to_do(corpus, tmp_path, engine):
    index_dir = tmp_path / "index"
    first = build_index(corpus, index_dir, engine=engine)
    assert first.full and first.changed
    assert (first.reports, len(first.added)) == (5, 5)
    assert first.sections > 100 and first.citations > 50
    generation = current_generation(index_dir)
    again = build_index(corpus, index_dir)
    assert not again.changed and again.unchanged == 5
    assert current_generation(index_dir) == generation  # nothing rewritten


def test_changing_one_file_reindexes_only_that_file(corpus, tmp_path, engine):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine=engine)
    target = corpus / "001_ffc53ab4c4f31481.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nKhu công nghiệp Đồng Xoài mở rộng.\n", encoding="utf-8")
    (corpus / "005_new.txt").write_text("BÁO CÁO\nTình hình năm 2024\n\nI. Kết quả\nCây chôm chôm được mùa.\n", encoding="utf-8")
    (corpus / "004_41c8df0f7ff6743b.txt").unlink()
    summary = build_index(corpus, index_dir)
    assert summary.updated == ["001_ffc53ab4c4f31481.txt"]
    assert summary.added == ["005_new.txt"]
    assert summary.removed == ["004_41c8df0f7ff6743b.txt"]
    assert summary.unchanged == 3 and summary.reports == 5
    assert hits(index_dir, "Đồng Xoài") == {"001_ffc53ab4c4f31481"}
    assert hits(index_dir, "chôm chôm") == {"005_new"}
    assert "004_41c8df0f7ff6743b" not in hits(index_dir, "Bến Tre")


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def _inodes(folder: Path) -> set[int]:
    return {p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def test_an_update_leaves_every_file_of_the_previous_generation_as_it_was(corpus, tmp_path, engine):
    """An update starts from hard links to the live generation's files: what it writes must be
    new files, or the generation that servers are still reading would change under them."""
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine=engine)
    previous = current_generation(index_dir)
    before = _digests(previous)
    target = corpus / "001_ffc53ab4c4f31481.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nKhu công nghiệp Đồng Xoài mở rộng.\n", encoding="utf-8")
    (corpus / "005_new.txt").write_text("BÁO CÁO\nTình hình năm 2024\n\nI. Kết quả\nCây chôm chôm được mùa.\n", encoding="utf-8")
    (corpus / "004_41c8df0f7ff6743b.txt").unlink()
    summary = build_index(corpus, index_dir)
    assert not summary.full and summary.updated == [target.name]
    assert _inodes(previous) & _inodes(current_generation(index_dir))  # linked, not copied
    assert _digests(previous) == before

    (index_dir / "CURRENT").write_text(previous.name + "\n")  # a server still on the previous generation
    assert hits(index_dir, "chôm chôm") == set()
    assert hits(index_dir, "Nghị quyết 84/NQ-CP") == {"000_bbd1df693d80d1cb", "002_acdedd4f53924217", "004_41c8df0f7ff6743b"}
    index = SearchIndex(index_dir)
    assert "Đồng Xoài mở rộng" not in index.report("001_ffc53ab4c4f31481")["text"]
    index.close()


def test_files_parsed_by_worker_processes_make_the_same_index(corpus, tmp_path, monkeypatch, engine):
    (corpus / "empty.txt").write_bytes(b"")  # a file a worker cannot load is skipped with its reason, as here
    children = {}  # processes running when parsing starts (an engine's writer may have its own)

    def count(run):
        def hook(stage):
            if stage == "parse":
                children[run] = len(multiprocessing.active_children())
        return hook

    alone = build_index(corpus, tmp_path / "alone", engine=engine, workers=0, hook=count("alone"))
    monkeypatch.setattr(indexing, "POOL_MIN_FILES", 2)
    pooled = build_index(corpus, tmp_path / "pooled", engine=engine, workers=2, hook=count("pooled"))
    assert children["pooled"] - children["alone"] == 2
    assert [pooled.added, pooled.skipped, pooled.sections, pooled.citations] == [alone.added, alone.skipped, alone.sections, alone.citations]
    first, second = current_generation(tmp_path / "alone"), current_generation(tmp_path / "pooled")
    assert {n: d for n, d in _digests(first).items() if not n.startswith(engine)} == \
        {n: d for n, d in _digests(second).items() if not n.startswith(engine)} | {"manifest.json": _digests(first)["manifest.json"]}
    for q in ["Nghị quyết 84/NQ-CP", "đầu tư công", "covid"]:
        index_a, index_b = SearchIndex(tmp_path / "alone"), SearchIndex(tmp_path / "pooled")
        ranked = [[(h.report_id, h.section_id, h.score) for h in search(i, SearchRequest(q=q, per_page=100)).hits] for i in (index_a, index_b)]
        assert ranked[0] == ranked[1], q
        index_a.close(), index_b.close()


def test_unchanged_files_are_not_read_again(corpus, tmp_path, monkeypatch, engine):
    """A file with the size, modification and change times the manifest recorded is not hashed
    again; one rewritten with its size and modification time put back is (its change time moved)."""
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine=engine)
    hashed = []
    monkeypatch.setattr(indexing, "file_digest", lambda path: hashed.append(path.name) or ingest.file_digest(path))
    monkeypatch.setattr(indexing, "RACY_NS", 3600 * 10**9)  # as if the corpus had changed just before the build
    assert not build_index(corpus, index_dir).changed and len(hashed) == 5  # so it is read again
    monkeypatch.setattr(indexing, "RACY_NS", 0)  # and now long after
    hashed.clear()
    assert not build_index(corpus, index_dir).changed and hashed == []

    target = corpus / "001_ffc53ab4c4f31481.txt"
    stat, text = target.stat(), target.read_text(encoding="utf-8")
    target.write_text(text.replace("a", "b", 1), encoding="utf-8")  # the same size
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.utime(corpus / "003_f8c2a2f27f6281a1.txt")  # touched, not changed
    summary = build_index(corpus, index_dir)
    assert summary.updated == [target.name] and summary.unchanged == 4
    assert sorted(hashed) == ["001_ffc53ab4c4f31481.txt", "003_f8c2a2f27f6281a1.txt"]


def test_unreadable_and_unsupported_files_are_reported_and_skipped(corpus, tmp_path, engine):
    (corpus / "notes.xls").write_bytes(b"\xd0\xcf\x11\xe0 not a report")
    (corpus / "empty.txt").write_bytes(b"")
    summary = build_index(corpus, tmp_path / "index", engine=engine)
    reasons = dict(summary.skipped)
    assert set(reasons) == {"notes.xls", "empty.txt"}
    assert summary.reports == 5


def test_schema_change_forces_full_rebuild(corpus, tmp_path, engine):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine=engine)
    manifest_path = current_generation(index_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["schema_version"] = -1
    manifest_path.write_text(json.dumps(manifest))
    summary = build_index(corpus, index_dir)
    assert summary.full and len(summary.added) == 5


def test_failed_build_leaves_previous_index(corpus, tmp_path, engine):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine=engine)
    before = current_generation(index_dir)
    (corpus / "005_new.txt").write_text("BÁO CÁO\nI. Mục\nnội dung mới\n", encoding="utf-8")

    def explode(stage):
        if stage == "document":
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        build_index(corpus, index_dir, hook=explode)
    assert current_generation(index_dir) == before
    assert sorted(p.name for p in index_dir.glob("gen-*")) == [before.name]  # the partial one is gone
    assert hits(index_dir, "covid")
    assert build_index(corpus, index_dir).added == ["005_new.txt"]


def _build_in_child(corpus, index_dir, ready_path):
    """Build with a pause in the middle, so the parent can kill the process there."""

    def pause(stage):
        if stage == "document":
            Path(ready_path).write_text("ready")
            time.sleep(60)

    build_index(corpus, index_dir, full=True, hook=pause)


def _build_with_workers_in_child(corpus, index_dir, ready_path):
    """Build by worker processes; when the first report is in, start a process of its own (as
    an engine's writer may), name them all and pause."""

    def pause(stage):
        if stage == "document":
            workers = [p.pid for p in multiprocessing.active_children()]
            helper = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,))
            helper.start()
            Path(ready_path).write_text(json.dumps({"workers": workers, "helper": helper.pid}))
            time.sleep(60)

    indexing.POOL_MIN_FILES = 1
    build_index(corpus, index_dir, full=True, hook=pause, workers=2)


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def test_a_killed_build_leaves_no_worker_and_no_lock_behind(corpus, tmp_path, engine):
    """``kill -9`` of a build: its workers exit, and a process it started that lives on does
    not hold the index lock (forked children inherit it)."""
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine=engine)
    ready = tmp_path / "ready"
    child = multiprocessing.get_context("fork").Process(target=_build_with_workers_in_child, args=(corpus, index_dir, ready))
    child.start()
    deadline = time.monotonic() + 30
    while not (ready.exists() and ready.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    named = json.loads(ready.read_text())
    assert len(named["workers"]) == 2
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    try:
        deadline = time.monotonic() + 10
        while any(map(_running, named["workers"])) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_running, named["workers"]))
        assert _running(named["helper"])
        assert build_index(corpus, index_dir, full=True, lock_timeout=5).reports == 5
    finally:
        os.kill(named["helper"], signal.SIGKILL)


@pytest.mark.parametrize("kill_at", ["document"])
def test_killed_build_leaves_previous_index_answering(corpus, tmp_path, kill_at, engine):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine=engine)
    before = current_generation(index_dir)
    ready = tmp_path / "ready"
    child = multiprocessing.get_context("fork").Process(target=_build_in_child, args=(corpus, index_dir, ready))
    child.start()
    deadline = time.monotonic() + 30
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), "the child build did not reach the pause"
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    assert current_generation(index_dir) == before
    assert hits(index_dir, "Nghị quyết 84/NQ-CP") == {"000_bbd1df693d80d1cb", "002_acdedd4f53924217", "004_41c8df0f7ff6743b"}
    summary = build_index(corpus, index_dir, full=True)  # the next build completes and cleans up
    assert summary.changed and summary.reports == 5
    assert len(list(index_dir.glob("gen-*"))) <= 2


def test_second_writer_waits_then_gives_a_clear_message(corpus, tmp_path, engine):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine=engine)
    entered, release = threading.Event(), threading.Event()

    def slow(stage):
        if stage == "prepare":
            entered.set()
            release.wait(10)

    (corpus / "005_new.txt").write_text("BÁO CÁO\nI. Mục\nnội dung\n", encoding="utf-8")
    worker = threading.Thread(target=build_index, args=(corpus, index_dir), kwargs={"hook": slow})
    worker.start()
    assert entered.wait(10)
    with pytest.raises(IndexBusy, match="đang chạy"):
        build_index(corpus, index_dir, lock_timeout=0.5)
    release.set()
    worker.join()
    assert not build_index(corpus, index_dir, lock_timeout=5).changed  # waits its turn, finds nothing to do


def test_server_view_follows_reindex_without_restart(corpus, tmp_path, engine):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine=engine)
    index = SearchIndex(index_dir)
    assert search(index, SearchRequest(q="chôm chôm")).total == 0
    (corpus / "005_new.txt").write_text("BÁO CÁO\nI. Mục\nCây chôm chôm được mùa.\n", encoding="utf-8")
    build_index(corpus, index_dir)
    assert search(index, SearchRequest(q="chôm chôm")).total == 1
    index.close()


def test_missing_or_broken_index_says_how_to_rebuild(corpus, tmp_path, engine):
    with pytest.raises(IndexUnavailable, match="searchsvc index"):
        SearchIndex(tmp_path / "nowhere")
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine=engine)
    shutil.rmtree(current_generation(index_dir) / engine)
    with pytest.raises(IndexUnavailable, match="searchsvc index"):
        SearchIndex(index_dir)
    assert build_index(corpus, index_dir).full  # a broken generation is rebuilt in full


def test_index_cli_prints_summary_and_says_when_nothing_changed(corpus, tmp_path, engine):
    index_dir = tmp_path / "index"
    run = lambda *args: subprocess.run([sys.executable, "-m", "searchsvc.cli", *args], capture_output=True, text=True, timeout=120)
    first = run("index", "--corpus", str(corpus), "--index", str(index_dir), "--engine", engine)
    assert first.returncode == 0, first.stderr
    assert "Báo cáo: 5" in first.stdout
    second = run("index", "--corpus", str(corpus), "--index", str(index_dir))
    assert "Không có thay đổi" in second.stdout
    as_json = json.loads(run("index", "--corpus", str(corpus), "--index", str(index_dir), "--json").stdout)
    assert as_json["changed"] is False and as_json["reports"] == 5


def test_builders_and_workers_without_documents_leave_no_empty_segment(corpus, tmp_path, monkeypatch):
    """A segment without documents made an index unreadable ("'EmptyColumnReader' object has no
    attribute '_offsets'") and the next update a silent full rebuild. In a full build by workers,
    this process's own segment builder gets no document; a worker may get no file (more workers
    than the files let start: here, three for three files). Neither lists a segment."""
    from whoosh.index import open_dir

    for extra in sorted(corpus.glob("*.txt"))[3:]:
        extra.unlink()
    monkeypatch.setattr(indexing, "POOL_MIN_FILES", 2)
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine="whoosh", workers=3)
    segments = open_dir(str(current_generation(index_dir) / "whoosh"))._segments()
    assert segments and all(segment.doc_count_all() for segment in segments)
    assert hits(index_dir, "Nghị quyết 84/NQ-CP") == {"000_bbd1df693d80d1cb", "002_acdedd4f53924217"}
    target = corpus / "001_ffc53ab4c4f31481.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nCây chôm chôm được mùa.\n", encoding="utf-8")
    summary = build_index(corpus, index_dir)
    assert not summary.full and summary.updated == [target.name]  # an update, not a rebuild


# --- every exit path of a Whoosh full build (its worker processes) ------------------------------------
def _build_guarded(corpus, index_dir, **kwargs):
    """build_index in a thread with a generous hang guard: (error raised, or None)."""
    outcome = {}

    def run():
        try:
            build_index(corpus, index_dir, **kwargs)
        except BaseException as error:  # what the test looks at
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(300)
    assert not thread.is_alive(), "the build hangs"
    return outcome.get("error")


def _no_children_left():
    deadline = time.monotonic() + 60  # a hang guard, not a timing assertion
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.1)
    return not multiprocessing.active_children()


def _full_disk(*args, **kwargs):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("where", ["worker adding", "worker writing", "this process listing"])
def test_a_failing_whoosh_writer_ends_every_process_and_keeps_the_previous_index(corpus, tmp_path, monkeypatch, where):
    """A full disk (injected) in a worker's segment builder, as it takes a document or as it
    writes its last segment, or in this process's writer as it lists the workers' segments:
    the build fails with the error, every child process exits, the partial generation is removed
    and the previous index still answers."""
    from searchsvc.engines import whoosh_build, whoosh_writer

    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine="whoosh")
    before = current_generation(index_dir)
    monkeypatch.setattr(indexing, "POOL_MIN_FILES", 2)
    if where == "worker adding":  # in the forked workers only
        monkeypatch.setattr(whoosh_build.SegmentBuilder, "add", _full_disk)
    elif where == "worker writing":
        monkeypatch.setattr(whoosh_build.SegmentBuilder, "_write", _full_disk)
    else:
        monkeypatch.setattr(whoosh_writer.Writer, "add_written", _full_disk)
    error = _build_guarded(corpus, index_dir, full=True, workers=2)
    assert isinstance(error, OSError)
    assert _no_children_left()
    assert current_generation(index_dir) == before
    assert sorted(p.name for p in index_dir.glob("gen-*")) == [before.name]
    assert hits(index_dir, "Nghị quyết 84/NQ-CP") == {"000_bbd1df693d80d1cb", "002_acdedd4f53924217", "004_41c8df0f7ff6743b"}


def test_a_worker_that_dies_fails_the_build(corpus, tmp_path, monkeypatch):
    """A worker killed as it writes (out of memory): the build fails instead of waiting for it
    or losing its documents, and the previous index still answers."""
    from searchsvc.engines import whoosh_build

    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine="whoosh")
    before = current_generation(index_dir)
    monkeypatch.setattr(indexing, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(whoosh_build.SegmentBuilder, "add", lambda self, fields: os.kill(os.getpid(), signal.SIGKILL))
    error = _build_guarded(corpus, index_dir, full=True, workers=2)
    assert isinstance(error, OSError) and "dừng đột ngột" in str(error)
    assert _no_children_left()
    assert current_generation(index_dir) == before
    assert sorted(p.name for p in index_dir.glob("gen-*")) == [before.name]


def test_a_full_disk_fails_the_index_command_with_its_message(corpus, tmp_path):
    """Through the command line, with the failure injected in the segment builder of a real process
    (``sitecustomize`` of a throwaway folder): the command returns 1 with one line, no traceback."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        "import errno\n"
        "from searchsvc.engines import whoosh_build\n"
        "def full(*args):\n    raise OSError(errno.ENOSPC, 'No space left on device')\n"
        "whoosh_build.SegmentBuilder.add = full\n"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-m", "searchsvc.cli", "index", "--corpus", str(corpus), "--index",
                           str(tmp_path / "index")], capture_output=True, text=True, timeout=300,
                          env=os.environ | {"PYTHONPATH": f"{hooks}:{root}"})
    assert done.returncode == 1
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr
    assert not list((tmp_path / "index").glob("gen-*"))


def _build_until_commit_in_child(corpus, index_dir, ready_path):
    """A full Whoosh build by two workers that names them when every file is parsed (their last
    segments not yet written), then pauses."""

    def pause(stage):
        if stage == "commit":
            Path(ready_path).write_text(json.dumps([p.pid for p in multiprocessing.active_children()]))
            time.sleep(60)

    indexing.POOL_MIN_FILES = 1
    build_index(corpus, index_dir, full=True, hook=pause, engine="whoosh", workers=2)


def test_a_killed_whoosh_build_leaves_no_segment_writing_worker_behind(corpus, tmp_path):
    ready = tmp_path / "ready"
    child = multiprocessing.get_context("fork").Process(target=_build_until_commit_in_child, args=(corpus, tmp_path / "index", ready))
    child.start()
    deadline = time.monotonic() + 120
    while not (ready.exists() and ready.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = json.loads(ready.read_text())
    assert len(workers) == 2  # each holding the segment of the files it parsed
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    deadline = time.monotonic() + 30
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_running, workers))
    assert build_index(corpus, tmp_path / "index", full=True, lock_timeout=5).reports == 5


# --- warm before switching ---------------------------------------------------------------------------
def test_a_new_generation_that_does_not_open_never_goes_live(corpus, tmp_path, monkeypatch, engine):
    """The new generation is opened and warmed, as a server will, before CURRENT moves."""
    from searchsvc.engines import get_engine

    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine=engine)
    before = current_generation(index_dir)
    (corpus / "005_new.txt").write_text("BÁO CÁO\nI. Mục\nnội dung mới\n", encoding="utf-8")
    stages = []

    def broken(self):
        stages.append("warm")
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(get_engine(engine).Reader, "warm", broken)
    with pytest.raises(OSError):
        build_index(corpus, index_dir, hook=stages.append)
    assert stages[-2:] == ["open", "warm"]  # after the manifest, before the switch
    assert current_generation(index_dir) == before
    assert sorted(p.name for p in index_dir.glob("gen-*")) == [before.name]


def test_a_server_app_opens_and_warms_its_index_as_it_starts(corpus, tmp_path, engine):
    from searchsvc.web import create_app

    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, engine=engine)
    app = create_app({"INDEX_DIR": str(index_dir)})  # not a test app: as gunicorn's workers load it
    state = app.extensions["searchsvc"]
    deadline = time.monotonic() + 120  # a hang guard
    while state.index is None and time.monotonic() < deadline:
        time.sleep(0.05)
    generation = state.index.generation
    assert generation.warmed.wait(120)  # a hang guard
    assert "aliases" in generation.cache  # the catalogue's aliases
    assert generation.reader._vocabulary is not None  # "did you mean" needs no first reading
    with app.test_client() as client:
        assert client.get("/api/search?q=covid").status_code == 200
