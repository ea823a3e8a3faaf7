"""Generate a large, realistic, deterministic corpus of provincial reports from the seed reports.

    python benchmarks/generate.py --reports 2000 --seed 1 --out /tmp/corpus-2000

Each generated report keeps the shape of a real one (DOMAIN.md): a header with the place-date
line "<Tỉnh>, ngày d tháng m năm yyyy", "BÁO CÁO" and a title naming the period and the year, an
introduction, then "Phần thứ nhất" / "A." / "I." containers holding numbered sections ("1.",
"1.1", "a)") drawn from *all* seeds and shuffled, footnotes in one of the three formats, a
closing and a signature. Per report the generator picks a province (all 63), a year (2015–2025)
and a period, shifts the years of the borrowed text to it, and renumbers every instrument
reference: each seed reference is replaced by an instrument of the same symbol shape ("NQ-CP",
"15/2021/NĐ-CP", "36-NQ/TW", "1567/UBND-NC"), from a Zipf-distributed pool of that shape and
year (provincial instruments — UBND, HĐND, Tỉnh ủy — also per province), dated in its year and
never after the report was signed. So a few instruments are cited by many reports and most by
few, as in a real collection.

The same ``--reports`` and ``--seed`` give byte-identical files: every random choice comes from
``random.Random`` seeded with a string (stable across processes and ``PYTHONHASHSEED``), and no
set is iterated. The seeds are read with the small patterns below rather than with the library's
parser on purpose: the corpus a benchmark runs on must not change when the code being measured
changes.
"""
from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import itertools
import random
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "corpus"

__all__ = ["generate", "load_seeds", "PROVINCES", "YEARS", "PERIODS"]


def _provinces() -> list[str]:
    """The 63 provinces of ``searchsvc.metadata.PROVINCES`` ("Huế" there is an alias of
    "Thừa Thiên Huế" for the parser, not a 64th province)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from searchsvc.metadata import PROVINCES as KNOWN

    return [p for p in KNOWN if p != "Huế"]


PROVINCES = _provinces()
CITIES = {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Thành phố Hồ Chí Minh"}  # centrally run
YEARS = range(2015, 2026)
# (period as titles write it, weight, months in which such a report is signed)
PERIODS = [
    ("6 tháng đầu năm", 35, (6, 7)),
    ("năm", 35, (11, 12)),
    ("9 tháng", 10, (9, 10)),
    ("quý I", 7, (3, 4)),
    ("quý II", 6, (6, 7)),
    ("quý III", 7, (9, 10)),
]
ZIPF_EXPONENT = 1.1  # popularity of instruments within one pool: weight of rank r is 1 / r**s


def rng_for(*parts) -> random.Random:
    """A generator seeded by a string: the same parts give the same stream in every process."""
    return random.Random(":".join(str(p) for p in parts))


# --- reading the seeds ----------------------------------------------------------------------------
_MARKUP = re.compile(r"^[\s*_]+|[\s*_]+$")
_HEADINGS = [  # (rank, pattern) on a line with markup stripped; rank as in searchsvc.sections
    (0, re.compile(r"^(?:Phần|PHẦN)\s+(?:thứ|THỨ)\s+\w+|^(?:Phần|PHẦN)\s+[IVX]+\b|^(?:PHỤ LỤC|Phụ lục)\b")),
    (1, re.compile(r"^[A-HJ-UWYZĐ]\.\s+\S")),
    (2, re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})\.\s*[^\W\d_]")),
    (4, re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}\.?\s*[^\W\d_\s]")),
    (3, re.compile(r"^\d{1,2}\.\s*[^\W\d_]")),
]
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_PLAIN_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_NOTE_LINE = re.compile(r"^\s*⁽([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾\s*(\S.*)$")
_INLINE_NOTE = re.compile(r"\s*\[(\d{1,3}):\s*([^\]]*)\]")
_REF_MARKER = re.compile(r"\[footnote(?:Ref)?:(\d{1,3})\]")
_MARKER = re.compile(r"⁽([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾")
_END_OF_BODY = re.compile(r"^\s*\**\s*(?:PHỤ LỤC|Phụ lục|Trên đây|Nơi nhận|TM\.|UBND tỉnh báo cáo HĐND)")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def heading_rank(line: str) -> int | None:
    """The rank of a heading line (0 "Phần thứ nhất" … 4 "1.1"), None for body text."""
    stripped = _MARKUP.sub("", line)
    for rank, pattern in _HEADINGS:
        if pattern.match(stripped):
            if rank in (3, 4) and re.sub(r"^[\d.\s]+", "", stripped)[:1].islower():
                return None  # "1. trong đó …" is a sentence
            if rank == 2 and stripped.startswith("."):
                return None  # the empty Roman numeral
            return rank
    return None


@dataclass
class Unit:
    """A numbered section ("3. Triển khai …" with its "3.1", "a)" and text) of one seed."""

    seed: int
    label: str  # "3": the number its lines are renumbered from
    lines: list[str]
    size: int  # UTF-8 bytes


@dataclass
class Seed:
    index: int
    name: str
    year: int  # the year the seed reports on: its body years are shifted from this one
    province: str  # replaced by the generated report's province
    intro: list[str]
    leads: list[list[str]]  # paragraphs standing between a container heading and its sections
    units: list[Unit]
    notes: dict[int, str]  # footnote number -> text
    instrument_years: dict[str, int] = field(default_factory=dict)  # symbol -> year it was issued
    short_refs: dict[tuple[str, str], str] = field(default_factory=dict)  # (type abbr, number) -> symbol


def _without_notes(lines: list[str]) -> tuple[list[str], dict[int, str]]:
    """Take footnote texts out of the lines; markers become "⁽n⁾" whatever their format.

    A reference broken by note lines ("… Chỉ thị số 07/CT-TTg ngày", notes, "04/02/2020⁽¹⁰⁾ …")
    is joined again.
    """
    notes: dict[int, str] = {}
    kept: list[str] = []
    removed_since_text = False
    for line in lines:
        note = _NOTE_LINE.match(line)
        if note:
            notes[int(note.group(1).translate(_PLAIN_DIGITS))] = note.group(2).strip()
            removed_since_text = True
            continue
        for match in _INLINE_NOTE.finditer(line):
            notes[int(match.group(1))] = match.group(2).strip()
        line = _INLINE_NOTE.sub("", line)
        line = _REF_MARKER.sub(lambda m: "⁽" + m.group(1).translate(_SUPERSCRIPT) + "⁾", line)
        if not line.strip():
            kept.append("")
            continue
        if removed_since_text:
            previous = next((i for i in range(len(kept) - 1, -1, -1) if kept[i].strip()), None)
            if previous is not None and not re.search(r"[.:;!?)”\"]\s*$", kept[previous]) and re.match(r"\s*[\d\wđ]", line) \
                    and (line.lstrip()[:1].islower() or line.lstrip()[:1].isdigit()):
                kept[previous] = kept[previous].rstrip() + " " + line.strip()
                del kept[previous + 1 :]
                removed_since_text = False
                continue
        removed_since_text = False
        kept.append(line)
    return kept, notes


def _paragraphs(lines: list[str]) -> list[str]:
    return [line.rstrip() for line in lines if line.strip()]


def _renumber_label(line: str, new: str) -> str:
    return re.sub(r"^(\s*\**\s*)\d{1,2}(?=\.)", lambda m: m.group(1) + new, line, count=1)


def read_seed(index: int, path: Path) -> Seed:
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8-sig"))
    text = re.sub(r"\r\n?", "\n", text)
    lines, notes = _without_notes(text.split("\n"))
    # the body: from the first long paragraph after "BÁO CÁO" to the annexes or the closing
    report_word = next(i for i, l in enumerate(lines) if _MARKUP.sub("", l).startswith("BÁO CÁO"))
    start = next(i for i in range(report_word + 1, len(lines))
                 if len(lines[i].strip()) > 150 or heading_rank(lines[i]) is not None)
    end = next((i for i in range(start, len(lines)) if _END_OF_BODY.match(lines[i])), len(lines))
    body = lines[start:end]
    ranks = [heading_rank(line) for line in body]
    first_heading = next((i for i, r in enumerate(ranks) if r is not None), len(body))
    intro = _paragraphs(body[:first_heading])
    units: list[Unit] = []
    leads: list[list[str]] = []
    for i, rank in enumerate(ranks):
        if rank is None or rank == 4:
            continue
        own_end = next((j for j in range(i + 1, len(body)) if ranks[j] is not None and ranks[j] <= rank), len(body))
        if rank == 3:
            units.append(_unit(index, body[i:own_end]))
            continue
        children = [r for r in ranks[i + 1 : own_end] if r is not None and rank < r <= 3]
        if not children:  # a container without numbered sections becomes one: "II. Đánh giá chung"
            block = _paragraphs(body[i:own_end])
            if len(block) >= 2:
                block[0] = "1. " + re.sub(r"^\S+\s*", "", _MARKUP.sub("", block[0]))
                units.append(_unit(index, block))
            continue
        lead_end = next((j for j in range(i + 1, len(body)) if ranks[j] is not None), len(body))
        lead = [p for p in _paragraphs(body[i + 1 : lead_end]) if len(p) > 200]
        if lead:
            leads.append(lead)
    title_years = _YEAR.findall("\n".join(lines[report_word:start]))
    year = int(title_years[0]) if title_years else int(max(_YEAR.findall(text), key=text.count))
    province = max(PROVINCES, key=lambda p: (text.count(p), p))
    seed = Seed(index, path.name, year, province, intro, leads, units, notes)
    _survey_references(seed, "\n".join(body) + "\n" + "\n".join(notes.values()))
    return seed


def _unit(seed: int, lines: list[str]) -> Unit:
    block = _paragraphs(lines)
    label = re.match(r"^\s*\**\s*(\d{1,2})", block[0]).group(1)
    return Unit(seed, label, block, len("\n\n".join(block).encode()))


def load_seeds(folder: Path = SEEDS_DIR) -> list[Seed]:
    paths = sorted(Path(folder).glob("*.txt"))
    if not paths:
        raise SystemExit(f"no seed reports (*.txt) in {folder}")
    return [read_seed(i, p) for i, p in enumerate(paths)]


# --- instrument references ------------------------------------------------------------------------
_CODE = r"[A-ZĐ][A-Za-zĐđ]{0,9}\d{0,2}"
_SYMBOL = rf"""
(?<![\w/.,])(?P<num>\d{{1,5}})
(?:
    -(?P<ptype>{_CODE})/(?P<pissuer>{_CODE})                         # Party: 36-NQ/TW
  | [ ]?/[ ]?(?:(?P<lyear>(?:19|20)\d\d)/)?                          # 15/2021/…
    (?P<rest>QH\d\d|{_CODE}-{_CODE}(?:-{_CODE})?)                   # 82/2019/QH14, 84/NQ-CP, 1567/UBND-NC
)
(?![\w/])
"""
_DATE_AFTER = r"""
(?P<gap>[ \t]*(?:⁽[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾)?[ \t]*,?[ \t]*[Nn]gày[ \t]+)
(?:(?P<cd>\d{1,2})(?P<cs>[/.-])(?P<cm>\d{1,2})(?P=cs)(?P<cy>(?:19|20)\d\d)
  |(?P<cd2>\d{1,2})[ \t]+tháng[ \t]+(?P<cm2>\d{1,2})[ \t]+năm[ \t]+(?P<cy2>(?:19|20)\d\d))
"""
TYPE_WORDS = {  # written type word -> abbreviation in symbols (DOMAIN.md)
    "Nghị quyết": "NQ", "Nghị định": "NĐ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Thông tư": "TT",
    "Kế hoạch": "KH", "Kết luận": "KL", "Công điện": "CĐ", "Chương trình": "CTr", "Thông báo": "TB",
    "Hướng dẫn": "HD", "Đề án": "ĐA", "Tờ trình": "TTr", "Quy chế": "QC",
}
_TYPE_WORD = "|".join(sorted([*TYPE_WORDS, *(w.upper() for w in TYPE_WORDS), *set(TYPE_WORDS.values())], key=len, reverse=True))
_SHORT_REF = rf"(?<!\w)(?P<tword>{_TYPE_WORD})[ \t]+(?:số[ \t]*:?[ \t]*)?(?P<snum>\d{{1,5}})(?![\w/.,-])"
SYMBOL_RE = re.compile(_SYMBOL, re.VERBOSE)
REFERENCE_RE = re.compile(rf"(?P<sym>{_SYMBOL})(?:{_DATE_AFTER})?", re.VERBOSE)
_TEXT_RE = re.compile(
    rf"""
    (?P<ref>{_SYMBOL})(?:{_DATE_AFTER})?
  | {_SHORT_REF}
  | (?<![\d.,])(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>(?:19|20)\d\d)(?!\d)     # a date outside a reference
  | (?<![\d.,/])(?P<year>(?:19|20)\d\d)(?![\d])                         # a year
  | (?<![\w/.,])(?P<figure>\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|\d+,\d+)(?![\w/]|[.,]\d)   # 56.380 / 6,4
    """,
    re.VERBOSE,
)
LOCAL_CODES = ("UBND", "HĐND", "TU")
# how many instruments of a type one issuer numbers in a year (the pool size of a symbol shape)
POOL_SIZES = {"NQ": 200, "NĐ": 180, "QĐ": 2000, "CT": 40, "TT": 120, "KH": 400, "KL": 120, "CĐ": 120,
              "CTr": 60, "TB": 400, "BC": 400, "HD": 100, "ĐA": 40, "TTr": 300, "QC": 20, "QyĐ": 20, "QH": 60}
LOCAL_POOL_SIZES = {"QĐ": 3000, "NQ": 120, "letter": 5000}


def _type_of(match: re.Match) -> str:
    if match.group("ptype"):
        return match.group("ptype")
    rest = match.group("rest")
    return "QH" if rest.startswith("QH") else rest.split("-")[0]


def _shape(match: re.Match) -> tuple[str, bool, int]:
    """(shape, local, pool size): "NQ-CP", "Y/NĐ-CP" (year in the number), "-NQ/TW", "QH", "UBND-NC"."""
    if match.group("ptype"):
        shape, local = f"-{match.group('ptype')}/{match.group('pissuer')}", match.group("pissuer") in LOCAL_CODES
    elif match.group("rest").startswith("QH"):
        return "QH", False, POOL_SIZES["QH"]
    else:
        parts = match.group("rest").split("-")
        shape = ("Y/" if match.group("lyear") else "") + match.group("rest")
        local = any(p in LOCAL_CODES for p in parts)
    kind = _type_of(match)
    if local:
        size = LOCAL_POOL_SIZES["letter"] if kind == "UBND" else LOCAL_POOL_SIZES.get(kind, POOL_SIZES.get(kind, 300))
    else:
        size = POOL_SIZES.get(kind, 300)
    return shape, local, size


def _survey_references(seed: Seed, text: str) -> None:
    """Which year each symbol of a seed was issued in, and which short references name it."""
    for match in REFERENCE_RE.finditer(text):
        symbol = match.group("sym")
        year = match.group("cy") or match.group("cy2") or match.group("lyear")
        if year and symbol not in seed.instrument_years:
            seed.instrument_years[symbol] = int(year)
        abbr = _type_of(match)
        seed.short_refs.setdefault((abbr, match.group("num")), symbol)


_ZIPF_CDF: dict[int, list[float]] = {}


def _zipf_rank(rng: random.Random, size: int) -> int:
    cdf = _ZIPF_CDF.get(size)
    if cdf is None:
        cdf = list(itertools.accumulate(1.0 / (r ** ZIPF_EXPONENT) for r in range(1, size + 1)))
        _ZIPF_CDF[size] = cdf
    return bisect.bisect_left(cdf, rng.random() * cdf[-1])


@dataclass(frozen=True)
class Instrument:
    number: str  # as written: "07", "15/2021"
    date: dt.date
    issuer: str | None  # QH13/QH14/QH15 for laws, else None (the seed's symbol is kept)


class Pool:
    """The instruments of one symbol shape and year (and province, for provincial ones).

    Numbers run through the year (number n is dated about n/size of the way through it); the
    popularity rank of each number is a fixed permutation, so rank 1 is one particular number.
    """

    def __init__(self, key: str, year: int, size: int):
        self.year, self.size = year, size
        rng = rng_for("pool", key)
        self.step = rng.randrange(1, size)
        while _gcd(self.step, size) != 1:
            self.step += 1
        self.offset = rng.randrange(size)
        self.key = key

    def number_of(self, rank: int) -> int:
        return (rank * self.step + self.offset) % self.size + 1

    def date_of(self, number: int) -> dt.date:
        jitter = int(hashlib.sha1(f"{self.key}#{number}".encode()).hexdigest()[:4], 16) % 5
        day = min(364, (number - 1) * 360 // self.size + jitter)
        return dt.date(self.year, 1, 1) + dt.timedelta(days=day)

    def draw(self, rng: random.Random, before: dt.date) -> int | None:
        for _ in range(30):
            number = self.number_of(_zipf_rank(rng, self.size))
            if self.date_of(number) < before:
                return number
        return None


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def _law_issuer(year: int) -> str:
    return "QH13" if year < 2016 else "QH14" if year < 2021 else "QH15"


# --- rendering one report ---------------------------------------------------------------------------
TITLES = [
    "Kiểm điểm công tác chỉ đạo, điều hành của Ủy ban nhân dân tỉnh {P}",
    "Tình hình thực hiện kế hoạch phát triển kinh tế - xã hội {P}; nhiệm vụ, giải pháp chủ yếu {N}",
    "Tình hình công tác {P} và Chương trình công tác {N}",
    "Tình hình kinh tế - xã hội {P} và nhiệm vụ, giải pháp chỉ đạo, điều hành trọng tâm {N}",
]
NEXT_PERIOD = {"6 tháng đầu năm": "6 tháng cuối năm {Y}", "năm": "năm {Y1}", "9 tháng": "3 tháng cuối năm {Y}",
               "quý I": "quý II năm {Y}", "quý II": "quý III năm {Y}", "quý III": "quý IV năm {Y}"}
# containers of numbered sections: (lines of the heading(s), share of the sections)
SKELETONS = {
    "roman": [
        (["I. Kiểm điểm công tác chỉ đạo, điều hành {P}"], 6),
        (["II. Đánh giá chung"], 1),
        (["III. Nhiệm vụ, giải pháp chỉ đạo, điều hành trọng tâm {N}"], 3),
    ],
    "parts": [
        (["Phần thứ nhất", "Tình hình kinh tế - xã hội {P}", "A. Kết quả đạt được",
          "I. Lĩnh vực kinh tế, đầu tư và tài nguyên môi trường"], 3),
        (["II. Lĩnh vực văn hóa - xã hội"], 2),
        (["III. Công tác cải cách hành chính, nội chính và quốc phòng - an ninh"], 2),
        (["B. Tồn tại, hạn chế và nguyên nhân"], 1),
        (["Phần thứ hai", "Nhiệm vụ, giải pháp chủ yếu {N}", "I. Nhiệm vụ, giải pháp trọng tâm"], 3),
    ],
    "letters": [
        (["A. Tình hình công tác {P}", "I. Kết quả chủ yếu"], 5),
        (["II. Tồn tại, hạn chế và nguyên nhân"], 1),
        (["B. Chương trình công tác {N}"], 3),
    ],
}
RECIPIENTS = ["Văn phòng Chính phủ;", "Thường trực Tỉnh ủy;", "Thường trực HĐND tỉnh;", "Đại biểu HĐND tỉnh;",
              "CT, các PCT UBND tỉnh;", "Các sở, ban, ngành tỉnh;", "UBND các huyện, thị xã, thành phố;", "Lưu: VT."]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Ngọc", "Xuân", "Tuấn"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Lâm", "Long", "Nam", "Phong", "Quang", "Sơn", "Thắng", "Trung", "Tuệ", "Vinh"]
FOOTNOTE_STYLES = [("superscript", 5), ("inline", 3), ("endnotes", 2)]


def _superscript(n: int) -> str:
    return "⁽" + str(n).translate(_SUPERSCRIPT) + "⁾"


def _weighted(rng: random.Random, options):
    values, weights = zip(*[(o[0], o[1]) for o in options])
    return rng.choices(values, weights=weights)[0]


class Report:
    """One generated report: its metadata, the choices made, and the text rewriting for it."""

    def __init__(self, number: int, seed: int, seeds: list[Seed]):
        self.rng = rng = rng_for("report", seed, number)
        self.seeds = seeds
        self.seed = seed
        self.province = rng.choice(PROVINCES)
        self.year = rng.choice(list(YEARS))
        self.period = _weighted(rng, PERIODS)
        months = next(p[2] for p in PERIODS if p[0] == self.period)
        self.signed = dt.date(self.year, rng.choice(months), rng.randint(1, 28))
        self.footnote_style = _weighted(rng, FOOTNOTE_STYLES)
        self.name = f"{number:05d}_{rng.getrandbits(64):016x}"
        self.instruments: dict[tuple[int, str], tuple[str, str, str | None]] = {}  # (seed, symbol) -> new
        self.note_numbers: dict[tuple[int, int], int] = {}
        self.endnotes: list[str] = []

    # period phrases: "6 tháng đầu năm 2020", "quý I năm 2020", "năm 2020"
    @property
    def period_phrase(self) -> str:
        return f"{self.period} {self.year}" if self.period in ("6 tháng đầu năm", "năm") else f"{self.period} năm {self.year}"

    @property
    def next_phrase(self) -> str:
        return NEXT_PERIOD[self.period].format(Y=self.year, Y1=self.year + 1)

    # --- instruments -------------------------------------------------------------------------------
    def _new_instrument(self, seed: Seed, match: re.Match) -> tuple[str, str, str | None]:
        """(number as written, date "d/m/yyyy" parts joined later, law issuer) for a seed symbol."""
        symbol = next((match.group(g) for g in ("ref", "sym") if g in match.re.groupindex), None) or match.group(0)
        key = (seed.index, symbol)
        if key in self.instruments:
            return self.instruments[key]
        shape, local, size = _shape(match)
        age = min(0, seed.instrument_years.get(symbol, seed.year) - seed.year)
        year = max(2005, self.year + age)
        pool_key = f"{self.seed}|{shape}|{year}" + (f"|{self.province}" if local else "")
        pool = Pool(pool_key, year, size)
        number = pool.draw(self.rng, self.signed) if year == self.signed.year else pool.draw(self.rng, dt.date(year + 1, 1, 1))
        if number is None:  # nothing of this shape issued yet this year: take one of last year
            year -= 1
            pool = Pool(f"{self.seed}|{shape}|{year}" + (f"|{self.province}" if local else ""), year, size)
            number = pool.draw(self.rng, dt.date(year + 1, 1, 1))
        written = f"{number:02d}"
        if match.group("lyear") or shape == "QH":
            written += f"/{year}"
        date = pool.date_of(number)
        new = (written, f"{date.day}|{date.month}|{date.year}", _law_issuer(year) if shape == "QH" else None)
        self.instruments[key] = new
        return new

    def _reference(self, seed: Seed, match: re.Match) -> str:
        written, date, law_issuer = self._new_instrument(seed, match)
        out = match.group(0)
        pieces: list[tuple[int, int, str]] = []
        start = match.start()
        if match.group("lyear") or match.group("rest") and match.group("rest").startswith("QH"):
            number_end = match.end("lyear") if match.group("lyear") else match.end("num")
            pieces.append((match.start("num"), number_end, written))
        else:
            pieces.append((match.start("num"), match.end("num"), written))
        if law_issuer:
            pieces.append((match.start("rest"), match.end("rest"), law_issuer))
        day, month, year = date.split("|")
        for d, m, y in (("cd", "cm", "cy"), ("cd2", "cm2", "cy2")):
            if match.group(d):
                pad = lambda old, new: new.zfill(len(old)) if len(old) == 2 else new
                pieces += [(match.start(d), match.end(d), pad(match.group(d), day)),
                           (match.start(m), match.end(m), pad(match.group(m), month)),
                           (match.start(y), match.end(y), year)]
        for s, e, new in sorted(pieces, reverse=True):
            out = out[: s - start] + new + out[e - start :]
        return out

    # --- text -------------------------------------------------------------------------------------
    def rewrite(self, seed: Seed, text: str) -> str:
        """Borrowed text made this report's: references renumbered, years shifted, the seed's
        province replaced, figures varied."""
        shift = self.year - seed.year
        rng = self.rng

        def replace(match: re.Match) -> str:
            if match.group("ref"):
                return self._reference(seed, match)
            if match.group("snum"):
                word = match.group("tword")
                abbr = TYPE_WORDS.get(word) or TYPE_WORDS.get(word.capitalize()) or word
                symbol = seed.short_refs.get((abbr, match.group("snum")))
                if symbol is None:
                    return match.group(0)
                full = SYMBOL_RE.fullmatch(symbol)
                written = self._new_instrument(seed, full)[0].split("/")[0]
                return match.group(0)[: match.start("snum") - match.start()] + written
            if match.group("d"):
                year = int(match.group("y")) + shift
                day = int(match.group("d"))
                if int(match.group("m")) == 2 and day == 29 and not _leap(year):
                    day = 28
                return f"{str(day).zfill(len(match.group('d')))}/{match.group('m')}/{year}"
            if match.group("year"):
                return str(int(match.group("year")) + shift)
            figure = match.group("figure")
            return _vary_figure(figure, rng.uniform(0.6, 1.4))

        text = _TEXT_RE.sub(replace, text)
        if seed.province != self.province:
            text = text.replace(seed.province, self.province).replace(seed.province.upper(), self.province.upper())
        return text

    def paragraph(self, seed: Seed, line: str) -> list[str]:
        """One rewritten paragraph with its footnotes in this report's format (lines to emit)."""
        line = self.rewrite(seed, line)
        after: list[str] = []

        def marker(match: re.Match) -> str:
            local = int(match.group(1).translate(_PLAIN_DIGITS))
            if local not in seed.notes:
                return ""
            key = (seed.index, local)
            fresh = key not in self.note_numbers
            if fresh:
                self.note_numbers[key] = len(self.note_numbers) + 1
            number = self.note_numbers[key]
            note = self.rewrite(seed, seed.notes[local]) if fresh else None
            if self.footnote_style == "superscript":
                if note:
                    after.append(f"{_superscript(number)} {note}")
                return _superscript(number)
            if self.footnote_style == "inline":
                if note:
                    after.append(f"[{number}: {note}]")
                return f"[footnote:{number}]"
            if note:
                self.endnotes.append(f"[{number}] {note}")
            return f"[{number}]"

        line = _MARKER.sub(marker, line)
        if self.footnote_style == "inline" and after:
            return [line + " " + " ".join(after)]
        return [line, *after]

    def render(self, target_bytes: int) -> str:
        rng = self.rng
        units_pool = [u for s in self.seeds for u in s.units]
        chosen: list[Unit] = []
        size = 0
        while size < target_bytes:
            batch = units_pool[:]
            rng.shuffle(batch)
            for unit in batch:
                chosen.append(unit)
                size += unit.size
                if size >= target_bytes:
                    break
        skeleton = SKELETONS[rng.choice(sorted(SKELETONS))]
        groups = _split(chosen, [share for _, share in skeleton], rng)
        upper = rng.random() < 0.6  # container headings in capitals ("I. KIỂM ĐIỂM …") or not
        title = rng.choice(TITLES).format(P=self.period_phrase, N=self.next_phrase)

        out: list[str] = []
        emit = out.append
        kind = "TỈNH" if self.province not in CITIES else "THÀNH PHỐ"
        province_head = self.province.upper() if self.province != "Thành phố Hồ Chí Minh" else "HỒ CHÍ MINH"
        emit("ỦY BAN NHÂN DÂN")
        emit(f"{kind} {province_head}")
        emit("")
        emit("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        emit("Độc lập - Tự do - Hạnh phúc")
        emit("")
        if rng.random() < 0.7:
            emit(f"Số: {rng.randint(40, 480)}/BC-UBND")
            emit("")
        emit(f"{self.province}, ngày {self.signed.day} tháng {self.signed.month} năm {self.signed.year}")
        emit("")
        if rng.random() < 0.3:
            emit(f"**BÁO CÁO\n{title.upper()}**")
        else:
            emit("BÁO CÁO")
            emit(title)
        emit("")
        if rng.random() < 0.5:
            emit("Kính gửi: Hội đồng nhân dân tỉnh")
            emit("")
        intro_seed = rng.choice([s for s in self.seeds if s.intro] or self.seeds)
        for line in intro_seed.intro:
            for produced in self.paragraph(intro_seed, line):
                emit(produced)
                emit("")
        leads = [(s, lead) for s in self.seeds for lead in s.leads]
        for (headings, _), units in zip(skeleton, groups):
            for heading in headings:
                text = heading.format(P=self.period_phrase, N=self.next_phrase)
                if upper and not text.startswith("Phần"):
                    text = text.upper()
                emit(text)
                emit("")
            if leads and rng.random() < 0.4:
                seed, lead = rng.choice(leads)
                for line in lead:
                    for produced in self.paragraph(seed, line):
                        emit(produced)
                        emit("")
            for number, unit in enumerate(units, start=1):
                seed = self.seeds[unit.seed]
                for position, line in enumerate(unit.lines):
                    if position == 0 or re.match(rf"^\s*\**\s*{unit.label}\.\d", line):
                        line = _renumber_label(line, str(number))
                    for produced in self.paragraph(seed, line):
                        emit(produced)
                        emit("")
        emit(f"Trên đây là báo cáo {title[:1].lower()}{title[1:]} của Ủy ban nhân dân tỉnh {self.province}, "
             "kính báo cáo Hội đồng nhân dân tỉnh xem xét./.")
        emit("")
        emit("Nơi nhận:")
        for recipient in RECIPIENTS:
            emit(f"- {recipient}")
        emit("")
        emit("TM. ỦY BAN NHÂN DÂN")
        emit(rng.choice(["CHỦ TỊCH", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"]))
        emit("")
        emit(f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}")
        if self.endnotes:
            emit("")
            for note in self.endnotes:
                emit(note)
                emit("")
        return "\n".join(out).rstrip("\n") + "\n"


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _vary_figure(figure: str, factor: float) -> str:
    """ "56.380" -> "61.027", "6,4" -> "5,1": the same format, another value."""
    integer, _, decimals = figure.partition(",")
    value = float(integer.replace(".", "") + ("." + decimals if decimals else "")) * factor
    if decimals:
        whole, frac = f"{value:.{len(decimals)}f}".split(".")
    else:
        whole, frac = str(max(1, round(value))), ""
    if "." in integer:
        whole = f"{int(whole):,}".replace(",", ".")
    return whole + ("," + frac if frac else "")


def _split(units: list[Unit], shares: list[int], rng: random.Random) -> list[list[Unit]]:
    """Cut the chosen sections into one run per container, in proportion to the shares, ≥1 each."""
    count = len(shares)
    if len(units) <= count:
        return [[u] for u in units] + [[] for _ in range(count - len(units))]
    total = sum(shares)
    sizes = [max(1, round(len(units) * s / total)) for s in shares]
    while sum(sizes) > len(units):
        sizes[sizes.index(max(sizes))] -= 1
    sizes[rng.randrange(count)] += len(units) - sum(sizes)
    out, position = [], 0
    for size in sizes:
        out.append(units[position : position + size])
        position += size
    return out


def report_size(rng: random.Random, average_kb: float) -> int:
    """Body bytes to aim for: skewed like real reports (many 30–50 KB, some near 100 KB)."""
    low, mode, high = 0.40 * average_kb, 0.66 * average_kb, 1.80 * average_kb
    return int(rng.triangular(low, high, mode) * 1000)


def generate(reports: int, seed: int, out: Path, seeds_dir: Path = SEEDS_DIR, average_kb: float = 41.0,
             progress=None) -> list[Path]:
    """Write ``reports`` reports into ``out``; return their paths (sorted)."""
    seeds = load_seeds(seeds_dir)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(reports):
        report = Report(number, seed, seeds)
        text = report.render(report_size(rng_for("size", seed, number), average_kb))
        path = out / f"{report.name}.txt"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
        if progress:
            progress(number + 1, reports)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, required=True, help="how many reports")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--seeds", default=str(SEEDS_DIR), help="folder of seed reports (default: %(default)s)")
    parser.add_argument("--average-kb", type=float, default=41.0, help="average body size of a report in KB")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = generate(args.reports, args.seed, Path(args.out), Path(args.seeds), args.average_kb)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} reports, {total / 1e6:.1f} MB in {args.out} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
