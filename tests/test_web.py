"""The HTML pages: parsed, not grepped. Uses the ``client`` of the seed index (tests/conftest.py)."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from searchsvc.indexing import build_index
from searchsvc.normalize import fold
from searchsvc.web import SECURITY_HEADERS, create_app

from .htmltree import parse

Q84 = "Nghị quyết 84/NQ-CP"
SEED_84 = {"000_bbd1df693d80d1cb", "002_acdedd4f53924217", "004_41c8df0f7ff6743b"}
REPORT = "000_bbd1df693d80d1cb"  # Bình Dương 2020: "⁽¹⁾" footnotes on their own lines
INLINE_NOTES = "003_f8c2a2f27f6281a1"  # Hà Tĩnh 2021: "[footnoteRef:2]" with "[2: …]" notes inline

PAGES = [
    "/",
    f"/?q={Q84}",
    "/?q=đầu tư công&province=Bắc Giang&sort=newest",
    "/?q=xyzxyzxyz",
    "/?page=2&per_page=5",
    f"/reports/{REPORT}",
    f"/reports/{REPORT}?q={Q84}",
    f"/reports/{INLINE_NOTES}",
    "/instruments",
    "/instruments?type=Chỉ thị&sort=newest",
    "/instruments/84_NQ-CP.2020",
    "/instruments/01_NQ-CP",
    "/reports/nope",  # the error page
    "/?page=abc",  # the error page, 400
]


def get_page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.data[:500]
    assert response.mimetype == "text/html"
    return parse(response.data)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# --- every page -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_wellformed_vietnamese_html(client, url):
    response = client.get(url)
    assert response.status_code in (200, 400, 404)
    document = parse(response.data)  # raises on tags that do not nest
    html = document.find("html")
    assert html.get("lang") == "vi"
    assert document.find("title").text
    assert len(document.find_all("h1")) == 1
    assert document.find("input", id="q").get("name") == "q"


@pytest.mark.parametrize("url", PAGES)
def test_no_inline_script_or_style_and_nothing_from_elsewhere(client, url):
    document = parse(client.get(url).data)
    for script in document.find_all("script"):
        assert script.get("src", "").startswith("/static/"), "scripts come from web/static/ only"
        assert not script.text, "no inline script (CSP script-src 'self')"
    assert not document.find_all("style"), "no <style> element (CSP style-src 'self')"
    for element in document.iter():
        assert "style" not in element.attrs, f"style attribute on {element!r}"
        assert not any(name.startswith("on") for name in element.attrs), f"inline handler on {element!r}"
    for link in document.find_all("link"):
        assert link.get("href", "").startswith("/static/")


ROUTES = [
    "/", "/?q=x", "/?page=0", f"/reports/{REPORT}", f"/reports/{REPORT}/original", "/reports/nope", "/instruments",
    "/instruments/84_NQ-CP.2020", "/instruments/84_NQ-CP", "/instruments/01_NQ-CP", "/static/style.css",
    "/static/app.js", "/no/such/page", "/api/search?q=x", "/api/search?page=0", f"/api/reports/{REPORT}",
    "/api/instruments", "/api/instruments/84_NQ-CP.2020", "/api/openapi.json", "/healthz", "/api/nope",
]


@pytest.mark.parametrize("url", ROUTES)
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


# --- the search page -----------------------------------------------------------------------------------------
def hits(document):
    return document.find("ol", class_="hits").find_all("li", class_="hit") if document.find_all("ol", class_="hits") else []


def test_search_keeps_the_query_and_shows_the_hits(client):
    document = get_page(client, f"/?q={Q84}&group=section")
    assert document.find("input", id="q").get("value") == Q84
    found = hits(document)
    assert len(found) == 3
    reports = set()
    for hit in found:
        link = hit.find("h2", class_="hit-title").find("a")
        path, _, fragment = link.get("href").partition("#")
        reports.add(urlsplit(path).path.rsplit("/", 1)[-1])
        assert query_of(path)["q"] == [Q84]  # arriving on the report marks the query
        assert fragment.startswith("s")  # … at the section
        assert hit.find("ol", class_="crumbs").find_all("li")
        assert hit.find("p", class_="meta").text
        marks = hit.find("p", class_="snippet").find_all("mark")
        assert [m.text for m in marks] == ["84/NQ-CP"]
        cited = [a.get("href") for a in hit.find("p", class_="hit-instruments").find_all("a")]
        assert cited and all(href.startswith("/instruments/") for href in cited)
    assert reports == SEED_84
    assert "3 báo cáo, 3 đoạn" in document.find("p", class_="result-count").text


def test_facet_links_toggle_a_filter_on_and_off(client):
    document = get_page(client, "/?q=đầu tư công&year=2020&group=section")
    provinces = next(s for s in document.find_all("section", class_="facet") if s.find("h3").text == "Tỉnh, thành phố")
    link = next(a for a in provinces.find_all("a") if a.find("span", class_="facet-label").text == "Bắc Giang")
    count = int(link.find("span", class_="count").text)
    assert "selected" not in link.classes
    on = link.get("href")
    assert query_of(on) == {"q": ["đầu tư công"], "year": ["2020"], "province": ["Bắc Giang"], "group": ["section"]}  # other filters kept

    filtered = get_page(client, on)
    shown = hits(filtered)
    assert shown and all("Bắc Giang" in h.find("p", class_="meta").text for h in shown)
    assert f"{count} báo cáo," in filtered.find("p", class_="result-count").text  # the count was right
    selected = filtered.find("a", class_="selected")
    assert selected.get("aria-current") == "true"
    section = {"group": ["section"]}
    assert query_of(selected.get("href")) == {"q": ["đầu tư công"], "year": ["2020"]} | section  # clicking again removes it
    chips = {c.find("span", class_="chip-facet").text: c.get("href") for c in filtered.find_all("a", class_="chip")}
    assert query_of(chips["Tỉnh, thành phố:"]) == {"q": ["đầu tư công"], "year": ["2020"]} | section
    assert query_of(chips["Năm báo cáo:"]) == {"q": ["đầu tư công"], "province": ["Bắc Giang"]} | section
    assert query_of(filtered.find("a", class_="chip-clear").get("href")) == {"q": ["đầu tư công"]} | section


def test_toggle_urls_reset_the_page_and_keep_sort(client):
    document = get_page(client, "/?sort=oldest&page=2")
    for link in document.find("aside", class_="facets").find_all("a"):
        params = query_of(link.get("href"))
        assert params["sort"] == ["oldest"]
        assert "page" not in params


def test_the_search_box_carries_the_active_filters(client):
    document = get_page(client, "/?q=covid&province=Bắc Giang&province=Bến Tre&sort=newest")
    form = document.find("form", class_="search-form")
    hidden = [(i.get("name"), i.get("value")) for i in form.find_all("input", type="hidden")]
    assert hidden == [("province", "Bắc Giang"), ("province", "Bến Tre"), ("sort", "newest")]


def test_sort_links_and_pagination(client):
    document = get_page(client, "/?per_page=5&group=section")
    sorts = {a.text: a for a in document.find("nav", class_="sort").find_all("a")}
    assert sorts["Phù hợp nhất"].get("aria-current") == "true"
    assert query_of(sorts["Mới nhất"].get("href"))["sort"] == ["newest"]
    pages = document.find("nav", class_="pagination")
    assert pages.find("a", aria_current="page").text == "1"
    second = next(a for a in pages.find_all("a") if a.text == "2").get("href")
    assert query_of(second) == {"page": ["2"], "per_page": ["5"], "group": ["section"]}
    page_two = get_page(client, second)
    assert hits(page_two)[0].get("value") == "6"
    first_ids = {h.find("a").get("href") for h in hits(document)}
    assert not first_ids & {h.find("a").get("href") for h in hits(page_two)}


def test_newest_first_orders_by_report_date(client):
    document = get_page(client, "/?sort=newest&per_page=100")
    years = [int(next(s.text for s in h.find("p", class_="meta").find_all("span") if s.text.isdigit())) for h in hits(document)]
    assert years == sorted(years, reverse=True)


def test_a_query_with_markup_comes_back_escaped(client):
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = client.get("/", query_string={"q": attack})
    assert response.status_code == 200
    assert b"<script>alert" not in response.data and b"<img src=x" not in response.data
    document = parse(response.data)
    assert document.find("input", id="q").get("value") == attack  # shown back exactly, as text
    assert not [s for s in document.find_all("script") if not s.get("src")]
    assert not document.find_all("img")


def test_did_you_mean_links_to_the_corrected_search(client):
    document = get_page(client, "/?q=nong thon moii&province=Hà Tĩnh")
    link = document.find("p", class_="suggestion").find("a")
    assert link.text == "nông thôn mới"
    assert query_of(link.get("href")) == {"q": ["nông thôn mới"], "province": ["Hà Tĩnh"]}


def test_empty_state_is_friendly(client):
    document = get_page(client, "/?q=xyzxyzxyz&year=2021")
    empty = document.find("div", class_="empty-state")
    assert "Không tìm thấy" in empty.find("h2").text
    assert query_of(empty.find("a").get("href")) == {"q": ["xyzxyzxyz"]}  # "remove all filters"
    assert not hits(document)


def test_warnings_are_shown(client):
    document = get_page(client, '/?q="đầu tư công')
    warning = document.find("p", class_="notice-warning")
    assert "không đúng cú pháp" in warning.text
    assert hits(document)  # searched as words, not rejected


def test_browsing_without_a_query_shows_everything_with_examples(client):
    document = get_page(client, "/")
    assert document.find("div", class_="welcome").find_all("a")
    assert "5 báo cáo," in document.find("p", class_="result-count").text
    assert len(hits(document)) == 5  # one row per report
    facets = [s.find("h3").text for s in document.find_all("section", class_="facet")]
    assert facets[:3] == ["Tỉnh, thành phố", "Năm báo cáo", "Kỳ báo cáo"]


# --- errors -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url, status, words",
    [
        ("/?page=0", 400, "Số trang"),
        ("/?page=abc", 400, "số nguyên"),
        ("/?per_page=1000", 400, "mỗi trang"),
        ("/?sort=random", 400, "sắp xếp"),
        ("/?color=red", 400, "không được hỗ trợ"),  # a misspelt filter is reported, not ignored
        ("/?q=" + "a " * 5000, 400, "vượt giới hạn"),  # QueryError from the library
        ("/reports/nope", 404, "Không có báo cáo"),
        ("/reports/..%2F..%2Fetc%2Fpasswd", 404, "Không tìm thấy"),
        ("/instruments/99_XX-YY.2020", 404, "Không có văn bản"),
        ("/instruments?year=abc", 400, "Năm không hợp lệ"),
        ("/no/such/page", 404, "Không tìm thấy"),
    ],
)
def test_error_pages_are_vietnamese_with_the_right_status(client, url, status, words):
    document = get_page(client, url, status)
    section = document.find("section", class_="error-page")
    assert f"Lỗi {status}" in section.text
    assert words.lower() in section.find("p", class_="error-message").text.lower() or words in section.text


def test_error_page_keeps_the_query_in_the_box(client):
    document = get_page(client, "/?q=giải ngân&page=0", 400)
    assert document.find("input", id="q").get("value") == "giải ngân"


def test_without_an_index_pages_say_how_to_build_one(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "missing")}).test_client()
    document = get_page(client, "/", 503)
    assert "searchsvc index" in document.find("p", class_="error-message").text


# --- the report page ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def stored(seed_index):
    return {rid: seed_index.report(rid) for rid in (REPORT, INLINE_NOTES, "004_41c8df0f7ff6743b")}


def test_report_page_shows_metadata_and_original(client, stored):
    document = get_page(client, f"/reports/{REPORT}")
    facts = {d.find("dt").text: d.find("dd").text for d in document.find("dl", class_="facts").find_all("div")}
    assert facts["Tỉnh, thành phố"] == "Bình Dương"
    assert facts["Năm"] == "2020"
    assert facts["Kỳ báo cáo"] == "6 tháng đầu năm"
    assert facts["Ngày ký"] == "01/07/2020"
    assert facts["Số hiệu"] == "165/BC-UBND"
    assert facts["Định dạng gốc"].startswith("Văn bản thuần")
    assert document.find("h1").text == stored[REPORT]["title"]
    assert not document.find_all("p", class_="badge")  # accented report: no "không dấu" badge
    download = document.find("a", href=f"/reports/{REPORT}/original")
    assert "download" in download.attrs


def test_report_page_has_a_toc_and_an_anchor_per_section(client, stored):
    document = get_page(client, f"/reports/{REPORT}")
    sections = [s["id"] for s in stored[REPORT]["sections"]]
    anchors = [s.get("id") for s in document.find("div", class_="report-text").find_all("section")]
    assert anchors == sections
    toc = [a.get("href") for a in document.find("nav", aria_label="Mục lục").find_all("a")]
    assert toc == [f"#{s}" for s in sections]
    nested = document.find("nav", aria_label="Mục lục").find("ol").find_all("ol")
    assert nested  # the tree, not a flat list


def test_every_citation_is_a_link_to_its_instrument(client, stored):
    report = stored[REPORT]
    document = get_page(client, f"/reports/{REPORT}")
    links = document.find("div", class_="report-text").find_all("a", class_="cite")
    linked = [(unquote(a.get("href")), a.text) for a in links]
    # every citation is linked, in the text or in a footnote; one broken over lines gives a link per line
    assert {href for href, _ in linked} == {f"/instruments/{c['key']}" for c in report["citations"]}
    assert len(links) >= len(report["citations"])
    surfaces = {}
    for c in report["citations"]:
        surfaces.setdefault(f"/instruments/{c['key']}", []).append(" ".join(c["surface"].split()))
    for href, text in linked:
        assert any(text in surface for surface in surfaces[href]), (href, text)
    whole = [text for href, text in linked if text in surfaces[href]]
    assert len(whole) >= len(report["citations"]) - 2  # nearly all on one line


def test_footnotes_sit_under_their_section_with_links_both_ways(client, stored):
    document = get_page(client, f"/reports/{REPORT}")
    section = document.by_id("s2")
    note = section.find("li", id="fn-s2-1")
    assert note.text.startswith("Nghị quyết về nhiệm vụ, giải pháp chủ yếu")
    marker = document.by_id("fnref-s2-1")
    assert marker.get("href") == "#fn-s2-1"
    assert note.find("a", class_="back-ref").get("href") == "#fnref-s2-1"
    body = " ".join(line.text for line in section.find_all(class_="line"))
    assert "⁽¹⁾ Nghị quyết về nhiệm vụ" not in body  # the note is not repeated in the text


@pytest.mark.parametrize("report_id", sorted(SEED_84 | {INLINE_NOTES, "001_ffc53ab4c4f31481"}))
def test_every_anchor_resolves_and_every_footnote_is_shown(client, seed_index, report_id):
    document = get_page(client, f"/reports/{report_id}")
    ids = [e.get("id") for e in document.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "ids are unique"
    for link in document.find_all("a"):
        href = link.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids, href
    notes = [(s["id"], f["number"]) for s in seed_index.report(report_id)["sections"] for f in s["footnotes"]]
    for section_id, number in notes:
        assert document.by_id(section_id).find("li", id=f"fn-{section_id}-{number}").text


def test_inline_notes_are_moved_out_of_the_text_with_their_citations(client, stored):
    document = get_page(client, f"/reports/{INLINE_NOTES}")
    section = document.by_id("s2")
    body = " ".join(line.text for line in section.find_all(class_="line"))
    assert "[2:" not in body and "[footnoteRef:2]" not in body
    note = section.find("li", id="fn-s2-2")
    assert note.text.startswith("Nghị quyết số 01/NQ-CP ngày 01/01/2021")
    assert "/instruments/01_NQ-CP.2021" in [a.get("href") for a in note.find_all("a", class_="cite")]


def test_arriving_from_a_search_marks_the_query_in_the_section(client):
    document = get_page(client, f"/reports/{REPORT}?q={Q84}")
    marks = document.by_id("s35").find_all("mark")
    assert [m.text for m in marks] == ["84/NQ-CP"]
    assert "Đang đánh dấu" in document.find("p", class_="notice-info").text
    assert query_of(document.find("p", class_="back").find("a").get("href")) == {"q": [Q84]}
    assert not get_page(client, f"/reports/{REPORT}").find_all("mark")


def test_marking_words_and_phrases(client):
    document = get_page(client, f"/reports/{REPORT}?q=\"đầu tư công\" giai ngan")
    texts = {m.text.lower() for m in document.find_all("mark")}
    assert {"đầu tư công", "giải ngân"} <= texts  # a phrase is one mark; unaccented words mark accented text
    assert {fold(t) for t in texts} <= {"dau tu cong", "giai ngan", "giai", "ngan"}


def test_a_query_too_long_to_mark_still_shows_the_report(client):
    document = get_page(client, f"/reports/{REPORT}?q=" + "a " * 5000)
    assert "Không đánh dấu được" in document.find("p", class_="notice-warning").text


def test_original_file_download(client):
    from tests.conftest import CORPUS

    response = client.get(f"/reports/{REPORT}/original")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.data == (CORPUS / f"{REPORT}.txt").read_bytes()
    assert response.content_type == "text/plain; charset=utf-8"


# --- instruments ---------------------------------------------------------------------------------------------
def test_instrument_page_lists_every_citing_report_with_sentences_and_a_chart(client):
    document = get_page(client, "/instruments/84_NQ-CP.2020")
    assert document.find("h1").text == "Nghị quyết 84/NQ-CP (2020)"
    facts = {d.find("dt").text: d.find("dd").text for d in document.find("dl", class_="facts").find_all("div")}
    assert facts["Ngày ban hành"] == "29/05/2020" and facts["Cơ quan ban hành"] == "Chính phủ"
    assert document.find("p", class_="lead").text.startswith("Nghị quyết về các nhiệm vụ, giải pháp")
    reports = document.find("ol", class_="citing").find_all("li", class_="citing-report")
    assert {r.find("h3").find("a").get("href").rsplit("/", 1)[-1] for r in reports} == SEED_84
    for report in reports:
        for mention in report.find("ul", class_="mentions").find_all("li", class_="mention"):
            assert "84/NQ-CP" in mention.find("blockquote").find("mark").text
            href = mention.find("a", class_="mention-where").get("href")
            assert "#s" in href and query_of(href.split("#")[0])["q"] == ["84/NQ-CP"]
    charts = document.find_all("figure", class_="chart")
    assert len(charts) == 2
    svg = charts[0].find("svg")
    assert svg.get("role") == "group"  # its bars are links, so not one image
    bars = {a.find_all("text")[0].text: int(a.find_all("text")[1].text) for a in svg.find_all("a", class_="chart-bar")}
    assert bars == {"Bình Dương": 1, "Bắc Giang": 1, "Bến Tre": 1}
    for bar in svg.find_all("a", class_="chart-bar"):  # each bar searches the citing reports of its province
        assert query_of(bar.get("href")) == {"instrument": ["84_NQ-CP.2020"], "province": [bar.find("text").text]}
    assert "Bắc Giang: 1 báo cáo" in svg.find("desc").text  # readable without drawing


def test_undated_key_with_one_candidate_redirects(client):
    response = client.get("/instruments/84_NQ-CP")
    assert response.status_code == 302
    assert response.headers["Location"] == "/instruments/84_NQ-CP.2020"


def test_undated_key_with_several_years_asks_which(client):
    document = get_page(client, "/instruments/01_NQ-CP")
    links = [a for li in document.find("ul", class_="candidates").find_all("li") for a in li.find_all("a")]
    assert [a.get("href") for a in links] == [
        "/instruments/01_NQ-CP.2020", "/instruments/01_NQ-CP.2021", "/instruments/01_NQ-CP.2023",
    ]
    assert "01/NQ-CP" in document.find("h1").text


def instrument_rows(document):
    return [
        {"key": r.find("th").find("a").get("href").rsplit("/", 1)[-1], **{td.get("data-label"): td.text for td in r.find_all("td")}}
        for r in document.find("table", class_="instrument-table").find("tbody").find_all("tr")
    ]


def test_instruments_list_sorted_by_citations(client):
    rows = instrument_rows(get_page(client, "/instruments"))
    counts = [int(r["Lần trích dẫn"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    assert rows[0]["key"] == "84_NQ-CP.2020"
    assert len(rows) == len({r["key"] for r in rows})


@pytest.mark.parametrize(
    "query, column, expected",
    [
        ("type=Chỉ thị", "Loại", {"Chỉ thị"}),
        ("issuer=Thủ tướng Chính phủ", "Cơ quan", {"Thủ tướng Chính phủ"}),
        ("type=Nghị quyết&issuer=Chính phủ", "Cơ quan", {"Chính phủ"}),  # AND across filters
    ],
)
def test_instruments_list_filters(client, query, column, expected):
    document = get_page(client, f"/instruments?{query}")
    rows = instrument_rows(document)
    assert rows and {r[column] for r in rows} == expected
    assert document.find_all("a", class_="chip")


def test_instruments_list_year_filter_and_selected_option(client):
    document = get_page(client, "/instruments?year=2023&sort=newest")
    rows = instrument_rows(document)
    assert rows and all(r["Ngày"].endswith("/2023") or r["Ngày"] == "—" for r in rows)
    dates = [tuple(reversed(r["Ngày"].split("/"))) for r in rows if r["Ngày"] != "—"]
    assert dates == sorted(dates, reverse=True)
    select = document.find("select", id="filter-year")
    assert [o.get("value") for o in select.find_all("option") if "selected" in o.attrs] == ["2023"]


def test_instruments_list_text_filter(client):
    rows = instrument_rows(get_page(client, "/instruments?q=84/nq"))
    assert [r["key"] for r in rows] == ["84_NQ-CP.2020"]


# --- the app -------------------------------------------------------------------------------------------------------
def test_index_is_opened_lazily_and_a_reindex_is_picked_up(tmp_path):
    from tests.conftest import CORPUS

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = sorted(CORPUS.glob("*.txt"))
    for path in seeds[:2]:
        (corpus / path.name).write_bytes(path.read_bytes())
    index_dir = tmp_path / "index"
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    assert client.get("/healthz").status_code == 503  # the app starts before the index exists
    build_index(corpus, index_dir)
    first = client.get("/healthz").get_json()
    assert first["reports"] == 2
    (corpus / seeds[2].name).write_bytes(seeds[2].read_bytes())
    build_index(corpus, index_dir)
    second = client.get("/healthz").get_json()
    assert second["reports"] == 3 and second["generation"] != first["generation"]
    assert client.get(f"/reports/{seeds[2].stem}").status_code == 200


def test_config_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SEARCHSVC_INDEX_DIR", str(tmp_path / "from-env"))
    assert create_app().config["INDEX_DIR"] == str(tmp_path / "from-env")
    assert create_app({"INDEX_DIR": "given"}).config["INDEX_DIR"] == "given"  # the caller wins


def test_a_report_typed_without_accents_is_flagged_and_found(tmp_path):
    from tests.conftest import CORPUS

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = CORPUS / f"{REPORT}.txt"
    (corpus / "khong_dau.txt").write_text(fold(source.read_text(encoding="utf-8")), encoding="utf-8")
    build_index(corpus, tmp_path / "index")
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "index")}).test_client()
    document = get_page(client, "/reports/khong_dau")
    assert document.find("p", class_="badge").text == "Không dấu"
    found = get_page(client, f"/?q={Q84}")
    assert [urlsplit(a.get("href")).path for a in found.find("ol", class_="hits").find_all("a")][0] == "/reports/khong_dau"


@pytest.mark.parametrize(
    "name, encoding, expected",
    [
        ("a.txt", "utf-8", "text/plain; charset=utf-8"),
        ("a.txt", "utf-8-sig", "text/plain; charset=utf-8"),  # a BOM is still UTF-8
        ("a.txt", "cp1258", "text/plain; charset=windows-1258"),  # DOMAIN.md: Windows-1258 files
        ("a.txt", "no-such-codec", "application/octet-stream"),  # cannot name it: plain bytes
        ("a.docx", None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("a.pdf", None, "application/pdf"),
    ],
)
def test_original_download_content_type(name, encoding, expected):
    from searchsvc.web.views import _download_type

    assert _download_type(name, encoding) == expected


def test_instrument_page_quotes_show_no_footnote_markers(client):
    # 000 cites 36-NQ/TW in a sentence carrying the marker "⁽²⁾" (corpus/000_*.txt)
    document = get_page(client, "/instruments/36-NQ_TW.2018")
    quotes = [q.text for q in document.find_all("blockquote")]
    assert quotes and any("36-NQ/TW" in q for q in quotes)
    assert not [q for q in quotes if re.search(r"⁽|\[footnote|\[\d+\s*:", q)]


@pytest.mark.parametrize(
    "copies, listed, label, more",
    [
        (0, 0, "", None),
        (1, 1, "và 1 báo cáo khác cùng nội dung", None),
        (12, 12, "và 12 báo cáo khác cùng nội dung", None),  # exactly COPIES_SHOWN: all listed
        (13, 12, "và 13 báo cáo khác cùng nội dung", "và 1 báo cáo khác"),
        (126, 12, "và 126 báo cáo khác cùng nội dung", "và 114 báo cáo khác"),  # a paragraph copied by many offices
    ],
)
def test_a_row_lists_its_first_copies_and_links_the_rest(app, copies, listed, label, more):
    """A row folding a hundred copies lists the first ``COPIES_SHOWN`` of them; the rest are one
    link to every matching section (the view by section lists each copy)."""
    from searchsvc.grouping import ReportRow
    from searchsvc.models import SearchRequest
    from searchsvc.web.resultrows import COPIES_SHOWN, row_views

    row = ReportRow("r0", "Báo cáo gốc", "Bắc Giang", 2020, None, None)
    row.same_content = [{"report_id": f"r{i}", "title": f"Báo cáo {i}", "province": f"Tỉnh {i}", "year": 2021}
                        for i in range(1, copies + 1)]
    request = SearchRequest(q="giải ngân vốn", group="report")
    with app.test_request_context("/?q=giải+ngân+vốn"):
        (view,) = row_views(request, [row], 1)
    assert COPIES_SHOWN == 12
    assert [link.label for link in view.same_content] == [f"Tỉnh {i} – 2021" for i in range(1, listed + 1)]
    assert view.same_content_label == label
    if more is None:
        assert view.more_copies is None
    else:
        assert view.more_copies.label == more
        query = parse_qs(urlsplit(view.more_copies.url).query)
        assert query["group"] == ["section"] and query["q"] == ["giải ngân vốn"]


def test_every_link_keeps_the_prefix_the_app_is_served_under(app):
    """Behind a proxy at /tra-cuu (SCRIPT_NAME) every link of a page starts with it; the paths a page
    remembers are kept per prefix, so the same app answering at / next gives no prefixed link, and
    a path built in a request context that no request ran through is routed afresh."""
    from searchsvc.web.presenters import path

    client = app.test_client()

    def page_links(base_url: str) -> list[str]:
        response = client.get(f"/?q={Q84}&province=Bình Dương", base_url=base_url)
        assert response.status_code == 200
        return [a.get("href") for a in parse(response.data).find_all("a") if a.get("href", "").startswith("/")]

    prefixed = page_links("http://localhost/tra-cuu/")
    assert len(prefixed) > 20 and all(href.startswith("/tra-cuu/") for href in prefixed), prefixed
    assert any(href.startswith("/tra-cuu/reports/") for href in prefixed)
    plain = page_links("http://localhost/")
    assert len(plain) == len(prefixed) and not any(href.startswith("/tra-cuu") for href in plain)
    with app.test_request_context("/", base_url="http://localhost/tra-cuu/"):
        assert path("views.report", report_id=REPORT) == f"/tra-cuu/reports/{REPORT}"
    with app.test_request_context("/", base_url="http://example.org/tra-cuu/"):
        app.preprocess_request()  # the request's remembered paths bound, as in a real request
        assert path("views.report", report_id=REPORT) == f"/tra-cuu/reports/{REPORT}"
        assert path("views.report", report_id=REPORT, _external=True) == f"http://example.org/tra-cuu/reports/{REPORT}"
