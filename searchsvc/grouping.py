"""Sections ranked by the engine -> one row per report: the best 1–3 sections of each, the
number of its sections that match, and the reports that repeat the same text folded under the
first (a paragraph copied across provinces is one result, "và N báo cáo khác cùng nội dung").

Pure functions over what the engine gave: (document, score, stored fields) in rank order.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Callable, Collection, Hashable

import numpy as np

from .normalize import TOKEN_RE, fold

__all__ = ["ReportRow", "Grouping", "group_reports", "group_sections", "near_identical", "words_of", "SECTIONS_SHOWN"]

SECTIONS_SHOWN = 3  # best matching sections shown per report
ABOUT = ("title", "province", "year", "period", "report_date")  # what a row shows of its report
SAME_CONTENT = 0.8  # share of distinct words two sections have in common to be "the same content"
COMPARED = 1500  # characters of two sections compared: enough to tell a copy, bounded cost
MIN_WORDS = 12  # shorter sections ("1. Kết quả đạt được") are never folded together
_WITH_DIGITS = re.compile(r"^.*\d.*$", re.MULTILINE)  # the lines (words, one a line) that hold a digit


@dataclass
class ReportRow:
    report_id: str
    title: str
    province: str | None
    year: int | None
    period: str | None
    report_date: str | None
    ranked: list[tuple] = field(default_factory=list)  # (doc, score, stored) of its best sections
    sections: list = field(default_factory=list)  # ``Hit``s of ``ranked``, made for the page shown
    matched: int = 0  # sections of the report that match
    same_content: list[dict] = field(default_factory=list)  # {"report_id", "title", "province", "year"}
    missing: list[str] = field(default_factory=list)  # query words it lacks (a partial match)
    own_number: bool = False  # the query is this document's own number

    def to_dict(self) -> dict:
        data = asdict(self)
        del data["ranked"]
        data["sections"] = [h.to_dict() for h in self.sections]
        return data


def words_of(body: str) -> frozenset[str]:
    """Distinct folded words of the start of a text (``COMPARED`` characters), numbers left out
    (copies differ by figures and names). The indexer numbers them for every section once
    (``signatures``); a search without those makes them from the stored text (``_words``)."""
    words = set(TOKEN_RE.findall(fold(body[:COMPARED])))
    return frozenset(words.difference(_WITH_DIGITS.findall("\n".join(words))))  # one search over the distinct words


_words = lru_cache(maxsize=4096)(words_of)  # a search fetching more sections groups the ones it had again


def near_identical(a: Collection, b: frozenset) -> bool:
    """Whether two sections (their ``_words``, or their signatures: ``a`` may be any collection
    of distinct words) say the same: most of their words in common.

    >>> text = "đã hoàn thành kế hoạch giải ngân vốn đầu tư công năm {}, tập trung tháo gỡ vướng mắc về mặt bằng"
    >>> near_identical(_words("Tỉnh Bắc Giang " + text.format(2020)), _words("Tỉnh Bến Tre " + text.format(2021)))
    True
    """
    if min(len(a), len(b)) < MIN_WORDS:
        return False
    common = len(b.intersection(a))
    return common / (len(a) + len(b) - common) >= SAME_CONTENT  # the words of both: no union built


def group_reports(ranked: list[tuple]) -> list[ReportRow]:
    """Rows in the order of each report's best section; near-identical best sections of
    different reports folded under the first report that has it."""
    return group_sections([(doc, score, stored["report_id"]) for doc, score, stored in ranked], lambda i: ranked[i][2])


def group_sections(sections: list[tuple], stored: Callable[[int], dict], compared: dict | None = None,
                   detailed: int | None = None, words: Callable[[int], Collection] | None = None,
                   about: Callable[[str], dict] | None = None, same: Callable[[int], Hashable] | None = None
                   ) -> list[ReportRow]:
    """``group_reports`` of sections given as (document, score, report id) in rank order, with
    ``stored(i)`` the stored fields of the i-th: read only for each report's best section and
    the sections its row keeps (an engine reads them one by one). ``compared`` keeps whether
    two best sections (their documents) are ``near_identical`` for the next call. Rows after
    the first ``detailed`` keep only their best section in ``ranked`` (pages up to there never
    show them).

    ``words(i)``, when given, is the i-th section's ``words_of`` in any one-to-one numbering
    (``signatures``) and ``about(report_id)`` the title, province and year of a report (and its
    period and date, ``ABOUT``): the stored fields are then read only for the rows kept, never
    for the copies folded under them; nor for rows after ``detailed`` when ``about`` gives all
    of ``ABOUT``: their one section in ``ranked`` then holds these fields only.
    ``same(i)`` (else the words themselves) is a key equal for two sections only when their
    words are: a best section with the very words of an earlier report's best section (of
    ``MIN_WORDS`` at least) goes where that one went without a comparison — under the row it
    made, or under the row it folded into: the same words are near the same rows, and rows kept
    since come after that one."""
    return Grouping(detailed, compared).add(sections, stored, words, about, same)


class Grouping:
    """``group_sections`` of a list of sections that grows: a search fetching more sections (the
    ones it had, then more) groups only the new ones. The rows come out as ``group_sections`` of
    the whole list gives them: what becomes of a report depends only on the rows before its best
    section, and new sections come after; a section added to a report that has a row joins the
    sections it keeps. Sections that do not start with the ones given before are grouped anew.

    With ``rows``, the rows stop there: a report after them folds under one of them or is left
    out. The first ``rows`` rows and their copies come out as without it (a report folds under
    the first row near it, and rows after these come after them); only the rows past them are
    not made, and the reports near those (a search asking for the rows of one page has no use
    for them) are left out rather than compared with them."""

    def __init__(self, detailed: int | None = None, compared: dict | None = None, rows: int | None = None):
        self._detailed = detailed
        self._rows = rows
        self._compared = {} if compared is None else compared
        self._start(None)

    def _start(self, numbered: bool | None) -> None:
        self._sections: list[tuple] = []
        self._numbered = numbered  # whether ``words`` were given: word numbers and words never meet
        self._positions: dict[str, list[int]] = {}  # report -> its first SECTIONS_SHOWN sections
        self._detailed_rows: dict[str, ReportRow] = {}  # report -> its row, when it keeps all its sections
        self._kept: list[tuple] = []  # (row, words of its best section, its document)
        self._sizes: list[int] = []  # words of each kept row's best section
        self._by_key: dict = {}  # ``same`` of a best section (of MIN_WORDS at least) -> the row it made or went under, or _NO_ROW

    def add(self, sections: list[tuple], stored: Callable[[int], dict], words: Callable[[int], Collection] | None = None,
            about: Callable[[str], dict] | None = None, same: Callable[[int], Hashable] | None = None) -> list[ReportRow]:
        """The rows of ``sections`` (``group_sections``), which start with the ones given before."""
        done = len(self._sections)
        if (words is not None) is not self._numbered or sections[:done] != self._sections:
            self._start(words is not None)
            done = 0
        self._sections = list(sections)
        new: list[list[int]] = []  # the positions of the reports first seen now, in order
        positions, detailed_rows = self._positions, self._detailed_rows
        for i, (doc, score, report_id) in enumerate(sections[done:], done):
            kept_positions = positions.get(report_id)
            if kept_positions is None:
                new.append(positions.setdefault(report_id, [i]))
            elif len(kept_positions) < SECTIONS_SHOWN:
                kept_positions.append(i)
                row = detailed_rows.get(report_id)
                if row is not None:  # a report grouped before: its row keeps this section too
                    row.ranked.append((doc, score, stored(i)))
        for kept_positions in new:
            self._group(kept_positions, sections, stored, words, about, same)
        return [kept[0] for kept in self._kept]

    def _group(self, kept_positions: list[int], sections: list[tuple], stored, words, about, same) -> None:
        """A new row for a report (the positions of its first sections), or its best section
        folded under the first row near it."""
        best = kept_positions[0]
        report_id = sections[best][2]
        fields = stored(best) if words is None else None
        key = same(best) if same is not None else None
        first = self._by_key.get(key) if key is not None else None
        if first is None:
            best_words = _words(fields["body"]) if fields is not None else words(best)
            key = best_words if same is None else key
            first = self._by_key.get(key) or _first_near(sections[best][0], best_words, self._kept, self._sizes, self._compared)
        if first is _NO_ROW:  # the same words as a report left out: near none of the rows either
            return
        if first is not None:
            self._by_key[key] = first  # the same words again: near the same rows, the first of them this one
            fields = fields if fields is not None else about(report_id)
            first.same_content.append({"report_id": report_id, "title": fields["title"],
                                       "province": fields.get("province"), "year": fields.get("year") or None})
            return
        kept = self._kept
        if self._rows is not None and len(kept) >= self._rows:  # near none of the rows, and no more rows are made
            self._by_key[key] = _NO_ROW
            return
        detailed = self._detailed is None or len(kept) < self._detailed
        if fields is None and not detailed and about is not None:  # a row no page shows: its report's fields will do
            fields = about(report_id)
            fields = fields if len(fields) == len(ABOUT) else None
        fields = fields if fields is not None else stored(best)
        row = ReportRow(report_id, fields["title"], fields.get("province"), fields.get("year") or None,
                        fields.get("period"), fields.get("report_date"))
        shown = kept_positions if detailed else (best,)
        row.ranked = [(sections[i][0], sections[i][1], fields if i == best else stored(i)) for i in shown]
        if detailed:
            self._detailed_rows[report_id] = row
        self._sizes.append(len(best_words))
        kept.append((row, frozenset(best_words), sections[best][0]))
        if len(best_words) >= MIN_WORDS:
            self._by_key[key] = row


_NO_ROW = object()  # what a report left out (``Grouping``'s ``rows``) goes under


def _first_near(doc, words: Collection, kept: list[tuple], sizes: list[int], compared: dict):
    """The first kept row whose best section is ``near_identical`` to ``words``. Only rows of
    about as many words can be: the words in common are at most the smaller set, all the words
    at least the larger one (in floating point too: division is monotonic). ``sizes[k]`` is the
    number of words of the k-th kept row."""
    size = len(words)
    if size < MIN_WORDS or not kept:
        return None
    for k in _close(sizes, len(kept), size):
        row, other, other_doc = kept[k]
        same = compared.get((doc, other_doc))
        if same is None:
            same = compared[doc, other_doc] = near_identical(words, other)
        if same:
            return row
    return None


HEAD = 16  # kept rows whose size is checked one by one, before the others at once


def _close(sizes: list[int], count: int, size: int):
    """The kept rows (of the first ``count``) that are about ``size`` words long (the smaller of
    the two at least ``SAME_CONTENT`` of the larger), in order: the first ``HEAD`` one by one (a
    copy mostly folds into one of the first rows; a row found there spares the array work), the
    others at once. Both sizes are whole numbers: that share is a range of sizes (``_near_sizes``)."""
    low, high = _near_sizes(size)
    yield from [k for k, other in enumerate(sizes[: min(count, HEAD)]) if low <= other <= high]
    if count > HEAD:
        rest = np.array(sizes[HEAD:count], dtype=np.int64)
        yield from (np.flatnonzero((rest >= low) & (rest <= high)) + HEAD).tolist()


_SHARE = Fraction(str(SAME_CONTENT))  # 4/5


@lru_cache(maxsize=4096)
def _near_sizes(size: int) -> tuple[int, int]:
    """The sizes ``other`` with ``min(other, size) / max(other, size, 1) >= SAME_CONTENT``, for a
    ``size`` of at least 1: from ``size`` times the share, rounded up, to ``size`` over it,
    rounded down. In floating point too: the quotient of two sizes below 10,000 is never within
    one part in 50,000 of the share unless equal to it, far more than a rounding (a section's
    words are at most ``COMPARED``).

    >>> _near_sizes(12), _near_sizes(100)
    ((10, 15), (80, 125))
    """
    return -(-size * _SHARE.numerator // _SHARE.denominator), size * _SHARE.denominator // _SHARE.numerator
