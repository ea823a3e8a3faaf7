"""The query language, parsed into a small engine-neutral tree.

    giải ngân vốn đầu tư công          words (all must match; nearness ranks higher)
    "đầu tư công"                      a phrase
    a OR b, a AND b, NOT a, -a, ( … )  boolean logic (implicit AND binds loosest)
    province:"Bắc Giang" year:2020..2022 type:"Nghị quyết" instrument:84/NQ-CP issuer:"Chính phủ"
    Nghị quyết 84/NQ-CP, 84/nq-cp, NQ 84/NQ-CP, Nghị quyết số 84   an instrument reference

Text that is not valid syntax (a lone quote, a dangling AND, unbalanced parentheses) is searched
as plain words with a warning; only a query too long or too complex raises ``QueryError``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .abbreviations import expand_abbreviations, near_words
from .citations import symbol_parts
from .normalize import TOKEN_RE, fold_aligned, nfc
from .querytree import Alternatives, And, Filter, Instrument, Match, Not, Or, Phrase, Word, Words, leaves as _leaves
from .patterns import NUMBER, SYMBOL_RE, TYPE_WORDS, alternation

__all__ = [
    "QueryError", "ParsedQuery", "Match", "Word", "Phrase", "Instrument", "Filter", "And", "Or", "Not", "Alternatives", "Words",
    "parse_query", "near_words", "expand_abbreviations", "find_instruments", "year_bounds", "instrument_value", "check_filter", "FILTER_FIELDS", "MAX_QUERY_LENGTH", "MAX_CLAUSES", "MAX_DEPTH",
]

MAX_QUERY_LENGTH = 1000  # characters
PARSED_KEPT = 1024  # parsed queries kept (``parse_query``): at most ~1 MB
MAX_CLAUSES = 64  # words, phrases, instruments and filters in one query
MAX_DEPTH = 16  # nested parentheses
FILTER_FIELDS = ("province", "year", "period", "doctype", "type", "instrument", "issuer", "report", "section")


class QueryError(ValueError):
    """A query that cannot be run at all (too long, too complex, an impossible filter)."""


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    tree: object | None  # None: no query text (filters or browsing only)
    warnings: tuple[str, ...] = ()

    @property
    def search_tree(self):
        """The tree as searched: with the abbreviations' alternatives (``expand_abbreviations``)."""
        return expand_abbreviations(self.tree)

    def leaves(self, kinds=(Word, Phrase, Instrument), negated: bool = False):
        """The positive (not negated) leaves of the tree as typed, in order."""
        yield from _leaves(self.tree, kinds, negated)

    def matches(self) -> list[Match]:
        """What the positive words, phrases and codes of the searched tree match (abbreviations'
        alternatives included): what snippets mark."""
        found = (leaf.match for leaf in _leaves(self.search_tree, (Word, Phrase, Instrument), False))
        return list(dict.fromkeys(m for m in found if m is not None))


# --- lexing ---------------------------------------------------------------------------------------
_TYPE_WORD = alternation(TYPE_WORDS)
_INSTRUMENT_IN_QUERY = re.compile(
    rf"(?<!\w)(?:(?P<type_word>{_TYPE_WORD})\s+(?:so\s*:?\s*)?)?(?P<symbol>{SYMBOL_RE.pattern})",
    re.VERBOSE,
)
_NUMBER_ONLY_IN_QUERY = re.compile(rf"(?<!\w)(?P<type_word>{_TYPE_WORD})\s+(?P<so>so\s*:?\s*)?(?P<number>{NUMBER})(?![\w/-])")
_TOKEN = re.compile(
    r"""
    (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<field>(?:province|year|period|doctype|type|instrument|issuer|report|section)):(?P<fvalue>"[^"]*"|[^\s()"]+)
  | (?P<phrase>"[^"]*")
  | (?P<quote>")
  | (?P<word>-?[^\s()"]+)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class _Tok:
    kind: str  # lparen rparen field phrase quote word op instrument
    value: object


def find_instruments(text: str) -> list[tuple[int, int, Instrument]]:
    """Instrument references in the raw query, by span (folded matching, spans of ``text``)."""
    folded = fold_aligned(text)
    found: list[tuple[int, int, Instrument]] = []
    for match in _INSTRUMENT_IN_QUERY.finditer(folded):
        inner = SYMBOL_RE.match(folded, match.start("symbol"))
        parts = symbol_parts(inner, text) if inner else None
        if parts is None:
            continue
        type_name, _, _, canonical, _ = parts
        written = match.group("type_word")
        found.append((match.start(), match.end(), Instrument(canonical, TYPE_WORDS.get(re.sub(r"\s+", " ", written or "")), surface=text[match.start():match.end()])))
    for match in _NUMBER_ONLY_IN_QUERY.finditer(folded):
        if any(s < match.end() and match.start() < e for s, e, _ in found):
            continue
        word = re.sub(r"\s+", " ", match.group("type_word"))
        abbreviation = " " not in word
        if not match.group("so") and not abbreviation:
            continue  # "kế hoạch 5 năm" is words; "kế hoạch số 5" and "KH 5" are references
        found.append((match.start(), match.end(), Instrument(None, TYPE_WORDS[word], match.group("number"), surface=text[match.start():match.end()])))
    return sorted(found, key=lambda f: f[0])


_PROTECTED = re.compile(r'(?:province|year|period|type|instrument|issuer|report|section):(?:"[^"]*"|[^\s()"]+)|"[^"]*"', re.IGNORECASE)


def _lex(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    protected = [m.span() for m in _PROTECTED.finditer(text)]  # a filter value, a quoted phrase: whole
    instruments = [f for f in find_instruments(text) if not any(s < f[1] and f[0] < e for s, e in protected)]
    position = 0
    for start, end, instrument in [*instruments, (len(text), len(text), None)]:
        for match in _TOKEN.finditer(text[position:start]):
            kind = next(k for k in ("lparen", "rparen", "field", "phrase", "quote", "word") if match.group(k) is not None)
            if kind == "field":
                value = match.group("fvalue").strip('"')
                tokens.append(_Tok("field", (match.group("field").lower(), value)))
            elif kind == "phrase":
                tokens.append(_Tok("phrase", match.group()[1:-1]))
            elif kind == "word" and match.group() in _OPERATORS:
                tokens.append(_Tok("op", match.group()))
            else:
                tokens.append(_Tok(kind, match.group()))
        if instrument is not None:
            tokens.append(_Tok("instrument", instrument))
        position = end
    return tokens


# --- parsing --------------------------------------------------------------------------------------
class _SyntaxProblem(Exception):
    pass


class _Parser:
    def __init__(self, tokens: list[_Tok]):
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.clauses = 0

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self):
        node = self.and_expr()
        if self.peek() is not None:
            raise _SyntaxProblem("dấu ngoặc đóng “)” thừa")
        return node

    def and_expr(self):
        items = []
        while (tok := self.peek()) is not None and tok.kind != "rparen":
            if tok.kind == "op" and tok.value == "AND":
                self.take()
                if not items or self.peek() is None or self.peek().kind == "rparen":
                    raise _SyntaxProblem("toán tử AND thiếu vế")
                continue
            items.append(self.or_expr())
        return items[0] if len(items) == 1 else And(tuple(items)) if items else None

    def or_expr(self):
        items = [self.unary()]
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.value == "OR":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind == "rparen" or (nxt.kind == "op" and nxt.value != "NOT"):
                raise _SyntaxProblem("toán tử OR thiếu vế")
            items.append(self.unary())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def unary(self):
        tok = self.peek()
        if tok.kind == "op" and tok.value == "NOT":
            self.take()
            if self.peek() is None or self.peek().kind in ("rparen", "op"):
                raise _SyntaxProblem("toán tử NOT thiếu vế")
            return Not(self.unary())
        if tok.kind == "op":
            raise _SyntaxProblem(f"toán tử {tok.value} đặt sai chỗ")
        return self.atom()

    def atom(self):
        tok = self.take()
        if tok.kind == "lparen":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"Truy vấn lồng quá {MAX_DEPTH} cấp ngoặc.")
            node = self.and_expr()
            if self.peek() is None:
                raise _SyntaxProblem("thiếu dấu ngoặc đóng “)”")
            self.take()
            self.depth -= 1
            if node is None:
                raise _SyntaxProblem("cặp ngoặc rỗng")
            return node
        if tok.kind == "rparen":
            raise _SyntaxProblem("dấu ngoặc đóng “)” thừa")
        if tok.kind == "quote":
            raise _SyntaxProblem("dấu ngoặc kép “\"” không được đóng")
        self.count()
        if tok.kind == "instrument":
            return tok.value
        if tok.kind == "field":
            name, value = tok.value
            return Filter(name, nfc(value))
        if tok.kind == "phrase":
            inner = tok.value.strip()
            quoted = find_instruments(inner)  # "84/NQ-CP" in quotes is the instrument
            if len(quoted) == 1 and quoted[0][0] == 0 and quoted[0][1] == len(inner):
                return quoted[0][2]
            words = tuple(_words(tok.value))
            if not words:
                raise _SyntaxProblem("cụm từ rỗng")
            return Phrase(words) if len(words) > 1 else Word(words[0])
        text = tok.value
        if text.startswith("-") and len(text) > 1:
            inner = _words(text[1:])
            return Not(Word(inner[0]) if len(inner) == 1 else Phrase(tuple(inner))) if inner else Word(text)
        words = _words(text)
        if not words:  # punctuation only: "–", "…"
            return And(())
        return Word(words[0]) if len(words) == 1 else Phrase(tuple(words))

    def count(self):
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QueryError(f"Truy vấn có quá {MAX_CLAUSES} thành phần; hãy rút gọn.")


def _words(text: str) -> list[str]:
    return TOKEN_RE.findall(nfc(text))


def _prune(node):
    """Drop empty groups left by punctuation-only tokens."""
    if isinstance(node, (And, Or)):
        items = tuple(i for i in (_prune(i) for i in node.items) if i is not None)
        if not items:
            return None
        return items[0] if len(items) == 1 else type(node)(items)
    if isinstance(node, Not):
        inner = _prune(node.item)
        return Not(inner) if inner is not None else None
    return node


def _plain(text: str) -> object | None:
    """The fallback: every word of the text, all required, syntax characters ignored."""
    tokens = [t for t in _lex(text.replace('"', " ").replace("(", " ").replace(")", " "))]
    items = []
    for tok in tokens:
        if tok.kind == "instrument":
            items.append(tok.value)
        elif tok.kind == "field":
            items.append(Filter(tok.value[0], nfc(tok.value[1])))
        elif tok.kind != "op":
            items.extend(Word(w) for w in _words(str(tok.value)))
    if len(items) > MAX_CLAUSES:
        raise QueryError(f"Truy vấn có quá {MAX_CLAUSES} thành phần; hãy rút gọn.")
    return _prune(And(tuple(items))) if items else None


def parse_query(text: str | None) -> ParsedQuery:
    """Parse query text; invalid syntax falls back to plain words with a warning.

    >>> parse_query('Nghị quyết 84/NQ-CP').tree
    Instrument(canonical='84/NQ-CP', type='Nghị quyết', number=None, year=None, surface='Nghị quyết 84/NQ-CP')
    >>> q = parse_query('"giải ngân vốn')
    >>> q.tree, len(q.warnings)
    (And(items=(Word(text='giải'), Word(text='ngân'), Word(text='vốn'))), 1)
    """
    text = nfc(text or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"Truy vấn dài {len(text)} ký tự, vượt giới hạn {MAX_QUERY_LENGTH} ký tự.")
    return _parsed(text)


@lru_cache(maxsize=PARSED_KEPT)
def _parsed(text: str) -> ParsedQuery:
    """``parse_query`` of NFC text within the length limit. Kept: a page parses its query more
    than once (the search, then its filter chips), and so do the pages a user moves through
    (next page, a facet), at some 0.1 ms a parse; a ``ParsedQuery`` and its tree are frozen."""
    if not text:
        return ParsedQuery(text, None)
    try:
        tree = _prune(_Parser(_lex(text)).parse())
        warnings = ()
    except _SyntaxProblem as problem:
        tree = _plain(text)
        warnings = (f"Truy vấn không đúng cú pháp ({problem}); đã tìm theo các từ thường.",)
    for node in _leaves(tree, (Filter,), True):
        _check_filter(node)
    return ParsedQuery(text, tree, warnings)


_YEAR_RANGE = re.compile(r"^(\d{4})?(?:\.\.(\d{4})?)?$")


def year_bounds(value: str) -> tuple[int | None, int | None]:
    """ "2020" -> (2020, 2020); "2020..2022" -> (2020, 2022); "..2021" -> (None, 2021)."""
    match = _YEAR_RANGE.match(value.strip())
    if not match or not value.strip() or value.strip() == "..":
        raise QueryError(f"Năm không hợp lệ: “{value}” (ví dụ: 2020 hoặc 2020..2022).")
    low, high = match.group(1), match.group(2)
    if ".." not in value:
        return int(low), int(low)
    bounds = (int(low) if low else None, int(high) if high else None)
    if bounds[0] and bounds[1] and bounds[0] > bounds[1]:
        raise QueryError(f"Khoảng năm không hợp lệ: “{value}”.")
    return bounds


def instrument_value(value: str) -> tuple[str, int | None]:
    """An instrument filter value: a key ("84_NQ-CP.2020") or a reference ("84/NQ-CP").

    >>> instrument_value("84_NQ-CP.2020"), instrument_value("nghi quyet 84/nq-cp")
    (('84/NQ-CP', 2020), ('84/NQ-CP', None))
    """
    from .models import canonical_from_key

    canonical, year = canonical_from_key(value) if "/" not in value else (value, None)
    found = find_instruments(canonical)
    if len(found) != 1 or found[0][2].canonical is None:
        raise QueryError(f"Mã văn bản không hợp lệ: “{value}” (ví dụ: 84/NQ-CP hoặc 84_NQ-CP.2020).")
    return found[0][2].canonical, year


def check_filter(facet: str, value: str) -> None:
    """Raise QueryError for a filter that does not exist or a value it can never take."""
    if facet not in FILTER_FIELDS:
        raise QueryError(f"Bộ lọc không tồn tại: “{facet}” (có: {', '.join(FILTER_FIELDS)}).")
    if facet == "year":
        year_bounds(value)
    elif facet == "instrument":
        instrument_value(value)


def _check_filter(node: Filter) -> None:
    check_filter(node.field, node.value)


