"""Server benchmark: latency, throughput, live frame rates and the cost of one frame.

Starts the real server (`python -m app`) on 127.0.0.1 with a temporary database, drives it with
bounded traffic (every phase has a fixed duration or count), prints one table and the targets:
  - step latency p50/p99 (count 1, with and without trace) for the default net
  - requests/s of step vs /api/health with 1, 10 and 50 concurrent clients (target: step ≥ 0.5× health)
  - live frames/s: one client playing the 6×8 net at 60 fps with grids (target ≥ 58), and 20 clients
    each playing the default net at 30 fps (target: every client ≥ 27), with bytes per frame
  - server-side cost of one frame for the 6×8 net: one epoch + every neuron's heatmap (target ≤ 5 ms)
  - /api/health latency while the largest allowed float grid (2-64×8-1 net, ~2 M numbers) is served
Run: `.venv/bin/python bench/server.py` (about a minute).
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.server_process import ServerProcess  # noqa: E402

DEEP = [2, 8, 8, 8, 8, 8, 8, 1]    # the "6×8" net
GRID_RESOLUTION = 32               # what the page subscribes to
LATENCY_REQUESTS = 300
THROUGHPUT_SECONDS = 2.0
LIVE_SECONDS = 3.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def step_latency(url: str) -> dict:
    out = {}
    with httpx.Client(base_url=url) as http:
        for trace in (False, True):
            created = http.post("/api/networks", json={}).json()
            network_id, owner = created["id"], {"Authorization": f"Bearer {created['key']}"}
            times = []
            for _ in range(LATENCY_REQUESTS):
                started = time.perf_counter()
                response = http.post(f"/api/networks/{network_id}/step", json={"count": 1, "trace": trace},
                                     headers=owner)
                times.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
            out[trace] = (statistics.median(times), percentile(times, 99))
    return out


async def throughput(url: str, clients: int, endpoint: str) -> float:
    """Requests per second with `clients` concurrent clients, each looping on its own network."""
    async with httpx.AsyncClient(base_url=url, limits=httpx.Limits(max_connections=clients + 5)) as http:
        made = [(await http.post("/api/networks", json={})).json() for _ in range(clients)]
        ids, owners = [m["id"] for m in made], [{"Authorization": f"Bearer {m['key']}"} for m in made]
        deadline = time.perf_counter() + THROUGHPUT_SECONDS
        counts = [0] * clients

        async def worker(i: int) -> None:
            while time.perf_counter() < deadline:
                if endpoint == "step":
                    r = await http.post(f"/api/networks/{ids[i]}/step", json={"count": 1}, headers=owners[i])
                else:
                    r = await http.get("/api/health")
                r.raise_for_status()
                counts[i] += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        return sum(counts) / (time.perf_counter() - started)


async def live_client(port: int, network: dict, fps: int, grids: bool, stats: list) -> None:
    async with websockets.connect(f"ws://127.0.0.1:{port}/api/networks/{network['id']}/live", max_size=None) as ws:
        await ws.send(json.dumps({"type": "auth", "key": network["key"]}))  # the owner may play
        while json.loads(await ws.recv())["type"] != "auth":
            pass
        if grids:
            await ws.send(json.dumps({"type": "subscribe", "grid_resolution": GRID_RESOLUTION}))
            await ws.recv()
        await ws.send(json.dumps({"type": "play", "steps_per_frame": 1, "fps": fps}))
        frames, total_bytes = 0, 0
        started = None
        while True:
            message = await ws.recv()
            frame = json.loads(message)
            if frame.get("type") != "frame" or not frame["playing"]:
                continue
            if started is None:  # measure from the first playing frame
                started = time.perf_counter()
                continue
            frames += 1
            total_bytes += len(message)
            if time.perf_counter() - started >= LIVE_SECONDS:
                break
        elapsed = time.perf_counter() - started
        await ws.send(json.dumps({"type": "pause"}))
        stats.append((frames / elapsed, total_bytes / max(frames, 1)))


async def live(url: str, port: int, layers: list[int], clients: int, fps: int, grids: bool) -> list:
    async with httpx.AsyncClient(base_url=url) as http:
        made = [(await http.post("/api/networks", json={"layers": layers})).json() for _ in range(clients)]
    stats: list = []
    await asyncio.gather(*(live_client(port, network, fps, grids, stats) for network in made))
    return stats


def health_during_big_answer(url: str) -> tuple[float, float, float]:
    """(slowest and median /api/health in ms, seconds of the big answer) while a float grid of
    62×62 for every one of 515 neurons (1,979,660 numbers, ~40 MB of JSON) is computed and encoded."""
    import threading
    network_id = httpx.post(f"{url}/api/networks", json={"layers": [2] + [64] * 8 + [1]}).json()["id"]
    done: dict = {}

    def big() -> None:
        started = time.perf_counter()
        response = httpx.get(f"{url}/api/networks/{network_id}/grid",
                             params={"resolution": 62, "encoding": "float"}, timeout=60)
        done["seconds"], done["status"] = time.perf_counter() - started, response.status_code

    worker = threading.Thread(target=big)
    worker.start()
    latencies = []
    with httpx.Client(base_url=url) as http:
        while worker.is_alive():
            started = time.perf_counter()
            http.get("/api/health")
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.01)
    worker.join()
    assert done["status"] == 200
    return max(latencies), statistics.median(latencies), done["seconds"]


def frame_cost() -> tuple[float, float, float]:
    """In-process: one epoch of the 6×8 net + every neuron's heatmap, rendered as a frame (ms)."""
    from app.hub import Channel
    from app.liveclient import Client
    from app.sessions import Session
    from engine.experiment import Experiment

    exp = Experiment.create({"layers": DEEP})
    per_epoch = -(-len(exp.dataset.x_train) // exp.hyper.batch_size)

    class Quiet:
        async def send_text(self, text):
            pass

    channel = Channel(hub=None, session=Session("bench", exp))
    client = Client(Quiet())
    client.grid_resolution = GRID_RESOLUTION
    channel.clients.add(client)
    train, render = [], []
    for _ in range(200):
        t0 = time.perf_counter()
        exp.advance(by="iteration", count=per_epoch)
        t1 = time.perf_counter()
        channel.render()
        t2 = time.perf_counter()
        train.append((t1 - t0) * 1000)
        render.append((t2 - t1) * 1000)
    return statistics.median(train), statistics.median(render), statistics.median(
        [a + b for a, b in zip(train, render)])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(os.path.join(tmp, "bench.sqlite3"), args=["--no-access-log"]).start()
        url, port = server.url, server.port
        try:
            latency = step_latency(url)
            rates = {n: (asyncio.run(throughput(url, n, "step")), asyncio.run(throughput(url, n, "health")))
                     for n in (1, 10, 50)}
            deep = asyncio.run(live(url, port, DEEP, 1, 60, True))
            crowd = asyncio.run(live(url, port, [2, 4, 2, 1], 20, 30, True))
            health_max, health_median, big_seconds = health_during_big_answer(url)
        finally:
            server.stop()
    train, render, total = frame_cost()

    rows = [("step latency, count 1, no trace", f"p50 {latency[False][0]:.2f} ms, p99 {latency[False][1]:.2f} ms", ""),
            ("step latency, count 1, trace", f"p50 {latency[True][0]:.2f} ms, p99 {latency[True][1]:.2f} ms", "")]
    for n, (step, health) in rates.items():
        ratio = step / health
        rows.append((f"requests/s with {n} client{'s' * (n > 1)}", f"step {step:.0f}, health {health:.0f}, "
                     f"ratio {ratio:.2f}", "ok" if ratio >= 0.5 else "MISS (target ≥ 0.5)"))
    fps, size = deep[0]
    rows.append((f"live 6×8 net, 1 client, 60 fps, grids {GRID_RESOLUTION}²", f"{fps:.1f} frames/s, {size / 1024:.1f} kB/frame",
                 "ok" if fps >= 58 else "MISS (target ≥ 58)"))
    slowest = min(f for f, _ in crowd)
    rows.append((f"live default net, 20 clients, 30 fps, grids {GRID_RESOLUTION}²",
                 f"slowest {slowest:.1f}, mean {statistics.mean(f for f, _ in crowd):.1f} frames/s, "
                 f"{statistics.mean(s for _, s in crowd) / 1024:.1f} kB/frame",
                 "ok" if slowest >= 27 else "MISS (target ≥ 27 each)"))
    rows.append(("frame cost, 6×8 net (1 epoch + heatmaps)",
                 f"{total:.2f} ms (train {train:.2f} + render {render:.2f})", "ok" if total <= 5 else "MISS (target ≤ 5 ms)"))
    rows.append(("health while a 2 M-number float grid is served",
                 f"max {health_max:.0f} ms, median {health_median:.1f} ms (grid took {big_seconds:.1f} s)",
                 "ok" if health_max <= 200 else "MISS (target ≤ 200 ms)"))
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    print(f"{'measure':<{width}}  {'result':<{value_width}}  target")
    for name, value, verdict in rows:
        print(f"{name:<{width}}  {value:<{value_width}}  {verdict}")


if __name__ == "__main__":
    main()
