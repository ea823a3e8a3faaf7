"""The open index and the instrument catalogue, kept on the app (``app.extensions``).

A server's app opens and warms its index as it starts, in the background (``SearchIndex`` warms
each generation it opens), so that the first request is as fast as the next; a request that
comes earlier waits for that. The app starts before an index exists (a request then gets a 503
that says how to build one). Every request calls ``SearchIndex.refresh()`` — one ``stat`` — so a
reindex while serving is picked up. (Test apps open the index on first use.)
"""
from __future__ import annotations

import threading

from flask import Flask, current_app
from werkzeug.exceptions import NotFound

from searchsvc.engine import SearchIndex
from searchsvc.indexing import IndexUnavailable
from searchsvc.instruments import Catalogue

from . import params

__all__ = ["init_app", "get_index", "get_catalogue", "get_report"]

_KEY = "searchsvc"


class _State:
    def __init__(self, index_dir: str, warm: bool):
        self.index_dir = index_dir
        self.warm = warm
        self.index: SearchIndex | None = None
        self.lock = threading.Lock()


def init_app(app: Flask) -> None:
    state = app.extensions[_KEY] = _State(str(app.config["INDEX_DIR"]), warm=not app.testing)
    if not app.testing:
        threading.Thread(target=_open_early, args=(state,), name="searchsvc-warm", daemon=True).start()


def _open_early(state: _State) -> None:
    try:
        _opened(state)
    except IndexUnavailable:  # none yet, or broken: the first request says so
        pass


def _opened(state: _State) -> SearchIndex:
    if state.index is None:
        with state.lock:
            if state.index is None:
                state.index = SearchIndex(state.index_dir, warm=state.warm)
                return state.index
    state.index.refresh()
    return state.index


def get_index() -> SearchIndex:
    """The app's index, opened now if needed and refreshed; IndexUnavailable when there is none."""
    return _opened(current_app.extensions[_KEY])


def get_catalogue() -> Catalogue:
    """The instrument catalogue of the live index generation (rebuilt when it changes)."""
    return get_index().catalogue()


def get_report(report_id: str) -> dict:
    """A stored report by id (checked against a strict pattern, then looked up); 404 otherwise."""
    report = get_index().report(params.report_id(report_id))
    if report is None:
        raise NotFound(f"Không có báo cáo “{report_id}” trong chỉ mục.")
    return report
