"""Fixtures: a TestClient on a fresh app with its own temporary SQLite file.

`client` is the owner of every network it makes (it keeps and sends their keys, see
`tests.app.owners`); `client.without_keys()` and `websocket_connect(..., follower=True)` act as others.
"""
from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette warns about its httpx-based client
    from tests.app.owners import OwnerClient

TestClient = OwnerClient  # what the tests import: a client that owns the networks it makes

from app.main import create_app
from app.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db_path=str(tmp_path / "networks.sqlite3"))


@pytest.fixture
def client(settings):
    with OwnerClient(create_app(settings)) as c:
        yield c


@pytest.fixture
def network(client) -> dict:
    """A default network (circle, 2-4-2-1, tanh) as its creation response."""
    response = client.post("/api/networks", json={})
    assert response.status_code == 201
    return response.json()
