"""`WS /api/networks/{id}/live`: play, pause, step, set and subscribe, answered with frames.

Messages are JSON text, dispatched through one table (type → model → handler). Each is validated by
the model of the REST body it mirrors and runs the same code (`set` is PATCH, `step` is POST …/step,
both through `app.deps.run_locked`); a bad one gets `{"type": "error", "detail": ...}` and the socket
stays open, unless bad messages come faster than `ERROR_BURST` a second (closed with 1008, policy
violation: replies are never dropped silently) or a message is longer than `max_body_bytes` (closed
with 1009). See `app.hub` for the play loop. The router is built per app: `set` carries its limits.
"""
import asyncio
import json
import time
from dataclasses import fields as dataclass_fields
from typing import Awaitable, Callable

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from app import changes, follow, stepping
from app.deps import HubDep, RegistryDep, SettingsDep, run_locked
from app.errors import ApiError, describe_validation_errors
from app.hub import Channel, deleted_detail
from app.liveclient import Client
from app.routes import lessonstep
from app.schemas import live as messages
from app.settings import Settings

JOIN_ATTEMPTS = 5
PARSE_OFF_LOOP = 64 * 1024  # characters
ERROR_BURST = 20            # bad messages a second before the socket is closed (1008)
Handler = Callable[[Channel, Client, BaseModel], Awaitable[None]]


class Burst:
    """True once more than `limit` events fell within one second."""

    def __init__(self, limit: int):
        self.limit, self.times = limit, []

    def flooded(self) -> bool:
        now = time.monotonic()
        self.times = [t for t in self.times if now - t < 1.0] + [now]
        return len(self.times) > self.limit


async def on_play(channel: Channel, client: Client, play: messages.PlayMessage) -> None:
    settings = channel.hub.settings
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


async def on_pause(channel: Channel, client: Client, _: messages.PauseMessage) -> None:
    await channel.pause()
    await channel.refresh()


async def on_subscribe(channel: Channel, client: Client, sub: messages.SubscribeMessage) -> None:
    settings = channel.hub.settings
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


async def on_step(channel: Channel, client: Client, step: messages.StepMessage) -> None:
    settings = channel.hub.settings

    def work(session):
        result = stepping.step(session.exp, step.by, step.count, step.trace, settings,
                               reserve=2 * session.save_seconds)
        return {"type": "trace", "records": result["trace"], "done": result["done"],
                "stopped_early": result["stopped_early"]} if step.trace else None
    reply = await run_locked(channel.hub.registry, channel.session.id, work)
    if step.trace:
        client.reply(reply)
    follow.relay_trace(channel, client, reply if step.trace else None)
    await channel.refresh()


async def on_set(channel: Channel, client: Client, body: BaseModel) -> None:
    settings: Settings = channel.hub.settings
    work = changes.set_hyperparameters(changes.hyperparameter_changes(body, settings), settings.step_history)
    state = await run_locked(channel.hub.registry, channel.session.id, work)
    client.reply(b'{"type":"state",' + state[1:])
    await channel.refresh()


async def on_follow(channel: Channel, client: Client, message: BaseModel) -> None:
    """`auth` and `focus`: owners and followers (app.follow)."""
    await follow.handle(channel, client, message.model_dump())


HANDLERS: dict[str, Handler] = {"play": on_play, "pause": on_pause, "step": on_step, "set": on_set,
                                "subscribe": on_subscribe, "auth": on_follow, "focus": on_follow}


def dispatch_table(models: messages.LiveMessages) -> dict[str, tuple[type[BaseModel], Handler]]:
    """type → (model, handler), in the order the error message lists them."""
    return {f.name: (getattr(models, f.name), HANDLERS[f.name]) for f in dataclass_fields(models)}


def _parse(model: type[BaseModel], message: dict) -> BaseModel:
    try:
        return model.model_validate(message)
    except ValidationError as exc:
        raise ApiError(422, describe_validation_errors(exc.errors())) from None


async def handle(table: dict, channel: Channel, client: Client, text: str) -> None:
    try:  # a long message is parsed in a worker thread, so the event loop keeps serving
        message = json.loads(text) if len(text) < PARSE_OFF_LOOP else await run_in_threadpool(json.loads, text)
    except RecursionError:
        raise ApiError(422, "the message is nested too deeply; send a flat JSON object") from None
    except ValueError:
        raise ApiError(422, "messages must be JSON objects such as {\"type\": \"play\", \"steps_per_frame\": 1, "
                            "\"fps\": 30}") from None
    kind = message.get("type") if isinstance(message, dict) else None
    if not isinstance(kind, str) or kind not in table:
        raise ApiError(422, f"unknown message type {kind!r}; send one of {', '.join(table)}")
    if channel.session.deleted:
        raise ApiError(404, deleted_detail(channel.session.id))
    follow.check_driving(channel, client, kind)
    model, handler = table[kind]
    await handler(channel, client, _parse(model, message))


def router(models: messages.LiveMessages) -> APIRouter:
    table = dispatch_table(models)
    router = APIRouter()

    @router.websocket("/api/networks/{network_id}/live")
    async def live(ws: WebSocket, network_id: str, registry: RegistryDep, hub: HubDep, settings: SettingsDep):
        await ws.accept()
        client = Client(ws)
        channel = None
        for _ in range(JOIN_ATTEMPTS):  # a session evicted between fetching and joining is fetched again
            try:
                session = await run_in_threadpool(registry.get, network_id)
            except ApiError as exc:
                await ws.send_text(json.dumps({"type": "error", "detail": exc.detail}))
                await ws.close(code=4404)
                return
            channel = hub.join(session, client)
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
            await lessonstep.catch_up(channel, client)
            follow.tell_owners(channel)
            await channel.refresh()
            while True:
                message = await ws.receive()
                if message["type"] == "websocket.disconnect":
                    break
                try:
                    if message.get("text") is None:
                        raise ApiError(422, "send messages as JSON text, not binary frames")
                    if len(message["text"]) > settings.max_body_bytes:
                        await ws.close(code=1009, reason="message larger than max_body_bytes")
                        break
                    await handle(table, channel, client, message["text"])
                except ApiError as exc:
                    if errors.flooded():
                        await ws.close(code=1008, reason=f"more than {ERROR_BURST} bad messages a second")
                        break
                    client.reply({"type": "error", "detail": exc.detail})
        except WebSocketDisconnect:
            pass
        finally:
            sender.cancel()
            await hub.leave(channel, client)
            follow.tell_owners(channel)

    return router
