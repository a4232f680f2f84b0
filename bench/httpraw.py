"""A bare HTTP/1.1 keep-alive load generator: many connections, one request at a time on each.

httpx spends more CPU on a request than the server's `/api/health` does to answer it, so 50 httpx
clients measure the generator, not the server. Here each connection writes a request prepared once
as bytes and reads the answer's headers only as far as Content-Length (the server always sends it);
several generator processes share the connections. Enough for benchmarks, not a general client.

    rate(port, [request_bytes(...), ...], seconds, processes, server_pid) → answers/s, failures, CPU ms
One request per connection: connection i sends requests[i] over and over, from a start time all
processes share, and counts the 2xx answers received within the window.
"""
from __future__ import annotations

import asyncio
import multiprocessing as mp
import time


def request_bytes(port: int, method: str, path: str, headers: dict | None = None, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    if body or method in ("POST", "PUT", "PATCH"):
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Connection(asyncio.Protocol):
    """Sends `request` again as soon as the answer to the previous one has arrived, until `end`."""

    def __init__(self, request: bytes, begin: float, end: float):
        self.request, self.begin, self.end = request, begin, end
        self.buffer = bytearray()
        self.answered = self.failed = 0
        self.done = asyncio.get_running_loop().create_future()
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def start(self) -> None:
        self.transport.write(self.request)

    def data_received(self, data):
        buf = self.buffer
        buf += data
        while True:
            head_end = buf.find(b"\r\n\r\n")
            if head_end < 0:
                return
            at = buf.find(b"\r\ncontent-length:", 0, head_end)
            if at < 0:
                at = buf.find(b"\r\nContent-Length:", 0, head_end)
            length = int(buf[at + 17:buf.index(b"\r\n", at + 2)]) if at >= 0 else 0
            if len(buf) < head_end + 4 + length:
                return
            status = buf[9:12]
            del buf[:head_end + 4 + length]
            now = time.monotonic()
            if self.begin <= now:
                if status[:1] == b"2":
                    self.answered += 1
                else:
                    self.failed += 1
            if now >= self.end:
                self.transport.close()
                return
            self.transport.write(self.request)

    def connection_lost(self, exc):
        if not self.done.done():
            self.done.set_result(None)


async def _drive(port: int, requests: list[bytes], start_at: float, seconds: float) -> tuple[int, int]:
    loop = asyncio.get_running_loop()
    begin, end = start_at + 1.0, start_at + 1.0 + seconds  # the first second warms up
    conns = []
    for request in requests:
        _, conn = await loop.create_connection(lambda r=request: Connection(r, begin, end), "127.0.0.1", port)
        conns.append(conn)
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    for conn in conns:
        conn.start()
    await asyncio.wait([c.done for c in conns], timeout=seconds + 30)
    return sum(c.answered for c in conns), sum(c.failed for c in conns)


def _process(port, requests, start_at, seconds, out) -> None:
    out.put(asyncio.run(_drive(port, requests, start_at, seconds)))


def rate(port: int, requests: list[bytes], seconds: float = 3.0, processes: int = 2,
         server_pid: int | None = None) -> tuple[float, int, float]:
    """(2xx answers a second over all connections, answers that were not 2xx, the server's CPU
    milliseconds an answer over the same window: 0 without `server_pid`)."""
    from bench.liveload import cpu_seconds
    start_at, out = time.monotonic() + 1.0, mp.Queue()
    procs = [mp.Process(target=_process, args=(port, requests[i::processes], start_at, seconds, out))
             for i in range(processes)]
    for p in procs:
        p.start()
    cpu = 0.0
    if server_pid is not None:
        time.sleep(max(0.0, start_at + 1.0 - time.monotonic()))
        cpu0 = cpu_seconds(server_pid)
        time.sleep(seconds)
        cpu = cpu_seconds(server_pid) - cpu0
    results = [out.get(timeout=seconds + 60) for _ in procs]
    for p in procs:
        p.join(timeout=10)
    answered = sum(a for a, _ in results)
    return answered / seconds, sum(f for _, f in results), 1000 * cpu / max(answered, 1)
