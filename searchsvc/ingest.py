"""File -> Report: load the text (any supported format), parse it, remember where it came from.

The corpus folder is a boundary: ``corpus_files`` never yields a file whose real path (links
resolved) lies outside it, and ``inside`` checks a path again when an original is served.

Report ids (``report_id_for``): a file whose stem is already a plain id — ASCII letters, digits,
``_ . -``, at most ``MAX_PLAIN_ID`` characters — keeps its stem ("000_bbd1df693d80d1cb.txt" ->
"000_bbd1df693d80d1cb"). Any other name gets a readable ASCII slug of its stem and a hash of its
path in the corpus ("Báo cáo 6 tháng.docx" -> "bao-cao-6-thang-70f8875455"), so an id is safe in
a URL and a file name whatever the name is (Vietnamese in NFC or NFD, spaces, a newline, 250
characters). A stem shared by several files (in another folder, with another extension) is the
plain id of one of them, the others get the hashed form (``assign_report_ids``). A file keeps the
id the previous index gave it.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Iterator

from unidecode import unidecode

from .loaders import SUPPORTED_SUFFIXES, LoadError, load_text
from .models import Report
from .normalize import nfc
from .sections import parse_report

__all__ = [
    "read_report", "corpus_files", "file_digest", "assign_report_ids", "report_id_for", "is_report_id", "inside", "is_supported",
    "LoadError",
]

MAX_PLAIN_ID = 120  # characters of a stem used as it is
SLUG_LENGTH = 60  # characters of the readable part of a hashed id
REPORT_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}")  # every id this module gives, and no other
_PLAIN_STEM = re.compile(rf"[A-Za-z0-9_-][A-Za-z0-9_.-]{{0,{MAX_PLAIN_ID - 1}}}")


def is_report_id(value: str) -> bool:
    """Whether ``value`` has the shape of a report id (the web layer's first check of a URL)."""
    return REPORT_ID.fullmatch(value) is not None


def assign_report_ids(names: list[str], taken: set[str], previous: dict[str, str]) -> dict[str, str]:
    """Ids for the corpus files ``names``, none of them in ``taken`` (the files already indexed):
    first every file keeps the id the last index gave it (``previous``), if it is a valid one,
    so that no new file takes it; then the others get theirs (``report_id_for``), nearest the
    corpus root first, then shortest name first ("x.txt" before "x.docx" and "sub/x.txt"), so
    that a plain stem shared by new files goes to the same one in every new index."""
    taken, ids = set(taken), {}
    for name in names:
        old = previous.get(name)
        if old is not None and is_report_id(old) and old not in taken:
            ids[name] = old
            taken.add(old)
    for name in sorted(names, key=lambda n: (n.count("/"), len(n), n)):
        if name not in ids:
            ids[name] = report_id_for(name, taken)
            taken.add(ids[name])
    return ids


def report_id_for(name: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """The id of the corpus file ``name`` (its path in the corpus, "/"-separated), not one of ``taken``.

    >>> report_id_for("000_bbd1df693d80d1cb.txt")
    '000_bbd1df693d80d1cb'
    >>> report_id_for("Báo cáo 6 tháng.docx")[:-11]
    'bao-cao-6-thang'
    """
    stem = Path(name).stem
    if _PLAIN_STEM.fullmatch(stem) and stem not in taken:
        return stem
    slug = re.sub(r"[^a-z0-9]+", "-", unidecode(nfc(stem)).lower()).strip("-")[:SLUG_LENGTH].strip("-")
    digest = hashlib.sha256(os.fsencode(name)).hexdigest()  # the name's own bytes: NFC and NFD differ
    for length in (10, 20, 64):  # a longer hash only if a shorter one is taken
        candidate = f"{slug}-{digest[:length]}" if slug else digest[:length]
        if candidate not in taken:
            return candidate
    raise ValueError(f"no free report id for {name!r}")  # 2^256 names later


def read_report(path: str | os.PathLike, report_id: str | None = None) -> Report:
    """Load and parse one report file; raises ``LoadError`` with a reason for a bad file.
    ``report_id`` defaults to the id the file would have alone in a corpus."""
    path = Path(path)
    loaded = load_text(path)
    report = parse_report(loaded.text, report_id or report_id_for(path.name), loaded.heading_lines)
    report.source = path.name
    report.format = loaded.format
    report.encoding = loaded.encoding
    report.warnings = [*loaded.warnings, *report.warnings]
    return report


def inside(root: str | os.PathLike, path: str | os.PathLike) -> bool:
    """Whether ``path``, every link on the way resolved, is ``root`` or under it."""
    try:
        return Path(path).resolve(strict=True).is_relative_to(Path(root).resolve(strict=True))
    except (OSError, RuntimeError):  # gone, unreadable, a loop of links
        return False


def corpus_files(folder: str | os.PathLike, skipped: list[tuple[str, str]] | None = None) -> Iterator[Path]:
    """Every regular file of a corpus folder, in path order; hidden files and folders left out
    (never walked into: a ``.git`` folder costs nothing).

    Links: a link to a file inside the corpus is a file of the corpus; a link that leads outside
    the corpus (``ln -s /etc/passwd corpus/passwd.txt``) or nowhere, and every link to a folder
    (inside: its files are found by their real path; outside: not ours; either: a loop), are not
    followed and are added to ``skipped`` as (name in the corpus, reason in Vietnamese). A hard
    link is a file like any other: it has no target to leave the corpus by (README, "Kho báo cáo").
    """
    yield from _walk(Path(folder).resolve(), Path(folder), "", skipped if skipped is not None else [])


def _walk(real_root: Path, folder: Path, prefix: str, skipped: list[tuple[str, str]]) -> Iterator[Path]:
    try:
        with os.scandir(folder) as entries:
            visible = sorted((e for e in entries if not e.name.startswith(".")), key=lambda e: e.name)
    except (PermissionError, NotADirectoryError, FileNotFoundError):
        return
    for entry in visible:
        path, name = folder / entry.name, prefix + entry.name
        if entry.is_symlink():
            reason = _link_problem(real_root, path)
            if reason is None:
                yield path
            else:
                skipped.append((name, reason))
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk(real_root, path, name + "/", skipped)
        elif entry.is_file(follow_symlinks=False):
            yield path


def _link_problem(real_root: Path, link: Path) -> str | None:
    """Why a link is not followed, or None for a link to a file inside the corpus."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return "liên kết hỏng hoặc vòng lặp liên kết: bỏ qua"
    if not target.is_relative_to(real_root):
        return "liên kết trỏ ra ngoài thư mục kho báo cáo: không đọc"
    if target.is_dir():
        return "liên kết tới thư mục: không đi theo (tệp trong kho được lập chỉ mục theo đường dẫn thật)"
    if not target.is_file():
        return "liên kết không trỏ tới một tệp thường: bỏ qua"
    return None


def file_digest(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes: what incremental indexing compares."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES
