"""Load test: many concurrent clients against ``searchsvc serve``, optionally while the corpus is reindexed.

    python benchmarks/loadtest.py                              # 500 reports, 32 clients, 60 s
    python benchmarks/loadtest.py --reindex                    # the same while `searchsvc index` runs
    python benchmarks/loadtest.py --quick [--reindex] [--json] # 30 reports, 8 clients, 5 s
    python benchmarks/loadtest.py --workdir /tmp/lt500         # keep corpus and index between runs

Steps: generate a corpus (``generate.py``, deterministic) into ``WORKDIR/corpus``; bring
``WORKDIR/index`` up to date with ``python -m searchsvc.cli index`` (incremental, so a kept workdir
is ready at once); start ``python -m searchsvc.cli serve`` on a free 127.0.0.1 port with its default
worker count (one per core) unless ``--workers``; then ``--clients`` threads, each with its own
connections (``http.client``, one connection per request, so every error is the server's), send a
fixed-seed mix of requests for ``--seconds`` or until ``--max-requests``:

    api_search    /api/search?q=… (+ a province/year filter one time in two)
    html_search   /?q=… (+ filters), the HTML page with facets
    browse        /?province=…&year=…, facets only
    report        /reports/<id>[?q=…]     report_api  /api/reports/<id>
    instruments   /instruments?…          instrument  /instruments/<key>   instrument_api  /api/instruments/<key>
    health        /healthz

A request fails when it does not answer 200 (or a redirect for an instrument key) within
``--timeout``, when its body does not parse, or when the answer contradicts itself (a search with
more hits than its total, a facet count above the number of reports, a report that is not the one
asked for) or the index (below). After the run the server log is searched for tracebacks and
worker timeouts; each counts as a failure too.

``--reindex`` (serving while indexing): a mutator thread changes the corpus in rounds — adds a
report carrying a unique marker word, appends a marker to an existing report, removes the report it
added the round before — and runs ``python -m searchsvc.cli index`` each round, while the load runs.
Checks: ``/healthz`` generation never goes backwards for a client; every generation a client sees
always answers with one set of counts, the reports and citations its indexing run printed, so no
answer mixes two indexes; a marker search (``reindexprobe``) always finds a number of
added reports that some generation had. After each switch (``CURRENT`` replaced) the new report is
searched for on fresh connections until found — printed: when the search that found it was sent
and when it was answered, in seconds after the switch (the first includes the indexing process
exiting, the second the queue of the load) — and must then be found by every worker; the modified
report is found by its new marker; the removed one is gone (404).

Printed: a latency table (p50/p95/p99/max per kind, throughput) or, with ``--json``, one object.
The exit status is 1 when any request failed. Loopback only; the server is always stopped (its
process group is killed).
"""
from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (str(ROOT), str(HERE)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import generate  # noqa: E402  (benchmarks/generate.py)
from searchsvc import settings  # noqa: E402

__all__ = ["Options", "run", "main", "percentile", "QUICK", "FULL"]

FULL = {"reports": 500, "clients": 32, "seconds": 60.0, "max_requests": 1_000_000}
QUICK = {"reports": 30, "clients": 8, "seconds": 5.0, "max_requests": 5_000}
# (kind, weight): searches dominate, as on a search site; every page kind is in the mix.
MIX = [
    ("api_search", 26), ("html_search", 22), ("browse", 6), ("report", 14), ("report_api", 6),
    ("instruments", 6), ("instrument", 10), ("instrument_api", 4), ("health", 6),
]
# Query words and phrases of the domain (DOMAIN.md), with and without diacritics.
WORDS = [
    "đầu tư công", "giải ngân", "giai ngan", "kinh tế - xã hội", "tăng trưởng", "xuất khẩu", "nông nghiệp",
    "\"cải cách hành chính\"", "covid", "y tế", "giáo dục", "ngân sách", "thu ngân sách", "du lịch",
    "chuyển đổi số", "hạ tầng giao thông", "an ninh trật tự", "doanh nghiệp", "xây dựng nông thôn mới",
    "tai nguyen moi truong", "phòng, chống dịch", "dịch vụ công trực tuyến", "khu công nghiệp",
    "đầu tư OR giải ngân", "\"thủ tục hành chính\" -thuế", "(giáo dục OR y tế) AND chất lượng",
]
MARKER_WORD = "reindexprobe"  # in every report the mutator adds (letters only: one token)
SERVER_PROBLEMS = re.compile(r"Traceback|\[CRITICAL\]|WORKER TIMEOUT|Worker \(pid:\d+\) was sent|\[ERROR\]")
CONTENT_TYPES = {"json": "application/json", "html": "text/html"}


@dataclass
class Options:
    reports: int = FULL["reports"]
    clients: int = FULL["clients"]
    seconds: float = FULL["seconds"]
    max_requests: int = FULL["max_requests"]
    seed: int = 1
    workers: int | None = None  # None: the server's default (one per core)
    reindex: bool = False
    reindex_pause: float | None = None  # seconds between reindex rounds (default: seconds / 20)
    timeout: float = 120.0  # per request; above gunicorn's 60 s worker timeout on purpose
    min_rounds: int = 1  # with reindex: the load goes on past ``seconds`` and ``max_requests`` until this many rounds ended
    workdir: str | None = None  # None: a temporary folder, removed afterwards
    verbose: bool = True


# --- small helpers --------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_summary(milliseconds: list[float]) -> dict:
    if not milliseconds:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    return {
        "n": len(milliseconds),
        "p50_ms": round(percentile(milliseconds, 50), 1),
        "p95_ms": round(percentile(milliseconds, 95), 1),
        "p99_ms": round(percentile(milliseconds, 99), 1),
        "max_ms": round(max(milliseconds), 1),
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env() -> dict:
    return dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))


def fetch(port: int, path: str, timeout: float) -> tuple[int, dict, bytes]:
    """GET ``path`` on a fresh loopback connection: (status, lower-cased headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Connection": "close", "Accept-Encoding": "identity"})
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def url(path: str, **params) -> str:
    pairs = [(k, v) for k, values in params.items() for v in (values if isinstance(values, list) else [values])]
    return path + ("?" + urllib.parse.urlencode(pairs) if pairs else "")


def marker(kind: str, number: int) -> str:
    """A word no report contains, letters only so that it stays one token: marker("moi", 3) == "zqdmoi"."""
    letters = "".join("abcdefghij"[int(d)] for d in str(number))
    return f"zq{letters}{kind}"


# --- corpus, index, server ---------------------------------------------------------------------------------
def prepare_corpus(folder: Path, reports: int, seed: int) -> list[Path]:
    """Generate the corpus into ``folder``; drop files a previous run (or --reindex) left there."""
    paths = generate.generate(reports, seed, folder)
    keep = {p.name for p in paths}
    for path in folder.iterdir():
        if path.name not in keep:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
    return paths


def run_index(corpus: Path, index: Path, timeout: float = 3600) -> dict:
    """``searchsvc index --json`` in a child process: its summary, plus wall time and the switch time."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "searchsvc.cli", "index", "--corpus", str(corpus), "--index", str(index), "--json"],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"searchsvc index failed ({done.returncode}): {done.stderr[-2000:]}")
    summary = json.loads(done.stdout)
    summary["wall_s"] = time.perf_counter() - started
    summary["switched_at"] = (index / "CURRENT").stat().st_mtime
    return summary


class Server:
    """``searchsvc serve`` in its own process group on a free loopback port; ``stop()`` kills the group."""

    def __init__(self, index: Path, corpus: Path, log_path: Path, workers: int | None = None):
        self.port = free_port()
        self.log_path = log_path
        command = [sys.executable, "-m", "searchsvc.cli", "serve", "--index", str(index), "--corpus", str(corpus),
                   "--host", "127.0.0.1", "--port", str(self.port)]
        if workers:
            command += ["--workers", str(workers)]
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def wait_ready(self, timeout: float = 120.0) -> float:
        started = time.perf_counter()
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.log_tail()}")
            try:
                status, _, body = fetch(self.port, "/healthz", timeout=10)
                if status == 200:
                    return time.perf_counter() - started
                raise RuntimeError(f"/healthz answered {status}: {body[:500]!r}")
            except OSError:
                if time.perf_counter() - started > timeout:
                    raise RuntimeError(f"server not answering after {timeout:.0f} s: {self.log_tail()}") from None
                time.sleep(0.1)

    def wait_workers(self, expected: int, timeout: float = 30.0) -> int:
        """The number of worker processes, once ``expected`` of them are up (or ``timeout``)."""
        deadline = time.monotonic() + timeout
        while len(self.worker_pids()) < expected and time.monotonic() < deadline:
            time.sleep(0.1)
        return len(self.worker_pids())

    def cpu_seconds(self) -> float:
        """CPU time used so far by the worker processes (user + system), from /proc."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
            except (OSError, IndexError, ValueError):
                pass
        return total / ticks

    def log_tail(self, size: int = 2000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-size:]
        except OSError:
            return ""

    def worker_pids(self) -> list[int]:
        try:
            return [int(c) for c in Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
            except ProcessLookupError:
                pass
        try:  # whatever is left of the group (a worker that outlived its arbiter)
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self.process.poll() is None:
            self.process.wait(timeout=15)


# --- what the clients ask for ---------------------------------------------------------------------------------
@dataclass
class Catalogue:
    """What a request can name: read once from the corpus files and the running server."""

    report_ids: list[str]
    instrument_keys: list[str]
    provinces: list[str]
    years: list[str]
    types: list[str]
    queries: list[str]


def discover(port: int, report_ids: list[str], timeout: float) -> Catalogue:
    status, _, body = fetch(port, url("/api/search", per_page="1"), timeout)
    if status != 200:
        raise RuntimeError(f"/api/search answered {status}")
    facets = json.loads(body)["facets"]
    values = {name: [v["value"] for v in facets.get(name, [])] for name in ("province", "year", "type")}
    keys: list[str] = []
    for page in (1, 2, 3):
        status, _, body = fetch(port, url("/api/instruments", per_page="100", page=str(page)), timeout)
        if status != 200:
            break
        listing = json.loads(body)
        keys += [i["key"] for i in listing["instruments"]]
        if page * 100 >= listing["total"]:
            break
    status, _, body = fetch(port, url("/api/instruments", per_page="50", sort="newest"), timeout)
    if status == 200:
        keys += [i["key"] for i in json.loads(body)["instruments"]]
    canonicals: list[str] = []
    status, _, body = fetch(port, url("/api/instruments", per_page="20"), timeout)
    if status == 200:
        canonicals = [f'{i["type"]} {i["canonical"]}' for i in json.loads(body)["instruments"] if i.get("type")]
    return Catalogue(
        report_ids=report_ids,
        instrument_keys=list(dict.fromkeys(keys)) or ["84_NQ-CP.2020"],
        provinces=values["province"] or ["Bắc Giang"],
        years=values["year"] or ["2020"],
        types=values["type"] or ["Nghị quyết"],
        queries=WORDS + canonicals,
    )


@dataclass
class Request:
    kind: str
    path: str
    expect: str  # "json" | "html"
    report_id: str | None = None


def next_request(rng: random.Random, catalogue: Catalogue, kind: str | None = None) -> Request:
    """A request of ``kind`` (default: drawn from ``MIX`` by weight) with fixed-seed parameters."""
    if kind is None:
        kinds, weights = zip(*MIX)
        kind = rng.choices(kinds, weights)[0]
    q = rng.choice(catalogue.queries)
    filters = {}
    if rng.random() < 0.5:
        filters["province"] = rng.choice(catalogue.provinces)
    if rng.random() < 0.3:
        filters["year"] = rng.choice(catalogue.years)
    if kind == "api_search":
        return Request(kind, url("/api/search", q=q, **filters, page=str(rng.choice([1, 1, 1, 2]))), "json")
    if kind == "html_search":
        return Request(kind, url("/", q=q, **filters, sort=rng.choice(["relevance", "relevance", "newest"])), "html")
    if kind == "browse":
        return Request(kind, url("/", province=rng.choice(catalogue.provinces), year=rng.choice(catalogue.years)), "html")
    if kind in ("report", "report_api"):
        report_id = rng.choice(catalogue.report_ids)
        if kind == "report_api":
            return Request(kind, f"/api/reports/{report_id}", "json", report_id)
        params = {"q": rng.choice(catalogue.queries)} if rng.random() < 0.5 else {}
        return Request(kind, url(f"/reports/{report_id}", **params), "html", report_id)
    if kind == "instruments":
        params = rng.choice([{}, {"type": rng.choice(catalogue.types)}, {"sort": "newest"}, {"q": "phát triển"},
                             {"year": rng.choice(catalogue.years)}])
        return Request(kind, url("/instruments", **params), "html")
    if kind in ("instrument", "instrument_api"):
        key = urllib.parse.quote(rng.choice(catalogue.instrument_keys), safe="")
        if kind == "instrument_api":
            return Request(kind, f"/api/instruments/{key}", "json")
        return Request(kind, f"/instruments/{key}", "html")
    return Request("health", "/healthz", "json")


# --- checking answers ----------------------------------------------------------------------------------------
class Ledger:
    """Everything the clients and the mutator saw, shared between threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.failures: list[dict] = []
        self.failure_count = 0
        self.statuses: Counter = Counter()
        self.generations: dict[str, set] = defaultdict(set)  # generation -> {(reports, citations, instruments)}
        self.probe_counts: Counter = Counter()  # reports found by MARKER_WORD
        self.requests = 0

    def take_ticket(self, limit: int, owed: bool = False) -> bool:
        """Whether one more request may go: below ``limit``, or past it while reindex rounds are
        ``owed`` (clients that stopped before a switch could not see it)."""
        with self.lock:
            if self.requests >= limit and not owed:
                return False
            self.requests += 1
            return True

    def ok(self, kind: str, milliseconds: float, status: int) -> None:
        with self.lock:
            self.samples[kind].append(milliseconds)
            self.statuses[status] += 1

    def fail(self, kind: str, path: str, reason: str, status: int | None = None) -> None:
        with self.lock:
            self.failure_count += 1
            self.statuses[status or "error"] += 1
            if len(self.failures) < 50:
                self.failures.append({"kind": kind, "path": path, "status": status, "reason": reason[:500]})


def check_answer(request: Request, status: int, headers: dict, body: bytes, ledger: Ledger, last_generation: list) -> str | None:
    """None when the answer is right, else why it is not."""
    redirect = request.kind == "instrument" and status in (301, 302, 303, 307, 308)
    if status != 200 and not redirect:
        return f"status {status}: {body[:300].decode('utf-8', 'replace')}"
    if redirect:
        return None if headers.get("location") else "redirect without Location"
    if not headers.get("content-type", "").startswith(CONTENT_TYPES[request.expect]):
        return f"content type {headers.get('content-type')!r}"
    if request.expect == "html":
        text = body.decode("utf-8")
        if not text.rstrip().endswith("</html>"):
            return "truncated HTML page"
        if request.report_id and request.report_id not in text:
            return "report page without its id"
        return None
    data = json.loads(body)
    if request.kind == "api_search" or request.kind == "probe":
        if not (len(data["hits"]) <= data["per_page"] and data["total_reports"] <= data["total"]):
            return f"inconsistent search: {len(data['hits'])} hits, total {data['total']}, {data['total_reports']} reports"
        if data["page"] == 1 and len(data["hits"]) != min(data["total"], data["per_page"]):
            return f"page 1 has {len(data['hits'])} hits of {data['total']}"
        for name, values in data["facets"].items():
            # Facets are disjunctive (searching.py): a facet's counts apply every *other* filter, so
            # the selected values of a filtered facet count exactly the reports found; the values of
            # an unfiltered facet count at most those (all of them at most once for a facet that
            # has one value per report).
            selected = [v["count"] for v in values if v["selected"]]
            if selected and name in ("province", "year", "period") and sum(selected) != data["total_reports"]:
                return f"selected {name} values count {sum(selected)} reports, the search found {data['total_reports']}"
            if not selected and any(v["count"] > data["total_reports"] for v in values):
                return f"a {name} value counts more reports than the search found"
            if not selected and name in ("province", "year", "period") and sum(v["count"] for v in values) > data["total_reports"]:
                return f"facet {name} counts {sum(v['count'] for v in values)} reports of {data['total_reports']}"
    elif request.kind == "report_api":
        if data.get("id") != request.report_id:
            return f"asked for report {request.report_id}, got {data.get('id')}"
    elif request.kind == "health":
        generation = data["generation"]
        if last_generation and generation < last_generation[0]:
            return f"generation went back from {last_generation[0]} to {generation}"
        last_generation[:] = [generation]
        with ledger.lock:
            ledger.generations[generation].add((data["reports"], data["citations"], data["instruments"]))
    return None


class Clock:
    """When the load ends: after ``seconds``, and not before the mutator's ``min_rounds`` rounds
    have ended (bounded: at most ``grace`` seconds more)."""

    def __init__(self, seconds: float, min_rounds: int = 0, grace: float = 300.0):
        self.deadline = time.monotonic() + seconds
        self.min_rounds, self.grace = min_rounds, grace
        self.rounds_done = 0
        self.ended_at: float | None = None  # when ``running()`` first said no

    def owed(self) -> bool:
        """Reindex rounds the load must outlast are still to end."""
        return self.rounds_done < self.min_rounds

    def running(self) -> bool:
        now = time.monotonic()
        if now < self.deadline or (self.owed() and now < self.deadline + self.grace):
            return True
        if self.ended_at is None:
            self.ended_at = now
        return False


def client(number: int, port: int, catalogue: Catalogue, ledger: Ledger, clock: Clock, options: Options,
           probe_query: bool) -> None:
    rng = random.Random(f"loadtest:{options.seed}:{number}")
    last_generation: list = []
    sent = 0
    while clock.running() and ledger.take_ticket(options.max_requests, clock.owed()):
        if sent < len(MIX):  # each client starts with one request of every kind, from a different one
            request = next_request(rng, catalogue, MIX[(number + sent) % len(MIX)][0])
        elif probe_query and sent % 5 == 0:  # while reindexing, follow the generation closely
            request = next_request(rng, catalogue, "health")
        elif probe_query and rng.random() < 0.05:
            request = Request("probe", url("/api/search", q=MARKER_WORD, per_page="100"), "json")
        else:
            request = next_request(rng, catalogue)
        sent += 1
        started = time.perf_counter()
        try:
            status, headers, body = fetch(port, request.path, options.timeout)
            elapsed = (time.perf_counter() - started) * 1000
            problem = check_answer(request, status, headers, body, ledger, last_generation)
            if problem is None and request.kind == "probe":
                with ledger.lock:
                    ledger.probe_counts[json.loads(body)["total_reports"]] += 1
        except Exception as error:  # a reset, a timeout, a body that does not parse: all failures
            status, problem, elapsed = None, f"{type(error).__name__}: {error}", None
        if problem is None:
            ledger.ok(request.kind, elapsed, status)
        else:
            ledger.fail(request.kind, request.path, problem, status)


# --- serving while indexing ------------------------------------------------------------------------------------
@dataclass
class Round:
    number: int
    added: str
    modified: str
    removed: str | None
    generation: str = ""
    index_s: float = 0.0
    visible_s: float | None = None  # switch -> sending the first search that found the added report
    answered_s: float | None = None  # switch -> that search's answer (queueing behind the load included)
    health_s: float | None = None  # switch -> sending the first /healthz that named the new generation
    problems: list[str] = field(default_factory=list)


class Mutator(threading.Thread):
    """Changes the corpus and reindexes it, round after round, while the load runs; checks what the server shows."""

    def __init__(self, corpus: Path, index: Path, port: int, ledger: Ledger, clock: Clock, pause: float,
                 stable_ids: list[str], timeout: float, probes: int):
        super().__init__(name="mutator", daemon=True)
        self.corpus, self.index, self.port, self.ledger = corpus, index, port, ledger
        self.clock, self.pause, self.timeout, self.probes = clock, pause, timeout, probes
        self.sources = sorted(corpus.glob("*.txt"))
        self.modifiable = self.sources[-max(1, len(self.sources) // 10):]  # the last tenth: changed, never removed
        self.stable_ids = stable_ids
        self.rounds: list[Round] = []
        self.expected: dict[str, tuple] = {}  # generation -> (reports, citations)
        self.live_added: list[str] = []
        self.error: str | None = None

    def record(self, summary: dict) -> None:
        self.expected[summary["generation"]] = (summary["reports"], summary["citations"])

    def run(self) -> None:
        try:
            number = 0
            while time.monotonic() + self.pause < self.clock.deadline or self.clock.rounds_done < self.clock.min_rounds:
                if not self.clock.running():
                    break
                time.sleep(self.pause)
                number += 1
                self.rounds.append(self.one_round(number))
                self.clock.rounds_done += 1
        except Exception as error:
            self.error = f"{type(error).__name__}: {error}"

    def one_round(self, number: int) -> Round:
        added_id = f"zz{number:04d}_reindex"
        source = self.sources[number % len(self.sources)].read_text(encoding="utf-8")
        (self.corpus / f"{added_id}.txt").write_text(
            source + f"\nGhi chú kiểm thử {MARKER_WORD} {marker('moi', number)}.\n", encoding="utf-8")
        target = self.modifiable[number % len(self.modifiable)]
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(f"\nGhi chú sửa đổi {marker('sua', number)}.\n")
        removed = None
        if self.live_added:
            removed = self.live_added.pop(0)
            (self.corpus / f"{removed}.txt").unlink()
        self.live_added.append(added_id)
        this = Round(number, added_id, target.stem, removed)
        summary = run_index(self.corpus, self.index, timeout=self.timeout * 10)
        self.record(summary)
        this.generation, this.index_s = summary["generation"], round(summary["wall_s"], 3)
        if summary["reports"] != len(self.stable_ids) + len(self.live_added):
            this.problems.append(f"index has {summary['reports']} reports, expected {len(self.stable_ids) + len(self.live_added)}")
        switched = summary["switched_at"]
        # Probes run side by side, each on a fresh connection (so they land on different
        # workers) and each queued behind the load like any request.
        with ThreadPoolExecutor(max_workers=self.probes + 3) as pool:
            health = pool.submit(self._until, lambda: self._health_generation() >= this.generation, switched)
            visible = pool.submit(self._until, lambda: self._found(marker("moi", number)) == [added_id], switched)
            this.health_s = health.result()[0]
            this.visible_s, this.answered_s = visible.result()
            if this.visible_s is None:
                this.problems.append(f"{added_id} not searchable {self.timeout:.0f} s after the switch")
            again = [pool.submit(self._found, marker("moi", number)) for _ in range(self.probes)]
            changed = pool.submit(self._found, marker("sua", number))
            if removed:
                gone = pool.submit(fetch, self.port, f"/api/reports/{removed}", self.timeout)
                gone_search = pool.submit(self._found, marker("moi", int(removed[2:6])))
            if any(probe.result() != [added_id] for probe in again):  # every worker sees it, not only the first
                this.problems.append(f"{added_id} found, then not found again")
            if changed.result() != [target.stem]:
                this.problems.append(f"the change to {target.stem} is not searchable")
            if removed and (gone.result()[0] != 404 or gone_search.result()):
                this.problems.append(f"removed report {removed} still served ({gone.result()[0]})")
        for problem in this.problems:
            self.ledger.fail("reindex", f"round {number}", problem)
        return this

    def _health_generation(self) -> str:
        status, _, body = fetch(self.port, "/healthz", self.timeout)
        return json.loads(body)["generation"] if status == 200 else ""

    def _found(self, word: str) -> list[str]:
        status, _, body = fetch(self.port, url("/api/search", q=word, per_page="100"), self.timeout)
        if status != 200:
            raise RuntimeError(f"probe search answered {status}: {body[:300]!r}")
        return sorted({hit["report_id"] for hit in json.loads(body)["hits"]})

    def _until(self, condition, since: float) -> tuple[float | None, float | None]:
        """Ask until ``condition()`` holds: (when the asking that succeeded was sent, when it was
        answered), in seconds after ``since``; (None, None) after ``timeout``."""
        give_up = time.monotonic() + self.timeout
        while time.monotonic() < give_up:
            sent = time.time()
            if condition():
                return round(max(0.0, sent - since), 3), round(max(0.0, time.time() - since), 3)
            time.sleep(0.02)
        return None, None


# --- the run ------------------------------------------------------------------------------------------------------
def log(options: Options, message: str) -> None:
    if options.verbose:
        print(f"[loadtest] {message}", file=sys.stderr, flush=True)


def run(options: Options) -> dict:
    workdir = Path(options.workdir) if options.workdir else Path(tempfile.mkdtemp(prefix="searchsvc-load-"))
    corpus, index = workdir / "corpus", workdir / "index"
    workdir.mkdir(parents=True, exist_ok=True)
    server = None
    try:
        started = time.perf_counter()
        paths = prepare_corpus(corpus, options.reports, options.seed)
        log(options, f"corpus: {len(paths)} reports in {corpus} ({time.perf_counter() - started:.1f} s)")
        built = run_index(corpus, index)
        log(options, f"index: {built['reports']} reports, {built['sections']} sections, generation {built['generation']} "
                     f"({built['wall_s']:.1f} s)")
        server = Server(index, corpus, workdir / "server.log", options.workers)
        ready_s = server.wait_ready()
        workers = server.wait_workers(options.workers or settings.get("workers"))
        report_ids = [p.stem for p in paths]
        catalogue = discover(server.port, report_ids, options.timeout)
        for path in ("/", "/instruments", "/api/search?q=covid") * max(2, (workers or 1) * 2):  # warm every worker
            fetch(server.port, path, options.timeout)
        log(options, f"server: port {server.port}, {workers} workers, ready in {ready_s:.1f} s; "
                     f"{options.clients} clients for {options.seconds:g} s" + (" while reindexing" if options.reindex else ""))

        ledger = Ledger()
        cpu_before = server.cpu_seconds()
        load_before = os.getloadavg()[0]
        begin = time.monotonic()
        clock = Clock(options.seconds, options.min_rounds if options.reindex else 0)
        mutator = None
        if options.reindex:
            pause = options.reindex_pause if options.reindex_pause is not None else max(0.5, options.seconds / 20)
            mutator = Mutator(corpus, index, server.port, ledger, clock, pause, report_ids, options.timeout,
                              probes=2 * (workers or 2) + 2)
            mutator.record(built)
            mutator.start()
        threads = [threading.Thread(target=client, name=f"client-{n}", daemon=True,
                                    args=(n, server.port, catalogue, ledger, clock, options, options.reindex))
                   for n in range(options.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        load_s = time.monotonic() - begin
        server_cpu_s = server.cpu_seconds() - cpu_before
        sending_s = (clock.ended_at or time.monotonic()) - begin
        if mutator:
            mutator.join()
        elapsed = time.monotonic() - begin

        server_problems = [line for line in server.log_tail(size=50_000_000).splitlines() if SERVER_PROBLEMS.search(line)]
        for line in server_problems[:20]:
            ledger.fail("server", "log", line)
        if len(server_problems) > 20:
            ledger.failure_count += len(server_problems) - 20
        reindex = None
        if mutator:
            if mutator.error:
                ledger.fail("reindex", "mutator", mutator.error)
            for generation, seen in ledger.generations.items():
                # one answer per generation, and the one its indexing run printed (the catalogue's
                # instrument count merges undated keys, so only its constancy is checked)
                expected = mutator.expected.get(generation)
                if len(seen) != 1 or {s[:2] for s in seen} != {expected}:
                    ledger.fail("health", "/healthz", f"generation {generation} answered {sorted(seen)}, indexed as {expected}")
            admissible = {0, 1}  # reports carrying the marker: the mutator keeps at most one
            if not set(ledger.probe_counts) <= admissible:
                ledger.fail("probe", MARKER_WORD, f"marker found in {sorted(ledger.probe_counts)} reports")
            if not mutator.rounds:
                ledger.fail("reindex", "mutator", "no reindex round finished during the load")
            reindex = summarize_rounds(mutator.rounds, ledger)
        total = sum(len(v) for v in ledger.samples.values())
        everything = [ms for v in ledger.samples.values() for ms in v]
        return {
            "reports": options.reports,
            "clients": options.clients,
            "seconds": round(sending_s, 2),  # clients send requests for this long (--seconds, or more for --min-rounds)
            "drain_s": round(load_s - sending_s, 2),  # then wait for the answers in flight
            "elapsed_s": round(elapsed, 2),  # and for the last reindex round
            "workers": workers,
            "cpus": os.cpu_count(),
            "index_build_s": round(built["wall_s"], 2),
            "sections": built["sections"],
            "server_ready_s": round(ready_s, 2),
            # the machine's share the server got: its workers' CPU time over the load's wall time
            # on all CPUs (other processes, the clients and the indexer take the rest)
            "server_cpu_share": round(server_cpu_s / (load_s * (os.cpu_count() or 1)), 2) if load_s else None,
            "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],  # 1-minute, before and after
            "requests": total + ledger.failure_count,
            "ok": total,
            "failed": ledger.failure_count,
            "throughput_rps": round(total / load_s, 2) if load_s else None,
            "overall": latency_summary(everything),
            "kinds": {kind: latency_summary(ledger.samples[kind]) for kind, _ in [*MIX, ("probe", 0)] if ledger.samples.get(kind)},
            "statuses": {str(k): v for k, v in sorted(ledger.statuses.items(), key=str)},
            "generations_seen": sorted(ledger.generations),
            "failures": ledger.failures,
            "reindex": reindex,
        }
    finally:
        if server is not None:
            server.stop()
        if not options.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


def summarize_rounds(rounds: list[Round], ledger: Ledger) -> dict:
    def spread(values: list) -> dict | None:
        values = [v for v in values if v is not None]
        return {"p50": round(percentile(values, 50), 3), "max": round(max(values), 3)} if values else None

    return {
        "rounds": len(rounds),
        "index_s": spread([r.index_s for r in rounds]),
        "visible_s": spread([r.visible_s for r in rounds]),
        "answered_s": spread([r.answered_s for r in rounds]),
        "health_s": spread([r.health_s for r in rounds]),
        "probe_counts": {str(k): v for k, v in sorted(ledger.probe_counts.items())},
        "details": [asdict(r) for r in rounds],
    }


# --- output ----------------------------------------------------------------------------------------------------------
def _ms(value) -> str:
    return "—" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def table(result: dict) -> str:
    lines = [
        f"Load test: {result['reports']} reports ({result['sections']} sections), {result['clients']} clients, "
        f"{result['seconds']:.0f} s (+{result['drain_s']:.0f} s for the answers in flight), "
        f"{result['workers']} server workers on {result['cpus']} CPUs"
        + (", reindexing during the load" if result["reindex"] is not None else ""),
        f"Requests: {result['requests']:,}  ok: {result['ok']:,}  failed: {result['failed']}  "
        f"throughput: {result['throughput_rps']:.1f} req/s",
        f"Server workers used {result['server_cpu_share']:.0%} of the machine's CPU time; load average "
        f"{result['load_average'][0]:.1f} before, {result['load_average'][1]:.1f} after",
        "",
        f"{'kind':<16}{'n':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}",
    ]
    rows = [*result["kinds"].items(), ("all", result["overall"])]
    for kind, stats in rows:
        lines.append(f"{kind:<16}{stats['n']:>8,}{_ms(stats['p50_ms']):>10}{_ms(stats['p95_ms']):>10}"
                     f"{_ms(stats['p99_ms']):>10}{_ms(stats['max_ms']):>10}")
    reindex = result["reindex"]
    if reindex is not None:
        lines += ["", f"Reindex rounds: {reindex['rounds']} (each adds a report, changes one and, from the second on, removes the one added before; "
                      f"`searchsvc index` p50 {reindex['index_s']['p50'] if reindex['index_s'] else '—'} s, "
                      f"max {reindex['index_s']['max'] if reindex['index_s'] else '—'} s)"]
        if reindex["visible_s"]:
            lines.append(f"New report searchable after the switch (CURRENT replaced): the first search for it, sent when "
                         f"`searchsvc index` had exited, found it — sent p50 {reindex['visible_s']['p50']:.3f} s, "
                         f"max {reindex['visible_s']['max']:.3f} s after the switch; answered p50 "
                         f"{reindex['answered_s']['p50']:.3f} s, max {reindex['answered_s']['max']:.3f} s (queued behind the load)")
            lines.append(f"/healthz named the new generation in the first answer asked for: sent p50 "
                         f"{reindex['health_s']['p50']:.3f} s, max {reindex['health_s']['max']:.3f} s after the switch")
        lines.append(f"Generations seen by clients: {', '.join(result['generations_seen'])}")
        lines += [f"  round {r['number']}: {r['generation']} in {r['index_s']:.1f} s, searchable after "
                  f"{r['visible_s'] if r['visible_s'] is not None else '—'} s, answered after "
                  f"{r['answered_s'] if r['answered_s'] is not None else '—'} s" for r in reindex["details"]]
    if result["failures"]:
        lines += ["", "Failures (first ones):"]
        lines += [f"  {f['kind']} {f['path']}: {f['reason']}" for f in result["failures"][:20]]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, help=f"reports to generate (default {FULL['reports']}, quick {QUICK['reports']})")
    parser.add_argument("--clients", type=int, help=f"concurrent clients (default {FULL['clients']}, quick {QUICK['clients']})")
    parser.add_argument("--seconds", type=float, help=f"load duration (default {FULL['seconds']:g}, quick {QUICK['seconds']:g})")
    parser.add_argument("--max-requests", type=int, help="stop after this many requests")
    parser.add_argument("--quick", action="store_true", help="a short run: 30 reports, 8 clients, 5 s")
    parser.add_argument("--reindex", action="store_true", help="change the corpus and reindex it during the load")
    parser.add_argument("--min-rounds", type=int, default=1,
                        help="with --reindex: go on past --seconds and --max-requests until this many reindex rounds ended (default 1)")
    parser.add_argument("--reindex-pause", type=float, help="seconds between reindex rounds (default: seconds / 20)")
    parser.add_argument("--workers", type=int, help="server worker processes (default: the server's, one per core)")
    parser.add_argument("--seed", type=int, default=1, help="corpus and request-mix seed")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per request before it counts as failed")
    parser.add_argument("--workdir", help="keep corpus, index and server log here (reused by the next run)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return parser.parse_args(argv)


def options_from(args: argparse.Namespace) -> Options:
    preset = QUICK if args.quick else FULL
    return Options(
        reports=args.reports or preset["reports"],
        clients=args.clients or preset["clients"],
        seconds=args.seconds if args.seconds is not None else preset["seconds"],
        max_requests=args.max_requests or preset["max_requests"],
        seed=args.seed,
        workers=args.workers,
        reindex=args.reindex,
        reindex_pause=args.reindex_pause,
        min_rounds=args.min_rounds,
        timeout=args.timeout,
        workdir=args.workdir,
        verbose=not args.quiet,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(options_from(args))
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(table(result))
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
