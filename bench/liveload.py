"""Shared by the server benchmarks: the code before and after, the machine's load, and the live players.

`tree(ref)` lays a commit's files in a temporary folder (`git archive`), so one benchmark run can start
the server of the old code and of the new one, one after the other, and drive both with the same
client. `players` is the load generator of target 2: processes of their own, each playing a share of
the networks with one client a network (owner key, 24×24 heatmaps, 10 iterations a frame at 60 fps),
counting the frames that arrive in a fixed window. Each is a bare WebSocket client (bench/wsraw.py:
the `websockets` client costs the generator more CPU a frame than the server spends sending it, on
a machine whose cores the server shares with it) and reads each frame as a light client would: the
type, `playing` and `steps_per_frame` found by position, no JSON parsing, binary messages counted as
part of the frame they follow.
"""
from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
import os
import subprocess
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "7831d6a"  # main before issue 14's targets 2-4 (orjson, the frame work): the "before" code


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def tree(ref: str, into: Path) -> Path:
    """The files of commit `ref` in `into` (the server runs from there with this checkout's .venv:
    `python -m app` imports the app from its working directory before the editable install)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref], check=True,
                             capture_output=True).stdout
    into.mkdir(parents=True, exist_ok=True)
    import io
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _steps_of(text: bytes) -> int:
    at = text.find(b'"steps_per_frame":')
    return int(text[at + 18:text.index(b",", at)]) if at >= 0 else 0


async def _player(port: int, network: dict, grid: int, fps: int, steps: int, start_at: float,
                  seconds: float) -> tuple[int, int, int]:
    from bench import wsraw
    begin, end = start_at + 1.0, start_at + 1.0 + seconds  # the first second is warm-up
    counts = [0, 0, 0]  # frames, iterations, bytes

    def on_message(opcode: int, payload: bytes) -> None:
        now = time.monotonic()
        if not begin <= now < end:
            return
        if opcode == 2:
            counts[2] += len(payload)
        elif payload.startswith(b'{"type":"frame"') and b'"playing":true' in payload:
            counts[0] += 1
            counts[1] += _steps_of(payload)
            counts[2] += len(payload)

    ws = await wsraw.connect("127.0.0.1", port, f"/api/networks/{network['id']}/live", on_message)
    ws.send_text(json.dumps({"type": "auth", "key": network["key"]}))
    ws.send_text(json.dumps({"type": "subscribe", "grid_resolution": grid}))
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    ws.send_text(json.dumps({"type": "play", "steps_per_frame": steps, "fps": fps}))
    await asyncio.sleep(max(0.0, end - time.monotonic()))
    ws.send_text(json.dumps({"type": "pause"}))
    ws.close()
    return counts[0], counts[1], counts[2]


def _players_process(port, networks, grid, fps, steps, start_at, seconds, out) -> None:
    async def run():
        return await asyncio.gather(*(_player(port, n, grid, fps, steps, start_at, seconds) for n in networks),
                                    return_exceptions=True)
    out.put(asyncio.run(run()))


def players(url: str, port: int, server_pid: int, count: int, processes: int = 2, grid: int = 24, fps: int = 60,
            steps: int = 10, seconds: float = 4.0) -> dict:
    """`count` networks of the default shape, each played by its own client; frames/s over all of
    them, the iterations a frame really ran, bytes a frame and the server's CPU over the window."""
    import httpx
    with httpx.Client(base_url=url, timeout=30) as http:
        networks = [http.post("/api/networks", json={}).json() for _ in range(count)]
    start_at = time.monotonic() + 2.0 + count / 50
    out = mp.Queue()
    procs = [mp.Process(target=_players_process, args=(port, networks[i::processes], grid, fps, steps, start_at,
                                                       seconds, out)) for i in range(processes)]
    for p in procs:
        p.start()
    time.sleep(max(0.0, start_at + 1.0 - time.monotonic()))
    cpu0, t0, load0 = cpu_seconds(server_pid), time.monotonic(), os.getloadavg()[0]
    time.sleep(seconds)
    cpu = (cpu_seconds(server_pid) - cpu0) / (time.monotonic() - t0)
    results = []
    for _ in procs:
        results += out.get(timeout=60 + seconds)
    for p in procs:
        p.join(timeout=30)
    ok = [r for r in results if not isinstance(r, BaseException)]
    frames = sum(f for f, _, _ in ok)
    return {"networks": count, "failed": len(results) - len(ok), "fps": frames / seconds,
            "slowest": min((f / seconds for f, _, _ in ok), default=0.0),
            "iterations": sum(i for _, i, _ in ok) / max(1, frames), "bytes": sum(s for _, _, s in ok) / max(1, frames),
            "cpu": cpu, "cpu_ms_per_frame": 1000 * cpu * seconds / max(1, frames),
            "load": f"{load0:.1f}→{os.getloadavg()[0]:.1f}"}
