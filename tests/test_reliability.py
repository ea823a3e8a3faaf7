"""Reliability under load, faults and hostile input (issue 7), in a short CI mode.

1. Load: ``benchmarks/loadtest.py`` against ``searchsvc serve`` (gunicorn, one worker per core)
   with concurrent clients mixing searches, facets, report and instrument pages: no failed request.
2. Serving while indexing: the same with ``searchsvc index`` run on a changing corpus during the
   load: no failed request, every answer from one whole index, new reports searchable at once;
   and the two races that broke it (a reader closed under a search, a Whoosh searcher shared by
   threads) pinned down on their own.
3. Faults: ``kill -9`` of the indexer at twelve points of a build, an index directory that cannot
   be written (for root too), a corrupt or half-deleted index, two indexing runs at once.
4. Hostile input: fuzzed queries, HTTP parameters and paths (hypothesis), fuzzed and adversarial
   report texts, huge and binary corpus files, markup in corpus files, queries and filters,
   security headers, paths that try to leave the index.

The full-length runs (500 reports, 32 clients, 60 s) are ``python benchmarks/loadtest.py
[--reindex]``. Servers listen on free 127.0.0.1 ports and are always stopped (process groups).
"""
from __future__ import annotations

import ctypes
import http.client
import importlib.util
import json
import multiprocessing
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchsvc import settings as searchsvc_settings
from searchsvc.citations import extract_citations
from searchsvc.engine import SearchIndex
from searchsvc.indexing import IndexUnavailable, build_index, current_generation
from searchsvc.loaders import MAX_FILE_BYTES
from searchsvc.models import SearchRequest
from searchsvc.query import MAX_CLAUSES, MAX_DEPTH, MAX_QUERY_LENGTH, QueryError, parse_query
from searchsvc.searching import search
from searchsvc.sections import parse_report
from searchsvc.web import create_app

from .htmltree import parse

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
CITING_84 = {"000_bbd1df693d80d1cb", "002_acdedd4f53924217"}  # the first three seeds citing Nghị quyết 84/NQ-CP


def _load_loadtest():
    spec = importlib.util.spec_from_file_location("loadtest", ROOT / "benchmarks" / "loadtest.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["loadtest"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


loadtest = _load_loadtest()


class Hang(AssertionError):
    pass


@contextmanager
def time_limit(seconds: float, what: str = "call"):
    """Fail fast (SIGALRM) when the body runs longer than ``seconds``: a hang guard, not a benchmark."""

    def on_alarm(signum, frame):
        raise Hang(f"{what} ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def cli(*args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    """``python -m searchsvc.cli ARGS`` in a child process, text output captured."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "searchsvc.cli", *args], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=timeout, **kwargs)


def found(index_dir, q: str) -> set[str]:
    index = SearchIndex(index_dir)
    try:
        return {h.report_id for h in search(index, SearchRequest(q=q, per_page=100)).hits}
    finally:
        index.close()


def small_corpus(folder: Path, count: int = 5) -> Path:
    """The first ``count`` seed reports (real ones, DOMAIN.md) in a folder of their own."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(CORPUS.glob("*.txt"))[:count]:
        shutil.copyfile(path, folder / path.name)
    return folder


NEW_REPORT = "BÁO CÁO\nTình hình năm 2024\n\nI. Kết quả\nCây chôm chôm được mùa ở Đồng Xoài.\n"


# ================================================================================================
# 1. Load
# ================================================================================================
@pytest.fixture(scope="module")
def load_workdir(tmp_path_factory) -> str:
    """One corpus and index folder for both load runs: the second one only reindexes what changed."""
    return str(tmp_path_factory.mktemp("load"))


def test_load_many_clients_no_failed_request(load_workdir):
    """Concurrent clients on every kind of page of `searchsvc serve`: every answer right, figures printed."""
    result = loadtest.run(loadtest.Options(reports=4, clients=8, seconds=3, max_requests=3000,
                                           workdir=load_workdir, verbose=False))
    assert result["failed"] == 0, result["failures"]
    assert searchsvc_settings.SETTINGS["workers"].default == os.cpu_count()  # `searchsvc serve`: one worker per core
    assert result["workers"] == searchsvc_settings.get("workers")  # (unless SEARCHSVC_WORKERS says otherwise)
    assert result["ok"] >= len(loadtest.MIX)
    assert set(result["kinds"]) == {kind for kind, _ in loadtest.MIX}  # searches, facets, reports, instruments
    for stats in [result["overall"], *result["kinds"].values()]:
        assert 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["p99_ms"] <= stats["max_ms"]
    assert result["throughput_rps"] > 0
    table = loadtest.table(result)
    assert "failed: 0" in table and "p99 ms" in table and "req/s" in table
    assert json.loads(json.dumps(result))["ok"] == result["ok"]  # --json prints this object


def test_loadtest_options():
    quick = loadtest.options_from(loadtest.parse_args(["--quick"]))
    assert (quick.reports, quick.clients, quick.seconds) == (30, 8, 5.0)
    full = loadtest.options_from(loadtest.parse_args(["--reindex", "--max-requests", "100"]))
    assert (full.reports, full.clients, full.seconds, full.max_requests, full.reindex) == (500, 32, 60.0, 100, True)
    assert full.workers is None  # the server's own default: one worker per core


# ================================================================================================
# 2. Serving while indexing
# ================================================================================================
def test_reindex_while_serving_loses_no_request(load_workdir):
    """Reports added, changed and removed and `searchsvc index` run during the load: no failed
    request, /healthz generations never go back for a client and each has the counts its run
    printed, the new report is searchable (on every worker) seconds after the switch, the removed
    one is gone — without restarting the server."""
    result = loadtest.run(loadtest.Options(reports=4, clients=6, seconds=5, reindex=True, reindex_pause=0.2, min_rounds=2,
                                           max_requests=5000, workdir=load_workdir, verbose=False))
    assert result["failed"] == 0, result["failures"]
    reindex = result["reindex"]
    assert reindex["rounds"] >= 2, reindex
    assert len(result["generations_seen"]) >= 2  # the clients saw a switch
    assert all(r["visible_s"] is not None and not r["problems"] for r in reindex["details"]), reindex["details"]
    assert any(r["removed"] for r in reindex["details"])  # from the second round on, one report goes
    assert reindex["visible_s"]["max"] < 15
    assert "searchable after the switch" in loadtest.table(result)


def test_the_request_cap_does_not_end_the_load_before_the_reindex_rounds():
    """Clients that stopped at ``max_requests`` before a switch could never see it: while rounds
    are owed, the cap does not stop them (the clock still ends the load)."""
    ledger, clock = loadtest.Ledger(), loadtest.Clock(seconds=0, min_rounds=2)
    cases = [  # (rounds ended, tickets already taken, cap, another one may go)
        (0, 0, 3, True),
        (0, 3, 3, True),  # the cap is reached, but two rounds are still owed
        (1, 5, 3, True),
        (2, 5, 3, False),  # every round ended: the cap holds again
        (2, 2, 3, True),
    ]
    for rounds, taken, cap, goes in cases:
        clock.rounds_done, ledger.requests = rounds, taken
        assert ledger.take_ticket(cap, clock.owed()) is goes, (rounds, taken, cap)


def _a_change(corpus: Path) -> None:
    (corpus / "005_new.txt").write_text(NEW_REPORT, encoding="utf-8")


def test_a_search_in_flight_survives_the_switch(tmp_path):
    """A request holding the reader of the old generation when another one opens the new generation
    must finish (the old reader used to be closed at once: ReaderClosed, HTTP 500)."""
    corpus, index_dir = small_corpus(tmp_path / "corpus", 2), tmp_path / "index"
    build_index(corpus, index_dir)
    index = SearchIndex(index_dir)
    engine = index.reader  # what searching.search holds for the whole request
    compiled = engine.compile(parse_query("kinh tế").tree, {})
    before = engine.page(compiled, "relevance", 0, 10)[1]
    _a_change(corpus)
    build_index(corpus, index_dir)
    index.refresh()  # the next request on another thread of the worker
    assert engine.page(compiled, "relevance", 0, 10)[1] == before
    assert engine.matching_docs(compiled)
    assert search(index, SearchRequest(q="chôm chôm")).total == 1
    index.close()


def test_threads_sharing_one_index_get_the_same_answers(hostile_site):
    """The threads of a gthread worker share one SearchIndex; a Whoosh searcher is not thread-safe
    (its matchers seek one shared postings file), so each thread needs its own. Forced thread
    switches make the race show within a second when it is there."""
    index = SearchIndex(hostile_site["index"])
    queries = ["đầu tư công", "giải ngân", "covid", "y tế", "giáo dục", "ngân sách", "Nghị quyết 84/NQ-CP", "du lịch"]
    expected = {q: search(index, SearchRequest(q=q, filters={"year": ["2020..2023"]})).total for q in queries}
    errors: list[str] = []
    stop = time.monotonic() + 1.5

    def worker(number: int) -> None:
        turn = number
        while time.monotonic() < stop and not errors:
            q = queries[turn % len(queries)]
            turn += 1
            try:
                total = search(index, SearchRequest(q=q, filters={"year": ["2020..2023"]})).total
                if total != expected[q]:
                    errors.append(f"{q}: {total} hits, alone {expected[q]}")
            except Exception as error:  # zlib / unpickling / index errors from a shared file
                errors.append(f"{q}: {type(error).__name__}: {error}")

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
        index.close()
    assert errors == []


# ================================================================================================
# 3. Faults
# ================================================================================================
def _build_until(corpus: str, index_dir: str, full: bool, stage: str, occurrence: int, ready: str) -> None:
    """Child process: build, and stop dead (sleep) at the ``occurrence``-th call of ``stage``."""
    seen = {"count": 0}

    def hook(name: str) -> None:
        if name == stage:
            seen["count"] += 1
            if seen["count"] == occurrence:
                Path(ready).write_text("ready")
                time.sleep(120)

    build_index(corpus, index_dir, full=full, hook=hook, lock_timeout=10)
    os._exit(3)  # the stage never came: the parent reports it


def kill_build_at(corpus: Path, index_dir: Path, full: bool, stage: str, occurrence: int, ready: Path) -> None:
    ready.unlink(missing_ok=True)
    child = multiprocessing.get_context("fork").Process(
        target=_build_until, args=(str(corpus), str(index_dir), full, stage, occurrence, str(ready)))
    child.start()
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert child.is_alive(), f"the build ended (exit {child.exitcode}) before {stage} #{occurrence}"
            assert time.monotonic() < deadline, f"the build did not reach {stage} #{occurrence}"
            time.sleep(0.01)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        if child.is_alive():
            os.kill(child.pid, signal.SIGKILL)
        child.join(10)
    assert child.exitcode == -signal.SIGKILL


# (build, stage, occurrence): an update brings 2 documents (a new report, a changed one) and a
# removal; a full build of the same corpus 3 documents. "switch" comes after the engine's commit,
# citations.json and manifest.json are written, just before CURRENT is replaced.
KILL_POINTS = [
    ("update", "prepare", 1), ("update", "parse", 1), ("update", "document", 1), ("update", "document", 2),
    ("update", "commit", 1), ("update", "switch", 1),
    ("full", "prepare", 1), ("full", "parse", 1), ("full", "document", 1), ("full", "document", 3),
    ("full", "commit", 1), ("full", "switch", 1),
]


def test_kill_9_at_twelve_points_keeps_serving_the_previous_index(tmp_path):
    corpus, index_dir = small_corpus(tmp_path / "corpus", 3), tmp_path / "index"
    build_index(corpus, index_dir)
    live = current_generation(index_dir).name
    server_view = SearchIndex(index_dir)  # a server that was running all along
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    assert client.get("/healthz").get_json()["generation"] == live
    _a_change(corpus)
    target = corpus / "001_ffc53ab4c4f31481.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nKhu công nghiệp Nam Đồng Phú mở rộng.\n", encoding="utf-8")
    (corpus / "002_acdedd4f53924217.txt").unlink()

    for build, stage, occurrence in KILL_POINTS:
        point = f"{build} {stage} #{occurrence}"
        kill_build_at(corpus, index_dir, build == "full", stage, occurrence, tmp_path / "ready")
        assert current_generation(index_dir).name == live, point
        assert {h.report_id for h in search(server_view, SearchRequest(q="Nghị quyết 84/NQ-CP")).hits} == CITING_84, point
        assert search(server_view, SearchRequest(q="chôm chôm")).total == 0, point
        assert found(index_dir, "Nghị quyết 84/NQ-CP") == CITING_84, point  # a server starting now
        health = client.get("/healthz")
        assert health.status_code == 200 and health.get_json()["generation"] == live, point
        assert client.get("/api/search?q=covid").status_code == 200, point

    summary = build_index(corpus, index_dir, lock_timeout=10)  # the lock died with the killed runs
    assert summary.changed and summary.reports == 3
    assert search(server_view, SearchRequest(q="chôm chôm")).total == 1  # picked up without restart
    assert search(server_view, SearchRequest(q="Nam Đồng Phú")).total >= 1
    assert found(index_dir, "Nghị quyết 84/NQ-CP") == {"000_bbd1df693d80d1cb"}  # the removed one is gone
    assert client.get("/healthz").get_json()["generation"] == summary.generation
    assert len(list(index_dir.glob("gen-*"))) <= 2  # what the killed runs left is cleaned up
    server_view.close()


def _no_capabilities() -> None:
    """In the child before exec: drop every capability from the bounding set, so that root
    (uid 0) keeps its uid but loses CAP_DAC_OVERRIDE and file modes apply to it as to anyone.
    Without the privilege to drop them (not root), there are none to drop."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in range(64):
        libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP


def _tiny_file_limit() -> None:
    """In the child before exec: no file may grow past 16 KB, root included (a full disk)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))


@pytest.fixture
def built(tmp_path):
    corpus, index_dir = small_corpus(tmp_path / "corpus", 1), tmp_path / "index"
    build_index(corpus, index_dir)
    _a_change(corpus)
    return corpus, index_dir


@pytest.mark.parametrize("how", [
    "read-only",  # chmod 555 on the index directory, and no capability to override it
    "disk full",  # RLIMIT_FSIZE: writing a file fails with EFBIG, as ENOSPC would
])
def test_an_index_that_cannot_be_written_says_so_and_keeps_the_old_one(built, how):
    corpus, index_dir = built
    live = current_generation(index_dir).name
    if how == "read-only":
        (index_dir / ".lock").chmod(0o666)
        index_dir.chmod(0o555)
    try:
        done = cli("index", "--corpus", str(corpus), "--index", str(index_dir), "--wait", "5",
                   preexec_fn=_no_capabilities if how == "read-only" else _tiny_file_limit)
    finally:
        index_dir.chmod(0o755)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert f"Không ghi được chỉ mục vào {index_dir}" in done.stderr
    assert "Chỉ mục cũ vẫn được giữ nguyên" in done.stderr
    assert ("Permission denied" if how == "read-only" else "File too large") in done.stderr
    assert len(done.stderr) < 600  # one clear line, not a list of every file
    assert current_generation(index_dir).name == live
    assert [p.name for p in index_dir.glob("gen-*")] == [live]  # nothing half-written left behind
    assert found(index_dir, "covid") and not found(index_dir, "chôm chôm")
    summary = build_index(corpus, index_dir)  # once writable again, the next run completes
    assert summary.added == ["005_new.txt"] and found(index_dir, "chôm chôm") == {"005_new"}


def test_an_index_path_through_a_regular_file_is_a_clear_error(tmp_path):
    corpus = small_corpus(tmp_path / "corpus", 1)
    (tmp_path / "a-file").write_text("not a directory")
    done = cli("index", "--corpus", str(corpus), "--index", str(tmp_path / "a-file" / "index"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "Không ghi được chỉ mục vào" in done.stderr and "Not a directory" in done.stderr


def _whoosh_files(generation: Path, pattern: str) -> list[Path]:
    files = sorted((generation / "whoosh").glob(pattern))
    assert files, pattern
    return files


# name -> damage(index_dir, live generation); each says what a crash, a bad copy or a hand did
DAMAGE = {
    "CURRENT names a missing generation": lambda d, g: (d / "CURRENT").write_text("gen-000099\n"),
    "CURRENT is empty": lambda d, g: (d / "CURRENT").write_text(""),
    "generation deleted": lambda d, g: shutil.rmtree(g),
    "manifest.json deleted": lambda d, g: (g / "manifest.json").unlink(),
    "manifest.json truncated": lambda d, g: (g / "manifest.json").write_text('{"schema_version": '),
    "citations.json deleted": lambda d, g: (g / "citations.json").unlink(),
    "citations.json garbage": lambda d, g: (g / "citations.json").write_text("[1, 2"),
    "citations.json one byte changed": lambda d, g: _flip_last_digit(g / "citations.json"),  # same size: the CRC tells
    "reports/ deleted": lambda d, g: shutil.rmtree(g / "reports"),
    "engine directory deleted": lambda d, g: shutil.rmtree(g / "whoosh"),
    "segment files deleted": lambda d, g: [p.unlink() for p in _whoosh_files(g, "*.seg")],
    "segment files truncated": lambda d, g: [p.write_bytes(p.read_bytes()[:64]) for p in _whoosh_files(g, "*.seg")],
    "table of contents garbage": lambda d, g: [p.write_bytes(b"\0garbage") for p in _whoosh_files(g, "*.toc")],
}


def _flip_last_digit(path: Path) -> None:
    data = bytearray(path.read_bytes())
    at = max(i for i, byte in enumerate(data) if chr(byte).isdigit())
    data[at] = ord("1") if data[at] != ord("1") else ord("2")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("size", [0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 7])  # around the block size
def test_a_file_is_checked_a_block_at_a_time_as_it_was_written(tmp_path, size):
    from searchsvc.generations import _file_check, file_check

    data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    (tmp_path / "citations.json").write_bytes(data)
    assert file_check(tmp_path / "citations.json") == _file_check(data)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pristine")
    corpus, index_dir = small_corpus(folder / "corpus", 1), folder / "index"
    build_index(corpus, index_dir)
    return corpus, index_dir


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_index_is_refused_at_start_with_how_to_rebuild(pristine, tmp_path, damage, capsys):
    corpus, index_dir = pristine[0], tmp_path / "index"
    shutil.copytree(pristine[1], index_dir)
    DAMAGE[damage](index_dir, current_generation(index_dir))

    with pytest.raises(IndexUnavailable, match="searchsvc index --index"):
        SearchIndex(index_dir)

    from searchsvc import cli as searchsvc_cli

    assert searchsvc_cli.main(["search", "covid", "--index", str(index_dir)]) == 1
    assert "searchsvc index --index" in capsys.readouterr().err

    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["error"]["code"] == "index_unavailable"
    assert "searchsvc index --index" in health.get_json()["error"]["message"]
    page = client.get("/?q=covid")
    assert page.status_code == 503 and "searchsvc index" in parse(page.data).text

    summary = build_index(corpus, index_dir)  # the next run repairs it
    assert summary.changed and summary.reports == 1
    assert client.get("/healthz").status_code == 200 and found(index_dir, "covid")


def _engine_files(generation: Path) -> list[Path]:
    return [p for p in generation.rglob("*") if p.is_file() and p.parent != generation / "reports"
            and p.name not in ("manifest.json", "citations.json")]


def test_an_index_damaged_while_serving_answers_503_with_the_fix_never_500(tmp_path):
    """The Whoosh engine's files are truncated under a running app (its reader already open):
    searches that read them answer 503 with the command that rebuilds the index with the same
    engine, never 500; the health check says 503 from then on, and the rebuild makes both
    answer again. (Tantivy maps its files into memory: truncating them under a reader is a
    SIGBUS, not an exception, so that engine is not damaged in this process.)"""
    corpus, index_dir = small_corpus(tmp_path / "corpus", 2), tmp_path / "index"
    build_index(corpus, index_dir, engine="whoosh")
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/search?q=covid").status_code == 200
    for path in _engine_files(current_generation(index_dir) / "whoosh"):
        path.write_bytes(b"")  # in place: the open files shrink under the reader
    answers = [client.get(f"/api/search?q={q}") for q in ("xuất khẩu lao động", "giáo dục", "ngân sách")]
    assert {a.status_code for a in answers} == {503}
    hint = f"searchsvc index --index {index_dir} --full --engine whoosh"
    assert all(hint in a.get_json()["error"]["message"] for a in answers)
    health = client.get("/healthz")
    assert health.status_code == 503 and hint in health.get_json()["error"]["message"]
    page = client.get("/?q=dịch bệnh")
    assert page.status_code == 503 and hint in parse(page.data).text
    build_index(corpus, index_dir)  # the index command repairs it, as Whoosh
    assert (current_generation(index_dir) / "whoosh").is_dir()
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/search?q=giáo dục").status_code == 200


def _damage_tantivy_while_serving(index_dir: str, answers) -> None:
    """In a child process (a SIGBUS would kill it, not the test): serve, cut the segment files
    short in place, serve again; the status codes and the health check's message go back."""
    client = create_app({"TESTING": True, "INDEX_DIR": index_dir}).test_client()
    codes = [client.get("/api/search?q=covid").status_code]
    for path in _engine_files(current_generation(index_dir) / "tantivy"):
        if path.suffix in (".idx", ".pos", ".term", ".store", ".fast", ".fieldnorm"):
            with open(path, "r+b") as handle:
                handle.truncate(max(path.stat().st_size // 2, 1))
    codes += [client.get(f"/api/search?q={q}").status_code for q in ("giáo dục", "ngân sách", "")]
    health = client.get("/healthz")
    answers.put((codes, health.status_code, health.get_json()["error"]["message"] if health.status_code != 200 else ""))


def test_a_tantivy_index_cut_short_while_serving_answers_503_instead_of_dying(tmp_path):
    """Tantivy maps its files into memory: reading one cut short under it is a SIGBUS that killed
    the server worker, with requests in flight. Each search first checks the files' sizes."""
    corpus, index_dir = small_corpus(tmp_path / "corpus", 2), tmp_path / "index"
    build_index(corpus, index_dir, engine="tantivy")
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    child = context.Process(target=_damage_tantivy_while_serving, args=(str(index_dir), answers))
    child.start()
    child.join(300)
    assert child.exitcode == 0, f"the serving process died ({child.exitcode})"
    codes, health, message = answers.get(timeout=10)
    assert codes == [200, 503, 503, 503] and health == 503
    assert f"searchsvc index --index {index_dir} --full --engine tantivy" in message


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_index_says_why_before_it_rebuilds_and_keeps_the_engine(tmp_path, engine):
    """An update that finds the live generation unusable rebuilds it in full, saying why first;
    the rebuild uses the engine the index was built with, even when the manifest is lost."""
    corpus, index_dir = small_corpus(tmp_path / "corpus", 2), tmp_path / "index"
    assert cli("index", "--corpus", str(corpus), "--index", str(index_dir), "--engine", engine).returncode == 0
    for path in _engine_files(current_generation(index_dir) / engine):
        path.write_bytes(b"\0" * 8)
    done = cli("index", "--corpus", str(corpus), "--index", str(index_dir))
    assert done.returncode == 0, done.stderr
    assert "Lưu ý: Không dùng được chỉ mục hiện có" in done.stderr and f"bằng {engine}" in done.stderr
    assert "Lập lại toàn bộ" in done.stdout and (current_generation(index_dir) / engine).is_dir()
    (current_generation(index_dir) / "manifest.json").unlink()
    done = cli("index", "--corpus", str(corpus), "--index", str(index_dir))
    assert done.returncode == 0 and "thiếu hoặc hỏng manifest.json" in done.stderr
    assert (current_generation(index_dir) / engine).is_dir()
    assert found(index_dir, "covid")


def _hold_the_lock(corpus: str, index_dir: str, entered: str, release: str) -> None:
    def hook(stage: str) -> None:
        if stage == "prepare":
            Path(entered).write_text("in")
            deadline = time.monotonic() + 60
            while not Path(release).exists() and time.monotonic() < deadline:
                time.sleep(0.02)

    build_index(corpus, index_dir, hook=hook)


def test_two_indexing_runs_at_once_the_second_waits_or_says_so(built, tmp_path):
    corpus, index_dir = built
    entered, release = tmp_path / "entered", tmp_path / "release"
    first = multiprocessing.get_context("fork").Process(
        target=_hold_the_lock, args=(str(corpus), str(index_dir), str(entered), str(release)))
    first.start()
    waiting = None
    try:
        deadline = time.monotonic() + 30
        while not entered.exists():
            assert first.is_alive() and time.monotonic() < deadline
            time.sleep(0.02)
        started = time.monotonic()
        impatient = cli("index", "--corpus", str(corpus), "--index", str(index_dir), "--wait", "1")
        assert impatient.returncode == 1 and "Traceback" not in impatient.stderr
        assert "Một lượt lập chỉ mục khác đang chạy" in impatient.stderr
        assert time.monotonic() - started >= 1.0  # it did wait its second

        env = dict(os.environ, PYTHONPATH=str(ROOT))
        waiting = subprocess.Popen([sys.executable, "-m", "searchsvc.cli", "index", "--corpus", str(corpus),
                                    "--index", str(index_dir), "--wait", "60", "--json"],
                                   cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        assert waiting.poll() is None  # patiently waiting for the lock
        release.write_text("go")
        first.join(60)
        assert first.exitcode == 0
        out, err = waiting.communicate(timeout=60)
        assert waiting.returncode == 0, err
        assert json.loads(out)["changed"] is False  # the first run already indexed the change
    finally:
        release.write_text("go")
        if first.is_alive():
            os.kill(first.pid, signal.SIGKILL)
        first.join(10)
        if waiting is not None and waiting.poll() is None:
            waiting.kill()
            waiting.wait()
    assert found(index_dir, "chôm chôm") == {"005_new"}


# ================================================================================================
# 4. Hostile input
# ================================================================================================
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                derandomize=True, database=None)  # the same examples in every run: CI never flakes
PAYLOADS = ["<script>alert(1)</script>", "\"><svg onload=alert(1)>", "'><img src=x onerror=alert(1)>",
            "javascript:alert(1)", "{{7*7}}", "%00", "\x00", "../../etc/passwd", "%2e%2e%2f"]
RAW_MARKUP = re.compile(r"<script>alert|<svg onload|<img src=x onerror|<b onmouseover")
QUERY_PIECES = ["(", ")", '"', "AND", "OR", "NOT", "-", "province:", "year:", "2020..2022", "instrument:", "84/NQ-CP",
                "Nghị quyết", "số", "nghi quyet", "đầu tư", "\\", "*", ":", "..", "\n", "\t", "\x00", "\u200b", "ﬁ",
                "Ω", "ắ", "a\u0301", " "]
query_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80),  # control characters, any plane
    st.lists(st.sampled_from(QUERY_PIECES + PAYLOADS), max_size=60).map(" ".join),
    st.lists(st.sampled_from(QUERY_PIECES), max_size=400).map("".join),
)


@settings(FUZZ, max_examples=400)
@given(query_text)
def test_fuzz_query_parser_raises_only_query_error(text):
    with time_limit(2, "parse_query"):
        try:
            parsed = parse_query(text)
        except QueryError:
            return
    assert parsed.tree is None or parsed.text


BOMBS = {
    "1000 OR-ed terms": " OR ".join(f"từ{n}" for n in range(1000)),  # too long
    "200 OR-ed letters": " OR ".join("a" for _ in range(200)),  # short enough, too many clauses
    "500 nested parentheses": "(" * 500 + "đầu tư" + ")" * 500,  # too long
    "400 open parentheses": "(" * 400,  # unclosed and too deep
    "one level too deep": "(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1),
    "one character too long": "x" * (MAX_QUERY_LENGTH + 1),
    "one instrument too many": " ".join(["Nghị quyết 84/NQ-CP"] * (MAX_CLAUSES + 1)),
}


@pytest.mark.parametrize("q", list(BOMBS.values()), ids=list(BOMBS))
@pytest.mark.parametrize("path", ["/", "/api/search"])
def test_query_bombs_answer_400_quickly(search_client, path, q):
    started = time.perf_counter()
    with time_limit(5, path):
        response = search_client.get(path, query_string={"q": q})
    assert response.status_code == 400
    assert time.perf_counter() - started < 2
    if path.startswith("/api/"):
        assert response.get_json()["error"]["code"] == "invalid_query"


@pytest.fixture(scope="module")
def search_client(hostile_site):
    """A test client over a seed report and reports full of markup (module-wide: hypothesis runs
    many examples on one app)."""
    return hostile_site["client"]


ENDPOINTS = {  # path -> the parameters it knows
    "/": ("q", "province", "year", "period", "type", "issuer", "instrument", "section", "sort", "page", "per_page"),
    "/api/search": ("q", "province", "year", "period", "type", "issuer", "instrument", "section", "sort", "page", "per_page"),
    "/reports/000_bbd1df693d80d1cb": ("q",),
    "/api/reports/000_bbd1df693d80d1cb": (),
    "/instruments": ("q", "type", "issuer", "year", "sort", "page", "per_page"),
    "/api/instruments": ("q", "type", "issuer", "year", "sort", "page", "per_page"),
    "/instruments/84_NQ-CP.2020": ("page",),
    "/api/instruments/84_NQ-CP.2020": ("page", "per_page"),
    "/api/openapi.json": (),
    "/healthz": (),
}
param_value = st.one_of(st.text(max_size=40), st.sampled_from(PAYLOADS + ["0", "-1", "1e9", "99999999999", "2020..2022",
                                                                          "Bắc Giang", "newest", " ", ""]),
                        st.integers(-10**12, 10**12).map(str), query_text)


@st.composite
def http_requests(draw):
    path = draw(st.sampled_from(sorted(ENDPOINTS)))
    names = st.one_of(st.sampled_from(ENDPOINTS[path] or ("q",)), st.text(min_size=1, max_size=12))
    pairs = draw(st.lists(st.tuples(names, param_value), max_size=6))
    return path, pairs


def check_hostile_response(response, what) -> None:
    assert response.status_code < 500, (what, response.status_code, response.data[:300])
    assert response.status_code in (200, 301, 302, 308, 400, 404), (what, response.status_code)
    if response.mimetype == "text/html":
        assert not RAW_MARKUP.search(response.get_data(as_text=True)), what  # markup never comes back live
        if response.status_code in (200, 400, 404):
            parse(response.data)  # well-formed, whatever was asked


@settings(FUZZ, max_examples=150)
@given(http_requests())
def test_fuzz_http_parameters_never_500(search_client, request_):
    path, pairs = request_
    with time_limit(10, path):
        response = search_client.get(path + "?" + urlencode(pairs))
    check_hostile_response(response, (path, pairs))


@settings(FUZZ, max_examples=100)
@given(st.sampled_from(["/reports/", "/api/reports/", "/instruments/", "/api/instruments/", "/reports/x/original",
                        "/static/"]),
       st.one_of(st.text(min_size=1, max_size=60), st.sampled_from(PAYLOADS)))
def test_fuzz_http_paths_never_500(search_client, prefix, segment):
    path = prefix.replace("/x/", "/" + quote(segment, safe="") + "/") if "/x/" in prefix else prefix + quote(segment, safe="")
    with time_limit(10, path):
        response = search_client.get(path)
    check_hostile_response(response, path)


REPORT_PIECES = [
    "UBND TỈNH BẮC GIANG\n", "Số: 12/BC-UBND\n", "Bắc Giang, ngày 14 tháng 6 năm 2023\n", "BÁO CÁO\n",
    "Tình hình kinh tế - xã hội 6 tháng đầu năm 2023\n", "Phần thứ nhất\n", "PHẦN I\n", "A. ", "I. ", "II.", "1. ",
    "1.1. ", "6.1.Công tác", "a) ", "- ", "+ ", "**", "Nghị quyết số 84/NQ-CP ngày 29/5/2020 của Chính phủ",
    "Nghị quyết 84/NQ-CP", "NQ 84", "Nghị quyết số 84", "15/2021/NĐ-CP", "36-NQ/TW", "1567/UBND-NC", "01/2020/TT-BTC",
    "các Chỉ thị số: 15/CT-TTg ngày 27/3/2020, 16/CT-TTg ngày 31/3/2020 của Thủ tướng Chính phủ",
    "ngày 29-5-2020", "ngày 29 tháng 5 năm 2020", "⁽¹⁾", "⁽¹⁾ Nghị quyết về nhiệm vụ\n", "[footnote:2]",
    "[2: Chỉ thị về phòng dịch]", "[2: ", "[1]", "\n[1] Kế hoạch số 5\n", "đầu tư công ", "nghi quyet so 84/NQ-CP ",
    "\n", "\r\n", "\t", " ", "\ufeff", "\x00", "\x0c", "]", "[", "/", "-", "…", "%", "6,4%", "<script>alert(1)</script>",
]
report_text = st.one_of(
    st.lists(st.sampled_from(REPORT_PIECES), max_size=200).map("".join),
    st.lists(st.one_of(st.sampled_from(REPORT_PIECES), st.text(max_size=20)), max_size=80).map("".join),
    st.text(max_size=2000),
)


@settings(FUZZ, max_examples=300)
@given(report_text)
def test_fuzz_report_parser_and_citation_extractor(text):
    with time_limit(2, "parse_report"):
        report = parse_report(text, "fuzz")
    with time_limit(2, "extract_citations"):
        citations = extract_citations(text)
    for citation in citations:
        assert 0 <= citation.start < citation.end <= len(text)
    section_ids = {s.id for s in report.sections}
    assert all(c.section_id is None or c.section_id in section_ids for c in report.citations)
    json.dumps(report.to_dict(with_text=True), ensure_ascii=False)


def _superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


# ~100 KB each: twice a long real report. Each of these took from 10 s to minutes before the
# parser's scans were made linear (sections._find_footnotes, resolve_citations, attach_titles).
ADVERSARIAL = {
    "unclosed inline notes": "[2: " * 25_000,
    "one footnote marker on every line": "⁽¹⁾ Nghị quyết về nhiệm vụ\n" * 4_000,
    "one bracket note on every line": "[1] Chỉ thị số 15/CT-TTg\n" * 4_000,
    "thousands of mentions of one instrument": "84/NQ-CP " * 11_000,
    "party symbols run together": "36-NQ/TW " * 11_000,
    "references broken over lines": "Nghị quyết số\n84/NQ-CP\n" * 4_000,
    "a thousand footnotes naming instruments": "".join(
        f"Nghị quyết {n}/NQ-CP⁽{_superscript(n)}⁾\n⁽{_superscript(n)}⁾ Nghị quyết về việc {n}\n" for n in range(1, 1_500)),
    "a heading and a reference on every line": "1.1. Thực hiện Nghị quyết 84/NQ-CP\n" * 3_000,
    "inline markers and notes": "[footnote:2] " * 5_000 + "[2: Chỉ thị về x] " * 3_000,
    "one line of digits and dots": "1." * 50_000,
    "symbols run together": "84/NQ-CP-" * 11_000,
    "long list of dated references": "các Chỉ thị số: " + ", ".join(f"{n}/CT-TTg ngày 27/3/2020" for n in range(4_000)),
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_reports_parse_in_bounded_time(name):
    text = ADVERSARIAL[name]
    started = time.perf_counter()
    with time_limit(20, name):
        parse_report(text, "adversarial")
        extract_citations(text)
    assert time.perf_counter() - started < 6, name  # linear: well under a second when the machine is idle


def _peak_rss_kb_of_index_run(corpus: Path, index_dir: Path) -> tuple[int, dict]:
    """Run `searchsvc index --json` and read the child's own peak RSS (wait4), in KB."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryFile("w+") as out:
        child = subprocess.Popen([sys.executable, "-m", "searchsvc.cli", "index", "--corpus", str(corpus),
                                  "--index", str(index_dir), "--json"], cwd=ROOT, env=env, stdout=out,
                                 stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        assert child.returncode == 0
        return usage.ru_maxrss, json.loads(out.read())


def test_huge_and_binary_corpus_files_are_skipped_in_bounded_memory(tmp_path):
    plain = small_corpus(tmp_path / "plain", 1)
    baseline, _ = _peak_rss_kb_of_index_run(plain, tmp_path / "plain-index")
    corpus = small_corpus(tmp_path / "corpus", 1)
    with open(corpus / "huge.txt", "wb") as handle:  # sparse: 10 MB over the limit, no disk used
        handle.truncate(MAX_FILE_BYTES + 10 * 1024 * 1024)
    (corpus / "random.txt").write_bytes(os.urandom(2 * 1024 * 1024))
    (corpus / "zeros.txt").write_bytes(bytes(1024 * 1024))
    (corpus / "program.txt").write_bytes(Path(sys.executable).read_bytes()[:512 * 1024])
    (corpus / "fake.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(256 * 1024))
    (corpus / "fake.docx").write_bytes(b"PK\x03\x04" + os.urandom(64 * 1024))
    (corpus / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(1024))
    started = time.perf_counter()
    peak, summary = _peak_rss_kb_of_index_run(corpus, tmp_path / "index")
    assert time.perf_counter() - started < 60
    skipped = dict(summary["skipped"])
    assert set(skipped) == {"huge.txt", "random.txt", "zeros.txt", "program.txt", "fake.pdf", "fake.docx", "photo.jpg"}
    assert "50 MB" in skipped["huge.txt"]
    assert summary["reports"] == 1
    assert peak - baseline < 40 * 1024, (baseline, peak)  # the 60 MB file was never read


# --- markup, headers and paths, on the test client and on a real server ---------------------------------------
SECRET = "SECRET-6f1d2a-NOT-FOR-THE-WEB"
XSS_ID = "xss_report"
XSS_REPORT = """UỶ BAN NHÂN DÂN TỈNH BẮC GIANG <script>alert(1)</script>
Số: 99/BC-UBND
Bắc Giang, ngày 14 tháng 6 năm 2023
BÁO CÁO
Tình hình kinh tế - xã hội <script>alert(1)</script> năm 2023 "><svg onload=alert(1)>

I. Kết quả <script>alert(1)</script> đạt được
Thực hiện Nghị quyết số 84/NQ-CP ngày 29/5/2020 của Chính phủ<script>alert(1)</script>⁽¹⁾, tỉnh đã tập trung
giải ngân vốn đầu tư công '><img src=x onerror=alert(1)> và <b onmouseover=alert(1)>cải cách</b> javascript:alert(1).
⁽¹⁾ Nghị quyết về nhiệm vụ <script>alert(1)</script> giải pháp chủ yếu
1. Đầu tư công "><svg onload=alert(1)>
Kế hoạch số 12/KH-UBND ngày 02/3/2023 <script>alert(1)</script> về đầu tư công.
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """An index holding a report full of markup (and a file name with markup), beside a secret
    file that no URL may reach; served by the test client and by `searchsvc serve`."""
    workdir = tmp_path_factory.mktemp("hostile")
    corpus, index_dir = small_corpus(workdir / "corpus", 1), workdir / "index"
    (corpus / f"{XSS_ID}.txt").write_text(XSS_REPORT, encoding="utf-8")
    (corpus / "x\"><svg onload=alert(1)>.txt").write_text(XSS_REPORT, encoding="utf-8")
    (workdir / "secret.txt").write_text(SECRET)
    (index_dir.parent / "secret.json").write_text(json.dumps({"secret": SECRET}))
    build_index(corpus, index_dir)
    (current_generation(index_dir).parent / "notes.txt").write_text(SECRET)  # inside the index folder, not a report
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus)})
    server = loadtest.Server(index_dir, corpus, workdir / "server.log", workers=1)
    try:
        server.wait_ready()
        yield {"client": app.test_client(), "port": server.port, "index": index_dir}
    finally:
        server.stop()


def _instrument_of_xss_report(client) -> str:
    data = client.get(f"/api/reports/{XSS_ID}").get_json()
    return next(c["key"] for c in data["citations"] if c["canonical"] == "84/NQ-CP")


HOSTILE_PAGES = [
    "/?q=<script>alert(1)</script>",
    "/?q=alert",  # the report's own markup in titles and snippets
    "/?q=\"><svg onload=alert(1)>&province=<script>alert(1)</script>",
    "/?q=đầu tư&province=\"><img src=x onerror=alert(1)>&sort=newest",
    "/?year=<script>alert(1)</script>",  # an error page quoting the value
    "/?<script>alert(1)</script>=1",  # an unknown parameter named with markup
    f"/reports/{XSS_ID}",
    f"/reports/{XSS_ID}?q=<script>alert(1)</script>",  # query words marked inside markup-bearing text
    f"/reports/{XSS_ID}?q=script alert onerror",
    "/reports/<script>alert(1)</script>",
    "/instruments",
    "/instruments?q=<script>alert(1)</script>&type=\"><svg onload=alert(1)>",
    "/instruments/{key}",
    "/instruments/<svg onload=alert(1)>",
    "/nowhere/<script>alert(1)</script>",
]


SHOWN_AS_TEXT = {"/?q=<script>alert(1)</script>", "/?q=alert", f"/reports/{XSS_ID}", f"/reports/{XSS_ID}?q=<script>alert(1)</script>",
                 "/?q=\"><svg onload=alert(1)>&province=<script>alert(1)</script>", "/?year=<script>alert(1)</script>"}


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_markup_from_corpus_queries_and_filters_is_always_escaped(hostile_site, url):
    client = hostile_site["client"]
    url = url.replace("{key}", _instrument_of_xss_report(client))
    response = client.get(url)
    assert response.status_code in (200, 400, 404)
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert not RAW_MARKUP.search(body)
    document = parse(response.data)
    for element in document.iter():
        assert not any(name.startswith("on") for name in element.attrs), (element.tag, element.attrs)
        if element.tag == "script":
            assert (element.get("src") or "").startswith("/static/") and not element.text
        for name in ("href", "src", "action"):
            assert not (element.get(name) or "").strip().lower().startswith("javascript:")
    if url in SHOWN_AS_TEXT:
        assert "<script>alert(1)</script>" in document.text  # shown as text, neither run nor dropped


def test_json_answers_carry_markup_as_data_never_as_html(hostile_site):
    client = hostile_site["client"]
    for url in ["/api/search?q=<script>alert(1)</script>", f"/api/reports/{XSS_ID}", "/api/search?q=alert",
                "/api/instruments?q=<script>"]:
        response = client.get(url)
        assert response.mimetype == "application/json"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def _check_security_headers(headers, what) -> None:
    headers = {k.lower(): v for k, v in headers}
    policy = headers.get("content-security-policy", "")
    directives = {d.strip().split(" ")[0]: d.strip() for d in policy.split(";") if d.strip()}
    script = directives.get("script-src") or directives.get("default-src", "")
    assert script and "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, (what, policy)
    assert "'unsafe-inline'" not in directives.get("default-src", ""), (what, policy)
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", (what, policy)
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("referrer-policy") in ("same-origin", "no-referrer", "strict-origin-when-cross-origin", "strict-origin"), what


HEADER_URLS = [
    "/", "/?q=đầu tư", f"/reports/{XSS_ID}", "/instruments", "/api/search?q=covid", "/api/instruments",
    "/api/openapi.json", "/healthz", "/static/style.css", "/static/app.js", "/reports/nope", "/api/reports/nope",
    "/?page=abc", "/api/search?page=abc", "/nowhere", "/static/nope.css", f"/reports/{XSS_ID}/original",
]


@pytest.mark.parametrize("url", HEADER_URLS)
def test_security_headers_on_every_response(hostile_site, url):
    response = hostile_site["client"].get(url)
    _check_security_headers(response.headers.items(), url)
    status, headers, _ = _raw_get(hostile_site["port"], quote(url, safe="/?=&%"))
    assert status == response.status_code, url
    _check_security_headers(headers, f"gunicorn {url}")


def test_security_headers_on_redirects_and_wrong_methods(hostile_site):
    client = hostile_site["client"]
    for response in [client.post("/api/search"), client.get("/instruments/84_NQ-CP"), client.delete("/")]:
        _check_security_headers(response.headers.items(), response.status_code)


def _raw_get(port: int, path: str, timeout: float = 30) -> tuple[int, list, bytes]:
    """GET ``path`` sent exactly as given (no normalisation by the client)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def _raw_bytes(port: int, request_line: bytes, timeout: float = 30) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request_line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


TRAVERSALS = [
    "/reports/../../secret", "/reports/..%2f..%2fsecret", "/reports/%2e%2e%2f%2e%2e%2fsecret",
    "/reports/%2e%2e", "/reports/..", "/reports/..%2Fgen-000001%2Fmanifest", "/reports/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/reports//etc/passwd", "/reports/%2fetc%2fpasswd", "/reports/%2Fetc%2Fpasswd/original",
    "/reports/x%00", "/reports/%00", "/reports/secret%00.json", "/reports/..%5c..%5csecret", "/reports/C:%5Cwindows",
    "/reports/....%2f%2f....%2f%2fsecret", "/reports/%252e%252e%252fsecret", "/reports/..%c0%afsecret",
    "/reports/../../secret/original", "/reports/..%2f..%2fsecret/original", "/reports/notes/original",
    "/api/reports/..%2f..%2fsecret", "/api/reports/%2e%2e", "/api/reports/..%2fgen-000001%2fmanifest",
    "/instruments/..%2f..%2f..%2fetc%2fpasswd", "/instruments/%2e%2e", "/api/instruments/..%2f..%2fsecret",
    "/static/../../secret.txt", "/static/..%2f..%2fsecret.txt", "/static/%2e%2e/%2e%2e/secret.txt",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
    "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/index/CURRENT", "/gen-000001/manifest.json",
]


def _leaks(body: bytes) -> bool:
    return SECRET.encode() in body or b"root:x:0:0" in body or b"schema_version" in body


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_url_reads_a_file_outside_the_index(hostile_site, path):
    status, headers, body = _raw_get(hostile_site["port"], path)
    if status in (301, 302, 307, 308):  # a normalising redirect: follow it once, it must lead nowhere either
        location = dict((k.lower(), v) for k, v in headers)["location"]
        assert location.startswith("/") or location.startswith("http://127.0.0.1")
        status, headers, body = _raw_get(hostile_site["port"], re.sub(r"^https?://[^/]+", "", location))
    assert status in (400, 404), (path, status)
    assert not _leaks(body), path
    response = hostile_site["client"].get(path)  # and through the WSGI stack directly
    assert response.status_code in (308, 400, 404), (path, response.status_code)
    assert not _leaks(response.data), path


@pytest.mark.parametrize("request_line", [
    b"GET /reports/x\x00../../secret HTTP/1.1", b"GET /static/\x00/../secret.txt HTTP/1.1",
    b"GET /reports/..\\..\\secret HTTP/1.1", b"GET /reports/" + b"A" * 9000 + b" HTTP/1.1",
])
def test_raw_nul_backslash_and_overlong_paths(hostile_site, request_line):
    answer = _raw_bytes(hostile_site["port"], request_line)
    status = int(answer.split(b" ", 2)[1])
    assert status in (400, 404, 414), answer[:200]
    assert not _leaks(answer)
    status, _, _ = _raw_get(hostile_site["port"], "/healthz")  # and the server is still there
    assert status == 200
