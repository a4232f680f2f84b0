"""WS /api/networks/{id}/live: frames on connect and after every change, play/pause, grids, errors."""
from __future__ import annotations

import asyncio
import base64
import json
import time

import numpy as np
import pytest
from starlette.websockets import WebSocketDisconnect

from app.liveclient import Client
from app.main import create_app
from app.settings import Settings
from tests.app.conftest import TestClient

FRAME_FIELDS = {"type", "id", "step", "epoch", "phase", "playing", "train_loss", "test_loss", "train_accuracy",
                "test_accuracy", "grad_norms", "weights", "biases", "grad_weights", "diverged", "history_tail"}


def receive(ws, kind: str, limit: int = 500) -> dict:
    """The next message of `kind`, skipping others (frames keep coming while a network plays)."""
    for _ in range(limit):
        message = ws.receive_json()
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind!r} message in {limit} messages")


def pause(ws) -> tuple[dict, float]:
    """Pause; (the first frame that says it stopped, seconds until it came)."""
    started = time.monotonic()
    ws.send_json({"type": "pause"})
    frame = receive(ws, "frame")
    while frame["playing"]:
        frame = receive(ws, "frame")
    return frame, time.monotonic() - started


def receive_step(ws, step: int, limit: int = 10) -> dict:
    """The first frame showing `step`."""
    for _ in range(limit):
        message = ws.receive_json()
        if message["type"] == "frame" and message["step"] == step:
            return message
    raise AssertionError(f"no frame of step {step} in {limit} messages")


def test_connect_sends_the_current_frame(client, network):
    with client.websocket_connect(f"/api/networks/{network['id']}/live") as ws:
        frame = ws.receive_json()
    assert FRAME_FIELDS <= frame.keys() and "grids" not in frame
    assert frame["type"] == "frame" and frame["id"] == network["id"] and frame["playing"] is False
    assert frame["weights"] == network["weights"] and frame["step"] == 0
    assert frame["phase"] == network["phase"]
    assert frame["train_loss"] == network["train_loss"]


def test_frames_carry_the_last_mini_batch_gradient(client, network):
    url = f"/api/networks/{network['id']}"
    with client.websocket_connect(f"{url}/live") as ws:
        ws.receive_json()
        ws.send_json({"type": "step", "by": "iteration", "count": 1, "trace": True})
        trace = receive(ws, "trace")["records"]
        frame = receive(ws, "frame")
    backward = {r["layer"]: r["grad_weights"] for r in trace if r["phase"] == "backward"}
    assert [np.shape(g) for g in frame["grad_weights"]] == [(2, 4), (4, 2), (2, 1)]
    for k, grad in enumerate(frame["grad_weights"]):
        assert np.allclose(grad, backward[k + 1], rtol=0, atol=1e-15)


def test_step_message_sends_trace_then_frame(client, network):
    with client.websocket_connect(f"/api/networks/{network['id']}/live") as ws:
        ws.receive_json()
        ws.send_json({"type": "step", "by": "phase", "count": 2, "trace": True})
        trace = ws.receive_json()
        frame = ws.receive_json()
    assert trace["type"] == "trace" and [(r["phase"], r["layer"]) for r in trace["records"]] == [
        ("forward", 1), ("forward", 2)]
    assert frame["type"] == "frame" and frame["phase"]["index"] == 2 and frame["step"] == 0
    assert client.get(f"/api/networks/{network['id']}").json()["phase"]["index"] == 2  # saved


def test_play_trains_and_pause_saves(client, network):
    url = f"/api/networks/{network['id']}"
    with client.websocket_connect(f"{url}/live") as ws:
        ws.receive_json()
        ws.send_json({"type": "play", "steps_per_frame": 5, "fps": 60})
        steps = []
        for _ in range(6):
            frame = receive(ws, "frame")
            steps.append(frame["step"])
            assert frame["playing"] is True
        ws.send_json({"type": "pause"})
        frame = ws.receive_json()
        while frame["playing"]:
            frame = ws.receive_json()
    assert steps == sorted(steps) and steps[-1] >= 21 and all(0 < b - a <= 5 for a, b in zip(steps, steps[1:]))
    state = client.get(url).json()
    assert state["step"] == frame["step"] and state["weights"] == frame["weights"]


def test_history_tail_carries_every_entry_once(client, network):
    with client.websocket_connect(f"/api/networks/{network['id']}/live") as ws:
        first = ws.receive_json()
        ws.send_json({"type": "play", "steps_per_frame": 1, "fps": 60})
        seen = [e["step"] for e in first["history_tail"]]
        for _ in range(10):
            seen += [e["step"] for e in receive(ws, "frame")["history_tail"]]
        ws.send_json({"type": "pause"})
    assert seen == list(range(seen[0], seen[0] + len(seen)))


def test_subscribe_adds_decodable_grids(client, network):
    with client.websocket_connect(f"/api/networks/{network['id']}/live") as ws:
        ws.receive_json()
        ws.send_json({"type": "subscribe", "grid_resolution": 16})
        frame = ws.receive_json()
        ws.send_json({"type": "subscribe", "grid_resolution": 0})
        plain = ws.receive_json()
    grids = frame["grids"]
    assert grids["resolution"] == 16 and grids["extent"] == [-6.0, 6.0]
    assert [[n["id"] for n in layer] for layer in grids["layers"]] == network["neuron_ids"]
    exact = client.get(f"/api/networks/{network['id']}/grid", params={"resolution": 16, "encoding": "float"}).json()
    out, ref = grids["layers"][3][0], exact["layers"][3][0]
    raw = np.frombuffer(base64.b64decode(out["data"]), np.uint8).reshape(16, 16)
    assert np.allclose(out["min"] + raw / 255 * (out["max"] - out["min"]), ref["values"],
                       atol=(out["max"] - out["min"]) / 255)
    assert "grids" not in plain


def test_set_replies_with_state_and_keeps_training_state(client, network):
    with client.websocket_connect(f"/api/networks/{network['id']}/live") as ws:
        ws.receive_json()
        ws.send_json({"type": "step", "by": "iteration", "count": 3})
        ws.receive_json()
        ws.send_json({"type": "set", "learning_rate": 0.3, "momentum": 0.5})
        state = ws.receive_json()
        frame = ws.receive_json()
    assert state["type"] == "state" and state["config"]["learning_rate"] == 0.3 and state["step"] == 3
    assert state["config"]["momentum"] == 0.5
    assert frame["type"] == "frame" and frame["step"] == 3


@pytest.mark.parametrize("message, detail", [
    ("not json", 'messages must be JSON objects such as {"type": "play", "steps_per_frame": 1, "fps": 30}'),
    ({"type": "dance"}, "unknown message type 'dance'; send one of play, pause, step, set, subscribe, auth, focus"),
    ([1, 2], "unknown message type None; send one of play, pause, step, set, subscribe, auth, focus"),
    ({"type": "play", "fps": 0}, "fps: Input should be greater than or equal to 0.1 (got 0)"),
    ({"type": "play", "fps": 1e-300}, "fps: Input should be greater than or equal to 0.1 (got 1e-300)"),
    ({"type": "play", "fps": 500}, "fps: 500 is more than the limit of 60 (max_fps)"),
    ({"type": "play", "steps_per_frame": 10 ** 6}, "steps_per_frame: 1000000 is more than the limit of 10000 (max_steps_per_frame)"),
    ({"type": "step", "by": "year"}, "by: Input should be 'phase', 'iteration' or 'epoch' (got 'year')"),
    ({"type": "step", "count": 10 ** 6}, "count: 1000000 iterations is more than the limit of 100000 iterations (max_steps_per_request)"),
    ({"type": "set"}, "nothing to change: give any of learning_rate, batch_size, momentum, regularization, regularization_rate"),
    ({"type": "set", "learning_rate": -2}, "learning_rate: Input should be greater than 0 (got -2)"),
    ({"type": "subscribe", "grid_resolution": 999}, "grid_resolution: 999 is more than the limit of 200 (max_grid_resolution)"),
    ({"type": "subscribe", "grid_resolution": 1}, "grid_resolution: 1 is too small; send 0 for no grids, or at least 2 "
                                                  "for an R×R grid (as GET …/grid?resolution=R)"),
    ({"type": "pause", "junk": 1}, "junk: Extra inputs are not permitted (got 1)"),
    ({"type": "play", "junk": 1}, "junk: Extra inputs are not permitted (got 1)"),
    ({"type": "subscribe", "grid_resolution": 8, "junk": 1}, "junk: Extra inputs are not permitted (got 1)"),
])
def test_bad_messages_get_an_error_and_the_socket_stays_open(client, network, message, detail):
    with client.websocket_connect(f"/api/networks/{network['id']}/live") as ws:
        ws.receive_json()
        ws.send_text(message if isinstance(message, str) else json.dumps(message))
        assert ws.receive_json() == {"type": "error", "detail": detail}
        ws.send_json({"type": "step"})
        assert ws.receive_json()["step"] == 1


def test_pause_at_a_slow_frame_rate_answers_at_once(client, network):
    with client.websocket_connect(f"/api/networks/{network['id']}/live") as ws:
        ws.receive_json()
        ws.send_json({"type": "play", "steps_per_frame": 1, "fps": 0.1})  # the next frame: 10 s away
        assert receive(ws, "frame")["playing"] is True
        seconds = pause(ws)[1]
    assert seconds < 5.0, f"pause waited {seconds:.1f} s for the next frame"


def test_a_binary_message_gets_an_error_and_the_socket_stays_open(client, network):
    with client.websocket_connect(f"/api/networks/{network['id']}/live") as ws:
        ws.receive_json()
        ws.send_bytes(b'{"type": "pause"}')
        assert ws.receive_json() == {"type": "error", "detail": "send messages as JSON text, not binary frames"}
        ws.send_json({"type": "step"})
        assert ws.receive_json()["step"] == 1


def test_messages_about_a_deleted_network_get_an_error(client, network):
    deleted = (f"network {network['id']!r} was deleted; create a new one with POST /api/networks")
    with client.websocket_connect(f"/api/networks/{network['id']}/live") as ws:
        ws.receive_json()
        assert client.delete(f"/api/networks/{network['id']}").status_code == 204
        assert ws.receive_json() == {"type": "error", "detail": deleted}
        for message in ({"type": "play", "steps_per_frame": 1, "fps": 30}, {"type": "step"},
                        {"type": "subscribe", "grid_resolution": 8}, {"type": "set", "learning_rate": 0.1}):
            ws.send_json(message)
            assert ws.receive_json() == {"type": "error", "detail": deleted}


def test_a_client_joining_an_open_channel_gets_the_newest_history_entry(client, network):
    url = f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"by": "iteration", "count": 3})
    with client.websocket_connect(f"{url}/live") as first:
        first.receive_json()
        with client.websocket_connect(f"{url}/live") as second:
            frame = second.receive_json()
    newest = client.get(url, params={"history": 1}).json()["history"]
    assert frame["type"] == "frame" and frame["step"] == 3
    assert frame["history_tail"] == newest and newest[0]["step"] == 3


def test_unknown_network_gets_an_error_and_is_closed(client):
    with client.websocket_connect("/api/networks/AAAAAAAAAAAAAAAAAAAAAA/live") as ws:
        assert ws.receive_json() == {"type": "error", "detail": "no network with id 'AAAAAAAAAAAAAAAAAAAAAA'; it may "
                                     "have expired or been deleted. Create one with POST /api/networks"}
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4404


def test_every_client_sees_the_same_frames_and_rest_changes(client, network):
    url = f"/api/networks/{network['id']}"
    with client.websocket_connect(f"{url}/live") as teacher, client.websocket_connect(f"{url}/live") as student:
        teacher.receive_json()
        student.receive_json()
        client.post(f"{url}/step", json={"by": "iteration", "count": 4})
        # each connection also refreshed the other's view: skip those step-0 frames
        a, b = receive_step(teacher, 4), receive_step(student, 4)
        assert a == b and a["history_tail"][-1]["step"] == 4


def test_playing_a_diverging_network_stops_with_the_reason(client):
    network_id = client.post("/api/networks", json={"layers": [2, 8, 1], "activation": "linear",
                                                   "output_activation": "linear", "learning_rate": 50,
                                                   "dataset": {"name": "plane"}}).json()["id"]
    with client.websocket_connect(f"/api/networks/{network_id}/live") as ws:
        ws.receive_json()
        ws.send_json({"type": "play", "steps_per_frame": 50, "fps": 60})
        frame = receive(ws, "frame")
        while frame["playing"]:
            frame = receive(ws, "frame")
        assert frame["diverged"]["reason"].startswith("the loss exploded at step")
        ws.send_json({"type": "play"})
        error = ws.receive_json()
    assert error["type"] == "error" and error["detail"].startswith(f"training diverged at step {frame['diverged']['step']}")


def test_a_slow_client_keeps_only_the_latest_frame_and_all_history():
    class SlowSocket:
        def __init__(self):
            self.sent = []

        async def send_text(self, text):
            self.sent.append(json.loads(text))

    async def scenario():
        ws = SlowSocket()
        client = Client(ws)
        for step in range(1, 101):  # 100 frames arrive before the client can send any
            head = json.dumps({"type": "frame", "step": step}).encode()
            client.offer_frame(head, {}, [json.dumps({"step": step}).encode()])
        client.reply({"type": "trace", "records": []})
        sender = asyncio.create_task(client.run_sender())
        await asyncio.sleep(0.01)
        sender.cancel()
        return ws.sent

    sent = asyncio.run(scenario())
    assert [m["type"] for m in sent] == ["trace", "frame"]
    assert sent[1]["step"] == 100
    assert [e["step"] for e in sent[1]["history_tail"]] == list(range(1, 101))


def test_a_slow_network_plays_fewer_steps_a_frame_and_says_so(tmp_path):
    """Issue 8.2: a frame fits its time budget (steps adapt down); the frame says the real rate."""
    settings = Settings(db_path=str(tmp_path / "slow.sqlite3"), frame_time_budget=0.05)
    with TestClient(create_app(settings)) as client:
        network_id = client.post("/api/networks", json={"layers": [2, 64, 64, 64, 1], "batch_size": 2000,
                                                       "dataset": {"samples": 4000}}).json()["id"]
        with client.websocket_connect(f"/api/networks/{network_id}/live") as ws:
            ws.receive_json()
            ws.send_json({"type": "play", "steps_per_frame": 10000, "fps": 60})
            frames = [receive(ws, "frame") for _ in range(8)]
            paused = pause(ws)[1]
    steps = [f["step"] for f in frames]
    assert frames[0]["steps_per_frame"] <= 1 and max(f["steps_per_frame"] for f in frames) < 10000  # the first: a probe
    assert all(b - a == f["steps_per_frame"] for a, b, f in zip(steps, steps[1:], frames[1:]))
    assert 0 < frames[-1]["steps_per_second"] < 10000 * 60
    assert paused < 8, f"pause took {paused:.1f} s with a 0.05 s frame budget"  # 10000 steps: minutes


def test_heavy_play_saves_at_least_once_a_save_interval(tmp_path):
    """Issue 8.2: the largest steps_per_frame on a slow network still checkpoints every save_interval."""
    settings = Settings(db_path=str(tmp_path / "save.sqlite3"), save_interval=0.3)
    with TestClient(create_app(settings)) as client:
        network_id = client.post("/api/networks", json={"layers": [2, 64, 64, 64, 1], "batch_size": 2000,
                                                       "dataset": {"samples": 4000}}).json()["id"]
        registry, saves = client.app.state.registry, []
        save = registry.save
        registry.save = lambda session: (save(session), saves.append(time.monotonic()))
        with client.websocket_connect(f"/api/networks/{network_id}/live") as ws:
            ws.receive_json()
            ws.send_json({"type": "play", "steps_per_frame": 10000, "fps": 60})
            started = time.monotonic()
            while time.monotonic() - started < 2.5:
                receive(ws, "frame")
            ws.send_json({"type": "pause"})
    gaps = [b - a for a, b in zip(saves, saves[1:])]
    # one frame of 10000 steps would take about a minute: loaded machines stretch frames, not that far
    assert len(saves) >= 3 and max(gaps) < 3.0, f"saves {len(saves)}, longest gap {max(gaps):.2f} s"
