"""What the browser tests and their fixtures share: starting a real server, and a page wrapper that
collects console errors and talks to the API."""
from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

from tests.server_process import ROOT, ServerProcess, free_port

CHROMIUM = os.environ.get("BACKPROP_PLAYGROUND_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
VIEWPORT = {"width": 1280, "height": 720}


class Page:
    """A Playwright page plus what a test asserts on besides the DOM: console errors and the API."""

    def __init__(self, page, base_url: str, name: str):
        self.page = page
        self.base = base_url
        self.name = name
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, query: str = "") -> None:
        self.page.goto(f"{self.base}/{query}")
        self.wait_ready()

    def wait_ready(self) -> None:
        """The network is drawn and the live socket has delivered its first frame."""
        self.page.wait_for_selector("svg.network .node")
        self.page.wait_for_function("document.querySelector('#connection').dataset.state === 'open'")
        self.page.wait_for_function("Number(document.documentElement.dataset.drawn || 0) > 1")

    @property
    def network_id(self) -> str:
        return self.page.evaluate("new URLSearchParams(location.search).get('id')")

    def api(self, method: str, path: str, body: dict | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def server_state(self) -> dict:
        return self.api("GET", f"/api/networks/{self.network_id}")

    def screenshot(self, label: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{label}.png"
        self.page.screenshot(path=str(path), timeout=30_000)
        return path


def start_server(port: int, db: Path) -> ServerProcess:
    """The real server on `port` with database `db` (the shared launcher), once it answers /api/health."""
    return ServerProcess(db, port=port).start()


def stop_server(server: ServerProcess) -> None:
    server.stop()
