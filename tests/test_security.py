"""The corpus is a boundary, any file name is a report (issue 12), on both engines.

1. Links: a file or folder link leading outside the corpus, in the corpus root or a subfolder, is
   never read (not indexed, not served) and is named in the index summary with the reason; a link
   swapped in after indexing is refused when the original is downloaded. A hard link is a file of
   the corpus like any other (it has no target to leave by; README "Kho báo cáo").
2. Names: Vietnamese (NFC and NFD), spaces, punctuation, a newline, a long name, the same stem
   twice: every file gets a unique id that works in every URL, through the Flask client and a real
   server, and keeps it when the corpus is indexed again.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import shutil
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest

from searchsvc.engine import SearchIndex
from searchsvc.indexing import build_index
from searchsvc.ingest import assign_report_ids, corpus_files, is_report_id, report_id_for
from searchsvc.query import MAX_QUERY_LENGTH
from searchsvc.web import SECURITY_HEADERS, create_app
from searchsvc.web.errors import MAX_URL_BYTES

from .conftest import CORPUS, ENGINES
from .test_limits import _pdf_bomb
from .test_reliability import loadtest

SEED = CORPUS / "000_bbd1df693d80d1cb.txt"
SEED_ID = "000_bbd1df693d80d1cb"
SECRET_WORD = "zqxsecretword"  # in no report: found only if a file outside the corpus is read
SECRET = f"BÁO CÁO\nTài liệu mật {SECRET_WORD}\n\nI. Nội dung\nMật khẩu {SECRET_WORD} của máy chủ.\n"


# --- report ids: a pure function ----------------------------------------------------------------------------
def _hashed(slug: str, name: str) -> str:
    """The documented hashed form: a slug of the stem, "-", 10 hex digits of sha256 of the name."""
    digest = hashlib.sha256(name.encode()).hexdigest()[:10]
    return f"{slug}-{digest}" if slug else digest


@pytest.mark.parametrize("name, taken, expected", [
    ("000_bbd1df693d80d1cb.txt", set(), "000_bbd1df693d80d1cb"),  # a seed keeps its stem
    ("sub/000_bbd1df693d80d1cb.txt", set(), "000_bbd1df693d80d1cb"),  # the folder is not part of a plain id
    ("report.v2.txt", set(), "report.v2"),  # dots inside a plain stem are fine
    ("x.docx", {"x"}, _hashed("x", "x.docx")),  # stem taken by x.txt: hashed
    ("sub/x.txt", {"x"}, _hashed("x", "sub/x.txt")),  # the hash is of the whole name in the corpus
    ("Báo cáo 6 tháng đầu năm 2024.docx", set(),
     _hashed("bao-cao-6-thang-dau-nam-2024", "Báo cáo 6 tháng đầu năm 2024.docx")),
    ("a b, c (1) & d#?.txt", set(), _hashed("a-b-c-1-d", "a b, c (1) & d#?.txt")),  # punctuation, spaces
    ("dòng\nmới.txt", set(), _hashed("dong-moi", "dòng\nmới.txt")),  # a newline
    ("!!!.txt", set(), _hashed("", "!!!.txt")),  # nothing readable: the hash alone
    ("-x.txt", set(), "-x"),  # a hyphen may start an id (a dot never does)
    ("x" * 121 + ".txt", set(), _hashed("x" * 60, "x" * 121 + ".txt")),  # over 120 characters: hashed
])
def test_report_id_for(name, taken, expected):
    assert report_id_for(name, taken) == expected
    assert is_report_id(expected)


@pytest.mark.parametrize("names, taken, previous, expected", [
    (["x.docx", "x.txt"], set(), {}, {"x.txt": "x", "x.docx": _hashed("x", "x.docx")}),  # the shorter name first
    (["a/x.txt", "x.docx"], set(), {}, {"x.docx": "x", "a/x.txt": _hashed("x", "a/x.txt")}),  # nearer the root first
    (["x.txt", "x.pdf"], set(), {}, {"x.pdf": "x", "x.txt": _hashed("x", "x.txt")}),  # then by name
    (["a/x.txt", "b/x.txt"], set(), {"b/x.txt": "x"}, {"a/x.txt": _hashed("x", "a/x.txt"), "b/x.txt": "x"}),  # kept
    (["x.txt"], {"x"}, {"x.txt": "x"}, {"x.txt": _hashed("x", "x.txt")}),  # its old id held by an indexed file
    (["y.txt"], set(), {"y.txt": "Báo cáo"}, {"y.txt": "y"}),  # an id of an older scheme is not kept
    (["y.txt"], set(), {"y.txt": "kept_id"}, {"y.txt": "kept_id"}),  # whatever it was, a valid id stays
])
def test_assign_report_ids(names, taken, previous, expected):
    assert assign_report_ids(names, taken, previous) == expected


def test_hashed_ids_are_those_of_the_documented_scheme():
    """The hash is sha256 of the name's bytes in the corpus: NFC and NFD names differ, both stable."""
    nfc_name, nfd_name = "Báo cáo.txt", unicodedata.normalize("NFD", "Báo cáo.txt")
    assert report_id_for(nfc_name) == "bao-cao-" + hashlib.sha256(nfc_name.encode()).hexdigest()[:10]
    assert report_id_for(nfd_name) == "bao-cao-" + hashlib.sha256(nfd_name.encode()).hexdigest()[:10]
    assert report_id_for(nfc_name) != report_id_for(nfd_name)
    assert report_id_for("x.docx", {"x"}) == "x-" + hashlib.sha256(b"x.docx").hexdigest()[:10]
    long_name = "Báo cáo " * 30 + ".txt"  # 240 characters, 330 bytes in UTF-8: the id stays short
    assert len(report_id_for(long_name)) <= 71


def test_a_taken_hash_gets_a_longer_one():
    first = report_id_for("Báo cáo.txt")
    assert report_id_for("Báo cáo.txt", {first}).startswith(first) and len(report_id_for("Báo cáo.txt", {first})) == len(first) + 10


# --- the corpus boundary ---------------------------------------------------------------------------------------
def _write_docx(path: Path, text: str) -> None:
    from docx import Document

    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(path)


@pytest.fixture(scope="module")
def linked_corpus(tmp_path_factory) -> dict:
    """A corpus beside an outside folder holding a secret, with every kind of link into it."""
    work = tmp_path_factory.mktemp("links")
    outside, corpus = work / "outside", work / "corpus"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "folder" / "inner.txt").write_text(SECRET, encoding="utf-8")
    (corpus / "sub" / "deeper").mkdir(parents=True)
    shutil.copyfile(SEED, corpus / SEED.name)
    (corpus / "sub" / "own.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    links = {
        "passwd.txt": outside / "secret.txt",  # a file link to outside, absolute
        "relative.txt": Path("..") / "outside" / "secret.txt",  # the same, relative
        "folder": outside / "folder",  # a folder link to outside
        "sub/deeper/up.txt": Path("..") / ".." / ".." / "outside" / "secret.txt",  # in a subfolder, by ..
        "sub/outfolder": Path("..") / ".." / "outside",  # a folder link in a subfolder
        "broken.txt": work / "nowhere.txt",  # leads nowhere
        "loop.txt": Path("loop.txt"),  # leads to itself
        "again": Path("sub"),  # a folder link inside: its files are indexed by their real path
        "sub/inside.txt": Path("..") / SEED.name,  # a file link inside: a file of the corpus
    }
    for name, target in links.items():
        os.symlink(target, corpus / name)
    os.link(outside / "secret.txt", corpus / "hard.txt")  # a hard link: a file of the corpus (documented)
    return {"work": work, "corpus": corpus, "outside": outside}


REFUSED = {"passwd.txt", "relative.txt", "folder", "sub/deeper/up.txt", "sub/outfolder", "broken.txt", "loop.txt", "again"}


def test_corpus_files_never_leave_the_corpus(linked_corpus):
    corpus, skipped = linked_corpus["corpus"], []
    names = {str(p.relative_to(corpus)) for p in corpus_files(corpus, skipped)}
    assert names == {SEED.name, "sub/own.txt", "sub/inside.txt", "hard.txt"}
    reasons = dict(skipped)
    assert set(reasons) == REFUSED
    for name in ("passwd.txt", "relative.txt", "folder", "sub/deeper/up.txt", "sub/outfolder"):
        assert "ngoài thư mục kho" in reasons[name], name
    assert "thư mục" in reasons["again"] and "hỏng" in reasons["broken.txt"] and "vòng lặp" in reasons["loop.txt"]


def test_a_relative_corpus_path_walks_the_same(linked_corpus, monkeypatch):
    monkeypatch.chdir(linked_corpus["work"])
    skipped = []
    names = {str(p.relative_to("corpus")) for p in corpus_files("corpus", skipped)}
    assert names == {SEED.name, "sub/own.txt", "sub/inside.txt", "hard.txt"} and set(dict(skipped)) == REFUSED


@pytest.mark.parametrize("engine", ENGINES)
def test_links_out_of_the_corpus_are_neither_indexed_nor_served(linked_corpus, tmp_path, engine):
    corpus = linked_corpus["corpus"]
    summary = build_index(corpus, tmp_path / "index", engine=engine)
    assert set(dict(summary.skipped)) == REFUSED
    assert sorted(summary.added) == sorted([SEED.name, "hard.txt", "sub/inside.txt", "sub/own.txt"])
    index = SearchIndex(tmp_path / "index")
    try:
        assert set(index.report_ids()) == {SEED_ID, "hard", "inside", "own"}
    finally:
        index.close()
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index"), "CORPUS_DIR": str(corpus)}).test_client()
    hits = client.get(f"/api/search?q={SECRET_WORD}").get_json()["hits"]
    assert {h["report_id"] for h in hits} == {"hard"}  # the hard link only: a file of the corpus
    for report_id in ("passwd", "relative", "up", "inner", "broken", "loop"):
        assert client.get(f"/api/reports/{report_id}").status_code == 404
        response = client.get(f"/reports/{report_id}/original")
        assert response.status_code == 404 and SECRET_WORD.encode() not in response.data


@pytest.mark.parametrize("engine", ENGINES)
def test_a_link_swapped_in_after_indexing_is_not_served(tmp_path, engine):
    """The resolved path is checked when the original is downloaded, not only when indexing."""
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir(), outside.mkdir()
    shutil.copyfile(SEED, corpus / SEED.name)
    (corpus / "later.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    build_index(corpus, tmp_path / "index", engine=engine)
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index"), "CORPUS_DIR": str(corpus)}).test_client()
    assert client.get("/reports/later/original").status_code == 200
    (corpus / "later.txt").unlink()
    os.symlink(outside / "secret.txt", corpus / "later.txt")
    response = client.get("/reports/later/original")
    assert response.status_code == 404 and SECRET_WORD.encode() not in response.data
    assert client.get("/api/reports/later").get_json()["original_url"] is None
    assert client.get(f"/reports/{SEED_ID}/original").status_code == 200


@pytest.mark.parametrize("url", [
    "/api/reports/..", "/api/reports/%2e%2e", "/api/reports/..%2f..%2foutside%2fsecret", "/reports/../original",
    "/reports/.hidden/original", "/api/reports/.", "/reports/%2e/original",
])
def test_dot_names_are_never_ids(client, url):
    response = client.get(url)
    assert response.status_code in (404, 308) and SECRET_WORD.encode() not in response.data


# --- any file name is a report ------------------------------------------------------------------------------------
NFD_NAME = unicodedata.normalize("NFD", "Báo cáo quý I năm 2023.txt")
NAMES = [
    "Báo cáo 6 tháng đầu năm 2024.txt",  # Vietnamese, NFC, spaces
    NFD_NAME,  # decomposed, as a Mac writes it
    unicodedata.normalize("NFC", NFD_NAME),  # the same words composed: another file, another id
    "Báo cáo (bản sửa) #2 & 50% — 'chính thức'; [v1]?.txt",  # punctuation a URL must escape
    "dòng một\ndòng hai.txt",  # a newline
    "Báo cáo tình hình kinh tế xã hội " * 5 + ".txt",  # long: 170 characters, 230 bytes
    "sub/000_bbd1df693d80d1cb.txt",  # the seed's stem again, in a folder
    "000_bbd1df693d80d1cb.docx",  # the seed's stem again, another format
    "a..b.txt",  # two dots inside a name are not a way up
]


@pytest.fixture(scope="module")
def named_site(tmp_path_factory):
    """A corpus of the seed under every kind of name, indexed by both engines and served by
    `searchsvc serve`; the seed itself keeps its id."""
    work = tmp_path_factory.mktemp("names")
    corpus = work / "corpus"
    (corpus / "sub").mkdir(parents=True)
    text = SEED.read_text(encoding="utf-8")
    shutil.copyfile(SEED, corpus / SEED.name)
    for name in NAMES:
        if name.endswith(".docx"):
            _write_docx(corpus / name, text)
        else:
            (corpus / name).write_text(text, encoding="utf-8")
    sites = {}
    try:
        for engine in ENGINES:
            index = work / f"index-{engine}"
            summary = build_index(corpus, index, engine=engine)
            server = loadtest.Server(index, corpus, work / f"server-{engine}.log", workers=1)
            sites[engine] = {"index": index, "summary": summary, "server": server}
        for site in sites.values():
            site["server"].wait_ready()
        yield {"corpus": corpus, "sites": sites}
    finally:
        for site in sites.values():
            site["server"].stop()


def _ids(index_dir: Path) -> dict[str, str]:
    """Corpus name -> report id, as the index has them."""
    index = SearchIndex(index_dir)
    try:
        return {name: entry["report_id"] for name, entry in index.generation.manifest["files"].items()}
    finally:
        index.close()


def _http_get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_every_name_is_indexed_under_a_unique_url_safe_id(named_site, engine):
    site = named_site["sites"][engine]
    assert site["summary"].skipped == []
    ids = _ids(site["index"])
    assert set(ids) == {SEED.name, *NAMES}
    assert len(set(ids.values())) == len(ids)  # unique
    assert ids[SEED.name] == SEED_ID  # the seed keeps its stem; the others with that stem are hashed
    assert ids["a..b.txt"] == "a..b"
    for report_id in ids.values():
        assert is_report_id(report_id) and quote(report_id, safe="") == report_id


@pytest.mark.parametrize("engine", ENGINES)
def test_every_name_works_in_every_url(named_site, engine):
    site, corpus = named_site["sites"][engine], named_site["corpus"]
    client = create_app({"TESTING": True, "INDEX_DIR": str(site["index"]), "CORPUS_DIR": str(corpus)}).test_client()
    port = site["server"].port
    for name, report_id in _ids(site["index"]).items():
        data = client.get(f"/api/reports/{report_id}").get_json()
        assert data["id"] == report_id and data["source"] == Path(name).name, name
        for url in (data["url"], data["original_url"], f"/reports/{report_id}?q=" + quote("đầu tư")):
            response = client.get(url)
            assert response.status_code == 200, (name, url)
            assert _http_get(port, url)[0] == 200, (name, url)
        status, body = _http_get(port, data["original_url"])
        assert body == client.get(data["original_url"]).data == (corpus / name).read_bytes()
        disposition = client.get(data["original_url"]).headers["Content-Disposition"]
        assert disposition.startswith("attachment") and "\n" not in disposition
    hits = client.get("/api/search?q=" + quote("đầu tư công") + "&per_page=50").get_json()["hits"]
    assert len({h["report_id"] for h in hits}) == len(NAMES) + 1
    for hit in hits[:12]:
        assert _http_get(port, hit["url"])[0] == 200


@pytest.mark.parametrize("engine", ENGINES)
def test_ids_are_stable_across_reindexing(named_site, tmp_path, engine):
    corpus = tmp_path / "corpus"
    shutil.copytree(named_site["corpus"], corpus)
    first = build_index(corpus, tmp_path / "index", engine=engine)
    before = _ids(tmp_path / "index")
    assert before == _ids(named_site["sites"][engine]["index"])  # another index of the same names: the same ids
    build_index(corpus, tmp_path / "index", full=True)
    assert _ids(tmp_path / "index") == before
    # A new file that would take the seed's plain id in a new index, and a change to a file holding a
    # hashed id: no id moves, in an update or in a full rebuild.
    _pdf_bomb(corpus / "000_bbd1df693d80d1cb.pdf", 20_000)  # a small, readable PDF: "x.pdf" comes before "x.txt"
    (corpus / "sub" / SEED.name).write_text(SEED.read_text(encoding="utf-8") + "\nThêm.\n", encoding="utf-8")
    build_index(corpus, tmp_path / "index")
    after = _ids(tmp_path / "index")
    assert {name: after[name] for name in before} == before
    assert len(set(after.values())) == len(after) == first.reports + 1
    build_index(corpus, tmp_path / "index", full=True)
    assert _ids(tmp_path / "index") == after


# --- one error shape, through the real server ---------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_server(seed_index_dir, tmp_path_factory):
    server = loadtest.Server(seed_index_dir, CORPUS, tmp_path_factory.mktemp("seed-server") / "server.log", workers=1)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def _exchange(port: int, request: bytes, timeout: float = 60) -> tuple[int, dict, bytes]:
    """Send raw bytes, read the whole answer (the server closes): status, lower-cased headers, body."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError):  # refused before the end was read: the answer waits
            pass
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def _get_request(target: str, extra_headers: str = "") -> bytes:
    return f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra_headers}\r\n".encode("latin-1")


def _assert_envelope(status: int, headers: dict, body: bytes, expected_status: int, code: str) -> None:
    assert status == expected_status, body[:300]
    assert headers["content-type"].startswith("application/json")
    assert json.loads(body)["error"]["code"] == code
    for name, value in SECURITY_HEADERS.items():
        assert headers[name.lower()] == value, name


LONG_Q = "nghị quyết đầu tư công ễ" * 40  # Vietnamese: 3-byte letters, 9 characters each when percent-encoded


@pytest.mark.parametrize("target, status, code", [
    # a valid 1,000-character query: 9,000+ bytes of request line, answered by the app
    ("/api/search?q=" + quote("ễ" * MAX_QUERY_LENGTH), 200, None),
    ("/api/search?q=" + quote("ễ" * (MAX_QUERY_LENGTH + 1)), 400, "invalid_query"),  # the app's own limit
    ("/api/search?q=" + quote(LONG_Q[:MAX_QUERY_LENGTH]), 400, "invalid_query"),  # within the length, too many words
    ("/api/search?q=" + "a" * (MAX_URL_BYTES + 1), 414, "uri_too_long"),  # over the app's URL limit
    ("/api/search?q=" + "a" * (1024 * 1024 + 1), 414, "uri_too_long"),  # over the server's: the worker answers
    ("/api/nowhere", 404, "not_found"),
])
def test_errors_under_api_are_the_json_envelope_through_the_server(seed_server, target, status, code):
    got, headers, body = _exchange(seed_server.port, _get_request(target))
    if code is None:
        assert got == 200 and json.loads(body)["query"] == "ễ" * MAX_QUERY_LENGTH
    else:
        _assert_envelope(got, headers, body, status, code)


@pytest.mark.parametrize("extra, status, code", [
    ("X-Big: " + "a" * 9000 + "\r\n", 431, "headers_too_large"),  # one field over gunicorn's 8 KiB: the worker
    ("".join(f"X-Part-{n}: {'a' * 8000}\r\n" for n in range(9)), 431, "headers_too_large"),  # 72 KB in all: the app
])
def test_header_limits_are_the_json_envelope(seed_server, extra, status, code):
    _assert_envelope(*_exchange(seed_server.port, _get_request("/api/search?q=x", extra)), status, code)


def test_a_malformed_request_is_the_json_envelope(seed_server):
    _assert_envelope(*_exchange(seed_server.port, b"GET /api/search?q=x HTTP/9.9 extra\r\n\r\n"), 400, "bad_request")


def test_the_app_gives_the_same_answers_without_the_server(client):
    """The limits are the app's own: the Flask test client gets the same statuses and envelope."""
    response = client.get("/api/search?q=" + "a" * (MAX_URL_BYTES + 1))
    assert response.status_code == 414 and response.get_json()["error"]["code"] == "uri_too_long"
    response = client.get("/api/search?q=x", headers={f"X-Part-{n}": "a" * 8000 for n in range(9)})
    assert response.status_code == 431 and response.get_json()["error"]["code"] == "headers_too_large"
    assert client.get("/?q=" + "a" * (MAX_URL_BYTES + 1)).mimetype == "text/html"  # pages keep their error page


# --- slow and idle clients do not starve the others ----------------------------------------------------------
def test_slow_and_idle_connections_do_not_hold_the_workers(seed_server):
    """64 connections trickling a request that never ends and 100 idle kept-alive ones, held open,
    while ordinary requests are answered. Under gunicorn's thread workers (2 x 4 threads) they
    waited for the slow ones forever; the timeout is a hang guard. Delays are measured by
    benchmarks/slowclients.py, not here."""
    port, held = seed_server.port, []
    try:
        for _ in range(64):
            sock = socket.create_connection(("127.0.0.1", port), timeout=60)
            sock.sendall(b"GET /api/search?q=")  # and nothing more
            held.append(sock)
        for _ in range(100):
            sock = socket.create_connection(("127.0.0.1", port), timeout=60)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
            held.append(sock)
        for path in ["/api/search?q=" + quote("đầu tư công"), f"/reports/{SEED_ID}", "/healthz"] * 3:
            assert _http_get(port, path)[0] == 200
    finally:
        for sock in held:
            sock.close()


def test_gunicorn_takes_every_setting_of_serve():
    """Each setting is one gunicorn knows (an unknown name raises), with the values the server
    relies on: the gevent worker that answers in JSON, no shared control socket, the raised line limit."""
    from gunicorn.config import Config

    from searchsvc.serving import JsonErrorWorker, gunicorn_settings

    config = Config()
    for name, value in gunicorn_settings("127.0.0.1", 8000, 2).items():
        config.set(name, value)
    assert config.worker_class is JsonErrorWorker
    assert config.control_socket_disable is True
    assert config.limit_request_line == 0 and config.workers == 2
