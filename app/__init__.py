"""Backprop Playground's web server: REST API, live WebSocket, the page, and SQLite persistence.

`__version__` is the installed package's metadata (from pyproject.toml), the only place it is written."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("backprop-playground")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
