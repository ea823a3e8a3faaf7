"""Slow and idle clients against the web server, on loopback, in bounded time.

    python benchmarks/slowclients.py                       # `searchsvc serve` as configured
    python benchmarks/slowclients.py --stack gthread       # gunicorn gthread, 2 workers x 4 threads (the old set-up)
    python benchmarks/slowclients.py --stack waitress --slow 64 --idle 200 --requests 100

An index of the seed corpus is built in a temporary folder and served. Then a client makes
``--requests`` ordinary requests one after another, each on a new connection (a search, a report
page, the health check in turn): first alone, then while ``--slow`` connections send a request a
byte per second (never finishing it) and ``--idle`` keep-alive connections sit idle after one
answered request. An attacker connection the server closes is opened again, so the attack lasts
the whole measurement. Printed: p50/p95/max latency and failures, alone and under attack, and the
p95 added by the attack (the target: at most 100 ms). Every wait has a timeout: the run ends.
"""
from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.loadtest import free_port, percentile  # noqa: E402

PATHS = ["/api/search?q=" + quote("đầu tư công"), "/reports/000_bbd1df693d80d1cb", "/healthz",
         "/?q=" + quote("ngân sách")]
SLOW_REQUEST = b"GET /api/search?q=" + b"a" * 4000 + b" HTTP/1.1\r\nHost: x\r\n"  # never finished at 1 B/s
IDLE_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"  # keep-alive is HTTP/1.1's default


def stack_command(stack: str, root: Path, index: Path, corpus: Path, port: int) -> list[str]:
    """The server process of a stack; "serve" is the project's own `searchsvc serve`."""
    python = sys.executable
    if stack == "serve":
        return [python, "-m", "searchsvc.cli", "serve", "--index", str(index), "--corpus", str(corpus),
                "--host", "127.0.0.1", "--port", str(port)]
    if stack == "gthread":
        return [python, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "4",
                "-k", "gthread", "--no-control-socket", "web:create_app()"]
    if stack == "gevent":
        return [python, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-w", "2", "-k", "gevent",
                "--worker-connections", "1000", "--no-control-socket", "web:create_app()"]
    if stack == "waitress":
        return [python, "-m", "waitress", "--listen", f"127.0.0.1:{port}", "--threads", "4",
                "--connection-limit", "1000", "--call", "web:create_app"]
    raise SystemExit(f"unknown stack {stack}")


def fetch(port: int, path: str, timeout: float) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        response = connection.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def measure(port: int, requests: int, timeout: float) -> dict:
    """Ordinary requests one after another: latency figures in ms, failures counted."""
    times, failures = [], 0
    for number in range(requests):
        try:
            status, ms = fetch(port, PATHS[number % len(PATHS)], timeout)
            if status != 200:
                failures += 1
            times.append(ms)
        except OSError:
            failures += 1
            times.append(timeout * 1000)
    return {"n": requests, "failures": failures, "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1), "max_ms": round(max(times), 1)}


class Attack:
    """``slow`` connections trickling a request and ``idle`` kept-alive ones, in an asyncio loop
    of its own thread; closed connections are reopened."""

    def __init__(self, port: int, slow: int, idle: int):
        self.port, self.slow, self.idle = port, slow, idle
        self.loop = asyncio.new_event_loop()
        self.stopping = False
        self.reopened = 0
        self.open_now = {"slow": 0, "idle": 0}
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        self.tasks = [asyncio.run_coroutine_threadsafe(self.trickle(), self.loop) for _ in range(self.slow)]
        self.tasks += [asyncio.run_coroutine_threadsafe(self.sit(), self.loop) for _ in range(self.idle)]
        return self

    def __exit__(self, *exc):
        self.stopping = True
        for task in self.tasks:
            task.cancel()
        time.sleep(0.5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    async def trickle(self):
        while not self.stopping:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", self.port), 10)
            except (OSError, asyncio.TimeoutError):
                await asyncio.sleep(0.2)
                continue
            self.open_now["slow"] += 1
            try:
                for byte in SLOW_REQUEST:
                    writer.write(bytes([byte]))
                    await writer.drain()
                    await asyncio.sleep(1)
                    if reader.at_eof():
                        break
            except OSError:
                pass
            finally:
                self.open_now["slow"] -= 1
                self.reopened += 1
                writer.close()

    async def sit(self):
        while not self.stopping:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", self.port), 10)
                writer.write(IDLE_REQUEST)
                await writer.drain()
                await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                await asyncio.sleep(0.2)
                continue
            self.open_now["idle"] += 1
            try:
                await reader.read()  # until the server closes it (its keep-alive timeout), or forever
            except OSError:
                pass
            finally:
                self.open_now["idle"] -= 1
                self.reopened += 1
                writer.close()


def wait_ready(port: int, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            if fetch(port, "/healthz", 5)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server not ready")


def run(stack: str, root: Path, slow: int, idle: int, requests: int, settle: float, timeout: float,
        engine: str | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(root))
    with tempfile.TemporaryDirectory(prefix="slowclients-") as work:
        work = Path(work)
        corpus, index = work / "corpus", work / "index"
        shutil.copytree(ROOT / "corpus", corpus)
        command = [sys.executable, "-m", "searchsvc.cli", "index", "--corpus", str(corpus), "--index", str(index)]
        subprocess.run(command + (["--engine", engine] if engine else []), cwd=root, env=env, check=True,
                       capture_output=True, timeout=600)
        port = free_port()
        env |= {"SEARCHSVC_INDEX_DIR": str(index), "SEARCHSVC_CORPUS_DIR": str(corpus)}
        with open(work / "server.log", "wb") as log:
            server = subprocess.Popen(stack_command(stack, root, index, corpus, port), cwd=work, env=env, stdout=log,
                                      stderr=subprocess.STDOUT, start_new_session=True)
        try:
            try:
                wait_ready(port, server)
            except SystemExit:
                print((work / "server.log").read_text(errors="replace")[-3000:], file=sys.stderr)
                raise
            measure(port, len(PATHS) * 2, timeout)  # warm caches
            alone = measure(port, requests, timeout)
            with Attack(port, slow, idle) as attack:
                time.sleep(settle)  # every attacker connected and trickling
                held = dict(attack.open_now)
                attacked = measure(port, requests, timeout)
                reopened = attack.reopened
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    return {"stack": stack, "engine": engine or "default", "root": str(root), "slow": slow, "idle": idle, "alone": alone, "attacked": attacked,
            "held_at_start": held, "attackers_reopened": reopened,
            "added_p95_ms": round(attacked["p95_ms"] - alone["p95_ms"], 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", default="serve", choices=["serve", "gthread", "gevent", "waitress"])
    parser.add_argument("--root", type=Path, default=ROOT, help="source tree to serve (an older checkout: 'before')")
    parser.add_argument("--slow", type=int, default=64, help="connections sending a byte a second")
    parser.add_argument("--idle", type=int, default=200, help="idle keep-alive connections")
    parser.add_argument("--requests", type=int, default=100, help="ordinary requests per measurement")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds between opening the attack and measuring")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds before an ordinary request counts as failed")
    parser.add_argument("--engine", choices=["whoosh", "tantivy"], help="search engine of the index (default: the default)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.stack, args.root.resolve(), args.slow, args.idle, args.requests, args.settle, args.timeout,
                 args.engine)
    if args.json:
        print(json.dumps(result))
    else:
        a, b = result["alone"], result["attacked"]
        print(f"{result['stack']}, {result['engine']} engine ({result['root']}): {result['slow']} slow + {result['idle']} idle connections "
              f"(held at start: {result['held_at_start']}, reopened: {result['attackers_reopened']})")
        print(f"  alone:    p50 {a['p50_ms']} ms  p95 {a['p95_ms']} ms  max {a['max_ms']} ms  failed {a['failures']}/{a['n']}")
        print(f"  attacked: p50 {b['p50_ms']} ms  p95 {b['p95_ms']} ms  max {b['max_ms']} ms  failed {b['failures']}/{b['n']}")
        print(f"  p95 added by the attack: {result['added_p95_ms']} ms (target <= 100 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
