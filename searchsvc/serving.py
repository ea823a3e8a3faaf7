"""Run the web app under gunicorn with gevent workers, indexing the corpus first if needed.

Why this stack (``benchmarks/slowclients.py``, figures in the README): one process per core
(search is CPU-bound), and in each one an event loop that reads every request whole before the
app sees it, so a client sending a byte a second or a kept-alive connection sitting idle costs a
greenlet, not one of a few threads. Under gunicorn's thread workers eight such clients held every
thread; under this stack 64 slow and 200 idle connections add no visible delay.

Limits: a request line up to 1 MiB reaches the app (gunicorn's cap when the line limit is off), so
a valid 1,000-character query fits however it is percent-encoded, and the app answers an
over-long URL or parameter itself, in its own shapes (``web.errors``). What gunicorn still refuses
before the app (a header field over 8 KiB, a line over 1 MiB, a malformed request) is answered by
``JsonErrorWorker`` in the same JSON error envelope, with the same security headers. No control
socket is opened (gunicorn's default is one in the shared ``~/.gunicorn`` folder).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from gunicorn.app.base import BaseApplication
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine, ParseException
from gunicorn.workers.ggevent import GeventWorker

from .indexing import build_index, current_generation, tty_progress

__all__ = ["serve", "JsonErrorWorker", "WORKER_CONNECTIONS"]

WORKER_CONNECTIONS = 1000  # open connections per worker (slow and idle ones included)
KEEPALIVE_SECONDS = 5  # an idle kept-alive connection is closed after this


class JsonErrorWorker(GeventWorker):
    """gunicorn's gevent worker, answering a request refused before the app in the app's JSON
    error envelope: 414 for a request line over the limit, 431 for a header field over it, 400
    for a malformed request (its path is not known, so every path gets JSON). Anything else is
    gunicorn's own handling (``handle_error`` is the hook gunicorn's workers themselves extend;
    tests/test_security.py checks each answer through a real server)."""

    def handle_error(self, req, client, addr, exc):
        if not isinstance(exc, ParseException):
            return super().handle_error(req, client, addr, exc)
        from .web import SECURITY_HEADERS
        from .web.errors import problem_for_status

        status = 414 if isinstance(exc, LimitRequestLine) else 431 if isinstance(exc, LimitRequestHeaders) else 400
        problem = problem_for_status(status)
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        body = json.dumps({"error": {"code": problem.code, "message": problem.message}}, ensure_ascii=False).encode()
        head = [f"HTTP/1.1 {status} {_REASONS[status]}", "Connection: close",
                "Content-Type: application/json", f"Content-Length: {len(body)}",
                *(f"{name}: {value}" for name, value in SECURITY_HEADERS.items())]
        try:
            client.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        except OSError:
            self.log.debug("Failed to send error message.")


_REASONS = {400: "Bad Request", 414: "URI Too Long", 431: "Request Header Fields Too Large"}


def gunicorn_settings(host: str, port: int, workers: int) -> dict:
    """The gunicorn settings of `searchsvc serve` (the README's production set-up uses the same)."""
    return {
        "bind": f"{host}:{port}",
        "workers": max(1, workers),
        "worker_class": f"{__name__}.JsonErrorWorker",
        "worker_connections": WORKER_CONNECTIONS,
        "keepalive": KEEPALIVE_SECONDS,
        "timeout": 60,
        "limit_request_line": 0,  # gunicorn's cap, 1 MiB; the app limits the URL (``web.errors``)
        "limit_request_field_size": 8190,  # gunicorn's largest; a bigger field is JsonErrorWorker's 431
        "limit_request_fields": 100,
        "control_socket_disable": True,
        "accesslog": "-",
    }


def serve(*, index_dir: str, corpus: str, host: str, port: int, workers: int) -> int:
    if current_generation(index_dir) is None:
        if not Path(corpus).is_dir():
            print(f"Lỗi: chưa có chỉ mục ở {index_dir} và không thấy thư mục báo cáo {corpus}.", file=sys.stderr)
            return 1
        print(f"Chưa có chỉ mục: đang lập chỉ mục từ {corpus} …", file=sys.stderr)
        summary = build_index(corpus, index_dir, progress=tty_progress)
        print(f"Đã lập chỉ mục {summary.reports} báo cáo, {summary.sections} mục.", file=sys.stderr)

    settings = gunicorn_settings(host, port, workers)

    class Application(BaseApplication):
        def load_config(self):
            for name, value in settings.items():
                self.cfg.set(name, value)

        def load(self):
            from .web import create_app

            return create_app({"INDEX_DIR": str(Path(index_dir).resolve()), "CORPUS_DIR": str(Path(corpus).resolve())})

    print(f"Đang phục vụ tại http://{host}:{port}/ ({workers} tiến trình)", file=sys.stderr)
    Application().run()
    return 0
