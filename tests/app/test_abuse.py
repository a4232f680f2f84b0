"""Issue 8 items 5, 6, 9 and 10: bounded error lists and messages, bounded waiters, clear answers."""
from __future__ import annotations

import json
import threading
import time

import pytest
from starlette.websockets import WebSocketDisconnect

from app.main import create_app
from tests.app.conftest import TestClient
from tests.app.test_live import receive

JSON = {"content-type": "application/json"}


def test_a_body_of_bad_numbers_gets_a_short_error_list(client, network):
    """Item 5: 60,000 invalid numbers are answered with 20 errors, not a list of megabytes."""
    body = json.dumps({"x": [["a", "b"]] * 30000})
    response = client.post(f"/api/networks/{network['id']}/predict", content=body, headers=JSON)
    assert response.status_code == 422 and len(response.content) < 10_000
    assert len(response.json()["errors"]) == 20
    assert response.json()["detail"].endswith("and more errors (only the first 20 are listed)")  # not counted


def test_a_websocket_message_over_the_body_limit_closes_the_socket(settings):
    with TestClient(create_app(settings.replace(max_body_bytes=1000))) as c:
        network_id = c.post("/api/networks", json={}).json()["id"]
        with c.websocket_connect(f"/api/networks/{network_id}/live") as ws:
            ws.receive_json()
            ws.send_text(json.dumps({"type": "set", "learning_rate": [0.1] * 1000}))
            with pytest.raises(WebSocketDisconnect) as closed:
                while True:
                    ws.receive_json()
    assert closed.value.code == 1009


def test_one_busy_network_does_not_starve_the_others(settings):
    """Item 6: beyond max_waiters_per_network the next request is 429 at once; others are served."""
    with TestClient(create_app(settings.replace(max_waiters_per_network=1))) as c:
        busy, other = (c.post("/api/networks", json={}).json()["id"] for _ in range(2))
        session = c.app.state.registry.get(busy)
        answers = []
        with session.lock:  # a long step holds it
            waiter = threading.Thread(target=lambda: answers.append(c.get(f"/api/networks/{busy}").status_code))
            waiter.start()
            time.sleep(0.5)
            refused = c.get(f"/api/networks/{busy}")
            assert c.get(f"/api/networks/{other}").status_code == 200
        waiter.join()
    assert refused.status_code == 429 and "max_waiters_per_network" in refused.json()["detail"]
    assert answers == [200]


@pytest.mark.parametrize("text, detail", [
    ('{"count": ' + "9" * 5000 + "}", "request body has a number with more than 4300 digits"),
    ('{"count": ' + "[" * 100000 + "]" * 100000 + "}", "request body is nested too deeply"),
])
def test_bodies_python_cannot_parse_get_a_clear_answer(client, network, text, detail):
    """Item 10: a 5000-digit count is not called "not valid JSON"; deep nesting is no 500."""
    response = client.post(f"/api/networks/{network['id']}/step", content=text, headers=JSON)
    assert response.status_code == 422 and response.json()["detail"].startswith(detail)


def test_a_deeply_nested_message_gets_an_error_and_the_socket_stays_open(client, network):
    with client.websocket_connect(f"/api/networks/{network['id']}/live") as ws:
        ws.receive_json()
        ws.send_text('{"type": "set", "x": ' + "[" * 100000 + "]" * 100000 + "}")
        error = receive(ws, "error")  # an owner is told its follower count too
        assert error == {"type": "error", "detail": "the message is nested too deeply; send a flat JSON object"}
        ws.send_json({"type": "pause"})
        assert receive(ws, "frame")["type"] == "frame"


def test_a_flood_of_bad_messages_closes_with_policy_violation(client, network):
    """Item 10: replies are never dropped silently: past 20 bad messages a second the socket closes."""
    with client.websocket_connect(f"/api/networks/{network['id']}/live") as ws:
        ws.receive_json()
        for _ in range(200):
            ws.send_text("junk")
        errors = 0
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                errors += ws.receive_json()["type"] == "error"
    assert closed.value.code == 1008 and 1 <= errors <= 21


@pytest.mark.parametrize("change, detail", [
    (lambda d: d["data"]["x_train"][0].__setitem__(0, 10 ** 400), "data.x_train[0][0]: a whole number of 401 digits"),
    (lambda d: d["history"][0].__setitem__("step", 2 ** 63), "history[0].step: a whole number of 19 digits"),
    (lambda d: d["counters"].__setitem__("step", 2 ** 63 - 1), "counters.step: a whole number of 19 digits"),
    (lambda d: d["velocity"].__setitem__(0, float("nan")), "velocity[0]: nan is not a finite number"),
    (lambda d: d.__setitem__("history", d["history"] * 2001), "history has 2001 entries, more than the 2000"),
    (lambda d: d.__setitem__("format", "1"), "format: Input should be a valid integer"),
    (lambda d: d.__setitem__("format", True), "format: Input should be a valid integer"),
])
def test_an_import_with_impossible_numbers_is_refused_by_name(client, network, change, detail):
    """Items 9 and 10: never a 500, never a NaN in the database."""
    doc = client.get(f"/api/networks/{network['id']}/export").json()
    change(doc)
    text = json.dumps(doc)  # NaN is written as NaN, which Python's parser (FastAPI's) accepts
    response = client.post("/api/networks/import", content=text, headers=JSON)
    assert response.status_code == 422 and response.json()["detail"].startswith(detail), response.text


def test_a_grid_request_frees_its_buffers(client, network):
    """Item 8: grid buffers are not cached per resolution forever (184 MB each for the largest network)."""
    for resolution in (50, 80, 120):
        assert client.get(f"/api/networks/{network['id']}/grid", params={"resolution": resolution}).status_code == 200
    assert client.app.state.registry.get(network["id"]).exp._grids == {}


def test_logs_cannot_be_flooded():
    """Item 7 (logs): 10,000 lines in a burst write at most a second's allowance, then say how many went."""
    import logging

    from app.logflood import PER_SECOND, RateLimit

    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    handler.addFilter(RateLimit())
    log = logging.getLogger("test.flood")
    log.addHandler(handler)
    log.propagate = False
    try:
        started = time.monotonic()
        for i in range(10_000):
            log.warning("invalid HTTP request %d", i)
        assert len(lines) <= 2 * PER_SECOND + int(time.monotonic() - started + 1) * PER_SECOND
        time.sleep(1.1)
        log.warning("after the burst")
    finally:
        log.removeHandler(handler)
    assert lines[-1].startswith("after the burst (and ") and lines[-1].endswith("log lines suppressed before it)")


def test_networks_in_memory_stay_within_the_memory_budget(settings):
    """Item 8: past memory_budget the least recently used networks leave memory (saved, not deleted)."""
    big = {"layers": [2, 64, 64, 1], "dataset": {"samples": 4000}, "batch_size": 4000}
    with TestClient(create_app(settings.replace(memory_budget=30 * 2**20))) as c:
        ids = []
        for _ in range(6):
            ids.append(c.post("/api/networks", json=big).json()["id"])
            c.post(f"/api/networks/{ids[-1]}/step", json={"count": 2})
        registry = c.app.state.registry
        assert sum(s.bytes for s in registry._sessions.values()) <= 30 * 2**20 + max(s.bytes for s in registry._sessions.values())
        assert len(registry) < 6
        assert all(c.get(f"/api/networks/{i}").status_code == 200 for i in ids)


def test_past_the_budget_by_the_process_size_networks_leave_memory(settings, monkeypatch):
    """Item 8: the budget holds for the process's real size, not only the arrays counted; when the
    networks left in memory are all in live play, a new one is refused with 503."""
    from app import memory
    with TestClient(create_app(settings)) as c:
        ids = [c.post("/api/networks", json={}).json()["id"] for _ in range(3)]
        registry = c.app.state.registry
        monkeypatch.setattr(memory, "rss", lambda: settings.memory_budget + (len(registry) > 1))
        ids.append(c.post("/api/networks", json={}).json()["id"])
        assert list(registry._sessions) == ids[-1:]
        assert all(c.get(f"/api/networks/{i}").status_code == 200 for i in ids)  # saved, not deleted
        with c.websocket_connect(f"/api/networks/{ids[0]}/live") as ws:
            ws.receive_json()
            monkeypatch.setattr(memory, "rss", lambda: settings.memory_budget + 1)
            refused = c.post("/api/networks", json={})
        assert refused.status_code == 503
        assert refused.json()["detail"].startswith("the server is at its memory budget of 2048 MB (memory_budget)")


def test_a_network_loaded_from_the_store_makes_room_first_or_is_refused(settings, monkeypatch):
    """Item 8 for loads: a request for a network only in the store (GET, step, …) fits the memory
    budget as a create does: idle networks leave memory first (a changed one saved on its way out);
    when the ones left are in live play or busy, 503 with Retry-After, and the network loads once
    room is free again."""
    from app import memory
    with TestClient(create_app(settings)) as c:
        ids = [c.post("/api/networks", json={}).json()["id"] for _ in range(3)]
        registry = c.app.state.registry
        shared = c.post(f"/api/networks/{ids[2]}/snapshots").json()["code"]  # a share link, read below
        assert c.post(f"/api/networks/{ids[1]}/step", json={"count": 3}).status_code == 200
        assert registry._evict(registry._sessions[ids[0]])  # now only in the store
        monkeypatch.setattr(memory, "rss", lambda: settings.memory_budget + (len(registry) > 1))
        assert c.get(f"/api/networks/{ids[0]}").status_code == 200
        assert list(registry._sessions) == [ids[0]]  # the idle ones left for it
        stepped = c.post(f"/api/networks/{ids[1]}/step", json={"count": 1})
        assert stepped.json()["state"]["step"] == 4  # saved on its way out, loaded again
        with c.websocket_connect(f"/api/networks/{ids[1]}/live") as ws:
            ws.receive_json()  # ids[1] in live play: it cannot leave memory
            for ask, what in ((lambda: c.get(f"/api/networks/{ids[2]}"), f"network {ids[2]}"),
                              (lambda: c.post(f"/api/networks/{ids[2]}/step", json={"count": 1}), f"network {ids[2]}"),
                              (lambda: c.get(f"/api/snapshots/{shared}"), f"share link {shared}")):
                if what.startswith("share"):  # not a network: over the budget with the one in play alone
                    monkeypatch.setattr(memory, "rss", lambda: settings.memory_budget + 1)
                refused = ask()
                assert refused.status_code == 503 and refused.headers["retry-after"] == "5"
                assert refused.json()["detail"].startswith("the server is at its memory budget of 2048 MB "
                                                           "(memory_budget) and none of the 1 networks")
                assert f"{what} cannot come into memory; try again in 5 s" in refused.json()["detail"]
                assert ids[2] not in registry._sessions
        monkeypatch.setattr(memory, "rss", lambda: settings.memory_budget + (len(registry) > 1))
        assert c.get(f"/api/networks/{ids[2]}").status_code == 200  # play stopped: room again
        assert c.get(f"/api/snapshots/{shared}").status_code == 200
