"""Administrative abbreviations (``data/abbreviations.tsv``): "GPMB" is "giải phóng mặt bằng".

A reader types either form and expects both (DOMAIN.md); ``expand_abbreviations`` makes each an
alternative of the other in a query tree (``ParsedQuery.search_tree``). Both sides are compared folded, so "gpmb" and "giai phong mat bang" are recognised too.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .normalize import TOKEN_RE, fold, nfc
from .querytree import Alternatives, And, Not, Or, Phrase, Word, Words

__all__ = ["Abbreviation", "abbreviations", "by_short", "by_expansion", "longest_expansion", "expand_abbreviations", "near_words"]

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


def expand_abbreviations(node):
    """Each administrative abbreviation of the tree with the words it stands for as an
    alternative, and the reverse: a run of words (or a phrase) that spells out an abbreviation.

    >>> expand_abbreviations(Word("GPMB"))
    Alternatives(items=(Word(text='GPMB'), Phrase(words=('giải', 'phóng', 'mặt', 'bằng'))))
    """
    if isinstance(node, Word):
        found = by_short(node.text)
        return Alternatives((node, Phrase(found.expansion))) if found else node
    if isinstance(node, Phrase):
        found = by_expansion(node.words)
        return Alternatives((node, *(Word(s) for s in found.shorts))) if found else node
    if isinstance(node, Not):
        return Not(expand_abbreviations(node.item))
    if isinstance(node, And):
        items = _expand_runs(node.items)
        return items[0] if len(items) == 1 else And(items)
    if isinstance(node, Or) and not isinstance(node, Alternatives):
        return Or(tuple(expand_abbreviations(i) for i in node.items))
    return node


def near_words(node: And) -> list[str]:
    """The words of an AND whose nearness ranks higher, in order: its words, and those of a run
    of words that an abbreviation stands beside (``_expand_runs``), as typed.

    >>> near_words(expand_abbreviations(And((Word("giải"), Word("ngân"), Word("đầu"), Word("tư"), Word("công")))))
    ['giải', 'ngân', 'đầu', 'tư', 'công']
    """
    if isinstance(node, Words):
        return []
    words = []
    for item in node.items:
        if isinstance(item, Word):
            words.append(item.text)
        elif isinstance(item, Alternatives) and isinstance(item.items[0], Words):
            words += [i.text for i in item.items[0].items]
    return words


def _expand_runs(items: tuple) -> tuple:
    """The items of an AND, runs of words that spell out an abbreviation made alternatives."""
    words = [i.text if isinstance(i, Word) else None for i in items]
    out, i = [], 0
    while i < len(items):
        found = longest_expansion(words, i) if words[i] is not None else None
        if found is not None and None not in words[i : i + found[0]]:
            size, abbreviation = found
            out.append(Alternatives((Words(items[i : i + size]), *(Word(s) for s in abbreviation.shorts))))
            i += size
        else:
            out.append(expand_abbreviations(items[i]))
            i += 1
    return tuple(out)
