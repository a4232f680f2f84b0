"""Static files served from memory: the page's `static/` folder and the API docs' Swagger UI and ReDoc.

Folders are found with `importlib.resources`: inside the installed `app` package for a wheel, the
repository's top-level folders for a source tree or an editable install. They are read once (the
server never writes into its installation). Each folder has a version, a hash of its contents, and
is served twice:
  - `<prefix>/<version>/<file>`: cached for a year and `immutable`. A release or an edited file changes
    the version, and the page's relative ES-module imports inherit it from the entry module's URL;
  - `<prefix>/<file>`: revalidated on every use (`no-cache` with an ETag), for links that must not change.
A URL with another folder's version (a page from before a restart) gets today's file, not cached.
Text files are gzipped once, on first request, for clients that accept it. In a source tree the page's
folder is watched: an edited file changes the version at the next request, so a reload shows it.
Left out: byte ranges, brotli.
"""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from fastapi import Request, Response

from app.errors import ApiError

IMMUTABLE = "public, max-age=31536000, immutable"
VERSION = re.compile(r"[0-9a-f]{12}")
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


SOURCE_TREE = Path(__file__).resolve().parents[1]


def page_folder(name: str) -> Traversable:
    """`static` or `templates`: the installed copy inside `app`, else the repository's folder."""
    packaged = resources.files("app") / name
    return packaged if packaged.is_dir() else SOURCE_TREE / name


def docs_folder() -> Traversable:
    """Swagger UI and ReDoc as the `fastapi-offline` package ships them (no CDN)."""
    return resources.files("fastapi_offline") / "static"


def _walk(folder: Traversable, prefix: str = ""):
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith((".", "__")):
            continue
        if entry.is_dir():
            yield from _walk(entry, f"{prefix}{entry.name}/")
        else:
            yield f"{prefix}{entry.name}", entry.read_bytes()


class Assets:
    """One folder's files in memory, answering `response(path, request)` with caching headers;
    `watch` re-reads the folder when a file changed (for a folder people edit)."""

    def __init__(self, folder: Traversable, watch: bool = False):
        self.folder, self.watch = folder, watch
        self._seen = self._signature()
        self._load()

    def _load(self) -> None:
        files = dict(_walk(self.folder))
        etags = {path: hashlib.sha256(data).hexdigest()[:16] for path, data in files.items()}
        self.files, self.etags, self._gzipped = files, etags, {}
        self.version = hashlib.sha256("".join(f"{p}:{e};" for p, e in etags.items()).encode()).hexdigest()[:12]

    def _signature(self) -> tuple:
        if not self.watch:
            return ()
        return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(Path(self.folder).rglob("*")))

    def current(self) -> "Assets":
        if self.watch and (seen := self._signature()) != self._seen:
            self._load()
            self._seen = seen
        return self

    def response(self, path: str, request: Request) -> Response:
        head, _, rest = path.partition("/")
        versioned = False
        if rest and VERSION.fullmatch(head):
            path, versioned = rest, head == self.version
        if path not in self.files:
            raise ApiError(404, "no such file")
        return respond(self.files[path], media_type_of(path), request, etag=self.etags[path],
                       cache_control=IMMUTABLE if versioned else "no-cache", gzipped=lambda: self._gzip(path))

    def _gzip(self, path: str) -> bytes:
        gzipped = self._gzipped  # two threads may both compress a file once; either result is right
        if path not in gzipped:
            gzipped[path] = gzip.compress(self.files[path], compresslevel=9, mtime=0)
        return gzipped[path]


def media_type_of(path: str) -> str:
    return TYPES.get(Path(path).suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def respond(body: bytes, media_type: str, request: Request, cache_control: str, etag: str | None = None,
            gzipped=None) -> Response:
    """`body`, gzipped (by `gzipped()` if given) when it is text and the client accepts it; 304 when
    the client's copy (`If-None-Match`) is current."""
    compress = media_type.startswith(COMPRESSIBLE) and "gzip" in request.headers.get("accept-encoding", "")
    headers = {"Cache-Control": cache_control, "Vary": "Accept-Encoding"}
    if etag:
        headers["ETag"] = f'"{etag}{"-gz" if compress else ""}"'
        if request.headers.get("if-none-match") == headers["ETag"]:
            return Response(status_code=304, headers=headers)
    if compress:
        headers["Content-Encoding"] = "gzip"
        body = gzipped() if gzipped else gzip.compress(body, compresslevel=6, mtime=0)
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    return Response(body, media_type=media_type, headers=headers)


@cache
def _page_assets() -> Assets:
    folder = page_folder("static")
    return Assets(folder, watch=folder == SOURCE_TREE / "static")


def page_assets() -> Assets:
    return _page_assets().current()


@cache
def docs_assets() -> Assets:
    return Assets(docs_folder())
