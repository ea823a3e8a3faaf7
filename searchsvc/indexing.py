"""Build and update the on-disk index: built aside, switched in only on success.

Layout of an index directory::

    index/
      CURRENT            name of the live generation ("gen-000007"), replaced atomically
      .lock              held by the one indexing run allowed at a time
      gen-000007/
        whoosh/          the engine's index of sections (or tantivy/)
        manifest.json    schema version, engine, every corpus file with its content hash, stat
                         stamp and counts, the size and CRC-32 of citations.json
        citations.json   {report_id: [citation records]}: the instrument catalogue's source, one
                         report per line, so that an update replaces lines without parsing the rest
        reports/ID.json  each parsed report (report pages never re-read the corpus)

A run starts a generation from hard links to the live one's files (or empty), applies only what
changed (new, changed or removed files, by SHA-256; a file whose size and times are those the
manifest recorded is not read again), writes the manifest and only then points CURRENT at it. A killed or failed run leaves CURRENT, and so the previous index, untouched. Every
file a run writes is a new file (written under a name it first unlinks, or replaced), never one
of the live generation's written through a shared link.

Files are parsed (``read_report``, ``section_documents``, the engine's ``prepare``) in a pool of
worker processes while this process feeds the engine's writer, in corpus order.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import signal
import time
import zlib
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Callable, Iterator

from .engines import DEFAULT_ENGINE, get_engine
from .ingest import corpus_files, file_digest, is_supported, read_report, report_id_of
from .loaders import LoadError
from .processes import exit_with_parent
from .progress import task as progress_task, track
from .schema import SCHEMA_VERSION, catalogue_records, section_documents

__all__ = [
    "IndexSummary", "IndexBusy", "IndexUnavailable", "build_index", "current_generation", "read_manifest",
    "LOCK_TIMEOUT",
]

LOCK_TIMEOUT = 120.0  # seconds a second indexing run waits for the first
KEEP_GENERATIONS = 2  # the live one and the one before (servers may still be reading it)
LAYOUT = 2  # manifest.json and citations.json as described above; an index of another is rebuilt in full
RACY_NS = 2_000_000_000  # a file whose ctime is this close to the scan that hashed it is hashed again
POOL_MIN_FILES = 8  # fewer files than this are parsed in this process: starting workers costs more
PENDING_PER_WORKER = 4  # files handed to the pool ahead of the writer: enough to keep workers busy, bounded memory


class IndexBusy(RuntimeError):
    """Another indexing run holds the lock for longer than we were willing to wait."""


class IndexUnavailable(RuntimeError):
    """No usable index at a path (missing, half-deleted or corrupt); the message says what to do."""


@dataclass
class IndexSummary:
    corpus: str
    index: str
    full: bool
    changed: bool
    reports: int = 0
    sections: int = 0
    citations: int = 0
    instruments: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    generation: str | None = None
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


# --- generations ----------------------------------------------------------------------------------
def current_generation(index_dir: str | os.PathLike) -> Path | None:
    """The live generation directory, or None when the index has never been built."""
    pointer = Path(index_dir) / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return Path(index_dir) / name if name else None


def _next_generation_name(index_dir: Path) -> str:
    numbers = [int(p.name[4:]) for p in index_dir.glob("gen-*") if p.name[4:].isdigit()]
    return f"gen-{max(numbers, default=0) + 1:06d}"


def _switch(index_dir: Path, generation: Path) -> None:
    pointer = index_dir / "CURRENT"
    temporary = index_dir / "CURRENT.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(generation.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, pointer)


def _remove_stale(index_dir: Path, keep: set[str]) -> None:
    generations = sorted((p for p in index_dir.glob("gen-*") if p.is_dir()), key=lambda p: p.name)
    live = [p for p in generations if p.name in keep]
    for path in generations:
        if path not in live and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


@contextmanager
def _exclusive(index_dir: Path, timeout: float) -> Iterator[None]:
    """Hold the index lock; wait for another run up to ``timeout`` seconds, then IndexBusy."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        f"Một lượt lập chỉ mục khác đang chạy trên {index_dir} (đã chờ {timeout:.0f} giây). "
                        "Hãy thử lại khi lượt đó kết thúc."
                    ) from None
                time.sleep(0.2)
        _LOCKS_HELD.append(handle)
        try:
            yield
        finally:
            _LOCKS_HELD.remove(handle)
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


_LOCKS_HELD: list = []  # the lock files this process holds (``_exclusive``)


def _let_go_of_locks() -> None:
    """In a child forked while the index lock is held (a parsing worker, an engine's writer
    process): its copy of the lock file is pointed at /dev/null, so that the lock goes with the
    indexing run — a child that outlives a killed run must not keep the next one waiting."""
    if _LOCKS_HELD:
        nowhere = os.open(os.devnull, os.O_RDONLY)
        for handle in _LOCKS_HELD:
            os.dup2(nowhere, handle.fileno())
        os.close(nowhere)
        _LOCKS_HELD.clear()


os.register_at_fork(after_in_child=_let_go_of_locks)


def read_manifest(generation: Path | None) -> dict | None:
    if generation is None:
        return None
    try:
        return json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def _link_generation(live: Path, generation: Path) -> None:
    """Start a generation from the live one's files, as hard links (nothing is copied); on
    failure (a full disk, a read-only folder) leave nothing behind and raise one OSError saying
    what failed — copytree gathers an error per file."""
    try:
        shutil.copytree(live, generation, copy_function=_link_or_copy)
    except BaseException as error:
        shutil.rmtree(generation, ignore_errors=True)
        if isinstance(error, shutil.Error) and error.args and error.args[0]:
            failures = error.args[0]
            raise OSError(f"không chép được {len(failures)} tệp, ví dụ: {failures[0][2]}") from error
        raise


def _link_or_copy(source: str, target: str) -> None:
    """A hard link: no run writes a file in place (``_write_new``; Whoosh and Tantivy write new
    files and rename). A lock file is copied, so that locking one generation never waits for the
    other; and a file is copied where links fail (a file system without them)."""
    if "lock" not in os.path.basename(source).lower():
        try:
            os.link(source, target)
            return
        except OSError:
            pass
    shutil.copy2(source, target)


def _write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as a new file: the name may be a link to the live generation's
    file, which writing through it would change too."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def _engine_opens(generation: Path, engine: str) -> bool:
    """Whether the engine reads its files as ``engine.SearchIndex`` opens them (a truncated or
    deleted segment fails) and the reports folder is there."""
    try:
        if not (generation / "reports").is_dir():
            return False
        get_engine(engine).open_reader(generation / engine).close()
    except Exception:  # whatever a damaged file makes the engine raise
        return False
    return True


# --- citations.json ---------------------------------------------------------------------------------
# How a line of citations.json starts: the report id (a JSON string: any quote in it is escaped) and ": "
_REPORT_ID = re.compile(rb'"(?:[^"\\]|\\.)*": ')

Records = bytes | memoryview  # a report's catalogue records, serialized: its line of citations.json


def _citations_pieces(lines: dict[str, Records]) -> Iterator[Records]:
    """citations.json, one report per line, in pieces (the records are not copied into one string).

    >>> b"".join(_citations_pieces({"r1": b'[{"key": "84_NQ-CP.2020"}]', "r2": b"[]"})).decode()
    '{\\n"r1": [{"key": "84_NQ-CP.2020"}],\\n"r2": []\\n}\\n'
    """
    yield b"{"
    for number, (report_id, records) in enumerate(lines.items()):
        yield (b",\n" if number else b"\n") + json.dumps(report_id, ensure_ascii=False).encode() + b": "
        yield records
    yield b"\n}\n"


def _write_citations(path: Path, lines: dict[str, Records]) -> dict:
    """Write citations.json as a new file (``_write_new``); what the manifest records of it."""
    path.unlink(missing_ok=True)
    size, crc = 0, 0
    with open(path, "wb") as out:
        for piece in _citations_pieces(lines):
            out.write(piece)
            size, crc = size + len(piece), zlib.crc32(piece, crc)
    return {"bytes": size, "crc32": crc}


def _citation_lines(data: bytes) -> dict[str, Records] | None:
    """The records of each report in a citations.json written by ``_citations_pieces``, as views
    of ``data`` (only the report ids are parsed); None for any other file.

    >>> {k: bytes(v) for k, v in _citation_lines(b"".join(_citations_pieces({"r1": b"[]", 'a "b": c': b"[1]"}))).items()}
    {'r1': b'[]', 'a "b": c': b'[1]'}
    """
    if not (data.startswith(b"{\n") and data.endswith(b"}\n")):
        return None
    view, reports = memoryview(data), {}
    position, last = 2, len(data) - 2  # after "{\n"; at the closing "}"
    while position < last:
        start, newline = _REPORT_ID.match(data, position), data.find(b"\n", position, last)
        if start is None or newline < start.end():
            return None
        end = newline - 1 if data[newline - 1] == ord(",") else newline
        reports[json.loads(data[position:start.end() - 2])] = view[start.end():end]
        position = newline + 1
    return reports


def _file_check(data: bytes) -> dict:
    """What the manifest records of citations.json to tell it from a truncated or garbled one."""
    return {"bytes": len(data), "crc32": zlib.crc32(data)}


def _live_citations(generation: Path, manifest: dict) -> dict[str, Records] | None:
    """The live generation's citations.json by report (see ``_citation_lines``), or None when it
    is missing or not the file its manifest describes. (``engine.SearchIndex`` parses it whole.)"""
    try:
        data = (generation / "citations.json").read_bytes()
    except OSError:
        return None
    if manifest.get("citations_file") != _file_check(data):
        return None
    return _citation_lines(data)


# --- corpus files -----------------------------------------------------------------------------------
def _same_file(entry: dict | None, stat: os.stat_result, scanned_ns: int) -> bool:
    """Whether a corpus file is still the one a manifest entry was hashed from, without reading
    it: the same size, modification and change times (a write or a replacement sets the change
    time to the clock's present), and a change time well before the scan that hashed it — a
    file changed again within one clock tick of being read would otherwise look the same (git's
    "racy" files); such a file is hashed again."""
    return (
        entry is not None
        and (entry.get("size"), entry.get("mtime_ns"), entry.get("ctime_ns")) == (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        and stat.st_ctime_ns < scanned_ns - RACY_NS
    )


def _stamp(stat: os.stat_result) -> dict:
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "ctime_ns": stat.st_ctime_ns}


def _scan(corpus: Path, old_files: dict[str, dict], hashed_at: int,
          summary: IndexSummary) -> tuple[dict[str, dict], list[tuple[Path, str, dict]]]:
    """The corpus files as the manifest (``old_files``, written by a run that started at
    ``hashed_at``) has them, by name, and the files to parse: (file, name, manifest entry so far).
    Unsupported files are skipped; ``summary`` counts the unchanged ones."""
    current: dict[str, dict] = {}
    to_parse: list[tuple[Path, str, dict]] = []
    for path in corpus_files(corpus):
        name = str(path.relative_to(corpus))
        if not is_supported(path):
            summary.skipped.append((name, f"định dạng không hỗ trợ ({path.suffix or 'không có phần mở rộng'})"))
            continue
        stat, previous = path.stat(), old_files.get(name)
        if _same_file(previous, stat, hashed_at):
            current[name] = previous
            summary.unchanged += 1
            continue
        digest = file_digest(path)
        if previous and previous["sha256"] == digest:  # touched, not changed
            current[name] = previous | _stamp(stat)
            summary.unchanged += 1
        else:
            to_parse.append((path, name, {"sha256": digest, "report_id": report_id_of(path), **_stamp(stat)}))
    return current, to_parse


@dataclass
class _Parsed:
    """One corpus file, parsed for the index (in a worker process): all this process has left to
    do is add, write and count."""

    error: str | None = None  # why the file is skipped (``LoadError``)
    documents: list = field(default_factory=list)  # the engine's prepared documents
    sections: int = 0
    citations: bytes = b"[]"  # the report's catalogue records, serialized (its line of citations.json)
    citation_count: int = 0
    instruments: list[str] = field(default_factory=list)  # the keys it cites, each once
    report_json: bytes = b""  # reports/ID.json


def _parse(engine: str, path: Path) -> _Parsed:
    """Parse one corpus file for the index: a pure function of the file, whose result pickles."""
    try:
        report = read_report(path)
    except LoadError as error:
        return _Parsed(error=str(error))
    records = catalogue_records(report)
    prepare = get_engine(engine).prepare
    return _Parsed(
        documents=[prepare(document) for document in section_documents(report)],
        sections=len(report.sections),
        citations=json.dumps(records, ensure_ascii=False).encode(),
        citation_count=len(records),
        instruments=list(dict.fromkeys(record["key"] for record in records)),
        report_json=json.dumps(report.to_dict(with_text=True), ensure_ascii=False).encode(),
    )


def _worker_count() -> int:
    """One worker per core this process may run on: this process mostly waits for them (the
    engines' writers index in threads of their own or are light next to parsing). None on a
    single core, where they would only add the pickling."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


def _start_worker() -> None:
    """In a worker: Ctrl-C is for the indexing run, which stops its workers itself; and a worker
    whose indexing run is gone (``kill -9``) exits rather than wait for tasks forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent()


@contextmanager
def _parsing(paths: list[Path], engine: str, workers: int | None) -> Iterator[Iterator[_Parsed]]:
    """The files parsed (``_parse``), in order: by ``workers`` processes (None: ``_worker_count``),
    or in this process (no workers, or a few files). The workers start on entering, before an
    engine's writer starts threads (forking copies none of them); on leaving, files not yet
    parsed are dropped. A worker that dies (out of memory) fails the run (``BrokenProcessPool``)
    instead of hanging it."""
    parse = partial(_parse, engine)
    workers = min(_worker_count() if workers is None else workers, len(paths))
    if len(paths) < POOL_MIN_FILES or workers < 1:
        yield map(parse, paths)
        return
    pool = ProcessPoolExecutor(workers, initializer=_start_worker)
    try:
        remaining = iter(paths)
        first = deque(pool.submit(parse, path) for path in islice(remaining, PENDING_PER_WORKER * workers))
        yield _in_order(first, (pool.submit(parse, path) for path in remaining))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _in_order(pending: deque[Future], more: Iterator[Future]) -> Iterator[_Parsed]:
    """The results of the ``pending`` files in order, each one taken replaced by one of ``more``:
    no more files are handed out ahead of the writer than at first, so that a writer slower than
    the workers (Whoosh's) does not pile up parsed files."""
    while pending:
        parsed = pending.popleft().result()
        pending.extend(islice(more, 1))
        yield parsed


# --- the build --------------------------------------------------------------------------------------
Progress = Callable[[Iterator, int], Iterator]


def _no_progress(items, total):
    return items


def build_index(
    corpus: str | os.PathLike,
    index_dir: str | os.PathLike,
    *,
    full: bool = False,
    progress: Progress | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
    hook: Callable[[str], None] | None = None,
    engine: str | None = None,
    workers: int | None = None,
) -> IndexSummary:
    """Bring the index at ``index_dir`` up to date with the files of ``corpus``.

    Only new, changed or removed files are touched unless ``full`` is set or the schema changed.
    ``hook`` is called with a stage name at each step (tests use it to interrupt a build).
    ``engine`` defaults to the engine of the existing index, else the default engine; changing
    it rebuilds in full. ``workers`` processes parse the files (None: one per core; 0: this one
    does, as it does when there are fewer than ``POOL_MIN_FILES`` files to parse).
    """
    started = time.monotonic()
    corpus, index_dir = Path(corpus), Path(index_dir)
    if not corpus.is_dir():
        raise FileNotFoundError(f"Không tìm thấy thư mục kho báo cáo: {corpus}")
    step = hook or (lambda stage: None)
    progress = progress or _no_progress
    with _exclusive(index_dir, lock_timeout):
        live = current_generation(index_dir)
        _remove_stale(index_dir, {live.name} if live else set())
        manifest = read_manifest(live)
        engine = engine or (manifest or {}).get("engine") or DEFAULT_ENGINE
        backend = get_engine(engine)
        citations: dict[str, Records] | None = None  # report id -> its line of citations.json
        if not full and manifest is not None and (manifest.get("schema_version"), manifest.get("layout"),
                                                  manifest.get("engine")) == (SCHEMA_VERSION, LAYOUT, engine):
            citations = _live_citations(live, manifest)
            if citations is not None and not _engine_opens(live, engine):
                citations = None
        # Asked for, no index, one of another schema, layout or engine, or a half-deleted or
        # corrupt generation (an update would carry the damage over): rebuilt from scratch.
        full = citations is None
        old_files: dict[str, dict] = {} if full else manifest["files"]
        summary = IndexSummary(str(corpus), str(index_dir), full=full, changed=False)
        scanned_ns = time.time_ns()  # before any file is looked at (``_same_file``)
        current, to_parse = _scan(corpus, old_files, 0 if full else manifest["scanned_ns"], summary)
        parsing = {name for _, name, _ in to_parse}
        removed = [name for name in old_files if name not in current and name not in parsing]
        ids_seen = {entry["report_id"]: name for name, entry in current.items()}

        if not full and not to_parse and not removed:
            summary.generation = live.name
            _fill_counts(summary, current)
            summary.seconds = time.monotonic() - started
            return summary

        step("prepare")
        generation = index_dir / _next_generation_name(index_dir)
        with _parsing([path for path, _, _ in to_parse], engine, workers) as results:
            if full:
                (generation / "reports").mkdir(parents=True)
                citations = {}
            else:
                _link_generation(live, generation)
            writer, committed = None, False
            try:
                writer = backend.create_writer(generation / engine, fresh=full)

                def drop(report_id: str) -> None:
                    writer.delete_report(report_id)
                    citations.pop(report_id, None)
                    (generation / "reports" / f"{report_id}.json").unlink(missing_ok=True)

                for name in removed:
                    drop(old_files[name]["report_id"])
                    summary.removed.append(name)
                step("parse")
                for (path, name, entry), parsed in progress(zip(to_parse, results), len(to_parse)):
                    report_id = entry["report_id"]
                    if report_id in ids_seen and ids_seen[report_id] != name:
                        summary.skipped.append((name, f"trùng mã báo cáo với {ids_seen[report_id]}"))
                        continue
                    if parsed.error is not None:
                        summary.skipped.append((name, parsed.error))
                        if name in old_files:  # a file that became unreadable leaves the index
                            drop(old_files[name]["report_id"])
                        continue
                    is_update = name in old_files
                    if is_update:
                        writer.delete_report(report_id)
                    for document in parsed.documents:
                        writer.add(document)
                    citations[report_id] = parsed.citations
                    _write_new(generation / "reports" / f"{report_id}.json", parsed.report_json)
                    current[name] = entry | {
                        "sections": parsed.sections, "citations": parsed.citation_count, "instruments": parsed.instruments,
                    }
                    ids_seen[report_id] = name
                    (summary.updated if is_update else summary.added).append(name)
                    step("document")
                step("commit")
                with progress_task("Ghi chỉ mục (gộp các phân đoạn)"):
                    writer.commit()
                committed = True
                catalogue = _write_citations(generation / "citations.json", citations)
                manifest = {
                    "schema_version": SCHEMA_VERSION,
                    "layout": LAYOUT,
                    "engine": engine,
                    "corpus": str(corpus.resolve()),
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "scanned_ns": scanned_ns,
                    "files": current,
                    "skipped": summary.skipped,
                    "citations_file": catalogue,
                }
                _write_new(generation / "manifest.json", json.dumps(manifest, ensure_ascii=False).encode())
            except BaseException:
                if writer is not None and not committed:
                    writer.cancel()
                shutil.rmtree(generation, ignore_errors=True)
                raise
        step("switch")
        _switch(index_dir, generation)
        _remove_stale(index_dir, {generation.name, *([live.name] if live else [])})
        summary.changed = True
        summary.generation = generation.name
        _fill_counts(summary, current)
        summary.seconds = time.monotonic() - started
        return summary


def _fill_counts(summary: IndexSummary, files: dict[str, dict]) -> None:
    """Reports, sections, citations and distinct instruments, from the manifest's entries."""
    summary.reports = len(files)
    summary.sections = sum(entry["sections"] for entry in files.values())
    summary.citations = sum(entry["citations"] for entry in files.values())
    summary.instruments = len({key for entry in files.values() for key in entry["instruments"]})


def tty_progress(items, total):
    """The files' progress (``searchsvc.progress``: a bar, log lines, or nothing when it is off)."""
    return track(items, total, "Lập chỉ mục")
