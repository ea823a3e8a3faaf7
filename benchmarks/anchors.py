"""The raw engines beside searchsvc, built from the same parsed sections and run in one process.

    python benchmarks/anchors.py --sizes 500,2000,10000 --whoosh-max 2000 --corpora /tmp --out /tmp/anchors
    python benchmarks/anchors.py --quick                     # 20 reports, a few queries (CI)
    python benchmarks/anchors.py --table-only /tmp/anchors   # the tables again, from the saved runs
    python benchmarks/anchors.py --sizes 2000 --systems "searchsvc tantivy,raw tantivy"  # a subset

The systems answer the same query mix (``bench.build_query_mix``: 16 kinds, each with and without a
province/year filter), one query at a time, interleaved — query *i* goes to every system before
query *i+1*, in an order that rotates — so that load on a shared machine hits all alike:

* **searchsvc whoosh / tantivy**: ``searching.search()`` as the pages call it: 7 facets counted over
  distinct reports, snippets of the page.
* **searchsvc whoosh / tantivy by report**: the same, on the same index, with results grouped by
  report (``group="report"``, what the HTML page shows by default): up to 3 sections per row.
* **raw tantivy**: tantivy-py with its own tokenizer (simple + lower case + ASCII folding), the
  query through ``Index.parse_query`` with every term required, province and year counted with
  ``Searcher.aggregate`` over all hits, ``SnippetGenerator`` snippets for the top 10.
* **plain whoosh**: ``StandardAnalyzer``, the default ``QueryParser`` (AND), ``procs=2`` build,
  ``groupedby`` province and year, ``highlights()`` for the top 10.
* **sqlite fts5**: ``unicode61 remove_diacritics 2``, ``bm25`` order, ``GROUP BY`` counts of province
  and year over all hits, ``snippet()`` for the top 10 (what Datasette does).

The anchors index the sections that searchsvc's parser produced (``read_report``), heading and body,
with the report's province and year: the same text, so the difference is the engines and our work
on top (facets by report, diacritic-aware matching, snippets). Build throughput of an anchor counts
the shared parse (timed once, in a pool of one process per core, as ``searchsvc index`` parses) plus
its own indexing. Before the timed queries, the parsed sections are let go of and what the systems
hold is left out of the cyclic collector's full passes (``memory.settle_long_lived``, as a warm
server does). Nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (str(ROOT), str(HERE)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import bench  # noqa: E402  (benchmarks/bench.py: query mix, percentiles)
import generate  # noqa: E402
from searchsvc.memory import settle_long_lived  # noqa: E402

OURS = ("searchsvc whoosh", "searchsvc tantivy")
BY_REPORT = " by report"  # the same engine's index, results grouped by report (the HTML page's default)
GROUPED = tuple(name + BY_REPORT for name in OURS)
ANCHORS = ("raw tantivy", "plain whoosh", "sqlite fts5")
WHOOSH_SYSTEMS = ("searchsvc whoosh", "searchsvc whoosh" + BY_REPORT, "plain whoosh")
_WORD = re.compile(r"[^\W_]+")


# --- the shared parse -------------------------------------------------------------------------------
def _parse_one(path: str) -> list[tuple[str, str, str, str, int]]:
    from searchsvc.ingest import read_report

    report = read_report(path)
    return [(f"{report.id}#{s.id}", s.heading, s.text, report.province or "", report.year or 0) for s in report.sections]


def parse_sections(corpus: Path) -> tuple[list[tuple], float]:
    """Every section of the corpus as (id, heading, body, province, year), and the wall seconds."""
    files = sorted(str(p) for p in corpus.rglob("*") if p.is_file())
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        sections = [row for rows in pool.imap(_parse_one, files, chunksize=8) for row in rows]
    return sections, time.perf_counter() - started


# --- query text for the anchors -----------------------------------------------------------------------
def terms_of(item: dict) -> list[list[str]]:
    """The query as groups of words that must all match; a group of several words is a phrase.

    ``"a b" AND "c d"`` -> [[a, b], [c, d]]; ``giải ngân vốn`` -> [[giải], [ngân], [vốn]];
    ``Nghị quyết 84/NQ-CP`` -> [[nghị], [quyết], [84, nq, cp]] (a code is a phrase of its parts)."""
    groups = []
    for quoted, plain in re.findall(r'"([^"]*)"|(\S+)', item["q"]):
        if quoted:
            groups.append(_WORD.findall(quoted.lower()))
        elif plain != "AND":
            groups.append(_WORD.findall(plain.lower()))
    return [g for g in groups if g]


def _tantivy_text(groups: list[list[str]]) -> str:
    return " ".join("+" + (g[0] if len(g) == 1 else '"' + " ".join(g) + '"') for g in groups)


def _whoosh_text(groups: list[list[str]]) -> str:
    return " AND ".join(g[0] if len(g) == 1 else '"' + " ".join(g) + '"' for g in groups)


def _fts_text(groups: list[list[str]]) -> str:
    return " AND ".join('"' + " ".join(g) + '"' for g in groups)


# --- raw Tantivy --------------------------------------------------------------------------------------
class RawTantivy:
    name = "raw tantivy"

    def __init__(self, folder: Path, sections: list[tuple]):
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("heading", stored=True, tokenizer_name="vi")
        builder.add_text_field("body", stored=True, tokenizer_name="vi")
        builder.add_text_field("province", stored=True, tokenizer_name="raw", fast=True)
        builder.add_unsigned_field("year", stored=True, indexed=True, fast=True)
        self.schema = builder.build()
        folder.mkdir(parents=True)
        self.index = tantivy.Index(self.schema, path=str(folder))
        analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                    .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())
        self.index.register_tokenizer("vi", analyzer)
        writer = self.index.writer(heap_size=256_000_000)
        for _id, heading, body, province, year in sections:
            document = tantivy.Document(heading=heading, body=body, province=province)
            document.add_unsigned("year", int(year))
            writer.add_document(document)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        self.tantivy = tantivy

    def search(self, item: dict) -> int:
        t = self.tantivy
        query = self.index.parse_query(_tantivy_text(terms_of(item)), ["heading", "body"])
        filters = item["filters"]
        if filters:
            clauses = [(t.Occur.Must, query)]
            if "province" in filters:
                clauses.append((t.Occur.Must, t.Query.term_query(self.schema, "province", filters["province"][0])))
            if "year" in filters:
                clauses.append((t.Occur.Must, t.Query.term_query(self.schema, "year", int(filters["year"][0]))))
            query = t.Query.boolean_query(clauses)
        result = self.searcher.search(query, 10, count=True)
        self.searcher.aggregate(query, {"province": {"terms": {"field": "province", "size": 100}},
                                        "year": {"terms": {"field": "year", "size": 100}}})
        snippets = t.SnippetGenerator.create(self.searcher, query, self.schema, "body")
        for _score, address in result.hits:
            snippets.snippet_from_doc(self.searcher.doc(address)).to_html()
        return result.count


# --- plain Whoosh -------------------------------------------------------------------------------------
class PlainWhoosh:
    name = "plain whoosh"

    def __init__(self, folder: Path, sections: list[tuple]):
        from whoosh import fields, index, qparser

        schema = fields.Schema(heading=fields.TEXT(stored=True), body=fields.TEXT(stored=True),
                               province=fields.ID(stored=True), year=fields.ID(stored=True))
        folder.mkdir(parents=True)
        ix = index.create_in(str(folder), schema)
        writer = ix.writer(procs=os.cpu_count() or 1, limitmb=256, multisegment=True)
        for _id, heading, body, province, year in sections:
            writer.add_document(heading=heading, body=body, province=province, year=str(year))
        writer.commit()
        self.searcher = ix.searcher()
        self.parser = qparser.MultifieldParser(["heading", "body"], schema)
        self.query = __import__("whoosh.query", fromlist=["query"])

    def search(self, item: dict) -> int:
        query = self.parser.parse(_whoosh_text(terms_of(item)))
        filters = [self.query.Term(name, values[0]) for name, values in item["filters"].items()]
        results = self.searcher.search(query, limit=10, groupedby=["province", "year"],
                                       filter=self.query.And(filters) if filters else None)
        results.groups("province"), results.groups("year")
        for hit in results:
            hit.highlights("body")
        return len(results)


# --- SQLite FTS5 --------------------------------------------------------------------------------------
class SqliteFts5:
    name = "sqlite fts5"

    def __init__(self, folder: Path, sections: list[tuple]):
        folder.mkdir(parents=True)
        self.db = sqlite3.connect(str(folder / "fts.db"))
        self.db.execute("CREATE VIRTUAL TABLE sections USING fts5(heading, body, province UNINDEXED, "
                        "year UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')")
        self.db.executemany("INSERT INTO sections VALUES (?, ?, ?, ?)", [s[1:] for s in sections])
        self.db.commit()

    def search(self, item: dict) -> int:
        where, arguments = "sections MATCH ?", [_fts_text(terms_of(item))]
        for name, values in item["filters"].items():
            where += f" AND {name} = ?"
            arguments.append(int(values[0]) if name == "year" else values[0])
        for column in ("province", "year"):
            self.db.execute(f"SELECT {column}, count(*) FROM sections WHERE {where} GROUP BY {column}", arguments).fetchall()
        self.db.execute(f"SELECT snippet(sections, 1, '<b>', '</b>', '…', 24) FROM sections WHERE {where} "
                        "ORDER BY rank LIMIT 10", arguments).fetchall()
        return self.db.execute(f"SELECT count(*) FROM sections WHERE {where}", arguments).fetchone()[0]


# --- searchsvc ------------------------------------------------------------------------------------------
class Searchsvc:
    def __init__(self, engine: str, corpus: Path, folder: Path):
        from searchsvc.engine import SearchIndex
        from searchsvc.indexing import build_index
        from searchsvc.models import SearchRequest
        from searchsvc.searching import search

        self.name = f"searchsvc {engine}"
        build_index(corpus, folder, full=True, engine=engine)
        self.index, self.request, self.search_fn = SearchIndex(folder), SearchRequest, search

    def search(self, item: dict) -> int:
        return self.search_fn(self.index, self.request(q=item["q"], filters=item["filters"])).total


class ByReport:
    """A searchsvc system asked for results grouped by report, on the same index."""

    def __init__(self, system: Searchsvc):
        self.name, self.index, self.system = system.name + BY_REPORT, system.index, system

    def search(self, item: dict) -> int:
        return self.system.search_fn(self.index, self.system.request(q=item["q"], filters=item["filters"], group="report")).total


# --- one size ------------------------------------------------------------------------------------------
def _timed(make):
    started = time.perf_counter()
    system = make()
    return system, time.perf_counter() - started


def run_size(corpus: Path, systems: list[str], per_kind: int, passes: int, seed: int, workdir: Path) -> dict:
    megabytes = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file()) / 1e6
    sections, parse_s = parse_sections(corpus)
    built, build = {}, {}
    makers = {"raw tantivy": RawTantivy, "plain whoosh": PlainWhoosh, "sqlite fts5": SqliteFts5}
    for name in systems:
        folder = workdir / name.replace(" ", "-")
        if name.endswith(BY_REPORT):
            system, seconds = ByReport(built[name.removesuffix(BY_REPORT)]), megabytes / build[name.removesuffix(BY_REPORT)]
        elif name in makers:
            system, seconds = _timed(lambda: makers[name](folder, sections))
            seconds += parse_s
        else:
            system, seconds = _timed(lambda: Searchsvc(name.split()[1], corpus, folder))
        built[name], build[name] = system, round(megabytes / seconds, 3)
        print(f"[anchors] {name}: built in {seconds:.1f} s ({build[name]} MB/s)", file=sys.stderr)
    reference = built.get("searchsvc tantivy") or built.get("searchsvc whoosh")
    mix = bench.build_query_mix(corpus, reference.index, per_kind, seed)
    for name in systems:  # warm: one query of every kind, untimed
        for kind in dict.fromkeys(m["kind"] for m in mix):
            built[name].search(next(m for m in mix if m["kind"] == kind))
    # What the systems keep (and nothing of the harness's: the parsed sections are let go of) is
    # left out of the cyclic collector's full passes, as a server does once warm; otherwise every
    # pass, set off by whichever system allocates, walks it (0.2 s at 10,000 reports).
    section_count = len(sections)
    del sections
    settle_long_lived()
    samples: dict[str, dict[str, list[tuple[float, int]]]] = {name: {} for name in systems}
    for number, item in enumerate(mix * passes):
        order = systems[number % len(systems):] + systems[: number % len(systems)]
        for name in order:
            started = time.perf_counter()
            hits = built[name].search(item)
            samples[name].setdefault(item["kind"], []).append(((time.perf_counter() - started) * 1000, hits))
    return {
        "mb": round(megabytes, 2), "sections": section_count, "parse_s": round(parse_s, 3), "queries": len(mix),
        "passes": passes, "load_average": [round(x, 2) for x in os.getloadavg()],
        "systems": {name: {"build_mb_s": build[name],
                           "overall": bench.summarize([s for k in samples[name].values() for s in k]),
                           "kinds": {k: bench.summarize(v) for k, v in samples[name].items()}} for name in systems},
    }


# --- tables ------------------------------------------------------------------------------------------
def ratio_table(results: dict[int, dict]) -> str:
    lines = ["| reports | system | p50 ms | p95 ms | p99 ms | build MB/s | p50 ÷ raw tantivy | p95 ÷ raw tantivy | hits (mean) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for size, result in sorted(results.items()):
        raw = result["systems"].get("raw tantivy", {}).get("overall")
        for name, system in result["systems"].items():
            o = system["overall"]
            ratio = (lambda key: f"{o[key] / raw[key]:.1f}×" if raw and raw[key] else "–")
            lines.append(f"| {size} | {name} | {o['p50_ms']} | {o['p95_ms']} | {o['p99_ms']} | {system['build_mb_s']} | "
                         f"{ratio('p50_ms')} | {ratio('p95_ms')} | {o['hits_mean']} |")
    return "\n".join(lines)


def kind_table(results: dict[int, dict]) -> str:
    """p95 ms of every query kind, per size and system: where the worst queries are."""
    lines = []
    for size, result in sorted(results.items()):
        names = list(result["systems"])
        kinds = list(result["systems"][names[0]]["kinds"])
        lines += [f"\np95 ms by query kind, {size} reports", "| kind | " + " | ".join(names) + " |",
                  "|---|" + "---:|" * len(names)]
        lines += [f"| {k} | " + " | ".join(str(result["systems"][n]["kinds"][k]["p95_ms"]) for n in names) + " |"
                  for k in kinds]
    return "\n".join(lines)


def render(results: dict[int, dict]) -> str:
    head = [f"{size} reports: {r['mb']} MB, {r['sections']} sections, parse {r['parse_s']} s, {r['queries']} queries × "
            f"{r['passes']} passes, load {r['load_average']}" for size, r in sorted(results.items())]
    return "\n".join(head) + "\n\n" + ratio_table(results) + "\n" + kind_table(results)


def chosen_systems(listed: str | None) -> list[str]:
    """The systems named (all when none is), in the table's order; a grouped view brings its engine."""
    every = (*OURS, *GROUPED, *ANCHORS)
    wanted = set(listed.split(",")) if listed else set(every)
    if unknown := wanted - set(every):
        raise SystemExit(f"unknown systems: {', '.join(sorted(unknown))} (known: {', '.join(every)})")
    return [s for s in every if s in wanted or s + BY_REPORT in wanted]


# --- command line -------------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="500,2000", help="corpus sizes in reports (default 500,2000)")
    parser.add_argument("--whoosh-max", type=int, default=2000, help="largest size run with Whoosh systems")
    parser.add_argument("--corpora", help="folder keeping generated corpora (corpus-<n>) for the next run")
    parser.add_argument("--out", help="folder for one JSON per size, and the tables")
    parser.add_argument("--per-kind", type=int, default=10, help="queries of each kind (default 10)")
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the mix (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--systems", help="a comma-separated subset of the systems (default: all of them)")
    parser.add_argument("--quick", action="store_true", help="20 reports, 2 queries a kind, 1 pass")
    parser.add_argument("--table-only", metavar="DIR", help="print the tables of a finished run in DIR")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.table_only:
        results = {int(p.stem): json.loads(p.read_text()) for p in Path(args.table_only).glob("*.json")}
        print(render(results))
        return 0
    sizes = [20] if args.quick else [int(s) for s in args.sizes.split(",")]
    chosen = chosen_systems(args.systems)
    per_kind, passes = (2, 1) if args.quick else (args.per_kind, args.passes)
    out = Path(args.out) if args.out else None
    results = {}
    for size in sizes:
        workdir = Path(tempfile.mkdtemp(prefix="searchsvc-anchors-"))
        try:
            corpus = (Path(args.corpora) if args.corpora else workdir) / f"corpus-{size}"
            if not (corpus.is_dir() and any(corpus.iterdir())):
                generate.generate(size, args.seed, corpus)
            systems = [s for s in chosen if size <= args.whoosh_max or s not in WHOOSH_SYSTEMS]
            results[size] = run_size(corpus, systems, per_kind, passes, args.seed, workdir)
            if out:
                out.mkdir(parents=True, exist_ok=True)
                (out / f"{size}.json").write_text(json.dumps(results[size], indent=1))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    print(render(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
