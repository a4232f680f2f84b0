"""Test clients that act as the owner of the networks they made, as the page does.

`OwnerClient` remembers the `key` of every network it creates, imports or forks, and sends it
(`Authorization: Bearer`) on later requests for that network; its sockets prove it with a first
`auth` message. The owner rules themselves are tested with `without_keys()` and `follower=True`.
"""
from __future__ import annotations

import json
import re
from collections import deque
from contextlib import contextmanager

import httpx
import websockets
from fastapi.testclient import TestClient

NETWORK_IN_PATH = re.compile(r"/api/networks/([^/?]+)")


def remember(keys: dict, body) -> None:
    """Keep the key of a network a 201 answer made (a network's state, or a lesson's start)."""
    if isinstance(body, dict) and "key" in body:
        made = body.get("network", body)
        if isinstance(made, dict) and "id" in made:
            keys[made["id"]] = body["key"]


def key_header(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


class OwnedSocket:
    """A live socket that authenticated first; messages that came before the `auth` answer are kept."""

    def __init__(self, session, key: str | None):
        self.session, self.key = session, key
        self.pending: deque = deque()
        self.role = "follower"

    def __enter__(self) -> "OwnedSocket":
        self.session.__enter__()
        if self.key:
            self.session.send_json({"type": "auth", "key": self.key})
            while True:
                message = self.session.receive_json()
                if message["type"] == "auth":
                    self.role = message["role"]
                    break
                self.pending.append(message)
        return self

    def __exit__(self, *exc):
        return self.session.__exit__(*exc)

    def receive_json(self, *args, **kwargs):
        return self.pending.popleft() if self.pending else self.session.receive_json(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.session, name)


class OwnerClient(TestClient):
    """`keys`: the keys a client of an earlier run kept (a restart does not lose ownership)."""

    def __init__(self, *args, keys: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys: dict[str, str] = {} if keys is None else keys
        self._send_keys = True

    @contextmanager
    def without_keys(self):
        """Requests inside act as a stranger who has only the ids."""
        self._send_keys, before = False, self._send_keys
        try:
            yield self
        finally:
            self._send_keys = before

    def key_for(self, url: str) -> str | None:
        match = NETWORK_IN_PATH.search(str(url))
        return self.keys.get(match.group(1)) if match else None

    def request(self, method, url, **kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        key = self.key_for(url) if self._send_keys else None
        if key and not any(h.lower() == "authorization" for h in headers):
            headers.update(key_header(key))
        response = super().request(method, url, headers=headers, **kwargs)
        if response.status_code == 201 and response.headers.get("content-type") == "application/json":
            body = response.json()
            remember(self.keys, body)
        return response

    def websocket_connect(self, url, *args, follower: bool = False, **kwargs):
        session = super().websocket_connect(url, *args, **kwargs)
        return OwnedSocket(session, None if follower or not self._send_keys else self.key_for(url))


class OwnerHttp(httpx.Client):
    """`OwnerClient`'s key memory for a real server over HTTP."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys: dict[str, str] = {}

    def request(self, method, url, **kwargs):
        headers = dict(kwargs.pop("headers", None) or {})
        match = NETWORK_IN_PATH.search(str(url))
        if match and match.group(1) in self.keys:
            headers.setdefault("Authorization", f"Bearer {self.keys[match.group(1)]}")
        response = super().request(method, url, headers=headers, **kwargs)
        if response.status_code == 201 and response.headers.get("content-type") == "application/json":
            body = response.json()
            remember(self.keys, body)
        return response


async def owner_socket(url: str, key: str):
    """A `websockets` connection that proved `key`; its first frame has been read."""
    ws = await websockets.connect(url)
    await ws.send(json.dumps({"type": "auth", "key": key}))
    while json.loads(await ws.recv())["type"] != "auth":
        pass
    return ws
