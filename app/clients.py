"""Who is asking and how much: a client's address as a quota key, whether it is this computer, and
the bounded queue of requests waiting for one network.

Quotas count by address, so one client cannot fill the store or lock others out. An IPv6 client
usually holds a whole /64, so its addresses count as one. Behind a reverse proxy every request comes
from the proxy's address: give the proxy its own limits (the server does not trust forwarded-for
headers, which any client can write).
"""
from __future__ import annotations

import ipaddress
import threading
from contextlib import contextmanager

from app.errors import ApiError
from app.settings import Settings

IPV6_PREFIX = 64
_waiting: dict[str, int] = {}
_waiting_lock = threading.Lock()


def client_key(host: str | None) -> str:
    """The quota key of a client address: the address itself, or its /64 for IPv6."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


def is_local(host: str | None) -> bool:
    """True for this computer (loopback); the test client's made-up host counts as local too."""
    if host in ("testclient", "localhost"):
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


@contextmanager
def turn(session, limit: int):
    """Hold `session.lock`, as one of at most `limit` requests waiting for it (429 beyond), so one
    busy network cannot take every worker thread from the others."""
    with _waiting_lock:
        waiting = _waiting.get(session.id, 0)
        if waiting >= limit:
            raise ApiError(429, f"{waiting} requests are already waiting for this network "
                                f"(max_waiters_per_network); wait for their answers, then try again")
        _waiting[session.id] = waiting + 1
    try:
        with session.lock:
            yield
    finally:
        with _waiting_lock:
            _waiting[session.id] -= 1
            if not _waiting[session.id]:
                del _waiting[session.id]


def check_quota(kept_by_client: int, kept: int, s: Settings) -> None:
    """Refuse a new network past the client's quota (429) or the store's cap (503)."""
    if kept_by_client >= s.max_networks_per_client:
        raise ApiError(429, f"this address already keeps {s.max_networks_per_client} networks "
                            f"(max_networks_per_client); delete some (DELETE /api/networks/{{id}}) "
                            f"or wait until unused ones expire after {s.idle_expiry_days:g} days")
    if kept >= s.max_networks:
        raise ApiError(503, f"the server keeps its limit of {s.max_networks} networks (max_networks); "
                            f"try again once unused ones expire")
