"""Errors translated once, at the edge: the library raises, this module answers.

``QueryError`` -> 400, ``IndexUnavailable`` -> 503, HTTP errors keep their status, anything else
is a 500 that is logged. Under /api/ and /healthz the answer is ``{"error": {"code", "message"}}``;
elsewhere it is the Vietnamese error page with the same status and message.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from searchsvc.indexing import IndexUnavailable
from searchsvc.query import QueryError

__all__ = ["init_app", "Problem", "describe", "wants_json"]

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


def describe(error: BaseException) -> Problem:
    if isinstance(error, QueryError):
        return Problem(400, "invalid_query", "Yêu cầu tìm kiếm không hợp lệ", str(error))
    if isinstance(error, IndexUnavailable):
        return Problem(503, "index_unavailable", "Chỉ mục chưa sẵn sàng", str(error))
    if isinstance(error, HTTPException):
        code, title, message = _HTTP.get(error.code, ("http_error", "Lỗi", error.name))
        if error.description and error.description != type(error).description:
            message = error.description  # our own Vietnamese description: NotFound("Không có báo cáo …")
        return Problem(error.code or 500, code, title, message)
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


def init_app(app: Flask) -> None:
    for kind in (QueryError, IndexUnavailable, HTTPException, Exception):
        app.register_error_handler(kind, handle)
