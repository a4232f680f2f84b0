"""Half-open connections from many addresses against the real server (issue 8.7 at full scale).

Opens `--count` connections (default 20,000) that send half a request line and never the rest, from
`--addresses` loopback addresses (127.0.2.x; on Linux all of 127/8 is this machine), spread over
`--clients` processes so no client runs out of descriptors itself. Meanwhile /api/health is asked
every 0.1 s on a new connection. Prints the server's file descriptor limit and connection cap, the
health latencies (idle, median and longest during the flood, failures), how many of the half-open
connections the server dropped, its open descriptors at the end, and the load average beside them.

`python bench/connections.py [--count N] [--addresses A] [--clients C]`
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.server_process import ServerProcess, closed_by_server  # noqa: E402


def flood(port: int, count: int, first: int, addresses: int, ready, finish, results) -> None:
    """Open `count` half-open connections (address numbers from `first`), wait for `finish`, then
    report how many the server closed meanwhile and how many could not be opened."""
    import resource
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    held, failed = [], 0
    for n in range(first, first + count):
        a = n % addresses
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10,
                                         source_address=(f"127.0.{2 + a // 250}.{2 + a % 250}", 0))
            s.sendall(b"GET /api/health HTTP/1.1\r\n")
            held.append(s)
        except OSError:
            failed += 1
    ready.set()
    finish.wait()
    closed = closed_by_server(held)
    for s in held:
        s.close()
    results.put((len(held), closed, failed))


def health(url: str) -> float | None:
    started = time.monotonic()
    try:
        ok = httpx.get(url + "/api/health", timeout=30).status_code == 200
    except httpx.HTTPError:
        ok = False
    return time.monotonic() - started if ok else None


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--addresses", type=int, default=500)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    load = lambda: " ".join(f"{x:.1f}" for x in os.getloadavg())  # noqa: E731
    env = {"BACKPROP_PLAYGROUND_HEADER_TIMEOUT": "600"}  # nothing is dropped for slowness meanwhile
    with tempfile.TemporaryDirectory() as tmp, ServerProcess(Path(tmp) / "c.sqlite3", env=env) as server:
        stated = [line.strip() for line in server.output().splitlines() if "file descriptor limit" in line]
        print(f"server: {stated[0] if stated else '?'}   load {load()}")
        idle = statistics.median(health(server.url) or 30 for _ in range(9))
        context = multiprocessing.get_context("spawn")
        finish, results = context.Event(), context.Queue()
        share = args.count // args.clients
        readies = [context.Event() for _ in range(args.clients)]
        clients = [context.Process(target=flood, args=(server.port, share, i * share, args.addresses,
                                                       readies[i], finish, results))
                   for i in range(args.clients)]
        latencies, failures, stop = [], 0, threading.Event()

        def ask():
            nonlocal failures
            while not stop.is_set():
                seconds = health(server.url)
                if seconds is None:
                    failures += 1
                else:
                    latencies.append(seconds)
                time.sleep(0.1)
        started = time.monotonic()
        asker = threading.Thread(target=ask)
        asker.start()
        for client in clients:
            client.start()
        for ready in readies:
            ready.wait()
        opened_in = time.monotonic() - started
        time.sleep(3)  # health beside the connections held
        server_fds, load_during = open_fds(server.process.pid), load()
        stop.set()
        asker.join()
        finish.set()
        held = closed = failed = 0
        for _ in clients:
            h, c, f = results.get()
            held, closed, failed = held + h, closed + c, failed + f
        for client in clients:
            client.join()
        print(f"{share * args.clients} half-open connections from {args.addresses} addresses in "
              f"{args.clients} processes: opened {held} in {opened_in:.1f} s ({failed} failed to open), "
              f"{closed} dropped by the server; server descriptors open at the end {server_fds}")
        print(f"/api/health: idle {idle * 1000:.0f} ms; during the flood {len(latencies)} answers, median "
              f"{statistics.median(latencies) * 1000 if latencies else float('nan'):.0f} ms, longest "
              f"{max(latencies, default=float('nan')) * 1000:.0f} ms, {failures} failed   "
              f"load {load_during} (1, 5, 15 min)")
        print(f"log: {server.output(10**6).count('max_connections')} lines name max_connections, "
              f"'Too many open files' {'appears' if 'Too many open files' in server.output(10**6) else 'never'}")


if __name__ == "__main__":
    main()
