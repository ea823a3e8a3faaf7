"""Request parameters -> library requests, validated in one place for HTML and JSON alike.

Every endpoint names the parameters it takes; anything else is a ``QueryError`` (400), so a
misspelt filter ("?provnce=Bắc Giang") is reported instead of silently ignored. Ids from the URL
are checked against a strict pattern and then looked up in the index, never joined into a path.
"""
from __future__ import annotations

import re
from typing import Iterable

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from searchsvc.models import FACETS, SearchRequest
from searchsvc.query import QueryError
from searchsvc.searching import validate

__all__ = [
    "SEARCH_PARAMS", "search_request", "check_known", "integer", "single", "report_id", "instrument_key",
    "instrument_listing", "MAX_FILTER_VALUES",
]

SEARCH_PARAMS = ("q", *FACETS, "sort", "page", "per_page", "group", "scope")
MAX_FILTER_VALUES = 50  # filter values in one request, all facets together
MAX_VALUE_LENGTH = 200  # characters of one filter value
REPORT_ID = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")
INSTRUMENT_KEY = re.compile(r"^[\w.-]{1,200}$")  # letters of any script: "15_2020_QĐ-TTg.2020"


def check_known(args: MultiDict, known: Iterable[str]) -> None:
    known = tuple(known)
    unknown = sorted(set(args) - set(known))
    if unknown:
        raise QueryError(f"Tham số không được hỗ trợ: “{unknown[0]}” (có: {', '.join(known)}).")


def single(args: MultiDict, name: str, default: str = "") -> str:
    values = args.getlist(name)
    if len(values) > 1:
        raise QueryError(f"Tham số “{name}” chỉ nhận một giá trị.")
    return values[0] if values else default


def integer(args: MultiDict, name: str, default: int) -> int:
    raw = single(args, name).strip()
    if not raw:
        return default
    if not re.fullmatch(r"[+-]?\d{1,9}", raw):
        raise QueryError(f"Tham số “{name}” phải là số nguyên (nhận được: “{raw[:40]}”).")
    return int(raw)


def values(args: MultiDict, name: str) -> list[str]:
    """The non-empty values of a repeatable parameter, in order, without duplicates."""
    out = list(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))
    for value in out:
        if len(value) > MAX_VALUE_LENGTH:
            raise QueryError(f"Giá trị của “{name}” dài quá {MAX_VALUE_LENGTH} ký tự.")
    return out


def search_request(args: MultiDict, per_page: int = 10, group: str = "section") -> SearchRequest:
    """The one parser of search parameters, shared by ``/`` and ``/api/search``.

    ``?q=…&province=Bắc Giang&province=Bến Tre&year=2020&sort=newest&page=2&per_page=20``
    Raises QueryError (-> 400) for an unknown parameter or a value out of range.
    """
    check_known(args, SEARCH_PARAMS)
    filters = {name: found for name in FACETS if (found := values(args, name))}
    if sum(len(v) for v in filters.values()) > MAX_FILTER_VALUES:
        raise QueryError(f"Quá {MAX_FILTER_VALUES} giá trị lọc trong một yêu cầu.")
    request = SearchRequest(
        q=single(args, "q"),
        filters=filters,
        sort=single(args, "sort").strip() or "relevance",
        page=integer(args, "page", 1),
        per_page=integer(args, "per_page", per_page),
        group=single(args, "group").strip() or group,
        scope=single(args, "scope").strip() or "report",
    )
    return validate(request)


def report_id(value: str) -> str:
    if not REPORT_ID.fullmatch(value) or value.strip(".") == "":
        raise NotFound(f"Không có báo cáo “{value[:80]}”.")
    return value


def instrument_key(value: str) -> str:
    if not INSTRUMENT_KEY.fullmatch(value) or value.strip(".") == "":
        raise NotFound(f"Không có văn bản “{value[:80]}”.")
    return value


LISTING_PARAMS = ("q", "type", "issuer", "year", "sort", "page", "per_page")


def instrument_listing(args: MultiDict, per_page: int) -> dict:
    """Keyword arguments of ``searchsvc.instruments.list_instruments`` from request parameters."""
    check_known(args, LISTING_PARAMS)
    return {
        "text": single(args, "q").strip(),
        "types": values(args, "type"),
        "issuers": values(args, "issuer"),
        "years": values(args, "year"),
        "sort": single(args, "sort").strip() or "count",
        "page": integer(args, "page", 1),
        "per_page": integer(args, "per_page", per_page),
    }
