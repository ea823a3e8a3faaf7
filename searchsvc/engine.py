"""SearchIndex: a live, refreshable view of an index directory, whatever engine built it.

It opens the live generation (``indexing`` layout) with the engine its manifest names, keeps one
reader for as long as that generation is live, and reopens when ``CURRENT`` changes — a reindex
while serving is picked up by the next request, without a restart. Next to the engine it serves
the data a search never needs the corpus for: parsed reports and the citation catalogue.

A generation damaged while it is served (a segment truncated or deleted under a running server)
fails the searches that read it: the engine's error becomes ``IndexUnavailable`` with the
command that rebuilds it (a 503, never a 500), and ``check()`` — the health check — reports it
until another generation goes live.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from .engines import get_engine
from .generations import file_check
from .indexing import IndexUnavailable, current_generation, read_manifest
from .memory import settle_long_lived
from .ingest import inside
from .instruments import Catalogue, build_catalogue, instrument_aliases
from .query import Word
from .schema import SCHEMA_VERSION

__all__ = ["SearchIndex"]

_log = logging.getLogger(__name__)


@dataclass
class Generation:
    name: str
    path: Path
    engine: str
    reader: object  # the engine's Reader
    manifest: dict
    cache: dict = field(default_factory=dict)
    failure: str | None = None  # why a search on it failed, if one did (``check``)
    warmed: threading.Event = field(default_factory=threading.Event)  # set once ``warm`` is done


class _GuardedReader:
    """An engine's reader whose failures (``OSError``, ``ValueError``, whatever a damaged file
    makes the engine raise) are ``IndexUnavailable`` saying how to rebuild, and are recorded on
    the generation for the health check. It refers to its generation weakly: a replaced
    generation is freed as soon as no request holds it, with no cycle for the collector to find
    (``memory.settle_long_lived`` leaves a server's objects out of its passes)."""

    def __init__(self, reader, generation: Generation, hint: str):
        self._reader, self._generation, self._hint = reader, weakref.ref(generation), hint
        self._path = generation.path

    def __getattr__(self, name: str):
        value = getattr(self._reader, name)
        if not callable(value):
            return value

        def guarded(*args, **kwargs):
            try:
                return value(*args, **kwargs)
            except Exception as error:
                raise self._failed(error) from error

        return guarded

    def _failed(self, error: Exception) -> IndexUnavailable:
        _log.exception("Engine failure on %s", self._path, exc_info=error)
        message = f"Chỉ mục {self._path} bị hỏng, tìm kiếm thất bại: {error}. {self._hint}"
        generation = self._generation()
        if generation is not None:  # else replaced and let go of: no health check asks about it
            generation.failure = message
        return IndexUnavailable(message)


class SearchIndex:
    """Safe to share between the threads of one process."""

    def __init__(self, index_dir: str | os.PathLike, warm: bool = False):
        """``warm``: read what first queries would read of each generation opened, in the
        background (a server's index; a command's one search does not need it)."""
        self.index_dir = Path(index_dir)
        self._warming = warm
        self._lock = threading.Lock()
        self._loading = threading.Lock()  # parsing citations.json, apart from switching generations
        self._generation: Generation | None = None
        self._stamp: tuple | None = None
        self.refresh()

    def _pointer_stamp(self):
        try:
            stat = (self.index_dir / "CURRENT").stat()
            return (stat.st_mtime_ns, stat.st_ino, stat.st_size)
        except FileNotFoundError:
            return None

    def refresh(self) -> None:
        """Reopen when the live generation changed (one stat per call). The new generation is
        opened (``_open``) by one thread while the others go on searching the previous one; only
        the very first opening is waited for."""
        stamp = self._pointer_stamp()
        if self._generation is not None and stamp == self._stamp:
            return
        if not self._lock.acquire(blocking=self._generation is None):
            return
        try:
            if self._generation is not None and stamp == self._stamp:
                return
            generation = self._open()
            self._generation, self._stamp = generation, stamp
        finally:
            self._lock.release()
        # The replaced generation is not closed here: another thread may be in the middle of a
        # search on its reader (closing it made those requests fail with ReaderClosed). Its files
        # are released when the last request holding it lets go of it.

    def _open(self) -> Generation:
        path = current_generation(self.index_dir)
        hint = f"Hãy chạy: searchsvc index --index {self.index_dir}"
        rebuild = f"{hint} --full --engine {{engine}}"
        if path is None:
            raise IndexUnavailable(f"Chưa có chỉ mục ở {self.index_dir}. {hint}")
        manifest = read_manifest(path)
        if manifest is None:
            raise IndexUnavailable(f"Chỉ mục {path} bị hỏng hoặc thiếu manifest.json. {hint} --full")
        if manifest.get("schema_version") != SCHEMA_VERSION:
            raise IndexUnavailable(f"Chỉ mục {path} được lập với lược đồ cũ. {hint} --full")
        engine = manifest.get("engine", "whoosh")
        rebuild = rebuild.format(engine=engine)  # a repair keeps the engine the index was built with
        # What every page reads beside the engine is checked now, not on the first request that
        # needs it: a half-deleted generation is refused at start with the way to rebuild it.
        # citations.json is checked against the size and CRC-32 its manifest records (a
        # fraction of parsing it) and parsed when first needed: a search needs only the keys.
        try:
            check = file_check(path / "citations.json")
        except OSError as error:
            raise IndexUnavailable(f"Chỉ mục {path} bị hỏng hoặc thiếu citations.json. {rebuild}") from error
        if manifest.get("citations_file") != check:
            raise IndexUnavailable(f"Chỉ mục {path} bị hỏng: citations.json không khớp manifest.json. {rebuild}")
        if not (path / "reports").is_dir():
            raise IndexUnavailable(f"Chỉ mục {path} bị hỏng hoặc thiếu thư mục reports/. {rebuild}")
        try:
            reader = get_engine(engine).open_reader(path / engine)
        except Exception as error:  # any engine failure to open means a broken index on disk
            raise IndexUnavailable(f"Không mở được chỉ mục {path}: {error}. {rebuild}") from error
        reports = {entry["report_id"]: entry for entry in manifest["files"].values()}
        generation = Generation(path.name, path, engine, reader, manifest, {"reports": reports})
        generation.reader = _GuardedReader(reader, generation, rebuild)
        self.aliases(generation)
        if self._warming:
            threading.Thread(target=self._warm, args=(generation,), name="searchsvc-warm", daemon=True).start()
        else:
            generation.warmed.set()
        return generation

    @staticmethod
    def _warm(generation: Generation) -> None:
        """Read what first queries would read (``warm``), beside the requests already served by
        the generation (the indexer read its files just before it went live): no request waits
        for all of it, none pays it alone."""
        try:
            generation.reader.warm()
            settle_long_lived()  # what was read is kept while the generation serves (``memory``)
        except IndexUnavailable:  # recorded on the generation: the health check says so
            pass
        finally:
            generation.warmed.set()

    @property
    def generation(self) -> Generation:
        self.refresh()
        return self._generation

    @property
    def reader(self):
        return self.generation.reader

    def close(self) -> None:
        if self._generation is not None:
            self._generation.warmed.wait(60)  # not under a warming thread's feet
            self._generation.reader.close()

    def check(self) -> Generation:
        """The live generation, once a search on it has been seen to work: IndexUnavailable if
        one failed, or if a small search (the first page of everything, a word's postings,
        a stored document) fails now."""
        generation = self.generation
        if generation.failure is None:
            reader = generation.reader
            for tree in (None, Word("a")):
                compiled = reader.compile(tree, {})
                reader.page(compiled, "relevance", 0, 1)
                reader.count_reports(reader.matching_docs(compiled))
        if generation.failure is not None:
            raise IndexUnavailable(generation.failure)
        return generation

    # --- data beside the engine ----------------------------------------------------------------------
    def citations(self, generation: Generation | None = None) -> dict[str, list[dict]]:
        """{report_id: [citation records]} of a generation, the live one by default (parsed once)."""
        generation = generation or self.generation
        if "citations" not in generation.cache:
            with self._loading:
                if "citations" not in generation.cache:
                    path = generation.path / "citations.json"
                    try:
                        generation.cache["citations"] = json.loads(path.read_bytes())
                    except (OSError, ValueError) as error:
                        raise IndexUnavailable(
                            f"Chỉ mục {generation.path} bị hỏng: không đọc được citations.json. "
                            f"Hãy chạy: searchsvc index --index {self.index_dir} --full"
                        ) from error
                    self._settle()
        return generation.cache["citations"]

    def catalogue(self, generation: Generation | None = None) -> Catalogue:
        """The instrument catalogue of a generation, the live one by default (built once each)."""
        generation = generation or self.generation
        if "catalogue" not in generation.cache:
            generation.cache["catalogue"] = build_catalogue(self.citations(generation))
            self._settle()
        return generation.cache["catalogue"]

    def _settle(self) -> None:
        """A server's index (``warm``) keeps what it has just read out of the collector's full
        passes (``memory.settle_long_lived``): millions of objects once citations are parsed."""
        if self._warming:
            settle_long_lived()

    def aliases(self, generation: Generation | None = None) -> dict[str, str]:
        """The catalogue's aliases (undated key -> dated key), from the instrument keys the
        manifest lists per report: a search needs no more of the catalogue."""
        generation = generation or self.generation
        if "aliases" not in generation.cache:
            keys = {key for entry in generation.cache["reports"].values() for key in entry["instruments"]}
            generation.cache["aliases"] = instrument_aliases(keys)
        return generation.cache["aliases"]

    def counts(self, generation: Generation | None = None) -> dict[str, int]:
        """Reports, citations and catalogued instruments (undated mentions counted with their dated
        instrument), from the manifest: what a health check shows without parsing citations.json."""
        generation = generation or self.generation
        entries = generation.cache["reports"].values()
        keys = {key for entry in entries for key in entry["instruments"]}
        return {
            "reports": len(generation.cache["reports"]),
            "citations": sum(entry["citations"] for entry in entries),
            "instruments": len(keys) - len(self.aliases(generation)),
        }

    def report(self, report_id: str) -> dict | None:
        """The parsed report (``Report.to_dict(with_text=True)``), or None for an unknown id."""
        generation = self.generation  # once: the id list and the file of the same generation
        if report_id not in generation.cache["reports"]:
            return None
        path = generation.path / "reports" / f"{report_id}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise IndexUnavailable(
                f"Chỉ mục {generation.path} bị hỏng: không đọc được {path.name}. "
                f"Hãy chạy: searchsvc index --index {self.index_dir} --full"
            ) from error

    def report_ids(self) -> list[str]:
        return sorted(self.generation.cache["reports"])

    def original_file(self, report_id: str) -> Path | None:
        """The corpus file a report came from, if it is still there and still inside the corpus
        (a link swapped in since indexing is checked again here)."""
        manifest = self.generation.manifest
        for name, entry in manifest.get("files", {}).items():
            if entry["report_id"] == report_id:
                path = Path(manifest["corpus"]) / name
                return path if path.is_file() and inside(manifest["corpus"], path) else None
        return None
