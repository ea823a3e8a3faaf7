"""The generations of an index directory: which one is live, the lock, manifests, citations.json.

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

A generation starts from hard links to the live one's files (``link_generation``) or empty; every
file a run writes is a new file (written under a name it first unlinks, or replaced), never one
of the live generation's written through a shared link; ``switch`` points CURRENT at a finished
generation. ``indexing`` runs the build.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import time
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .engines import ENGINES, get_engine

__all__ = [
    "IndexBusy", "IndexUnavailable", "Records", "current_generation", "next_generation_name", "switch", "remove_stale",
    "exclusive", "read_manifest", "link_generation", "write_new", "engine_of", "why_unusable", "open_and_warm",
    "write_citations", "live_citations",
]


class IndexBusy(RuntimeError):
    """Another indexing run holds the lock for longer than we were willing to wait."""


class IndexUnavailable(RuntimeError):
    """No usable index at a path (missing, half-deleted or corrupt); the message says what to do."""


# --- generations ----------------------------------------------------------------------------------
def current_generation(index_dir: str | os.PathLike) -> Path | None:
    """The live generation directory, or None when the index has never been built."""
    pointer = Path(index_dir) / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return Path(index_dir) / name if name else None


def next_generation_name(index_dir: Path) -> str:
    numbers = [int(p.name[4:]) for p in index_dir.glob("gen-*") if p.name[4:].isdigit()]
    return f"gen-{max(numbers, default=0) + 1:06d}"


def switch(index_dir: Path, generation: Path) -> None:
    pointer = index_dir / "CURRENT"
    temporary = index_dir / "CURRENT.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(generation.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, pointer)


def remove_stale(index_dir: Path, keep: set[str]) -> None:
    generations = sorted((p for p in index_dir.glob("gen-*") if p.is_dir()), key=lambda p: p.name)
    live = [p for p in generations if p.name in keep]
    for path in generations:
        if path not in live and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


@contextmanager
def exclusive(index_dir: Path, timeout: float) -> Iterator[None]:
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


_LOCKS_HELD: list = []  # the lock files this process holds (``exclusive``)


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


def link_generation(live: Path, generation: Path) -> None:
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
    """A hard link: no run writes a file in place (``write_new``; Whoosh and Tantivy write new
    files and rename). A lock file is copied, so that locking one generation never waits for the
    other; and a file is copied where links fail (a file system without them)."""
    if "lock" not in os.path.basename(source).lower():
        try:
            os.link(source, target)
            return
        except OSError:
            pass
    shutil.copy2(source, target)


def write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as a new file: the name may be a link to the live generation's
    file, which writing through it would change too."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def engine_of(generation: Path | None) -> str | None:
    """The engine whose folder a generation holds (its manifest lost): a repair keeps it."""
    found = [name for name in ENGINES if generation is not None and (generation / name).is_dir()]
    return found[0] if len(found) == 1 else None


def why_unusable(generation: Path, engine: str) -> str | None:
    """Why the engine cannot read a generation as ``engine.SearchIndex`` opens it (a truncated
    or deleted segment, the reports folder missing); None when it can."""
    if not (generation / "reports").is_dir():
        return "thiếu thư mục reports/"
    try:
        get_engine(engine).open_reader(generation / engine).close()
    except Exception as error:  # whatever a damaged file makes the engine raise
        return f"{type(error).__name__}: {error}"
    return None


def open_and_warm(generation: Path, engine: str) -> None:
    """Open the new generation as a server will, before it goes live: one that does not open
    never does (the run fails, the live one stays), and its files are read into the page cache
    the servers will read them from."""
    reader = get_engine(engine).open_reader(generation / engine)
    try:
        reader.warm()
    finally:
        reader.close()


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


def write_citations(path: Path, lines: dict[str, Records]) -> dict:
    """Write citations.json as a new file (``write_new``); what the manifest records of it."""
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


def file_check(path: Path) -> dict:
    """``_file_check`` of a file read a block at a time: checking the file at start must not hold
    it all (citations.json is 170 MB at 10,000 reports). OSError when it cannot be read."""
    size, crc = 0, 0
    with open(path, "rb") as source:
        while block := source.read(1 << 20):
            size, crc = size + len(block), zlib.crc32(block, crc)
    return {"bytes": size, "crc32": crc}


def live_citations(generation: Path, manifest: dict) -> dict[str, Records] | None:
    """The live generation's citations.json by report (see ``_citation_lines``), or None when it
    is missing or not the file its manifest describes. (``engine.SearchIndex`` parses it whole.)"""
    try:
        data = (generation / "citations.json").read_bytes()
    except OSError:
        return None
    if manifest.get("citations_file") != _file_check(data):
        return None
    return _citation_lines(data)
