"""Both engines side by side at several corpus sizes, next to the issue's baseline and targets.

    python benchmarks/compare.py --sizes 50,500,2000 --tantivy-sizes 10000 --out /tmp/compare
    python benchmarks/compare.py --sizes 500,2000 --corpora /tmp --out /tmp/compare   # reuse /tmp/corpus-<n>
    python benchmarks/compare.py --table-only /tmp/compare          # the tables again, from the saved runs
    python benchmarks/compare.py --quick --no-http                  # 20 reports, both engines (CI)

For each size the corpus is generated once (``generate.generate(n, seed, folder)``), or reused from
``--corpora DIR/corpus-<n>`` after checking that it is what that seed gives; then ``bench.py`` runs
on it once per engine, one engine after the other, each **in its own process** (``bench.py
--corpus … --engine … --json``), so no run inherits the memory peak, imports or caches of another.
Every run's JSON is saved as ``<n>-<engine>.json`` in ``--out`` (its progress in
``<n>-<engine>.log``): a run whose JSON is there, made with the same options, is not run again, so
a long comparison can be stopped and resumed, and ``--table-only`` prints the tables from those
files alone.

Printed (markdown, for the README and the issue): one row per size and engine; the issue's
baseline at 2,000 reports (quoted, not measured here) beside the rows measured at 2,000; the
issue's targets, each met or not by the measured rows; how every figure grows with the corpus.
The machine may be shared: each row shows the load average at the start and end of its run.
"""
from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCH = HERE / "bench.py"
for _path in (str(ROOT), str(HERE)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import generate  # noqa: E402  (benchmarks/generate.py)

QUICK_SIZE = 20
RUN_FILE = re.compile(r"^(?P<size>\d+)-(?P<engine>[a-z_]+)\.json$")
ENGINE_ORDER = ("whoosh", "tantivy")
# bench.py options passed through unchanged when given (None: bench's own default or --quick preset)
PASSED = ("queries", "per_kind", "http_per_kind", "workers")


# --- one measured run, flattened ------------------------------------------------------------------------
@dataclass
class Row:
    """The figures of one bench.py run (one size, one engine) that the tables show."""

    size: int  # reports asked for (the file name); ``reports`` is what the corpus held
    engine: str
    reports: int | None = None
    mb: float | None = None
    sections: int | None = None
    p50_ms: float | None = None  # searching.search(), warm index, every facet and snippet computed
    p95_ms: float | None = None
    p99_ms: float | None = None
    http_p50_ms: float | None = None  # GET /api/search, sequential
    http_p95_ms: float | None = None
    build_mb_s: float | None = None  # full build: corpus MB / wall s
    build_mb_cpu_s: float | None = None  # … / CPU s of the bench process
    index_mb: float | None = None
    cold_s: float | None = None  # fresh process: open the index + first query (import excluded)
    import_s: float | None = None
    incremental_s: float | None = None  # one changed report
    worker_rss_mb: float | None = None  # gunicorn worker VmHWM after the HTTP run
    bench_rss_mb: float | None = None  # bench process peak: build, searches, incremental update
    load_start: float | None = None  # 1-minute load average
    load_end: float | None = None
    cpus: int | None = None
    queries: int | None = None
    passes: int | None = None
    http: str = "not run"  # "ok", "skipped: <reason>", "failed: <reason>"
    http_requests: int | None = None
    corpus: str | None = None
    corpus_source: str | None = None  # "generated" or "reused"
    seed: int | None = None
    wall_s: float | None = None  # the whole bench.py process
    started: str | None = None
    error: str | None = None  # the run failed: why (its log has the rest)


def row_of(size: int, engine: str, result: dict) -> Row:
    """A ``Row`` from bench.py's JSON (``bench.run()``) and the ``compare`` note saved with it."""
    corpus, build, index = result["corpus"], result["build"], result["index"]
    overall, cold, rss = result["search"]["overall"], result["cold_start"], result["rss_mb"]
    http = result.get("http") or {"status": "not run", "reason": None}
    note = result.get("compare", {})
    row = Row(
        size=size, engine=engine, reports=corpus["reports"], mb=corpus["mb"], sections=build["sections"],
        p50_ms=overall["p50_ms"], p95_ms=overall["p95_ms"], p99_ms=overall["p99_ms"],
        build_mb_s=build["mb_per_s"], build_mb_cpu_s=build["mb_per_cpu_s"], index_mb=index["mb"],
        cold_s=round(cold["open_s"] + cold["first_query_s"], 3), import_s=cold["import_s"],
        incremental_s=result["incremental"]["seconds"], bench_rss_mb=rss["self_peak"],
        load_start=result["load_average"][0], load_end=(result.get("load_average_after") or [None])[0],
        cpus=result.get("cpus"), queries=result["search"]["queries"], passes=result["search"]["passes"],
        corpus=corpus.get("path") or note.get("corpus"), corpus_source=note.get("corpus_source"), seed=note.get("seed"),
        wall_s=note.get("wall_s"), started=note.get("started"),
    )
    if http["status"] == "ok":
        row.http = "ok"
        row.http_p50_ms, row.http_p95_ms = http["overall"]["p50_ms"], http["overall"]["p95_ms"]
        row.http_requests, row.worker_rss_mb = http["overall"]["n"], http.get("worker_peak_rss_mb")
    else:
        row.http = f"{http['status']}: {http.get('reason')}" if http.get("reason") else http["status"]
    return row


def load_rows(folder: Path) -> list[Row]:
    """Every ``<n>-<engine>.json`` of ``folder`` (and ``<n>-<engine>.failed`` notes), sorted."""
    folder, rows = Path(folder), []
    for path in sorted(folder.iterdir()):
        match = RUN_FILE.match(path.name)
        if match:
            size, engine = int(match["size"]), match["engine"]
            try:
                rows.append(row_of(size, engine, json.loads(path.read_text(encoding="utf-8"))))
            except (ValueError, KeyError, TypeError, IndexError) as error:
                rows.append(Row(size, engine, error=f"unreadable {path.name}: {type(error).__name__}: {error}"))
        elif path.suffix == ".failed" and RUN_FILE.match(path.stem + ".json"):
            match = RUN_FILE.match(path.stem + ".json")
            if not (folder / (path.stem + ".json")).exists():
                summary = (path.read_text(encoding="utf-8").strip().splitlines() or ["failed"])[0]
                rows.append(Row(int(match["size"]), match["engine"], error=summary))
    return sorted(rows, key=_row_order)


def _row_order(row: Row) -> tuple:
    engine = ENGINE_ORDER.index(row.engine) if row.engine in ENGINE_ORDER else len(ENGINE_ORDER)
    return row.size, engine, row.engine


# --- the reference figures and targets ------------------------------------------------------------
@dataclass(frozen=True)
class Baseline:
    """A row quoted from the issue: 2,000 reports, measured there, not here."""

    system: str
    top10: tuple[float, float]  # p50, p95 ms
    facets: tuple[float, float]  # p50, p95 ms with facet counts
    build_mb_s: float
    note: str = ""


BASELINE = [
    Baseline("plain Whoosh (default query parser, groupedby facets, highlights())", (84, 471), (309, 971), 0.8,
             "procs=2"),
    Baseline("SQLite FTS5", (10, 31), (61, 264), 4.9),
    Baseline("Tantivy Python bindings", (0.7, 2.3), (0.8, 4.2), 6.8),
]
BASELINE_SIZE = 2000


@dataclass(frozen=True)
class Target:
    """One target of the issue: ``figure`` (a ``Row`` attribute) of ``engine`` at ``size``."""

    engine: str
    size: int
    label: str
    figure: str
    limit: float
    at_least: bool  # True: figure ≥ limit; False: figure ≤ limit
    unit: str


TARGETS = [
    Target("whoosh", 2000, "search p95", "p95_ms", 100, False, "ms"),
    Target("whoosh", 2000, "search p50", "p50_ms", 25, False, "ms"),
    Target("whoosh", 2000, "build", "build_mb_s", 1.5, True, "MB/s"),
    Target("whoosh", 2000, "open + first query", "cold_s", 1, False, "s"),
    Target("whoosh", 2000, "incremental update", "incremental_s", 1, False, "s"),
    Target("whoosh", 2000, "serving RSS", "worker_rss_mb", 400, False, "MB"),
    Target("tantivy", 2000, "search p95", "p95_ms", 15, False, "ms"),
    Target("tantivy", 2000, "build", "build_mb_s", 5, True, "MB/s"),
    Target("tantivy", 10000, "search p95", "p95_ms", 40, False, "ms"),
    Target("tantivy", 2000, "incremental update", "incremental_s", 1, False, "s"),
    Target("tantivy", 2000, "serving RSS", "worker_rss_mb", 400, False, "MB"),
]


@dataclass
class Verdict:
    target: Target
    value: float | None
    status: str  # "met", "not met", "not measured"
    detail: str = ""


def judge(rows: list[Row]) -> list[Verdict]:
    """Each target against the row of its engine and size; "not measured" when there is none."""
    by_key = {(r.size, r.engine): r for r in rows if r.error is None}
    verdicts = []
    for target in TARGETS:
        row = by_key.get((target.size, target.engine))
        if row and row.reports is not None and row.reports != target.size:  # a run saved under another size
            verdicts.append(Verdict(target, None, "not measured", f"that run's corpus held {row.reports} reports"))
            continue
        value = getattr(row, target.figure) if row else None
        detail = ""
        if row and target.figure == "build_mb_s":
            detail = f"CPU {_fmt(row.build_mb_cpu_s)} MB/CPU-s"
        elif row and target.figure == "worker_rss_mb":
            detail = f"bench process, with the full build: {_fmt(row.bench_rss_mb)} MB"
        if value is None:
            verdicts.append(Verdict(target, None, "not measured", detail))
            continue
        met = value >= target.limit if target.at_least else value <= target.limit
        verdicts.append(Verdict(target, value, "met" if met else "not met", detail))
    return verdicts


# --- the tables ----------------------------------------------------------------------------------------------
def _fmt(value, unit: str = "") -> str:
    """3 significant-ish figures: 0.72, 8.41, 38.6, 471; "–" for nothing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, (int, str)):
        text = str(value)
    elif abs(value) >= 100:
        text = f"{value:.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}" if unit else text


def _markdown(head: list[str], body: list[list[str]], text_columns: int) -> list[str]:
    """A markdown table; the first ``text_columns`` columns left-aligned, the figures right-aligned."""
    align = ["---" if i < text_columns else "---:" for i in range(len(head))]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in body]
    return lines


MAIN_COLUMNS = [  # (heading, Row attribute)
    ("reports", "reports"), ("engine", "engine"), ("MB", "mb"), ("sections", "sections"),
    ("p50 ms", "p50_ms"), ("p95 ms", "p95_ms"), ("p99 ms", "p99_ms"),
    ("HTTP p50 ms", "http_p50_ms"), ("HTTP p95 ms", "http_p95_ms"),
    ("build MB/s", "build_mb_s"), ("build MB/CPU-s", "build_mb_cpu_s"), ("index MB", "index_mb"),
    ("open+1st query s", "cold_s"), ("incremental s", "incremental_s"),
    ("worker RSS MB", "worker_rss_mb"), ("bench RSS MB", "bench_rss_mb"),
]


def main_table(rows: list[Row]) -> list[str]:
    body = []
    for row in rows:
        if row.error:
            cells = [str(row.size), row.engine, f"failed: {_one_line(row.error)}"] + [""] * (len(MAIN_COLUMNS) - 2)
        else:
            cells = [_fmt(getattr(row, attr)) for _, attr in MAIN_COLUMNS]
            cells.append(f"{_fmt(row.load_start)} → {_fmt(row.load_end)}")
        body.append(cells)
    return _markdown([h for h, _ in MAIN_COLUMNS] + ["load avg start → end"], body, 2)


def _one_line(text: str, width: int = 120) -> str:
    text = " ".join(text.split()).replace("|", "/")
    return text if len(text) <= width else text[: width - 1] + "…"


def baseline_table(rows: list[Row]) -> list[str]:
    body = [[b.system, "issue", f"{b.top10[0]:g} / {b.top10[1]:g}", f"{b.facets[0]:g} / {b.facets[1]:g}",
             f"{b.build_mb_s:g}" + (f" ({b.note})" if b.note else "")] for b in BASELINE]
    for row in rows:
        if row.size == BASELINE_SIZE and not row.error:
            body.append([f"searchsvc {row.engine}", "measured", "–", f"{_fmt(row.p50_ms)} / {_fmt(row.p95_ms)}",
                         f"{_fmt(row.build_mb_s)} ({_fmt(row.build_mb_cpu_s)} per CPU-s)"])
    return _markdown(["system (2,000 reports)", "source", "top-10 p50 / p95 ms", "+ facet counts p50 / p95 ms",
                      "build MB/s"], body, 2)


def target_table(verdicts: list[Verdict]) -> list[str]:
    body = []
    for v in verdicts:
        t = v.target
        measured = _fmt(v.value, t.unit) + (f" ({v.detail})" if v.detail else "")
        body.append([t.engine, f"{t.size:,}", t.label, f"{'≥' if t.at_least else '≤'} {t.limit:g} {t.unit}",
                     measured, v.status])
    return _markdown(["engine", "reports", "target", "limit", "measured", "status"], body, 6)


GROWTH = [  # (figure name, Row attribute)
    ("corpus MB", "mb"), ("search p50 ms", "p50_ms"), ("search p95 ms", "p95_ms"), ("HTTP p95 ms", "http_p95_ms"),
    ("build MB/s", "build_mb_s"), ("build MB/CPU-s", "build_mb_cpu_s"), ("index MB", "index_mb"),
    ("open+1st query s", "cold_s"), ("incremental s", "incremental_s"), ("worker RSS MB", "worker_rss_mb"),
    ("bench RSS MB", "bench_rss_mb"),
]


def growth_table(rows: list[Row]) -> list[str]:
    """Per engine and figure, the value at each size and (×f) its growth from the previous size."""
    good = [r for r in rows if not r.error]
    sizes = sorted({r.size for r in good})
    body = []
    for engine in sorted({r.engine for r in good}, key=lambda e: _row_order(Row(0, e))):
        by_size = {r.size: r for r in good if r.engine == engine}
        for name, attr in GROWTH:
            values = [getattr(by_size[s], attr) if s in by_size else None for s in sizes]
            if all(v is None for v in values):
                continue
            cells, previous = [], None
            for value in values:
                cell = _fmt(value)
                if value is not None and previous:
                    cell += f" (×{value / previous:.1f})"
                cells.append(cell)
                previous = value if value is not None else previous
            body.append([engine, name, *cells])
    if not body:
        return ["(no run measured)"]
    return _markdown(["engine", "figure", *[f"{s:,}" for s in sizes]], body, 2)


def render(rows: list[Row]) -> str:
    """The markdown the README and the issue get: all of it comes from the saved runs."""
    good = [r for r in rows if not r.error]
    cpus = sorted({r.cpus for r in good if r.cpus})
    out = ["### Measured: both engines by corpus size", ""]
    out += main_table(rows)
    out += ["", "Search: `searching.search()` on one warm index, every query computing all facets and the snippets "
            "of its page (what the web page does); HTTP: sequential `GET /api/search` against `searchsvc serve` "
            "(\"–\": not measured); open+1st query: a fresh process opening the index and answering one query, "
            "import excluded; build: full build, corpus MB per wall second and per CPU second of the bench process "
            "and its finished child processes (parsing workers, Whoosh's writer processes); "
            "bench RSS: peak of the bench process (build, searches, incremental update); load: 1-minute load "
            f"average at the start and end of the run{' on ' + '/'.join(map(str, cpus)) + ' CPUs' if cpus else ''} (wall times include "
            "waiting for a CPU; the CPU column does not).", ""]
    out += [f"- {_run_line(r)}" for r in rows]
    out += ["", f"### The issue's baseline ({BASELINE_SIZE:,} reports) beside our {BASELINE_SIZE:,}-report rows", ""]
    out += baseline_table(rows)
    out += ["", "The issue's rows are quoted from it, not measured by this script. searchsvc's search always "
            "computes every facet and the snippets, so its figures sit in the facet column.", ""]
    out += ["### Targets", ""]
    out += target_table(judge(rows))
    out += ["", "Serving RSS: the peak of a `searchsvc serve` worker after the HTTP run (the bench process's "
            "own peak, which includes the full build, is shown beside it). Build: wall MB/s.", ""]
    out += ["### Growth with the corpus (×: over the previous size)", ""]
    out += growth_table(rows)
    return "\n".join(out) + "\n"


def _run_line(row: Row) -> str:
    head = f"{row.size:,} {row.engine}: "
    if row.error:
        return head + f"failed: {_one_line(row.error, 300)}"
    http = f"HTTP {row.http_requests} requests" if row.http == "ok" else f"HTTP {_one_line(row.http, 80)}"
    if row.corpus_source == "generated" and row.seed is not None and "searchsvc-compare-corpora-" in (row.corpus or ""):
        corpus = f"generated with seed {row.seed}"  # in a temporary folder, gone since
    else:
        corpus = (row.corpus or "?") + (f" ({row.corpus_source}, seed {row.seed})" if row.corpus_source else "")
    wall = f", bench {row.wall_s:.0f} s" if row.wall_s is not None else ""
    started = f", started {row.started}" if row.started else ""
    passes = f"{row.passes} pass" + ("es" if row.passes != 1 else "")
    return (f"{head}{row.queries} queries × {passes}, {http}; corpus {corpus}; "
            f"import {_fmt(row.import_s)} s{wall}{started}; load {_fmt(row.load_start)} → {_fmt(row.load_end)}")


def render_json(rows: list[Row]) -> dict:
    return {
        "rows": [asdict(r) for r in rows],
        "baseline": [asdict(b) | {"reports": BASELINE_SIZE} for b in BASELINE],
        "targets": [asdict(v.target) | {"value": v.value, "status": v.status, "detail": v.detail} for v in judge(rows)],
    }


# --- corpora ---------------------------------------------------------------------------------------------------
def expected_report(number: int, seed: int, seeds: list) -> tuple[str, bytes]:
    """The file name and bytes ``generate.generate`` writes for report ``number`` (any corpus size:
    a report depends only on its number and the seed)."""
    average_kb = inspect.signature(generate.generate).parameters["average_kb"].default
    report = generate.Report(number, seed, seeds)
    text = report.render(generate.report_size(generate.rng_for("size", seed, number), average_kb))
    return f"{report.name}.txt", text.encode("utf-8")


def check_corpus(folder: Path, size: int, seed: int) -> str | None:
    """Why ``folder`` is not what ``generate(size, seed)`` gives, or None when it is.

    Every file name is checked (names come from the per-report generator, so this is cheap) and
    the bytes of five reports spread over the corpus are regenerated and compared.
    """
    seeds = generate.load_seeds()
    present = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    expected = [f"{generate.Report(n, seed, seeds).name}.txt" for n in range(size)]
    if present != expected:
        extra, missing = sorted(set(present) - set(expected)), sorted(set(expected) - set(present))
        return f"{len(present)} files; not in seed {seed}'s {size}: {extra[:3]}; missing: {missing[:3]}"
    for number in sorted({0, size // 4, size // 2, 3 * size // 4, size - 1}):
        name, data = expected_report(number, seed, seeds)
        if (folder / name).read_bytes() != data:
            return f"{name} differs from what seed {seed} gives"
    return None


def reusable(folder: Path, size: int, seed: int) -> bool:
    """Whether ``folder`` holds the corpus of ``size`` reports with ``seed``: False when it is
    absent or empty; an exit, with what differs, when it holds something else."""
    if not (folder.is_dir() and any(folder.iterdir())):
        return False
    problem = check_corpus(folder, size, seed)
    if problem:
        raise SystemExit(f"[compare] {folder} is not the corpus of {size} reports with seed {seed}: {problem}. "
                         "Remove it or point --corpora elsewhere.")
    return True


def corpus_for(size: int, args, scratch: Path) -> tuple[Path, str]:
    """(folder, "reused" or "generated") for ``size`` reports: ``--corpora DIR/corpus-<n>`` when it
    holds the right corpus, else generated (into ``--corpora`` when given, to be reused next time)."""
    folder = (Path(args.corpora).resolve() if args.corpora else scratch) / f"corpus-{size}"
    if args.corpora and reusable(folder, size, args.seed):
        say(f"{size}: reusing {folder} (checked against seed {args.seed})")
        return folder, "reused"
    started = time.perf_counter()
    generate.generate(size, args.seed, folder)
    say(f"{size}: generated {folder} in {time.perf_counter() - started:.0f} s")
    return folder, "generated"


# --- running bench.py --------------------------------------------------------------------------------------------
def bench_options(args) -> list[str]:
    """The bench.py options every run of this comparison shares (what a saved run must match)."""
    options = ["--seed", str(args.seed)]
    if args.quick:
        options.append("--quick")
    for name in PASSED:
        value = getattr(args, name)
        if value is not None:
            options += ["--" + name.replace("_", "-"), str(value)]
    if args.no_http:
        options.append("--no-http")
    return options


def saved_run(path: Path, options: list[str]) -> bool:
    """Whether ``path`` holds a finished run made with ``options``."""
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
        return result.get("compare", {}).get("options") == options and "rss_mb" in result
    except (OSError, ValueError):
        return False


def run_bench(size: int, engine: str, corpus: Path, source: str, args, out: Path) -> Row:
    """bench.py in a process of its own; its JSON saved to ``out/<size>-<engine>.json``."""
    options = bench_options(args)
    command = [sys.executable, str(BENCH), "--corpus", str(corpus), "--engine", engine, "--json", "--verbose", *options]
    stem = f"{size}-{engine}"
    log_path, partial = out / f"{stem}.log", out / f"{stem}.json.partial"
    started_at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    say(f"{size} {engine}: running (load average {os.getloadavg()[0]:.1f}; progress in {log_path})")
    started = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as log, open(partial, "wb") as stdout:
        log.write(" ".join(command) + "\n")
        log.flush()
        process = subprocess.Popen(command, cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE, text=True)
        for line in process.stderr:
            log.write(line)
            log.flush()
            if args.verbose:
                sys.stderr.write(f"[{size} {engine}] {line}")
        process.wait()
    wall = round(time.perf_counter() - started, 1)
    failed_note = out / f"{stem}.failed"
    try:
        if process.returncode != 0:
            raise RuntimeError(f"bench.py exited with {process.returncode}")
        result = json.loads(partial.read_text(encoding="utf-8"))
    except (RuntimeError, ValueError) as error:
        tail = _log_tail(log_path)
        summary = f"{error}: {tail.splitlines()[-1] if tail else 'no output'} (log: {log_path})"
        failed_note.write_text(summary + "\n\n" + tail + "\n", encoding="utf-8")
        partial.unlink(missing_ok=True)
        say(f"{size} {engine}: FAILED after {wall:.0f} s: {summary}")
        return Row(size, engine, error=summary)
    result["compare"] = {"size": size, "seed": args.seed, "options": options, "corpus": str(corpus),
                         "corpus_source": source, "wall_s": wall, "started": started_at, "command": command}
    path = out / f"{stem}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    partial.unlink()
    failed_note.unlink(missing_ok=True)
    row = row_of(size, engine, result)
    say(f"{size} {engine}: done in {wall:.0f} s — p50/p95 {_fmt(row.p50_ms)}/{_fmt(row.p95_ms)} ms, "
        f"build {_fmt(row.build_mb_s)} MB/s; load average {_fmt(row.load_start)} at start, {_fmt(row.load_end)} at end")
    return row


def _log_tail(path: Path, lines: int = 12) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return "\n".join(text[-lines:])


def plan(args) -> list[tuple[int, list[str]]]:
    """[(size, engines to run at it)], smallest size first; --tantivy-sizes add Tantivy-only sizes."""
    sizes = [QUICK_SIZE] if args.quick and not args.sizes else _ints(args.sizes or "50,500,2000")
    extra = [] if args.quick and not args.tantivy_sizes else _ints(args.tantivy_sizes or "")
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    steps = []
    for size in sorted(set(sizes) | set(extra)):
        chosen = list(engines) if size in sizes else []
        if size in extra and "tantivy" not in chosen:
            chosen.append("tantivy")
        steps.append((size, chosen))
    return steps


def _ints(text: str) -> list[int]:
    try:
        values = [int(v.replace("_", "")) for v in text.split(",") if v.strip()]
    except ValueError:
        raise SystemExit(f"[compare] not a list of sizes: {text!r} (e.g. 50,500,2000)")
    if any(v < 1 for v in values):
        raise SystemExit(f"[compare] sizes must be positive: {text!r}")
    return values


def measure(args, out: Path) -> None:
    """Run every planned (size, engine) not yet saved in ``out`` with these options."""
    options = bench_options(args)
    steps = [(size, [e for e in engines if not saved_run(out / f"{size}-{e}.json", options)]) for size, engines in plan(args)]
    if args.corpora:  # a wrong corpus is found now, not after hours of runs at the smaller sizes
        for size, todo in steps:
            if todo:
                reusable(Path(args.corpora).resolve() / f"corpus-{size}", size, args.seed)
    scratch = Path(tempfile.mkdtemp(prefix="searchsvc-compare-corpora-"))
    try:
        for (size, engines), (_, todo) in zip(plan(args), steps):
            for engine in engines:
                if engine not in todo:
                    say(f"{size} {engine}: already measured in {out / f'{size}-{engine}.json'}, not run again")
            if not todo:
                continue
            corpus, source = corpus_for(size, args, scratch)
            for engine in todo:
                stale = out / f"{size}-{engine}.json"
                if stale.exists():  # made with other options (or unfinished): kept aside, not tabled
                    stale.replace(out / f"{size}-{engine}.replaced.json")
                    say(f"{size} {engine}: {stale.name} was made with other options; moved to "
                        f"{size}-{engine}.replaced.json")
                run_bench(size, engine, corpus, source, args, out)
            if not args.corpora:
                shutil.rmtree(corpus, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def say(message: str) -> None:
    print(f"[compare] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="corpus sizes for every engine (default 50,500,2000; --quick: 20)")
    parser.add_argument("--engines", default="whoosh,tantivy", help="engines, in running order (default %(default)s)")
    parser.add_argument("--tantivy-sizes", help="sizes at which only Tantivy runs, e.g. 10000")
    parser.add_argument("--seed", type=int, default=1, help="corpus and query-mix seed (default %(default)s)")
    parser.add_argument("--out", help="folder for each run's JSON and log (default: a new temporary folder); "
                                      "runs already saved there with the same options are not run again")
    parser.add_argument("--corpora", help="folder of corpus-<n> folders: reused when they match --seed, "
                                          "else generated there (default: generated into a temporary folder)")
    parser.add_argument("--table-only", metavar="DIR", help="only print the tables from the runs saved in DIR")
    parser.add_argument("--quick", action="store_true", help="20 reports, bench.py --quick (for CI)")
    parser.add_argument("--json", action="store_true", help="print rows, baseline and targets as JSON")
    parser.add_argument("--verbose", action="store_true", help="show bench.py's progress too")
    bench = parser.add_argument_group("passed to bench.py")
    bench.add_argument("--queries", type=int, help="timed passes over the query mix")
    bench.add_argument("--per-kind", type=int, help="distinct queries per kind")
    bench.add_argument("--http-per-kind", type=int, help="HTTP requests per kind")
    bench.add_argument("--workers", type=int, help="gunicorn workers for the HTTP run")
    bench.add_argument("--no-http", action="store_true", help="skip the HTTP measurements")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.table_only:
        folder = Path(args.table_only)
        if not folder.is_dir():
            raise SystemExit(f"[compare] no folder {folder}")
        rows = load_rows(folder)
        if not rows:
            raise SystemExit(f"[compare] no <n>-<engine>.json runs in {folder}")
    else:
        try:
            from searchsvc.engines import ENGINES as KNOWN
        except Exception:  # the engines are being edited: let bench.py report what is wrong
            KNOWN = None
        unknown = [e for _, engines in plan(args) for e in engines if KNOWN is not None and e not in KNOWN]
        if unknown:
            raise SystemExit(f"[compare] unknown engine(s) {', '.join(sorted(set(unknown)))}; known: {', '.join(KNOWN)}")
        out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="searchsvc-compare-"))
        out.mkdir(parents=True, exist_ok=True)
        say(f"saving runs in {out.resolve()} (re-print with --table-only {out})")
        measure(args, out)
        planned = {(size, engine) for size, engines in plan(args) for engine in engines}
        rows = [r for r in load_rows(out) if (r.size, r.engine) in planned]
        (out / "table.md").write_text(render(rows), encoding="utf-8")
        say(f"runs and table.md in {out.resolve()}")
    if args.json:
        json.dump(render_json(rows), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(rows))
    return 1 if any(r.error for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
