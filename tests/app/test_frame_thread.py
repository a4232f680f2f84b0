"""Light frames too costly for the event loop run in the hub's one frame thread, not in the worker
pool: two dozen networks' frames in as many threads had spent most of the server's CPU handing the
GIL back and forth. A network whose lock a request holds does not hold the frame thread up."""
from __future__ import annotations

import asyncio
import threading

import pytest

from app import hub as hub_module
from app.hub import Hub, Channel
from app.sessions import Registry
from app.settings import Settings
from app.store import Store
from engine.experiment import Experiment
from tests.app.test_live_channels import connect


@pytest.fixture
def hub(tmp_path, monkeypatch):
    monkeypatch.setattr(hub_module, "INLINE_SECONDS", 0.0)  # never on the event loop
    settings = Settings(db_path=str(tmp_path / "frames.sqlite3"), save_interval=30)
    store = Store(settings.db_path)
    yield Hub(Registry(store, settings), settings)
    store.close()


def record_threads(monkeypatch) -> dict:
    """Network id → the names of the threads its frames were drawn in."""
    threads: dict[str, list[str]] = {}
    tick = Channel._tick_locked

    def recorded(self):
        threads.setdefault(self.session.id, []).append(threading.current_thread().name)
        return tick(self)
    monkeypatch.setattr(Channel, "_tick_locked", recorded)
    return threads


async def play(hub: Hub, count: int) -> list:
    sessions = [hub.registry.create(Experiment.create({})) for _ in range(count)]
    for session in sessions:
        connect(hub, session)
        hub.channels[session.id].play(1, 60)
    return sessions


@pytest.mark.parametrize("shared", [True, False])
def test_light_frames_are_drawn_in_the_frame_thread(hub, monkeypatch, shared):
    monkeypatch.setattr(hub_module, "SHARED_SECONDS", 1.0 if shared else 0.0)
    threads = record_threads(monkeypatch)

    async def scenario():
        sessions = await play(hub, 3)
        await asyncio.sleep(0.5)
        await hub.shutdown()
        return sessions
    sessions = asyncio.run(scenario())
    for session in sessions:
        names = threads[session.id][1:]  # the first frame has no cost measured yet: a worker's
        assert len(names) >= 5
        in_frame_thread = [name.startswith("frames") for name in names]
        assert all(in_frame_thread) if shared else not any(in_frame_thread)


def test_a_network_held_by_a_request_does_not_stop_the_others_frames(hub, monkeypatch):
    monkeypatch.setattr(hub_module, "SHARED_SECONDS", 1.0)
    threads = record_threads(monkeypatch)

    async def scenario():
        held, other = await play(hub, 2)
        await asyncio.sleep(0.2)
        before = len(threads[other.id]), len(threads[held.id])
        with held.lock:  # a long request holds `held` (its frame then waits in a worker thread)
            await asyncio.sleep(0.6)
            during = len(threads[other.id]) - before[0], len(threads[held.id]) - before[1]
        await asyncio.sleep(0.3)
        after = len(threads[held.id]) - before[1]
        await hub.shutdown()
        return during, after
    (other_frames, held_frames), held_after = asyncio.run(scenario())
    assert held_frames == 0 and other_frames >= 10  # ~36 at 60 fps; a blocked frame thread draws none
    assert held_after > 0
