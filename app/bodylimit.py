"""Refuse request bodies over the limit with 413 before they are read into memory.

A declared Content-Length over the limit is refused before the app runs. A streamed (chunked) body
is counted as it arrives; past the limit, reading it raises `BodyTooLarge`, an HTTP 413 error, which
FastAPI passes through its body parsing (any other exception there becomes "error parsing the body")
to the API's error handler, so both cases answer the same 413 message.
"""
from __future__ import annotations

import json

from starlette.exceptions import HTTPException


class BodyLimit:
    """Pure ASGI middleware: checks Content-Length up front and counts streamed (chunked) bodies."""

    def __init__(self, app, max_bytes: int, limit_for=None):
        self.app = app
        self.max_bytes = max_bytes
        self.limit_for = limit_for  # (method, path) → (bytes, why) for routes with a limit of their own

    async def _refuse(self, send, max_bytes: int, why: str) -> None:
        body = json.dumps({"detail": too_large_detail(max_bytes, why)}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        max_bytes, why = (self.limit_for(scope["method"], scope["path"]) if self.limit_for
                          else (self.max_bytes, "max_body_bytes"))
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > max_bytes
                except ValueError:
                    too_big = False
                if too_big:
                    return await self._refuse(send, max_bytes, why)
        received = 0
        started = False

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise BodyTooLarge(max_bytes, why)
            return message

        async def tracked_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:  # raised where no handler turned it into a response
            if not started:
                await self._refuse(send, max_bytes, why)


def too_large_detail(max_bytes: int, why: str = "max_body_bytes") -> str:
    return (f"request body is larger than the limit of {max_bytes} bytes ({why}); "
            f"send fewer points or a smaller document")


class BodyTooLarge(HTTPException):
    def __init__(self, max_bytes: int, why: str = "max_body_bytes"):
        super().__init__(413, too_large_detail(max_bytes, why))
