"""The contract is the code: schemathesis against `searchsvc serve` (a real server process, so the
server's own limits are part of what is checked), on an index of the seed corpus, both engines.

Every check schemathesis has (``--checks all``): no 5xx, status codes, content types, headers and
bodies as documented, documented-valid input accepted and invalid input rejected, methods other
than GET answered 405, response time. Examples are bounded (``MAX_EXAMPLES`` per operation and
phase) so the run stays in CI time; hypothesis's database is off so that each run is its own.
"""
from __future__ import annotations

import json
import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, load_all_checks

from searchsvc.ingest import REPORT_ID

from .test_reliability import loadtest
from .test_security import seed_server  # noqa: F401 (the fixture: `searchsvc serve` on the seed index)

MAX_EXAMPLES = int(os.environ.get("SEARCHSVC_CONTRACT_EXAMPLES", 30))  # more on demand
# CI draws the same examples every run (a red CI names a real disagreement, never bad luck); set
# SEARCHSVC_CONTRACT_RANDOM=1 to explore new ones.
DERANDOMIZE = not os.environ.get("SEARCHSVC_CONTRACT_RANDOM")
MAX_RESPONSE_SECONDS = 30.0  # a hang guard, not a benchmark: searches take milliseconds

load_all_checks()
ALL_CHECKS = CHECKS.get_all()


def _years() -> st.SearchStrategy[str]:
    """The document's "year-range" format: 2020, 2020..2022, 2020.., ..2022 (first <= last)."""
    year = st.integers(1900, 2100)
    pair = st.tuples(year, year).map(sorted)
    return st.one_of(year.map(str), pair.map(lambda p: f"{p[0]}..{p[1]}"), year.map(lambda y: f"{y}.."),
                     year.map(lambda y: f"..{y}"))


def _get(port: int, path: str) -> dict:
    status, _, body = loadtest.fetch(port, path, timeout=60)
    assert status == 200, path
    return json.loads(body)


def _instruments(port: int) -> tuple[list[str], list[str]]:
    """The keys of the instruments the index holds (as /api/instruments lists them) and every way
    to name one: key, reference, key without year."""
    listed = _get(port, "/api/instruments?per_page=200")["instruments"]
    keys = sorted({i["key"] for i in listed})
    return keys, sorted({form for i in listed for form in (i["key"], i["canonical"], i["key"].rsplit(".", 1)[0])})


def _report_ids(port: int) -> list[str]:
    return sorted({hit["report_id"] for hit in _get(port, "/api/search?per_page=100")["hits"]})


@pytest.fixture
def api_schema(seed_server):
    keys, references = _instruments(seed_server.port)
    report_ids = _report_ids(seed_server.port)
    assert keys and report_ids
    # Ids the index gives, mostly, and sometimes one it does not (then the answer is a 404).
    schemathesis.openapi.format("year-range", _years())
    schemathesis.openapi.format("instrument-reference", st.sampled_from(references))
    schemathesis.openapi.format("instrument-key", st.sampled_from(keys + [key.rsplit(".", 1)[0] for key in keys]))
    schemathesis.openapi.format("report-id", st.sampled_from(report_ids) | st.from_regex(REPORT_ID, fullmatch=True))
    return schemathesis.openapi.from_url(f"http://127.0.0.1:{seed_server.port}/api/openapi.json", timeout=60)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=DERANDOMIZE,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])
def test_api_matches_its_openapi_document(case, tally):
    response = case.call_and_validate(checks=ALL_CHECKS, timeout=MAX_RESPONSE_SECONDS)
    tally[(case.operation.label, case.meta.phase.name.value, case.meta.generation.mode.value, response.status_code)] += 1


@pytest.fixture(scope="module")
def tally():
    """Requests made, by operation, phase, generation mode and status; printed at the end (``-s``)."""
    counts = Counter()
    yield counts
    for (operation, phase, mode, status), count in sorted(counts.items()):
        print(f"schemathesis: {operation} {phase} {mode} -> {status}: {count}")
    print(f"schemathesis: {sum(counts.values())} requests")
