"""`WS /api/networks/{id}/live`: play, pause, step, set and subscribe, answered with frames.

Messages are JSON text. Each client message is validated like the REST body it mirrors; a bad one
gets `{"type": "error", "detail": ...}` and the socket stays open, unless bad messages come faster than
`ERROR_BURST` a second (closed with 1008, policy violation: replies are never dropped silently) or a
message is longer than `max_body_bytes` (closed with 1009). See `app.hub` for the loop.
"""
from __future__ import annotations

import asyncio
import json
import time

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from app import follow, limits, schemas, stepping, views
from app.clients import turn
from app.deps import encoded, engine_errors
from app.errors import ApiError, describe_validation_errors
from app.hub import Channel, deleted_detail
from app.liveclient import Client

router = APIRouter()


class PlayMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)
    type: str
    steps_per_frame: int = Field(1, ge=1)
    fps: float = Field(30, ge=0.1, description="frames a second, from 0.1 to max_fps")


class PauseMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    type: str


class SubscribeMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    type: str
    grid_resolution: int = Field(0, ge=0, description="0: no grids; else R ≥ 2, as in GET …/grid")
    fps: Optional[float] = Field(None, gt=0, description="at most this many frames a second for this client "
                                                         "(a follower on a slow laptop); null: every frame")


class StepMessage(schemas.StepIn):
    type: str


class SetMessage(schemas.Hyperparameters):
    type: str


MESSAGE_TYPES = ("play", "pause", "step", "set", "subscribe") + follow.MESSAGES
JOIN_ATTEMPTS = 5
PARSE_OFF_LOOP = 64 * 1024  # characters
ERROR_BURST = 20            # bad messages a second before the socket is closed (1008)


class Burst:
    """True once more than `limit` events fell within one second."""

    def __init__(self, limit: int):
        self.limit, self.times = limit, []

    def flooded(self) -> bool:
        now = time.monotonic()
        self.times = [t for t in self.times if now - t < 1.0] + [now]
        return len(self.times) > self.limit


@router.websocket("/api/networks/{network_id}/live")
async def live(ws: WebSocket, network_id: str):
    app = ws.app
    await ws.accept()
    client = Client(ws)
    channel = None
    for _ in range(JOIN_ATTEMPTS):  # a session evicted between fetching and joining is fetched again
        try:
            session = await run_in_threadpool(app.state.registry.get, network_id)
        except ApiError as exc:
            await ws.send_text(json.dumps({"type": "error", "detail": exc.detail}))
            await ws.close(code=4404)
            return
        channel = app.state.hub.join(session, client)
        if channel is not None:
            break
    if channel is None:
        await ws.send_text(json.dumps({"type": "error", "detail": "the server is busy; connect again"}))
        await ws.close(code=1013)
        return
    sender = asyncio.create_task(client.run_sender())
    errors = Burst(ERROR_BURST)
    try:
        follow.joined(channel, client)
        await channel.refresh()
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            try:
                if message.get("text") is None:
                    raise ApiError(422, "send messages as JSON text, not binary frames")
                if len(message["text"]) > app.state.settings.max_body_bytes:
                    await ws.close(code=1009, reason="message larger than max_body_bytes")
                    break
                await handle(channel, client, message["text"])
            except ApiError as exc:
                if errors.flooded():
                    await ws.close(code=1008, reason=f"more than {ERROR_BURST} bad messages a second")
                    break
                client.reply({"type": "error", "detail": exc.detail})
    except WebSocketDisconnect:
        pass
    finally:
        sender.cancel()
        await app.state.hub.leave(channel, client)


def _parse(model: type[BaseModel], message: dict) -> BaseModel:
    try:
        return model.model_validate(message)
    except ValidationError as exc:
        raise ApiError(422, describe_validation_errors(exc.errors())) from None


async def _locked(channel: Channel, work):
    """Run `work(session)` under the network's lock in a worker thread, save, and return the answer
    as JSON bytes encoded in the same thread (`encoded`: a callable runs after unlocking)."""
    session, registry = channel.session, channel.hub.registry

    def locked():
        with turn(session, channel.hub.settings.max_waiters_per_network):
            if session.deleted:
                raise ApiError(404, deleted_detail(session.id))
            with engine_errors():
                result = registry.change(session, work)
        return encoded(result)
    return await run_in_threadpool(locked)


async def handle(channel: Channel, client: Client, text: str) -> None:
    settings = channel.hub.settings
    try:  # a long message is parsed in a worker thread, so the event loop keeps serving
        message = json.loads(text) if len(text) < PARSE_OFF_LOOP else await run_in_threadpool(json.loads, text)
    except RecursionError:
        raise ApiError(422, "the message is nested too deeply; send a flat JSON object") from None
    except ValueError:
        raise ApiError(422, "messages must be JSON objects such as {\"type\": \"play\", \"steps_per_frame\": 1, "
                            "\"fps\": 30}") from None
    if not isinstance(message, dict) or message.get("type") not in MESSAGE_TYPES:
        kind = message.get("type") if isinstance(message, dict) else None
        raise ApiError(422, f"unknown message type {kind!r}; send one of {', '.join(MESSAGE_TYPES)}")
    kind = message["type"]
    if channel.session.deleted:
        raise ApiError(404, deleted_detail(channel.session.id))
    if kind in follow.MESSAGES:
        return await follow.handle(channel, client, message)
    follow.check_driving(channel, client, kind)
    if kind == "play":
        play = _parse(PlayMessage, message)
        if play.steps_per_frame > settings.max_steps_per_frame:
            raise ApiError(422, f"steps_per_frame: {play.steps_per_frame} is more than the limit of "
                                f"{settings.max_steps_per_frame} (max_steps_per_frame)")
        if play.fps > settings.max_fps:
            raise ApiError(422, f"fps: {play.fps:g} is more than the limit of {settings.max_fps} (max_fps)")
        if channel.session.exp.diverged:
            d = channel.session.exp.diverged
            raise ApiError(409, f"training diverged at step {d['step']}: {d['reason']}. Reset the network "
                                f"(POST …/reset), lowering the learning rate first.")
        channel.play(play.steps_per_frame, play.fps)
    elif kind == "pause":
        _parse(PauseMessage, message)
        await channel.pause()
        await channel.refresh()
    elif kind == "subscribe":
        sub = _parse(SubscribeMessage, message)
        if sub.grid_resolution == 1:
            raise ApiError(422, "grid_resolution: 1 is too small; send 0 for no grids, or at least 2 "
                                "for an R×R grid (as GET …/grid?resolution=R)")
        if sub.grid_resolution > settings.max_grid_resolution:
            raise ApiError(422, f"grid_resolution: {sub.grid_resolution} is more than the limit of "
                                f"{settings.max_grid_resolution} (max_grid_resolution)")
        client.grid_resolution = sub.grid_resolution
        client.max_fps = sub.fps
        if not channel.playing:
            await channel.refresh()
    elif kind == "step":
        step = _parse(StepMessage, message)

        def work(session):
            result = stepping.step(session.exp, step.by, step.count, step.trace, settings)
            return {"type": "trace", "records": result["trace"], "done": result["done"],
                    "stopped_early": result["stopped_early"]} if step.trace else None
        reply = await _locked(channel, work)
        if step.trace:
            client.reply(reply)
        follow.relay_trace(channel, client, reply if step.trace else None)
        await channel.refresh()
    elif kind == "set":
        changes = _parse(SetMessage, message).changes()
        changes.pop("type", None)
        if not changes:
            raise ApiError(422, "nothing to change: give any of learning_rate, batch_size, momentum, "
                                "regularization, regularization_rate")
        limits.check_batch_size(changes.get("batch_size"), settings)

        def work(session):
            session.exp.set_hyperparameters(**changes)
            state = views.network_state_json(session.id, session.exp, session.history_json, settings.step_history)
            return b'{"type":"state",' + state[1:]
        client.reply(await _locked(channel, work))
        await channel.refresh()
