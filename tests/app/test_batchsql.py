"""Plain saves written as a batch (app.batchsql) leave exactly the rows that writing them one at a
time leaves; a network deleted meanwhile stays deleted; a batch that is not all plain, or holds one
network twice, still round-trips."""
from __future__ import annotations

import pytest

from app import batchsql
from app.sessions import Registry
from app.settings import Settings
from app.store import Store
from engine import state as engine_state
from engine.experiment import Experiment


@pytest.fixture
def registry(tmp_path):
    settings = Settings(db_path=str(tmp_path / "s.sqlite3"))
    return Registry(Store(settings.db_path), settings)


def rows(store: Store) -> dict:
    """Every row but the timestamps."""
    db = store._db
    return {"networks": db.execute("SELECT id, data, state, creator FROM networks ORDER BY id").fetchall(),
            "history": db.execute("SELECT * FROM history ORDER BY network_id, step").fetchall(),
            "timelines": db.execute("SELECT * FROM timelines ORDER BY network_id").fetchall(),
            "checkpoints": db.execute("SELECT * FROM checkpoints ORDER BY network_id, id").fetchall()}


def stepped(registry: Registry, count: int, steps: int) -> list:
    sessions = [registry.create(Experiment.create({"seed": i})) for i in range(count)]
    for i, session in enumerate(sessions):
        session.exp.advance(by="iteration", count=steps + i)
    return sessions


def pending(registry: Registry, sessions: list) -> list:
    return [registry.pending_save(session) for session in sessions]


def test_a_batch_of_plain_saves_writes_what_one_at_a_time_writes(registry):
    sessions = stepped(registry, 4, 3)
    saves = pending(registry, sessions)
    assert all(batchsql.is_plain(p.save) for p in saves)
    registry.store.write([p.save for p in saves])
    batched = rows(registry.store)
    for p in saves:  # the same saves again, the old way: nothing changes
        registry.store.write([p.save])
    assert rows(registry.store) == batched
    for session, p in zip(sessions, saves):
        registry.saved(session, p)
        again = engine_state.from_dict(registry.store.load(session.id))
        assert engine_state.to_dict(again) == engine_state.to_dict(session.exp)


def test_a_network_deleted_meanwhile_stays_deleted(registry):
    sessions = stepped(registry, 3, 2)
    saves = pending(registry, sessions)
    registry.store.delete(sessions[1].id)
    registry.store.write([p.save for p in saves])
    assert registry.store.load(sessions[1].id) is None
    table = rows(registry.store)
    assert sessions[1].id not in {r[0] for name in ("networks", "history", "timelines") for r in table[name]}
    assert registry.store.load(sessions[2].id)["counters"]["step"] == 2 + 2


def test_a_mixed_batch_and_one_network_twice_round_trip(registry):
    sessions = stepped(registry, 3, 2)
    sessions[0].exp.reset(seed=5)  # a new history: written whole, not plain
    first = pending(registry, sessions)
    assert [batchsql.is_plain(p.save) for p in first] == [False, True, True]
    registry.store.write([p.save for p in first])
    for session, p in zip(sessions, first):
        registry.saved(session, p)
    sessions[2].exp.advance(by="iteration", count=1)
    middle = registry.pending_save(sessions[2])
    registry.saved(sessions[2], middle)
    sessions[2].exp.advance(by="iteration", count=1)
    last = registry.pending_save(sessions[2])
    registry.store.write([middle.save, last.save])  # one network twice: in order
    for session in sessions:
        again = engine_state.from_dict(registry.store.load(session.id))
        assert engine_state.to_dict(again) == engine_state.to_dict(session.exp)


def test_a_timeline_document_orjson_refuses_is_written_all_the_same():
    import json

    import numpy as np
    meta = {"events": [{"kind": "parameter", "change": {"value": np.float64(0.5)}}], "end": [3, 0]}
    assert json.loads(batchsql.timeline_json(meta)) == {"events": [{"kind": "parameter", "change": {"value": 0.5}}],
                                                        "end": [3, 0]}
    assert batchsql.timeline_json({"end": [3, 0], "applied": 1}) == '{"end":[3,0],"applied":1}'
