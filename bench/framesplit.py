"""In-process cost of one live frame of target 2, split: training, heatmaps, encoding (prints JSON).

Run with the working directory at the code to measure (`bench/server.py` runs it for the code before
and after): the default network, 10 iterations, every neuron over a 24×24 grid, one client. Training
is `advance` of 10 iterations; heatmaps the engine's grid of every neuron; encoding the rest of the
frame (quantising the heatmaps, the JSON of the frame, the client's text). Sending is what the
server's CPU per frame in the live run leaves over (`bench/server.py`).
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())

from app.hub import Channel  # noqa: E402
from app.liveclient import Client  # noqa: E402
from app.sessions import Session  # noqa: E402
from engine.experiment import Experiment  # noqa: E402

FRAMES = 400


class Quiet:
    async def send_text(self, text):
        pass

    async def send_bytes(self, data):
        pass


class Hub:
    class settings:
        frame_time_budget = 0.25
        save_interval = 1.0


def main() -> None:
    exp = Experiment.create({})
    channel = Channel(hub=Hub, session=Session("bench", exp))
    client = Client(Quiet())
    client.grid_resolution = 24
    channel.clients.add(client)
    channel.playing = True
    rows = []
    for i in range(FRAMES):
        t0 = time.perf_counter()
        exp.advance(by="iteration", count=10)
        t1 = time.perf_counter()
        exp.grid(24)
        t2 = time.perf_counter()
        channel.publish(channel.render())
        client._frame_text()
        t3 = time.perf_counter()
        if i >= FRAMES // 4:
            rows.append((t1 - t0, t2 - t1, t3 - t2))
    train, grid, rest = (statistics.median(r[k] for r in rows) * 1000 for k in range(3))
    # render() computes the grid again itself: what it spends beyond that is encoding
    print(json.dumps({"training": train, "heatmaps": grid, "encoding": max(0.0, rest - grid)}))


if __name__ == "__main__":
    asyncio.run(asyncio.sleep(0))
    main()
