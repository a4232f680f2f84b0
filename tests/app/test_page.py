"""The page, its static files (versioned, cached, gzipped) and the offline API docs."""
from __future__ import annotations

import gzip
import re

import pytest

from app.assets import Assets, docs_assets, page_assets, page_folder
from app.routes import page
from engine.activations import HIDDEN_ACTIVATIONS
from engine.experiment import DATASET_DEFAULTS, DEFAULTS
from tests.page_assets import load

IMMUTABLE = "public, max-age=31536000, immutable"


def get(client):
    return lambda url, headers: client.get(url, headers=headers)


def test_page_renders_with_defaults_and_options(client, monkeypatch, tmp_path):
    (tmp_path / "index.html").write_text("{{ defaults.dataset.name }} {{ defaults.learning_rate }} "
                                         "{{ options.activations | join(',') }} {{ static }}")
    monkeypatch.setattr(page, "templates", page.Jinja2Templates(directory=str(tmp_path)))
    response = client.get("/")
    assert response.status_code == 200
    assert response.text == (f"{DATASET_DEFAULTS['name']} {DEFAULTS['learning_rate']} "
                             f"{','.join(HIDDEN_ACTIVATIONS)} /static/{page_assets().version}")
    assert response.headers["cache-control"] == "no-cache"


def test_every_file_the_page_loads_is_served_versioned_and_cached_for_good(client):
    files = load(get(client), "/")
    version = page_assets().version
    statics = {url: r for url, r in files.items() if url != "/"}
    assert f"/static/{version}/js/main.js" in statics and f"/static/{version}/css/playground.css" in statics
    assert len(statics) > 5  # main.js's imports came along with the version
    for url, response in statics.items():
        assert url.startswith(f"/static/{version}/"), url
        assert response.headers["cache-control"] == IMMUTABLE
        assert response.headers["content-encoding"] == "gzip"
        name = url.removeprefix(f"/static/{version}/")
        assert response.content == (page_folder("static") / name).read_bytes()


def test_static_files_are_gzipped_only_for_clients_that_accept_it(client):
    plain = client.get("/static/js/main.js", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    assert plain.headers["content-type"] == "text/javascript; charset=utf-8"
    assert plain.headers["vary"] == "Accept-Encoding"
    raw = client.stream("GET", "/static/js/main.js", headers={"Accept-Encoding": "gzip"})
    with raw as response:
        wire = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(wire) == plain.content and len(wire) < len(plain.content) / 2


def test_unversioned_and_outdated_urls_are_revalidated(client):
    for url in ("/static/css/playground.css", "/static/0123456789ab/css/playground.css"):
        response = client.get(url)
        assert response.status_code == 200 and response.headers["cache-control"] == "no-cache"
        again = client.get(url, headers={"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304 and again.content == b""


def test_unknown_static_files_are_404_and_nothing_outside_the_folder_is_served(client):
    for url in ("/static/js/nothing.js", "/static/../app/main.py", "/static/%2e%2e/pyproject.toml",
                f"/static/{page_assets().version}/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"] in ("no such file", "no such endpoint; see /docs for the API")
    assert client.get("/static/js/nothing.js").json() == {"detail": "no such file"}


def test_docs_and_redoc_load_nothing_from_another_host(client):
    version = docs_assets().version
    for start, script in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
        files = load(get(client), start)
        assert f"/docs-assets/{version}/{script}" in files
        assert f"/docs-assets/{version}/favicon.png" in files
        assert all(r.headers["cache-control"] == IMMUTABLE for url, r in files.items() if url != start)
        assert not re.search(r"https?://", files[start].text)
        assert files[start].headers["content-security-policy"] == "default-src 'self' 'unsafe-inline' data: blob:"
    assert client.get("/openapi.json").status_code == 200


def test_a_watched_folder_changes_version_when_a_file_is_edited(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("export const a = 1;\n")
    assets = Assets(tmp_path, watch=True)
    first = assets.version
    assert assets.current().version == first
    (tmp_path / "js" / "a.js").write_text("export const a = 22;\n")
    assert assets.current().version != first and assets.files["js/a.js"] == b"export const a = 22;\n"
    assert Assets(tmp_path).version == assets.version  # the version depends on the contents only


def test_middle_sized_json_answers_are_gzipped_big_and_small_ones_are_not(client):
    with client.stream("GET", "/api/datasets", headers={"Accept-Encoding": "gzip"}) as response:
        wire = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip" and "Accept-Encoding" in response.headers["vary"]
    assert int(response.headers["content-length"]) == len(wire)
    plain = client.get("/api/datasets", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and gzip.decompress(wire) == plain.content
    assert len(wire) < len(plain.content) / 2
    small = client.get("/api/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


def test_json_over_the_size_limit_is_sent_as_it_is():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from app.compress import GzipJson

    app = FastAPI()
    app.add_middleware(GzipJson, max_bytes=10_000)

    @app.get("/n/{count}")
    def numbers(count: int):
        return list(range(count))

    with TestClient(app) as c:
        assert c.get("/n/1000", headers={"Accept-Encoding": "gzip"}).headers["content-encoding"] == "gzip"
        big = c.get("/n/5000", headers={"Accept-Encoding": "gzip"})
        assert "content-encoding" not in big.headers and big.json() == list(range(5000))


@pytest.mark.parametrize("accept, gzipped", [("gzip", True), ("deflate, GZIP;q=0.5", True), ("identity", False),
                                             ("", False)])
def test_middle_sized_api_answers_are_gzipped_for_clients_that_accept_it(client, network, accept, gzipped):
    url = f"/api/networks/{network['id']}"
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    with client.stream("GET", url, headers={"Accept-Encoding": accept}) as response:
        wire = b"".join(response.iter_raw())
    assert (response.headers.get("content-encoding") == "gzip") is gzipped
    assert (gzip.decompress(wire) if gzipped else wire) == plain.content
