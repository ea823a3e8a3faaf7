"""Errors translated once, at the edge: the library raises, this module answers.

``QueryError`` -> 400, ``IndexUnavailable`` -> 503, HTTP errors keep their status, anything else
is a 500 that is logged. Under /api/ and /healthz the answer is ``{"error": {"code", "message"}}``;
elsewhere it is the Vietnamese error page with the same status and message.

Size limits are the app's, so that they get the same answers: a URL over ``MAX_URL_BYTES`` is a
414, headers over ``MAX_HEADER_BYTES`` a 431 (``check_size``). Both are far above any valid
request (a 1,000-character query percent-encodes to at most 9,000 bytes); the server lets
larger ones through to here (``searchsvc.serving``), and answers what it refuses itself (beyond
1 MiB, a malformed request) in the same JSON envelope.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, RequestHeaderFieldsTooLarge, RequestURITooLarge

from searchsvc.indexing import IndexUnavailable
from searchsvc.query import QueryError

__all__ = ["init_app", "Problem", "describe", "problem_for_status", "wants_json", "MAX_URL_BYTES", "MAX_HEADER_BYTES"]

MAX_URL_BYTES = 512 * 1024  # path and query string as sent (percent-encoded)
MAX_HEADER_BYTES = 64 * 1024  # names and values of all request headers

# Vietnamese words for the HTTP errors raised by routing itself (werkzeug's are English).
_HTTP = {
    400: ("bad_request", "Yêu cầu không hợp lệ", "Yêu cầu không hợp lệ."),
    404: ("not_found", "Không tìm thấy", "Không tìm thấy trang hoặc tài nguyên này."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ", "Địa chỉ này không nhận phương thức HTTP đó."),
    413: ("too_large", "Yêu cầu quá lớn", "Yêu cầu quá lớn."),
    414: ("uri_too_long", "Địa chỉ quá dài", "Địa chỉ (URL) quá dài."),
    431: ("headers_too_large", "Yêu cầu quá lớn", "Phần đầu của yêu cầu quá lớn."),
}


@dataclass(frozen=True)
class Problem:
    status: int
    code: str  # machine-readable: "invalid_query", "not_found", "index_unavailable", …
    title: str  # heading of the error page
    message: str  # what happened and, when we know, what to do


def problem_for_status(status: int) -> Problem:
    """The problem of an HTTP status we name ourselves (also for errors the server answers)."""
    code, title, message = _HTTP.get(status, ("http_error", "Lỗi", "Lỗi."))
    return Problem(status, code, title, message)


def describe(error: BaseException) -> Problem:
    if isinstance(error, QueryError):
        return Problem(400, "invalid_query", "Yêu cầu tìm kiếm không hợp lệ", str(error))
    if isinstance(error, IndexUnavailable):
        return Problem(503, "index_unavailable", "Chỉ mục chưa sẵn sàng", str(error))
    if isinstance(error, HTTPException):
        problem = problem_for_status(error.code or 500)
        if error.code not in _HTTP:
            problem = Problem(problem.status, problem.code, problem.title, error.name)
        if error.description and error.description != type(error).description:
            # our own Vietnamese description: NotFound("Không có báo cáo …")
            problem = Problem(problem.status, problem.code, problem.title, error.description)
        return problem
    return Problem(500, "internal_error", "Lỗi máy chủ", "Đã có lỗi ngoài ý muốn. Vui lòng thử lại sau.")


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def handle(error: BaseException):
    if isinstance(error, HTTPException) and (error.code or 500) < 400:
        return error  # routing redirects (a missing trailing slash) are answers, not errors
    problem = describe(error)
    if problem.status >= 500 and not isinstance(error, (HTTPException, IndexUnavailable)):
        current_app.logger.exception("Unhandled error on %s", request.path, exc_info=error)
    if wants_json():
        response = jsonify({"error": {"code": problem.code, "message": problem.message}})
    else:
        response = current_app.make_response(
            render_template("error.html", problem=problem)
        )
    response.status_code = problem.status
    if isinstance(error, HTTPException) and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def check_size() -> None:
    """Refuse an over-long URL (414) or over-large headers (431) before any view runs."""
    environ = request.environ
    url_bytes = len(environ.get("RAW_URI") or "") or (
        len(environ.get("PATH_INFO", "").encode("utf-8", "surrogateescape")) + len(environ.get("QUERY_STRING", "")))
    if url_bytes > MAX_URL_BYTES:
        raise RequestURITooLarge()
    if sum(len(name) + len(value) for name, value in request.headers.items()) > MAX_HEADER_BYTES:
        raise RequestHeaderFieldsTooLarge()


def init_app(app: Flask) -> None:
    app.before_request(check_size)
    for kind in (QueryError, IndexUnavailable, HTTPException, Exception):
        app.register_error_handler(kind, handle)
