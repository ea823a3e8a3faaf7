"""Administrative abbreviations (``data/abbreviations.tsv``): "GPMB" is "giải phóng mặt bằng".

A reader types either form and expects both (DOMAIN.md); ``query`` makes each an alternative of
the other. Both sides are compared folded, so "gpmb" and "giai phong mat bang" are recognised too.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .normalize import TOKEN_RE, fold, nfc

__all__ = ["Abbreviation", "abbreviations", "by_short", "by_expansion", "longest_expansion"]

DATA = Path(__file__).with_name("data") / "abbreviations.tsv"


@dataclass(frozen=True)
class Abbreviation:
    shorts: tuple[str, ...]  # "KT-XH", "KTXH": the first is how reports usually write it
    expansion: tuple[str, ...]  # ("kinh", "tế", "xã", "hội"): its words, punctuation left out


@lru_cache(maxsize=1)
def abbreviations() -> tuple[Abbreviation, ...]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        short, expansion, *others = nfc(line).split("\t")
        rows.append(Abbreviation((short, *others), tuple(TOKEN_RE.findall(expansion))))
    return tuple(rows)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, Abbreviation], dict[tuple[str, ...], Abbreviation]]:
    shorts = {fold(s): a for a in abbreviations() for s in a.shorts}
    expansions = {tuple(fold(w) for w in a.expansion): a for a in abbreviations()}
    return shorts, expansions


def by_short(word: str) -> Abbreviation | None:
    """The abbreviation ``word`` is, in any case or accents ("ubnd", "cds" for "CĐS").

    >>> by_short("gpmb").expansion
    ('giải', 'phóng', 'mặt', 'bằng')
    """
    return _tables()[0].get(fold(word))


def by_expansion(words) -> Abbreviation | None:
    return _tables()[1].get(tuple(fold(w) for w in words))


def longest_expansion(words: list[str], start: int) -> tuple[int, Abbreviation] | None:
    """(length, abbreviation) of the longest expansion that ``words[start:]`` begins with.

    >>> longest_expansion(["vốn", "đầu", "tư", "trực", "tiếp", "nước", "ngoài"], 1)[1].shorts
    ('FDI',)
    """
    expansions = _tables()[1]
    lengths = sorted({len(k) for k in expansions}, reverse=True)
    for size in lengths:
        run = words[start : start + size]
        if len(run) == size and None not in run:
            found = expansions.get(tuple(fold(w) for w in run))
            if found is not None:
                return size, found
    return None
