"""The README's two commands: scripts/run.sh and scripts/test.sh (and CI, which runs the second)."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"


def _bash(code: str, *args: str, user: int | None = None, cwd=ROOT) -> subprocess.CompletedProcess:
    """``code`` in bash after sourcing scripts/venv.sh (as ``user`` when given)."""
    prefix = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] if user is not None else []
    return subprocess.run([*prefix, "bash", "-c", f'source "{SCRIPTS}/venv.sh"; {code}', "-", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300, stdin=subprocess.DEVNULL)


def test_readme_has_exactly_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^    (\S.*)$", section, re.MULTILINE)
    assert commands == ["bash scripts/run.sh", "bash scripts/test.sh"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^bash scripts/test\.sh\b", ci, re.MULTILINE)


@pytest.mark.parametrize("text, packages", [
    ("chromium\nfonts-dejavu-core\n", ["chromium", "fonts-dejavu-core"]),
    ("# browser\n\nchromium   # for Playwright\n   \n", ["chromium"]),  # comments, blank lines, trailing blanks
    ("tesseract-ocr\ntesseract-ocr-vie", ["tesseract-ocr", "tesseract-ocr-vie"]),  # no final newline
    ("# nothing yet\n", []),
])
def test_debian_package_list_is_read_one_per_line(tmp_path, text, packages):
    listing = tmp_path / "packages.txt"
    listing.write_text(text, encoding="utf-8")
    assert _bash('package_list "$1"', str(listing)).stdout.split() == packages


def test_the_package_list_names_the_browser_and_its_font():
    found = _bash('package_list "$1"', str(SCRIPTS / "debian-packages.txt")).stdout.split()
    assert {"chromium", "fonts-dejavu-core"} <= set(found)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", name) for name in found)


def test_a_missing_debian_package_without_root_says_exactly_what_to_install():
    result = _bash("debian_install chromium no-such-package-searchsvc", user=65534)  # nobody
    assert result.returncode == 1
    assert result.stderr == ("Lỗi: thiếu gói Debian no-such-package-searchsvc. "
                             "Cài bằng: sudo apt-get install -y no-such-package-searchsvc\n")


def test_installed_debian_packages_need_nothing(tmp_path):
    result = _bash("debian_install bash coreutils && echo ok", user=65534)
    assert result.returncode == 0 and result.stdout == "ok\n" and result.stderr == ""


def test_an_old_python_is_refused_with_the_way_to_pick_another(tmp_path):
    old = tmp_path / "python3"
    old.write_text("#!/bin/sh\n[ \"$1\" = -c ] && case \"$2\" in *exit*) exit 1;; *) echo 3.9;; esac\n")
    old.chmod(0o755)
    result = subprocess.run(["bash", "-c", f'source "{SCRIPTS}/venv.sh"; venv="$1/.venv"; make_venv', "-", str(tmp_path)],
                            capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHON": str(old)})
    assert result.returncode == 1
    assert result.stderr == f"Lỗi: {old} là Python 3.9; cần 3.11 trở lên (chọn bằng PYTHON=...).\n"


@pytest.mark.parametrize("script", ["run.sh", "test.sh"])
def test_each_script_says_in_one_line_what_it_does(script):
    text = (SCRIPTS / script).read_text(encoding="utf-8")
    said = re.findall(r'^say "(\w+\.sh: [^"]+)"$', text, re.MULTILINE)
    assert len(said) == 1 and said[0].startswith(f"{script}: ")


def test_test_script_works_from_any_directory_and_returns_pytests_code(tmp_path):
    """From another directory, in the project's .venv (made by the first run of the script, as CI
    does, then reused); pytest's own exit code comes back (4: no such test file)."""
    done = subprocess.run(["bash", str(SCRIPTS / "test.sh"), "-q", "-p", "no:cacheprovider", "tests/no_such_test_file.py"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=900, stdin=subprocess.DEVNULL)
    assert done.returncode == 4, done.stdout + done.stderr
    assert done.stderr.splitlines()[0].startswith("test.sh: ")
    assert "no_such_test_file.py" in done.stdout + done.stderr
    assert (ROOT / ".venv" / "bin" / "python").exists()
