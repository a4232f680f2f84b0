"""A short lane for the API's most frequent request: a light step by its network's owner.

`POST /api/networks/{id}/step` is what a script training a network sends over and over, and for a
small network FastAPI's routing, dependencies and body handling cost more than the step itself
(bench/server.py, target 4). This pure ASGI middleware, the innermost of the app's own (so every
limit and check outside it still applies), answers such a request itself when it is the plain case:
  - exactly that path, POST, no query but `history=N` within its range;
  - a small JSON body, in one piece, that the route's own body field accepts (FastAPI's validation,
    the same call it makes);
  - `Authorization: Bearer <key>` that owns the network, its key hash already cached;
  - a step `app.quickstep` takes on the event loop (light, untraced, the network in memory and free).
Its answer is the route's: the same work (`quickstep.step_work`), the same encoding, the same
refusals for what goes wrong while stepping (`ApiError` rendered as the API's handler renders it).
Anything else, before any work is done, goes on to the route with its body replayed: the route stays
the one place that validates, refuses and documents (OpenAPI) this endpoint.
"""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl

from fastapi.responses import JSONResponse

from app import follow, quickstep
from app.deps import json_response
from app.errors import ApiError, is_json_content_type
from app.offloop import body_field
from engine.history import LIMIT as HISTORY_LIMIT

STEP_PATH = re.compile(r"/api/networks/([^/]+)/step")
SMALL = 4096  # bytes of body at most: a step's is a few dozen
KNOWN_BODIES = 64  # bodies kept validated: a script sends the same few over and over


class StepLane:
    def __init__(self, app):
        self.app = app
        self._field = None  # the step route's body field, found on the first step request
        self._known: dict[bytes, object] = {}  # body → the StepIn it validates to (read, never changed)
        self.answered = 0  # requests answered here (tests and benchmarks read it)

    async def __call__(self, scope, receive, send):
        match = STEP_PATH.fullmatch(scope["path"]) if scope["type"] == "http" and scope["method"] == "POST" \
            else None
        history = _history(scope["query_string"]) if match else False
        key = _owner_key(scope["headers"]) if history is not False else None
        if key is None:
            return await self.app(scope, receive, send)
        first = await receive()
        replay = _replay(first, receive)
        body = self._step_in(scope, first)
        app, network_id = scope["app"], match.group(1)
        if body is None or body.trace or not _owns(app, network_id, key):
            return await self.app(scope, replay, send)
        registry, hub = app.state.registry, app.state.hub
        work = quickstep.step_work(body, history, app.state.settings, {})
        try:
            answer = await quickstep.step_here(registry, registry.saves, network_id, body.by, body.count, work)
        except ApiError as exc:  # as the API's handler answers it (app.errors.install)
            self.answered += 1
            refusal = JSONResponse({"detail": exc.detail}, status_code=exc.status, headers=exc.headers)
            return await refusal(scope, replay, send)
        if answer is None:
            return await self.app(scope, replay, send)
        self.answered += 1
        await follow.relay_rest_trace(hub.channels.get(network_id), None)
        await hub.network_changed(network_id)
        await json_response(answer)(scope, replay, send)

    def _step_in(self, scope, message: dict):
        """The body as the route's own field validates it; None when the route is to read it (not
        all in one piece, empty, or refused: the route gives the refusal)."""
        raw = message.get("body", b"")
        if message["type"] != "http.request" or message.get("more_body") or not raw:
            return None
        known = self._known.get(raw)
        if known is not None:
            return known
        if self._field is None:
            self._field = body_field(scope["app"], scope)
            if self._field is None:
                return None
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError):
            return None
        checked, errors = self._field.validate(value, loc=("body",))
        if errors:
            return None
        if len(self._known) >= KNOWN_BODIES:
            self._known.clear()
        self._known[raw] = checked
        return checked


def _history(query: bytes):
    """None (the default), the newest N entries asked for, or False: a query only the route reads."""
    if not query:
        return None
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    if len(pairs) != 1 or pairs[0][0] != "history" or not pairs[0][1].isdigit():
        return False
    n = int(pairs[0][1])
    return n if n <= HISTORY_LIMIT else False


def _owner_key(headers) -> str | None:
    """The bearer key of a request with a small JSON body; None otherwise."""
    kind = length = key = None
    for name, value in headers:
        if name == b"content-type":
            kind = value.decode("latin-1")
        elif name == b"content-length":
            length = value
        elif name == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            key = credentials if scheme.lower() == "bearer" and credentials else None
    small = length is not None and length.isdigit() and 0 < int(length) <= SMALL
    return key if small and kind and is_json_content_type(kind) else None


def _owns(app, network_id: str, key: str) -> bool:
    keys = app.state.keys
    return keys.cached(network_id) and keys.check(network_id, key) is None


def _replay(first: dict, receive):
    """A `receive` that gives the message already read first, then asks the client's."""
    sent = False

    async def replayed():
        nonlocal sent
        if not sent:
            sent = True
            return first
        return await receive()
    return replayed
