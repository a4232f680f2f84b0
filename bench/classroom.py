"""A class on loopback: one teacher plays at 30 frames/s, 100 and 300 students follow (issue 14, target 3).

The teacher (owner key) plays one network at 30 fps, subscribed to heatmaps as a playing page is
(24×24); the followers connect to the same network subscribed as a following page is (40×40, it
does not play itself). The load generator runs in processes of its own (the followers split over
several, each a bare client from bench/wsraw.py), so the server's event loop is measured, not the
generator's. Printed per class size, for the code of `--before` (default: main before issue 14's
frame work) and of this checkout, with the same client: frames/s of the slowest follower, p95 and max
lag from the teacher receiving a frame to each follower receiving the same frame (CLOCK_MONOTONIC is
shared by all processes), bytes per follower frame (mean and largest), the server's CPU (% of one
core) and the load average. Target at 300 followers: ≥ 27 frames/s each, p95 lag ≤ 100 ms, ≤ 3 kB.

    .venv/bin/python bench/classroom.py [--followers 100 300] [--seconds 8] [--generators 3] [--before REF]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import liveload, wsraw  # noqa: E402
from tests.server_process import ServerProcess  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

FPS = 30
TEACHER_GRID = 24     # the page's heatmaps while it plays (static/js/actions.js GRID_PLAYING)
FOLLOWER_GRID = 40    # a following page's heatmaps (GRID_STILL: it does not play itself)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] if ordered else float("nan")


async def _teacher(url: str, key: str, start_at: float, seconds: float, out) -> None:
    import websockets
    async with websockets.connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"type": "auth", "key": key}))
        await ws.send(json.dumps({"type": "subscribe", "grid_resolution": TEACHER_GRID}))
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        await ws.send(json.dumps({"type": "play", "steps_per_frame": 1, "fps": FPS}))
        seen: dict[int, float] = {}
        end = start_at + seconds + 1.0
        while time.monotonic() < end:
            try:
                message = json.loads(await asyncio.wait_for(ws.recv(), end - time.monotonic()))
            except asyncio.TimeoutError:
                break
            if message["type"] == "frame" and message["playing"]:
                seen.setdefault(message["step"], time.monotonic())
        await ws.send(json.dumps({"type": "pause"}))
        out.put(("teacher", seen))


def teacher(url: str, key: str, start_at: float, seconds: float, out) -> None:
    asyncio.run(_teacher(url, key, start_at, seconds, out))


async def _follower(port: int, path: str, grid: int, ready, start_at: float, seconds: float) -> tuple:
    """Read every message as a light client would (bench/wsraw.py): no JSON parsing, the step found
    by position; (frames, bytes, largest frame, {step: arrival})."""
    frames, size, largest, arrived = 0, 0, 0, {}

    def on_message(opcode: int, data: bytes) -> None:
        nonlocal frames, size, largest
        now = time.monotonic()
        if now < start_at + 1.0 or not data.startswith(b'{"type":"frame"'):
            return  # the first second is warm-up
        frames += 1
        size += len(data)
        largest = max(largest, len(data))
        at = data.index(b'"step":') + 7
        arrived[int(data[at:data.index(b",", at)])] = now

    sock = await wsraw.connect("127.0.0.1", port, path, on_message)
    sock.send_text(json.dumps({"type": "subscribe", "grid_resolution": grid}))
    ready()
    await asyncio.sleep(max(0.0, start_at + seconds - time.monotonic()))
    sock.close()
    return frames, size, largest, arrived


def followers(port: int, path: str, grid: int, count: int, start_at: float, seconds: float, out, connected) -> None:
    async def run():
        tasks = []
        for _ in range(count):
            tasks.append(asyncio.create_task(_follower(port, path, grid, lambda: connected.put(1), start_at, seconds)))
            await asyncio.sleep(0.002)
        out.put(("followers", await asyncio.gather(*tasks, return_exceptions=True)))
    asyncio.run(run())


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_class(base: str, port: int, n: int, seconds: float, generators: int, server_pid: int, grid: int) -> dict:
    import httpx
    network = httpx.post(f"{base}/api/networks", json={}).json()
    path = f"/api/networks/{network['id']}/live"
    live = f"ws://127.0.0.1:{port}{path}"
    out, connected = mp.Queue(), mp.Queue()
    start_at = time.monotonic() + 5.0 + n / 60  # everyone connected before the teacher plays
    procs = [mp.Process(target=followers, args=(port, path, grid, n // generators + (i < n % generators), start_at,
                                                seconds + 1.0, out, connected)) for i in range(generators)]
    procs.append(mp.Process(target=teacher, args=(live, network["key"], start_at, seconds + 1.0, out)))
    for p in procs:
        p.start()
    for _ in range(n):
        connected.get(timeout=120)
    time.sleep(max(0.0, start_at + 1.0 - time.monotonic()))
    cpu0, t0, load0 = cpu_seconds(server_pid), time.monotonic(), os.getloadavg()[0]
    time.sleep(seconds)
    cpu = (cpu_seconds(server_pid) - cpu0) / (time.monotonic() - t0)
    seen, results = {}, []
    for _ in procs:
        kind, value = out.get(timeout=120)
        if kind == "teacher":
            seen = value
        else:
            results += value
    for p in procs:
        p.join(timeout=30)
    failed = [r for r in results if isinstance(r, BaseException)]
    ok = [r for r in results if not isinstance(r, BaseException)]
    lags = [(t - seen[step]) * 1000 for *_, arrived in ok for step, t in arrived.items() if step in seen]
    rates = [frames / seconds for frames, *_ in ok]
    return {"followers": n, "failed": len(failed), "slowest_fps": min(rates) if rates else 0.0,
            "median_fps": percentile(rates, 50), "p95_lag": percentile(lags, 95), "max_lag": max(lags, default=0),
            "bytes": sum(s for _, s, *_ in ok) / max(1, sum(f for f, *_ in ok)), "cpu": cpu * 100,
            "largest": max((m for _, _, m, _ in ok), default=0), "load": f"{load0:.1f}→{os.getloadavg()[0]:.1f}",
            "teacher_fps": len([s for s, t in seen.items() if start_at + 1 <= t <= start_at + 1 + seconds]) / seconds}


def classes(cwd: Path, args) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(Path(tmp) / "classroom.sqlite3", cwd=cwd, args=["--no-access-log"]).start()
        try:
            return [one_class(server.url, server.port, n, args.seconds, args.generators, server.process.pid,
                              args.follower_grid) for n in args.followers]
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, nargs="+", default=[100, 300])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--generators", type=int, default=3, help="follower processes")
    parser.add_argument("--follower-grid", type=int, default=FOLLOWER_GRID, help="the followers' grid_resolution")
    parser.add_argument("--before", default=liveload.BEFORE, help="commit of the code before (or 'none')")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.before != "none":
            rows += [("before", r) for r in classes(liveload.tree(args.before, Path(tmp) / "before"), args)]
        rows += [("after", r) for r in classes(ROOT, args)]
    print(f"teacher playing at {FPS} fps (heatmaps {TEACHER_GRID}×{TEACHER_GRID}), followers subscribed to "
          f"{args.follower_grid}×{args.follower_grid} heatmaps as the page is, {args.seconds:g} s measured, "
          f"{args.generators} follower processes + 1 teacher process; before = {args.before}, after = this checkout")
    print(f"{'code':<6} {'followers':>9} {'slowest fps':>12} {'median fps':>11} {'p95 lag ms':>11} {'max lag ms':>11} "
          f"{'bytes/frame':>12} {'largest':>8} {'server CPU':>11} {'teacher fps':>12} {'failed':>7}  load (1 min)")
    for code, r in rows:
        print(f"{code:<6} {r['followers']:>9} {r['slowest_fps']:>12.1f} {r['median_fps']:>11.1f} {r['p95_lag']:>11.1f} "
              f"{r['max_lag']:>11.1f} {r['bytes']:>12.0f} {r['largest']:>8} {r['cpu']:>10.0f}% {r['teacher_fps']:>12.1f} "
              f"{r['failed']:>7}  {r['load']}")
    print("target at 300 followers: slowest ≥ 27 frames/s, p95 lag ≤ 100 ms, ≤ 3 kB a follower frame (on average)")


if __name__ == "__main__":
    main()
