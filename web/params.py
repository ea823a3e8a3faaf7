"""Request parameters -> library requests, validated in one place for HTML and JSON alike.

Every endpoint names the parameters it takes; anything else is a ``QueryError`` (400), so a
misspelt filter ("?provnce=Bắc Giang") is reported instead of silently ignored. Ids from the URL
are checked against a strict pattern and then looked up in the index, never joined into a path.
The limits and patterns here are the ones the OpenAPI document states (``openapi``): a value the
document allows is accepted, one it does not is a 400.
"""
from __future__ import annotations

import re
from typing import Iterable

from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from searchsvc.ingest import is_report_id
from searchsvc.models import FACETS, SearchRequest
from searchsvc.query import MAX_QUERY_LENGTH, QueryError
from searchsvc.searching import MAX_PAGE, validate

__all__ = [
    "SEARCH_PARAMS", "search_request", "check_known", "integer", "single", "report_id", "instrument_key",
    "instrument_listing", "page_number", "year_span", "facet_request", "MAX_FILTER_VALUES", "MAX_VALUE_LENGTH",
    "YEAR_PATTERN", "LISTING_YEAR_PATTERN",
]

SEARCH_PARAMS = ("q", *FACETS, "year_from", "year_to", "sort", "page", "per_page", "group", "scope")
MAX_FILTER_VALUES = 20  # values of one filter in one request
MAX_VALUE_LENGTH = 200  # characters of one filter value
MAX_DIGITS = 18  # of an integer parameter: anything longer is out of every range
YEAR_PATTERN = r"^([0-9]{4}|[0-9]{4}\.\.([0-9]{4})?|\.\.[0-9]{4})$"  # 2020, 2020..2022, 2020.., ..2022
LISTING_YEAR_PATTERN = r"^[0-9]{4}$"
_YEARS = (YEAR_PATTERN, "2020 hoặc 2020..2022")  # a year filter: its pattern, an example for the message
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
    """An integer parameter, ``default`` when absent; digits only ("", " 2", "2.0", "½" are 400)."""
    if name not in args:
        return default
    raw = single(args, name)
    if not re.fullmatch(r"-?[0-9]+", raw):
        raise QueryError(f"Tham số “{name}” phải là số nguyên (nhận được: “{raw[:40]}”).")
    if len(raw.lstrip("-0")) > MAX_DIGITS:
        raise QueryError(f"Tham số “{name}” nằm ngoài khoảng cho phép.")
    return int(raw)


def page_number(args: MultiDict, name: str = "page") -> int:
    """A page number, 1 to ``MAX_PAGE``."""
    number = integer(args, name, 1)
    if not 1 <= number <= MAX_PAGE:
        raise QueryError(f"Số trang phải từ 1 đến {MAX_PAGE}.")
    return number


def values(args: MultiDict, name: str, years: tuple[str, str] | None = None) -> list[str]:
    """The non-empty values of a repeatable parameter, in order, without duplicates; at most
    ``MAX_FILTER_VALUES`` of them, each at most ``MAX_VALUE_LENGTH`` characters; for years,
    each matching the pattern of ``years`` (pattern, example)."""
    given = args.getlist(name)
    if len(given) > MAX_FILTER_VALUES:
        raise QueryError(f"Quá {MAX_FILTER_VALUES} giá trị cho “{name}” trong một yêu cầu.")
    for value in given:
        if len(value) > MAX_VALUE_LENGTH:
            raise QueryError(f"Giá trị của “{name}” dài quá {MAX_VALUE_LENGTH} ký tự.")
        if years and not re.fullmatch(years[0], value):  # an empty year is no year (the schema says so too)
            raise QueryError(f"Năm không hợp lệ: “{value[:40]}” (ví dụ: {years[1]}).")
    return list(dict.fromkeys(v.strip() for v in given if v.strip()))


def search_request(args: MultiDict, per_page: int = 10, group: str = "section") -> SearchRequest:
    """The one parser of search parameters, shared by ``/`` and ``/api/search``.

    ``?q=…&province=Bắc Giang&province=Bến Tre&year=2020&sort=newest&page=2&per_page=20``
    Raises QueryError (-> 400) for an unknown parameter or a value out of range.
    """
    check_known(args, SEARCH_PARAMS)
    filters = {name: found for name in FACETS if (found := values(args, name, _YEARS if name == "year" else None))}
    if (span := year_span(args)) is not None:
        filters["year"] = [*filters.get("year", []), span]
    request = SearchRequest(
        q=single(args, "q"),
        filters=filters,
        sort=single(args, "sort", "relevance"),
        page=integer(args, "page", 1),
        per_page=integer(args, "per_page", per_page),
        group=single(args, "group", group),  # present but empty or unknown: a 400, as for sort
        scope=single(args, "scope", "report"),
    )
    return validate(request)


def year_span(args: MultiDict) -> str | None:
    """``year_from``/``year_to`` (the "Năm từ … đến …" fields) as one year filter value:
    2020 and 2022 -> "2020..2022", only 2020 -> "2020.."; None when both are empty. Bounds typed
    the wrong way round are read as the range they name (2022 and 2020 -> "2020..2022"): the form
    cannot say which field a reader meant, and the OpenAPI document cannot forbid the order."""
    low, high = single(args, "year_from"), single(args, "year_to")
    for name, value in (("year_from", low), ("year_to", high)):
        if not re.fullmatch(r"([0-9]{4})?", value):  # an empty field is no bound
            raise QueryError(f"Tham số “{name}” phải là năm có 4 chữ số (nhận được: “{value[:40]}”).")
    if low and high and low > high:
        low, high = high, low
    if not low and not high:
        return None
    return f"{low}..{high}" if low != high else low


def facet_request(args: MultiDict, per_page: int = 10, group: str = "section") -> tuple[SearchRequest, str, int]:
    """The parameters of a facet's value list: a search's, plus ``fq`` (text the values must
    contain) and ``fpage`` (page of values)."""
    rest = MultiDict([(k, v) for k, v in args.items(multi=True) if k not in ("fq", "fpage")])
    text = single(args, "fq").strip()
    if len(text) > MAX_VALUE_LENGTH:
        raise QueryError(f"Giá trị của “fq” dài quá {MAX_VALUE_LENGTH} ký tự.")
    page = page_number(args, "fpage")
    return search_request(rest, per_page, group), text, page


def report_id(value: str) -> str:
    if not is_report_id(value):  # the shape of every id the indexer gives (``searchsvc.ingest``)
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
    text = single(args, "q")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"Từ khóa dài quá {MAX_QUERY_LENGTH} ký tự.")
    return {
        "text": text.strip(),
        "types": values(args, "type"),
        "issuers": values(args, "issuer"),
        "years": values(args, "year", (LISTING_YEAR_PATTERN, "2020")),
        "sort": single(args, "sort", "count"),
        "page": page_number(args),
        "per_page": integer(args, "per_page", per_page),
    }
