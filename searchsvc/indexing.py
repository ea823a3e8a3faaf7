"""Build and update the on-disk index: built aside, switched in only on success.

The index directory holds generations (``generations``: layout, lock, manifests, citations.json).
A run starts a generation from hard links to the live one's files (or empty), applies only what
changed (new, changed or removed files, by SHA-256; a file whose size and times are those the
manifest recorded is not read again), writes the manifest and only then points CURRENT at it. A killed or failed run leaves CURRENT, and so the previous index, untouched. Every
file a run writes is a new file (written under a name it first unlinks, or replaced), never one
of the live generation's written through a shared link.

Files are parsed (``read_report``, ``section_documents``, the engine's ``prepare``) by worker
processes (``workers``) while this process feeds the engine's writer, in corpus order; in a full
build by an engine that writes in its workers (``worker_writer``: Whoosh), each worker writes
the documents of the files it parses, and only the rest of a file comes back.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

from .engines import DEFAULT_ENGINE, get_engine
from .generations import (
    IndexBusy, IndexUnavailable, Records, current_generation, engine_of, exclusive, link_generation, live_citations,
    next_generation_name, open_and_warm, read_manifest, remove_stale, switch, why_unusable, write_citations, write_new,
)
from .ingest import assign_report_ids, corpus_files, file_digest, is_report_id, is_supported, read_report
from .loaders import LoadError
from .progress import task as progress_task, track
from .schema import SCHEMA_VERSION, catalogue_records, section_documents
from .signatures import Recorder, section_words
from .workers import Workers

__all__ = [
    "IndexSummary", "IndexBusy", "IndexUnavailable", "build_index", "current_generation", "read_manifest",
    "LOCK_TIMEOUT",
]

LOCK_TIMEOUT = 120.0  # seconds a second indexing run waits for the first
LAYOUT = 2  # manifest.json and citations.json as described above; an index of another is rebuilt in full
RACY_NS = 2_000_000_000  # a file whose ctime is this close to the scan that hashed it is hashed again
POOL_MIN_FILES = 8  # fewer files than this are parsed in this process: starting workers costs more
PENDING_PER_WORKER = 4  # files handed to the pool ahead of the writer: enough to keep workers busy, bounded memory


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


def _scan(corpus: Path, old_files: dict[str, dict], hashed_at: int, summary: IndexSummary,
          old_ids: dict[str, str]) -> tuple[dict[str, dict], list[tuple[Path, str, dict]]]:
    """The corpus files as the manifest (``old_files``, written by a run that started at
    ``hashed_at``) has them, by name, and the files to parse: (file, name, manifest entry so far).
    Unsupported files and links leaving the corpus are skipped; ``summary`` counts the unchanged
    ones. Files to parse get their report ids last, unique among all, keeping the id in ``old_ids``
    (name -> id in the live index, even for a full rebuild) when they can (``assign_report_ids``)."""
    current: dict[str, dict] = {}
    to_parse: list[tuple[Path, str, dict]] = []
    for path in corpus_files(corpus, summary.skipped):
        name = str(path.relative_to(corpus))
        if not is_supported(path):
            summary.skipped.append((name, f"định dạng không hỗ trợ ({path.suffix or 'không có phần mở rộng'})"))
            continue
        stat, previous = path.stat(), old_files.get(name)
        if previous is not None and not is_report_id(previous["report_id"]):  # an id of an older scheme
            previous = None
        if _same_file(previous, stat, hashed_at):
            current[name] = previous
            summary.unchanged += 1
            continue
        digest = file_digest(path)
        if previous and previous["sha256"] == digest:  # touched, not changed
            current[name] = previous | _stamp(stat)
            summary.unchanged += 1
        else:
            to_parse.append((path, name, {"sha256": digest, **_stamp(stat)}))
    ids = assign_report_ids([name for _, name, _ in to_parse], {entry["report_id"] for entry in current.values()}, old_ids)
    for _, name, entry in to_parse:
        entry["report_id"] = ids[name]
    return current, to_parse


@dataclass
class _Parsed:
    """One corpus file, parsed for the index (in a worker process): all this process has left to
    do is add, write and count."""

    error: str | None = None  # why the file is skipped (``LoadError``)
    documents: list = field(default_factory=list)  # the engine's prepared documents (none when a worker wrote them)
    written: int = 0  # documents a worker's writer wrote
    sections: int = 0
    citations: bytes = b"[]"  # the report's catalogue records, serialized (its line of citations.json)
    citation_count: int = 0
    instruments: list[str] = field(default_factory=list)  # the keys it cites, each once
    report_json: bytes = b""  # reports/ID.json
    about: tuple = ()  # (title, province, year, period, date) of the report (``signatures``)
    words: list = field(default_factory=list)  # the words of each section (``signatures.section_words``)


def _parse(engine: str, job: tuple[Path, str], writer=None) -> _Parsed:
    """Parse one corpus file (path, report id) for the index: a pure function of the file, whose
    result pickles; its documents go to ``writer`` when there is one (a worker's, ``worker_writer``)."""
    try:
        report = read_report(*job)
    except LoadError as error:
        return _Parsed(error=str(error))
    records = catalogue_records(report)
    prepare = get_engine(engine).prepare
    documents = section_documents(report)
    prepared = [prepare(document) for document in documents]
    if writer is not None:
        for document in prepared:
            writer.add(document)
    return _Parsed(
        documents=[] if writer is not None else prepared,
        written=len(prepared) if writer is not None else 0,
        sections=len(report.sections),
        citations=json.dumps(records, ensure_ascii=False).encode(),
        citation_count=len(records),
        instruments=list(dict.fromkeys(record["key"] for record in records)),
        report_json=json.dumps(report.to_dict(with_text=True), ensure_ascii=False).encode(),
        about=(report.title, report.province, report.year or 0, report.period, report.report_date),
        words=[section_words(document["body"]) for document in documents],
    )


def _worker_count() -> int:
    """One worker per core this process may run on: this process mostly waits for them (the
    engines' writers index in threads of their own, in the workers, or are light next to
    parsing). None on a single core, where they would only add the pickling."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores if cores > 1 else 0


class _Parsing:
    """The files parsed (``_parse``), in order (``results``), and, at the end, what worker
    processes wrote (``finish``)."""

    def __init__(self, results: Iterator[_Parsed], workers: Workers | None = None):
        self.results, self._workers = results, workers

    def finish(self) -> list:
        """What each worker's writer wrote (``worker_writer``), once every file is taken."""
        return self._workers.finish() if self._workers is not None else []


@contextmanager
def _parsing(paths: list[tuple[Path, str]], engine: str, workers: int | None, written: Path | None) -> Iterator[_Parsing]:
    """The files parsed by ``workers`` processes (None: ``_worker_count``), or in this process
    (no workers, or a few files). Given ``written`` (a new index of an engine with a
    ``worker_writer``), each worker writes its files' documents there. The workers start on
    entering, before an engine's writer starts threads (forking copies none of them), and get
    files once the results are asked for; on leaving, files not yet parsed are dropped."""
    parse = partial(_parse, engine)
    workers = min(_worker_count() if workers is None else workers, len(paths))
    if len(paths) < POOL_MIN_FILES or workers < 1:
        yield _Parsing(map(parse, paths))
        return
    make = getattr(get_engine(engine), "worker_writer", None)
    pool = Workers(workers, parse, partial(make, written) if make and written else None, PENDING_PER_WORKER)
    try:
        yield _Parsing(pool.parsed(paths), pool)
    finally:
        pool.close()


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
    notice: Callable[[str], None] | None = None,
) -> IndexSummary:
    """Bring the index at ``index_dir`` up to date with the files of ``corpus``.

    Only new, changed or removed files are touched unless ``full`` is set or the schema changed.
    ``hook`` is called with a stage name at each step (tests use it to interrupt a build).
    ``engine`` defaults to the engine of the existing index, else the default engine; changing
    it rebuilds in full. ``workers`` processes parse the files (None: one per core; 0: this one
    does, as it does when there are fewer than ``POOL_MIN_FILES`` files to parse). ``notice``
    is told, before it happens, why an update becomes a full rebuild (a live generation that
    cannot be used).
    """
    started = time.monotonic()
    corpus, index_dir = Path(corpus), Path(index_dir)
    if not corpus.is_dir():
        raise FileNotFoundError(f"Không tìm thấy thư mục kho báo cáo: {corpus}")
    step = hook or (lambda stage: None)
    tell = notice or (lambda text: None)
    progress = progress or _no_progress
    with exclusive(index_dir, lock_timeout):
        live = current_generation(index_dir)
        remove_stale(index_dir, {live.name} if live else set())
        manifest = read_manifest(live)
        engine = engine or (manifest or {}).get("engine") or engine_of(live) or DEFAULT_ENGINE
        backend = get_engine(engine)
        citations: dict[str, Records] | None = None  # report id -> its line of citations.json
        if not full and manifest is not None and (manifest.get("schema_version"), manifest.get("layout"),
                                                  manifest.get("engine")) == (SCHEMA_VERSION, LAYOUT, engine):
            citations = live_citations(live, manifest)
            why = "citations.json thiếu hoặc không khớp manifest.json" if citations is None else why_unusable(live, engine)
            if why is not None:  # said before the rebuild, never silently
                citations = None
                tell(f"Không dùng được chỉ mục hiện có {live} ({why}): lập lại toàn bộ bằng {engine}.")
        elif not full and live is not None:
            tell(f"Chỉ mục hiện có {live} " + ("thiếu hoặc hỏng manifest.json" if manifest is None else
                                                "được lập với lược đồ, bố cục hoặc công cụ khác")
                 + f": lập lại toàn bộ bằng {engine}.")
        # Asked for, no index, one of another schema, layout or engine, or a half-deleted or
        # corrupt generation (an update would carry the damage over): rebuilt from scratch.
        full = citations is None
        old_files: dict[str, dict] = {} if full else manifest["files"]
        summary = IndexSummary(str(corpus), str(index_dir), full=full, changed=False)
        scanned_ns = time.time_ns()  # before any file is looked at (``_same_file``)
        old_ids = {name: entry.get("report_id") for name, entry in (manifest or {}).get("files", {}).items()}
        current, to_parse = _scan(corpus, old_files, 0 if full else manifest["scanned_ns"], summary, old_ids)
        parsing = {name for _, name, _ in to_parse}
        removed = [name for name in old_files if name not in current and name not in parsing]

        if not full and not to_parse and not removed:
            summary.generation = live.name
            _fill_counts(summary, current)
            summary.seconds = time.monotonic() - started
            return summary

        step("prepare")
        generation = index_dir / next_generation_name(index_dir)
        jobs = [(path, entry["report_id"]) for path, _, entry in to_parse]
        with _parsing(jobs, engine, workers, generation / engine if full else None) as parsing:
            if full:
                (generation / "reports").mkdir(parents=True)
                citations = {}
            else:
                link_generation(live, generation)
            writer, committed = None, False
            try:
                writer = backend.create_writer(generation / engine, fresh=full)
                signatures = Recorder(generation, None if full else live.name)

                def drop(report_id: str) -> None:
                    writer.delete_report(report_id)
                    citations.pop(report_id, None)
                    (generation / "reports" / f"{report_id}.json").unlink(missing_ok=True)

                for name in removed:
                    drop(old_files[name]["report_id"])
                    summary.removed.append(name)
                step("parse")
                written = 0  # documents the workers wrote
                for (path, name, entry), parsed in progress(zip(to_parse, parsing.results), len(to_parse)):
                    report_id = entry["report_id"]
                    if parsed.error is not None:
                        summary.skipped.append((name, parsed.error))
                        if name in old_files:  # a file that became unreadable leaves the index
                            drop(old_files[name]["report_id"])
                        continue
                    is_update = name in old_files
                    if is_update:  # under the id it had (which an older id scheme may have given)
                        drop(old_files[name]["report_id"])
                    for document in parsed.documents:
                        writer.add(document)
                    written += parsed.written
                    signatures.add(report_id, parsed.about, parsed.words)
                    citations[report_id] = parsed.citations
                    write_new(generation / "reports" / f"{report_id}.json", parsed.report_json)
                    current[name] = entry | {
                        "sections": parsed.sections, "citations": parsed.citation_count, "instruments": parsed.instruments,
                    }
                    (summary.updated if is_update else summary.added).append(name)
                    step("document")
                step("commit")
                with progress_task("Ghi chỉ mục (gộp các phân đoạn)"):
                    by_workers = [listed for listed in parsing.finish() if listed is not None]
                    if by_workers or written:
                        writer.add_written(by_workers, written)
                    writer.commit()
                committed = True
                signatures.commit()
                catalogue = write_citations(generation / "citations.json", citations)
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
                write_new(generation / "manifest.json", json.dumps(manifest, ensure_ascii=False).encode())
                step("open")
                open_and_warm(generation, engine)
            except BaseException:
                try:
                    if writer is not None and not committed:
                        writer.cancel()  # may fail too (a full disk): the generation goes all the same
                finally:
                    shutil.rmtree(generation, ignore_errors=True)
                raise
        step("switch")
        switch(index_dir, generation)
        remove_stale(index_dir, {generation.name, *([live.name] if live else [])})
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
