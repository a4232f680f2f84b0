"""A change whose save fails puts the network back from its last save (app.saving.UndoPoint) when
nothing changed since, else from a snapshot taken before the change: both give the same network."""
from __future__ import annotations

from app.saving import UndoPoint, snapshot
from engine import state as engine_state


def session_of(client, network):
    return client.app.state.registry.resident(network["id"])


def document(exp) -> dict:
    doc = engine_state.to_dict(exp)
    return {**doc, "history": list(doc["history"])}


def test_after_a_save_the_undo_point_is_the_save_and_undoes_exactly(client, network):
    url = f"/api/networks/{network['id']}"
    client.patch(url, json={"momentum": 0.9})
    client.post(f"{url}/step", json={"count": 7})
    client.post(f"{url}/step", json={"by": "phase", "count": 3})  # mid-iteration: cursor and batch
    registry, session = client.app.state.registry, session_of(client, network)
    expected = document(session.exp)
    point, taken = registry.before(session), snapshot(session.exp)
    assert isinstance(point, UndoPoint)
    for before in (point, taken):
        session.exp.advance(by="iteration", count=2)  # the change whose save failed
        registry.undo(session, before)
        assert document(session.exp) == expected
    # The network put back goes on exactly as the one saved would have.
    client.post(f"{url}/step", json={"count": 3})
    assert client.get(url).json()["step"] == expected["counters"]["step"] + 3


def test_a_change_since_the_last_save_takes_a_snapshot_instead(client, network):
    url = f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"count": 2})
    registry, session = client.app.state.registry, session_of(client, network)
    assert isinstance(registry.before(session), UndoPoint)
    session.exp.advance(by="iteration", count=1)  # a change not saved yet
    assert not isinstance(registry.before(session), UndoPoint)
    client.post(f"{url}/step", json={"count": 1})  # saved again: the point follows
    assert isinstance(registry.before(session), UndoPoint)
    session.dirty = True  # live play saves later: its changes are not in the store yet
    assert not isinstance(registry.before(session), UndoPoint)


def test_an_edit_in_place_moves_the_mark(client, network):
    url = f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"count": 1})
    registry, session = client.app.state.registry, session_of(client, network)
    session.exp.set_parameter("L0N0-L1N0", 0.5)  # same step and cursor
    assert not isinstance(registry.before(session), UndoPoint)
    client.post(f"{url}/step", json={"count": 1})
    session.exp.set_hyperparameters(learning_rate=0.1)  # no history entry, no step: an edit all the same
    assert not isinstance(registry.before(session), UndoPoint)


def test_a_failed_save_after_an_undo_starts_from_a_snapshot(client, network):
    url = f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"count": 1})
    registry, session = client.app.state.registry, session_of(client, network)
    registry.undo(session, registry.before(session))
    assert session.undo_point is None and not isinstance(registry.before(session), UndoPoint)


def test_a_large_network_keeps_no_copy_of_its_save_and_takes_a_snapshot(client):
    made = client.post("/api/networks", json={"layers": [2, 64, 64, 1]}).json()
    client.post(f"/api/networks/{made['id']}/step", json={"count": 1})
    registry, session = client.app.state.registry, session_of(client, made)
    assert session.undo_point is None and not isinstance(registry.before(session), UndoPoint)

