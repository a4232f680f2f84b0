"""Issue 8.11: no control from other sites. Foreign Host names (DNS rebinding), foreign Origins,
non-JSON changes are refused; the page carries security headers; health counts only for local clients."""
from __future__ import annotations


import pytest
from starlette.websockets import WebSocketDisconnect

from app.main import create_app
from tests.app.conftest import TestClient


def test_a_bodyless_text_post_from_another_site_creates_nothing(client):
    before = client.app.state.registry.store.count()
    for headers in ({}, {"content-type": "text/plain"}, {"content-type": "application/x-www-form-urlencoded"}):
        response = client.post("/api/networks", headers=headers)
        assert response.status_code == 415
        assert response.json()["detail"].startswith("send the body as JSON with Content-Type: application/json")
    assert client.app.state.registry.store.count() == before


@pytest.mark.parametrize("method, path", [("POST", "/step"), ("POST", "/reset"), ("PATCH", ""), ("DELETE", "")])
def test_another_site_s_page_cannot_change_a_network(client, network, method, path):
    url = f"/api/networks/{network['id']}{path}"
    body = {"learning_rate": 0.1} if method == "PATCH" else {}
    refused = client.request(method, url, json=body, headers={"origin": "https://evil.example"})
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("requests from the page at 'https://evil.example' may not change")
    assert client.request(method, url, json=body, headers={"origin": "http://testserver"}).status_code in (200, 204)


def test_reading_needs_no_origin_check_but_scripts_without_origin_may_change(client, network):
    url = f"/api/networks/{network['id']}"
    assert client.get(url, headers={"origin": "https://evil.example"}).status_code == 200
    assert client.post(f"{url}/step", json={}).status_code == 200  # no Origin: curl, httpx, notebooks


def test_a_websocket_from_another_site_is_refused(client, network):
    url = f"/api/networks/{network['id']}/live"
    with pytest.raises(WebSocketDisconnect) as refused:
        with client.websocket_connect(url, headers={"origin": "https://evil.example"}) as ws:
            ws.receive_json()
    assert refused.value.code == 1008
    with client.websocket_connect(url, headers={"origin": "http://testserver"}) as ws:
        assert ws.receive_json()["type"] == "frame"


def test_a_foreign_host_name_is_refused_as_dns_rebinding_would_send_it(client, network):
    response = client.get(f"/api/networks/{network['id']}", headers={"host": "rebind.evil.example:8000"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("this server does not answer to the host name 'rebind.evil.example'")
    for host in ("localhost:8000", "127.0.0.1", "[::1]:8000"):
        assert client.get("/api/health", headers={"host": host}).status_code == 200


def test_configured_hosts_and_origins_are_allowed(settings):
    wider = settings.replace(allowed_hosts="lab.example, .school.example",
                                allowed_origins="https://notebooks.school.example")
    with TestClient(create_app(wider), base_url="http://lab.example") as c:
        assert c.get("/api/health").status_code == 200
        assert c.get("/api/health", headers={"host": "pc7.school.example"}).status_code == 200
        assert c.post("/api/networks", json={}, headers={"origin": "https://notebooks.school.example"}).status_code == 201
        assert c.post("/api/networks", json={}, headers={"origin": "https://other.example"}).status_code == 403


def test_the_page_carries_security_headers(client):
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert '<script type="application/json" id="boot">' in page.text  # data, which CSP does not run
    assert "<script>" not in page.text


def test_health_counts_only_for_this_computer(settings):
    with TestClient(create_app(settings)) as local:
        assert set(local.get("/api/health").json()) == {"status", "networks_in_memory", "playing"}
    with TestClient(create_app(settings), client=("192.0.2.9", 40000)) as remote:
        assert remote.get("/api/health").json() == {"status": "ok"}
