"""One shard of several: its ids and codes name it, its answers say so, and ids from before still load."""
import sqlite3

from app.main import create_app
from app.settings import Settings
from engine import ids
from tests.app.conftest import TestClient


def test_a_shard_names_itself_in_every_id_code_and_answer(tmp_path):
    with TestClient(create_app(Settings(db_path=str(tmp_path / "s3.sqlite3"), shard=3))) as client:
        made = client.post("/api/networks", json={})
        assert made.status_code == 201 and made.headers["x-shard"] == "3"
        network_id = made.json()["id"]
        assert ids.shard_of("network", network_id) == 3
        snap = client.post(f"/api/networks/{network_id}/snapshots", json={}).json()["code"]
        join = client.post(f"/api/networks/{network_id}/class", json={}).json()["code"]
        assert ids.shard_of("snapshot", snap) == 3 and ids.shard_of("class", join) == 3
        assert client.get(f"/api/snapshots/{snap.lower()}").status_code == 200
        assert client.get(f"/api/classes/{join.lower()}").json()["network_id"] == network_id
        fork = client.post(f"/api/networks/{network_id}/fork", json={}).json()["id"]
        assert ids.shard_of("network", fork) == 3
        with client.websocket_connect(f"/api/networks/{network_id}/live", follower=True) as ws:
            assert ws.receive_json()["type"]
        health = client.get("/api/cluster/health")  # no peers set: a cluster of one
        assert health.status_code == 200 and health.json()["shards"][0]["shard"] == 3
        options = client.get("/api/options").json()["ids"]
        assert {"network", "snapshot", "class", "neuron"} <= set(options)


def test_ids_made_before_shards_still_load(tmp_path, client, network):
    """A database of 22-character ids and 6-character codes is shard 0's as it is."""
    old = "Qw3-_x" * 3 + "abcd"
    db = sqlite3.connect(client.app.state.settings.db_path)
    for table, column in (("networks", "id"), ("history", "network_id"), ("owner_keys", "network_id"),
                          ("timelines", "network_id"), ("checkpoints", "network_id")):
        db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (old, network["id"]))
    db.commit()
    db.close()
    client.app.state.registry._sessions.clear()
    answer = client.get(f"/api/networks/{old}")
    assert answer.status_code == 200 and answer.json()["id"] == old and answer.headers["x-shard"] == "0"
