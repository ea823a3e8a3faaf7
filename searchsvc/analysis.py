"""Whoosh analysis for Vietnamese: one tokenizer, two forms of each token.

* ``EXACT`` keeps diacritics (NFC, one tone placement, lower case): "hoà" and "hòa" are one term,
  "bán" and "bàn" are two.
* ``FOLDED`` strips them (unidecode-based, đ -> d): "Nghị quyết" -> "nghi quyet".

A compound token ("84/NQ-CP", "15/2021/NĐ-CP", "Covid-19") is indexed whole and by its parts: the
whole shares the position of its first part, so "84/nq-cp" and "nghị quyết 84" both match.
Whoosh pickles the schema into the index, so everything here is module-level and picklable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from whoosh.analysis import Composable, Filter, Token, Tokenizer

from .normalize import TOKEN_RE, exact_form, fold

__all__ = [
    "VietnameseTokenizer", "ExactFilter", "FoldFilter", "BigramFilter", "EXACT", "FOLDED", "EXACT_BIGRAMS",
    "FOLDED_BIGRAMS", "split_compound", "bigrams", "analyze_text", "analyze_joined", "Analyzed", "PAIR_JOIN",
]

_PART = re.compile(r"[^\W_]+")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)+")


def split_compound(token: str) -> list[str]:
    """ "84/NQ-CP" -> ["84", "NQ", "CP"]; a plain word -> [word]. Figures stay whole ("6,4")."""
    if token.isalnum() or _FIGURE.fullmatch(token):
        return [token]
    return _PART.findall(token)


# Per-token forms are cached: a corpus repeats a small vocabulary of syllables millions of times.
_exact = lru_cache(maxsize=1 << 16)(exact_form)
_fold = lru_cache(maxsize=1 << 16)(fold)


class VietnameseTokenizer(Tokenizer):
    """Tokens of ``normalize.TOKEN_RE``; compounds add their parts (index mode only).
    With ``wholes=False`` a compound gives only its parts (for syllable bigrams).

    >>> [t.text for t in VietnameseTokenizer()("NQ 84/NQ-CP", mode="index")]
    ['NQ', '84/NQ-CP', '84', 'NQ', 'CP']
    """

    def __init__(self, wholes: bool = True):
        self.wholes = wholes

    def __eq__(self, other):
        return type(self) is type(other) and self.wholes == other.wholes

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        pos = start_pos
        for match in TOKEN_RE.finditer(value):
            text = match.group()
            parts = split_compound(text)
            whole = len(parts) > 1 and mode != "query" and self.wholes
            emitted = [(text, match.start(), match.end(), 0)] if whole else []
            offset = match.start()
            for index, part in enumerate(parts):
                begin = value.index(part, offset)
                emitted.append((part, begin, begin + len(part), index))
                offset = begin + len(part)
            for text_, begin, end, step in emitted:
                token.text = text_
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = text_
                if positions:
                    token.pos = pos + step
                if chars:
                    token.startchar, token.endchar = start_char + begin, start_char + end
                yield token
            pos += len(parts)


class ExactFilter(Filter):
    """Accent-exact form: "Hoà" -> "hòa" (one tone placement, lower case)."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, tokens):
        for token in tokens:
            token.text = _exact(token.text)
            yield token


class FoldFilter(Filter):
    """Accent-insensitive form: "Nghị" -> "nghi", "Đ" -> "d"."""

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, tokens):
        for token in tokens:
            token.text = _fold(token.text)
            yield token


class BigramFilter(Filter):
    """Pairs of neighbouring syllables, one term each: most Vietnamese words are two syllables
    ("đầu tư", "giải ngân"), so a phrase becomes term lookups instead of positional matching.

    >>> [t.text for t in BigramFilter()(VietnameseTokenizer(wholes=False)("đầu tư công"))]
    ['đầu tư', 'tư công']
    """

    def __eq__(self, other):
        return type(self) is type(other)

    def __call__(self, tokens):
        previous = None
        for token in tokens:
            text = token.text
            if previous is not None:
                token.text = f"{previous} {text}"
                yield token
            previous = text


def bigrams(parts: list[str]) -> list[str]:
    """The bigram terms of a sequence of analyzed syllables, as ``BigramFilter`` indexes them."""
    return [f"{a} {b}" for a, b in zip(parts, parts[1:])]


PAIR_JOIN = "_"  # joins the two syllables of a bigram in ``Analyzed`` ("đầu_tư"): never inside a part


@dataclass(frozen=True)
class Analyzed:
    """A text analyzed (``analyze_joined``), each form as its tokens joined by single spaces.

    The pairs are the bigrams of neighbouring parts (as ``BigramFilter`` pairs them, across
    punctuation too), each joined by ``PAIR_JOIN``: "đầu tư công" -> "đầu_tư tư_công".
    """

    exact: str  # the parts of every token, accent-exact: "nghị quyết 84 nq cp"
    folded: str  # the same, folded: "nghi quyet 84 nq cp"
    exact_wholes: str  # the compounds, whole: "84/nq-cp"
    folded_wholes: str
    exact_pairs: str  # "nghị_quyết quyết_84 84_nq nq_cp"
    folded_pairs: str


class _Runs(dict):
    """A run of text between spaces -> its exact parts, space-joined: "(84/NQ-CP)," -> "84 nq cp"
    ("" for a run without a token). Analyzing a run fills its other forms too (``_FORMS``).

    Splitting at spaces first is safe: a token (``TOKEN_RE``) never holds one; and the same few
    thousand runs keep coming back, so each is analyzed once, and a whole text is assembled from
    its runs by ``str.join`` over dictionary lookups, with no Python step per run.
    """

    LIMIT = 200_000  # distinct runs kept (2,000 reports hold about 50,000); then start over

    def __missing__(self, run: str) -> str:
        parts, wholes = [], []
        for token in TOKEN_RE.findall(run):
            pieces = split_compound(token)
            parts.extend(pieces)
            if len(pieces) > 1:
                wholes.append(token)
        forms = ([_exact(p) for p in parts], [_fold(p) for p in parts],
                 [_exact(w) for w in wholes], [_fold(w) for w in wholes])
        _LISTS[run] = forms
        if any(token.split() != [token] for form in forms for token in form):
            _ODD.add(run)  # a form holding a space ("中" folds to "Zhong "): the text is made from the lists
        exact, folded, exact_wholes, folded_wholes = forms
        _FOLDED[run] = " ".join(folded)
        if wholes:
            _WHOLES[run] = " ".join(exact_wholes), " ".join(folded_wholes)
        # every part twice ("a a_b b"): the pairs of a text are its runs' joined, less both ends (``_pairs``)
        _EXACT_DOUBLED[run] = PAIR_JOIN.join(f"{p} {p}" for p in exact)
        _FOLDED_DOUBLED[run] = PAIR_JOIN.join(f"{p} {p}" for p in folded)
        value = self[run] = " ".join(exact)
        return value


_EXACT = _Runs()
_FOLDED: dict[str, str] = {}
_WHOLES: dict[str, tuple[str, str]] = {}  # the runs that hold a compound: its exact and folded forms
_EXACT_DOUBLED: dict[str, str] = {}
_FOLDED_DOUBLED: dict[str, str] = {}
_LISTS: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {}  # the four forms as tokens
_ODD: set[str] = set()  # runs a token of which holds a space
_FORMS = (_EXACT, _FOLDED, _WHOLES, _EXACT_DOUBLED, _FOLDED_DOUBLED, _LISTS, _ODD)


def _pairs(parts: str, doubled: str) -> str:
    """The pairs of a text, from its parts ("a b c") and its parts doubled ("a a_b b_c c").

    >>> _pairs("đầu tư công", "đầu đầu_tư tư_công công")
    'đầu_tư tư_công'
    """
    first, last = parts.find(" "), parts.rfind(" ")
    return doubled[first + 1:len(doubled) - (len(parts) - last)] if first >= 0 else ""


def _joined(runs: list[str], forms: dict[str, str]) -> str:
    return " ".join(filter(None, map(forms.get, runs)))


def _wholes(runs: list[str]) -> tuple[str, str]:
    """The exact and the folded compounds of the runs (a few runs hold one)."""
    wholes = [_WHOLES[run] for run in filter(_WHOLES.__contains__, runs)]
    return " ".join(exact for exact, _ in wholes), " ".join(folded for _, folded in wholes)


def analyze_joined(text: str | None) -> Analyzed:
    """A text analyzed at once (``Analyzed``): what ``EXACT`` and ``FOLDED`` make of it, parts and
    wholes apart, and what the bigram analyzers pair, joined by spaces.

    >>> analyze_joined("Nghị quyết 84/NQ-CP, hoà")
    Analyzed(exact='nghị quyết 84 nq cp hòa', folded='nghi quyet 84 nq cp hoa', exact_wholes='84/nq-cp', \
folded_wholes='84/nq-cp', exact_pairs='nghị_quyết quyết_84 84_nq nq_cp cp_hòa', \
folded_pairs='nghi_quyet quyet_84 84_nq nq_cp cp_hoa')
    """
    runs = _runs(text)
    exact = " ".join(filter(None, map(_EXACT.__getitem__, runs)))  # analyzes the new runs
    if _ODD and not _ODD.isdisjoint(runs):
        lists = _lists(runs)
        exact, folded, exact_wholes, folded_wholes = map(" ".join, lists)
        return Analyzed(exact, folded, exact_wholes, folded_wholes, *(
            " ".join(map(PAIR_JOIN.join, zip(parts, parts[1:]))) for parts in lists[:2]))
    folded = _joined(runs, _FOLDED)
    return Analyzed(exact, folded, *_wholes(runs),
                    _pairs(exact, PAIR_JOIN.join(filter(None, map(_EXACT_DOUBLED.get, runs)))),
                    _pairs(folded, PAIR_JOIN.join(filter(None, map(_FOLDED_DOUBLED.get, runs)))))


def _runs(text: str | None) -> list[str]:
    """The runs of a text between spaces; the cache starts over first when it is full (never while
    a text is assembled: its runs stay in every form)."""
    if len(_EXACT) >= _Runs.LIMIT:
        for forms in _FORMS:
            forms.clear()
    return (text or "").split()


def _lists(runs: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
    """The four forms of the runs as lists of tokens: the cached lists, whose strings keep their
    hash (Whoosh counts them)."""
    forms = ([], [], [], [])
    exact, folded, exact_wholes, folded_wholes = forms
    for run in runs:
        lists = _LISTS.get(run)
        if lists is None:
            _EXACT[run]  # analyzes it
            lists = _LISTS[run]
        e, f, ew, fw = lists
        exact += e
        folded += f
        if ew:
            exact_wholes += ew
            folded_wholes += fw
    return forms


def analyze_text(text: str | None) -> tuple[list[str], list[str], list[str], list[str]]:
    """What the analyzers below make of a text, at once: (exact parts, folded parts, exact
    wholes, folded wholes). ``EXACT`` gives the exact parts and wholes, ``FOLDED`` the folded
    ones, the bigram analyzers pair neighbouring parts.

    >>> analyze_text("Nghị quyết 84/NQ-CP, hoà")
    (['nghị', 'quyết', '84', 'nq', 'cp', 'hòa'], ['nghi', 'quyet', '84', 'nq', 'cp', 'hoa'], ['84/nq-cp'], ['84/nq-cp'])
    """
    return _lists(_runs(text))


EXACT: Composable = VietnameseTokenizer() | ExactFilter()
FOLDED: Composable = VietnameseTokenizer() | FoldFilter()
EXACT_BIGRAMS: Composable = VietnameseTokenizer(wholes=False) | ExactFilter() | BigramFilter()
FOLDED_BIGRAMS: Composable = VietnameseTokenizer(wholes=False) | FoldFilter() | BigramFilter()
