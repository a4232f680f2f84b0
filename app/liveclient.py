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
    """One WebSocket: a 1-slot frame mailbox, pending history, and a short queue of direct replies.
    `owner` is set once the socket proved the network's key (`app.follow`); `max_fps` caps the frames
    a follower asks for (`app.pacing`)."""

    def __init__(self, ws: WebSocket):
        self.ws = ws
        self.grid_resolution = 0
        self.owner = False
        self.max_fps: float | None = None
        self._frame: tuple[bytes, dict, dict] | None = None
        self._shared = False  # this frame's text is the same as other clients' with the same options
        self._tail: list[bytes] = []
        self._seeded = False  # has a frame given this client the newest history entry yet?
        self._control: deque[bytes] = deque(maxlen=CONTROL_QUEUE)
        self._wake = asyncio.Event()
        self.frames_sent = 0
        self.closed = False

    def offer_frame(self, head: bytes, grid_json: dict, tail: list[bytes], last: bytes | None = None,
                    texts: dict | None = None) -> None:
        """Replace any unsent frame with this one (latest wins), keeping the history both carry. A
        client's first frame carries at least the newest history entry (`last`), even when it joins
        a channel whose other clients have seen it already. `texts` is the frame's cache of finished
        texts, one per grid resolution, shared by every client whose history tail is just this frame's.
        Heatmaps of a skipped frame stay with the next one if it has none (followers get them less often)."""
        self._shared = not self._tail and self._seeded
        unsent = self._frame[1] if self._frame is not None else {}
        if self.grid_resolution in unsent and self.grid_resolution not in grid_json:  # keep skipped heatmaps
            grid_json, self._shared = {**grid_json, self.grid_resolution: unsent[self.grid_resolution]}, False
        self._frame = (head, grid_json, {} if texts is None else texts)
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
                await self.ws.send_text(self._frame_text())
                self.frames_sent += 1

    def _frame_text(self) -> str:
        head, grid_json, texts = self._frame
        tail, shared, self._frame, self._tail = self._tail, self._shared, None, []
        resolution = self.grid_resolution if self.grid_resolution in grid_json else 0
        if shared and resolution in texts:
            return texts[resolution]
        parts = [head[:-1], b',"history_tail":[', b",".join(tail), b"]"]
        if resolution:
            parts += [b',"grids":', grid_json[resolution]]
        parts.append(b"}")
        text = b"".join(parts).decode()
        if shared:
            texts[resolution] = text
        return text
