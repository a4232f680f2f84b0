"""Abuse figures (issue 8) against their budgets, on the real server, in one run.

Prints: the largest network's (`BIG`) step and live-frame wall times against `step_time_budget` and
`frame_time_budget` (on the real server: the longest gap between frames, the longest GET of the
playing network and the pause's answer; in this process, as the page plays it with 24×24 heatmaps:
the longest time a frame held the network's lock, the costliest phase and the pause's answer); the
longest `/api/health` answer while the worst bodies (2 MB of invalid numbers, or valid in their
first 256 points only, and 2 MB of valid points the route refuses past `max_points`)
and the worst WebSocket message (max_body_bytes of them) are handled; the server's RSS after filling
memory with `BIG` networks and their 200×200 grids, against the memory budget; and the play lost at
`kill -9` during the heaviest allowed play (target ≤ 1 s). The load average is printed beside the
figures: other work on the machine slows everything here.

Also: the longest `/api/health` answer while one address holds `--half-open` connections that never
finish their request (past `max_connections_per_client` they are refused at once).

`python bench/abuse.py [--networks N] [--half-open C]`: N networks are filled (default 28, past what `memory_budget`
keeps in memory; filling all 256 of `max_networks_in_memory` would take many minutes and the budget
keeps fewer anyway).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import app.cli  # noqa: E402, F401 - BLAS threads as the server has them (one), before NumPy loads
from app.settings import Settings  # noqa: E402
from tests.server_process import ServerProcess  # noqa: E402

BIG = {"layers": [2, 64, 64, 64, 64, 64, 64, 64, 64, 1],
       "dataset": {"name": "spiral", "samples": 5000, "noise": 10}, "batch_size": 5000}


def rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def create(api: httpx.Client) -> tuple[str, dict]:
    made = api.post("/api/networks", json=BIG).json()
    return made["id"], {"Authorization": f"Bearer {made['key']}"}


def health_during(api: httpx.Client, work, path: str = "/api/health") -> tuple[float, float]:
    """(seconds `work` took, longest answer to GET `path` meanwhile)."""
    done, longest = threading.Event(), 0.0
    started = time.monotonic()

    def run():
        work()
        done.set()
    threading.Thread(target=run).start()
    while not done.is_set():
        t = time.monotonic()
        api.get(path)
        longest = max(longest, time.monotonic() - t)
        time.sleep(0.02)
    return time.monotonic() - started, longest


async def live_frames(port: int, network_id: str, key: str, seconds: float, kill=None) -> list[tuple[float, dict]]:
    """Play BIG at the largest steps_per_frame; (time, frame) pairs; `kill()` at the end if given."""
    frames = []
    async with websockets.connect(f"ws://127.0.0.1:{port}/api/networks/{network_id}/live", max_size=None) as ws:
        await ws.send(json.dumps({"type": "auth", "key": key}))
        await ws.send(json.dumps({"type": "play", "steps_per_frame": 10000, "fps": 60}))
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            message = json.loads(await asyncio.wait_for(ws.recv(), 30))
            if message.get("type") == "frame":
                frames.append((time.monotonic(), message))
        if kill is not None:
            kill()
            return frames
        t = time.monotonic()
        await ws.send(json.dumps({"type": "pause"}))
        while True:
            message = json.loads(await ws.recv())
            if message.get("type") == "frame" and not message["playing"]:
                break
        frames.append((time.monotonic() - t, {"pause": True}))
    return frames


def locked_frames(seconds: float) -> tuple[list[float], float, dict, int]:
    """BIG played in this process for `seconds`: (seconds each frame held the network's lock, the
    pause's answer, {phase index: its cost} as the play loop measured them, phases an iteration)."""
    import pytest

    from app.main import create_app
    from tests.app.conftest import TestClient
    from tests.app.test_live import pause, receive
    from tests.app.test_live_phases import timed

    patch = pytest.MonkeyPatch()
    holds = timed(patch)
    try:
        with tempfile.TemporaryDirectory() as tmp, \
                TestClient(create_app(Settings(db_path=os.path.join(tmp, "frames.sqlite3")))) as client:
            network_id = client.post("/api/networks", json=BIG).json()["id"]
            with client.websocket_connect(f"/api/networks/{network_id}/live") as ws:
                ws.receive_json()
                ws.send_json({"type": "subscribe", "grid_resolution": 24})  # as the page does at play
                ws.send_json({"type": "play", "steps_per_frame": 10000, "fps": 60})
                started = time.monotonic()
                while time.monotonic() - started < seconds:
                    receive(ws, "frame")
                paused = pause(ws)[1]
                channel = client.app.state.hub.channels[network_id]
                costs, count = dict(channel.pace.phase_cost), len(channel.session.exp.trainer.phases)
    finally:
        patch.undo()
    return holds, paused, costs, count


def half_open(port: int, count: int, api: httpx.Client) -> tuple[float, int]:
    """Open `count` connections from 127.0.0.2 that send half a request line and never the rest;
    (longest /api/health answer from 127.0.0.1 meanwhile, how many the server refused at once)."""
    held, longest, refused = [], 0.0, 0
    try:
        for i in range(count):
            try:
                conn = socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.2", 0), timeout=5)
                conn.sendall(b"GET /api/health HTTP/1.1\r\n")
                held.append(conn)
            except OSError:
                refused += 1
            if i % 500 == 0:
                t = time.monotonic()
                api.get("/api/health")
                longest = max(longest, time.monotonic() - t)
        for conn in held:
            conn.settimeout(0.01)
            try:
                refused += conn.recv(64).startswith(b"HTTP/1.1 429")
            except OSError:
                pass
    finally:
        for conn in held:
            conn.close()
    return longest, refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=28)
    parser.add_argument("--half-open", type=int, default=5000, help="half-open connections (default 5000)")
    args = parser.parse_args()
    s = Settings()
    rows = [("load average (1, 5, 15 min)", " ".join(f"{x:.1f}" for x in os.getloadavg()), "")]
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "abuse.sqlite3")
        server = ServerProcess(db, args=["--no-access-log"]).start()
        try:
            api = httpx.Client(base_url=server.url, timeout=120)
            network_id, owner = create(api)
            key = owner["Authorization"].split()[1]
            t = time.monotonic()
            out = api.post(f"/api/networks/{network_id}/step", json={"count": 100000}, headers=owner,
                           params={"history": 0}).json()
            rows.append(("BIG step count=100000", f"{time.monotonic() - t:.2f} s ({out['done']} done)",
                         f"budget {s.step_time_budget:g} s"))

            frames = []
            _, longest_get = health_during(api, lambda: frames.extend(asyncio.run(
                live_frames(server.port, network_id, key, 6))), f"/api/networks/{network_id}?history=0")
            pause = frames.pop()[0]
            gaps = [b[0] - a[0] for a, b in zip(frames, frames[1:])]
            spf = [f["steps_per_frame"] for _, f in frames]
            ppf = sorted(f["phases_per_frame"] or 0 for _, f in frames)
            budget = f"frame_time_budget {s.frame_time_budget:g} s"
            rows.append(("BIG live frames (longest gap; median steps, phases a frame; rate)",
                         (f"{max(gaps):.2f} s; {sorted(spf)[len(spf) // 2]} steps, {ppf[len(ppf) // 2]} phases; "
                          f"{frames[-1][1]['steps_per_second']} steps/s"), budget))
            rows.append(("BIG live: longest GET of the playing network", f"{longest_get:.2f} s", budget))
            rows.append(("BIG live pause answered after", f"{pause:.2f} s", "target ≤ 1 s"))
            holds, paused, costs, count = locked_frames(6)
            slowest = max(costs, key=costs.get) if costs else None
            rows.append(("BIG live frame, in process (longest locked, median)",
                         f"{max(holds):.2f} s, {sorted(holds)[len(holds) // 2]:.2f} s ({len(holds)} frames)", budget))
            rows.append(("BIG one phase, in process (longest: index; all)",
                         f"{costs.get(slowest, 0):.3f} s: {slowest} of {count}; {sum(costs.values()):.2f} s",
                         budget))
            rows.append(("BIG live pause, in process", f"{paused:.2f} s", "target ≤ 1 s"))

            fill = (s.max_body_bytes - 4000) // 12
            for name, bad in [("worst body (2 MB of invalid numbers)", '["a", "b"], ' * fill),
                              ("2 MB valid in its first 256 points, invalid after", "[0.5, 1.5], " * 256
                               + '["a", "b"], ' * (fill - 256)),
                              ("2 MB of valid points (past max_points)", "[0.5, 1.5], " * fill)]:
                body = ('{"x": [' + bad + "[1, 2]]}").encode()
                took, longest = health_during(api, lambda: httpx.post(
                    f"{server.url}/api/networks/{network_id}/predict", content=body, timeout=120,
                    headers={"content-type": "application/json"}))
                rows.append((name, f"{took:.2f} s; longest health {longest:.2f} s", "health target < 0.5 s"))

            async def worst_message():
                async with websockets.connect(f"ws://127.0.0.1:{server.port}/api/networks/{network_id}/live",
                                              max_size=None) as ws:
                    await ws.recv()
                    text = json.dumps({"type": "set", "learning_rate": ["a"] * ((s.max_body_bytes - 100) // 5)})
                    await ws.send(text[:s.max_body_bytes])
                    try:
                        while json.loads(await asyncio.wait_for(ws.recv(), 60))["type"] != "error":
                            pass
                    except websockets.ConnectionClosed:
                        pass
            took, longest = health_during(api, lambda: asyncio.run(worst_message()))
            rows.append(("worst WebSocket message (max_body_bytes)", f"{took:.2f} s; longest health {longest:.2f} s",
                         "health target < 0.5 s"))

            longest, refused = half_open(server.port, args.half_open, api)
            rows.append((f"{args.half_open} half-open connections from one address",
                         f"{refused} refused; longest health {longest:.2f} s",
                         f"max_connections_per_client {s.max_connections_per_client}"))

            before = rss(server.process.pid)
            for _ in range(args.networks):
                other, _ = create(api)
                api.get(f"/api/networks/{other}/grid", params={"resolution": 200})
                api.post(f"/api/networks/{other}/step", json={"count": 1},
                         headers={"Authorization": f"Bearer {_['Authorization'].split()[1]}"})
            after = rss(server.process.pid)
            kept = httpx.get(f"{server.url}/api/health").json().get("networks_in_memory")
            rows.append((f"RSS after {args.networks} BIG networks + 200×200 grids",
                         f"{after / 2**20:.0f} MB (from {before / 2**20:.0f} MB; {kept} kept in memory)",
                         f"memory_budget {s.memory_budget / 2**20:.0f} MB"))

            store_step = {}

            def kill():
                server.kill()
                store_step["at"] = time.monotonic()
            frames = asyncio.run(live_frames(server.port, network_id, key, 5, kill))
        finally:
            server.stop()
        with ServerProcess(db, port=server.port, args=["--no-access-log"]) as again:
            state = httpx.get(f"{again.url}/api/networks/{network_id}").json()
        def at(f: dict) -> tuple[int, int]:  # frames and checkpoints can stop mid-iteration
            return f["step"], f["phase"]["index"]
        saved, last = at(state), at(frames[-1][1])
        kept = [t for t, f in frames if at(f) <= saved]
        lost = store_step["at"] - (kept[-1] if kept else frames[0][0])
        rows.append(("play lost at kill -9 (BIG, steps_per_frame 10000)",
                     f"{lost:.2f} s (saved step.phase {saved[0]}.{saved[1]}, last frame {last[0]}.{last[1]})",
                     "target ≤ 1 s"))
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:<48} {target}")


if __name__ == "__main__":
    main()
