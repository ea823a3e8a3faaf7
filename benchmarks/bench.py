"""Benchmark searchsvc at scale: index build, search latency (library and HTTP), cold start, memory.

    python benchmarks/bench.py --reports 500                # generate 500 reports, build, measure
    python benchmarks/bench.py --corpus corpus/ --json      # an existing corpus, JSON output
    python benchmarks/bench.py --quick                      # 20 reports, a few queries (< 1 min)
    python benchmarks/bench.py --reports 500 --profile phrase_folded   # + cProfile of one query kind

Steps, each timed: generate a corpus (``generate.py``, into a temporary folder) unless
``--corpus`` is given; build the index in full with ``searchsvc.indexing.build_index``; run a
fixed query mix through ``searchsvc.searching.search`` with one warm ``SearchIndex`` (every search
computes all facets and snippets, as the web pages do); the same mix over HTTP against
``python -m searchsvc.cli serve`` on a free loopback port (skipped, with the reason, when the web
layer is not importable); a cold start in a fresh process (open the index, first query); an
incremental update after one report changed, and a re-check when nothing changed.

The query mix is built from the corpus with a fixed seed, so two runs on the same corpus run the
same queries. Kinds: instrument references ("Nghị quyết 84/NQ-CP"), single syllables and 2–4
unquoted syllables (implicit AND), quoted 2–6-syllable phrases, explicit "a" AND "b", each with and
without diacritics where that applies, each with and without a province/year filter.

Nothing here asserts a time: the numbers are for reading and comparing.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import math
import os
import platform
import pstats
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (str(ROOT), str(HERE)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import generate  # noqa: E402  (benchmarks/generate.py)



def _engines() -> tuple[str, ...]:
    """The engines the library knows (``searchsvc.engines.ENGINES``); whoosh if it names none."""
    try:
        from searchsvc.engines import ENGINES as KNOWN
    except ImportError:
        return ("whoosh",)
    return tuple(sorted(KNOWN))


ENGINES = _engines()
QUICK = {"reports": 20, "per_kind": 3, "queries": 1, "http_per_kind": 2}
DEFAULTS = {"reports": 500, "per_kind": 10, "queries": 3, "http_per_kind": 8}
BASE_KINDS = ("instrument", "word", "word_folded", "words", "words_folded", "phrase", "phrase_folded", "and")


# --- measuring helpers ------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summarize(samples: list[tuple]) -> dict:
    """{n, p50_ms, p95_ms, p99_ms, mean_ms, max_ms, hits_mean[, cpu_mean_ms]} of (wall ms, hits[,
    CPU ms]) samples. CPU time is what to compare on a shared machine: wall time includes waiting."""
    times = [s[0] for s in samples]
    if not times:
        return {"n": 0}
    cpu = {}
    if len(samples[0]) > 2:
        cpu_times = [s[2] for s in samples]
        cpu = {"cpu_p50_ms": round(percentile(cpu_times, 50), 2), "cpu_p95_ms": round(percentile(cpu_times, 95), 2),
               "cpu_mean_ms": round(sum(cpu_times) / len(cpu_times), 2)}
    return cpu | {
        "n": len(times),
        "p50_ms": round(percentile(times, 50), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "p99_ms": round(percentile(times, 99), 2),
        "mean_ms": round(sum(times) / len(times), 2),
        "max_ms": round(max(times), 2),
        "hits_mean": round(sum(s[1] for s in samples) / len(samples), 1),
    }


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (a build's worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def max_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size so far (Linux reports KB).

    For RUSAGE_CHILDREN it is the largest waited-for descendant — and Linux counts in a child the
    pages of this process it was forked from, so it is at least our own RSS at the time of the
    fork; children report their own VmHWM too (cold start, server workers)."""
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file() and not p.is_symlink())


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).iterdir() if p.is_file())


# --- the query mix ------------------------------------------------------------------------------------
_SEGMENT_SPLIT = re.compile(r"[,.;:()\[\]“”\"'!?…/%*+\-–—]|\d")


def _segments(line: str) -> list[list[str]]:
    """Runs of plain syllables between punctuation and figures: where phrases come from."""
    out = []
    for segment in _SEGMENT_SPLIT.split(line):
        words = [w.lower() for w in segment.split() if w.isalpha()]
        if len(words) >= 2:
            out.append(words)
    return out


def _slice(rng: random.Random, segments: list[list[str]], low: int, high: int) -> list[str]:
    length = rng.randint(low, high)
    candidates = [s for s in segments if len(s) >= length] or segments
    segment = rng.choice(candidates)
    length = min(length, len(segment))
    start = rng.randrange(len(segment) - length + 1)
    return segment[start : start + length]


def build_query_mix(corpus: Path, index, per_kind: int, seed: int) -> list[dict]:
    """The fixed mix: ``per_kind`` queries of every kind, each also with a filter.

    Text queries are cut from paragraphs of sampled reports and an AND query joins two pieces of
    one paragraph, so most queries find something; the filter of a query is the province, the
    year or both of a report it came from (a filter that narrows, rather than one that empties).
    """
    from searchsvc.normalize import fold

    rng = generate.rng_for("queries", seed)
    files = sorted(p for p in Path(corpus).rglob("*.txt"))
    sample = [files[i] for i in sorted(rng.sample(range(len(files)), min(len(files), 25)))]
    paragraphs = []  # (report facts, segments of one paragraph)
    for path in sample:
        report = index.report(path.stem) or {}
        facts = (report.get("province"), report.get("year"))
        for line in path.read_text(encoding="utf-8", errors="replace").split("\n"):
            segments = _segments(line)
            if sum(len(s) for s in segments) >= 8:
                paragraphs.append((facts, segments))

    citations = index.citations()
    citing: dict[str, list[tuple]] = {}
    first_record = {}
    for records in citations.values():
        for record in records:
            first_record.setdefault(record["key"], record)
        for key in dict.fromkeys(r["key"] for r in records):
            citing.setdefault(key, []).append((records[0]["province"], records[0]["report_year"]))
    keys = sorted(citing, key=lambda k: (-len(citing[k]), k))
    popular, rest = keys[: max(1, len(keys) // 20)], keys[len(keys) // 20 :] or keys

    def query_of(kind: str) -> tuple[str, tuple]:
        if kind == "instrument":
            key = rng.choice(popular if rng.random() < 0.5 else rest)
            record = first_record[key]
            text = f"{record['type']} {record['canonical']}" if rng.random() < 0.7 else record["canonical"]
            return text, rng.choice(citing[key])
        facts, segments = rng.choice(paragraphs)
        if kind.startswith("words"):
            text = " ".join(_slice(rng, segments, 2, 4))
        elif kind.startswith("word"):
            text = rng.choice([w for s in segments for w in s if len(w) > 1])
        elif kind.startswith("phrase"):
            text = '"' + " ".join(_slice(rng, segments, 2, 6)) + '"'
        else:  # two pieces of one paragraph: "a b" AND "c d"
            text = '"' + " ".join(_slice(rng, segments, 2, 3)) + '" AND "' + " ".join(_slice(rng, segments, 1, 2)) + '"'
        return (fold(text) if kind.endswith("_folded") else text), facts

    mix = []
    for kind in BASE_KINDS:
        for number in range(per_kind):
            q, (province, year) = query_of(kind)
            options = [{"province": [province]} if province else {}, {"year": [str(year)]} if year else {},
                       {"province": [province], "year": [str(year)]} if province and year else {}]
            mix.append({"kind": kind, "q": q, "filters": {}})
            mix.append({"kind": kind + "+filter", "q": q, "filters": options[number % 3]})
    return mix


def run_library(index, mix: list[dict], passes: int) -> dict[str, list[tuple[float, int]]]:
    from searchsvc.models import SearchRequest
    from searchsvc.searching import search

    samples: dict[str, list[tuple[float, int, float]]] = {}
    for _ in range(passes):
        for item in mix:
            request = SearchRequest(q=item["q"], filters=item["filters"])
            started, cpu = time.perf_counter(), time.process_time()
            results = search(index, request)
            elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
            samples.setdefault(item["kind"], []).append((elapsed, results.total, cpu))
    return samples


def profile_kind(index, mix: list[dict], kind: str, top: int = 25) -> str:
    """cProfile of one pass over the queries of ``kind``: the top functions by own and total time."""
    from searchsvc.models import SearchRequest
    from searchsvc.searching import search

    items = [m for m in mix if m["kind"] == kind]
    if not items:
        return f"no queries of kind {kind!r} (kinds: {', '.join(sorted({m['kind'] for m in mix}))})"
    profiler = cProfile.Profile(time.process_time)  # CPU time: stable on a busy machine
    profiler.enable()
    for item in items:
        search(index, SearchRequest(q=item["q"], filters=item["filters"]))
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write(f"cProfile (CPU time) of {len(items)} '{kind}' searches\n")
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# --- cold start ------------------------------------------------------------------------------------------
_COLD = r"""
import json, sys, time
started = time.perf_counter()
sys.path.insert(0, {root!r})
from searchsvc.engine import SearchIndex
from searchsvc.models import SearchRequest
from searchsvc.searching import search
imported = time.perf_counter()
index = SearchIndex({index!r})
opened = time.perf_counter()
results = search(index, SearchRequest(q={q!r}))
done = time.perf_counter()
try:  # VmHWM is this process's own peak; ru_maxrss would include the parent it was forked from
    hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
    peak = round(int(hwm) / 1024, 1)
except (OSError, IndexError):
    peak = None
print(json.dumps({{"import_s": imported - started, "open_s": opened - imported,
                  "first_query_s": done - opened, "hits": results.total, "peak_rss_mb": peak}}))
"""


def cold_start(index_dir: Path, q: str) -> dict:
    script = _COLD.format(root=str(ROOT), index=str(index_dir), q=q)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"cold start failed:\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result = {k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}
    result["process_wall_s"] = round(wall, 3)
    return result


# --- incremental update --------------------------------------------------------------------------------
def incremental(corpus: Path, index_dir: Path, workdir: Path, build_index) -> dict:
    """Change one report, update; then a check with nothing changed; then restore the original.

    The changed corpus is a mirror of symbolic links with one real, edited file, so a corpus given
    with --corpus is never written to.
    """
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))
    target = files[len(files) // 2]
    mirror = workdir / "corpus-changed"
    shutil.rmtree(mirror, ignore_errors=True)
    for path in files:
        link = mirror / path.relative_to(corpus)
        link.parent.mkdir(parents=True, exist_ok=True)
        if path == target:
            text = path.read_text(encoding="utf-8")
            link.write_text(text.rstrip("\n") + "\n\nGhi chú: số liệu được cập nhật bổ sung cho kỳ báo cáo.\n", encoding="utf-8")
        else:
            link.symlink_to(path.resolve())
    started = time.perf_counter()
    changed = build_index(mirror, index_dir)
    update_s = time.perf_counter() - started
    started = time.perf_counter()
    build_index(mirror, index_dir)
    noop_s = time.perf_counter() - started
    started = time.perf_counter()
    build_index(corpus, index_dir)  # back to the real corpus: the changed report is updated again
    restore_s = time.perf_counter() - started
    shutil.rmtree(mirror, ignore_errors=True)
    return {
        "seconds": round(update_s, 3),
        "noop_seconds": round(noop_s, 3),
        "restore_seconds": round(restore_s, 3),
        "updated": len(changed.updated),
        "file": target.name,
    }


# --- HTTP ------------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 60.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _search_url(port: int, item: dict) -> str:
    params = [("q", item["q"])] + [(name, v) for name, values in item["filters"].items() for v in values]
    return f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode(params)


def _proc_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class ServerFailed(Exception):
    """``searchsvc serve`` did not come up; the message says why."""


@contextlib.contextmanager
def served(index_dir: Path, corpus: Path, workers: int, workdir: Path):
    """``python -m searchsvc.cli serve`` on a free loopback port, answering: yields (port, its
    process, seconds until it answered); stopped on leaving. Raises ``ServerFailed``."""
    port = _free_port()
    log_path = workdir / "serve.log"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    command = [sys.executable, "-m", "searchsvc.cli", "serve", "--index", str(index_dir), "--corpus", str(corpus),
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        started = time.perf_counter()
        probe = _search_url(port, {"q": "kinh tế", "filters": {}})
        while True:
            if server.poll() is not None:
                tail = log_path.read_text(errors="replace")[-1500:]
                raise ServerFailed(f"server exited with {server.returncode}: {tail}")
            try:
                status, _ = _get(probe, timeout=5)
                if status == 200:
                    break
                raise ServerFailed(f"GET /api/search answered {status}")
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                if time.perf_counter() - started > 120:
                    raise ServerFailed("server not answering after 120 s") from None
                time.sleep(0.2)
        yield port, server, time.perf_counter() - started
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def run_http(index_dir: Path, corpus: Path, mix: list[dict], per_kind: int, workers: int, workdir: Path) -> dict:
    """Time GET /api/search against ``searchsvc serve`` on 127.0.0.1 (sequential requests)."""
    try:
        import searchsvc.web  # noqa: F401  (only to know whether the server can start)
    except Exception as error:  # the web layer is being written: report why, do not fail
        return {"status": "skipped", "reason": f"web package not importable: {type(error).__name__}: {error}"}
    try:
        with served(index_dir, corpus, workers, workdir) as (port, server, ready_s):
            kinds = list(dict.fromkeys(m["kind"] for m in mix))
            chosen = [m for kind in kinds for m in [x for x in mix if x["kind"] == kind][:per_kind]]
            for item in chosen[: 2 * workers]:  # each worker opens the index on its first request
                _get(_search_url(port, item))
            samples: dict[str, list[tuple[float, int]]] = {}
            errors = 0
            for item in chosen:
                url = _search_url(port, item)
                started = time.perf_counter()
                status, body = _get(url)
                elapsed = (time.perf_counter() - started) * 1000
                if status != 200:
                    errors += 1
                    continue
                data = json.loads(body)
                samples.setdefault(item["kind"], []).append((elapsed, int(data.get("total", 0) or 0)))
            rss = [_proc_hwm_mb(pid) for pid in _children(server.pid)]
    except ServerFailed as error:
        return {"status": "failed", "reason": str(error)}
    return {
        "status": "ok",
        "reason": None,
        "workers": workers,
        "ready_s": round(ready_s, 3),
        "errors": errors,
        "worker_peak_rss_mb": max((r for r in rss if r is not None), default=None),
        "kinds": {k: summarize(v) for k, v in samples.items()},
        "overall": summarize([s for v in samples.values() for s in v]),
    }


# --- the run -----------------------------------------------------------------------------------------------
def run(args) -> dict:
    # everything the run needs is imported now, one consistent snapshot of the library
    from searchsvc.engine import SearchIndex
    from searchsvc.indexing import build_index, current_generation
    from searchsvc.models import SearchRequest  # noqa: F401
    from searchsvc.normalize import fold  # noqa: F401
    from searchsvc.searching import search  # noqa: F401

    workdir = Path(tempfile.mkdtemp(prefix="searchsvc-bench-"))
    result: dict = {
        "engine": args.engine,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "quick": args.quick,
    }
    stages: dict[str, float] = {}
    try:
        # corpus
        if args.corpus:
            corpus = Path(args.corpus).resolve()
            generated_s = None
        else:
            corpus = workdir / "corpus"
            started = time.perf_counter()
            generate.generate(args.reports, args.seed, corpus)
            generated_s = round(time.perf_counter() - started, 3)
        corpus_files = [p for p in corpus.rglob("*") if p.is_file()]
        corpus_bytes = sum(p.stat().st_size for p in corpus_files)
        result["corpus"] = {
            "path": str(corpus) if args.corpus else None,
            "reports": len(corpus_files),
            "bytes": corpus_bytes,
            "mb": round(corpus_bytes / 1e6, 2),
            "seed": None if args.corpus else args.seed,
            "generate_seconds": generated_s,
        }
        stages["after_generate"] = max_rss_mb()
        log(args, f"corpus: {len(corpus_files)} files, {corpus_bytes / 1e6:.1f} MB")

        # full build
        index_dir = Path(args.index).resolve() if args.index else workdir / "index"
        started, cpu = time.perf_counter(), cpu_seconds()
        summary = build_index(corpus, index_dir, full=True, engine=args.engine)
        build_s, build_cpu = time.perf_counter() - started, cpu_seconds() - cpu
        stages["after_build"] = max_rss_mb()
        live = current_generation(index_dir)
        result["build"] = {
            "seconds": round(build_s, 3),
            "mb_per_s": round(corpus_bytes / 1e6 / build_s, 3),
            "cpu_seconds": round(build_cpu, 3),
            "mb_per_cpu_s": round(corpus_bytes / 1e6 / build_cpu, 3),
            "reports_per_s": round(summary.reports / build_s, 2),
            "reports": summary.reports,
            "sections": summary.sections,
            "citations": summary.citations,
            "instruments": summary.instruments,
            "skipped": len(summary.skipped),
        }
        result["index"] = {
            "bytes": tree_bytes(live),
            "mb": round(tree_bytes(live) / 1e6, 2),
            "engine_mb": round(tree_bytes(live / args.engine) / 1e6, 2),
            "reports_json_mb": round(tree_bytes(live / "reports") / 1e6, 2),
            "citations_json_mb": round((live / "citations.json").stat().st_size / 1e6, 2),
            "ratio_to_corpus": round(tree_bytes(live) / max(1, corpus_bytes), 2),
        }
        log(args, f"built in {build_s:.1f} s")

        # library search, warm
        started = time.perf_counter()
        index = SearchIndex(index_dir)
        open_s = time.perf_counter() - started
        mix = build_query_mix(corpus, index, args.per_kind, args.seed)
        kinds = list(dict.fromkeys(m["kind"] for m in mix))
        warm = [next(m for m in mix if m["kind"] == kind) for kind in kinds]
        run_library(index, warm, 1)
        samples = run_library(index, mix, args.queries)
        stages["after_search"] = max_rss_mb()
        result["search"] = {
            "open_s": round(open_s, 3),
            "queries": len(mix),
            "passes": args.queries,
            "kinds": {k: summarize(samples[k]) for k in kinds},
            "overall": summarize([s for k in kinds for s in samples[k]]),
        }
        result["query_mix"] = [{"kind": m["kind"], "q": m["q"], "filters": m["filters"]} for m in mix]
        log(args, "library searches done")
        if args.profile:
            report = profile_kind(index, mix, args.profile)
            result["profile"] = {"kind": args.profile}
            print(report, file=sys.stderr)
        index.close()

        # HTTP
        if args.no_http:
            result["http"] = {"status": "skipped", "reason": "--no-http"}
        else:
            result["http"] = run_http(index_dir, corpus, mix, args.http_per_kind, args.workers, workdir)
        log(args, f"http: {result['http']['status']}")

        # cold start, then the incremental update (it replaces the live generation)
        first = next(m for m in mix if m["kind"] == "words")
        result["cold_start"] = cold_start(index_dir, first["q"])
        result["incremental"] = incremental(corpus, index_dir, workdir, build_index)
        stages["after_incremental"] = max_rss_mb()
        result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        result["rss_mb"] = {
            "self_peak": max_rss_mb(),
            "children_peak": max_rss_mb(resource.RUSAGE_CHILDREN),
            "stages": stages,
        }
    finally:
        if args.keep:
            log(args, f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return result


def log(args, message: str) -> None:
    if not args.json or args.verbose:
        print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- the table --------------------------------------------------------------------------------------------
def _latency_table(title: str, kinds: dict, overall: dict) -> list[str]:
    cpu = "cpu_mean_ms" in overall
    cpu_head = f"{'cpu p50':>9}{'cpu p95':>9}{'cpu mean':>9}" if cpu else ""
    lines = [title, f"  {'kind':<24}{'n':>6}{'p50':>9}{'p95':>9}{'p99':>9}{'mean':>9}{cpu_head}{'hits':>9}"]
    for name, s in [*kinds.items(), ("overall", overall)]:
        if not s.get("n"):
            continue
        lines.append(f"  {name:<24}{s['n']:>6}{s['p50_ms']:>9.1f}{s['p95_ms']:>9.1f}{s['p99_ms']:>9.1f}"
                     f"{s['mean_ms']:>9.1f}" + (f"{s.get('cpu_p50_ms', math.nan):>9.1f}{s.get('cpu_p95_ms', math.nan):>9.1f}{s['cpu_mean_ms']:>9.1f}" if cpu else "")
                     + f"{s['hits_mean']:>9.0f}")
    return lines


def table(r: dict) -> str:
    c, b, i, cs, inc, rss = r["corpus"], r["build"], r["index"], r["cold_start"], r["incremental"], r["rss_mb"]
    gen = f", generated in {c['generate_seconds']:.1f} s (seed {c['seed']})" if c["generate_seconds"] is not None else ""
    lines = [
        f"searchsvc benchmark — engine {r['engine']}, Python {r['python']}, {r['cpus']} CPUs, "
        f"load average {r['load_average'][0]:.1f} at start, {r['load_average_after'][0]:.1f} at end",
        f"Corpus              {c['reports']} reports, {c['mb']:.1f} MB{gen}",
        f"Index build (full)  {b['seconds']:.1f} s = {b['mb_per_s']:.3f} MB/s, {b['reports_per_s']:.1f} reports/s; "
        f"CPU {b['cpu_seconds']:.1f} s = {b['mb_per_cpu_s']:.3f} MB/CPU-s "
        f"({b['sections']} sections, {b['citations']} citations, {b['instruments']} instruments)",
        f"Index on disk       {i['mb']:.1f} MB = {i['ratio_to_corpus']:.1f}× corpus ({r['engine']} {i['engine_mb']:.1f}, "
        f"reports/*.json {i['reports_json_mb']:.1f}, citations.json {i['citations_json_mb']:.1f})",
        f"Incremental update  {inc['seconds']:.2f} s for 1 changed report; nothing changed {inc['noop_seconds']:.2f} s",
        f"Cold start          {cs['import_s'] + cs['open_s'] + cs['first_query_s']:.2f} s = import {cs['import_s']:.2f} + "
        f"open {cs['open_s']:.2f} + first query {cs['first_query_s']:.2f} (process wall {cs['process_wall_s']:.2f} s)",
        f"Peak RSS            self {rss['self_peak']:.0f} MB (" + ", ".join(f"{k} {v:.0f}" for k, v in rss["stages"].items())
        + f"); children ru_maxrss {rss['children_peak']:.0f} MB (counts this process's pages at fork), "
        f"cold-start process VmHWM {cs.get('peak_rss_mb')} MB",
        "",
    ]
    s = r["search"]
    lines += _latency_table(f"search() latency in ms, wall and CPU — warm searcher, {s['queries']} queries × {s['passes']} passes:",
                            s["kinds"], s["overall"])
    h = r["http"]
    lines.append("")
    if h["status"] == "ok":
        lines += _latency_table(
            f"GET /api/search latency in ms — {h['workers']} gunicorn workers, sequential, ready after {h['ready_s']:.1f} s, "
            f"worker peak RSS {h['worker_peak_rss_mb']} MB, errors {h['errors']}:",
            h["kinds"], h["overall"])
    else:
        lines.append(f"HTTP: {h['status']} — {h['reason']}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", help="benchmark this corpus folder instead of generating one")
    parser.add_argument("--reports", type=int, help=f"reports to generate (default {DEFAULTS['reports']})")
    parser.add_argument("--seed", type=int, default=1, help="generator and query-mix seed (default %(default)s)")
    parser.add_argument("--index", help="build the index here (default: a temporary folder)")
    parser.add_argument("--queries", type=int, help=f"timed passes over the query mix (default {DEFAULTS['queries']})")
    parser.add_argument("--per-kind", type=int, help=f"distinct queries per kind (default {DEFAULTS['per_kind']})")
    parser.add_argument("--http-per-kind", type=int, help=f"HTTP requests per kind (default {DEFAULTS['http_per_kind']})")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for the HTTP run (default %(default)s)")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP measurements")
    parser.add_argument("--quick", action="store_true", help="tiny run: 20 reports, few queries (under a minute)")
    parser.add_argument("--engine", choices=ENGINES, default="whoosh", help="search engine (default %(default)s)")
    parser.add_argument("--profile", metavar="KIND", help="also print a cProfile of one query kind (e.g. phrase_folded)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (corpus, index, server log)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--verbose", action="store_true", help="progress on stderr even with --json")
    args = parser.parse_args(argv)
    preset = QUICK if args.quick else DEFAULTS
    for name in ("reports", "queries", "per_kind", "http_per_kind"):
        if getattr(args, name) is None:
            setattr(args, name, preset[name])
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(args)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
