"""One live WebSocket client: a 1-slot frame mailbox, the history it has not seen, direct replies.

A client's mailbox holds only the latest frame: a slow client skips frames instead of queueing them,
and the history entries of skipped frames are carried into the next one it gets, so its loss chart
still has every point. Replies meant for one client (trace, state, error) go through a small
ordered queue before the next frame.
"""
from __future__ import annotations

import asyncio
from collections import deque

from fastapi import WebSocket

from app.jsonify import dumps

CONTROL_QUEUE = 32


class Client:
    """One WebSocket: a 1-slot frame mailbox, pending history, and a short queue of direct replies."""

    def __init__(self, ws: WebSocket):
        self.ws = ws
        self.grid_resolution = 0
        self._frame: tuple[bytes, dict] | None = None
        self._tail: list[bytes] = []
        self._seeded = False  # has a frame given this client the newest history entry yet?
        self._control: deque[bytes] = deque(maxlen=CONTROL_QUEUE)
        self._wake = asyncio.Event()
        self.frames_sent = 0
        self.closed = False

    def offer_frame(self, head: bytes, grid_json: dict, tail: list[bytes], last: bytes | None = None) -> None:
        """Replace any unsent frame with this one (latest wins), keeping the history both carry. A
        client's first frame carries at least the newest history entry (`last`), even when it joins
        a channel whose other clients have seen it already."""
        self._frame = (head, grid_json)
        if not self._seeded:
            self._seeded = True
            if not tail and not self._tail and last is not None:
                tail = [last]
        self._tail.extend(tail)
        self._wake.set()

    def reply(self, message: dict | bytes) -> None:
        """Queue a message for this client only; `bytes` are JSON already (encoded off the loop)."""
        self._control.append(message if isinstance(message, bytes) else dumps(message))
        self._wake.set()

    async def run_sender(self) -> None:
        while not self.closed:
            await self._wake.wait()
            self._wake.clear()
            while self._control:
                await self.ws.send_text(self._control.popleft().decode())
            if self._frame is not None:
                head, grid_json = self._frame
                tail, self._frame, self._tail = self._tail, None, []
                parts = [head[:-1], b',"history_tail":[', b",".join(tail), b"]"]
                if self.grid_resolution and self.grid_resolution in grid_json:
                    parts += [b',"grids":', grid_json[self.grid_resolution]]
                parts.append(b"}")
                await self.ws.send_text(b"".join(parts).decode())
                self.frames_sent += 1
