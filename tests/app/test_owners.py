"""Owner keys: changing a network needs its key (401 without, 403 wrong); reading needs only the id."""
from __future__ import annotations

import logging

import pytest

from app.keys import hash_key
from tests.app.owners import key_header

CHANGES = [
    ("PATCH", "", {"learning_rate": 0.1}),
    ("PUT", "/parameters/L0N0-L1N0", {"value": 0.5}),
    ("POST", "/step", {"by": "phase"}),
    ("POST", "/reset", {}),
    ("POST", "/rewind", {"step": 0}),
    ("PUT", "/data", {"x_train": [[0.0, 0.0], [1.0, 1.0]], "y_train": [0, 1]}),
    ("POST", "/questions", {"kind": "weight_direction", "target": "L0N0-L1N0"}),
    ("POST", "/snapshots", None),
    ("POST", "/class", None),
    ("DELETE", "/class", None),
    ("DELETE", "", None),
]
READS = [("GET", "", None), ("GET", "/data", None), ("GET", "/grid?resolution=4", None),
         ("GET", "/chain?weight=L0N0-L1N0", None), ("GET", "/gradcheck?samples=2&max_params=5", None),
         ("GET", "/export", None), ("POST", "/predict", {"x": [[0.0, 0.0]]})]


def missing(network_id: str) -> str:
    return (f"changing this network needs its owner key: send Authorization: Bearer <key>, the key its creation "
            f"returned; without it, fork it with POST /api/networks/{network_id}/fork to train your own copy")


def wrong(network_id: str) -> str:
    return (f"this network belongs to someone else (the key does not match); fork it with "
            f"POST /api/networks/{network_id}/fork to train your own copy")


def test_create_returns_a_key_of_128_random_bits_once(client, network):
    assert len(network["key"]) == 22 and network["key"] != network["id"]
    other = client.post("/api/networks", json={}).json()
    assert other["key"] != network["key"]
    assert "key" not in client.get(f"/api/networks/{network['id']}").json()


@pytest.mark.parametrize("method,path,body", CHANGES)
def test_a_change_without_the_key_is_401_with_a_wrong_key_403(client, network, method, path, body):
    url = f"/api/networks/{network['id']}{path}"
    with client.without_keys():
        no_key = client.request(method, url, json={} if body is None else body)
        bad_key = client.request(method, url, json={} if body is None else body, headers=key_header("x" * 22))
    assert no_key.status_code == 401
    assert no_key.json() == {"detail": missing(network["id"])}
    assert no_key.headers["www-authenticate"] == "Bearer"
    assert bad_key.status_code == 403
    assert bad_key.json() == {"detail": wrong(network["id"])}
    assert client.get(f"/api/networks/{network['id']}").json()["step"] == 0  # nothing changed


@pytest.mark.parametrize("method,path,body", CHANGES)
def test_the_owner_may_make_every_change(client, network, method, path, body):
    response = client.request(method, f"/api/networks/{network['id']}{path}", json={} if body is None else body)
    assert response.status_code in (200, 201, 204), response.text


@pytest.mark.parametrize("method,path,body", READS)
def test_reading_needs_only_the_id(client, network, method, path, body):
    with client.without_keys():
        response = client.request(method, f"/api/networks/{network['id']}{path}", json={} if body is None else body)
    assert response.status_code == 200, response.text


def test_another_networks_key_is_wrong(client, network):
    other = client.post("/api/networks", json={}).json()
    response = client.post(f"/api/networks/{network['id']}/step", headers=key_header(other["key"]))
    assert response.status_code == 403


def test_an_unknown_network_is_404_before_any_key(client):
    with client.without_keys():
        response = client.post("/api/networks/AAAAAAAAAAAAAAAAAAAAAA/step", json={})
    assert response.status_code == 404


def test_import_gives_a_new_key(client, network):
    exported = client.get(f"/api/networks/{network['id']}/export").json()
    imported = client.post("/api/networks/import", json=exported).json()
    assert imported["key"] not in (network["key"], None)
    assert client.post(f"/api/networks/{imported['id']}/step", headers=key_header(imported["key"])).status_code == 200
    assert client.post(f"/api/networks/{imported['id']}/step", headers=key_header(network["key"])).status_code == 403


def test_only_a_hash_of_the_key_is_stored(client, network, settings):
    data = open(settings.db_path, "rb").read() + open(settings.db_path + "-wal", "rb").read()
    assert network["key"].encode() not in data
    assert hash_key(network["key"]) == client.app.state.keys.shares.key_hash(network["id"])


def test_the_key_is_in_no_get_answer_log_line_or_url(client, network, caplog):
    caplog.set_level(logging.DEBUG)
    key, url = network["key"], f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"by": "iteration"})
    snapshot = client.post(f"{url}/snapshots", json={}).json()
    joined = client.post(f"{url}/class", json={}).json()
    answers = [client.get(path).text for path in (
        url, f"{url}/data", f"{url}/export", f"{url}/class", f"/api/snapshots/{snapshot['code']}",
        f"/api/classes/{joined['code']}", snapshot["url"], "/api/options", "/api/health")]
    assert all(key not in text for text in answers)
    assert key not in snapshot["url"] and key not in joined["url"] and key not in joined["qr_svg"]
    assert key not in caplog.text


def test_openapi_declares_the_bearer_scheme(client):
    spec = client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert list(schemes.values()) == [{"type": "http", "scheme": "bearer",
                                        "description": schemes["owner key"]["description"]}]
    step = spec["paths"]["/api/networks/{network_id}/step"]["post"]
    assert step["security"] == [{"owner key": []}] and {"401", "403"} <= step["responses"].keys()
    assert "security" not in spec["paths"]["/api/networks/{network_id}"]["get"]


def test_the_owner_asks_and_reveals_anyone_answers(client, network):
    url = f"/api/networks/{network['id']}/questions"
    q = client.post(url, json={"kind": "weight_direction", "target": "L0N0-L1N0"}).json()
    with client.without_keys():
        assert client.post(f"{url}/{q['id']}/answers", json={"choice": "up", "voter": "ann"}).status_code == 200
        assert client.post(f"{url}/{q['id']}/reveal", json={}).status_code == 401
    assert client.post(f"{url}/{q['id']}/reveal", json={}).json()["revealed"] is True


def test_a_lookup_racing_the_keys_issue_fails_closed_and_does_not_stick(client, network):
    """The window between a network's save and its key's: a check there is refused, and the "no owner"
    it read never hides the key issued meanwhile."""
    keys = client.app.state.keys
    network_id = network["id"]
    keys.forget(network_id)
    issued = {}
    real_key_hash, real_exists = keys.shares.key_hash, keys.shares.network_exists

    def exists_while_the_key_is_issued(nid):
        issued["key"] = keys.issue(nid)  # the creating call issues the key while this check reads
        return real_exists(nid)

    keys.shares.key_hash = lambda nid: None  # the check read the store before the key was written
    keys.shares.network_exists = exists_while_the_key_is_issued
    try:
        assert keys.check(network_id, issued.get("key", "x")).startswith("this network was made before owner keys")
    finally:
        keys.shares.key_hash, keys.shares.network_exists = real_key_hash, real_exists
    assert keys.check(network_id, issued["key"]) is None
