"""Large JSON bodies are parsed and checked in a worker process, not in the server's.

FastAPI parses a body and validates it against the route's model on the event loop. For a body of a
few kilobytes that is quick; a 2 MB body whose every element is invalid took seconds (one error
object per element), and no other request was served meanwhile. `OffLoopBody` reads a JSON body of
at least `LARGE` bytes and has `judge` parse it and validate it with the route's own body field in
a worker process (app.jsonparse), from a thread that only waits: an invalid body, or one that is not
JSON, is refused with exactly the 422 the route and the API's handler give (the first
`errors.MAX_ERRORS` errors); a valid one goes on to the route, which parses it again.
Left out: small bodies (not worth a process), and routes without a body model (they read their own).
"""
from __future__ import annotations

import json

from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.routing import Match

from app.errors import is_json_content_type, unparsable, validation_body
from app.jsonify import dumps
from app.jsonparse import judge_elsewhere

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


def cut(value, keep: int) -> tuple[object, bool]:
    """`value` with every list cut to its first `keep` items; and whether any was cut."""
    if isinstance(value, list):
        items = [cut(v, keep) for v in value[:keep]]
        return [v for v, _ in items], len(value) > keep or any(c for _, c in items)
    if isinstance(value, dict):
        items = {k: cut(v, keep) for k, v in value.items()}
        return {k: v for k, (v, _) in items.items()}, any(c for _, c in items.values())
    return value, False


def judge(raw: bytes, field) -> bytes | None:
    """The 422 answer for `raw` (JSON bytes), exactly as the route would give it, or None when it
    is valid. Slow on a large body: the server calls it in a worker process (app.jsonparse).
    pydantic builds every error of a body at once, so the body is checked with its lists cut short
    first: its first errors are those of the whole body. A body valid so far (or nested too deeply
    to cut) is checked whole, and its errors are listed only when few."""
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        return dumps(unparsable(exc))
    try:
        short, more = cut(value, KEEP)
        errors = field.validate(short, loc=("body",))[1]
    except RecursionError:
        more, errors = True, None
    if errors:
        return dumps(validation_body(errors, more=more))
    if not more:
        return None
    adapter = getattr(field, "_type_adapter", None)
    try:
        if adapter is not None:
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
        refusal = await run_in_threadpool(judge_elsewhere, raw, scope["method"], scope["path"],
                                          scope["app"].state.settings, lambda: judge(raw, field)) \
            if len(raw) >= LARGE else None
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
