"""Large JSON bodies are parsed and checked in a worker thread, not on the event loop.

FastAPI parses a body and validates it against the route's model on the event loop. For a body of a
few kilobytes that is quick; a 2 MB body whose every element is invalid took seconds (one error
object per element), and no other request was served meanwhile. `OffLoopBody` reads a JSON body of
at least `LARGE` bytes, parses it and validates it with the route's own body field in a worker
thread (parsed in a worker process, its lists cut short, see `check`): an invalid one is refused there with exactly the 422 the API's handler gives (the first
`errors.MAX_ERRORS` errors); a valid one goes on to the route, which parses it again (valid input
checks quickly). Bodies that are not JSON, or not valid JSON, go on to the route unchanged, which
answers them as before.
Left out: small bodies (not worth a thread), and routes without a body model (they read their own).
"""
from __future__ import annotations

import json

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.routing import Match

from app.errors import is_json_content_type, validation_body
from app.jsonparse import parse_elsewhere
from app.jsonify import dumps

LARGE = 64 * 1024  # bytes: smaller bodies are parsed on the loop as usual
KEEP = 256         # items of each list checked first
FEW = 1000         # errors listed when a body is checked whole


def body_field(node, scope):
    """The matched route's body field (FastAPI's, embedded fields combined), or None without one.
    Included routers are searched too (FastAPI wraps each in a route of its own)."""
    for route in getattr(node, "routes", None) or getattr(getattr(node, "original_router", None), "routes", []):
        if route.matches(scope)[0] is Match.FULL:
            return getattr(route, "body_field", None) if hasattr(route, "dependant") else body_field(route, scope)
    return None


def check(raw: bytes, field) -> bytes | None:
    """The 422 answer for `raw` (JSON bytes), or None when it is valid or not JSON at all.
    pydantic builds every error of a body at once, holding the interpreter's lock for seconds when
    there are hundreds of thousands, so the body is parsed in a worker process (app.jsonparse) and
    checked with its lists cut short first: its first errors are those of the whole body. Only a body valid so far is checked whole, and its
    errors are listed only when few."""
    try:
        short, cut = parse_elsewhere(raw, KEEP)
    except (ValueError, RecursionError):
        return None  # the route answers it as it answers any body that is not JSON
    errors = field.validate(short, loc=("body",))[1]
    if errors:
        return dumps(validation_body(errors, more=cut))
    if not cut:
        return None
    adapter = getattr(field, "_type_adapter", None)
    try:
        if adapter is None:
            return None
        value = json.loads(raw)  # rare (the cut body was valid): parsed here, holding the lock
        adapter.validate_python(value, from_attributes=True)
        return None
    except ValidationError as exc:
        if exc.error_count() <= FEW:
            return dumps(validation_body(field.validate(value, loc=("body",))[1]))
        return dumps({"detail": f"body: {exc.error_count()} values are invalid, none of them among the first "
                                f"{KEEP} items of each list; send the values this endpoint takes (see /docs)",
                      "errors": []})


class OffLoopBody:
    """Pure ASGI middleware; it sits inside `BodyLimit`, so what it reads is already limited."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if not is_json_content_type(headers.get(b"content-type", b"").decode("latin-1")) or (
                length is not None and length.isdigit() and int(length) < LARGE):
            return await self.app(scope, receive, send)
        field = body_field(scope.get("app"), scope)
        if field is None:
            return await self.app(scope, receive, send)
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return await self.app(scope, _replay([message]), send)
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        raw = b"".join(chunks)
        refusal = await run_in_threadpool(check, raw, field) if len(raw) >= LARGE else None
        if refusal is None:
            return await self.app(scope, _replay([{"type": "http.request", "body": raw, "more_body": False}],
                                                 receive), send)
        await send({"type": "http.response.start", "status": 422,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(refusal)).encode())]})
        await send({"type": "http.response.body", "body": refusal})


def _replay(messages: list, then=None):
    """A `receive` that gives `messages` first, then asks `then` (the client's disconnect)."""
    async def receive():
        if messages:
            return messages.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}
    return receive
