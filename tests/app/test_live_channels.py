"""The live hub's channels: one per network however clients come and go, with balanced pins."""
from __future__ import annotations

import asyncio
import json
import time

import pytest

from app.hub import Hub
from app.liveclient import Client
from app.sessions import Registry
from app.settings import Settings
from app.store import Store
from engine.experiment import Experiment


class RecordingSocket:
    def __init__(self):
        self.sent: list[dict] = []

    async def send_text(self, text: str) -> None:
        self.sent.append(json.loads(text))

    def frames(self) -> list[dict]:
        return [m for m in self.sent if m["type"] == "frame"]


@pytest.fixture
def hub(tmp_path):
    settings = Settings(db_path=str(tmp_path / "hub.sqlite3"))
    store = Store(settings.db_path)
    yield Hub(Registry(store, settings), settings)
    store.close()


def connect(hub: Hub, session) -> tuple[Client, RecordingSocket, "asyncio.Task"]:
    socket = RecordingSocket()
    client = Client(socket)
    assert hub.join(session, client) is not None
    return client, socket, asyncio.create_task(client.run_sender())


def test_a_client_joining_while_the_last_one_leaves_keeps_the_channel(hub):
    """A page reconnects while its old socket is still being closed: B joins during A's leave."""
    async def scenario():
        session = hub.registry.create(Experiment.create({}))
        a, _, a_sender = connect(hub, session)
        channel = hub.channels[session.id]
        channel.play(1, 60)
        await asyncio.sleep(0.05)
        leaving = asyncio.create_task(hub.leave(channel, a))
        await asyncio.sleep(0)  # A's leave is now pausing the loop and saving
        assert not leaving.done()
        b, b_socket, b_sender = connect(hub, session)
        await leaving
        assert hub.channels.get(session.id) is channel and b in channel.clients
        assert session.pins == 1
        c, c_socket, c_sender = connect(hub, session)
        assert hub.channels[session.id] is channel
        channel.play(1, 60)
        for _ in range(200):  # 0.2 s on an idle machine; up to 10 s on a loaded one
            await asyncio.sleep(0.05)
            if len(b_socket.frames()) >= 5 and len(c_socket.frames()) >= 5:
                break
        await channel.pause()
        await hub.leave(channel, b)
        assert hub.channels[session.id] is channel and session.pins == 1
        await hub.leave(channel, c)
        for task in (a_sender, b_sender, c_sender):
            task.cancel()
        return session, b_socket, c_socket

    session, b_socket, c_socket = asyncio.run(scenario())
    assert len(b_socket.frames()) >= 5 and len(c_socket.frames()) >= 5
    assert b_socket.frames()[-1]["step"] == c_socket.frames()[-1]["step"] > 0
    assert hub.channels == {} and session.pins == 0


def test_two_clients_leaving_together_unpin_once(hub):
    async def scenario():
        session = hub.registry.create(Experiment.create({}))
        a, _, a_sender = connect(hub, session)
        channel = hub.channels[session.id]
        first = asyncio.create_task(hub.leave(channel, a))
        await asyncio.sleep(0)
        b, _, b_sender = connect(hub, session)
        second = asyncio.create_task(hub.leave(channel, b))  # B leaves again while A still saves
        await asyncio.gather(first, second)
        a_sender.cancel()
        b_sender.cancel()
        return session

    session = asyncio.run(scenario())
    assert hub.channels == {} and session.pins == 0


def test_play_sent_while_the_loop_saves_keeps_playing(hub):
    """`pause` then `play` at once: the old loop is still saving, so it must carry on playing."""
    async def scenario():
        session = hub.registry.create(Experiment.create({}))
        client, socket, sender = connect(hub, session)
        channel = hub.channels[session.id]
        save = channel._checkpoint
        channel._checkpoint = lambda: (time.sleep(0.1), save())  # a save slow enough to play during
        channel.play(1, 60)
        await asyncio.sleep(0.05)
        channel.playing = False  # what pause does first; the loop now stops and saves
        await asyncio.sleep(0.05)
        assert not channel.task.done()
        channel.play(1, 60)
        for _ in range(200):  # ten frames at 60 fps; a loaded machine may take several times as long
            await asyncio.sleep(0.05)
            if session.exp.trainer.step >= 10 or channel.task.done():
                break
        step = session.exp.trainer.step
        playing = channel.playing
        await channel.pause()
        await hub.leave(channel, client)
        sender.cancel()
        return step, playing, socket

    step, playing, socket = asyncio.run(scenario())
    assert playing is True
    assert step >= 10
    assert socket.frames()[-1]["playing"] is True


def test_an_evicted_session_is_not_pinned(hub):
    session = hub.registry.create(Experiment.create({}))
    session.evicted = True
    assert hub.join(session, Client(RecordingSocket())) is None
    assert hub.channels == {} and session.pins == 0


def test_a_pause_overtaken_by_a_play_returns(hub):
    async def scenario():
        session = hub.registry.create(Experiment.create({}))
        client, _, sender = connect(hub, session)
        channel = hub.channels[session.id]
        channel.play(1, 2)  # slow frames: the loop sleeps most of the time
        await asyncio.sleep(0.05)
        pausing = asyncio.create_task(channel.pause())
        await asyncio.sleep(0)
        channel.play(1, 60)  # another client presses play before the loop noticed the pause
        await asyncio.wait_for(pausing, 1.0)
        playing = channel.playing
        await channel.pause()
        await hub.leave(channel, client)
        sender.cancel()
        return playing

    assert asyncio.run(scenario()) is True
