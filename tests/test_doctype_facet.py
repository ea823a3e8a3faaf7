"""The genre of each document as a facet and a filter, on both engines (issue 13)."""
from __future__ import annotations

import shutil

import pytest

from searchsvc.engine import SearchIndex
from searchsvc.indexing import build_index
from searchsvc.models import SearchRequest
from searchsvc.searching import search
from tests.test_ingest_formats import REALDOCS

# one document of each genre among the development documents, read by the tests' gold metadata
GENRES = {
    "dev_04_lam-dong-bc-to-chuc-quan-ly-hoi-2025.docx": "Báo cáo",
    "dev_11_lam-dong-kh-thi-dua-cchc-2026.docx": "Kế hoạch",
    "dev_15_lam-dong-qd-de-an-dai-hoi-hoi-ccv-2026.docx": "Quyết định",
    "dev_19_lam-dong-cv-cai-thien-chi-so-2025.docx": "Công văn",
    "dev_17_lam-dong-bcd-qd-to-giup-viec-cchc-2025.doc": "Quyết định",
}


@pytest.fixture(scope="module", params=["whoosh", "tantivy"])
def genre_index(request, tmp_path_factory):
    corpus = tmp_path_factory.mktemp("genres")
    for name in GENRES:
        shutil.copy(REALDOCS / name, corpus / name)
    index_dir = tmp_path_factory.mktemp(f"genre-index-{request.param}")
    build_index(corpus, index_dir, engine=request.param)
    index = SearchIndex(index_dir)
    yield index
    index.close()


def test_doctype_facet_counts_reports(genre_index):
    results = search(genre_index, SearchRequest(q=""))
    counts = {value.value: value.count for value in results.facets["doctype"]}
    assert counts == {"Quyết định": 2, "Báo cáo": 1, "Kế hoạch": 1, "Công văn": 1}


def test_doctype_filter(genre_index):
    results = search(genre_index, SearchRequest(q="", filters={"doctype": ["Quyết định"]}, per_page=50))
    assert {hit.report_id for hit in results.hits} == {"dev_15_lam-dong-qd-de-an-dai-hoi-hoi-ccv-2026", "dev_17_lam-dong-bcd-qd-to-giup-viec-cchc-2025"}
    both = search(genre_index, SearchRequest(q="", filters={"doctype": ["Kế hoạch", "Công văn"]}, per_page=50))
    assert both.total_reports == 2  # OR within a facet
