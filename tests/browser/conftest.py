"""Shared by the browser tests: one WSGI server on the seed index and one headless Chromium for
the whole session (Playwright's sync API allows one per thread); each test gets a fresh context.

These tests never skip: without Chromium at /usr/bin/chromium they fail and say how to install it.
"""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from searchsvc.web import create_app

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
Q84 = "Nghị quyết 84/NQ-CP"
SEED_84 = {"000_bbd1df693d80d1cb", "002_acdedd4f53924217", "004_41c8df0f7ff6743b"}


@pytest.fixture(scope="session")
def server(seed_index_dir):
    """The app on 127.0.0.1, a free port, in a background thread."""
    app = create_app({"INDEX_DIR": str(seed_index_dir), "CORPUS_DIR": str(CORPUS)})
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, name="test-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Install it with `apt-get install -y chromium`; "
            "the browser tests do not skip.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def open_page(browser, server, viewport=DESKTOP, **options):
    context = browser.new_context(viewport=viewport, base_url=server, locale="vi-VN", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    return context, page, problems


@pytest.fixture
def desktop(browser, server):
    context, page, problems = open_page(browser, server)
    yield page
    context.close()
    assert problems == [], "no script errors and no Content-Security-Policy violations"


@pytest.fixture
def phone(browser, server):
    context, page, problems = open_page(browser, server, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield page
    context.close()
    assert problems == []


