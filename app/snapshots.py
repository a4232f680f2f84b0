"""Forks and share links: copies of a network, live (a fork) or frozen (a snapshot).

A fork is a new network made from the original's complete saved state (weights, optimiser state, data,
counters, phase cursor, history), taken under the original's lock and rebuilt by `engine.state`, so
the copy continues exactly as the original would have; the original is not touched. A snapshot keeps
that same document in SQLite under a share code: it outlives server restarts and the original's
deletion, can be read (state, data, grids, chain rule) but never changed, and can be forked. Read
snapshots stay in memory (a few, least recently used out): a whole class opens one link at once.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from app import codes, shards, views
from app.clients import client_key
from app.deps import engine_errors, get_registry
from app.errors import ApiError, not_found
from app.jsonify import HistoryEncoder, dumps, with_raw_field
from app.keys import keys_of, with_key
from app.loadonce import get_or_load
from engine import state as engine_state

CACHED_SNAPSHOTS = 16
CODE_ATTEMPTS = 20


def unknown_snapshot(code: str) -> ApiError:
    return ApiError(404, f"no share link with code {code!r}; check the link, or ask for a new one "
                         f"(POST /api/networks/{{id}}/snapshots)")


class Frozen:
    """One snapshot in memory: its experiment (read under `lock`) and its state answer."""

    def __init__(self, code: str, network_id: str, created: float, doc: dict):
        self.code, self.network_id, self.created = code, network_id, created
        self.exp = engine_state.from_dict(doc)
        self.lock = threading.Lock()
        about = dumps({"code": code, "network_id": network_id, "created": created, "url": f"/s/{code}"})
        self.state_json = with_raw_field({}, "snapshot", about)[:-1] + b"," + \
            views.network_state_json(code, self.exp, HistoryEncoder())[1:]


def copy_document(request: Request, network_id: str) -> dict:
    """The network's complete state as a new document (call in a worker thread). The lock is held
    only while the engine's arrays are turned into lists, so training goes on right after."""
    reg = get_registry(request)
    while True:
        session = reg.get(network_id)
        with session.lock:
            if session.evicted:  # dropped from memory after we found it: load it again
                continue
            if session.deleted:
                raise not_found(network_id)
            return views.export_document(session.exp)


def create_from(request: Request, doc: dict) -> bytes:
    """A new network from `doc`, with its own id and key: the creation answer (state and key), made on
    the next shard in turn when there are several (`app.shards`)."""
    elsewhere = shards.place_elsewhere(request, doc)
    if elsewhere is not None:
        return elsewhere
    with engine_errors():
        exp = engine_state.from_dict(doc)
    session = get_registry(request).create(exp, client_key(request.client and request.client.host))
    key = keys_of(request).issue(session.id)
    return with_key(views.network_state_json(session.id, exp, session.history_json), key)


async def fork(request: Request, network_id: str) -> bytes:
    def work() -> bytes:
        return create_from(request, copy_document(request, network_id))
    return await run_in_threadpool(work)


class Snapshots:
    def __init__(self, shares, shard: int = 0, make_room=None):
        self.shares, self.shard = shares, shard
        self.make_room = make_room  # the registry's (app.room): the memory budget covers share links too
        self._cache: OrderedDict[str, Frozen] = OrderedDict()
        self._lock = threading.Lock()
        self._loading = threading.Lock()

    def take(self, network_id: str, doc: dict) -> str:
        for _ in range(CODE_ATTEMPTS):
            code = codes.new_code(codes.SHARE, self.shard)
            if self.shares.put_snapshot(code, network_id, doc):
                return code
        raise ApiError(503, "could not find a free share code; try again")

    def document(self, code: str) -> dict:
        """A fresh copy of the snapshot's document (to fork from), from the database."""
        row = self.shares.snapshot(code)
        if row is None:
            raise unknown_snapshot(code)
        return row[1]

    def get(self, text: str) -> Frozen:
        """The snapshot for a share code (any case), loaded once; 404 if there is none."""
        code = codes.normalise(text, codes.SHARE)
        if code is None:
            raise unknown_snapshot(text[:40])
        def load() -> Frozen:
            if self.make_room is not None:
                self.make_room(f"share link {code}")
            row = self.shares.snapshot(code)
            if row is None:
                raise unknown_snapshot(code)
            return Frozen(code, row[0], row[2], row[1])

        def remember(frozen: Frozen) -> None:
            with self._lock:
                self._cache[code] = frozen
                while len(self._cache) > CACHED_SNAPSHOTS:
                    self._cache.popitem(last=False)

        frozen, _ = get_or_load(self._cache, code, self._lock, self._loading, load, remember)
        return frozen


def snapshots_of(request: Request) -> Snapshots:
    return request.app.state.snapshots
