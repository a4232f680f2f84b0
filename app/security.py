"""No control from other sites: Host allow-list, Origin check, JSON-only changes, security headers.

A page on any site can make the visitor's browser send requests to this server (it listens on the
visitor's own machine or LAN). Three checks stop that, before any route runs:
- **Host** must be one this server answers to (`allowed_hosts`, as Django's ALLOWED_HOSTS): an IP
  address, this computer's names, and its LAN names when serving a class. A DNS-rebinding page
  reaches the server under its own name, so it is refused (400).
- **Origin**, when a browser sends one, must be this server itself or one of `allowed_origins`, on
  every request that changes something (POST, PUT, PATCH, DELETE) and on WebSocket upgrades (403).
  Scripts and curl send no Origin and are not affected.
- **Content-Type** must be JSON on POST, PUT and PATCH under /api, with a body or without (415),
  unless the request carries an owner key: a cross-site form or `text/plain` fetch can set neither
  without a CORS preflight, which this server never grants.
Every response carries `nosniff`, `Referrer-Policy: no-referrer` and a Content-Security-Policy that
allows scripts only from this server (the page's JSON boot block is data, not script) and no framing.
What it leaves out: authentication (ids are capabilities; owner keys are another module) and TLS.
"""
from __future__ import annotations

import ipaddress
import json
from urllib.parse import urlsplit

from app.errors import is_json_content_type

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "testserver")  # testserver: Starlette's test client
CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
WITH_BODY = frozenset({"POST", "PUT", "PATCH"})
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
           (b"x-frame-options", b"DENY")]
NOT_JSON = ("/api/datasets/csv",)  # takes a CSV file and stores nothing: no change to protect
DOCS = ("/docs", "/redoc")  # FastAPI's interactive docs run an inline script of their own


def split_list(text: str) -> list[str]:
    return [item.strip().lower() for item in text.split(",") if item.strip()]


def host_name(host: str) -> str:
    """`example.org:8000` → `example.org`, `[::1]:8000` → `::1`."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_allowed(name: str, allowed: list[str]) -> bool:
    """Configured names, and any IP address: rebinding needs a name the attacker controls."""
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    for pattern in allowed:
        if pattern == "*" or name == pattern or (pattern.startswith(".") and
                                                 (name.endswith(pattern) or name == pattern[1:])):
            return True
    return False


def same_origin(origin: str, host: str, scheme: str) -> bool:
    """Does `origin` (scheme://host[:port]) name this server as the request reached it?"""
    parts = urlsplit(origin)
    default = {"http": 80, "https": 443, "ws": 80, "wss": 443}
    try:
        port = parts.port or default.get(parts.scheme)
    except ValueError:
        return False
    own = urlsplit(f"{'https' if scheme in ('https', 'wss') else 'http'}://{host}")
    try:
        own_port = own.port or default.get(own.scheme)
    except ValueError:
        return False
    return parts.hostname is not None and parts.hostname == own.hostname and port == own_port


class Guard:
    """Pure ASGI middleware: refuses foreign hosts, origins and non-JSON changes; adds headers."""

    def __init__(self, app, allowed_hosts: str = "", allowed_origins: str = ""):
        self.app = app
        self.hosts = list(LOCAL_HOSTS) + split_list(allowed_hosts)
        self.origins = [o.rstrip("/") for o in split_list(allowed_origins)]

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        refusal = self.refusal(scope, headers, host)
        if refusal is not None:
            return await self._refuse(scope, send, *refusal)
        if scope["type"] == "websocket":
            return await self.app(scope, receive, send)
        csp = not scope["path"].startswith(DOCS)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                extra = HEADERS + ([(b"content-security-policy", CSP.encode())] if csp else [])
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)
        await self.app(scope, receive, with_headers)

    def refusal(self, scope, headers: dict, host: str) -> tuple[int, str] | None:
        name = host_name(host)
        if not host_allowed(name, self.hosts):
            return 400, (f"this server does not answer to the host name {name!r}; add it to allowed_hosts "
                         f"(BACKPROP_PLAYGROUND_ALLOWED_HOSTS) if it is really this server")
        method = scope.get("method", "GET") if scope["type"] == "http" else "WEBSOCKET"
        if method not in CHANGING and scope["type"] == "http":
            return None
        origin = headers.get("origin")
        if origin is not None and origin.rstrip("/").lower() not in self.origins \
                and not same_origin(origin.lower(), host, scope.get("scheme", "http")):
            return 403, (f"requests from the page at {origin[:100]!r} may not change anything here: only "
                         f"this server's own page may (or an origin listed in allowed_origins)")
        if method in WITH_BODY and scope["path"].startswith("/api/") and scope["path"] not in NOT_JSON \
                and "authorization" not in headers and not is_json_content_type(headers.get("content-type", "")):
            sent = headers.get("content-type", "").split(";", 1)[0].strip()
            return 415, ("send the body as JSON with Content-Type: application/json "
                         f"({f'got {sent!r}' if sent else 'no Content-Type was given'})")
        return None

    async def _refuse(self, scope, send, status: int, detail: str) -> None:
        if scope["type"] == "websocket":  # closing before accepting answers the upgrade with 403
            await send({"type": "websocket.close", "code": 1008, "reason": detail[:120]})
            return
        body = json.dumps({"detail": detail}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()), *HEADERS]})
        await send({"type": "http.response.body", "body": body})
