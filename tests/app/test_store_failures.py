"""A database that fails: nothing changes without being saved, clients get 503 with the cause, health
says so, play stops and says why, and a file that cannot be opened stops the server with one line."""
from __future__ import annotations

import random

import pytest

from app import cli
from app.main import create_app
from app.settings import Settings
from app.store import Store
from tests.app.conftest import TestClient
from tests.app.test_live import receive


def fill_the_disk(client) -> None:
    """SQLite's own page cap: every write that needs a new page fails as "database or disk is full"."""
    db = client.app.state.registry.store._db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")


def test_a_failed_save_leaves_the_network_as_it_was(client, network):
    """Issue 8.3: 503 with a detail naming the cause; a retry after the disk has room steps once."""
    url = f"/api/networks/{network['id']}"
    fill_the_disk(client)
    answers = [client.post(f"{url}/step", json={"count": 10}) for _ in range(30)]
    assert {a.status_code for a in answers} == {503}
    assert answers[0].json()["detail"].startswith("the disk holding the server's database is full; free some space")
    assert client.get(url).json()["step"] == 0
    patched = client.patch(url, json={"learning_rate": 0.5})
    assert patched.status_code == 503 and client.get(url).json()["config"]["learning_rate"] == 0.03
    health = client.get("/api/health")
    assert health.status_code == 503 and health.json()["status"] == "failing"
    assert "full" in health.json()["problem"]

    client.app.state.registry.store._db.execute("PRAGMA max_page_count = 1073741823")
    assert client.post(f"{url}/step", json={"count": 10}).json()["state"]["step"] == 10
    assert client.get("/api/health").json()["status"] == "ok"
    assert client.app.state.registry.store.load(network["id"])["counters"]["step"] == 10


def test_a_database_turned_read_only_answers_503_and_health_says_so(client, network):
    client.app.state.registry.store._db.execute("PRAGMA query_only = ON")
    answer = client.post(f"/api/networks/{network['id']}/reset", json={"seed": 4})
    assert answer.status_code == 503 and "read-only" in answer.json()["detail"]
    assert client.post("/api/networks", json={}).status_code == 503
    assert client.get(f"/api/networks/{network['id']}").json()["weights"] == network["weights"]
    assert "read-only" in client.get("/api/health").json()["problem"]


def test_play_that_cannot_save_stops_and_tells_its_clients(tmp_path):
    settings = Settings(db_path=str(tmp_path / "p.sqlite3"), save_interval=0.05)
    with TestClient(create_app(settings)) as client:
        network_id = client.post("/api/networks", json={}).json()["id"]
        with client.websocket_connect(f"/api/networks/{network_id}/live") as ws:
            ws.receive_json()
            client.app.state.registry.store._db.execute("PRAGMA query_only = ON")
            ws.send_json({"type": "play", "steps_per_frame": 1, "fps": 30})
            error = receive(ws, "error")
            assert error["detail"].startswith("playing stopped: the network could not be saved: ")
            assert "read-only" in error["detail"]
            assert receive(ws, "frame")["playing"] is False
            assert not client.app.state.hub.channels[network_id].playing


@pytest.mark.parametrize("case", ["folder", "damaged", "parent is a file"])
def test_a_database_that_cannot_be_opened_stops_the_server_with_one_line(tmp_path, monkeypatch, case):
    path = tmp_path / "db.sqlite3"
    if case == "folder":
        path.mkdir()
    elif case == "damaged":
        path.write_bytes(b"this is not a database" * 100)
    else:
        (tmp_path / "file").write_text("x")
        path = tmp_path / "file" / "db.sqlite3"
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("the server started"))
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--db", str(path)])
    message = str(stopped.value.code)
    assert message.startswith(f"backprop-playground: cannot start: the database {path}")
    assert "\n" not in message and "--db" in message


def test_damaged_pages_answer_503_never_500(tmp_path):
    settings = Settings(db_path=str(tmp_path / "d.sqlite3"))
    with TestClient(create_app(settings)) as client:
        ids = [client.post("/api/networks", json={"dataset": {"samples": 400}}).json()["id"] for _ in range(20)]
    Store(settings.db_path).close()  # checkpoints the WAL into the file
    data = bytearray((tmp_path / "d.sqlite3").read_bytes())
    page, rng = 4096, random.Random(8)
    for p in rng.sample(range(2, len(data) // page), 6):  # keep the header and schema pages
        data[p * page:(p + 1) * page] = bytes(rng.randrange(256) for _ in range(page))
    (tmp_path / "d.sqlite3").write_bytes(bytes(data))
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        statuses = [client.get(f"/api/networks/{i}").status_code for i in ids]
        health = client.get("/api/health")
    assert set(statuses) <= {200, 404, 503} and 503 in statuses
    assert health.status_code == 503 and "damaged" in health.json()["problem"]


def test_play_that_cannot_save_goes_back_to_the_last_saved_step(tmp_path):
    """Issue 8.3 (live): the steps played since the last checkpoint are dropped, not kept unsaved."""
    settings = Settings(db_path=str(tmp_path / "p.sqlite3"), save_interval=0.05)
    with TestClient(create_app(settings)) as client:
        network_id = client.post("/api/networks", json={}).json()["id"]
        store = client.app.state.registry.store
        with client.websocket_connect(f"/api/networks/{network_id}/live") as ws:
            ws.receive_json()
            ws.send_json({"type": "play", "steps_per_frame": 3, "fps": 30})
            while receive(ws, "frame")["step"] < 12 or store.load(network_id)["counters"]["step"] == 0:
                pass
            store._db.execute("PRAGMA query_only = ON")
            error = receive(ws, "error")
            saved = store.load(network_id, mark_used=False)["counters"]["step"]
            assert saved > 0 and error["detail"].endswith(f"; it is back at step {saved}, as last saved")
            frame = receive(ws, "frame")
            assert frame["playing"] is False and frame["step"] == saved
        assert client.get(f"/api/networks/{network_id}").json()["step"] == saved
