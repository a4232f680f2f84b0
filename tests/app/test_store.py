"""Persistence: saves round-trip exactly through growth, thinning and reset; idle expiry; the LRU cap."""
from __future__ import annotations

import time

import pytest

from app.main import create_app
from app.sessions import Registry
from app.settings import Settings
from app.store import Store
from engine import state as engine_state
from engine.experiment import Experiment
from tests.app.conftest import TestClient


@pytest.fixture
def registry(tmp_path):
    settings = Settings(db_path=str(tmp_path / "s.sqlite3"))
    return Registry(Store(settings.db_path), settings)


def reload(registry: Registry, network_id: str) -> Experiment:
    return engine_state.from_dict(registry.store.load(network_id))


def test_saves_round_trip_through_history_thinning_and_reset(registry):
    session = registry.create(Experiment.create({"batch_size": 250}))
    for _ in range(2100):  # past the engine's 2,000-entry history, which then thins itself
        session.exp.advance(by="iteration", count=1)
        registry.save(session)
    again = reload(registry, session.id)
    assert again.history == session.exp.history and len(again.history) < 2000
    assert engine_state.to_dict(again) == engine_state.to_dict(session.exp)
    session.exp.reset(seed=3)
    registry.save(session)
    assert reload(registry, session.id).history == session.exp.history
    assert len(session.exp.history) == 1


def test_a_network_loaded_from_the_store_keeps_saving_only_new_history(registry, tmp_path):
    session = registry.create(Experiment.create({}))
    for _ in range(5):
        session.exp.advance(by="iteration", count=1)
        registry.save(session)
    fresh = Registry(Store(registry.store.path), registry.settings)
    loaded = fresh.get(session.id)
    assert loaded.history_change().upserts == [] and loaded.history_change().deletes == []
    loaded.exp.advance(by="iteration", count=1)
    assert [step for step, _ in loaded.history_change().upserts] == [6]
    fresh.save(loaded)
    assert [e["step"] for e in reload(fresh, session.id).history] == list(range(7))


def test_delete_removes_the_network_and_its_history(registry):
    session = registry.create(Experiment.create({}))
    registry.delete(session.id)
    assert registry.store.load(session.id) is None
    assert registry.store._db.execute("SELECT COUNT(*) FROM history").fetchone()[0] == 0


def test_idle_networks_expire(tmp_path):
    settings = Settings(db_path=str(tmp_path / "e.sqlite3"), idle_expiry_days=1 / 86400)  # one second
    with TestClient(create_app(settings)) as client:
        network_id = client.post("/api/networks", json={}).json()["id"]
        time.sleep(1.2)
        assert client.app.state.registry.expire_idle() == [network_id]
        assert client.get(f"/api/networks/{network_id}").status_code == 404


def test_creating_never_deletes_anyone_s_network(tmp_path):
    """Issue 8.1: past max_networks a create is refused; the networks kept are all still there."""
    settings = Settings(db_path=str(tmp_path / "c.sqlite3"), max_networks=3)
    with TestClient(create_app(settings)) as client:
        ids = [client.post("/api/networks", json={}).json()["id"] for _ in range(3)]
        refused = client.post("/api/networks", json={})
        alive = [client.get(f"/api/networks/{i}").status_code for i in ids]
    assert refused.status_code == 503 and "limit of 3 networks (max_networks)" in refused.json()["detail"]
    assert alive == [200, 200, 200]


def test_one_address_cannot_fill_the_store(tmp_path):
    """Issue 8.1: a quota per client address, 429 with a detail; other addresses still create."""
    settings = Settings(db_path=str(tmp_path / "q.sqlite3"), max_networks_per_client=2)
    with TestClient(create_app(settings)) as client:
        first = [client.post("/api/networks", json={}).status_code for _ in range(3)]
        detail = client.post("/api/networks", json={}).json()["detail"]
        imported = client.post("/api/networks/import", json=client.get(
            f"/api/networks/{client.app.state.registry.store._db.execute('SELECT id FROM networks').fetchone()[0]}"
            "/export").json())
    with TestClient(create_app(settings), client=("192.0.2.7", 50000)) as other:
        assert other.post("/api/networks", json={}).status_code == 201
    assert first == [201, 201, 429] and imported.status_code == 429
    assert detail.startswith("this address already keeps 2 networks (max_networks_per_client); delete some")


def test_memory_keeps_a_bounded_number_of_networks(tmp_path):
    settings = Settings(db_path=str(tmp_path / "m.sqlite3"), max_networks_in_memory=2)
    with TestClient(create_app(settings)) as client:
        ids = [client.post("/api/networks", json={}).json()["id"] for _ in range(4)]
        assert len(client.app.state.registry) == 2
        state = client.post(f"/api/networks/{ids[0]}/step", json={"count": 3}).json()["state"]
        assert state["step"] == 3  # loaded back from the store on demand
        assert client.get(f"/api/networks/{ids[0]}").json()["weights"] == state["weights"]


def test_shutdown_saves_every_changed_network(tmp_path):
    settings = Settings(db_path=str(tmp_path / "d.sqlite3"))
    with TestClient(create_app(settings)) as client:
        registry = client.app.state.registry
        network_id = client.post("/api/networks", json={}).json()["id"]
        session = registry.get(network_id)
        with session.lock:  # a change not yet saved, as the play loop leaves between checkpoints
            session.exp.advance(by="iteration", count=7)
            session.dirty = True
    assert reload(Registry(Store(settings.db_path), settings), network_id).trainer.step == 7


def test_a_request_holding_an_evicted_session_works_on_the_reloaded_one(tmp_path):
    settings = Settings(db_path=str(tmp_path / "v.sqlite3"), max_networks_in_memory=1)
    registry = Registry(Store(settings.db_path), settings)
    first = registry.create(Experiment.create({}))
    stale = registry.get(first.id)
    registry.create(Experiment.create({}))  # evicts `first` from memory
    assert stale.evicted
    fresh = registry.get(first.id)
    assert fresh is not stale and not fresh.evicted
