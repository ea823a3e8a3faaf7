"""Shared fixtures: the seed corpus parsed once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_reports(seed_paths):
    from searchsvc import read_report

    return {path.stem: read_report(path) for path in seed_paths}


ENGINES = ["whoosh", "tantivy"]  # every test on the seed index runs against each engine


@pytest.fixture(scope="session", params=ENGINES, ids=ENGINES)
def engine(request) -> str:
    """The search engine under test (``searchsvc.engines``)."""
    return request.param


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory, engine) -> Path:
    """An index of the seed corpus, built once per test session and engine."""
    from searchsvc.indexing import build_index

    index_dir = tmp_path_factory.mktemp(f"index-{engine}")
    build_index(CORPUS, index_dir, engine=engine)
    return index_dir


@pytest.fixture(scope="session")
def seed_index(seed_index_dir):
    from searchsvc.engine import SearchIndex

    index = SearchIndex(seed_index_dir)
    yield index
    index.close()


@pytest.fixture
def app(seed_index_dir):
    from searchsvc.web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(seed_index_dir), "CORPUS_DIR": str(CORPUS)})


@pytest.fixture
def client(app):
    return app.test_client()
