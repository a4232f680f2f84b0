"""Connections that never finish are dropped, and no one address holds too many of them.

uvicorn closes only idle kept-alive connections; a client that sends its headers or its body a byte
at a time keeps its connection, and a file descriptor, for as long as it likes, and one address can
open connections until the process runs out of descriptors. `protocol(settings)` is uvicorn's h11
protocol with three additions, enforced where the bytes arrive (an ASGI middleware never sees a
request whose headers are not complete, nor a body the route does not read):
- a request's headers must be complete within `header_timeout` seconds of the connection opening
  (or of the previous answer on a kept-alive connection);
- its body within `body_timeout` seconds of its headers;
- at most `max_connections_per_client` connections from one address at once, WebSockets included;
- at most `open_cap(settings)` connections in all, below the process's file descriptor limit: past it
  the connection that has waited longest for its request's headers is dropped for the new one (a
  flood of half-open connections from many addresses cannot use up the descriptors health needs),
  and when none waits, the new one is answered 503 and closed.
A late request is answered 408 (when no answer has started) and closed; a connection past the cap
is answered 429 and closed at once. All are logged (through the log's rate limit, `app.logflood`).
Left out: clients that read answers slowly, and floods of complete requests: a reverse proxy in
front (docs/api.md, Security model) is the place for those.
"""
from __future__ import annotations

import json
import logging
import resource
from collections import Counter, OrderedDict

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.settings import Settings

log = logging.getLogger("uvicorn.error")  # its handlers pass a few lines a second (app.logflood)
RESERVE = 128  # descriptors kept back from connections: the database, logs, the worker process's pipes


def fd_limit() -> int:
    """The process's file descriptor limit, its soft limit raised to the hard one first."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


def backlog(limit: int) -> int:
    """Connections the listening socket queues, and so at most accepted in one go before the
    protocol sees (and counts) them."""
    return max(128, min(2048, limit // 32))


def open_cap(settings: Settings, limit: int) -> int:
    """Connections open at once, for a process allowed `limit` descriptors: `max_connections`, or
    (0, the default) the limit less `RESERVE` and four times the `backlog`: asyncio accepts a
    backlog's worth each turn of its loop and the protocol counts them two turns later, and the
    connections dropped for them close a turn after that."""
    automatic = max(1, limit - 4 * backlog(limit) - RESERVE)
    return min(settings.max_connections, automatic) if settings.max_connections else automatic


def raw_answer(status: str, detail: str, extra: str = "") -> bytes:
    body = json.dumps({"detail": detail}).encode()
    return (f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n"
            f"{extra}connection: close\r\n\r\n").encode() + body


def protocol(settings: Settings, limit: int | None = None) -> type[H11Protocol]:
    """uvicorn's `http=` protocol class for a server with these settings (one count per server) in a
    process allowed `limit` file descriptors (read from the process when None)."""
    open_by_address: Counter[str] = Counter()
    waiting: OrderedDict = OrderedDict()  # connections waiting for their request's headers, oldest first
    cap, total = settings.max_connections_per_client, open_cap(settings, limit or fd_limit())
    too_many = raw_answer("429 Too Many Requests",
                          f"more than {cap} connections from one address at once "
                          f"(max_connections_per_client); close some and retry")
    full = raw_answer("503 Service Unavailable",
                      f"the server has {total} connections open, every one of them busy (max_connections); "
                      f"retry in a few seconds", "retry-after: 5\r\n")

    websocket_classes: dict[type, type] = {}

    def release(address: str) -> None:
        open_by_address[address] -= 1
        open_by_address["*"] -= 1
        if open_by_address[address] <= 0:
            del open_by_address[address]

    def make_room(address: str) -> bool:
        """Below the cap in all, or room made by dropping the connection that waited longest for
        its headers; False when every open connection is busy."""
        if open_by_address["*"] < total:
            return True
        if not waiting:
            return False
        oldest = next(iter(waiting))
        log.warning("dropped a connection from %s idle since it opened: %d connections open "
                    "(max_connections), one from %s came", oldest.address, total, address)
        oldest.drop()
        return True

    class Guarded(H11Protocol):
        open_connections = open_by_address  # connections per address now, and "*": all of them
        max_open = total

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            base = self.ws_protocol_class
            if base not in websocket_classes:
                websocket_classes[base] = counted_websocket(base, release)
            self.ws_protocol_class = websocket_classes[base]
            self.address, self.counted, self.phase, self.timer = "", False, "", None

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self.address = self.client[0] if self.client else ""
            over = open_by_address[self.address] >= cap
            if over or not make_room(self.address):
                log.warning("refused a connection from %s: %d open already (%s)", self.address,
                            cap if over else total, "max_connections_per_client" if over else "max_connections")
                transport.write(too_many if over else full)
                transport.close()
                return
            open_by_address[self.address] += 1
            open_by_address["*"] += 1
            self.counted = True
            self._expect("headers")

        def connection_lost(self, exc) -> None:
            self._disarm()
            if self.counted:
                self.counted = False
                release(self.address)
            super().connection_lost(exc)

        def drop(self) -> None:
            """Close at once (no answer: no request came), its place free now."""
            self._disarm()
            if self.counted:
                self.counted = False
                release(self.address)
            self.transport.abort()

        def handle_events(self) -> None:
            super().handle_events()
            self._follow()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._follow()

        def handle_websocket_upgrade(self, event) -> None:
            self._disarm()
            self.counted = False  # the WebSocket protocol releases it when it closes
            super().handle_websocket_upgrade(event)

        # ---- the clock --------------------------------------------------------------------------
        def _follow(self) -> None:
            """Start the clock for what the connection waits for now: headers, a body, or nothing."""
            if self.transport is None or self.transport.is_closing() or not self.counted:
                return
            state = self.conn.their_state
            if state is h11.IDLE and (self.cycle is None or self.cycle.response_complete):
                self._expect("headers")
            elif state is h11.SEND_BODY:
                self._expect("body")
            elif state is not h11.IDLE:
                self._disarm()

        def _expect(self, phase: str) -> None:
            if phase == self.phase and self.timer is not None:
                return
            self._disarm()
            self.phase = phase
            seconds = settings.header_timeout if phase == "headers" else settings.body_timeout
            self.timer = self.loop.call_later(seconds, self._too_slow, seconds)
            if phase == "headers":
                waiting[self] = None

        def _disarm(self) -> None:
            if self.timer is not None:
                self.timer.cancel()
            waiting.pop(self, None)
            self.timer, self.phase = None, ""

        def _too_slow(self, seconds: float) -> None:
            phase, self.timer = self.phase, None
            if self.transport.is_closing():
                return
            setting = "header_timeout" if phase == "headers" else "body_timeout"
            log.warning("dropped a connection from %s: its request %s took over %g s (%s)",
                        self.address, phase, seconds, setting)
            cycle = self.cycle if phase == "body" else None
            if cycle is None or not cycle.response_started:
                self.transport.write(raw_answer("408 Request Timeout",
                                                f"the request's {phase} took longer than {seconds:g} s "
                                                f"({setting}); send it at once"))
            if cycle is not None:  # the app waiting for the rest of the body hears it will not come
                cycle.disconnected = True
                cycle.message_event.set()
            self.transport.close()

    return Guarded


def counted_websocket(base: type, release) -> type:
    """`base` (uvicorn's WebSocket protocol) releasing its address's count when it closes."""
    class Counted(base):
        def connection_lost(self, exc) -> None:
            transport = getattr(self, "transport", None)
            peer = transport.get_extra_info("peername") if transport is not None else None
            super().connection_lost(exc)
            if peer and not getattr(self, "released", False):
                self.released = True
                release(peer[0])
    return Counted
