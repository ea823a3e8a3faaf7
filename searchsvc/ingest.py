"""File -> Report: load the text (any supported format), parse it, remember where it came from."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterator

from .loaders import SUPPORTED_SUFFIXES, LoadError, load_text
from .models import Report
from .sections import parse_report

__all__ = ["read_report", "corpus_files", "file_digest", "report_id_of", "is_supported", "LoadError"]


def report_id_of(path: str | os.PathLike) -> str:
    """The report id is the file stem: "corpus/000_bbd1df693d80d1cb.txt" -> "000_bbd1df693d80d1cb"."""
    return Path(path).stem


def read_report(path: str | os.PathLike) -> Report:
    """Load and parse one report file; raises ``LoadError`` with a reason for a bad file."""
    path = Path(path)
    loaded = load_text(path)
    report = parse_report(loaded.text, report_id_of(path), loaded.heading_lines)
    report.source = path.name
    report.format = loaded.format
    report.encoding = loaded.encoding
    report.warnings = [*loaded.warnings, *report.warnings]
    return report


def corpus_files(folder: str | os.PathLike) -> Iterator[Path]:
    """Every regular file of a corpus folder, in path order, hidden files and folders left out
    (never walked into: a ``.git`` folder costs nothing); links to folders are not followed."""
    try:
        with os.scandir(folder) as entries:
            visible = sorted((e for e in entries if not e.name.startswith(".")), key=lambda e: e.name)
    except PermissionError:
        return
    for entry in visible:
        if entry.is_dir(follow_symlinks=False):
            yield from corpus_files(Path(folder) / entry.name)
        elif entry.is_file():
            yield Path(folder) / entry.name


def file_digest(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes: what incremental indexing compares."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES

