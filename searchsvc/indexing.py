"""Build and update the on-disk index: built aside, switched in only on success.

Layout of an index directory::

    index/
      CURRENT            name of the live generation ("gen-000007"), replaced atomically
      .lock              held by the one indexing run allowed at a time
      gen-000007/
        whoosh/          the engine's index of sections (or tantivy/)
        manifest.json    schema version, engine, every corpus file with its content hash
        citations.json   {report_id: [citation records]}: the instrument catalogue's source
        reports/ID.json  each parsed report (report pages never re-read the corpus)

A run copies the live generation (or starts empty), applies only what changed (new, changed or
removed files, by SHA-256), writes the manifest and only then points CURRENT at it. A killed or
failed run leaves CURRENT, and so the previous index, untouched.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .engines import DEFAULT_ENGINE, get_engine
from .ingest import corpus_files, file_digest, is_supported, read_report, report_id_of
from .loaders import LoadError
from .schema import SCHEMA_VERSION, catalogue_records, section_documents

__all__ = [
    "IndexSummary", "IndexBusy", "IndexUnavailable", "build_index", "current_generation", "read_manifest",
    "LOCK_TIMEOUT",
]

LOCK_TIMEOUT = 120.0  # seconds a second indexing run waits for the first
KEEP_GENERATIONS = 2  # the live one and the one before (servers may still be reading it)


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
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def read_manifest(generation: Path | None) -> dict | None:
    if generation is None:
        return None
    try:
        return json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def _copy_generation(live: Path, generation: Path) -> None:
    """Copy the live generation to update it; on failure (a full disk, a read-only folder) leave
    nothing behind and raise one OSError saying what failed — copytree gathers an error per file."""
    try:
        shutil.copytree(live, generation)
    except BaseException as error:
        shutil.rmtree(generation, ignore_errors=True)
        if isinstance(error, shutil.Error) and error.args and error.args[0]:
            failures = error.args[0]
            raise OSError(f"không chép được {len(failures)} tệp, ví dụ: {failures[0][2]}") from error
        raise


def _usable(generation: Path, engine: str) -> bool:
    """Whether a generation opens as ``engine.SearchIndex`` opens it: the catalogue parses, the
    reports folder is there, the engine reads its files (a truncated or deleted segment fails)."""
    try:
        citations = json.loads((generation / "citations.json").read_text(encoding="utf-8"))
        if not isinstance(citations, dict) or not (generation / "reports").is_dir():
            return False
        get_engine(engine).open_reader(generation / engine).close()
    except Exception:  # whatever a damaged file makes the JSON parser or the engine raise
        return False
    return True


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
) -> IndexSummary:
    """Bring the index at ``index_dir`` up to date with the files of ``corpus``.

    Only new, changed or removed files are touched unless ``full`` is set or the schema changed.
    ``hook`` is called with a stage name at each step (tests use it to interrupt a build).
    ``engine`` defaults to the engine of the existing index, else the default engine; changing
    it rebuilds in full.
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
        if manifest is None or manifest.get("schema_version") != SCHEMA_VERSION or manifest.get("engine") != engine:
            full = True  # no index, or one of another schema or engine: rebuilt from scratch
        elif not _usable(live, engine):
            full = True  # a half-deleted or corrupt generation: an update would copy the damage
        old_files: dict[str, dict] = {} if full else manifest["files"]
        summary = IndexSummary(str(corpus), str(index_dir), full=full, changed=False)

        files = list(corpus_files(corpus))
        current: dict[str, dict] = {}
        to_parse: list[tuple[Path, str]] = []
        for path in files:
            name = str(path.relative_to(corpus))
            if not is_supported(path):
                summary.skipped.append((name, f"định dạng không hỗ trợ ({path.suffix or 'không có phần mở rộng'})"))
                continue
            digest = file_digest(path)
            previous = old_files.get(name)
            if previous and previous["sha256"] == digest:
                current[name] = previous
                summary.unchanged += 1
            else:
                to_parse.append((path, digest))
        removed = [n for n in old_files if n not in current and n not in {str(p.relative_to(corpus)) for p, _ in to_parse}]
        ids_seen = {entry["report_id"]: n for n, entry in current.items()}

        if not full and not to_parse and not removed:
            summary.generation = live.name if live else None
            _fill_counts(summary, live)
            summary.seconds = time.monotonic() - started
            return summary

        step("prepare")
        generation = index_dir / _next_generation_name(index_dir)
        if full or live is None:
            (generation / "reports").mkdir(parents=True)
            citations: dict[str, list] = {}
        else:
            _copy_generation(live, generation)
            citations = json.loads((generation / "citations.json").read_text(encoding="utf-8"))
        try:
            writer = backend.create_writer(generation / engine, fresh=full or live is None)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        try:
            for name in removed:
                report_id = old_files[name]["report_id"]
                writer.delete_report(report_id)
                citations.pop(report_id, None)
                (generation / "reports" / f"{report_id}.json").unlink(missing_ok=True)
                summary.removed.append(name)
            step("parse")
            for path, digest in progress(iter(to_parse), len(to_parse)):
                name = str(path.relative_to(corpus))
                report_id = report_id_of(path)
                if report_id in ids_seen and ids_seen[report_id] != name:
                    summary.skipped.append((name, f"trùng mã báo cáo với {ids_seen[report_id]}"))
                    continue
                try:
                    report = read_report(path)
                except LoadError as error:
                    summary.skipped.append((name, str(error)))
                    if name in old_files:  # a file that became unreadable leaves the index
                        writer.delete_report(old_files[name]["report_id"])
                        citations.pop(old_files[name]["report_id"], None)
                    continue
                is_update = name in old_files
                if is_update:
                    writer.delete_report(report_id)
                for document in section_documents(report):
                    writer.add(document)
                citations[report_id] = catalogue_records(report)
                (generation / "reports" / f"{report_id}.json").write_text(
                    json.dumps(report.to_dict(with_text=True), ensure_ascii=False), encoding="utf-8"
                )
                current[name] = {
                    "sha256": digest, "report_id": report_id, "size": path.stat().st_size, "sections": len(report.sections),
                }
                ids_seen[report_id] = name
                (summary.updated if is_update else summary.added).append(name)
                step("document")
            step("commit")
            writer.commit()
        except BaseException:
            writer.cancel()
            shutil.rmtree(generation, ignore_errors=True)
            raise
        (generation / "citations.json").write_text(json.dumps(citations, ensure_ascii=False), encoding="utf-8")
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "engine": engine,
            "corpus": str(corpus.resolve()),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "files": current,
            "skipped": summary.skipped,
        }
        (generation / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        step("switch")
        _switch(index_dir, generation)
        _remove_stale(index_dir, {generation.name, *([live.name] if live else [])})
        summary.changed = True
        summary.generation = generation.name
        _fill_counts(summary, generation)
        summary.seconds = time.monotonic() - started
        return summary


def _fill_counts(summary: IndexSummary, generation: Path | None) -> None:
    if generation is None:
        return
    citations = json.loads((generation / "citations.json").read_text(encoding="utf-8"))
    manifest = read_manifest(generation) or {"files": {}}
    summary.reports = len(citations)
    summary.sections = sum(entry.get("sections", 0) for entry in manifest["files"].values())
    summary.citations = sum(len(v) for v in citations.values())
    summary.instruments = len({c["key"] for v in citations.values() for c in v})


def tty_progress(items, total):
    """A progress bar on a terminal (tqdm), nothing when output is piped."""
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, unit="tệp", desc="Lập chỉ mục", file=sys.stderr)
