"""Search engines behind one small interface; the index records which one built it.

An engine module provides:

* ``prepare(document) -> prepared``: the engine's analysis of one document of
  ``schema.section_documents``, a pure function of it whose result pickles (the indexer runs it
  in worker processes, next to parsing);
* ``create_writer(path, fresh) -> Writer`` with ``delete_report(report_id)``, ``add(prepared)``,
  ``commit()`` and ``cancel()``;
* optionally ``worker_writer(path) -> writer`` with ``add(prepared)`` and ``finish() -> written``:
  in a full build each worker process writes the documents it prepares into the new index at
  ``path`` (``workers``), and the ``Writer`` gets every worker's ``written`` and the number of
  documents they wrote (``add_written(written, documents)``) before ``commit()``;
* ``open_reader(path) -> Reader`` with ``compile(tree, filters)`` (a ``query`` tree and facet
  filters -> an engine query), ``page(compiled, sort, offset, limit)``, ``matching_docs(compiled)``,
  ``report_of(doc)``, ``count_reports(docs)``, ``count_facet(facet, docs, aliases)``,
  ``top_values(facet, docs, limit, aliases, selected)`` (the first ``limit`` values of
  ``count_facet``, most reported first, then the ``selected`` ones further down), ``vocabulary()``, ``correct(word)``,
  ``doc_count()``, ``warm()`` (read now what a first query would read) and ``close()``; it raises ``OSError``/``ValueError`` on a broken index.
"""
from __future__ import annotations

import importlib

__all__ = ["ENGINES", "DEFAULT_ENGINE", "get_engine"]

ENGINES = {"whoosh": "searchsvc.engines.whoosh_engine", "tantivy": "searchsvc.engines.tantivy_engine"}
DEFAULT_ENGINE = "whoosh"


def get_engine(name: str):
    """The engine module called ``name``; ValueError for an unknown one."""
    if name not in ENGINES:
        raise ValueError(f"Không có công cụ tìm kiếm “{name}” (có: {', '.join(ENGINES)}).")
    return importlib.import_module(ENGINES[name])
