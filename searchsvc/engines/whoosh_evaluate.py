"""The Whoosh engine's query tree over NumPy arrays (``whoosh_engine``): each node as (mask of
matching documents, score of each), scored as Whoosh's own searcher scores the same query."""
from __future__ import annotations

from collections import Counter

import numpy as np

from ..analysis import bigrams, split_compound
from ..normalize import exact_form, fold, has_diacritics
from ..query import And, Filter, Instrument, Not, Or, Phrase, Word, near_words
from ..schema import EXACT_BOOST, PROXIMITY_BOOST, filter_clause, instrument_term, word_terms

__all__ = ["Evaluator"]


def _in_sequence(positions: list[tuple[int, ...]], slop: int) -> bool:
    """Whether the words stand in order, each 1 to ``slop`` positions after the one before
    (Whoosh's phrase: an ordered ``SpanNear2`` with ``mindist=1``), given each word's positions.

    >>> _in_sequence([(0, 5), (6,), (8,)], 2), _in_sequence([(0, 5), (6,), (8,)], 1)
    (True, False)
    """
    ends = set(positions[0])
    for following in positions[1:]:
        ends = {p for p in following if any(1 <= p - end <= slop for end in ends)}
        if not ends:
            return False
    return True



# --- the query tree over arrays ----------------------------------------------------------------------
class Evaluator:
    """Query-tree nodes as (mask of matching documents, score of each), scored as Whoosh scores
    the same queries: a term by BM25F, a boost multiplies, OR and AND add up their parts' scores
    where they match, a filter on a keyword field scores its weight (1), a year range and a
    negation score 1. A node repeated in the tree ("1 1 1 …") is evaluated once: what a node
    gives is never changed afterwards (``all_of`` copies before combining)."""

    def __init__(self, reader):  # the engine's ``Reader``
        self.reader = reader
        self.n = reader._n
        self._done: dict = {}

    def empty(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(self.n, dtype=np.bool_), np.zeros(self.n)

    def constant(self, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return mask, mask.astype(np.float64)

    def term(self, field: str, text: str, boost: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        docs, scores = self.reader._term(field, text)
        mask, score = self.empty()
        mask[docs] = True
        score[docs] = scores * boost if boost != 1.0 else scores
        return mask, score

    def any_of(self, parts: list) -> tuple[np.ndarray, np.ndarray]:
        mask, score = self.empty()
        for part_mask, part_score in parts:
            mask |= part_mask
            score += part_score
        return mask, score

    def all_of(self, parts: list) -> tuple[np.ndarray, np.ndarray]:
        mask, score = parts[0][0].copy(), parts[0][1].copy()
        for part_mask, part_score in parts[1:]:
            mask &= part_mask
            score += part_score
        return mask, np.where(mask, score, 0.0)

    def node(self, node, boosts: bool = True) -> tuple[np.ndarray, np.ndarray]:
        key = (node, boosts)
        if key not in self._done:
            self._done[key] = self._node(node, boosts)
        return self._done[key]

    def _node(self, node, boosts: bool) -> tuple[np.ndarray, np.ndarray]:
        if node is None:
            return self.constant(self.reader._live.copy())
        if isinstance(node, Word):
            return self.word(node.text)
        if isinstance(node, Phrase):
            return self.phrase(node.words)
        if isinstance(node, Instrument):
            if node.canonical:
                return self.term("instruments", instrument_term(node.canonical, node.year))
            return self.term("instruments", f"{fold(node.type)}#{node.number}")
        if isinstance(node, Filter):
            return self.filter(node.field, [node.value])
        if isinstance(node, Not):
            return self.constant(self.reader._live & ~self.node(node.item, boosts)[0])
        if isinstance(node, Or):
            return self.any_of([self.node(i, boosts) for i in node.items])
        if isinstance(node, And):
            mask, score = self.all_of([self.node(i, boosts) for i in node.items])
            words = near_words(node)
            if boosts and len(words) > 1:  # nearness of the words ranks higher (Whoosh's AndMaybe)
                near_mask, near_score = self.phrase(tuple(words), slop=2, boost=PROXIMITY_BOOST)
                score += np.where(mask & near_mask, near_score, 0.0)
            return mask, score
        raise TypeError(f"unknown query node {node!r}")

    def word(self, word: str) -> tuple[np.ndarray, np.ndarray]:
        return self.any_of([self.term(field, term, boost) for field, term, boost in word_terms(word)])

    def phrase(self, words: tuple[str, ...], slop: int = 1, boost: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """A phrase: in the body, all its syllable bigrams (term lookups, not positions); in the
        short heading, Whoosh's positional phrase (``slop`` words apart at most), scored as
        Whoosh scores it: the sum of its terms' scores where it occurs."""
        parts = [p for w in words for p in split_compound(w)]
        if len(parts) == 1:
            return self.word(parts[0])
        folded = [fold(p) for p in parts]
        options = [self.body(folded, "body_b", boost), self.heading(folded, "heading_f", slop, boost)]
        if any(has_diacritics(w) for w in words):
            exact = [exact_form(p) for p in parts]
            options += [self.body(exact, "body_eb", boost * EXACT_BOOST), self.heading(exact, "heading", slop, boost * EXACT_BOOST)]
        return self.any_of(options)

    def body(self, forms: list[str], field: str, boost: float):
        return self.every_term(field, bigrams(forms), boost)

    def every_term(self, field: str, terms: list[str], boost: float):
        """All of ``terms``, each distinct one looked up once, scoring as often as it is there."""
        return self.all_of([self.term(field, term, boost * count) for term, count in Counter(terms).items()])

    def heading(self, terms: list[str], field: str, slop: int, boost: float):
        mask, score = self.every_term(field, terms, boost)
        candidates = np.flatnonzero(mask)
        if len(candidates):  # only there, where the words stand (Whoosh's phrase: ordered, ``slop`` apart)
            found = {term: self.reader.positions_in(field, term, candidates) for term in set(terms)}
            positions = [found[term] for term in terms]
            apart = [doc for i, doc in enumerate(candidates.tolist()) if not _in_sequence([p[i] for p in positions], slop)]
            mask[apart] = False
            score[apart] = 0.0
        return mask, score

    def filter(self, facet: str, values: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Values of one facet combine with OR (validated beforehand by ``query.check_filter``)."""
        options = []
        for value in values:
            field, term = filter_clause(facet, value)
            if field == "year":
                years = self.reader._array("year")
                low, high = term
                options.append(self.constant(self.reader._live & (years >= (low if low is not None else -1 << 62))
                                             & (years <= (high if high is not None else 1 << 62))))
            else:
                options.append(self.term(field, term))
        return options[0] if len(options) == 1 else self.any_of(options)
