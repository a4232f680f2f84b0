"""Issue 8.7 on the real server: requests sent too slowly are dropped, one address cannot hold every
connection, and health stays answerable meanwhile (app.connections)."""
from __future__ import annotations

import json
import re
import socket
import threading
import time

import httpx
import pytest

from tests.app.timing import blocked_bound, idle_latency
from tests.server_process import ServerProcess, closed_by_server

LIMITS = {"BACKPROP_PLAYGROUND_HEADER_TIMEOUT": "1", "BACKPROP_PLAYGROUND_BODY_TIMEOUT": "1",
          "BACKPROP_PLAYGROUND_MAX_CONNECTIONS_PER_CLIENT": "20"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with ServerProcess(tmp_path_factory.mktemp("connections") / "c.sqlite3", env=LIMITS) as running:
        yield running


def trickle(port: int, first: bytes, then: bytes, source: str = "127.0.0.1") -> tuple[float, bytes]:
    """Send `first`, then `then` a byte every 0.5 s until the server closes; (seconds, its answer)."""
    with socket.create_connection(("127.0.0.1", port), source_address=(source, 0)) as s:
        s.settimeout(0.5)
        started, answer = time.monotonic(), b""
        s.sendall(first)
        for byte in then:
            try:
                s.sendall(bytes([byte]))
                chunk = s.recv(4096)
                answer += chunk
                if not chunk:
                    break
            except socket.timeout:
                continue
            except OSError:  # reset once closed
                break
        return time.monotonic() - started, answer


def test_a_body_sent_a_byte_at_a_time_is_dropped(server):
    head = (f"POST /api/networks HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\ncontent-type: application/json\r\n"
            f"content-length: 100\r\n\r\n").encode()
    seconds, answer = trickle(server.port, head, b" " * 99)  # all of it: 50 s
    assert answer.startswith(b"HTTP/1.1 408 ") and b"body_timeout" in answer
    assert seconds < 1 + 10, f"dropped after {seconds:.1f} s for a 1 s body_timeout"


def test_headers_sent_a_byte_at_a_time_are_dropped(server):
    seconds, answer = trickle(server.port, b"GET /api/health HTTP/1.1\r\n", b"X-Slow: " + b"a" * 100)
    assert answer.startswith(b"HTTP/1.1 408 ") and b"header_timeout" in answer
    assert seconds < 1 + 10, f"dropped after {seconds:.1f} s for a 1 s header_timeout"


def test_one_address_cannot_hold_every_connection(server):
    """Many half-open connections from one address: past the cap each is answered 429 and closed;
    another address's health check answers as promptly as before."""
    with httpx.Client(base_url=server.url) as http:
        idle = idle_latency(lambda: http.get("/api/health"))
        held, refused = [], 0
        try:
            for _ in range(200):
                s = socket.create_connection(("127.0.0.1", server.port), source_address=("127.0.0.2", 0))
                s.sendall(b"GET /api/health HTTP/1.1\r\n")  # and never the rest
                held.append(s)
            started = time.monotonic()
            health = http.get("/api/health")
            seconds = time.monotonic() - started
            for s in held:
                s.settimeout(5)
                try:
                    answer = s.recv(4096)
                except OSError:
                    continue
                refused += answer.startswith(b"HTTP/1.1 429 ") and b"max_connections_per_client" in answer
        finally:
            for s in held:
                s.close()
    assert health.status_code == 200 and seconds < blocked_bound(idle)
    assert refused >= 180 - 1, f"{refused} of the 180 connections past the cap of 20 were refused"


def health_beside(server, body: bytes) -> tuple[httpx.Response, list[float], float]:
    """POST `body` to a new network's predict; (its answer, /api/health's latencies meanwhile, the
    bound they must keep: several times health's idle latency, see tests/app/timing.py)."""
    with httpx.Client(base_url=server.url, timeout=120) as http:
        network_id = http.post("/api/networks", json={}).json()["id"]
        idle = idle_latency(lambda: http.get("/api/health"))
        done: dict = {}

        def send():
            started = time.monotonic()
            done["answer"] = httpx.post(f"{server.url}/api/networks/{network_id}/predict", content=body,
                                        headers={"content-type": "application/json"}, timeout=120)
            done["seconds"] = time.monotonic() - started
        worker = threading.Thread(target=send)
        worker.start()
        latencies = []
        while worker.is_alive():
            started = time.monotonic()
            assert http.get("/api/health").status_code == 200
            latencies.append(time.monotonic() - started)
            time.sleep(0.01)
    assert latencies
    return done["answer"], latencies, blocked_bound(idle, done["seconds"])


def test_health_answers_while_a_large_invalid_body_is_refused(server):
    """Issue 8.5: a 2 MB body whose every element is invalid is checked off the event loop."""
    answer, latencies, bound = health_beside(server, json.dumps({"x": [["a", "b"]] * ((2 * 1024 * 1024 - 100) // 12)}).encode())
    assert answer.status_code == 422 and len(answer.json()["errors"]) == 20
    assert answer.json()["detail"].startswith("x[0][0]: Input should be a valid number")
    assert "more errors (only the first 20 are listed)" in answer.json()["detail"]
    assert max(latencies) < bound, f"slowest /api/health took {max(latencies) * 1000:.0f} ms"


VALID = "[0.5, 1.5], " * 256  # the first 256 items a crafted body shows


@pytest.mark.parametrize("rest, detail", [
    ('["a", "b"], ' * 150_000, "300000 values are invalid, none of them among the first 256"),
    ('["a", "b"], ' * 140_000 + "[" * 600 + "]" * 600 + ", ", "280001 values are invalid"),  # too deep to cut
    (f"[{'9' * 4299}, 1], " * 440, "x[256][0]: Input should be a valid number"),
], ids=["invalid past 256", "nested too deep to cut", "numbers of 4299 digits"])
def test_a_body_valid_in_its_first_items_is_checked_whole_elsewhere(server, rest, detail):
    """A body whose first 256 items of every list are valid: the rest, invalid, nested deep or of
    numbers that parse in quadratic time, was parsed and validated whole in the server process
    (seconds holding the interpreter's lock); the worker process does it now, and health answers."""
    answer, latencies, bound = health_beside(server, ('{"x": [' + VALID + rest + "[1, 2]]}").encode())
    assert answer.status_code == 422 and detail in answer.json()["detail"], answer.text[:300]
    assert max(latencies) < bound, f"slowest /api/health took {max(latencies) * 1000:.0f} ms"


FD_LIMIT = 1024  # the server's descriptors in the test below


def lower_fd_limit() -> None:
    import resource
    resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))


def test_half_open_connections_from_many_addresses_cannot_use_up_the_descriptors(tmp_path):
    """Issue 8.7 at scale: more half-open connections than the server has file descriptors, from 60
    addresses (each under its own cap): the ones that waited longest are dropped for the new, and
    health answers about as promptly as before. Without the cap in all, accept() fails with EMFILE
    and health waits until the header timeout (60 s here)."""
    env = {"BACKPROP_PLAYGROUND_HEADER_TIMEOUT": "60"}
    with ServerProcess(tmp_path / "fd.sqlite3", env=env, preexec_fn=lower_fd_limit) as server, \
            httpx.Client(base_url=server.url, timeout=30) as http:
        stated = re.search(r"at most (\d+) open at once \(file descriptor limit (\d+)\)", server.output())
        assert stated and int(stated[2]) == FD_LIMIT and int(stated[1]) < FD_LIMIT - 128, server.output()
        idle = idle_latency(lambda: http.get("/api/health"))
        held = []
        try:
            for n in range(FD_LIMIT + 300):
                s = socket.create_connection(("127.0.0.1", server.port), timeout=30,
                                             source_address=(f"127.0.1.{2 + n % 60}", 0))
                s.sendall(b"GET /api/health HTTP/1.1\r\n")  # and never the rest
                held.append(s)
            started = time.monotonic()
            health = httpx.get(f"{server.url}/api/health", timeout=30)  # a new connection
            seconds = time.monotonic() - started
            dropped = closed_by_server(held)
        finally:
            for s in held:
                s.close()
        assert health.status_code == 200 and seconds < blocked_bound(idle), \
            f"health took {seconds:.2f} s beside {len(held)} half-open connections (idle {idle * 1000:.0f} ms)"
        assert dropped >= len(held) - int(stated[1]), f"only {dropped} of {len(held)} were dropped"
        assert "max_connections" in server.output(60_000) and "Too many open files" not in server.output(60_000)


def test_past_max_connections_with_every_one_busy_a_new_one_is_refused(tmp_path):
    """When every connection the cap allows is busy (WebSockets here), none can be dropped for a new
    one: it is answered 503 with Retry-After and closed, and served again once one closes."""
    import asyncio

    import websockets

    with ServerProcess(tmp_path / "busy.sqlite3", env={"BACKPROP_PLAYGROUND_MAX_CONNECTIONS": "3"}) as server:
        network_id = httpx.post(f"{server.url}/api/networks", json={}).json()["id"]

        async def fill() -> bytes:
            url = f"ws://127.0.0.1:{server.port}/api/networks/{network_id}/live"
            sockets = [await websockets.connect(url) for _ in range(3)]
            for ws in sockets:
                await ws.recv()
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            answer = await asyncio.wait_for(reader.read(), 30)  # answered at once, before any request
            writer.close()
            for ws in sockets:
                await ws.close()
            return answer
        answer = asyncio.run(fill())
        assert answer.startswith(b"HTTP/1.1 503 ") and b"retry-after: 5" in answer and b"max_connections" in answer
        assert httpx.get(f"{server.url}/api/health").status_code == 200
