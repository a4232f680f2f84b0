"""Gzip for the API's middle-sized JSON answers (the dataset catalogue, a network's points), the part
of the page's cold load that static caching cannot save.

Only answers whose whole body is known up front (`Content-Length`) between `min_bytes` and
`max_bytes` are compressed, in a worker thread, for clients that accept gzip. Left out on purpose:
big and streamed answers (a float grid of millions of numbers would cost the CPU every other client
waits for, and is streamed in pieces anyway), HEAD requests, anything already encoded, and the
WebSocket (its frames are mostly base64 heatmaps that deflate barely shrinks). The page's own files
are compressed once by `app.assets`.
"""
from __future__ import annotations

import gzip

import anyio
from starlette.datastructures import Headers, MutableHeaders


def accepts_gzip(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the request's raw headers accept gzip: a plain scan, as every request asks (Starlette's
    `Headers.get` decodes each header name first)."""
    for name, value in headers:
        if name == b"accept-encoding":
            return b"gzip" in value.lower()
    return False


class GzipJson:
    """Pure ASGI middleware: holds the response start until the body shows it is one piece."""

    def __init__(self, app, min_bytes: int = 1024, max_bytes: int = 256 * 1024):
        self.app, self.min_bytes, self.max_bytes = app, min_bytes, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] == "HEAD" or not accepts_gzip(scope["headers"]):
            return await self.app(scope, receive, send)
        held = None

        async def maybe_compressed(message):
            nonlocal held
            if message["type"] == "http.response.start" and self._wanted(Headers(raw=message["headers"])):
                held = message
                return
            if held is None or message["type"] != "http.response.body":
                return await send(message)
            start, held = held, None
            if message.get("more_body"):  # not one piece after all: send it as it is
                await send(start)
                return await send(message)
            body = await anyio.to_thread.run_sync(lambda: gzip.compress(message["body"], compresslevel=6, mtime=0))
            headers = MutableHeaders(raw=list(start["headers"]))
            headers["Content-Encoding"] = "gzip"
            headers["Content-Length"] = str(len(body))
            headers.add_vary_header("Accept-Encoding")
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, maybe_compressed)

    def _wanted(self, headers: Headers) -> bool:
        size = headers.get("content-length", "")
        return (headers.get("content-type", "").startswith("application/json") and "content-encoding" not in headers
                and size.isdigit() and self.min_bytes <= int(size) <= self.max_bytes)
