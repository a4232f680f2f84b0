"""Classes: a join code, a URL students can reach, and that URL as a QR code.

A class is one network's join code (`app.codes`: 6 characters after the shard's tag), kept in SQLite until the teacher ends
it or the network goes. The URL has to work on a student's laptop, so when the teacher's page talks
to the server over loopback (`127.0.0.1`, `localhost`) and the server listens on every interface
(`--host 0.0.0.0`), the URL uses the machine's LAN address instead; bound to loopback only, the URL
is the teacher's and `reachable` is false with a note saying how to fix it. The QR code is drawn
here (segno, offline) as a scalable SVG. Not here: discovering the network from outside (no mDNS).
"""
from __future__ import annotations

import ipaddress
import socket

import segno
from fastapi import Request

from app import codes
from app.cli import EVERY_INTERFACE, interface_addresses
from app.errors import ApiError

CODE_ATTEMPTS = 50


def unknown_class(code: str) -> ApiError:
    return ApiError(404, f"no class with code {code!r}: check the code on the teacher's screen; the class "
                         f"may have ended")


def lan_addresses() -> list[str]:
    """This machine's addresses other computers may reach (`app.cli.interface_addresses`), the one
    the default route leaves by first: the likeliest to be the classroom's network."""
    found = interface_addresses()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # a documentation address: picks the outgoing interface, sends nothing
            outgoing = probe.getsockname()[0]
    except OSError:
        return found
    return [outgoing, *(a for a in found if a != outgoing)] if outgoing in found else found


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def public_base(request: Request) -> tuple[str, str | None]:
    """(scheme://host:port students should use, a note when they probably cannot reach it)."""
    url = request.url
    host, port = url.hostname or "127.0.0.1", url.port
    if is_loopback(host):
        bind = getattr(request.app.state, "bind_host", None)
        lan = lan_addresses() if bind in EVERY_INTERFACE else []
        if lan:
            host = lan[0]
        else:
            return (f"{url.scheme}://{url.netloc}",
                    "the server listens on this computer only, so students cannot open this URL: restart it "
                    "with --host 0.0.0.0 (make run HOST=0.0.0.0) and open the page again")
    netloc = f"[{host}]" if ":" in host else host
    return f"{url.scheme}://{netloc}{f':{port}' if port else ''}", None


def news(network_id: str | None, code: str | None) -> dict:
    """The live message about a class: `code` follows `network_id` (code null: the class ended)."""
    return {"type": "class", "code": code, "network_id": network_id}


def qr_svg(url: str) -> str:
    """`url` as a QR code: an SVG with a viewBox and no fixed size, so the page can draw it as large as
    a room needs; dark modules on white with the standard quiet zone."""
    return segno.make(url, error="m").svg_inline(scale=1, border=4, omitsize=True, dark="#000", light="#fff")


class Classes:
    def __init__(self, shares, shard: int = 0):
        self.shares, self.shard = shares, shard

    def open(self, network_id: str) -> str:
        """The network's join code, drawing a new one unless a class is already open (same code)."""
        for _ in range(CODE_ATTEMPTS):
            existing = self.shares.class_code(network_id)
            if existing is not None:
                return existing
            code = codes.new_code(codes.JOIN, self.shard)
            if self.shares.put_class(code, network_id):
                return code
        raise ApiError(503, "could not find a free join code; try again")

    def network_for(self, text: str) -> tuple[str, str]:
        """(code, network id) for a join code as typed; 404 when no class has it."""
        code = codes.normalise(text, codes.JOIN)
        network_id = self.shares.class_network(code) if code else None
        if network_id is None:
            raise unknown_class(text[:20])
        return code, network_id

    def code_for(self, network_id: str) -> str | None:
        return self.shares.class_code(network_id)

    def move(self, network_id: str, to_network_id: str) -> str:
        """The class of `network_id` now follows `to_network_id` (the teacher went on to another network
        of theirs): the same code, so every student's link keeps working. 404 without a class, 409 when
        the other network has a class of its own."""
        code = self.shares.class_code(network_id)
        if code is None:
            raise ApiError(404, "this network has no open class to move; open one with POST /api/networks/{id}/class")
        if to_network_id != network_id and not self.shares.move_class(network_id, to_network_id):
            raise ApiError(409, f"network {to_network_id} has a class of its own (code "
                                f"{self.shares.class_code(to_network_id)}); end it first with DELETE "
                                f"/api/networks/{to_network_id}/class, or move that one instead")
        return code

    def end(self, network_id: str) -> bool:
        return self.shares.end_class(network_id)
