"""The catalogue of cited instruments: pure functions over ``SearchIndex.citations()``.

``build_catalogue`` groups the citation records of every report by instrument key
("84_NQ-CP.2020"); ``list_instruments`` filters, sorts and pages the catalogue;
``find_instrument`` answers one key with the instrument and everything that cites it.

Numbers restart every year (DOMAIN.md: "01/NQ-CP" of 2020, 2021 and 2022 are three resolutions),
so a key without a year ("01_NQ-CP") names an instrument only when the catalogue knows at most
one dated instrument with that number: mentions whose year could not be resolved are then
counted with that one instrument (``Mention.year_inferred``), and otherwise the key is ambiguous
(``Disambiguation``).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Iterable, Mapping

from .models import canonical_from_key
from .normalize import fold
from .query import QueryError

__all__ = [
    "Mention", "CitingReport", "Tally", "InstrumentSummary", "InstrumentDetail", "Disambiguation", "Moved",
    "Listing", "Catalogue", "build_catalogue", "instrument_aliases", "list_instruments", "find_instrument", "LIST_SORTS",
    "MAX_LIST_PER_PAGE",
]

LIST_SORTS = ("count", "newest", "oldest", "name")
MAX_LIST_PER_PAGE = 200
UNKNOWN_PROVINCE = "Không rõ tỉnh"


@dataclass(frozen=True)
class Mention:
    """One place a report cites the instrument, with the sentence around it."""

    report_id: str
    section_id: str | None
    section_heading: str | None
    section_path: tuple[str, ...]
    sentence: str
    surface: str
    line: int
    year_inferred: bool = False  # written without a year; the catalogue knows one such instrument

    def to_dict(self) -> dict:
        return asdict(self) | {"section_path": list(self.section_path)}


@dataclass
class CitingReport:
    """A report that cites the instrument, with its mentions in text order."""

    report_id: str
    title: str
    province: str | None
    year: int | None
    period: str | None
    mentions: list[Mention] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "report_id": self.report_id, "title": self.title, "province": self.province, "year": self.year,
            "period": self.period, "mentions": [m.to_dict() for m in self.mentions],
        }


@dataclass(frozen=True)
class Tally:
    """One bar of a chart, one option of a filter: a value and how many."""

    value: str
    count: int

    def to_dict(self) -> dict:
        return {"value": self.value, "count": self.count}


@dataclass
class InstrumentSummary:
    """What the catalogue knows of one instrument, merged over all its mentions."""

    key: str  # "84_NQ-CP.2020"
    canonical: str  # "84/NQ-CP"
    type: str | None  # "Nghị quyết"
    number: str | None  # "84"
    symbol: str | None  # "NQ-CP"
    year: int | None
    date: str | None  # ISO
    issuer: str | None
    issuer_code: str | None
    title: str | None
    citation_count: int  # mentions
    report_count: int  # distinct citing reports

    @property
    def label(self) -> str:
        """ "Nghị quyết 84/NQ-CP (2020)"."""
        head = f"{self.type} {self.canonical}" if self.type else self.canonical
        return f"{head} ({self.year})" if self.year else head

    def to_dict(self) -> dict:
        return asdict(self) | {"label": self.label}


@dataclass
class InstrumentDetail:
    instrument: InstrumentSummary
    reports: list[CitingReport]
    by_province: list[Tally]  # citing reports per province, most first
    by_year: list[Tally]  # citing reports per report year, oldest first

    @property
    def mentions(self) -> list[tuple[CitingReport, Mention]]:
        return [(r, m) for r in self.reports for m in r.mentions]


@dataclass
class Disambiguation:
    """A key without a year that several dated instruments share ("01_NQ-CP")."""

    key: str
    canonical: str
    candidates: list[InstrumentSummary]  # oldest first
    undated: list[CitingReport]  # mentions whose year nothing tells


@dataclass(frozen=True)
class Moved:
    """The key names exactly one instrument under another key: go there."""

    key: str


@dataclass
class Listing:
    instruments: list[InstrumentSummary]
    total: int
    page: int
    per_page: int
    options: dict[str, list[Tally]]  # "type", "issuer", "year": values with instrument counts

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass
class _Entry:
    summary: InstrumentSummary
    reports: list[CitingReport]


@dataclass
class Catalogue:
    """Every instrument by key, and the keys of each canonical reference ("84/NQ-CP")."""

    entries: dict[str, _Entry]
    aliases: dict[str, str]  # undated key -> the one dated key its mentions were counted with
    by_canonical: dict[str, list[str]]  # canonical -> dated keys, oldest first
    undated: dict[str, _Entry]  # canonical -> mentions without a year, when several years exist

    def __len__(self) -> int:
        return len(self.entries)

    def summaries(self) -> list[InstrumentSummary]:
        return [e.summary for e in self.entries.values()]


# --- building ----------------------------------------------------------------------------------------
def _most_common(values: Iterable):
    present = [v for v in values if v not in (None, "")]
    if len(present) <= 1:  # most instruments are cited once
        return present[0] if present else None
    return Counter(present).most_common(1)[0][0]


def _group_reports(records: list[dict], inferred: set[int]) -> list[CitingReport]:
    """Records -> citing reports (newest report first), mentions in text order."""
    reports: dict[str, CitingReport] = {}
    for position, record in enumerate(records):
        report = reports.get(record["report_id"])
        if report is None:
            report = reports[record["report_id"]] = CitingReport(
                record["report_id"], record.get("report_title") or record["report_id"], record.get("province"),
                record.get("report_year"), record.get("period"),
            )
        report.mentions.append(
            Mention(
                report_id=record["report_id"],
                section_id=record.get("section_id"),
                section_heading=record.get("section_heading"),
                section_path=tuple(record.get("section_path") or ()),
                sentence=record.get("sentence") or record.get("surface") or "",
                surface=record.get("surface") or "",
                line=record.get("line") or 0,
                year_inferred=position in inferred,
            )
        )
    for report in reports.values():
        report.mentions.sort(key=lambda m: m.line)
    return sorted(reports.values(), key=lambda r: (-(r.year or 0), r.report_id))


def _entry(key: str, records: list[dict], inferred: set[int] = frozenset()) -> _Entry:
    canonical, year = canonical_from_key(key)
    dated = [r for i, r in enumerate(records) if i not in inferred] or records
    summary = InstrumentSummary(
        key=key,
        canonical=_most_common(r.get("canonical") for r in records) or canonical,
        type=_most_common(r.get("type") for r in records),
        number=_most_common(r.get("number") for r in records),
        symbol=_most_common(r.get("symbol") for r in records),
        year=year,
        date=_most_common(r.get("date") for r in dated),
        issuer=_most_common(r.get("issuer") for r in dated),
        issuer_code=_most_common(r.get("issuer_code") for r in records),
        title=_most_common(r.get("title") for r in dated),
        citation_count=len(records),
        report_count=len({r["report_id"] for r in records}),
    )
    return _Entry(summary, _group_reports(records, set(inferred)))


def build_catalogue(citations: Mapping[str, list[dict]]) -> Catalogue:
    """Group citation records ({report_id: [record]}) by instrument.

    >>> records = {"r1": [{"key": "84_NQ-CP.2020", "canonical": "84/NQ-CP", "year": 2020, "report_id": "r1"}],
    ...            "r2": [{"key": "84_NQ-CP", "canonical": "84/NQ-CP", "year": None, "report_id": "r2"}]}
    >>> build_catalogue(records).entries["84_NQ-CP.2020"].summary.report_count
    2
    """
    by_key: dict[str, list[dict]] = defaultdict(list)
    for report_id in sorted(citations):
        for record in citations[report_id]:
            by_key[record["key"]].append(record)
    dated_keys = _dated_keys(by_key)
    aliases = _aliases(by_key, dated_keys)
    entries: dict[str, _Entry] = {}
    undated: dict[str, _Entry] = {}
    for key, records in sorted(by_key.items()):
        canonical, year = canonical_from_key(key)
        if year is None and key not in aliases:
            entries[key] = _entry(key, records)
            if dated_keys.get(canonical):
                undated[canonical] = entries[key]
    borrowers: dict[str, list[str]] = defaultdict(list)  # dated key -> the undated keys counted with it
    for alias, target in aliases.items():
        borrowers[target].append(alias)
    for key, records in sorted(by_key.items()):
        canonical, year = canonical_from_key(key)
        if year is None:
            continue
        borrowed = [r for alias in borrowers.get(key, ()) for r in by_key[alias]]
        merged = records + borrowed
        entries[key] = _entry(key, merged, set(range(len(records), len(merged))))
    return Catalogue(entries, aliases, dict(dated_keys), undated)


def _dated_keys(keys: Iterable[str]) -> dict[str, list[str]]:
    """canonical -> its dated keys, oldest first."""
    dated: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        canonical, year = canonical_from_key(key)
        if year is not None:
            dated[canonical].append(key)
    for found in dated.values():
        found.sort(key=lambda k: canonical_from_key(k)[1])
    return dated


def _aliases(keys: Iterable[str], dated_keys: dict[str, list[str]]) -> dict[str, str]:
    """Undated key -> the dated key its mentions count with: the only one it can be."""
    aliases = {}
    for key in keys:
        canonical, year = canonical_from_key(key)
        candidates = dated_keys.get(canonical, []) if year is None else []
        if len(candidates) == 1:
            aliases[key] = candidates[0]
    return dict(sorted(aliases.items()))


def instrument_aliases(keys: Iterable[str]) -> dict[str, str]:
    """The catalogue's ``aliases`` from the instrument keys alone, without building its entries
    (what a search needs)."""
    keys = set(keys)
    return _aliases(keys, _dated_keys(keys))


# --- listing -------------------------------------------------------------------------------------------
def _years(values: Iterable[str]) -> set[int]:
    years = set()
    for value in values:
        value = str(value).strip()
        if not (value.isdigit() and len(value) == 4):
            raise QueryError(f"Năm không hợp lệ: “{value}” (ví dụ: 2020).")
        years.add(int(value))
    return years


def _matches_text(summary: InstrumentSummary, words: list[str]) -> bool:
    haystack = fold(" ".join(filter(None, (summary.type, summary.canonical, summary.issuer, summary.title))))
    return all(word in haystack for word in words)


def _options(summaries: list[InstrumentSummary]) -> dict[str, list[Tally]]:
    types = Counter(s.type for s in summaries if s.type)
    issuers = Counter(s.issuer for s in summaries if s.issuer)
    years = Counter(str(s.year) for s in summaries if s.year)
    return {
        "type": [Tally(v, c) for v, c in sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))],
        "issuer": [Tally(v, c) for v, c in sorted(issuers.items(), key=lambda kv: (-kv[1], kv[0]))],
        "year": [Tally(v, c) for v, c in sorted(years.items(), reverse=True)],
    }


def _sorted(summaries: list[InstrumentSummary], sort: str) -> list[InstrumentSummary]:
    if sort == "count":
        return sorted(summaries, key=lambda s: (-s.citation_count, -s.report_count, s.canonical, s.year or 0))
    if sort == "name":
        return sorted(summaries, key=lambda s: (fold(s.type or ""), _natural(s.canonical), s.year or 0))
    # by date, newest or oldest first; undated instruments last either way
    dated = sorted(summaries, key=lambda s: (_natural(s.canonical), s.year or 0))
    dated.sort(key=lambda s: s.date or (f"{s.year}-99-99" if s.year else ""), reverse=sort == "newest")
    return [s for s in dated if s.date or s.year] + [s for s in dated if not (s.date or s.year)]


def _natural(text: str) -> tuple:
    head = text.split("/")[0].split("-")[0].split("_")[0]
    return (int(head) if head.isdigit() else 10**9, text)


def list_instruments(
    catalogue: Catalogue,
    *,
    types: Iterable[str] = (),
    issuers: Iterable[str] = (),
    years: Iterable[str] = (),
    text: str = "",
    sort: str = "count",
    page: int = 1,
    per_page: int = 50,
) -> Listing:
    """Instruments filtered (values of one filter OR'ed, filters AND'ed), sorted and paged.

    ``text`` keeps instruments whose type, number, issuer or title contain every word of it,
    accents ignored ("nq-cp 84" finds "84/NQ-CP"). Raises QueryError for a bad parameter.
    """
    if sort not in LIST_SORTS:
        raise QueryError(f"Cách sắp xếp không hợp lệ: “{sort}” (chọn một trong: {', '.join(LIST_SORTS)}).")
    if not 1 <= per_page <= MAX_LIST_PER_PAGE:
        raise QueryError(f"Số văn bản mỗi trang phải từ 1 đến {MAX_LIST_PER_PAGE}.")
    if page < 1:
        raise QueryError("Số trang phải từ 1 trở lên.")
    wanted_types, wanted_issuers, wanted_years = set(types), set(issuers), _years(years)
    words = fold(text).split()
    summaries = catalogue.summaries()
    kept = [
        s for s in summaries
        if (not wanted_types or s.type in wanted_types)
        and (not wanted_issuers or s.issuer in wanted_issuers)
        and (not wanted_years or s.year in wanted_years)
        and (not words or _matches_text(s, words))
    ]
    kept = _sorted(kept, sort)
    start = (page - 1) * per_page
    return Listing(kept[start:start + per_page], len(kept), page, per_page, _options(summaries))


# --- one instrument ------------------------------------------------------------------------------------
def _tallies(reports: list[CitingReport]) -> tuple[list[Tally], list[Tally]]:
    provinces = Counter(r.province or UNKNOWN_PROVINCE for r in reports)
    years = Counter(str(r.year) for r in reports if r.year)
    by_province = [Tally(v, c) for v, c in sorted(provinces.items(), key=lambda kv: (-kv[1], kv[0]))]
    by_year = [Tally(v, c) for v, c in sorted(years.items())]
    return by_province, by_year


def _fold_key(key: str) -> str:
    return fold(key).lower()


def find_instrument(catalogue: Catalogue, key: str) -> InstrumentDetail | Disambiguation | Moved | None:
    """What a key names: the instrument, a choice between years, another key, or nothing.

    >>> find_instrument(build_catalogue({}), "84_NQ-CP.2020") is None
    True
    """
    if key in catalogue.aliases:
        return Moved(catalogue.aliases[key])
    canonical, year = canonical_from_key(key)
    if year is None and len(catalogue.by_canonical.get(canonical, [])) > 1:
        undated = catalogue.undated.get(canonical)
        candidates = [catalogue.entries[k].summary for k in catalogue.by_canonical[canonical]]
        return Disambiguation(key, canonical, candidates, undated.reports if undated else [])
    entry = catalogue.entries.get(key)
    if entry is None:
        if year is None and catalogue.by_canonical.get(canonical):  # only dated mentions exist
            return Moved(catalogue.by_canonical[canonical][0])
        folded = _fold_key(key)  # "84_nq-cp.2020": the same key typed in another case
        same = [k for k in (*catalogue.entries, *catalogue.aliases) if _fold_key(k) == folded]
        return Moved(same[0]) if len(same) == 1 else None
    by_province, by_year = _tallies(entry.reports)
    return InstrumentDetail(entry.summary, entry.reports, by_province, by_year)

