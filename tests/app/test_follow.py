"""The live socket's owner and followers: followers see everything and drive nothing."""
from __future__ import annotations

import time

import pytest

from app.liveclient import Client
from tests.app.test_live import receive
from tests.app.test_live_channels import RecordingSocket, hub  # noqa: F401 (fixture)
from engine.experiment import Experiment


def follower_detail(network_id: str) -> str:
    return ("you are following this network: only its owner can play, pause, step or change it (send "
            "{\"type\": \"auth\", \"key\": …} first if it is yours); fork it with "
            f"POST /api/networks/{network_id}/fork to train your own copy")


@pytest.mark.parametrize("message", [
    {"type": "play", "steps_per_frame": 1, "fps": 30}, {"type": "pause"},
    {"type": "step", "by": "phase", "trace": True}, {"type": "set", "learning_rate": 0.5}])
def test_a_followers_driving_is_refused_and_its_socket_stays_open(client, network, message):
    with client.websocket_connect(f"/api/networks/{network['id']}/live", follower=True) as ws:
        assert ws.receive_json()["type"] == "frame"
        ws.send_json(message)
        assert receive(ws, "error") == {"type": "error", "detail": follower_detail(network["id"])}
        ws.send_json({"type": "subscribe", "grid_resolution": 0})  # its own view: allowed
        assert receive(ws, "frame")["step"] == 0
    state = client.get(f"/api/networks/{network['id']}").json()
    assert (state["step"], state["phase"]["index"], state["config"]["learning_rate"]) == (0, 0, 0.03)


def test_a_followers_play_is_refused_while_the_owners_works(client, network):
    url = f"/api/networks/{network['id']}/live"
    with client.websocket_connect(url) as owner, client.websocket_connect(url, follower=True) as student:
        assert owner.role == "owner" and student.role == "follower"
        student.send_json({"type": "play", "steps_per_frame": 1, "fps": 30})
        assert receive(student, "error")["detail"] == follower_detail(network["id"])
        owner.send_json({"type": "play", "steps_per_frame": 2, "fps": 30})
        seen = [receive(student, "frame") for _ in range(3)]
        assert any(f["playing"] and f["step"] > 0 for f in seen)  # the follower watches the owner play
        owner.send_json({"type": "pause"})
        while receive(owner, "frame")["playing"]:
            pass


def test_a_wrong_key_on_the_socket_makes_a_follower(client, network):
    with client.websocket_connect(f"/api/networks/{network['id']}/live", follower=True) as ws:
        ws.send_json({"type": "auth", "key": "not-the-key-at-all-xxxx"})
        answer = receive(ws, "auth")
        assert answer["role"] == "follower" and answer["followers"] == 1
        assert answer["detail"].startswith("this network belongs to someone else (the key does not match)")
        ws.send_json({"type": "step", "by": "phase"})
        assert receive(ws, "error")["detail"] == follower_detail(network["id"])


def test_followers_get_the_owners_traces_and_focus_and_late_joiners_the_latest(client, network):
    url = f"/api/networks/{network['id']}/live"
    focus = {"type": "focus", "selected": "L1N0-L2N1", "sample": 3, "inspector": True, "edge_view": "gradients",
             "numbers": True}
    with client.websocket_connect(url) as owner, client.websocket_connect(url, follower=True) as student:
        mine = []
        for _ in range(3):
            owner.send_json({"type": "step", "by": "phase", "count": 1, "trace": True})
            mine.append(receive(owner, "trace"))
            assert receive(student, "trace") == mine[-1]
            assert receive(student, "frame")["phase"] == receive(owner, "frame")["phase"]
        owner.send_json(focus)
        assert receive(student, "focus") == focus
        student.send_json({**focus, "selected": "L0N0"})
        assert receive(student, "error")["detail"].startswith("only the owner's focus is shared")
        with client.websocket_connect(url, follower=True) as late:
            # joining mid-lesson: the phases of the iteration done so far, then the focus, at once
            assert [late.receive_json() for _ in range(4)] == [*mine, focus]
        assert client.get(f"/api/networks/{network['id']}/class").status_code == 404


def test_focus_is_checked(client, network):
    with client.websocket_connect(f"/api/networks/{network['id']}/live") as ws:
        ws.send_json({"type": "focus", "selected": "<script>"})
        assert receive(ws, "error")["detail"].startswith("selected: String should match pattern")
        ws.send_json({"type": "focus", "edge_view": "rainbow"})
        assert receive(ws, "error")["detail"].startswith("edge_view: Input should be 'weights'")


def test_a_follower_may_ask_for_fewer_frames(client, network):
    with client.websocket_connect(f"/api/networks/{network['id']}/live", follower=True) as ws:
        ws.send_json({"type": "subscribe", "grid_resolution": 0, "fps": 5})
        assert receive(ws, "frame")["type"] == "frame"
        ws.send_json({"type": "subscribe", "fps": 0})
        assert receive(ws, "error")["detail"].startswith("fps: Input should be greater than 0")


def test_frames_are_encoded_once_per_rate_and_paced_followers_keep_all_history(hub, monkeypatch):  # noqa: F811
    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    session = hub.registry.create(Experiment.create({}))
    clients = [Client(RecordingSocket()) for _ in range(5)]
    for client in clients:
        hub.join(session, client)
    for client in clients[2:]:
        client.max_fps = 10.0  # three followers on slow laptops
    channel = hub.channels[session.id]
    channel.playing, channel.fps = True, 30.0
    offered = {id(c): [] for c in clients}
    for n in range(9):
        channel.publish((b'{"type":"frame","n":%d}' % n, {}, [b'{"step":%d}' % n], b'{"step":%d}' % n))
        for client in clients:
            if client._frame is not None:
                offered[id(client)].append(client._frame_text())
        clock[0] += 1 / 30
    fast, slow = offered[id(clients[0])], offered[id(clients[2])]
    assert len(fast) == 9 and len(slow) == 3
    # after each client's first frame (which carries its own start of history), one text is shared
    assert all(a is b for a, b in zip(fast[1:], offered[id(clients[1])][1:]))
    assert all(a is b for a, b in zip(slow[1:], offered[id(clients[3])][1:])) and slow[2] is offered[id(clients[4])][2]
    assert '"history_tail":[{"step":1},{"step":2},{"step":3}]' in slow[1]  # nothing a paced follower misses


def test_an_owners_rest_step_with_a_trace_is_relayed_to_followers(client, network):
    url = f"/api/networks/{network['id']}/live"
    with client.websocket_connect(url, follower=True) as student:
        assert receive(student, "frame")["step"] == 0
        answer = client.post(f"/api/networks/{network['id']}/step", json={"by": "phase", "count": 2, "trace": True})
        assert answer.status_code == 200
        trace = receive(student, "trace")
        assert trace == {"type": "trace", "records": answer.json()["trace"], "done": 2, "stopped_early": None}
        assert receive(student, "frame")["phase"]["index"] == 2
        client.post(f"/api/networks/{network['id']}/step", json={"by": "phase"})  # no trace asked: none sent
        assert receive(student, "frame")["phase"]["index"] == 3
        with client.websocket_connect(url, follower=True) as late:
            assert late.receive_json()["type"] == "frame"  # the untraced step replaced the shared trace


def test_owners_are_told_how_many_follow_as_it_changes(client, network):
    url = f"/api/networks/{network['id']}/live"
    with client.websocket_connect(url) as owner:  # its auth answer said 0
        with client.websocket_connect(url, follower=True) as first:
            assert receive(owner, "followers")["count"] == 1
            with client.websocket_connect(url, follower=True):
                assert receive(owner, "followers")["count"] == 2
            assert receive(owner, "followers")["count"] == 1
            first.send_json({"type": "auth", "key": "not-the-key-at-all-xxxx"})  # still a follower
            assert receive(first, "auth")["followers"] == 1
        assert receive(owner, "followers")["count"] == 0


def test_a_late_joiner_gets_at_most_one_iterations_traces(client, network):
    url = f"/api/networks/{network['id']}/live"
    with client.websocket_connect(url) as owner:
        sent = []
        for _ in range(11):  # the default network's iteration has 8 phases
            owner.send_json({"type": "step", "by": "phase", "trace": True})
            sent.append(receive(owner, "trace"))
        with client.websocket_connect(url, follower=True) as late:
            replayed = []
            while (message := late.receive_json())["type"] == "trace":
                replayed.append(message)
        assert replayed == sent[-8:]  # the page keeps those after the last forward pass of layer 1


@pytest.mark.parametrize("path, body", [("reset", {}), ("rewind", {"step": 0, "phase": 0})])
def test_a_reset_or_rewind_drops_the_traces_a_late_joiner_would_replay(client, network, path, body):
    url = f"/api/networks/{network['id']}/live"
    with client.websocket_connect(url) as owner:
        owner.send_json({"type": "step", "by": "phase", "trace": True})
        receive(owner, "trace")
        assert client.post(f"/api/networks/{network['id']}/{path}", json=body).status_code == 200
        with client.websocket_connect(url, follower=True) as late:
            assert late.receive_json()["type"] == "frame"


def test_followers_get_heatmaps_within_their_byte_rate_the_owner_on_every_frame(hub, monkeypatch):  # noqa: F811
    from app import pacing
    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    session = hub.registry.create(Experiment.create({}))
    owner, follower, skipping = (Client(RecordingSocket()) for _ in range(3))
    owner.owner = True
    for client in (owner, follower, skipping):
        client.grid_resolution = 40
        hub.join(session, client)
    channel = hub.channels[session.id]
    channel.playing, channel.fps = True, 30.0
    grid = b'"G' + b"x" * (pacing.FOLLOWER_GRID_BYTES * 4 - 3) + b'"'  # what four frames earn
    texts = {owner: [], follower: []}
    for n in range(60):  # two seconds
        channel.publish((b'{"type":"frame","n":%d}' % n, {40: grid}, [], b'{"step":0}'))
        for client in texts:
            texts[client].append(client._frame_text())
        if n == 29:
            skipped = skipping._frame_text()  # a slow client: this frame's heatmaps come with its next one
        clock[0] += 1 / 30
    assert all('"grids":"G' in t for t in texts[owner])
    with_grids = [n for n, t in enumerate(texts[follower]) if '"grids":"G' in t]
    assert with_grids == list(range(0, 60, 4))  # every fourth frame, from the first one playing
    assert sum(map(len, texts[follower])) / 60 < pacing.FOLLOWER_GRID_BYTES + 200
    for n in range(30, 60):  # the skipping client's pending frame keeps the last heatmaps it was offered
        channel.publish((b'{"type":"frame","n":%d}' % n, {40: grid}, [], b'{"step":0}'))
    assert '"grids":"G' in skipped and '"grids":"G' in skipping._frame_text()
    channel.playing = False  # a frame while not playing (pause, a change) always carries them
    channel.publish((b'{"type":"frame","n":99}', {40: grid}, [], b'{"step":0}'))
    assert '"grids":"G' in follower._frame_text()
