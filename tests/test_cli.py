"""The command line, run as a user runs it (a subprocess), on the seed corpus."""
from __future__ import annotations

import argparse
import json
import os
import pty
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.data import expected_seeds as expected

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(str(p) for p in (ROOT / "corpus").glob("*.txt"))


def cli(*args, check=True):
    result = subprocess.run([sys.executable, "-m", "searchsvc.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_parse_outline():
    out = cli("parse", *SEEDS).stdout
    for report_id in expected.REPORT_IDS:
        assert report_id in out
    assert "tỉnh: Bắc Giang | năm: 2020 | kỳ: 6 tháng đầu năm" in out
    assert "Phần thứ nhất" in out


def test_parse_json_contract():
    data = json.loads(cli("parse", SEEDS[2], "--json").stdout)
    assert {"id", "title", "province", "year", "period", "report_date", "doc_number", "issuer", "sections", "citations"} <= set(data)
    section = data["sections"][1]
    assert {"id", "path", "label", "heading", "level", "start_line", "end_line", "text", "footnotes"} <= set(section)
    several = json.loads(cli("parse", *SEEDS[:2], "--json").stdout)
    assert isinstance(several, list) and [r["id"] for r in several] == expected.REPORT_IDS[:2]


def test_citations_json_contract():
    rows = json.loads(cli("citations", *SEEDS, "--json").stdout)
    keys = {"doc", "section_id", "line", "surface", "type", "number", "symbol", "canonical", "date", "year", "issuer", "title"}
    assert all(set(row) == keys for row in rows)
    found = [(r["doc"], r["line"], r["canonical"], r["date"]) for r in rows]
    wanted = [(doc, line, canonical, date) for doc in expected.REPORT_IDS for line, canonical, date in expected.MENTIONS[doc]]
    assert found == wanted


def test_bad_file_is_reported_and_the_rest_parsed(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"")
    result = cli("citations", str(broken), SEEDS[0], check=False)
    assert result.returncode == 0
    assert "broken.txt" in result.stderr
    assert "01/NQ-CP" in result.stdout
    only_bad = cli("parse", str(tmp_path / "missing.txt"), check=False)
    assert only_bad.returncode == 1 and "missing.txt" in only_bad.stderr


def test_search_text_and_json(seed_index_dir):
    text = cli("search", "Nghị quyết 84/NQ-CP", "--index", str(seed_index_dir)).stdout
    assert text.startswith("3 báo cáo, 3 đoạn")
    data = json.loads(cli("search", "covid", "--index", str(seed_index_dir), "--province", "Bắc Giang", "--json").stdout)
    assert {"query", "total", "total_reports", "took_ms", "hits", "facets", "suggestion", "warnings"} <= set(data)
    assert {h["report_id"] for h in data["hits"]} == {"002_acdedd4f53924217"}


def test_search_by_report_and_only_citing_sections(seed_index_dir):
    # 000's annex caption names it "Báo cáo số 165 /BC-UBND": its own number finds it, first
    rows = cli("search", "165/BC-UBND", "--index", str(seed_index_dir), "--group", "report").stdout
    assert rows.splitlines()[2].startswith("1. ") and "Bình Dương" in rows.splitlines()[2]
    args = ["search", "đầu tư", "--index", str(seed_index_dir), "--instrument", "84/NQ-CP", "--limit", "100", "--json"]
    reports = json.loads(cli(*args).stdout)
    sections = json.loads(cli(*args, "--citing-sections").stdout)
    # 004 cites it in a paragraph that never says "đầu tư": only the citing sections leave it out
    assert {h["report_id"] for h in reports["hits"]} == {"000_bbd1df693d80d1cb", "002_acdedd4f53924217", "004_41c8df0f7ff6743b"}
    assert {h["report_id"] for h in sections["hits"]} == {"000_bbd1df693d80d1cb", "002_acdedd4f53924217"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["search", "x" * 2000], "vượt giới hạn"),  # too long
        (["search", "covid", "--year", "abc"], "Năm không hợp lệ"),  # bad filter
    ],
)
def test_search_errors_exit_1_with_a_hint(seed_index_dir, args, message):
    result = cli(*args, "--index", str(seed_index_dir), check=False)
    assert result.returncode == 1
    assert message in result.stderr


def test_search_without_index_says_how_to_build_one(tmp_path):
    result = cli("search", "covid", "--index", str(tmp_path / "none"), check=False)
    assert result.returncode == 1 and "searchsvc index" in result.stderr


# --- help, version and argument errors, in Vietnamese ----------------------------------------------------
COMMANDS = ["parse", "citations", "index", "search", "serve"]
# argparse's own words: none may be left in a help text or an error
ENGLISH = ["usage:", "options:", "positional arguments", "show this help", "default:", "error:", "argument",
           "invalid", "expected", "required", "unrecognized", "choose from", "ambiguous"]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_vietnamese_with_every_option_explained_and_defaults_shown(command):
    text = cli(*filter(None, [command]), "--help").stdout
    assert text.startswith("cách dùng: searchsvc")
    assert not [word for word in ENGLISH if word in text.lower()]
    from searchsvc.cli import build_parser

    parser = build_parser()
    if command:
        parser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            assert all(choice.help for choice in action._choices_actions)  # every command has its line
            continue
        assert action.help and action.help.strip(), action.dest
        if action.default not in (None, False, [], argparse.SUPPRESS):
            assert "mặc định" in action.help, action.dest  # a default is always shown


def test_version_is_the_package_version():
    import searchsvc

    assert cli("--version").stdout == f"searchsvc {searchsvc.__version__}\n"


@pytest.mark.parametrize("args, said", [
    ([], "thiếu tham số bắt buộc: LỆNH"),
    (["bogus"], "tham số LỆNH: giá trị không hợp lệ 'bogus'"),
    (["search"], "thiếu tham số bắt buộc: TRUY_VẤN"),
    (["search", "x", "--limit"], "tham số --limit: cần một giá trị"),
    (["search", "x", "--limit", "0"], "tham số --limit: cần một số nguyên từ 1 trở lên, không phải 0"),
    (["search", "x", "--sort", "best"], "tham số --sort: giá trị không hợp lệ 'best'"),
    (["search", "x", "--zzz"], "tham số không hiểu được: --zzz"),
    (["search", "x", "--i", "a"], "tùy chọn --i chưa rõ, có thể là: --index, --instrument, --issuer"),
    (["index", "--wait", "soon"], "tham số --wait: cần một số giây không âm, không phải soon"),
    (["index", "--engine", "lucene"], "tham số --engine: giá trị không hợp lệ 'lucene'"),
    (["serve", "--port", "99999"], "tham số --port: cổng phải là một số từ 1 đến 65535, không phải 99999"),
    (["serve", "--port", "0"], "tham số --port: cổng phải là một số từ 1 đến 65535, không phải 0"),
    (["serve", "--port", "http"], "tham số --port: cổng phải là một số từ 1 đến 65535, không phải http"),
    (["serve", "--workers", "0"], "tham số --workers: cần một số nguyên từ 1 trở lên, không phải 0"),
    (["serve", "--workers", "-2"], "tham số --workers: cần một số nguyên từ 1 trở lên, không phải -2"),
])
def test_argument_errors_are_one_vietnamese_line(args, said):
    result = cli(*args, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and said in result.stderr, result.stderr
    assert not [word for word in ENGLISH if word in result.stderr.lower()]


# --- a closed pipe ---------------------------------------------------------------------------------------
def _into_a_closed_pipe(*args) -> subprocess.CompletedProcess:
    """The command with its output going to a pipe whose reader is already gone (`… | head`
    after head has exited): every write fails, whatever the size of the output."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([sys.executable, "-m", "searchsvc.cli", *args], stdout=write_end, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT, timeout=120)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("args", [["parse"], ["parse", "--json"], ["citations"], ["citations", "--json"]])
def test_a_closed_pipe_ends_parse_and_citations_quietly(args):
    result = _into_a_closed_pipe(args[0], *SEEDS, *args[1:], "--quiet")
    assert result.returncode == 141 and result.stderr == ""  # 128 + SIGPIPE, as `yes | head` ends


@pytest.mark.parametrize("as_json", [False, True])
def test_a_closed_pipe_ends_search_quietly(seed_index_dir, as_json):
    result = _into_a_closed_pipe("search", "covid", "--index", str(seed_index_dir), *(["--json"] if as_json else []))
    assert result.returncode == 141 and result.stderr == ""


def test_head_reads_the_first_line_and_the_command_ends_without_a_traceback():
    # through a real shell pipe, as a user types it; with pipefail the command's own status shows
    line = subprocess.run(["bash", "-c", 'set -o pipefail; "$@" | head -n 1', "-", sys.executable, "-m", "searchsvc.cli",
                           "citations", *SEEDS * 20, "--quiet"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert line.stdout.count("\n") == 1 and "\t" in line.stdout
    assert line.returncode in (0, 141) and line.stderr == ""


# --- serve: checked before anything is announced -------------------------------------------------------
@pytest.fixture
def taken_port():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def _serve(*args, env=None):
    return subprocess.run([sys.executable, "-m", "searchsvc.cli", "serve", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={**os.environ, **(env or {})})


def test_serve_on_a_taken_port_says_so_in_one_line_before_starting(seed_index_dir, taken_port):
    result = _serve("--index", str(seed_index_dir), "--port", str(taken_port))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"Lỗi: Cổng {taken_port} trên 127.0.0.1 đang có chương trình khác dùng; chọn cổng khác bằng --port.\n"


@pytest.mark.parametrize("args, env, said", [
    (["--host", "no-such-host.invalid"], {}, "Không hiểu địa chỉ máy chủ 'no-such-host.invalid' (--host)."),
    (["--host", "192.0.2.1"], {}, "Địa chỉ 192.0.2.1 không thuộc máy này (--host)."),  # TEST-NET-1: never ours
    (["--index", "README.md"], {}, "README.md không phải là một thư mục chỉ mục (--index)."),
    (["--index", "no-index-here", "--corpus", "no-corpus-here"], {},
     "Chưa có chỉ mục ở no-index-here và không thấy thư mục báo cáo no-corpus-here để lập (--corpus)."),
    ([], {"SEARCHSVC_WORKERS": "0"}, "cần một số nguyên từ 1 trở lên, không phải 0"),  # from the environment
    ([], {"SEARCHSVC_PORT": "70000"}, "cổng phải là một số từ 1 đến 65535, không phải 70000"),
    ([], {"SEARCHSVC_PORT": "abc"}, "biến môi trường SEARCHSVC_PORT='abc' không hợp lệ."),
])
def test_serve_checks_its_options_before_starting(args, env, said):
    result = _serve(*args, env=env)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and said in result.stderr, result.stderr
    assert "Đang phục vụ" not in result.stderr


# --- progress --------------------------------------------------------------------------------------------
def test_index_progress_in_a_log_and_quiet(tmp_path):
    """Output that is not a terminal gets a line when each step starts and ends (and every few
    seconds between, tests/test_progress.py); --quiet, none."""
    shown = cli("index", "--index", str(tmp_path / "a"), "--engine", "tantivy")
    lines = shown.stderr.splitlines()
    assert lines[0] == f"Lập chỉ mục: 0/{len(SEEDS)} tệp, đã 0 giây"
    assert any(line.startswith(f"Lập chỉ mục: xong {len(SEEDS)}/{len(SEEDS)} tệp trong ") for line in lines)
    assert lines[-1].startswith("Ghi chỉ mục (gộp các phân đoạn): xong trong ")
    quiet = cli("index", "--index", str(tmp_path / "b"), "--engine", "tantivy", "--quiet")
    assert quiet.stderr == "" and f"Báo cáo: {len(SEEDS)}" in quiet.stdout


def test_index_progress_on_a_terminal_is_a_bar(tmp_path):
    main, secondary = pty.openpty()
    shown = bytearray()

    def read_terminal():  # as a terminal does, while the command runs (its buffer is small)
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: the command's side of the terminal is closed
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=read_terminal)
    reader.start()
    try:
        child = subprocess.run([sys.executable, "-m", "searchsvc.cli", "index", "--index", str(tmp_path / "i"), "--engine",
                                "tantivy"], stdout=subprocess.PIPE, stderr=secondary, cwd=ROOT, text=True, timeout=120)
    finally:
        os.close(secondary)
        reader.join(60)
        os.close(main)
    text = shown.decode()
    assert child.returncode == 0 and f"Báo cáo: {len(SEEDS)}" in child.stdout
    assert "Lập chỉ mục:   0%|" in text and f"0/{len(SEEDS)}" in text  # tqdm's bar as it starts
    assert "Ghi chỉ mục (gộp các phân đoạn): đang chạy, đã 00:00" in text


def test_serve_announces_once_listening_and_serves_the_installed_web_app(seed_index_dir):
    """The checks pass on a free port; the server starts, answers, and stops on SIGTERM."""
    import time
    import urllib.request

    with socket.socket() as finder:
        finder.bind(("127.0.0.1", 0))
        port = finder.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "searchsvc.cli", "serve", "--index", str(seed_index_dir), "--port", str(port),
                               "--workers", "1"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120  # a hang guard only
        while True:
            assert server.poll() is None, server.stderr.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=covid", timeout=10) as answer:
                    data = json.loads(answer.read())
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert data["total"] > 0
    finally:
        server.terminate()
        _, err = server.communicate(timeout=60)
    assert err.startswith(f"Đang phục vụ tại http://127.0.0.1:{port}/ (1 tiến trình)\n")
    assert "Traceback" not in err
