"""This server as one shard of several behind a proxy (docs/scaling.md, deploy/).

Every response names the shard that made it (`X-Shard: <number>`), so whoever sits in front (nginx,
a test, an operator with curl) can see which process answered. Which shard owns an id is
`engine.ids`; which process runs which shard is the proxy's configuration (`deploy/cluster.py`).
`/api/cluster/health` asks every shard's `/api/health` (the `peers` setting lists them) and is what the
front answers `/api/health` with, so one request shows which shards are up. Forks spread like
creations (`place_elsewhere`): the owning shard hands the copy's document to the next peer's import, so a
class forking the teacher's network does not pile onto the teacher's shard.

Left out: routing (nginx does it from the ids), moving a network to another shard, and any state shared
between shards (each asks the others over HTTP, and only for health and forks).
"""
from __future__ import annotations

import asyncio
import itertools
import json
import urllib.error
import urllib.request
from typing import Optional

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from app.clients import is_local
from app.jsonify import dumps

HEADER = b"x-shard"
MADE_ON = "made_on_shard"  # request state: the shard that made the answer, when not this one


class ShardHeader:
    """Pure ASGI (no buffering): adds the header to every HTTP answer and WebSocket handshake."""

    def __init__(self, app, shard: int):
        self.app, self.value = app, str(shard).encode()

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)

        async def tagged(message):
            if message["type"] in ("http.response.start", "websocket.accept"):
                made_on = scope.get("state", {}).get(MADE_ON)  # a fork another shard made names that shard
                value = self.value if made_on is None else str(made_on).encode()
                message = {**message, "headers": [*message.get("headers", ()), (HEADER, value)]}
            await send(message)
        await self.app(scope, receive, tagged)


router = APIRouter(tags=["catalog"])  # beside /api/health
PEER_TIMEOUT = 2.0
FORK_TIMEOUT = 15.0
_turns = itertools.count(1)


def peers_of(settings) -> list[str]:
    """Every shard's base URL in shard order (the `peers` setting); empty for a single server."""
    return [p.strip().rstrip("/") for p in settings.peers.split(",") if p.strip()]


def place_elsewhere(request: Request, doc: dict) -> bytes | None:
    """A new network from `doc` made on the next shard in turn (this one's turn too: None), answered as
    that shard's import answers (state and key), with X-Shard naming that shard. None also when that
    shard cannot take it (down, full, too big a document): the caller makes it here, as a single
    server would. Call in a worker thread."""
    settings = request.app.state.settings
    peers = peers_of(settings)
    target = (settings.shard + next(_turns)) % len(peers) if len(peers) > 1 else settings.shard
    body = dumps(doc)
    if target == settings.shard or target >= len(peers) or len(body) > settings.max_body_bytes:
        return None
    client = (request.client and request.client.host) or ""
    ask = urllib.request.Request(peers[target] + "/api/networks/import", data=body, method="POST",
                                 headers={"Content-Type": "application/json", "X-Forwarded-For": client})
    try:
        with urllib.request.urlopen(ask, timeout=FORK_TIMEOUT) as answer:
            if answer.status != 201:
                return None
            made = answer.read()
    except (OSError, ValueError):
        return None
    setattr(request.state, MADE_ON, target)  # the answer's X-Shard names the shard that keeps the copy
    return made


class ShardHealth(BaseModel):
    shard: int = Field(description="the shard's number")
    url: Optional[str] = Field(None, description="its address (only for clients on this computer)")
    status: str = Field(description="ok, failing (its database), or down (it does not answer)")
    problem: Optional[str] = Field(None, description="why it fails, or null")
    networks_in_memory: Optional[int] = Field(None, description="only for clients on this computer")
    playing: Optional[int] = Field(None, description="only for clients on this computer")


class ClusterHealth(BaseModel):
    status: str = Field(description="ok when every shard is, else degraded")
    shards: list[ShardHealth] = Field(description="every shard's answer")


def _ask(url: str, local: bool) -> dict:
    try:
        with urllib.request.urlopen(url + "/api/health", timeout=PEER_TIMEOUT) as answer:
            body = json.loads(answer.read())
    except urllib.error.HTTPError as refusal:  # 503: the shard answers, its database fails
        body = json.loads(refusal.read() or b"{}")
        body.setdefault("status", "failing")
    except (OSError, ValueError) as exc:
        return {"status": "down", "problem": f"{url} does not answer ({getattr(exc, 'reason', exc)})"}
    return body if local else {k: v for k, v in body.items() if k in ("status", "problem")}


@router.get("/api/cluster/health", response_model=ClusterHealth, responses={503: {"model": ClusterHealth}},
            summary="Every shard's health (the front serves it as /api/health); 503 if any is not ok")
async def cluster_health(request: Request):
    """Asks every peer's /api/health at once (this shard's own too, the same way); with no peers set,
    answers for itself alone. Counts and addresses go only to a client on this computer, as in /api/health."""
    settings = request.app.state.settings
    local = is_local(request.client and request.client.host)
    peers = peers_of(settings)
    if peers:
        answers = await asyncio.gather(*(run_in_threadpool(_ask, url, local) for url in peers))
        shards = [{"shard": i, "url": url if local else None, **answer}
                  for i, (url, answer) in enumerate(zip(peers, answers))]
    else:
        problem = request.app.state.registry.store.problem
        shards = [{"shard": settings.shard, "status": "failing" if problem else "ok", "problem": problem}]
    ok = all(s["status"] == "ok" for s in shards)
    return JSONResponse({"status": "ok" if ok else "degraded", "shards": shards}, status_code=200 if ok else 503)
