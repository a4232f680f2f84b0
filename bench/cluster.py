"""Cluster benchmark: total live frames/s with 1 shard and with 2 shards behind nginx, same load.

Each round starts a cluster (deploy/cluster.py: nginx in front of N shards, temporary databases), then a
load generator in a process of its own creates NETWORKS networks through the front (so they spread over
the shards), plays every one as the page does (FPS frames a second, STEPS iterations a frame, heatmaps at
GRID²), and
counts the frames that arrive for SECONDS after a warm-up. The load asks for more frames than two shards
can make, so the total is what the shards can serve. Rounds alternate 1 and 2 shards and repeat; the
ratio is the median of the 2-shard totals over the median of the 1-shard totals, printed with the load
average before each round (the machine may be shared: run it when `uptime` is low).
Run: `.venv/bin/python bench/cluster.py [--rounds 3] [--seconds 6]` (about 15 s a round).
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NETWORKS = 60
FPS = 60           # what the page asks for while playing (static/js/actions.js)
STEPS = 10         # iterations a frame: the page's default speed
GRID = 24          # the page's heatmaps while playing
LAYERS = [2, 4, 2, 1]  # the default network
WARMUP = 2.0


async def play(front: str, network: dict, window: tuple[float, float], counts: list, sizes: list) -> None:
    import websockets
    url = front.replace("http://", "ws://") + f"/api/networks/{network['id']}/live"
    async with websockets.connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"type": "auth", "key": network["key"]}))
        while json.loads(await ws.recv())["type"] != "auth":
            pass
        await ws.send(json.dumps({"type": "subscribe", "grid_resolution": GRID}))
        await ws.send(json.dumps({"type": "play", "steps_per_frame": STEPS, "fps": FPS}))
        start, stop = window
        frames = size = 0
        while (now := time.monotonic()) < stop:
            try:
                message = await asyncio.wait_for(ws.recv(), stop - now)
            except asyncio.TimeoutError:
                break
            if now >= start and (isinstance(message, bytes) or '"frame"' in message[:40]):  # binary: frames only
                frames += 1
                size += len(message)
        await ws.send(json.dumps({"type": "pause"}))
        counts.append(frames)
        sizes.append(size)


async def generate(front: str, seconds: float) -> dict:
    """The load generator's work (its own process): returns frames/s in all and per shard."""
    import httpx
    async with httpx.AsyncClient(base_url=front, timeout=30) as http:
        made = []
        for _ in range(NETWORKS):
            answer = await http.post("/api/networks", json={"layers": LAYERS})
            answer.raise_for_status()
            made.append((answer.json(), answer.headers["x-shard"]))
    counts: list = []
    sizes: list = []
    window = (time.monotonic() + WARMUP, time.monotonic() + WARMUP + seconds)

    async def mark() -> None:  # tells the parent when counting starts and stops (it samples shard CPU)
        for edge, word in zip(window, ("counting", "counted")):
            await asyncio.sleep(max(0.0, edge - time.monotonic()))
            print(word, flush=True)
    await asyncio.gather(mark(), *(play(front, network, window, counts, sizes) for network, _ in made))
    shards = sorted({shard for _, shard in made})
    return {"frames_per_second": sum(counts) / seconds, "bytes_per_frame": sum(sizes) / max(sum(counts), 1),
            "generator_cpu": sum(os.times()[:2]),
            "networks_per_shard": {s: sum(1 for _, t in made if t == s) for s in shards}}


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def nginx_cpu(master: int) -> float:
    """nginx's master and workers together."""
    total = cpu_seconds(master)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                total += cpu_seconds(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return total


def load_average() -> float:
    return os.getloadavg()[0]


def round_of(shards: int, seconds: float) -> dict:
    from deploy.cluster import Cluster
    from tests.server_process import free_port
    with tempfile.TemporaryDirectory() as tmp:
        with Cluster(shards, free_port(), db_dir=tmp, shard_ports=[free_port() for _ in range(shards)]) as cluster:
            load = load_average()
            pids = [p.pid for p in cluster.shards]
            generator = subprocess.Popen([sys.executable, __file__, "--generate", cluster.url, "--seconds",
                                          str(seconds)], stdout=subprocess.PIPE, text=True)
            samples = {}
            for line in generator.stdout:  # "counting", "counted", then the result
                samples[line.strip()[:8]] = ([cpu_seconds(pid) for pid in pids], nginx_cpu(cluster.nginx.pid),
                                             load_average())
                result = line
            if generator.wait() != 0:
                raise RuntimeError("the load generator failed")
            (first, nginx_first, _), (last, nginx_last, load_after) = samples["counting"], samples["counted"]
            return {"shards": shards, "load": load, "load_after": load_after, "nginx_cpu": nginx_last - nginx_first,
                    "shard_cpu": [b - a for a, b in zip(first, last)], **json.loads(result)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--generate", metavar="FRONT", help=argparse.SUPPRESS)  # the load generator's process
    args = parser.parse_args()
    if args.generate:
        print(json.dumps(asyncio.run(generate(args.generate, args.seconds))))
        return
    print(f"{NETWORKS} networks {LAYERS}, each played at {FPS} fps, {STEPS} iterations a frame, {GRID}² heatmaps "
          f"(the page's defaults while playing), {args.seconds:.0f} s "
          f"counted after {WARMUP:.0f} s; {os.cpu_count()} cores")
    totals: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(args.rounds):
        for shards in (1, 2):
            r = round_of(shards, args.seconds)
            totals[shards].append(r["frames_per_second"])
            print(f"  {shards} shard{'s' * (shards > 1)}: {r['frames_per_second']:7.1f} frames/s "
                  f"({r['bytes_per_frame'] / 1024:.1f} kB/frame, networks per shard {r['networks_per_shard']}); "
                  f"CPU seconds while counting: shards {'+'.join(f'{c:.1f}' for c in r['shard_cpu'])}, "
                  f"nginx {r['nginx_cpu']:.1f}; load generator {r['generator_cpu']:.1f} in all; "
                  f"{r['frames_per_second'] * args.seconds / sum(r['shard_cpu']):.0f} frames per shard CPU "
                  f"second; load average {r['load']:.2f} → {r['load_after']:.2f}", flush=True)
    one, two = statistics.median(totals[1]), statistics.median(totals[2])
    print(f"median: 1 shard {one:.1f} frames/s, 2 shards {two:.1f} frames/s, ratio {two / one:.2f} "
          f"({'ok' if two / one >= 1.6 else 'MISS'}: target ≥ 1.6); load average now {load_average():.2f}")


if __name__ == "__main__":
    main()
