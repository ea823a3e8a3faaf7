"""What every loader shares: the loaded text record, the error, and the finishing steps
(control characters, mojibake and legacy-font repair, a note on text typed without diacritics)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from searchsvc.legacy import repair_text
from searchsvc.normalize import clean_text, looks_unaccented

__all__ = ["LoadError", "LoadedText", "finish", "repair", "note_text_quality", "human_size"]


class LoadError(Exception):
    """A file that cannot be turned into text; ``str(err)`` is the reason shown to the user."""


@dataclass
class LoadedText:
    """The text of one file and what was learned reading it."""

    text: str  # NFC, "\n" line endings, no BOM (normalize.clean_text)
    format: str  # "txt" | "docx" | "pdf"
    encoding: str | None  # "utf-8", "utf-8-sig", "utf-16", "cp1258", "tcvn3", "vni", … None for docx/pdf
    heading_lines: dict[int, int] = field(default_factory=dict)  # 1-based line -> 0 Title, 1-9 Heading N
    warnings: list[str] = field(default_factory=list)



def human_size(size: int) -> str:
    mb = 1024 * 1024
    return f"{size // mb} MB" if size >= mb and size % mb == 0 else f"{size} bytes"



# --- shared finishing steps ----------------------------------------------------------------
# Form feed and vertical tab end a line; other control characters (and C1 controls left over
# from broken encodings) are dropped. Tab stays: .docx table cells are tab-separated.
_LINE_CONTROLS = dict.fromkeys(map(ord, "\f\v"), "\n")
_DROPPED_CONTROLS = dict.fromkeys(
    [c for c in range(0x20) if chr(c) not in "\t\n\r\f\v"] + [0x7F] + list(range(0x80, 0xA0)), None
)
_CONTROL_TABLE = _LINE_CONTROLS | _DROPPED_CONTROLS


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # the keys of _CONTROL_TABLE


def finish(text: str) -> str:
    if _CONTROLS.search(text):
        text = text.translate(_CONTROL_TABLE)
    return clean_text(text)


def repair(text: str, warnings: list[str]) -> tuple[str, str | None]:
    """Mojibake and legacy-font repair (see legacy.repair_text); returns (text, kind)."""
    repaired = repair_text(text)
    warnings.extend(repaired.warnings)
    return repaired.text, repaired.kind


def note_text_quality(text: str, warnings: list[str]) -> None:
    head = text[:20000]
    if len(head.encode()) - len(head) > len(head) // 20:
        return  # plenty of non-ASCII letters: accented for sure (and looks_unaccented is slow)
    if looks_unaccented(text):
        warnings.append("text has no diacritics (Vietnamese typed without accents)")

