"""Owners and followers on the live socket: who may drive, and what followers are shown.

A socket starts as a follower. `{"type": "auth", "key": …}` proves the owner key (never in the URL)
and is answered `{"type": "auth", "role": "owner" | "follower", "followers": n, "detail"?}`. A
follower receives every frame, every trace the owner steps through and the owner's focus; its play,
pause, step and set get an error reply (403) and the socket stays open; it may only change its own
view (`subscribe`: grid resolution and a lower frame rate). `{"type": "focus", …}` from the owner (the
selected neuron, weight or bias, the sample, inspector open, edge view, numbers on) is relayed to
every other client as it is, and so is the trace of an owner's traced step; a client that joins later
gets the latest of each. A REST step with a trace by the owner (a script, a notebook) is relayed the
same way (`relay_rest_trace`). Owners are told how many follow (`{"type": "followers", "count": n}`)
whenever that changes: a socket joined, left or proved the key (`tell_owners`), so the teacher's
Class panel never polls.
"""
from __future__ import annotations

import weakref
from collections import deque
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from app.errors import ApiError, describe_validation_errors
from app.hub import Channel
from app.liveclient import CONTROL_QUEUE, Client
from app.jsonify import dumps, dumps_in_pieces
from app.keys import fork_hint, keys_of

MESSAGES = ("auth", "focus")
DRIVING = ("play", "pause", "step", "set", "rewind")
PARAMETER_ID = r"^L\d{1,3}N\d{1,4}(-L\d{1,3}N\d{1,4}|-bias)?$"


class AuthMessage(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    type: str
    key: str = Field(max_length=200)


class FocusMessage(BaseModel):
    """What the owner looks at; every field optional, sent as the owner's page has it."""
    model_config = ConfigDict(extra="forbid", strict=True)
    type: str
    selected: Optional[str] = Field(None, pattern=PARAMETER_ID, description="neuron, weight or bias id, or null")
    sample: Optional[int] = Field(None, ge=0, le=100_000, description="position in the mini-batch")
    inspector: Optional[bool] = None
    edge_view: Optional[Literal["weights", "gradients", "updates"]] = None
    numbers: Optional[bool] = None


class _Shown:
    """What a channel's owner shared, for clients that join later: the traced steps of the iteration
    on screen (at most one iteration's phases of messages, the newest last: a page replaying them in
    order keeps the records of the newest iteration, the phases done so far) and the latest focus."""

    def __init__(self):
        self.traces: deque[bytes] = deque()
        self.focus: bytes | None = None
        self.followers: int | None = None  # the count the owners were last told


_shown: "weakref.WeakKeyDictionary[Channel, _Shown]" = weakref.WeakKeyDictionary()


def shown(channel: Channel) -> _Shown:
    if channel not in _shown:
        _shown[channel] = _Shown()
    return _shown[channel]


def follower_count(channel: Channel) -> int:
    return sum(1 for c in channel.clients if not c.owner and not c.closed)


def follower_detail(network_id: str) -> str:
    return (f"you are following this network: only its owner can play, pause, step or change it "
            f"(send {{\"type\": \"auth\", \"key\": …}} first if it is yours); {fork_hint(network_id)}")


def _parse(model: type[BaseModel], message: dict) -> BaseModel:
    try:
        return model.model_validate(message)
    except ValidationError as exc:
        raise ApiError(422, describe_validation_errors(exc.errors())) from None


def check_driving(channel: Channel, client: Client, kind: str) -> None:
    """Refuse a follower's play, pause, step, set or rewind (403; the socket stays open)."""
    if kind in DRIVING and not client.owner:
        raise ApiError(403, follower_detail(channel.session.id))
    if kind == "play":
        shown(channel).traces.clear()  # frames take over: a joining client should not replay an old phase


def relay_trace(channel: Channel, sender: Client, trace: bytes | None) -> None:
    """The owner stepped (with `trace` when it asked for one): show every other client the same records."""
    traces = shown(channel).traces
    if trace is None:
        traces.clear()
        return
    traces.append(trace)
    while len(traces) > min(len(channel.session.exp.trainer.phases), CONTROL_QUEUE // 2):
        traces.popleft()
    for client in list(channel.clients):
        if client is not sender:
            client.reply(trace)


def forget_traces(channel: Channel | None) -> None:
    """The network went back (reset, rewind): the traces shared so far no longer show its present."""
    if channel is not None:
        shown(channel).traces.clear()


async def relay_rest_trace(channel: Channel | None, message: dict | None) -> None:
    """An owner's REST step, with the trace message a socket's step would have sent (None when it
    asked for none): every live client gets it (encoded off the event loop) before the new frame."""
    if channel is None:
        return
    text = await run_in_threadpool(dumps_in_pieces, message) if message else None
    relay_trace(channel, None, text)


def relay(hub, network_id: str, message: dict) -> None:
    """Every live client of the network gets `message` (the classroom's followers among them)."""
    channel = hub.channels.get(network_id)
    if channel is not None:
        data = dumps(message)
        for client in list(channel.clients):
            client.reply(data)


def tell_owners(channel: Channel, told: Client | None = None) -> None:
    """Tell the channel's owners how many follow, when that changed since they were last told
    (`told`: an owner that has just been told in its `auth` answer)."""
    state, count = shown(channel), follower_count(channel)
    if count == state.followers:
        return
    state.followers = count
    message = dumps({"type": "followers", "count": count})
    for owner in [c for c in channel.clients if c.owner and not c.closed and c is not told]:
        owner.reply(message)


def joined(channel: Channel, client: Client) -> None:
    """A new socket: give it the shared traces of the iteration on screen and the latest focus (before
    its first frame is sent), so a student joining mid-lesson sees the teacher's inspector at once."""
    state = shown(channel)
    for message in (*state.traces, state.focus):
        if message is not None:
            client.reply(message)


async def handle(channel: Channel, client: Client, message: dict) -> None:
    kind = message["type"]
    if kind == "auth":
        auth = _parse(AuthMessage, message)
        refusal = await run_in_threadpool(keys_of(client.ws).check, channel.session.id, auth.key)
        client.owner = refusal is None
        answer = {"type": "auth", "role": "owner" if client.owner else "follower",
                  "followers": follower_count(channel)}
        if refusal is not None:
            answer["detail"] = refusal
        client.reply(answer)
        tell_owners(channel, told=client)
    elif kind == "focus":
        focus = _parse(FocusMessage, message)
        if not client.owner:
            raise ApiError(403, "only the owner's focus is shared; a follower's selection stays on its own page")
        text = dumps({k: v for k, v in focus.model_dump().items() if v is not None or k == "selected"})
        shown(channel).focus = text
        for other in list(channel.clients):
            if other is not client:
                other.reply(text)
