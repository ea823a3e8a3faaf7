"""What HTTP adds to a search: the same queries through ``search()`` here and through a real
``searchsvc serve`` (gunicorn, one worker) over loopback HTTP, interleaved query by query.

    python benchmarks/http_overhead.py --index /tmp/index --corpus /tmp/corpus-500
    python benchmarks/http_overhead.py --index /tmp/index --corpus /tmp/corpus-500 --per-kind 5 --passes 3

Two pairs, each the same request on both sides:

* **JSON API**: ``GET /api/search?q=…`` against ``search()`` of the request the API makes (results by
  section, the app's page size);
* **HTML page**: ``GET /?q=…`` against ``search()`` of the request the page makes (results by
  report, the page's default view, with every year, province and heading counted for its charts
  and sidebar: ``search(…, entries=searchtools.ENTRY_FACETS)``). What HTTP adds here is the
  presenters (links, rows, sidebar, charts) and the template.

The client keeps one connection open (as a browser does) and reads every byte of the answer.
For every query the four are timed one after the other, in an order that rotates, so that load
on a shared machine hits all alike. Printed: p50 and p95 of each side, and the p50 and p95 of the
difference per query (HTTP minus ``search()``). On a loaded machine the wall-clock difference also
holds the server process waiting for a core; so the same requests also go through the app in
this process (Flask's test client, no socket), and the CPU time it adds to ``search()`` is printed
too: the web layer's own work (routing, presenters, template or JSON). Nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import http.client
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (str(ROOT), str(HERE)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import bench  # noqa: E402  (benchmarks/bench.py: query mix, percentiles, the server)

VIEWS = ("json", "html")


def _query_string(item: dict) -> str:
    return urllib.parse.urlencode([("q", item["q"])] + [(n, v) for n, values in item["filters"].items() for v in values])


class Client:
    """GET over one kept-alive connection, opened again when the server closed it."""

    def __init__(self, port: int):
        self.port, self.connection = port, None

    def get(self, path: str) -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def measure(index_dir: Path, corpus: Path, per_kind: int, passes: int, seed: int) -> dict:
    """{view: {"search": [ms], "http": [ms]}} over the mix, interleaved, and the server's start-up."""
    from searchsvc.engine import SearchIndex
    from searchsvc.facetlist import expand_sections
    from searchsvc.searching import search
    from werkzeug.datastructures import MultiDict

    from web import DEFAULTS, create_app, params, presenters, searchtools

    index = SearchIndex(index_dir)
    mix = bench.build_query_mix(corpus, index, per_kind, seed)
    per_page = DEFAULTS["PER_PAGE"]
    groups = {"json": "section", "html": presenters.DEFAULT_GROUP}
    paths = {"json": "/api/search?", "html": "/?"}
    entries = {"json": (), "html": searchtools.ENTRY_FACETS}  # what each view asks search() to count in full

    def request_of(view: str, item: dict):
        args = MultiDict([("q", item["q"])] + [(n, v) for n, values in item["filters"].items() for v in values])
        return expand_sections(index, params.search_request(args, per_page, group=groups[view]))

    app = create_app({"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus)}).test_client()
    samples: dict[str, dict[str, list[float]]] = {view: {side: [] for side in SIDES} for view in VIEWS}
    with tempfile.TemporaryDirectory(prefix="searchsvc-http-") as workdir:
        with bench.served(index_dir, corpus, 1, Path(workdir)) as (port, _, ready_s):
            client = Client(port)
            steps = [(view, side) for view in VIEWS for side in ("search", "http", "app")]
            sides = {"search": lambda view, item: search(index, request_of(view, item), entries=entries[view]),
                     "http": lambda view, item: _answered(paths[view] + _query_string(item), *client.get(paths[view] + _query_string(item))),
                     "app": lambda view, item: _answered(paths[view] + _query_string(item), *_got(app.get(paths[view] + _query_string(item))))}
            for item in mix[: len(set(m["kind"] for m in mix))]:  # warm every side: untimed
                for view, side in steps:
                    sides[side](view, item)
            for number, item in enumerate(mix * passes):
                for view, side in steps[number % len(steps):] + steps[: number % len(steps)]:
                    started, cpu = time.perf_counter(), time.process_time()
                    sides[side](view, item)
                    elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
                    samples[view][side].append(elapsed)
                    if side != "http":
                        samples[view][side + " cpu"].append(cpu)
    return {"ready_s": round(ready_s, 2), "queries": len(mix), "passes": passes, "samples": samples}


SIDES = ("search", "http", "app", "search cpu", "app cpu")


def _got(response) -> tuple[int, bytes]:
    return response.status_code, response.get_data()


def _answered(path: str, status: int, body: bytes) -> None:
    """An answer other than 200 stops the run."""
    if status != 200:
        raise SystemExit(f"{path} answered {status}: {body[:300]!r}")


def table(result: dict) -> str:
    lines = [f"{result['queries']} queries × {result['passes']} passes, server ready in {result['ready_s']} s",
             "| view | search() p50 ms | HTTP p50 ms | search() p95 ms | HTTP p95 ms | added p50 ms | added p95 ms "
             "| app CPU added p50 ms | app CPU added p95 ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    p = bench.percentile
    for view in VIEWS:
        side = result["samples"][view]
        added = [h - d for d, h in zip(side["search"], side["http"])]
        app_added = [a - d for d, a in zip(side["search cpu"], side["app cpu"])]
        lines.append(f"| {'JSON /api/search' if view == 'json' else 'HTML /'} | {p(side['search'], 50):.2f} | "
                     f"{p(side['http'], 50):.2f} | {p(side['search'], 95):.2f} | {p(side['http'], 95):.2f} | "
                     f"{p(added, 50):.2f} | {p(added, 95):.2f} | {p(app_added, 50):.2f} | {p(app_added, 95):.2f} |")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", required=True, help="a built index (searchsvc index)")
    parser.add_argument("--corpus", required=True, help="its corpus (the query mix is cut from it)")
    parser.add_argument("--per-kind", type=int, default=3, help="queries of each kind (default 3)")
    parser.add_argument("--passes", type=int, default=2, help="timed passes over the mix (default 2)")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(table(measure(Path(args.index), Path(args.corpus), args.per_kind, args.passes, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
