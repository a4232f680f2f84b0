"""The real server in a subprocess: it survives `kill -9`, and health answers while a network trains."""
from __future__ import annotations

import asyncio
import json
import os
import threading
import time

import httpx
import pytest
import websockets

from tests.app.owners import OwnerHttp, owner_socket
from tests.app.timing import blocked_bound, idle_latency
from tests.server_process import ServerProcess

pytestmark = pytest.mark.slow
api = OwnerHttp(timeout=5)  # sends the key of every network these tests make


def test_weights_survive_kill_9(tmp_path):
    db = str(tmp_path / "kill.sqlite3")
    server = ServerProcess(db).start()
    try:
        network = api.post(f"{server.url}/api/networks", json={"dataset": {"name": "spiral"}, "seed": 5}).json()
        url = f"{server.url}/api/networks/{network['id']}"
        api.post(f"{url}/step", json={"by": "epoch", "count": 3})
        api.patch(f"{url}", json={"learning_rate": 0.1})
        api.post(f"{url}/step", json={"by": "phase", "count": 5})  # stop mid-iteration
        before = httpx.get(url).json()
    finally:
        server.kill()
    assert server.process.returncode == -9

    with ServerProcess(db, port=server.port) as restarted:
        after = httpx.get(f"{restarted.url}/api/networks/{network['id']}").json()
        assert after == before
        # and it continues exactly like a network that never stopped
        twin = api.post(f"{restarted.url}/api/networks", json={"dataset": {"name": "spiral"}, "seed": 5}).json()
        twin_url = f"{restarted.url}/api/networks/{twin['id']}"
        api.post(f"{twin_url}/step", json={"by": "epoch", "count": 3})
        api.patch(twin_url, json={"learning_rate": 0.1})
        api.post(f"{twin_url}/step", json={"by": "phase", "count": 5})
        a = api.post(f"{restarted.url}/api/networks/{network['id']}/step", json={"count": 30}).json()["state"]
        b = api.post(f"{twin_url}/step", json={"count": 30}).json()["state"]
        assert a["weights"] == b["weights"]


def test_playing_network_is_checkpointed_before_kill_9(tmp_path):
    db = str(tmp_path / "play.sqlite3")
    server = ServerProcess(db).start()
    try:
        network_id = api.post(f"{server.url}/api/networks", json={}).json()["id"]

        async def play() -> int:
            async with await owner_socket(f"ws://127.0.0.1:{server.port}/api/networks/{network_id}/live",
                                          api.keys[network_id]) as ws:
                await ws.send(json.dumps({"type": "play", "steps_per_frame": 10, "fps": 30}))
                started, step = time.monotonic(), 0
                while time.monotonic() - started < 2.5:
                    step = json.loads(await ws.recv())["step"]
                return step

        last_seen = asyncio.run(play())
    finally:
        server.kill()
    with ServerProcess(db, port=server.port) as restarted:
        saved = httpx.get(f"{restarted.url}/api/networks/{network_id}").json()
    # saved at least once a second while playing (and again when the socket closed)
    assert saved["step"] >= 200 and saved["step"] <= last_seen + 10 * 30


def test_health_answers_promptly_during_a_long_step(tmp_path):
    with ServerProcess(str(tmp_path / "busy.sqlite3")) as server:
        network_id = api.post(f"{server.url}/api/networks", json={
            "layers": [2, 64, 64, 64, 1], "batch_size": 1, "dataset": {"samples": 2000}}).json()["id"]
        result = {}

        def long_step():
            started = time.monotonic()
            result["response"] = api.post(f"{server.url}/api/networks/{network_id}/step",
                                            json={"by": "epoch", "count": 20}, timeout=30)
            result["seconds"] = time.monotonic() - started

        with httpx.Client(base_url=server.url) as http:
            idle = idle_latency(lambda: http.get("/api/health"))
            worker = threading.Thread(target=long_step)
            worker.start()
            time.sleep(0.3)
            latencies = []
            while worker.is_alive() and len(latencies) < 50:
                started = time.monotonic()
                assert http.get("/api/health").status_code == 200
                latencies.append(time.monotonic() - started)
                time.sleep(0.02)
        worker.join()
    assert result["response"].status_code == 200
    assert len(latencies) >= 5
    assert max(latencies) < blocked_bound(idle, result["seconds"]) < result["seconds"], \
        f"slowest /api/health took {max(latencies) * 1000:.0f} ms (idle {idle * 1000:.0f} ms)"


def test_reconnecting_during_the_old_sockets_close_shares_one_loop(tmp_path):
    """A plays at 2 fps and closes; B connects while A's leave still waits for the loop; then C.
    B plays: B and C see the same frames (no orphaned channel)."""
    with ServerProcess(str(tmp_path / "reconnect.sqlite3")) as server:
        network_id = api.post(f"{server.url}/api/networks", json={}).json()["id"]
        url = f"ws://127.0.0.1:{server.port}/api/networks/{network_id}/live"

        async def frames_until(ws, seconds: float) -> list[dict]:
            frames, deadline = [], time.monotonic() + seconds
            while (left := deadline - time.monotonic()) > 0:
                try:
                    message = json.loads(await asyncio.wait_for(ws.recv(), left))
                except asyncio.TimeoutError:
                    break
                if message["type"] == "frame" and message["playing"]:
                    frames.append(message)
            return frames

        async def scenario():
            a = await owner_socket(url, api.keys[network_id])
            await a.send(json.dumps({"type": "play", "steps_per_frame": 1, "fps": 2}))
            await asyncio.sleep(0.3)
            await a.close()
            await asyncio.sleep(0.02)
            async with await owner_socket(url, api.keys[network_id]) as b:
                await asyncio.sleep(0.6)  # A's leave has finished by now
                async with websockets.connect(url) as c:
                    await c.recv()
                    await b.send(json.dumps({"type": "play", "steps_per_frame": 1, "fps": 20}))
                    b_frames, c_frames = await asyncio.gather(frames_until(b, 0.8), frames_until(c, 0.8))
                    await b.send(json.dumps({"type": "pause"}))
            return b_frames, c_frames

        b_frames, c_frames = asyncio.run(scenario())
    assert len(b_frames) >= 5 and len(c_frames) >= 5
    assert {f["step"] for f in c_frames} & {f["step"] for f in b_frames}


def _children(pid: int) -> set[int]:
    """Processes whose parent is `pid` (from /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.add(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads processes from /proc")
def test_a_killed_server_takes_its_body_checking_worker_with_it(tmp_path):
    server = ServerProcess(str(tmp_path / "worker.sqlite3")).start()
    try:
        large = {"data": {"x_train": [["a", "b"]] * 8000, "y_train": [0, 1] * 4000}}  # past LARGE: the worker checks it
        assert api.post(f"{server.url}/api/networks", json=large).status_code == 422
        workers = _children(server.process.pid)
        assert workers, "the large body was checked in a worker process"
    finally:
        server.kill()
    for _ in range(300):  # the worker looks once a second; a loaded machine gets thirty
        alive = {pid for pid in workers if os.path.exists(f"/proc/{pid}") and
                 open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"}
        if not alive:
            break
        time.sleep(0.1)
    assert not alive, f"worker processes {sorted(alive)} outlived the killed server"
