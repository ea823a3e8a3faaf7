"""The words of every section, numbered once at index time, so that grouping results by report
(``grouping``) compares sections without reading their stored text nor folding it again.

A section's *signature* is ``grouping.words_of`` of its body (the distinct folded words without
digits of its first ``COMPARED`` characters) as word numbers: numbers of a vocabulary kept with
the index, one per distinct word. Two signatures have exactly as many numbers in common as the
two word sets have words (a bijection, not a hash: nothing can collide), so ``near_identical``
gives the same answer on either.

The worker processes that parse a report give each section's words (``indexing``, by ``section_words``);
this process numbers them (``Recorder``) and writes, beside the engine's index, in ``<generation>/signatures/``:

* one *part* per indexing run that added sections: ``part-N.bin``, the distinct signatures as
  uint32 numbers one after the other (read a signature at a time, with ``os.pread``: only what a
  search compares is read, and the page cache it goes through is not the server's memory);
  ``part-N.npz``, per section in the order the engine's writer was given them (report number,
  order in its report, signature number) and where each signature starts; ``part-N.json``, the
  reports (id, title, province, year, period, date: what a folded copy and a row past the page
  show) and the words first numbered in this part;
* ``complete.json``, the generation the parts are complete for. An indexing run of a version that
  writes no parts links the files into its generation unchanged: they are then not read (stale),
  nor extended, and grouping reads the stored text as before.

An engine maps its documents to the sections of the parts (``Signatures.rows``): by
``section_keys()`` (report id and order of every document number) when it numbers them otherwise
than in the order they were added (Whoosh: merges renumber); else a document number is that order
(Tantivy's uid: its line of ``facets.jsonl``), checked by report id.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Callable

import numpy as np

from .grouping import ABOUT, COMPARED
from .normalize import TOKEN_RE, fold

__all__ = ["FOLDER", "Recorder", "Signatures", "Stale", "About", "words_for", "section_words"]

FOLDER = "signatures"
COMPLETE = "complete.json"  # {"generation": the generation's folder name, "parts": their number}
CACHED = 4096  # signatures kept decoded (a search fetching more sections groups the ones it had again)

About = tuple  # (title, province, year, period, report date) of a report, as its stored fields give them


class Stale(LookupError):
    """The signatures do not hold a document of the engine's index: they were written for another."""


def _part(folder: Path, number: int, suffix: str) -> Path:
    return folder / f"part-{number:06d}.{suffix}"


def _complete_for(folder: Path, generation: str) -> int | None:
    """How many parts the folder holds when they are complete for ``generation``, else None."""
    try:
        complete = json.loads((folder / COMPLETE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(complete, dict) or complete.get("generation") != generation:
        return None
    parts = complete.get("parts")
    return parts if isinstance(parts, int) and parts >= 0 else None


def _write_new(path: Path, data: bytes) -> None:
    """A new file (``path`` may be a hard link into the previous generation: never written through)."""
    path.unlink(missing_ok=True)
    with open(path, "xb") as handle:
        handle.write(data)


class _RunWords(dict):
    """A run of text between spaces -> its words as ``grouping.words_of`` takes them: "(Nghị" ->
    ("nghi",), "84/NQ-CP," -> () (a digit). A run's words are the text's words there: folding
    is character by character, and every space folds to a space (tested)."""

    LIMIT = 200_000  # distinct runs kept; then start over

    def __missing__(self, run: str) -> tuple[str, ...]:
        value = self[run] = tuple(word for word in TOKEN_RE.findall(fold(run)) if not _DIGIT.search(word))
        return value


_DIGIT = re.compile(r"\d")
_RUN_WORDS = _RunWords()


def section_words(body: str) -> tuple[str, ...]:
    """``grouping.words_of`` of a section's body (in some order), made from its runs of text
    between spaces, each folded once in a process: the indexer gives every section's words.

    >>> sorted(section_words("Nghị quyết 84/NQ-CP (nghị quyết)"))
    ['nghi', 'quyet']
    """
    if len(_RUN_WORDS) >= _RunWords.LIMIT:
        _RUN_WORDS.clear()
    return tuple(set(chain.from_iterable(map(_RUN_WORDS.__getitem__, body[:COMPARED].split()))))


class Recorder:
    """Numbers the words of the sections an indexing run adds, in the order its engine's writer
    is given them, and writes them as a new part when the run commits. A run that updates a
    generation whose parts are not complete for it records nothing (its generation has none)."""

    def __init__(self, generation: Path, previous: str | None):
        """``previous``: the name of the generation an update starts from (its files linked into
        ``generation``), None for a full build."""
        self._generation = generation
        self._folder = generation / FOLDER
        parts = 0 if previous is None else _complete_for(self._folder, previous)
        self._vocabulary = self._words(parts) if parts is not None else None
        self.enabled = self._vocabulary is not None
        if not self.enabled or previous is None:
            shutil.rmtree(self._folder, ignore_errors=True)  # links only: the previous generation keeps its files
        self._parts = parts if self.enabled else 0
        self._known = len(self._vocabulary or ())
        self._distinct: dict[bytes, int] = {}
        self._rows: list[tuple[int, int, int]] = []  # (report number, order, signature number)
        self._reports: list[list] = []

    def _words(self, parts: int) -> dict[str, int] | None:
        """The vocabulary of the previous parts (word -> number); None when one cannot be read
        (a damaged file: the generation is then updated without signatures, never failed)."""
        vocabulary: dict[str, int] = {}
        try:
            for number in range(parts):
                for word in json.loads(_part(self._folder, number, "json").read_text(encoding="utf-8"))["words"]:
                    vocabulary[word] = len(vocabulary)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return vocabulary

    def add(self, report_id: str, about: About, sections: list[tuple[str, ...]]) -> None:
        """The sections of one report (each one's words), as its documents go to the writer."""
        if not self.enabled:
            return
        report = len(self._reports)
        self._reports.append([report_id, *about])
        vocabulary, distinct = self._vocabulary, self._distinct
        for order, words in enumerate(sections):
            numbers = sorted(vocabulary.setdefault(w, len(vocabulary)) for w in words)
            key = np.array(numbers, dtype="<u4").tobytes()
            self._rows.append((report, order, distinct.setdefault(key, len(distinct))))

    def commit(self) -> None:
        """Write the sections added as a new part (when there are any), then mark the parts
        complete for this generation."""
        if not self.enabled:
            return
        self._folder.mkdir(exist_ok=True)
        if self._rows:
            number = self._parts
            signatures = list(self._distinct)
            starts = np.cumsum([0] + [len(s) for s in signatures], dtype=np.int64)
            rows = np.array(self._rows, dtype=np.int32).reshape(-1, 3)
            _write_new(_part(self._folder, number, "bin"), b"".join(signatures))
            with open(_part(self._folder, number, "npz"), "xb") as handle:
                np.savez(handle, report=rows[:, 0], order=rows[:, 1], signature=rows[:, 2], starts=starts)
            words = list(self._vocabulary)[self._known:]
            _write_new(_part(self._folder, number, "json"),
                       json.dumps({"reports": self._reports, "words": words}, ensure_ascii=False).encode())
            self._parts += 1
        _write_new(self._folder / COMPLETE,
                   json.dumps({"generation": self._generation.name, "parts": self._parts}).encode())


@dataclass
class _Part:
    path: Path
    starts: array  # byte offsets of its signatures in ``path``, and the end


class Signatures:
    """The parts of one generation, read: per section its signature and report; per report what
    a folded copy shows. Safe to share between threads (``os.pread`` has no file position)."""

    def __init__(self, folder: Path, parts: int):
        self._files: list = []
        reports, report_rows, orders, signatures, self._parts = [], [], [], [], []
        self._about: dict[str, About] = {}
        first_signature = 0
        for number in range(parts):
            listed = json.loads(_part(folder, number, "json").read_text(encoding="utf-8"))["reports"]
            with np.load(_part(folder, number, "npz")) as arrays:
                report_rows.append(arrays["report"].astype(np.int64) + len(reports))
                orders.append(arrays["order"])
                signatures.append(arrays["signature"].astype(np.int64) + first_signature)
                starts = arrays["starts"]
            first_signature += len(starts) - 1
            self._parts.append(_Part(_part(folder, number, "bin"), array("q", starts.astype(np.int64).tobytes())))
            for report_id, *about in listed:
                reports.append(report_id)
                self._about[report_id] = tuple(about)
        self._reports = reports  # report number -> id
        self._report = array("q", (np.concatenate(report_rows) if report_rows else np.zeros(0, dtype=np.int64)).tobytes())  # row -> report number
        self._order = np.concatenate(orders) if orders else np.zeros(0, dtype=np.int32)
        self._signature = array("q", (np.concatenate(signatures) if signatures else np.zeros(0, dtype=np.int64)).tobytes())
        self._first = np.cumsum([0] + [len(p.starts) - 1 for p in self._parts]).tolist()  # part -> its first signature number
        self._files: list = [None] * len(self._parts)
        self._mapping: array | None = None  # document number -> row, for an engine with ``section_keys``
        self._keyed: bool | None = None  # whether the engine maps its documents by ``section_keys``
        self.words = lru_cache(maxsize=CACHED)(self._read)

    @classmethod
    def open(cls, generation: Path) -> "Signatures | None":
        """The signatures of a generation, or None when it has none complete for it."""
        folder = generation / FOLDER
        parts = _complete_for(folder, generation.name)
        if parts is None:
            return None
        try:
            return cls(folder, parts)
        except (OSError, ValueError, KeyError, TypeError):  # a part missing or damaged: the stored text, as before
            return None

    def __len__(self) -> int:
        return len(self._signature)

    def _read(self, row: int) -> tuple[int, ...]:
        """The signature of a section (its row): its distinct word numbers, in increasing order
        (a tuple: ``grouping.near_identical`` looks them up in a kept row's set, no set is built)."""
        number = self._signature[row]
        part = bisect_right(self._first, number) - 1
        starts, at = self._parts[part].starts, number - self._first[part]
        start, end = starts[at], starts[at + 1]
        handle = self._files[part]
        if handle is None:
            handle = self._files[part] = open(self._parts[part].path, "rb", buffering=0)
        data = os.pread(handle.fileno(), end - start, start)
        if len(data) != end - start:
            raise OSError(f"{self._parts[part].path} bị cắt ngắn")
        return struct.unpack(f"<{len(data) // 4}I", data)

    def number(self, row: int) -> int:
        """The number of a section's signature: sections of the same words share it (in one part)."""
        return self._signature[row]

    def about(self, report_id: str) -> dict:
        """Title, province, year, period and date of a report, as the stored fields of its sections
        give them (parts of the first version hold the first three only)."""
        return dict(zip(ABOUT, self._about[report_id]))

    def row(self, engine, doc: int, report_id: str) -> int:
        """The section (row) of one of the engine's documents, of the report ``report_id``;
        ``Stale`` when the parts hold none (they are not the engine's index)."""
        if self._keyed is None:
            self._keyed = hasattr(engine, "section_keys")
        if self._keyed:
            mapping = self._by_keys(engine)
            row = mapping[doc] if doc < len(mapping) else -1
        else:  # numbered in the order added
            row = doc if doc < len(self._report) else -1
        if row < 0 or self._reports[self._report[row]] != report_id:
            raise Stale(f"không có chữ ký của tài liệu {doc} ({report_id})")
        return row

    def _by_keys(self, engine) -> array:
        """Document number -> row (-1: none), through (report id, order); the last row of a key
        is the one written last (an update adds a report's sections again)."""
        if self._mapping is None:
            report_ids, orders = engine.section_keys()
            row_of = {(self._reports[r], o): row for row, (r, o) in enumerate(zip(self._report, self._order.tolist()))}
            self._mapping = array("q", (row_of.get(key, -1) for key in zip(report_ids, np.asarray(orders).tolist())))
        return self._mapping

    def close(self) -> None:
        for handle in self._files:
            if handle is not None:
                handle.close()
        self._files = [None] * len(self._parts)

    def __del__(self):
        self.close()


def words_for(signatures: Signatures | None, engine, sections: list[tuple]
              ) -> tuple[Callable[[int], tuple], Callable[[int], int]] | None:
    """(the signature of the i-th of ``sections`` ((document, score, report id) of the engine),
    its number: the same for two sections only when their words are the same), or None without
    signatures. Either raises ``Stale`` for a section the signatures do not hold."""
    if signatures is None:
        return None

    def row(i: int) -> int:
        doc, _, report_id = sections[i]
        return signatures.row(engine, doc, report_id)

    return (lambda i: signatures.words(row(i))), (lambda i: signatures.number(row(i)))
