"""Server benchmark: issue 14's targets 2-4, the code before and after, plus latency and live figures.

Starts the real server (`python -m app`) on 127.0.0.1 with a temporary database, drives it with
bounded traffic (every phase has a fixed duration or count) from load generators in processes of
their own, and prints the machine's load average beside every figure. Targets 2 and 4 are measured
for the code of `--before` (default: main before the frame work, laid out with `git archive`) and the
code of this checkout, one after the other with the same client:
  - target 2: N networks of the default shape in one process, each played by one client at 60 fps,
    10 iterations a frame, 24×24 heatmaps: frames/s over all (≥ 900), with the cost of a frame split
    into training, heatmaps, encoding (bench/framesplit.py, in-process) and sending (the server's CPU
    per frame in the live run, less the other three)
  - target 4: requests/s of step vs /api/health with 50 concurrent keep-alive clients (step ≥ 0.5×
    health), driven by bare HTTP/1.1 generators (bench/httpraw.py) in processes of their own
Then, for the new code only:
  - step latency p50/p99 (count 1, with and without trace) for the default net
  - live frames/s: one client playing the 6×8 net at 60 fps with grids (target ≥ 58), and 20 clients
    each playing the default net at 30 fps (target: every client ≥ 27), with bytes per frame
  - /api/health latency while the largest allowed float grid (2-64×8-1 net, ~2 M numbers) is served
Target 3 (one teacher, 300 followers) is bench/classroom.py's.
Before and after take turns (`--rounds`, 2 by default), so a machine whose load drifts weighs on both.
Run: `.venv/bin/python bench/server.py [--before REF] [--networks 24] [--rounds 2]` (about five minutes).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import httpraw, liveload  # noqa: E402
from tests.server_process import ServerProcess  # noqa: E402

DEEP = [2, 8, 8, 8, 8, 8, 8, 1]    # the "6×8" net
GRID_RESOLUTION = 32               # what the page subscribes to
LATENCY_REQUESTS = 300
THROUGHPUT_SECONDS = 3.0
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


def throughput(url: str, port: int, server_pid: int, clients: int, endpoint: str,
               processes: int = 2) -> tuple[float, float]:
    """(requests per second, the server's CPU ms a request) with `clients` concurrent keep-alive
    connections split over `processes`
    bare HTTP generators (bench/httpraw.py: httpx costs a generator more CPU a request than the
    server spends answering /api/health, so the ratio measured the generators). Step: each
    connection steps a network of its own, `{"count": 1}` with its owner key."""
    if endpoint == "step":
        with httpx.Client(base_url=url) as http:
            made = [http.post("/api/networks", json={}).json() for _ in range(clients)]
        requests = [httpraw.request_bytes(port, "POST", f"/api/networks/{n['id']}/step",
                                          {"Authorization": f"Bearer {n['key']}"}, b'{"count":1}') for n in made]
    else:
        requests = [httpraw.request_bytes(port, "GET", "/api/health")] * clients
    rate, failed, cpu_ms = httpraw.rate(port, requests, THROUGHPUT_SECONDS, processes, server_pid)
    assert failed == 0, f"{failed} {endpoint} requests failed"
    return rate, cpu_ms


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


def frame_split(cwd: Path) -> dict:
    """bench/framesplit.py run on the code in `cwd` (ms of training, heatmaps and encoding a frame)."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "framesplit.py")], cwd=cwd, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def targets(cwd: Path, networks: int) -> dict:
    """Targets 2 and 4 on the server of the code in `cwd`."""
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(os.path.join(tmp, "bench.sqlite3"), cwd=cwd, args=["--no-access-log"]).start()
        try:
            out = {"play": liveload.players(server.url, server.port, server.process.pid, networks)}
            for endpoint in ("step", "health"):
                out[endpoint] = (*throughput(server.url, server.port, server.process.pid, 50, endpoint),
                                 liveload.load())
        finally:
            server.stop()
    out["split"] = frame_split(cwd)
    out["split_load"] = liveload.load()
    return out


def others() -> list:
    """The figures measured for the new code only, as table rows."""
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(os.path.join(tmp, "bench.sqlite3"), args=["--no-access-log"]).start()
        url, port = server.url, server.port
        try:
            latency, lat_load = step_latency(url), liveload.load()
            deep, deep_load = asyncio.run(live(url, port, DEEP, 1, 60, True)), liveload.load()
            crowd, crowd_load = asyncio.run(live(url, port, [2, 4, 2, 1], 20, 30, True)), liveload.load()
            (health_max, health_median, big_seconds), big_load = health_during_big_answer(url), liveload.load()
        finally:
            server.stop()
    rows = [("step latency, count 1, no trace", f"p50 {latency[False][0]:.2f} ms, p99 {latency[False][1]:.2f} ms",
             "", lat_load),
            ("step latency, count 1, trace", f"p50 {latency[True][0]:.2f} ms, p99 {latency[True][1]:.2f} ms", "",
             lat_load)]
    fps, size = deep[0]
    rows.append((f"live 6×8 net, 1 client, 60 fps, grids {GRID_RESOLUTION}²",
                 f"{fps:.1f} frames/s, {size / 1024:.1f} kB/frame", "ok" if fps >= 58 else "MISS (≥ 58)", deep_load))
    slowest = min(f for f, _ in crowd)
    rows.append((f"live default net, 20 clients, 30 fps, grids {GRID_RESOLUTION}²",
                 f"slowest {slowest:.1f}, mean {statistics.mean(f for f, _ in crowd):.1f} frames/s, "
                 f"{statistics.mean(s for _, s in crowd) / 1024:.1f} kB/frame",
                 "ok" if slowest >= 27 else "MISS (≥ 27 each)", crowd_load))
    rows.append(("health while a 2 M-number float grid is served",
                 f"max {health_max:.0f} ms, median {health_median:.1f} ms (grid took {big_seconds:.1f} s)",
                 "ok" if health_max <= 200 else "MISS (≤ 200 ms)", big_load))
    return rows


def table(rows: list, header: tuple) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(f"{str(v):<{w}}" for v, w in zip(r, widths)).rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=liveload.BEFORE, help="commit of the code before (or 'none')")
    parser.add_argument("--networks", type=int, default=24, help="networks playing at once (target 2)")
    parser.add_argument("--rounds", type=int, default=2, help="turns of before then after (targets 2 and 4)")
    parser.add_argument("--targets-only", action="store_true", help="skip the figures of the new code only")
    args = parser.parse_args()
    results = []  # (code, round, figures): before and after take turns, so a load that drifts hits both
    with tempfile.TemporaryDirectory() as tmp:
        before = liveload.tree(args.before, Path(tmp) / "before") if args.before != "none" else None
        for turn in range(1, args.rounds + 1):
            if before is not None:
                results.append(("before", turn, targets(before, args.networks)))
            results.append(("after", turn, targets(ROOT, args.networks)))
    rows = []
    for code, turn, r in results:
        name = f"{code} {turn}"
        play, split = r["play"], r["split"]
        sending = max(0.0, play["cpu_ms_per_frame"] - split["training"] - split["heatmaps"] - split["encoding"])
        rows.append((name, "2: frames/s, all networks",
                     f"{play['fps']:.0f} ({args.networks} nets, slowest {play['slowest']:.1f}, "
                     f"{play['iterations']:.1f} it/frame, {play['bytes'] / 1024:.1f} kB, server CPU {play['cpu']:.0%}; "
                     f"per core {1000 / max(play['cpu_ms_per_frame'], 1e-9):.0f})",
                     "ok" if play["fps"] >= 900 else "MISS (≥ 900)", play["load"]))
        rows.append((name, "2: frame cost, ms",
                     f"train {split['training']:.3f} + heatmaps {split['heatmaps']:.3f} + encoding "
                     f"{split['encoding']:.3f} + sending {sending:.3f} = {play['cpu_ms_per_frame']:.3f}", "",
                     f"{r['split_load']} / {play['load']}"))
        (step, step_cpu, step_load), (health, health_cpu, health_load) = r["step"], r["health"]
        rows.append((name, "4: requests/s, 50 clients", f"step {step:.0f}, health {health:.0f}, ratio "
                     f"{step / health:.2f} (server CPU a request: step {step_cpu:.2f} ms, health {health_cpu:.2f} ms)",
                     "ok" if step / health >= 0.5 else "MISS (≥ 0.5)", f"{step_load} / {health_load}"))
    print(f"before = {args.before}, after = this checkout; load average 1/5/15 min (1-min at start→end of a live run); "
          "'per core': frames per second of the server's CPU time, what one free core would play")
    table(rows, ("code", "target", "result", "verdict", "load"))
    if not args.targets_only:
        print()
        table(others(), ("measure (new code)", "result", "target", "load"))


if __name__ == "__main__":
    main()
