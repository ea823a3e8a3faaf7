"""The parsed query's tree: engine-neutral nodes, and what each word and phrase matches.

``query`` parses text into these; both engines compile them (``engines``), the highlighter marks
from ``Match`` (``snippets``), and ``abbreviations`` adds the alternatives of administrative
abbreviations to them.
"""
from __future__ import annotations

from dataclasses import dataclass

from .normalize import exact_form, fold, has_diacritics

__all__ = ["Match", "Word", "Phrase", "Instrument", "Filter", "And", "Or", "Not", "Words", "Alternatives", "leaves"]


@dataclass(frozen=True)
class Match:
    """What a word or phrase of the query matches in a text, token by token: every accent variant
    of ``folded``; typed with diacritics, ``exact`` is the spelling it matches first (one tone
    placement: "hoà" = "hòa"), its folded form ranking lower. An instrument code is ``whole``: it
    matches a whole token ("84/NQ-CP"), never a part of one.

    >>> Word("Hoà").match, Word("hoa").match.exact
    (Match(folded=('hoa',), exact=('hòa',), whole=False), None)
    """

    folded: tuple[str, ...]
    exact: tuple[str, ...] | None = None
    whole: bool = False


def _match(words: tuple[str, ...]) -> Match:
    exact = tuple(exact_form(w) for w in words) if any(has_diacritics(w) for w in words) else None
    return Match(tuple(fold(w) for w in words), exact)


@dataclass(frozen=True)
class Word:
    text: str  # NFC, as typed (case kept)

    @property
    def match(self) -> Match:
        return _match((self.text,))


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]

    @property
    def match(self) -> Match:
        return _match(self.words)


@dataclass(frozen=True)
class Instrument:
    """An instrument reference in the query: a canonical key, or a type and a bare number."""

    canonical: str | None  # "84/NQ-CP"
    type: str | None = None  # "Nghị quyết"
    number: str | None = None  # "84" for "Nghị quyết số 84"
    year: int | None = None
    surface: str = ""

    @property
    def match(self) -> Match | None:
        """A code marks where it is written whole; "Nghị quyết số 84" marks nothing in the text."""
        return Match((fold(self.canonical),), whole=True) if self.canonical else None


@dataclass(frozen=True)
class Filter:
    field: str  # one of FILTER_FIELDS
    value: str  # "Bắc Giang", "2020", "2020..2022"


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


@dataclass(frozen=True)
class Words(And):
    """Words of the query that an abbreviation stands beside (``Alternatives``): all required,
    their nearness counted in the enclosing AND (``near_words``), not on their own."""


@dataclass(frozen=True)
class Alternatives(Or):
    """Equivalent ways of writing one thing, any of which matches: words of the query and the
    administrative abbreviation they stand for, or the reverse ("GPMB" / "giải phóng mặt bằng").
    Engines compile it as the ``Or`` it is."""


def leaves(node, kinds, negated):
    if isinstance(node, (And, Or)):
        for item in node.items:
            yield from leaves(item, kinds, negated)
    elif isinstance(node, Not):
        if negated:
            yield from leaves(node.item, kinds, negated)
    elif node is not None and isinstance(node, kinds):
        yield node
