"""The one launcher of the real server for tests and benchmarks: a subprocess on a free loopback port
with its own database, ready once `/api/health` answers.

By default it runs `python -m app` from the repository; `command` and `cwd` start something else the
same way (the installed `backprop-playground` script from another directory, for the wheel test).
The server's output goes to a log file rather than a pipe, so a chatty server never blocks on a full
pipe; its tail is quoted when the server fails to start. Only the standard library, so the benchmarks
need nothing the test extra brings.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """`with ServerProcess(db) as server:` … `server.url`; or `.start()`, then `.stop()` or `.kill()`."""

    def __init__(self, db_path: str | os.PathLike, port: int | None = None, env: dict | None = None,
                 command: list[str] | None = None, cwd: str | os.PathLike | None = None,
                 args: list[str] = (), preexec_fn=None):
        self.db_path = str(db_path)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **(env or {})}
        self.command = [*(command or [sys.executable, "-m", "app"]),
                        "--port", str(self.port), "--db", self.db_path, *args]
        self.cwd = str(cwd or ROOT)
        self.preexec_fn = preexec_fn  # run in the child before the server starts (a lower rlimit, say)
        self.process: subprocess.Popen | None = None
        self._log = None

    def start(self, timeout: float = 30.0) -> "ServerProcess":
        self._log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL,
                                        stdout=self._log, stderr=subprocess.STDOUT, preexec_fn=self.preexec_fn)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with code {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/api/health", timeout=1) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the server did not answer {self.url}/api/health within {timeout} s:\n"
                           f"{self.output()}")

    def output(self, tail: int = 4000) -> str:
        """What the server printed so far (its last `tail` characters)."""
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-tail:]

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, only what was already committed survives."""
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, as Ctrl+C or a service manager would; SIGKILL if it has not exited in 10 s."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> "ServerProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def closed_by_server(sockets: list[socket.socket]) -> int:
    """How many of `sockets` (connected to the server) it has closed or reset, without waiting."""
    closed = 0
    for s in sockets:
        s.setblocking(False)
        try:
            closed += s.recv(4096) == b""
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    return closed
