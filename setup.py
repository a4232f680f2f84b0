"""The packages and their data files: what pyproject.toml cannot say is that every folder of the page
ships inside the `app` package.

The repository keeps `static/` and `templates/` at the top level; the wheel installs them as
`app/static/…` and `app/templates/…` (found by `app.assets.page_folder`). Each folder is listed as a package of
data so that a folder added later ships too, without a setuptools warning. Everything else about the
package is in pyproject.toml.
"""
from pathlib import Path

from setuptools import find_packages, setup

PAGE = {"static": "app.static", "templates": "app.templates"}
DATA = {"app": ["lessons/*.json"]}  # data files inside the Python packages


def page_packages() -> dict[str, str]:
    """`{"app.static.js": "static/js", …}`: every folder of the page as a package of data."""
    found = {}
    for folder, package in PAGE.items():
        for path in [Path(folder), *sorted(p for p in Path(folder).rglob("*") if p.is_dir())]:
            found[".".join([package, *path.parts[1:]])] = path.as_posix()
    return found


page = page_packages()
setup(packages=find_packages(include=["engine", "engine.*", "app", "app.*"]) + list(page),
      package_dir=page, package_data={**DATA, **{name: ["*"] for name in page}})
