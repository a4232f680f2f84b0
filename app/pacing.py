"""Frames for followers who asked for fewer of them, their heatmaps at a lower rate, and one frame
text for clients that share options.

A follower on a slow laptop subscribes with `fps` below the play loop's. Followers are paced in groups,
one per rate: a group is offered a frame when it is due (always once the loop pauses), together with
the history entries its members missed meanwhile. Every member of a group (and every client keeping
up with the loop) then gets exactly the same text, so each distinct text is built once per frame,
however many follow (`liveclient.Client.offer_frame` shares it through `texts`).

While the network plays, followers get heatmaps within `FOLLOWER_GRID_BYTES` a frame on average,
not on every frame: at 40×40 a frame's heatmaps are 20 kB of the 21 kB, and a hall of 300 followers at
30 fps would need 190 MB/s for pictures that change little from one frame to the next. The weights,
the loss and every history entry still come on every frame; the heatmaps follow every 17th frame at
40×40 and every 7th at 24×24 on the default network (2 and 4 times a second at 30 fps), so a follower
frame is under 3 kB on average at any frame rate. The owner, and every frame sent while not playing,
carry heatmaps as before. We chose a lower rate over binary or delta-coded heatmaps because frames
stay JSON, the page's decoder stays as it is (a frame without `grids` keeps the last ones), and every
follower of a rate still shares one text; deflate would only halve them (4 kB at 40×40, measured).
"""
from __future__ import annotations

import time
from typing import Iterable, Iterator


FOLLOWER_GRID_BYTES = 1200  # heatmap bytes a follower frame carries on average while playing


class Pacer:
    def __init__(self):
        self._paces: dict[float, tuple[float, list[bytes]]] = {}  # rate → (next due, history missed)
        self._grid_credit: dict[int, int] = {}  # resolution → heatmap bytes followers may get now

    def follower_grids(self, grid_json: dict, playing: bool) -> dict:
        """The heatmaps this frame carries for followers: all of them when not playing, else those
        whose bytes the frames since the last ones have earned at `FOLLOWER_GRID_BYTES` a frame."""
        if not playing:
            self._grid_credit.clear()
            return grid_json
        out = {}
        for resolution, text in grid_json.items():
            credit = self._grid_credit.get(resolution, len(text))  # the first frame playing has them
            if credit >= len(text):
                out[resolution], credit = text, credit - len(text)
            self._grid_credit[resolution] = min(credit + FOLLOWER_GRID_BYTES, len(text))
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
