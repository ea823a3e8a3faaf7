"""The query tree as Tantivy query objects (``Compiler``), scored as Whoosh scores it; never
through Tantivy's query parser: what a user typed is never Tantivy syntax."""
from __future__ import annotations

import math

import tantivy

from ..analysis import split_compound
from ..normalize import exact_form, fold, has_diacritics
from ..query import And, Filter, Instrument, Not, Or, Phrase, Word, near_words
from ..schema import EXACT_BOOST, PROXIMITY_BOOST, filter_clause, instrument_term, word_terms
from .tantivy_writer import SCHEMA, bigrams

__all__ = ["Compiler", "all_of", "any_of"]

Occur = tantivy.Occur
Q = tantivy.Query

PROXIMITY_SLOP = 1  # Tantivy's slop counts moves in all; Whoosh's slop=2 allows one word per gap


def all_of(queries: list[tantivy.Query]) -> tantivy.Query:
    return queries[0] if len(queries) == 1 else Q.boolean_query([(Occur.Must, q) for q in queries])


def any_of(queries: list[tantivy.Query]) -> tantivy.Query:
    return queries[0] if len(queries) == 1 else Q.boolean_query([(Occur.Should, q) for q in queries])


def _boosted(query: tantivy.Query, boost: float) -> tantivy.Query:
    return query if boost == 1.0 else Q.boost_query(query, boost)


class Compiler:
    """The query tree as Tantivy queries, scored the way Whoosh scores it.

    Both score a term with BM25 (k1 = 1.2, b = 0.75) but weigh it by different idfs: Whoosh's
    ``log(N / (n + 1)) + 1`` keeps common syllables ("đầu", "tư", "công") worth about one point,
    Tantivy's ``log(1 + (N - n + 0.5) / (n + 0.5))`` makes them worth almost nothing, which upsets
    how words, phrases and headings weigh against each other. Every term query is therefore
    boosted by Whoosh's idf over Tantivy's (document frequencies from the searcher), and a phrase
    scores as in Whoosh: the sum of its terms' scores, where the phrase occurs.
    """

    def __init__(self, searcher: tantivy.Searcher, num_docs: int):
        self._searcher = searcher
        self._n = max(num_docs, 1)
        self._done: dict = {}  # a node repeated in the tree ("1 1 1 …") is translated once

    def term(self, field: str, value: str, boost: float = 1.0) -> tantivy.Query:
        frequency = self._searcher.doc_freq(field, value)
        whoosh_idf = math.log(self._n / (frequency + 1)) + 1
        tantivy_idf = math.log(1 + (self._n - frequency + 0.5) / (frequency + 0.5))
        # frequencies are all BM25 reads: positions (headings have them) are never loaded for a term
        return _boosted(Q.term_query(SCHEMA, field, value, index_option="freq"), boost * whoosh_idf / tantivy_idf)

    def translate(self, node, boosts: bool = True) -> tantivy.Query:
        """``boosts=False`` leaves out the optional nearness clauses, which change scores but
        never which documents match."""
        key = (node, boosts)
        if key not in self._done:
            self._done[key] = self._translate(node, boosts)
        return self._done[key]

    def _translate(self, node, boosts: bool) -> tantivy.Query:
        if node is None:
            return Q.all_query()
        if isinstance(node, Word):
            return self.word(node.text)
        if isinstance(node, Phrase):
            return self.phrase(node.words)
        if isinstance(node, Instrument):
            return self.instrument(node)
        if isinstance(node, Filter):
            return self.filter(node.field, [node.value])
        if isinstance(node, Not):
            # a query of MustNot clauses alone matches nothing in Tantivy: exclude from everything
            return Q.boolean_query([(Occur.Must, Q.all_query()), (Occur.MustNot, self.translate(node.item, boosts))])
        if isinstance(node, Or):
            return any_of([self.translate(i, boosts) for i in node.items])
        if isinstance(node, And):
            required = [self.translate(i, boosts) for i in node.items]
            words = near_words(node)
            if boosts and len(words) > 1:  # nearness of the words ranks higher (Whoosh: AndMaybe)
                near = self.phrase(tuple(words), slop=PROXIMITY_SLOP, boost=PROXIMITY_BOOST)
                return Q.boolean_query([*((Occur.Must, q) for q in required), (Occur.Should, near)])
            return all_of(required)
        raise TypeError(f"unknown query node {node!r}")

    def word(self, word: str) -> tantivy.Query:
        return any_of([self.term(field, term, boost) for field, term, boost in word_terms(word)])

    def phrase(self, words: tuple[str, ...], slop: int = 0, boost: float = 1.0) -> tantivy.Query:
        """A phrase: in the body, all its syllable bigrams (term lookups, not positions); in the
        short heading, a positional phrase (``slop``: Tantivy's, moves allowed in all)."""
        parts = [p for w in words for p in split_compound(w)]
        if len(parts) == 1:
            return self.word(parts[0])

        def body(field: str, forms: list[str], factor: float) -> tantivy.Query:
            return all_of([self.term(field, bigram, boost * factor) for bigram in bigrams(forms)])

        def heading(field: str, terms: list[str], factor: float) -> tantivy.Query:
            # scored as Whoosh scores a positional phrase: the sum of its terms' scores, where it is
            where = Q.const_score_query(Q.phrase_query(SCHEMA, field, terms, slop=slop), 0.0)
            return _boosted(all_of([where, *(self.term(field, t) for t in terms)]), boost * factor)

        folded = [fold(p) for p in parts]
        options = [body("body_b", folded, 1.0), heading("heading_f", folded, 1.0)]
        if any(has_diacritics(w) for w in words):
            exact = [exact_form(p) for p in parts]
            options += [body("body_eb", exact, EXACT_BOOST), heading("heading", exact, EXACT_BOOST)]
        return any_of(options)

    def instrument(self, node: Instrument) -> tantivy.Query:
        if node.canonical:
            return self.term("instruments", instrument_term(node.canonical, node.year))
        return self.term("instruments", f"{fold(node.type)}#{node.number}")

    def filter(self, facet: str, values: list[str]) -> tantivy.Query:
        """Values of one facet combine with OR (validated beforehand by ``query.check_filter``)."""
        options = []
        for value in values:
            field, term = filter_clause(facet, value)
            if field == "year":
                options.append(Q.range_query(SCHEMA, field, tantivy.FieldType.Integer, *term))
            else:
                options.append(self.term(field, term))
        return any_of(options)
