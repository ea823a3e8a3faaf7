"""Extraction quality against gold data written by reading the documents.

    python -m benchmarks.quality [--realdocs DIR] [--json]

Scores every file of ``shared/realdocs`` against ``tests/gold`` (citations: one row per mention,
``tests/gold/citations/<doc>.tsv``; metadata: ``tests/gold/metadata.toml``) and the seed reports
against ``tests/data/expected_seeds.py``, and prints per-document precision / recall / F1 of the
instrument mentions, the accuracy of their attributes (type, date, year, issuer) and of the
document metadata.

Mentions are matched by canonical symbol as multisets (a document citing 126/2024/NĐ-CP five times
has five mentions); the k-th found mention of a symbol is paired with the k-th gold one for the
attribute comparison. Issuers are compared without case and diacritics; a gold "A|B" accepts either,
"-" means the document does not say (not scored).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
REALDOCS = ROOT.parent / "shared" / "realdocs"
META_FIELDS = ("province", "year", "period", "doc_type", "doc_number", "report_date", "issuer", "sections")


@dataclass(frozen=True)
class GoldMention:
    canonical: str
    type: str
    date: str | None
    issuers: tuple[str, ...]  # accepted spellings; empty: not scored

    @property
    def year(self) -> int | None:
        if self.date:
            return int(self.date[:4])
        parts = self.canonical.split("/")
        return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


@dataclass
class DocScore:
    doc: str
    gold: int = 0
    found: int = 0
    matched: int = 0
    attributes_right: int = 0
    attributes_scored: int = 0
    metadata_right: int = 0
    metadata_scored: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "DocScore") -> None:
        for name in ("gold", "found", "matched", "attributes_right", "attributes_scored", "metadata_right", "metadata_scored"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def read_gold_mentions(path: Path) -> list[GoldMention]:
    """Rows "canonical <TAB> type <TAB> date <TAB> issuer" ("-": not stated); "#" starts a comment."""
    out = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, type_, date, issuer = line.split("\t")
        issuers = () if issuer == "-" else tuple(issuer.split("|"))
        out.append(GoldMention(canonical, type_, None if date == "-" else date, issuers))
    return out


def read_gold_metadata() -> dict[str, dict]:
    with open(GOLD / "metadata.toml", "rb") as handle:
        return tomllib.load(handle)


def score_mentions(doc: str, citations, gold: list[GoldMention]) -> DocScore:
    """Multiset P/R of canonical symbols and attribute accuracy of the paired mentions."""
    from searchsvc.normalize import fold

    score = DocScore(doc, gold=len(gold), found=len(citations))
    found_by: dict[str, list] = defaultdict(list)
    for citation in sorted(citations, key=lambda c: c.start):
        found_by[citation.canonical].append(citation)
    gold_by: dict[str, list[GoldMention]] = defaultdict(list)
    for mention in gold:
        gold_by[mention.canonical].append(mention)
    for canonical in sorted(set(found_by) | set(gold_by)):
        found, wanted = found_by.get(canonical, []), gold_by.get(canonical, [])
        pairs = min(len(found), len(wanted))
        score.matched += pairs
        score.missed += [canonical] * (len(wanted) - pairs)
        score.spurious += [canonical] * (len(found) - pairs)
        for citation, mention in zip(found, wanted):
            checks = [("type", citation.type, mention.type, citation.type == mention.type)] if mention.type else []
            if mention.date:
                checks.append(("date", citation.date, mention.date, citation.date == mention.date))
            if mention.year:
                checks.append(("year", citation.year, mention.year, citation.year == mention.year))
            if mention.issuers:
                right = fold(citation.issuer or "").lower() in {fold(i).lower() for i in mention.issuers}
                checks.append(("issuer", citation.issuer, "|".join(mention.issuers), right))
            for name, got, want, right in checks:
                score.attributes_scored += 1
                score.attributes_right += right
                if not right:
                    score.wrong.append(f"{canonical} {name}: {got!r} != {want!r}")
    return score


def top_level_labels(report) -> list[str]:
    return [s.label for s in report.sections if s.level == 1]


def score_metadata(report, gold: dict, score: DocScore) -> None:
    """Each metadata field of ``gold`` (absent keys mean "none") against the parsed report."""
    from searchsvc.normalize import fold

    for name in META_FIELDS:
        want = gold.get(name)
        got = top_level_labels(report) if name == "sections" else getattr(report, name, None)
        if name == "issuer" and want and got:  # letters and digits only, without case and diacritics
            right = re.sub(r"\W", "", fold(got).lower()) == re.sub(r"\W", "", fold(want).lower())
        else:
            right = got == want
        score.metadata_scored += 1
        score.metadata_right += right
        if not right:
            score.wrong.append(f"metadata {name}: {got!r} != {want!r}")


def score_realdocs(folder: Path = REALDOCS) -> list[DocScore]:
    from searchsvc import read_report

    gold_meta = read_gold_metadata()
    scores = []
    for path in sorted(folder.iterdir()):
        doc = path.name[:6]
        gold_file = GOLD / "citations" / f"{doc}.tsv"
        if not gold_file.is_file():
            continue
        report = read_report(path)
        score = score_mentions(doc, report.citations, read_gold_mentions(gold_file))
        score_metadata(report, gold_meta[doc], score)
        scores.append(score)
    return scores


def score_seeds() -> list[DocScore]:
    """The seed reports against tests/data/expected_seeds.py (canonical and resolved date)."""
    from searchsvc import read_report
    from tests.data import expected_seeds as expected

    scores = []
    for report_id in expected.REPORT_IDS:
        report = read_report(ROOT / "corpus" / f"{report_id}.txt")
        # the seed table gives canonical symbol and resolved date, not types or issuers
        gold = [GoldMention(canonical, "", date, ()) for _line, canonical, date in expected.MENTIONS[report_id]]
        scores.append(score_mentions(report_id[:12], report.citations, gold))
    return scores


def table(scores: list[DocScore], title: str) -> str:
    total = DocScore("all")
    for score in scores:
        total.add(score)
    rows = [f"{title}", f"{'doc':14} {'gold':>5} {'found':>5} {'P':>6} {'R':>6} {'F1':>6} {'attr':>6} {'meta':>5}"]
    for score in [*scores, total]:
        attr = score.attributes_right / score.attributes_scored if score.attributes_scored else 1.0
        meta = f"{score.metadata_right}/{score.metadata_scored}" if score.metadata_scored else "-"
        rows.append(
            f"{score.doc:14} {score.gold:5d} {score.found:5d} {score.precision:6.3f} {score.recall:6.3f} "
            f"{score.f1:6.3f} {attr:6.3f} {meta:>5}"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--realdocs", type=Path, default=REALDOCS, help="folder of the development documents")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--errors", action="store_true", help="list every miss, spurious mention and wrong value")
    args = parser.parse_args(argv)
    real, seeds = score_realdocs(args.realdocs), score_seeds()
    if args.json:
        print(json.dumps({"realdocs": [asdict(s) for s in real], "seeds": [asdict(s) for s in seeds]}, ensure_ascii=False, indent=1))
        return 0
    print(table(real, "Real documents (shared/realdocs)"))
    print()
    print(table(seeds, "Seed reports (corpus/)"))
    if args.errors:
        for score in [*real, *seeds]:
            for kind, items in (("missed", score.missed), ("spurious", score.spurious), ("wrong", score.wrong)):
                for item in items:
                    print(f"{score.doc} {kind}: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
