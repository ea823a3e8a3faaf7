"""Sections ranked by the engine -> one row per report: the best 1–3 sections of each, the
number of its sections that match, and the reports that repeat the same text folded under the
first (a paragraph copied across provinces is one result, "và N báo cáo khác cùng nội dung").

Pure functions over what the engine gave: (document, score, stored fields) in rank order.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from .normalize import TOKEN_RE, fold

__all__ = ["ReportRow", "group_reports", "near_identical", "SECTIONS_SHOWN"]

SECTIONS_SHOWN = 3  # best matching sections shown per report
SAME_CONTENT = 0.8  # share of distinct words two sections have in common to be "the same content"
COMPARED = 1500  # characters of two sections compared: enough to tell a copy, bounded cost
MIN_WORDS = 12  # shorter sections ("1. Kết quả đạt được") are never folded together
_DIGITS = re.compile(r"\d")


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


@lru_cache(maxsize=4096)  # a search fetching more sections groups the ones it had again
def _words(body: str) -> frozenset[str]:
    """Distinct folded words of the start of a text (``COMPARED`` characters), numbers left out
    (copies differ by figures and names)."""
    return frozenset(w for w in TOKEN_RE.findall(fold(body[:COMPARED])) if not _DIGITS.search(w))


def near_identical(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sections (their ``_words``) say the same: most of their words in common.

    >>> text = "đã hoàn thành kế hoạch giải ngân vốn đầu tư công năm {}, tập trung tháo gỡ vướng mắc về mặt bằng"
    >>> near_identical(_words("Tỉnh Bắc Giang " + text.format(2020)), _words("Tỉnh Bến Tre " + text.format(2021)))
    True
    """
    if min(len(a), len(b)) < MIN_WORDS:
        return False
    return len(a & b) / len(a | b) >= SAME_CONTENT


def group_reports(ranked: list[tuple]) -> list[ReportRow]:
    """Rows in the order of each report's best section; near-identical best sections of
    different reports folded under the first report that has it."""
    rows: dict[str, ReportRow] = {}
    for doc, score, stored in ranked:
        row = rows.get(stored["report_id"])
        if row is None:
            row = rows[stored["report_id"]] = ReportRow(
                stored["report_id"], stored["title"], stored.get("province"), stored.get("year") or None,
                stored.get("period"), stored.get("report_date"))
        if len(row.ranked) < SECTIONS_SHOWN:
            row.ranked.append((doc, score, stored))
    kept: list[tuple[ReportRow, frozenset[str]]] = []
    for row in rows.values():
        words = _words(row.ranked[0][2]["body"])
        first = next((k for k, w in kept if near_identical(words, w)), None)
        if first is None:
            kept.append((row, words))
        else:
            first.same_content.append({"report_id": row.report_id, "title": row.title,
                                       "province": row.province, "year": row.year})
    return [row for row, _ in kept]
