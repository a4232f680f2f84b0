"""The wheel is the whole product: built from the sources, installed into a fresh virtual environment
and started from another directory, it serves the page, its files and the API docs by itself, and
writes nothing into its installation.

Fast and offline: the wheel is built without build isolation (setuptools comes with the test extra) and
installed without its dependencies, which the fresh environment borrows from this one through a `.pth`
file (a directory named in a `.pth` file has its own `.pth` files ignored, so this project's editable
install does not leak in).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import httpx
import pytest

from tests.page_assets import load
from tests.server_process import ROOT, ServerProcess

pytestmark = pytest.mark.slow
SOURCES = ["app", "engine", "static", "templates", "pyproject.toml", "setup.py", "README.md"]


def run(*command, **kwargs) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=300, **kwargs).stdout


def files_under(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*")
            if "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed; its bin/ folder."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"  # a clean copy: setuptools' build/ folder must not leak stale files in
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, source / name)
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
        "-w", str(tmp / "dist"), str(source))
    (wheel,) = (tmp / "dist").glob("backprop_playground-*.whl")
    venv = tmp / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    run(sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q", "--no-deps",
        "--no-index", str(wheel))
    site = Path(run(str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
                .strip())
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def test_the_installed_wheel_serves_the_page_its_files_and_the_docs(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run(str(installed / "python"), "-c", "import app; print(app.__file__)", cwd=elsewhere)
    assert where.startswith(str(installed.parent)), where
    assert run(str(installed / "backprop-playground"), "--version").split() == \
        ["backprop-playground", run(sys.executable, "-c", "import app; print(app.__version__)").strip()]

    before = files_under(installed.parent)
    with ServerProcess(tmp_path / "db" / "networks.sqlite3", command=[str(installed / "backprop-playground")],
                       cwd=elsewhere) as server, httpx.Client(base_url=server.url) as http:
        def get(url, headers):
            return http.get(url, headers=headers)

        page = load(get, "/")
        assert "Backprop Playground" in page["/"].text
        main = next(r for url, r in page.items() if url.endswith("/js/main.js"))
        assert main.content == (ROOT / "static" / "js" / "main.js").read_bytes()
        assert len(page) > 5  # the page, its style sheet, main.js and the modules it imports
        for start in ("/docs", "/redoc"):
            assert len(load(get, start)) >= 3  # the HTML, its script and its icon, all from this server
        assert http.get("/openapi.json").json()["info"]["title"] == "Backprop Playground"
        assert http.post("/api/networks", json={}).status_code == 201
        lessons = http.get("/api/lessons")  # the lessons' JSON files are package data too
        assert lessons.status_code == 200 and len(lessons.json()) == len(list((ROOT / "app" / "lessons").glob("*.json")))
    assert files_under(installed.parent) == before, "the server wrote into its installation"
