"""Two shards behind nginx (deploy/cluster.py): routing by the shard an id names, live followers through
the front, and a shard killed with kill -9: 503 for its networks, the other's keep serving, nothing lost."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
import json
import os
import shutil
import time

import httpx
import pytest
import websockets

from deploy.cluster import Cluster
from engine import ids
from tests.app.owners import OwnerHttp, owner_socket
from tests.server_process import free_port

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def nginx_installed():
    """Missing nginx fails rather than skips: a skip would hide that shards went untested."""
    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        pytest.fail("nginx is missing: install Debian's package (apt-get install nginx) or run .ci/run")
FOLLOWERS = 10


async def play_with_followers(cluster: Cluster, network_id: str, key: str) -> list[int]:
    """The owner plays through the front; every follower receives frames of the same run."""
    url = f"ws://127.0.0.1:{cluster.port}/api/networks/{network_id}/live"
    followers = [await websockets.connect(url) for _ in range(FOLLOWERS)]
    owner = await owner_socket(url, key)
    await owner.send(json.dumps({"type": "play", "steps_per_frame": 5, "fps": 20}))

    async def frames(ws) -> int:
        seen, deadline = 0, time.monotonic() + 30
        while seen < 5 and time.monotonic() < deadline:
            message = json.loads(await asyncio.wait_for(ws.recv(), 30))
            seen += message.get("type") == "frame" and bool(message.get("playing"))
        return seen
    try:
        return await asyncio.gather(*(frames(ws) for ws in followers))
    finally:
        await owner.send(json.dumps({"type": "pause"}))
        for ws in (owner, *followers):
            await ws.close()


def test_two_shards_behind_nginx(tmp_path):
    api = OwnerHttp(timeout=10)
    with Cluster(2, free_port(), db_dir=str(tmp_path), shard_ports=[free_port(), free_port()], log_dir=str(tmp_path)) as cluster:
        front = cluster.url
        owner_of = {}
        for _ in range(20):
            made = api.post(f"{front}/api/networks", json={"dataset": {"name": "xor"}, "layers": [2, 3, 1]})
            assert made.status_code == 201, made.text
            network_id = made.json()["id"]
            owner_of[network_id] = ids.shard_of("network", network_id)
            assert made.headers["x-shard"] == str(owner_of[network_id])
        assert sorted(set(owner_of.values())) == [0, 1], "creations spread over both shards"
        for network_id, shard in owner_of.items():  # served by its owner, and only its owner has it
            answer = httpx.get(f"{front}/api/networks/{network_id}")
            assert answer.status_code == 200 and answer.headers["x-shard"] == str(shard)
            assert httpx.get(f"{cluster.shard_url(1 - shard)}/api/networks/{network_id}").status_code == 404
        health = httpx.get(f"{front}/api/health")
        assert health.status_code == 200 and [s["status"] for s in health.json()["shards"]] == ["ok", "ok"]

        played = next(n for n, s in owner_of.items() if s == 1)
        with ThreadPoolExecutor(1) as pool:  # its own thread: a browser test's loop may run in this one
            got = pool.submit(asyncio.run, play_with_followers(cluster, played, api.keys[played])).result()
        assert got == [5] * FOLLOWERS
        made = [api.post(f"{front}/api/networks/{played}/fork", json={}) for _ in range(2)]
        forks = [answer.json() for answer in made]
        assert sorted(ids.shard_of("network", f["id"]) for f in forks) == [0, 1], "forks spread too"
        assert [a.headers["x-shard"] for a in made] == [str(ids.shard_of("network", f["id"])) for f in forks]
        for fork in forks:
            assert httpx.get(f"{front}/api/networks/{fork['id']}").json()["step"] == fork["step"] > 0
            assert api.post(f"{front}/api/networks/{fork['id']}/step", json={}).status_code == 200  # its key works
        code = api.post(f"{front}/api/networks/{played}/snapshots", json={}).json()["code"]
        assert httpx.get(f"{front}/s/{code.lower()}").headers["x-shard"] == "1"
        stepped = next(n for n, s in owner_of.items() if s == 1 and n != played)
        assert api.post(f"{front}/api/networks/{stepped}/step", json={"by": "epoch", "count": 3}).status_code == 200
        before = {n: httpx.get(f"{front}/api/networks/{n}").json() for n, s in owner_of.items() if s == 1}

        cluster.kill_shard(1)
        for network_id, shard in owner_of.items():
            started = time.monotonic()
            answer = httpx.get(f"{front}/api/networks/{network_id}")
            assert time.monotonic() - started < 5, "a dead shard is answered for, not waited on"
            if shard == 1:
                assert answer.status_code == 503 and "shard 1" in answer.json()["detail"]
                assert answer.headers["x-shard"] == "1"
            else:
                assert answer.status_code == 200 and answer.headers["x-shard"] == "0"
        assert httpx.get(f"{front}/api/snapshots/{code}").status_code == 503
        assert api.post(f"{front}/api/networks", json={}).status_code == 201  # creations go to the live shard
        down = httpx.get(f"{front}/api/health")
        assert down.status_code == 503 and [s["status"] for s in down.json()["shards"]] == ["ok", "down"]

        cluster.start_shard(1)
        after = {n: httpx.get(f"{front}/api/networks/{n}").json() for n in before}
        assert after == before and after[stepped]["epoch"] == 3
        assert httpx.get(f"{front}/api/snapshots/{code}").status_code == 200
        assert httpx.get(f"{front}/api/health").status_code == 200


def test_a_class_follows_its_teacher_into_lessons_on_its_own_shard(tmp_path):
    """Creations take turns over the shards, so a lesson started the plain way often lands on another
    shard than the class; started through the teacher's network (and a step's network made beside it)
    it lands on the class's shard every time, and the class moves every time."""
    api = OwnerHttp(timeout=10)
    with Cluster(2, free_port(), db_dir=str(tmp_path), shard_ports=[free_port(), free_port()], log_dir=str(tmp_path)) as cluster:
        front = cluster.url
        plain = [api.post(f"{front}/api/lessons/xor-hidden-layer/start", json={}) for _ in range(4)]
        assert all(a.status_code == 201 for a in plain)
        assert {ids.shard_of("network", a.json()["network"]["id"]) for a in plain} == {0, 1}, "as before: spread"
        teachers = {}
        for _ in range(10):  # a teacher on each shard
            teacher = api.post(f"{front}/api/networks", json={"layers": [2, 3, 1]}).json()["id"]
            teachers.setdefault(ids.shard_of("network", teacher), teacher)
        assert sorted(teachers) == [0, 1]
        for shard, teacher in teachers.items():
            code = api.post(f"{front}/api/networks/{teacher}/class", json={}).json()["code"]
            assert ids.shard_of("class", code) == shard
            current = teacher
            for turn in range(6):
                if turn % 2:  # a lesson step with a network of its own: made beside the current one
                    made = api.post(f"{front}/api/networks/{current}/beside", json={"layers": [2, 2, 1]})
                    new_id = made.json()["id"]
                else:
                    made = api.post(f"{front}/api/networks/{current}/lessons/xor-hidden-layer/start", json={})
                    new_id = made.json()["network"]["id"]
                assert made.status_code == 201 and made.headers["x-shard"] == str(shard), made.text
                assert ids.shard_of("network", new_id) == shard, f"turn {turn}: {new_id} is not on shard {shard}"
                moved = api.post(f"{front}/api/networks/{current}/class/move",
                                 json={"network_id": new_id, "key": api.keys[new_id]})
                assert moved.status_code == 200, f"turn {turn}: {moved.text}"
                assert moved.json()["code"] == code
                current = new_id
            assert httpx.get(f"{front}/api/classes/{code}").json()["network_id"] == current
