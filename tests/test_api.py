"""The JSON API: every endpoint, every error case, the same hits as the HTML page, and the
OpenAPI document checked against real responses."""
from __future__ import annotations

from urllib.parse import urlsplit

import jsonschema
import pytest
from openapi_spec_validator import validate as validate_spec

from searchsvc.web import create_app

from .htmltree import parse

Q84 = "Nghị quyết 84/NQ-CP"
SEED_84 = ["000_bbd1df693d80d1cb", "002_acdedd4f53924217", "004_41c8df0f7ff6743b"]
REPORT = "000_bbd1df693d80d1cb"


@pytest.fixture(scope="module")
def spec(seed_index_dir):
    client = create_app({"TESTING": True, "INDEX_DIR": str(seed_index_dir)}).test_client()
    return client.get("/api/openapi.json").get_json()


def check(spec: dict, path: str, response, status: int | None = None) -> dict:
    """Validate a real response against the schema the document gives for it; return the JSON."""
    status = status or response.status_code
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/json"
    schema = spec["paths"][path]["get"]["responses"][str(status)]["content"]["application/json"]["schema"]
    data = response.get_json()
    jsonschema.Draft202012Validator({**schema, "components": spec["components"]}).validate(data)
    return data


# --- the document -----------------------------------------------------------------------------------------------
def test_openapi_document_is_valid(spec):
    validate_spec(spec)
    assert spec["openapi"].startswith("3.1")
    for name, schema in spec["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_openapi_lists_every_api_route(app, spec):
    routes = {
        str(rule).replace("<report_id>", "{report_id}").replace("<key>", "{key}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert routes == set(spec["paths"])


# --- search -------------------------------------------------------------------------------------------------------
def test_search_by_instrument_finds_exactly_the_citing_reports(client, spec):
    data = check(spec, "/api/search", client.get("/api/search", query_string={"q": Q84}))
    assert sorted({hit["report_id"] for hit in data["hits"]}) == SEED_84
    assert data["total_reports"] == 3
    for hit in data["hits"]:
        assert "<mark>84/NQ-CP</mark>" in hit["snippet"]
        assert hit["url"] == f"/reports/{hit['report_id']}?q=Ngh%E1%BB%8B+quy%E1%BA%BFt+84%2FNQ-CP#{hit['section_id']}"


def test_search_response_is_results_to_dict_plus_urls(client, spec, seed_index):
    from searchsvc.models import SearchRequest
    from searchsvc.searching import search

    data = check(spec, "/api/search", client.get("/api/search?q=đầu tư công&province=Bắc Giang&per_page=5"))
    expected = search(seed_index, SearchRequest(q="đầu tư công", filters={"province": ["Bắc Giang"]}, per_page=5)).to_dict()
    for hit in data["hits"]:
        hit.pop("url")
    data.pop("took_ms"), expected.pop("took_ms")
    assert data == expected


@pytest.mark.parametrize(
    "query",
    [
        {"q": Q84},
        {"q": "giải ngân vốn đầu tư công"},
        {"q": "nghi quyet", "sort": "newest"},  # unaccented
        {"q": "covid", "province": ["Bắc Giang", "Bến Tre"], "page": "2", "per_page": "3"},
        {"q": '"đầu tư công'},  # unbalanced quote: searched as words
        {"year": "2020", "sort": "oldest", "per_page": "20"},  # browsing with a filter
    ],
)
def test_html_and_json_return_the_same_hits(client, query):
    api = client.get("/api/search", query_string=query).get_json()
    document = parse(client.get("/", query_string=query | {"group": "section"}).data)
    shown = []
    for hit in document.find("ol", class_="hits").find_all("li", class_="hit"):
        href = hit.find("h2").find("a").get("href")
        path, _, section = href.partition("#")
        shown.append((urlsplit(path).path.rsplit("/", 1)[-1], section))
    assert shown == [(h["report_id"], h["section_id"]) for h in api["hits"]]
    assert shown  # the queries above all find something


@pytest.mark.parametrize(
    "query",
    [
        {"q": Q84},
        {"q": "giải ngân vốn đầu tư công"},
        {"q": "nghi quyet", "sort": "newest"},
        {"q": "thu hút đầu tư nước ngoài FDI"},  # partial matches follow the full one
        {"q": "đầu tư", "instrument": "84_NQ-CP.2020"},  # reports that cite it
        {"year": "2020", "sort": "oldest"},
    ],
)
def test_html_and_json_return_the_same_reports_in_the_same_order(client, spec, query):
    api = check(spec, "/api/search", client.get("/api/search", query_string=query | {"group": "report"}))
    document = parse(client.get("/", query_string=query).data)  # the page groups by report by default
    shown = []
    for row in document.find("ol", class_="hits").find_all("li", class_="report-row"):
        report = urlsplit(row.find("h2").find("a").get("href")).path.rsplit("/", 1)[-1]
        sections = [a.get("href").partition("#")[2] for a in row.find_all("a", class_="row-section-where")]
        shown.append((report, sections))
    assert shown == [(r["report_id"], [h["section_id"] for h in r["sections"]]) for r in api["reports"]]
    assert shown and api["group"] == "report"


def test_repeated_filters_are_or_within_a_facet(client, spec):
    data = check(spec, "/api/search", client.get("/api/search?province=Bắc Giang&province=Bến Tre&per_page=100"))
    assert {h["province"] for h in data["hits"]} == {"Bắc Giang", "Bến Tre"}
    selected = [v["value"] for v in data["facets"]["province"] if v["selected"]]
    assert sorted(selected) == ["Bắc Giang", "Bến Tre"]


def test_unbalanced_quotes_are_a_warning_not_an_error(client, spec):
    data = check(spec, "/api/search", client.get('/api/search?q="đầu tư công'))
    assert data["total"] > 0
    assert data["warnings"] and "cú pháp" in data["warnings"][0]


@pytest.mark.parametrize("per_page", ["1", "100"])
def test_per_page_limits_are_inclusive(client, spec, per_page):
    data = check(spec, "/api/search", client.get(f"/api/search?per_page={per_page}"))
    assert len(data["hits"]) == int(per_page) and data["per_page"] == int(per_page)


def test_did_you_mean(client, spec):
    data = check(spec, "/api/search", client.get("/api/search?q=nong thon moii"))
    assert data["total"] == 0 and data["suggestion"] == "nông thôn mới"


# --- errors: one shape, 400 or 404, never a page or a 500 ----------------------------------------------------------
ERRORS = [
    # (url, status, code, reason)
    ("/api/search?page=0", 400, "invalid_query", "pages start at 1"),
    ("/api/search?page=-1", 400, "invalid_query", "negative page"),
    ("/api/search?page=abc", 400, "invalid_query", "not a number"),
    ("/api/search?page=1.5", 400, "invalid_query", "not an integer"),
    ("/api/search?page=99999", 400, "invalid_query", "beyond the last page the engine will fetch"),
    ("/api/search?per_page=0", 400, "invalid_query", "empty pages"),
    ("/api/search?per_page=101", 400, "invalid_query", "just over the limit"),
    ("/api/search?per_page=1000", 400, "invalid_query", "far over the limit"),
    ("/api/search?sort=random", 400, "invalid_query", "unknown sort"),
    ("/api/search?page=1&page=2", 400, "invalid_query", "a single-valued parameter given twice"),
    ("/api/search?color=red", 400, "invalid_query", "unknown filter name"),
    ("/api/search?Province=Bắc Giang", 400, "invalid_query", "filter names are case-sensitive"),
    ("/api/search?year=20x0", 400, "invalid_query", "malformed year filter"),
    ("/api/search?year=2022..2020", 400, "invalid_query", "reversed year range"),
    ("/api/search?instrument=abc", 400, "invalid_query", "not an instrument reference"),
    ("/api/search?q=" + "đầu tư " * 1500, 400, "invalid_query", "a 10,000-character query: QueryError"),
    ("/api/search?q=" + "%28" * 40 + "a" + "%29" * 40, 400, "invalid_query", "nested too deep"),
    ("/api/reports/nope", 404, "not_found", "unknown report"),
    ("/api/reports/..", 404, "not_found", "a dot-dot id is looked up, not joined"),
    ("/api/reports/..%2F..%2Fetc%2Fpasswd", 404, "not_found", "encoded slashes never reach a file path"),
    ("/api/reports/../../etc/passwd", 404, "not_found", "plain ../ does not match a route"),
    ("/api/reports/000_bbd1df693d80d1cb%00", 404, "not_found", "NUL byte fails the id pattern"),
    ("/api/reports/r%C3%A9port", 404, "not_found", "non-ASCII fails the report id pattern"),
    ("/api/reports/000_bbd1df693d80d1cb?text=1", 400, "invalid_query", "no parameters here"),
    ("/api/instruments?sort=popular", 400, "invalid_query", "unknown sort"),
    ("/api/instruments?year=abc", 400, "invalid_query", "not a year"),
    ("/api/instruments?per_page=1000", 400, "invalid_query", "over the limit"),
    ("/api/instruments?page=0", 400, "invalid_query", "pages start at 1"),
    ("/api/instruments?province=Bắc Giang", 400, "invalid_query", "not a filter of this list"),
    ("/api/instruments/99_XX-YY.2020", 404, "not_found", "unknown instrument"),
    ("/api/instruments/01_NQ-CP.2022", 404, "not_found", "a year nobody cites"),
    ("/api/instruments/..", 404, "not_found", "dot-dot key"),
    ("/api/instruments/a%20b", 404, "not_found", "space fails the key pattern"),
    ("/api/instruments/84_NQ-CP.2020?page=0", 400, "invalid_query", "pages start at 1"),
    ("/api/instruments/84_NQ-CP.2020?per_page=101", 400, "invalid_query", "over the limit"),
    ("/api/instruments/84_NQ-CP.2020?per_page=x", 400, "invalid_query", "not a number"),
    ("/api/nothing-here", 404, "not_found", "unknown endpoint"),
]


@pytest.mark.parametrize("url, status, code, reason", ERRORS, ids=[row[3] for row in ERRORS])
def test_errors_are_json_with_one_shape(client, url, status, code, reason):
    response = client.get(url)
    assert response.status_code == status, reason
    assert response.mimetype == "application/json", reason
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert body["error"]["message"] and not body["error"]["message"].startswith("<")


@pytest.mark.parametrize(
    "url, path, status",
    [
        ("/api/search?page=0", "/api/search", 400),
        ("/api/reports/nope", "/api/reports/{report_id}", 404),
        ("/api/instruments?sort=popular", "/api/instruments", 400),
        ("/api/instruments/nope", "/api/instruments/{key}", 404),
        ("/api/instruments/84_NQ-CP.2020?page=0", "/api/instruments/{key}", 400),
    ],
)
def test_error_responses_match_the_document(client, spec, url, path, status):
    check(spec, path, client.get(url), status)


def test_post_is_not_allowed(client):
    response = client.post("/api/search")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_without_an_index_the_api_answers_503(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    for url in ("/api/search?q=x", "/api/instruments", f"/api/reports/{REPORT}", "/healthz"):
        response = client.get(url)
        assert response.status_code == 503
        error = response.get_json()["error"]
        assert error["code"] == "index_unavailable" and "searchsvc index" in error["message"]
    assert client.get("/api/openapi.json").status_code == 200  # the document needs no index


# --- reports --------------------------------------------------------------------------------------------------------
def test_report(client, spec, seed_index):
    data = check(spec, "/api/reports/{report_id}", client.get(f"/api/reports/{REPORT}"))
    stored = seed_index.report(REPORT)
    assert {k: v for k, v in data.items() if k not in ("url", "original_url")} == stored
    assert data["url"] == f"/reports/{REPORT}"
    assert data["original_url"] == f"/reports/{REPORT}/original"
    assert data["province"] == "Bình Dương" and data["doc_number"] == "165/BC-UBND"
    section = next(s for s in data["sections"] if s["id"] == "s2")
    lines = data["text"].split("\n")
    assert lines[section["start_line"] - 1].startswith("1. Về triển khai")


# --- instruments ------------------------------------------------------------------------------------------------------
def test_instrument_list(client, spec):
    data = check(spec, "/api/instruments", client.get("/api/instruments"))
    counts = [i["citation_count"] for i in data["instruments"]]
    assert counts == sorted(counts, reverse=True)
    assert data["instruments"][0]["key"] == "84_NQ-CP.2020"
    assert data["total"] >= len(data["instruments"])
    assert {"Nghị quyết", "Chỉ thị"} <= {t["value"] for t in data["options"]["type"]}


@pytest.mark.parametrize(
    "query, field, expected",
    [
        ("type=Chỉ thị", "type", {"Chỉ thị"}),
        ("type=Chỉ thị&type=Công điện", "type", {"Chỉ thị", "Công điện"}),
        ("issuer=Chính phủ", "issuer", {"Chính phủ"}),
        ("year=2023", "year", {2023}),
        ("q=84/NQ-CP", "canonical", {"84/NQ-CP"}),  # what the search box's suggestions ask for
    ],
)
def test_instrument_list_filters(client, spec, query, field, expected):
    data = check(spec, "/api/instruments", client.get(f"/api/instruments?{query}&per_page=200"))
    assert data["instruments"] and {i[field] for i in data["instruments"]} == expected


def test_instrument_list_paging(client, spec):
    first = check(spec, "/api/instruments", client.get("/api/instruments?per_page=5&sort=name"))
    second = check(spec, "/api/instruments", client.get("/api/instruments?per_page=5&sort=name&page=2"))
    assert len(first["instruments"]) == len(second["instruments"]) == 5
    assert not {i["key"] for i in first["instruments"]} & {i["key"] for i in second["instruments"]}


def test_instrument(client, spec):
    data = check(spec, "/api/instruments/{key}", client.get("/api/instruments/84_NQ-CP.2020"))
    assert data["kind"] == "instrument"
    assert data["instrument"]["date"] == "2020-05-29"
    assert sorted({c["report_id"] for c in data["citations"]}) == SEED_84
    assert all(c["sentence"] for c in data["citations"])
    assert {t["value"] for t in data["by_province"]} == {"Bình Dương", "Bắc Giang", "Bến Tre"}
    assert data["by_year"] == [{"value": "2020", "count": 3}]


def test_instrument_citations_are_paginated(client, spec):
    everything = check(spec, "/api/instruments/{key}", client.get("/api/instruments/84_NQ-CP.2020"))
    pages = [
        check(spec, "/api/instruments/{key}", client.get(f"/api/instruments/84_NQ-CP.2020?per_page=1&page={n}"))
        for n in range(1, everything["total"] + 2)
    ]
    assert [c for page in pages for c in page["citations"]] == everything["citations"]
    assert pages[-1]["citations"] == []  # past the end


def test_undated_key_with_one_candidate_answers_with_it(client, spec):
    data = check(spec, "/api/instruments/{key}", client.get("/api/instruments/84_NQ-CP"))
    assert data["kind"] == "instrument" and data["instrument"]["key"] == "84_NQ-CP.2020"


def test_undated_key_with_several_candidates_lists_them(client, spec):
    data = check(spec, "/api/instruments/{key}", client.get("/api/instruments/01_NQ-CP"))
    assert data["kind"] == "disambiguation"
    assert [c["year"] for c in data["candidates"]] == [2020, 2021, 2023]
    assert [c["url"] for c in data["candidates"]][0] == "/instruments/01_NQ-CP.2020"


# --- health ----------------------------------------------------------------------------------------------------------
def test_health(client, spec, seed_index_dir):
    data = check(spec, "/healthz", client.get("/healthz"))
    assert data["generation"] == (seed_index_dir / "CURRENT").read_text().strip()
    assert data["reports"] == 5 and data["citations"] > 0 and data["instruments"] > 0
    # counted from the manifest, they agree with the catalogue built from citations.json
    from searchsvc.engine import SearchIndex

    index = SearchIndex(seed_index_dir)
    assert data["citations"] == sum(map(len, index.citations().values()))
    assert data["instruments"] == len(index.catalogue())
