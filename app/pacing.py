"""Frames for followers who asked for fewer of them, and one frame text for clients that share options.

A follower on a slow laptop subscribes with `fps` below the play loop's. Followers are paced in groups,
one per rate: a group is offered a frame when it is due (always once the loop pauses), together with
the history entries its members missed meanwhile. Every member of a group (and every client keeping
up with the loop) then gets exactly the same text, so each distinct text is built once per frame,
however many follow (`liveclient.Client.offer_frame` shares it through `texts`).
"""
from __future__ import annotations

import time
from typing import Iterable, Iterator


class Pacer:
    def __init__(self):
        self._paces: dict[float, tuple[float, list[bytes]]] = {}  # rate → (next due, history missed)

    def offers(self, clients: Iterable, tail: list[bytes], playing: bool, fps: float) -> Iterator[tuple]:
        """(client, its history tail, the shared text cache) for each client this frame goes to."""
        now = time.monotonic()
        groups: dict = {None: (tail, {})}
        for client in clients:
            rate = client.max_fps if client.max_fps and client.max_fps < fps else None
            if rate not in groups:
                due, missed = self._paces.get(rate, (0.0, []))
                missed = missed + tail
                if playing and now < due - 0.5 / fps:  # half a frame early counts as on time
                    self._paces[rate] = (due, missed)
                    groups[rate] = None
                else:
                    due += 1.0 / rate
                    self._paces[rate] = (due if due > now else now + 1.0 / rate, [])
                    groups[rate] = (missed, {})
            if groups[rate] is not None:
                yield (client, *groups[rate])
