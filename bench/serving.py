"""Start the real server as a subprocess on a free loopback port, for the benchmarks."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str) -> tuple[subprocess.Popen, str, int]:
    """(process, base URL, port) once `/api/health` answers; exits if it never does."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "app", "--port", str(port), "--db", db], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/api/health", timeout=1)
            return process, url, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the server did not start")
