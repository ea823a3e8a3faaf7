"""The package as pip installs it: the web app inside searchsvc (searchsvc.web), no top-level
``web``, from a built wheel and from an editable install; and the pinned constraints."""
from __future__ import annotations

import configparser
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    return next(out.glob("searchsvc-*.whl"))


def _packages_in_tree() -> set[str]:
    """Every package of the source tree, by the name it is installed under."""
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "searchsvc").rglob("__init__.py")}
    found |= {"searchsvc." + ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "web").rglob("__init__.py")}
    return {name for name in found if "__pycache__" not in name}


def test_the_wheel_holds_every_package_inside_searchsvc_and_no_top_level_web(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"searchsvc"}
    packages = {".".join(name.split("/")[:-1]) for name in names if name.endswith("/__init__.py")}
    assert packages == _packages_in_tree()
    web_files = {p.relative_to(ROOT / "web").as_posix() for p in (ROOT / "web").rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert {f"searchsvc/web/{name}" for name in web_files} <= set(names)  # modules, templates, static files


def _run_isolated(code: str, cwd: Path, site_dir: Path) -> str:
    """``code`` in a Python that sees ``site_dir`` (its .pth files processed) and the
    dependencies installed here, but neither the source tree nor another install of searchsvc."""
    paths = [p for p in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}]
    prelude = ("import site, sys; sys.path[:] = [p for p in sys.path if p and not p.startswith(%r)]; "
               "site.addsitedir(%r); sys.path += %r; " % (str(ROOT), str(site_dir), paths))
    done = subprocess.run([sys.executable, "-S", "-c", prelude + code], capture_output=True, text=True, cwd=cwd,
                          timeout=300, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_installed_wheel_serves_from_searchsvc_web(wheel, tmp_path):
    site_dir = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site_dir), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    assert not (site_dir / "web").exists()
    out = _run_isolated(
        "from searchsvc.web import create_app; import searchsvc.web as w; app = create_app({'TESTING': True}); "
        "print(w.__file__); print(app.jinja_env.get_template('search.html').filename); "
        "print(sorted(p.name for p in __import__('pathlib').Path(app.static_folder).iterdir()))",
        tmp_path, site_dir)
    module, template, static = out.splitlines()
    assert module == str(site_dir / "searchsvc" / "web" / "__init__.py")
    assert template == str(site_dir / "searchsvc" / "web" / "templates" / "search.html")
    assert "style.css" in static


def test_an_editable_install_maps_searchsvc_web_to_the_web_folder(tmp_path):
    """An editable install (as scripts/run.sh makes in .venv) finds searchsvc.web in web/."""
    out = tmp_path / "editable"
    out.mkdir()
    # the wheel pip install -e builds (PEP 660, through the build backend) and installs
    subprocess.run([sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_editable({str(out)!r})"],
                   check=True, capture_output=True, cwd=ROOT, timeout=600)
    built = list(out.glob("searchsvc-*.whl"))
    site_dir = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site_dir), str(built[0])],
                   check=True, capture_output=True, timeout=600)
    printed = _run_isolated("import searchsvc, searchsvc.web; print(searchsvc.__file__); print(searchsvc.web.__file__)",
                            tmp_path, site_dir)
    assert printed.splitlines() == [str(ROOT / "searchsvc" / "__init__.py"), str(ROOT / "web" / "__init__.py")]


def _requirement_names(lines: str) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", line.strip(), maxsplit=1)[0].lower().replace("_", "-")
            for line in lines.splitlines() if line.strip() and not line.strip().startswith("#")}


def test_every_requirement_is_pinned_in_the_constraints():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    wanted = _requirement_names(config["options"]["install_requires"])
    wanted |= {name for extra in config["options.extras_require"].values() for name in _requirement_names(extra)}
    constraints = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    pins = [line for line in constraints.splitlines() if line and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.]+", pin) for pin in pins)  # exact versions only
    assert wanted <= _requirement_names(constraints), "run scripts/lock.sh after changing setup.cfg"
