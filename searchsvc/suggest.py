"""“Có phải bạn muốn tìm”: misspelled syllables corrected, missing accents restored.

Offered only when the suggestion itself finds something; a word the corpus does not know and
that has no close spelling in it is dropped from the suggestion, not kept. At most
``MAX_WORDS`` distinct words are looked at, and each word's correction is kept per index
generation, so a suggestion costs a few lookups whatever the query.
"""
from __future__ import annotations

import re

from .normalize import fold, has_diacritics
from .query import Phrase, Word, parse_query

__all__ = ["suggest", "MAX_WORDS"]

MAX_WORDS = 12  # distinct query words looked at
CACHE_SIZE = 4096  # corrections kept per index generation


def _correction(engine, cache: dict, word: str, accents: bool) -> str | None:
    """The spelling to suggest for ``word``: itself (None), a corrected or accented word, or ""
    for a word to drop. ``accents``: restore a word's missing accents (the query has none)."""
    corrections = cache.setdefault("corrections", {})
    key = (word, accents)
    if key in corrections:
        return corrections[key]
    vocabulary = engine.vocabulary()
    folded = fold(word)
    if folded not in vocabulary:
        corrected = engine.correct(folded)
        result = vocabulary[corrected] if corrected and corrected in vocabulary else ""
    elif accents and not has_diacritics(word) and fold(vocabulary[folded]) == folded and vocabulary[folded] != word.lower():
        result = vocabulary[folded]
    else:
        result = None
    if len(corrections) >= CACHE_SIZE:
        corrections.clear()
    corrections[key] = result
    return result


def suggest(engine, cache: dict, parsed, text: str) -> str | None:
    """A better query for ``text`` that finds something, or None."""
    words: list[str] = []
    for leaf in parsed.leaves((Word, Phrase)):
        for word in leaf.words if isinstance(leaf, Phrase) else (leaf.text,):
            if word not in words:
                words.append(word)
    replacements = {}
    accents = not any(has_diacritics(w) for w in words)  # a reader who types accents typed these as meant
    for word in words[:MAX_WORDS]:
        corrected = _correction(engine, cache, word, accents)
        if corrected is not None:
            replacements[word] = corrected
    if not replacements:
        return None
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(replacements, key=len, reverse=True)) + r")(?!\w)")
    suggestion = " ".join(pattern.sub(lambda m: replacements[m.group(1)], text).split())
    if not suggestion or suggestion == text:
        return None
    tree = parse_query(suggestion).search_tree
    if tree is None or not len(engine.matching_docs(engine.compile(tree, {}))):
        return None
    return suggestion
