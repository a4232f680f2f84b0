"""Frames for followers who asked for fewer of them, their heatmaps at a lower rate, and one frame
text for clients that share options.

A follower on a slow laptop subscribes with `fps` below the play loop's. Followers are paced in groups,
one per rate: a group is offered a frame when it is due (always once the loop pauses), together with
the history entries its members missed meanwhile. Every member of a group (and every client keeping
up with the loop) then gets exactly the same text, so each distinct text is built once per frame,
however many follow (`liveclient.Client.offer_frame` shares it through `texts`).

While the network plays, followers get heatmaps within `FOLLOWER_GRID_BYTES` a second, not on every
frame: at 40×40 a frame's heatmaps are 20 kB of the 21 kB, and a hall of 300 followers at 30 fps
would need 190 MB/s for pictures that change little from one frame to the next. The weights, the
loss and every history entry still come on every frame; the heatmaps follow 2 to 5 times a second
(40×40 and 24×24 on the default network), so a follower frame is under 3 kB on average. The owner,
and every frame sent while not playing, carry heatmaps as before. We chose a lower rate over binary
or delta-coded heatmaps because frames stay JSON, the page's decoder stays as it is (a frame without
`grids` keeps the last ones), and every follower of a rate still shares one text.
"""
from __future__ import annotations

import time
from typing import Iterable, Iterator


FOLLOWER_GRID_BYTES = 36_000  # a second of heatmaps per follower while playing (1.2 kB a frame at 30 fps)


class Pacer:
    def __init__(self):
        self._paces: dict[float, tuple[float, list[bytes]]] = {}  # rate → (next due, history missed)
        self._grids_due: dict[int, float] = {}  # resolution → when followers get its heatmaps next

    def follower_grids(self, grid_json: dict, playing: bool) -> dict:
        """The heatmaps this frame carries for followers: all of them when not playing, else those
        whose resolution is due, each then due again once its bytes fit `FOLLOWER_GRID_BYTES`."""
        if not playing:
            self._grids_due.clear()
            return grid_json
        now, out = time.monotonic(), {}
        for resolution, text in grid_json.items():
            due = self._grids_due.get(resolution, 0.0)
            if now >= due:
                out[resolution] = text
                period = len(text) / FOLLOWER_GRID_BYTES  # keep the cadence unless a period late
                self._grids_due[resolution] = (due if now - due < period else now) + period
        return out

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
