"""Every value of a facet for a search, not only the first ``FACET_SIZE`` that ``search`` shows.

``count_entries`` counts, for each facet asked, every value among the documents that match the
request with every *other* facet's filter applied (disjunctive, as ``search`` does), in distinct
reports: for ``searching.facet_entries``, or ``search`` asked for ``entries``. It is what "Xem thêm" pages through, what the charts of the
results page draw and what the grouped "Phần của báo cáo" facet is made of.

Section headings are grouped by their normalized text (``heading_key``): case, accents, leading
numbering ("II.", "Phần thứ hai.") and years ("năm 2020", "2016-2020") do not separate two
headings, so "II. ĐÁNH GIÁ CHUNG" and "III. Đánh giá chung" are one value. A group is counted
exactly (a report with two headings of one group counts once), shown under its most reported
spelling, and filters on every heading of the group (``expand_sections``).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from typing import Callable

from .engine import SearchIndex
from .models import SearchRequest, canonical_from_key
from .normalize import fold, nfc

__all__ = ["FacetEntry", "count_entries", "with_undated", "expand_sections", "heading_key", "heading_label", "SECTION_VALUE_LIMIT"]

SECTION_VALUE_LIMIT = 120  # characters the index keeps of a section facet value (schema.section_documents)
_ORDINALS = "nhất|nhì|hai|ba|bốn|tư|năm|sáu|bảy|tám|chín|mười"
_NUMBERING = re.compile(
    rf"""^\s*(?:
        phần\s+thứ\s+(?:{_ORDINALS})      # "Phần thứ hai"
      | (?:phần|phụ\s+lục)\s+(?:[ivxlc]+|\d+)\b  # "Phần II", "Phụ lục 3" ("Phụ lục." alone stays)
      | [ivxlc]+(?=[.)/:-])               # "II."
      | [a-zđ](?=[.)])                    # "A.", "a)"
      | \d+(?:\.\d+)*                     # "2", "2.1"
    )\s*[.):/-]?\s*""",
    re.IGNORECASE | re.VERBOSE,
)
# "2020", "giai đoạn 2016-2020", "2021 – 2025", "(2020)": a year or a range of years, with the word
# that names a range; "năm" stays ("6 tháng đầu năm 2023" and "6 tháng đầu năm" are one heading).
_YEARS = re.compile(
    r"\s*\(?(?:(?:giai\s+đoạn|nhiệm\s+kỳ)\s+)?(?<!\d)(?:19|20)\d\d(?:\s*[-–—]\s*(?:19|20)\d\d)?\)?(?!\d)",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")


@dataclass
class FacetEntry:
    values: tuple[str, ...]  # the filter values this entry stands for (a heading group has several)
    label: str  # what a person reads
    count: int  # distinct reports
    selected: bool = False

    @property
    def value(self) -> str:
        """The value a filter URL carries for this entry (a group's first member stands for it)."""
        return self.values[0]

    def to_dict(self) -> dict:
        return {"value": self.value, "label": self.label, "count": self.count, "selected": self.selected}


def _whole_words(value: str) -> str:
    """A value the index cut at ``SECTION_VALUE_LIMIT`` characters, without its cut last word."""
    if len(value) < SECTION_VALUE_LIMIT or " " not in value:
        return value
    return value.rsplit(" ", 1)[0].rstrip(" ,;:-–")


@lru_cache(maxsize=1 << 16)  # a collection repeats a few thousand headings on every results page
def heading_label(value: str) -> str:
    """A heading as shown in the grouped facet: numbering and years left out, never cut mid-word.

    >>> heading_label("III. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM NĂM 2017")
    'NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM NĂM'
    """
    text = _SPACES.sub(" ", nfc(_whole_words(value))).strip()
    stripped = _YEARS.sub("", _NUMBERING.sub("", text, count=1))
    stripped = _SPACES.sub(" ", stripped).strip(" .,:;-–")
    return stripped or text


@lru_cache(maxsize=1 << 16)
def heading_key(value: str) -> str:
    """What two headings of one group share: ``heading_label`` folded (case and accents)."""
    return fold(heading_label(value))


def _label(facet: str, value: str) -> str:
    if facet == "instrument":
        canonical, year = canonical_from_key(value)
        return f"{canonical} ({year})" if year else canonical
    return value


def _section_groups(values: list[str]) -> dict[str, str]:
    """Raw heading -> the first raw heading of its group (the alias a merged count is keyed by)."""
    first: dict[str, str] = {}
    return {value: first.setdefault(heading_key(value), value) for value in values}


def with_undated(values: list[str], aliases: dict[str, str]) -> list[str]:
    """A dated instrument filter also takes the mentions whose year only the catalogue knows."""
    undated = [f"{alias}.0" for alias, target in aliases.items() if target in values]
    return list(values) + undated


def count_entries(engine, docs_of: Callable[[str], object], filters: dict[str, list[str]], facets: tuple[str, ...],
                  aliases: dict[str, str]) -> dict[str, list[FacetEntry]]:
    """Every value of each facet in ``facets``, counted in distinct reports among ``docs_of(facet)``
    (the search with every other facet's filter: ``searching.facet_entries``, or ``search`` asked
    for ``entries``): most reported first, years newest first. ``filters`` are the request's."""
    out: dict[str, list[FacetEntry]] = {}
    for facet in facets:
        docs = docs_of(facet)
        selected = set(filters.get(facet, []))
        if facet == "section":
            out[facet] = _grouped_sections(engine, docs, selected)
            continue
        counts = engine.count_facet(facet, docs, aliases if facet == "instrument" else None)
        entries = [FacetEntry((value,), _label(facet, value), count, value in selected)
                   for value, count in counts.items() if value]
        if facet == "year":
            entries.sort(key=lambda e: e.value, reverse=True)
        out[facet] = entries
    return out


def _grouped_sections(engine, docs, selected: set[str]) -> list[FacetEntry]:
    raw = engine.count_facet("section", docs)
    groups = _section_groups([v for v in raw if v])
    members: dict[str, list[str]] = defaultdict(list)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for value, first in groups.items():
        members[first].append(value)
        spellings[first][heading_label(value)] += raw[value]
    merged = engine.count_facet("section", docs, groups)
    entries = []
    for first, count in merged.items():
        if first not in members:
            continue
        label = min(spellings[first].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        group = tuple(members[first])
        entries.append(FacetEntry(group, label, count, bool(selected & set(group))))
    return entries


def expand_sections(index: SearchIndex, request: SearchRequest) -> SearchRequest:
    """The request with each section filter value widened to every heading of its group in the
    index: ``section=II. ĐÁNH GIÁ CHUNG`` also finds "III. Đánh giá chung"."""
    wanted = request.filters.get("section")
    if not wanted:
        return request
    engine = index.generation.reader
    every = engine.count_facet("section", engine.matching_docs(engine.compile(None, {})))
    keys = {heading_key(value) for value in wanted}
    members = [value for value in every if value and heading_key(value) in keys]
    expanded = list(dict.fromkeys([*wanted, *members]))
    return replace(request, filters={**request.filters, "section": expanded})
