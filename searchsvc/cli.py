"""searchsvc command line: each command parses its arguments, calls one library verb, prints.

    searchsvc parse FILE... [--json]
    searchsvc citations FILE... [--json]
    searchsvc index [--corpus corpus/] [--index index/] [--full] [--json]
    searchsvc search "QUERY" [--index index/] [--province P] … [--json]
    searchsvc serve [--index index/] [--corpus corpus/] [--host H] [--port P] [--workers N]
"""
from __future__ import annotations

import argparse
import json
import sys

from . import settings
from .engines import ENGINES

__all__ = ["main"]


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _fail(message: str, hint: str | None = None) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    if hint:
        print(hint, file=sys.stderr)
    return 1


def _read_all(files: list[str]):
    """(path, Report or None, error or None) for each file: a bad file is reported, not fatal."""
    from .ingest import read_report
    from .loaders import LoadError

    for name in files:
        try:
            yield name, read_report(name), None
        except LoadError as error:
            yield name, None, str(error)
        except OSError as error:
            yield name, None, error.strerror or str(error)


# --- parse / citations -------------------------------------------------------------------------------
def _outline(report) -> str:
    lines = [
        f"{report.id}: {report.title}",
        f"  tỉnh: {report.province or '—'} | năm: {report.year or '—'} | kỳ: {report.period or '—'} | "
        f"ngày: {report.report_date or '—'} | số: {report.doc_number or '—'} | định dạng: {report.format}"
        + (" | không dấu" if report.unaccented else ""),
    ]
    for section in report.sections:
        indent = "  " * (section.level + 1)
        label = f"{section.label}. " if section.label else ""
        notes = f"  [{len(section.footnotes)} chú thích]" if section.footnotes else ""
        lines.append(f"{indent}{label}{section.heading[:90]}  (dòng {section.start_line}–{section.end_line}){notes}")
    lines.append(f"  {len(report.citations)} trích dẫn văn bản, {len({c.key for c in report.citations})} văn bản")
    return "\n".join(lines)


def cmd_parse(args) -> int:
    results, failed = [], 0
    for name, report, error in _read_all(args.files):
        if error:
            failed += 1
            print(f"Bỏ qua {name}: {error}", file=sys.stderr)
            continue
        results.append(report)
        if not args.json:
            print(_outline(report))
    if args.json:
        data = [r.to_dict() for r in results]
        _print_json(data[0] if len(args.files) == 1 and data else data)
    return 1 if failed and not results else 0


def cmd_citations(args) -> int:
    rows, failed = [], 0
    for name, report, error in _read_all(args.files):
        if error:
            failed += 1
            print(f"Bỏ qua {name}: {error}", file=sys.stderr)
            continue
        for c in report.citations:
            rows.append({
                "doc": c.doc, "section_id": c.section_id, "line": c.line, "surface": c.surface,
                "type": c.type, "number": c.number, "symbol": c.symbol, "canonical": c.canonical,
                "date": c.date, "year": c.year, "issuer": c.issuer, "title": c.title,
            })
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            extra = ", ".join(str(v) for v in (row["date"], row["issuer"]) if v)
            print(f"{row['doc']}:{row['line']}\t{row['type']} {row['canonical']}" + (f" ({extra})" if extra else ""))
    return 1 if failed and not rows else 0


# --- index / search / serve ---------------------------------------------------------------------------
def _summary_text(summary) -> str:
    if not summary.changed:
        head = "Không có thay đổi: chỉ mục đã khớp với kho báo cáo."
    else:
        kind = "Lập lại toàn bộ" if summary.full else "Cập nhật"
        head = (f"{kind} chỉ mục trong {summary.seconds:.1f} giây: thêm {len(summary.added)}, "
                f"sửa {len(summary.updated)}, xoá {len(summary.removed)}, giữ nguyên {summary.unchanged}.")
    lines = [
        head,
        f"Báo cáo: {summary.reports} | mục: {summary.sections} | trích dẫn: {summary.citations} | văn bản: {summary.instruments}",
    ]
    if summary.skipped:
        lines.append(f"Bỏ qua {len(summary.skipped)} tệp:")
        lines += [f"  - {name}: {reason}" for name, reason in summary.skipped]
    return "\n".join(lines)


def cmd_index(args) -> int:
    from .indexing import IndexBusy, build_index, tty_progress

    try:
        summary = build_index(args.corpus, args.index, full=args.full, progress=None if args.json else tty_progress,
                              lock_timeout=args.wait, engine=args.engine,
                              notice=lambda text: print(f"Lưu ý: {text}", file=sys.stderr, flush=True))
    except IndexBusy as error:
        return _fail(str(error))
    except FileNotFoundError as error:
        return _fail(str(error), "Dùng --corpus để chỉ đến thư mục chứa báo cáo.")
    except ValueError as error:  # an unknown engine
        return _fail(str(error))
    except OSError as error:
        return _fail(f"Không ghi được chỉ mục vào {args.index}: {error.strerror or error}. Chỉ mục cũ vẫn được giữ nguyên.")
    if args.json:
        _print_json(summary.to_dict())
    else:
        print(_summary_text(summary))
    return 0


def cmd_search(args) -> int:
    from .engine import SearchIndex
    from .indexing import IndexUnavailable
    from .models import SearchRequest
    from .searching import QueryError, search

    filters = {name: values for name in ("province", "year", "period", "type", "instrument", "issuer", "section")
               if (values := getattr(args, name))}
    request = SearchRequest(q=args.query, filters=filters, sort=args.sort, page=args.page, per_page=args.limit)
    try:
        index = SearchIndex(args.index)
        results = search(index, request)
    except IndexUnavailable as error:
        return _fail(str(error))
    except QueryError as error:
        return _fail(str(error), 'Thử lại với truy vấn ngắn hơn, hoặc đặt cụm từ trong dấu ngoặc kép: "đầu tư công".')
    if args.json:
        _print_json(results.to_dict())
        return 0
    import re

    for warning in results.warnings:
        print(f"Lưu ý: {warning}", file=sys.stderr)
    print(f"{results.total} mục trong {results.total_reports} báo cáo ({results.took_ms:.0f} ms)")
    if results.suggestion:
        print(f"Có phải bạn muốn tìm: {results.suggestion}")
    bold = sys.stdout.isatty()
    for number, hit in enumerate(results.hits, start=(results.page - 1) * results.per_page + 1):
        text = re.sub(r"<mark>(.*?)</mark>", (r"\033[1m\1\033[0m" if bold else r"[\1]"), hit.snippet)
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        print(f"\n{number}. {hit.title} — {hit.province or '?'}, {hit.year or '?'} [{hit.report_id}#{hit.section_id}]")
        print(f"   {' › '.join(hit.path) or 'Phần mở đầu'}: {hit.heading[:100]}")
        print(f"   {text}")
    return 0


def cmd_serve(args) -> int:
    from .serving import serve

    return serve(index_dir=args.index, corpus=args.corpus, host=args.host, port=args.port, workers=args.workers)


# --- arguments -------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="searchsvc", description="Tìm kiếm báo cáo của UBND các tỉnh.")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("parse", help="đọc báo cáo: siêu dữ liệu, mục lục, chú thích")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true", help="in JSON thay vì dàn ý")
    p.set_defaults(func=cmd_parse)

    p = commands.add_parser("citations", help="liệt kê các văn bản được trích dẫn")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_citations)

    p = commands.add_parser("index", help="lập hoặc cập nhật chỉ mục")
    p.add_argument("--corpus", default=settings.get("corpus"), help="thư mục báo cáo (mặc định: %(default)s)")
    p.add_argument("--index", default=settings.get("index"), help="thư mục chỉ mục (mặc định: %(default)s)")
    p.add_argument("--full", action="store_true", help="lập lại toàn bộ")
    p.add_argument("--engine", choices=sorted(ENGINES), help="công cụ tìm kiếm (mặc định: như chỉ mục hiện có, hoặc whoosh)")
    p.add_argument("--wait", type=float, default=settings.get("lock_timeout"), help="số giây chờ một lượt lập chỉ mục khác")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_index)

    p = commands.add_parser("search", help="tìm kiếm")
    p.add_argument("query")
    p.add_argument("--index", default=settings.get("index"))
    for name in ("province", "year", "period", "type", "instrument", "issuer", "section"):
        p.add_argument(f"--{name}", action="append", default=[], help="lặp lại để chọn nhiều giá trị")
    p.add_argument("--sort", default="relevance", choices=["relevance", "newest", "oldest"])
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = commands.add_parser("serve", help="chạy máy chủ web (gunicorn)")
    p.add_argument("--index", default=settings.get("index"))
    p.add_argument("--corpus", default=settings.get("corpus"))
    p.add_argument("--host", default=settings.get("host"))
    p.add_argument("--port", type=int, default=settings.get("port"))
    p.add_argument("--workers", type=int, default=settings.get("workers"))
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
