"""Light steps on the event loop (app.quickstep) with their saves written in batches (app.savequeue):
the same answers as the worker-thread path, on disk before the answer, undone when the save fails,
one network's requests still one at a time, and commits shared by clients stepping at once."""
from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from app import quickstep
from app.sessions import Registry
from app.settings import Settings
from app.store import Store


@pytest.fixture(autouse=True)
def light_is_light(monkeypatch):
    """A default network's step counts as light however loaded the machine running the tests."""
    monkeypatch.setattr(quickstep, "QUICK_SECONDS", 1.0)


def queued(client) -> int:
    """Saves the writer thread has written (only quick steps go there)."""
    return client.app.state.registry.saves.saves


def slow_writes(client, seconds: float) -> list:
    """Every write to the store waits `seconds` first; returns the sizes of the batches written."""
    store = client.app.state.registry.store
    write, sizes = store.write, []

    def slow(saves):
        time.sleep(seconds)
        sizes.append(len(saves))
        write(saves)
    store.write = slow
    return sizes


def test_quick_steps_answer_exactly_as_the_worker_thread_path(client, monkeypatch):
    made = [client.post("/api/networks", json={"seed": 3}).json() for _ in range(2)]
    answers = {}
    for network, quick in zip(made, (False, True)):
        monkeypatch.setattr(quickstep, "QUICK_SECONDS", 10.0 if quick else 0.0)  # whatever the machine's load
        before = queued(client)
        answers[quick] = [client.post(f"/api/networks/{network['id']}/step", json={"count": count}).json()
                          for count in (1, 1, 3, 1)]
        for answer in answers[quick]:
            answer["state"].pop("id")
        # the first step measures the network's cost and takes the usual path; the others run on the loop
        assert queued(client) - before == (3 if quick else 0)
    assert answers[True] == answers[False]
    monkeypatch.setattr(quickstep, "QUICK_SECONDS", 0.002)
    heavy = client.post(f"/api/networks/{made[1]['id']}/step", json={"count": 1000})  # ~0.1 s: a thread's
    assert heavy.status_code == 200 and queued(client) == 3
    traced = client.post(f"/api/networks/{made[1]['id']}/step", json={"count": 1, "trace": True})
    assert traced.status_code == 200 and queued(client) == 3


def test_a_change_of_what_an_iteration_costs_takes_the_usual_path_again(client, network, monkeypatch):
    """A cost measured on a batch of 10 says nothing of a batch of 250: it is measured again first."""
    monkeypatch.setattr(quickstep, "QUICK_SECONDS", 0.002)
    url = f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"count": 1})
    client.post(f"{url}/step", json={"count": 1})
    assert queued(client) == 1
    assert client.patch(url, json={"batch_size": 250}).status_code == 200
    client.post(f"{url}/step", json={"count": 1})
    assert queued(client) == 1  # measured again in a worker thread
    shape, seconds = client.app.state.registry.resident(network["id"]).iteration_cost
    assert shape == quickstep.cost_shape(client.app.state.registry.resident(network["id"]).exp) and seconds > 0


def test_a_quick_step_is_on_disk_before_it_answers(client, network):
    url = f"/api/networks/{network['id']}/step"
    client.post(url, json={"count": 1})
    slow_writes(client, 0.3)
    answer = client.post(url, json={"count": 1}).json()
    assert queued(client) == 1
    stored = client.app.state.registry.store.load(network["id"])
    assert stored["counters"]["step"] == answer["state"]["step"] == 2
    assert stored["weights"] == answer["state"]["weights"]


def test_a_quick_step_whose_save_fails_is_undone(client, network):
    url = f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"count": 1})
    weights = client.get(url).json()["weights"]
    registry = client.app.state.registry
    submitted, submit = [], registry.saves.submit
    registry.saves.submit = lambda save, done: (submitted.append(save), submit(save, done))
    registry.store._db.execute("PRAGMA query_only = ON")
    answers = [client.post(f"{url}/step", json={"count": 1}) for _ in range(5)]
    assert {a.status_code for a in answers} == {503}
    assert "read-only" in answers[0].json()["detail"]
    assert len(submitted) == 5 and registry.saves.saves == 0  # quick steps, none written
    assert client.get(url).json()["step"] == 1 and client.get(url).json()["weights"] == weights
    registry.store._db.execute("PRAGMA query_only = OFF")
    assert client.post(f"{url}/step", json={"count": 1}).json()["state"]["step"] == 2
    assert registry.store.load(network["id"])["counters"]["step"] == 2


def test_a_writer_that_breaks_fails_its_saves_and_goes_on(client, network):
    url = f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"count": 1})
    store = client.app.state.registry.store
    write = store.write

    def broken(saves):
        raise TypeError("a bug below the store")
    store.write = broken
    answer = client.post(f"{url}/step", json={"count": 1})
    assert answer.status_code == 503 and "a bug below the store" in answer.json()["detail"]
    store.write = write
    assert client.post(f"{url}/step", json={"count": 1}).json()["state"]["step"] == 2
    assert store.load(network["id"])["counters"]["step"] == 2


def test_one_network_steps_one_request_at_a_time_while_its_save_is_written(client, network):
    """The network's lock is held until the save is written: a second request waits for it."""
    url = f"/api/networks/{network['id']}/step"
    client.post(url, json={"count": 1})
    slow_writes(client, 0.2)
    with ThreadPoolExecutor(8) as pool:
        steps = sorted(a.json()["state"]["step"] for a in pool.map(lambda _: client.post(url, json={"count": 1}),
                                                                      range(8)))
    assert steps == list(range(2, 10))
    assert client.app.state.registry.store.load(network["id"])["counters"]["step"] == 9


def test_clients_stepping_at_once_share_commits(client):
    made = [client.post("/api/networks", json={}).json() for _ in range(12)]
    for network in made:
        client.post(f"/api/networks/{network['id']}/step", json={"count": 1})
    sizes = slow_writes(client, 0.1)  # saves queue up behind a slow commit
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda n: client.post(f"/api/networks/{n['id']}/step", json={"count": 2}), made))
    assert {a.status_code for a in answers} == {200}
    assert sum(sizes) == 12 and max(sizes) > 1, sizes
    store = client.app.state.registry.store
    assert {store.load(n["id"])["counters"]["step"] for n in made} == {3}


def test_the_lock_is_released_when_the_save_is_written_even_if_the_request_was_cancelled(tmp_path):
    settings = Settings(db_path=str(tmp_path / "q.sqlite3"))
    registry = Registry(Store(settings.db_path), settings)
    from engine.experiment import Experiment
    session = registry.create(Experiment.create())
    session.iteration_cost = (quickstep.cost_shape(session.exp), 0.0001)
    written = threading.Event()
    write = registry.store.write

    def slow(saves):
        time.sleep(0.2)
        write(saves)
        written.set()
    registry.store.write = slow

    def work(s):
        s.exp.advance("iteration", 1)
        return {"step": s.exp.trainer.step}

    async def cancelled() -> None:
        task = asyncio.create_task(quickstep.step_here(registry, registry.saves, session.id, "iteration", 1, work))
        await asyncio.sleep(0.05)
        assert session.lock.locked()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert session.lock.locked()  # still held: the save is being written
        for _ in range(200):
            if not session.lock.locked():
                break
            await asyncio.sleep(0.05)
    asyncio.run(cancelled())
    assert written.is_set() and not session.lock.locked()
    assert registry.store.load(session.id)["counters"]["step"] == 1 and not session.dirty
    registry.saves.close()


def test_closing_the_queue_writes_what_waits(tmp_path):
    """Shutdown closes the queue after the last requests: what they queued is written first."""
    settings = Settings(db_path=str(tmp_path / "c.sqlite3"))
    registry = Registry(Store(settings.db_path), settings)
    from engine.experiment import Experiment
    sessions = [registry.create(Experiment.create()) for _ in range(3)]
    done = []

    async def queue_and_close() -> None:
        for session in sessions:
            session.exp.advance("iteration", 2)
            pending = registry.pending_save(session)
            registry.saves.submit(pending.save, lambda error, s=session, p=pending: done.append(
                (registry.saved(s, p), error)))
        await asyncio.to_thread(registry.saves.close)
        await asyncio.sleep(0.01)  # the completions were handed to this loop
    asyncio.run(queue_and_close())
    assert done == [(None, None)] * 3
    assert [registry.store.load(s.id)["counters"]["step"] for s in sessions] == [2, 2, 2]


@pytest.mark.slow
def test_a_quick_step_survives_kill_9(tmp_path):
    import httpx
    from tests.app.owners import OwnerHttp
    from tests.server_process import ServerProcess
    api, db = OwnerHttp(timeout=5), str(tmp_path / "kill.sqlite3")
    server = ServerProcess(db).start()
    try:
        network = api.post(f"{server.url}/api/networks", json={}).json()
        url = f"{server.url}/api/networks/{network['id']}"
        answers = [api.post(f"{url}/step", json={"count": 1}).json() for _ in range(3)]  # the last two quick
        before = httpx.get(url).json()
    finally:
        server.kill()
    assert answers[-1]["state"]["step"] == before["step"] == 3
    with ServerProcess(db, port=server.port) as restarted:
        assert httpx.get(f"{restarted.url}/api/networks/{network['id']}").json() == before
