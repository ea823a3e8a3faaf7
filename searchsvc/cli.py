"""searchsvc command line: each command parses its arguments, calls one library verb, prints.

    searchsvc parse FILE... [--json]
    searchsvc citations FILE... [--json]
    searchsvc index [--corpus corpus/] [--index index/] [--full] [--json]
    searchsvc search "QUERY" [--index index/] [--province P] … [--json]
    searchsvc serve [--index index/] [--corpus corpus/] [--host H] [--port P] [--workers N]

Help and argument errors are in Vietnamese (``Parser``); progress goes to standard error
(``searchsvc.progress``, off with ``--quiet``); a closed pipe (``searchsvc parse … | head``) ends
the command quietly.
"""
from __future__ import annotations

import argparse
import errno
import json
import os
import re
import socket
import sys
from pathlib import Path

from . import __version__, progress, settings
from .engines import ENGINES
from .vi_argparse import Parser, at_least_one, port, seconds

__all__ = ["main"]


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _fail(message: str, hint: str | None = None) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    if hint:
        print(hint, file=sys.stderr)
    return 1


def _read_all(files: list[str], output_at_end: bool):
    """(path, Report or None, error or None) for each file: a bad file is reported, not fatal.
    Progress is shown when the output does not show it (JSON at the end, or not a terminal)."""
    from .ingest import read_report
    from .loaders import LoadError

    if output_at_end or not sys.stdout.isatty():
        files = progress.track(files, len(files), "Đọc báo cáo")
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
    for name, report, error in _read_all(args.files, args.json):
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
    for name, report, error in _read_all(args.files, args.json):
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
        summary = build_index(args.corpus, args.index, full=args.full, progress=tty_progress,
                              lock_timeout=args.wait, engine=args.engine)
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

    filters = {name: values for name in ("province", "year", "period", "doctype", "type", "instrument", "issuer", "section")
               if (values := getattr(args, name))}
    request = SearchRequest(q=args.query, filters=filters, sort=args.sort, page=args.page, per_page=args.limit,
                            scope="section" if args.citing_sections else "report", group=args.group)
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
    print(f"{results.total_reports} báo cáo, {results.total} đoạn ({results.took_ms:.0f} ms)")
    if results.suggestion:
        print(f"Có phải bạn muốn tìm: {results.suggestion}")
    bold = sys.stdout.isatty()

    def show(hit, indent: str) -> None:
        text = re.sub(r"<mark>(.*?)</mark>", (r"\033[1m\1\033[0m" if bold else r"[\1]"), hit.snippet)
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        print(f"{indent}{' › '.join(hit.path) or 'Phần mở đầu'}: {hit.heading[:100]} [{hit.report_id}#{hit.section_id}]")
        print(f"{indent}{text}")

    first = (results.page - 1) * results.per_page + 1
    for number, row in enumerate(results.reports, start=first):
        lacks = f" — Thiếu: {', '.join(row.missing)}" if row.missing else ""
        print(f"\n{number}. {row.title} — {row.province or '?'}, {row.year or '?'} ({row.matched} đoạn khớp){lacks}")
        for hit in row.sections:
            show(hit, "   ")
        if row.same_content:
            print(f"   và {len(row.same_content)} báo cáo khác cùng nội dung: " + ", ".join(r["report_id"] for r in row.same_content))
    for number, hit in enumerate([] if results.reports else results.hits, start=first):
        print(f"\n{number}. {hit.title} — {hit.province or '?'}, {hit.year or '?'}")
        show(hit, "   ")
    return 0


def cmd_serve(args) -> int:
    problem = _serve_problem(args)
    if problem:
        return _fail(problem)
    from .indexing import IndexBusy
    from .serving import serve

    try:
        return serve(index_dir=args.index, corpus=args.corpus, host=args.host, port=args.port, workers=args.workers)
    except IndexBusy as error:  # building the first index while another run holds the lock
        return _fail(str(error))
    except OSError as error:  # building the first index: an unwritable folder, a full disk
        where = f" ({error.filename})" if error.filename else ""
        return _fail(f"Không khởi động được máy chủ: {error.strerror or error}{where}.")


def _serve_problem(args) -> str | None:
    """What keeps ``serve`` from starting, in one line (checked before anything is announced):
    an option out of range (also when it comes from SEARCHSVC_*), the port, the index."""
    try:
        port(str(args.port))
        at_least_one(str(args.workers))
    except argparse.ArgumentTypeError as error:
        return str(error)
    return _index_problem(Path(args.index), Path(args.corpus)) or _port_problem(args.host, args.port)


def _index_problem(index: Path, corpus: Path) -> str | None:
    if index.exists():
        if not index.is_dir():
            return f"{index} không phải là một thư mục chỉ mục (--index)."
        if not os.access(index, os.R_OK | os.X_OK):
            return f"Không đọc được thư mục chỉ mục {index}: không có quyền."
        if (index / "CURRENT").exists():
            return None
    if not corpus.is_dir():
        return f"Chưa có chỉ mục ở {index} và không thấy thư mục báo cáo {corpus} để lập (--corpus)."
    return None


def _port_problem(host: str, port: int) -> str | None:
    """Whether the server could listen on host:port, tried as gunicorn binds (SO_REUSEADDR)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        return f"Không hiểu địa chỉ máy chủ {host!r} (--host)."
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return f"Cổng {port} trên {host} đang có chương trình khác dùng; chọn cổng khác bằng --port."
            if error.errno == errno.EACCES:
                return f"Không có quyền mở cổng {port} (cổng dưới 1024 cần quyền quản trị); chọn cổng khác bằng --port."
            if error.errno == errno.EADDRNOTAVAIL:
                return f"Địa chỉ {host} không thuộc máy này (--host)."
            return f"Không mở được {host}:{port}: {error.strerror or error}."
    return None


# --- arguments ------------------------------------------------------------------------------------------
def _setting(name: str):
    """A setting's value (SEARCHSVC_<NAME> or its default); a bad variable ends the command in one line."""
    try:
        return settings.get(name)
    except ValueError:
        sys.exit(f"searchsvc: lỗi: biến môi trường SEARCHSVC_{name.upper()}={os.environ.get(f'SEARCHSVC_{name.upper()}')!r} không hợp lệ.")


def _help(name: str) -> str:
    """A setting's help with its default (an environment variable may have changed it)."""
    text = settings.SETTINGS[name].help
    said = re.search(r"\s*\(mặc định: ([^)]*)\)", text)  # the default in words: "số lõi CPU"
    default = f"{said.group(1)}, ở đây %(default)s" if said else "%(default)s"
    return f"{text.replace(said.group(0), '') if said else text} (mặc định: {default}; biến môi trường SEARCHSVC_{name.upper()})"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="searchsvc", description="Tìm kiếm toàn văn trong báo cáo của UBND các tỉnh.")
    parser.add_argument("--version", action="version", version=f"searchsvc {__version__}", help="in số phiên bản rồi thoát")
    commands = parser.add_subparsers(title="lệnh", dest="command", metavar="LỆNH", required=True)
    quiet = Parser(add_help=False)
    quiet.add_argument("--quiet", action="store_true", help="không hiện tiến độ")
    files = {"nargs": "+", "metavar": "TỆP", "help": "tệp báo cáo (.txt, .docx, .pdf, .doc …)"}

    p = commands.add_parser("parse", parents=[quiet], help="đọc báo cáo: siêu dữ liệu, các mục, chú thích, trích dẫn",
                            description="In dàn ý từng báo cáo: siêu dữ liệu, các mục, chú thích và số trích dẫn.")
    p.add_argument("files", **files)
    p.add_argument("--json", action="store_true", help="in JSON (bản phân tích đầy đủ) thay vì dàn ý")
    p.set_defaults(func=cmd_parse)

    p = commands.add_parser("citations", parents=[quiet], help="liệt kê mọi lần trích dẫn văn bản",
                            description="Liệt kê mọi lần các báo cáo trích dẫn một văn bản (nghị quyết, quyết định …).")
    p.add_argument("files", **files)
    p.add_argument("--json", action="store_true", help="in JSON thay vì mỗi trích dẫn một dòng")
    p.set_defaults(func=cmd_citations)

    p = commands.add_parser("index", parents=[quiet], help="lập hoặc cập nhật chỉ mục",
                            description="Lập chỉ mục kho báo cáo, hoặc cập nhật những tệp mới, đã sửa, đã xoá.")
    p.add_argument("--corpus", default=_setting("corpus"), metavar="THƯ_MỤC", help=_help("corpus"))
    p.add_argument("--index", default=_setting("index"), metavar="THƯ_MỤC", help=_help("index"))
    p.add_argument("--full", action="store_true", help="lập lại toàn bộ thay vì chỉ cập nhật")
    p.add_argument("--engine", choices=sorted(ENGINES),
                   help="công cụ tìm kiếm (mặc định: như chỉ mục hiện có, hoặc whoosh)")
    p.add_argument("--wait", type=seconds, default=_setting("lock_timeout"), metavar="GIÂY", help=_help("lock_timeout"))
    p.add_argument("--json", action="store_true", help="in bản tóm tắt bằng JSON")
    p.set_defaults(func=cmd_index)

    p = commands.add_parser("search", help="tìm kiếm", description="Tìm các mục báo cáo khớp với truy vấn.")
    p.add_argument("query", metavar="TRUY_VẤN", help='truy vấn, ví dụ: "Nghị quyết 84/NQ-CP" hoặc đầu tư công year:2020')
    p.add_argument("--index", default=_setting("index"), metavar="THƯ_MỤC", help=_help("index"))
    for name, what in [("province", "tỉnh này"), ("year", "năm này"), ("period", "kỳ báo cáo này"),
                       ("doctype", "loại văn bản này (Báo cáo, Kế hoạch, Quyết định …)"),
                       ("type", "loại văn bản được trích dẫn này"), ("instrument", "văn bản được trích dẫn này, ví dụ 84/NQ-CP"),
                       ("issuer", "cơ quan ban hành này"), ("section", "mục này")]:
        p.add_argument(f"--{name}", action="append", default=[], metavar="GIÁ_TRỊ",
                       help=f"chỉ lấy {what}; lặp lại để chọn nhiều giá trị")
    p.add_argument("--sort", default="relevance", choices=["relevance", "newest", "oldest"],
                   help="thứ tự: liên quan nhất, mới nhất, cũ nhất (mặc định: %(default)s)")
    p.add_argument("--limit", type=at_least_one, default=10, metavar="SỐ", help="số kết quả mỗi trang (mặc định: %(default)s)")
    p.add_argument("--page", type=at_least_one, default=1, metavar="SỐ", help="trang kết quả (mặc định: %(default)s)")
    p.add_argument("--group", default="section", choices=["section", "report"],
                   help="section: mỗi mục một kết quả; report: mỗi báo cáo một dòng với các mục khớp nhất (mặc định: %(default)s)")
    p.add_argument("--citing-sections", action="store_true",
                   help="với bộ lọc văn bản được trích dẫn: chỉ các mục trích dẫn (mặc định: cả báo cáo trích dẫn)")
    p.add_argument("--json", action="store_true", help="in kết quả bằng JSON")
    p.set_defaults(func=cmd_search)

    p = commands.add_parser("serve", parents=[quiet], help="chạy máy chủ web (gunicorn)",
                            description="Chạy máy chủ web; lập chỉ mục trước nếu chưa có.")
    p.add_argument("--index", default=_setting("index"), metavar="THƯ_MỤC", help=_help("index"))
    p.add_argument("--corpus", default=_setting("corpus"), metavar="THƯ_MỤC",
                   help=_help("corpus").replace(" (mặc định", ", để lập chỉ mục khi chưa có (mặc định"))
    p.add_argument("--host", default=_setting("host"), metavar="ĐỊA_CHỈ", help=_help("host"))
    p.add_argument("--port", type=port, default=_setting("port"), metavar="CỔNG", help=_help("port"))
    p.add_argument("--workers", type=at_least_one, default=_setting("workers"), metavar="SỐ", help=_help("workers"))
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    progress.enable(not getattr(args, "quiet", True))
    try:
        code = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`searchsvc parse … | head`): stop quietly, as a Unix tool does,
        # and keep the interpreter's last flush from failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + 13  # killed by SIGPIPE, as the shell reports it
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    finally:
        progress.enable(False)
    return code


if __name__ == "__main__":
    sys.exit(main())
