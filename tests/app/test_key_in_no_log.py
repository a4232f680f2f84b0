"""The real server's log (access lines included) never shows an owner key."""
from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.app.owners import OwnerHttp, owner_socket
from tests.server_process import ServerProcess

pytestmark = pytest.mark.slow


def test_the_key_is_in_no_log_line(tmp_path):
    with ServerProcess(tmp_path / "k.sqlite3") as server:
        api = OwnerHttp(base_url=server.url, timeout=10)
        network = api.post("/api/networks", json={}).json()
        assert api.post(f"/api/networks/{network['id']}/step", json={}).status_code == 200
        assert api.post(f"/api/networks/{network['id']}/class", json={}).status_code == 200
        assert api.post(f"/api/networks/{network['id']}/snapshots", json={}).status_code == 201
        assert httpx.post(f"{server.url}/api/networks/{network['id']}/step", json={}).status_code == 401

        async def live():
            ws = await owner_socket(f"ws://127.0.0.1:{server.port}/api/networks/{network['id']}/live", network["key"])
            await ws.close()
        asyncio.run(live())
        log = server.output(tail=10**6)
    assert f"/api/networks/{network['id']}/step" in log  # the access log is there ...
    assert network["key"] not in log                      # ... and holds no key
