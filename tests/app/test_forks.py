"""Forks and share links: identical copies with their own ids and keys; the original never moves."""
from __future__ import annotations

import re

from app import codes
from tests.app.owners import OwnerClient, key_header

from app.main import create_app


def trained(client, network: dict) -> str:
    """The network after 3 iterations, a momentum change and 2 phases into the next (mid-iteration)."""
    url = f"/api/networks/{network['id']}"
    client.patch(url, json={"momentum": 0.9})
    client.post(f"{url}/step", json={"by": "iteration", "count": 3})
    client.post(f"{url}/step", json={"by": "phase", "count": 2})
    return url


def same_network(a: dict, b: dict) -> None:
    for field in ("weights", "biases", "step", "epoch", "phase", "config", "history", "train_loss"):
        assert a[field] == b[field], field


def test_a_fork_is_identical_and_training_it_leaves_the_original(client, network):
    url = trained(client, network)
    before = client.get(url).json()
    with client.without_keys():  # anyone with the id may fork
        response = client.post(f"{url}/fork", json={})
    assert response.status_code == 201
    fork = response.json()
    assert fork["id"] != network["id"] and fork["key"] not in (network["key"], None)
    same_network(fork, before)
    assert client.get(f"/api/networks/{fork['id']}/data").json() == client.get(f"{url}/data").json()
    assert client.get(f"/api/networks/{fork['id']}/export").json()["velocity"] == client.get(f"{url}/export").json()["velocity"]

    stepped = client.post(f"/api/networks/{fork['id']}/step", json={"by": "iteration", "count": 5},
                          headers=key_header(fork["key"])).json()["state"]
    assert stepped["step"] == before["step"] + 5
    assert client.get(url).json() == before  # the original did not move

    # and the original, stepped the same way, goes exactly where the fork went
    original = client.post(f"{url}/step", json={"by": "iteration", "count": 5}).json()["state"]
    assert original["weights"] == stepped["weights"]


def test_forking_an_unknown_network_is_404(client):
    assert client.post("/api/networks/AAAAAAAAAAAAAAAAAAAAAA/fork", json={}).status_code == 404


def test_a_snapshot_is_frozen_readable_and_forkable(client, network):
    url = trained(client, network)
    before = client.get(url).json()
    response = client.post(f"{url}/snapshots", json={})
    assert response.status_code == 201
    shot = response.json()
    assert shot["url"] == f"/s/{shot['code']}" and codes.normalise(shot["code"], codes.SHARE) == shot["code"]
    assert re.fullmatch(f"[{codes.ALPHABET}]{{15}}", shot["code"])
    client.post(f"{url}/step", json={"by": "epoch", "count": 2})  # the original moves on; the snapshot does not

    with client.without_keys():
        state = client.get(f"/api/snapshots/{shot['code']}").json()
        assert state["id"] == shot["code"] and state["snapshot"]["network_id"] == network["id"]
        same_network(state, before)
        assert client.get(f"/api/snapshots/{shot['code'].lower()}").status_code == 200  # typed in any case
        assert client.get(f"/api/snapshots/{shot['code']}/data").json() == client.get(f"{url}/data").json()
        grid = client.get(f"/api/snapshots/{shot['code']}/grid?resolution=4").json()
        assert grid["resolution"] == 4 and grid["layers"]
        chain = client.get(f"/api/snapshots/{shot['code']}/chain?weight=L0N0-L1N0").json()
        assert chain["weight"] == "L0N0-L1N0"
        page = client.get(shot["url"])
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]

        forked = client.post(f"/api/snapshots/{shot['code']}/fork", json={})
    assert forked.status_code == 201
    copy = forked.json()
    same_network(copy, before)
    assert client.post(f"/api/networks/{copy['id']}/step", headers=key_header(copy["key"])).status_code == 200
    assert client.get(f"/api/snapshots/{shot['code']}").json()["step"] == before["step"]


def test_a_snapshot_survives_a_restart_and_its_originals_deletion(settings):
    with OwnerClient(create_app(settings)) as first:
        network = first.post("/api/networks", json={"dataset": {"name": "spiral"}}).json()
        url = trained(first, network)
        shot = first.post(f"{url}/snapshots", json={}).json()
        before = first.get(f"/api/snapshots/{shot['code']}").json()
        assert first.delete(url).status_code == 204
        assert first.get(url).status_code == 404
    with OwnerClient(create_app(settings)) as second:
        after = second.get(f"/api/snapshots/{shot['code']}").json()
        assert after == before
        assert second.post(f"/api/snapshots/{shot['code']}/fork", json={}).status_code == 201


def test_unknown_share_codes_are_404(client):
    response = client.get("/api/snapshots/ACDEFGHJKMNPRTW")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("no share link with code 'ACDEFGHJKMNPRTW'")
    assert client.get("/api/snapshots/nonsense").status_code == 404
    assert client.post("/api/snapshots/ACDEFGHJKMNPRTW/fork", json={}).status_code == 404
    page = client.get("/s/ACDEFGHJKMNPRTW")
    assert page.status_code == 404 and "no share link" in page.text


def test_the_unowned_networks_of_older_databases_can_be_forked_not_changed(client, network):
    keys = client.app.state.keys
    keys.shares._run("DELETE FROM owner_keys WHERE network_id = ?", (network["id"],))
    keys.forget(network["id"])
    response = client.post(f"/api/networks/{network['id']}/step", json={})
    assert response.status_code == 403
    assert response.json()["detail"].startswith("this network was made before owner keys existed")
    assert client.post(f"/api/networks/{network['id']}/fork", json={}).status_code == 201
