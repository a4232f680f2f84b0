"""Owner keys: who may change a network. Whoever holds only its id may read it and follow it.

Every network gets a key of 128 random bits when it is made (create, import, fork, snapshot fork);
the answer that makes it carries the key once, as `"key"`. Only its SHA-256 is stored (a stolen
database gives no keys). A changing request proves the key with `Authorization: Bearer <key>`
(`require_owner`, a FastAPI dependency, so /docs offers an Authorize button); the live socket proves
it with a first `{"type": "auth", "key": …}` message (`is_owner`). Keys are never put in a URL, a GET
answer or a log line. Networks saved before keys existed have no owner: anyone may fork them, nobody
may change them.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict

from fastapi import Depends, Request, Security
from pydantic import Field
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from app.schemas import base
from app.schemas import network_out
from app.errors import not_found
from app.sharestore import ShareStore

KEY_BYTES = 16          # 128 random bits → 22 URL-safe characters
CACHED_HASHES = 4096    # key hashes kept in memory, least recently used out
NO_OWNER = b""          # cached: the network exists but has no key (saved before keys existed)

bearer = HTTPBearer(auto_error=False, scheme_name="owner key",
                    description="The network's owner key, returned once as `key` by the call that made it")


def fork_hint(network_id: str) -> str:
    return f"fork it with POST /api/networks/{network_id}/fork to train your own copy"


def missing_detail(network_id: str) -> str:
    return (f"changing this network needs its owner key: send Authorization: Bearer <key>, the key its creation "
            f"returned; without it, {fork_hint(network_id)}")


def wrong_detail(network_id: str) -> str:
    return f"this network belongs to someone else (the key does not match); {fork_hint(network_id)}"


def unowned_detail(network_id: str) -> str:
    return f"this network was made before owner keys existed, so nobody may change it; {fork_hint(network_id)}"


def new_key() -> str:
    return secrets.token_urlsafe(KEY_BYTES)


def hash_key(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


class Keys:
    """Key hashes by network id, from the share store, with a small cache in front."""

    def __init__(self, shares: ShareStore):
        self.shares = shares
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def issue(self, network_id: str) -> str:
        """A new key for a network just made; the caller returns it once and forgets it."""
        key = new_key()
        digest = hash_key(key)
        self.shares.put_key_hash(network_id, digest)
        self._remember(network_id, digest)
        return key

    def _remember(self, network_id: str, digest: bytes) -> None:
        with self._lock:
            if digest == NO_OWNER and self._cache.get(network_id, NO_OWNER) != NO_OWNER:
                return  # a key issued while this lookup read the store: it stays (see `check`)
            self._cache[network_id] = digest
            self._cache.move_to_end(network_id)
            while len(self._cache) > CACHED_HASHES:
                self._cache.popitem(last=False)

    def cached(self, network_id: str) -> bool:
        return network_id in self._cache

    def stored_hash(self, network_id: str) -> bytes | None:
        """The key hash; NO_OWNER for a network without one; None for an unknown network."""
        with self._lock:
            digest = self._cache.get(network_id)
        if digest is not None:
            return digest
        digest = self.shares.key_hash(network_id)
        if digest is None:
            if not self.shares.network_exists(network_id):
                return None
            digest = NO_OWNER
        self._remember(network_id, digest)
        return digest

    def forget(self, network_id: str) -> None:
        with self._lock:
            self._cache.pop(network_id, None)

    def check(self, network_id: str, key: str | None) -> str | None:
        """None when `key` owns the network, else the refusal's detail. Unknown network: 404.

        Checking before the work (a route's dependency, a socket's `auth`) and working later under the
        network's lock is race-free because what is checked never changes: a network's key hash is
        written once, by the call that makes it, before that call answers with the id, and ids are
        never reused (a deleted network's id stays unknown: its work answers 404 under the lock).
        The one window, between a network's save and its key's, fails closed (refused: no owner),
        and cannot stick: a lookup that read "no owner" there never replaces the issued hash."""
        digest = self.stored_hash(network_id)
        if digest is None:
            raise not_found(network_id)
        if digest == NO_OWNER:
            return unowned_detail(network_id)
        if not key:
            return missing_detail(network_id)
        if not hmac.compare_digest(hash_key(key), digest):
            return wrong_detail(network_id)
        return None


def keys_of(request_or_ws) -> Keys:
    return request_or_ws.app.state.keys


async def require_owner(request: Request, network_id: str,
                        credentials: HTTPAuthorizationCredentials | None = Security(bearer)) -> None:
    """401 without a key, 403 with a wrong one (or for a network without an owner), 404 unknown id."""
    key = credentials.credentials if credentials else None
    keys = keys_of(request)  # a key hash not cached yet is read from the store in a worker thread
    refusal = keys.check(network_id, key) if keys.cached(network_id) else \
        await run_in_threadpool(keys.check, network_id, key)
    if refusal is None:
        return
    status = 401 if key is None and refusal == missing_detail(network_id) else 403
    raise HTTPException(status, refusal, headers={"WWW-Authenticate": "Bearer"} if status == 401 else None)


OWNER = [Depends(require_owner)]


class CreatedNetwork(network_out.NetworkState):
    key: str = Field(description="the owner key: send it as Authorization: Bearer <key> to change this "
                                 "network. Shown this once; keep it")


ERRORS = {**base.ERRORS, **{status: {"model": base.ErrorOut} for status in (401, 403)}}


def with_key(state_json: bytes, key: str) -> bytes:
    """A creation's answer: the state with the new key in front (shown this once)."""
    return b'{"key":"' + key.encode() + b'",' + state_json[1:]
