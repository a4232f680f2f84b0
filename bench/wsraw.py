"""A bare WebSocket client for load generators: hundreds of followers in one process.

The `websockets` client parses each frame in Python objects and queues it, which costs a generator
process more CPU than the server spends sending it: 300 followers at 30 fps then measure the generator.
This one parses only frame headers (unmasked server frames, no extensions) and hands each message's
bytes to a callback; it sends masked text frames. Enough for benchmarks, not a general client.
"""
from __future__ import annotations

import asyncio
import base64
import os
import struct


class RawSocket(asyncio.Protocol):
    def __init__(self, on_message):
        self.on_message = on_message  # (opcode, payload bytes)
        self.buffer = bytearray()
        self.open = asyncio.get_running_loop().create_future()
        self.closed = asyncio.get_running_loop().create_future()
        self.transport = None
        self._handshaking = True

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        if self._handshaking:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if not self.buffer.startswith(b"HTTP/1.1 101"):
                self.open.set_exception(ConnectionError(bytes(self.buffer[:200]).decode(errors="replace")))
                return
            del self.buffer[:end + 4]
            self._handshaking = False
            self.open.set_result(None)
        buf = self.buffer
        at = 0
        while len(buf) - at >= 2:
            opcode, length = buf[at] & 0x0F, buf[at + 1] & 0x7F
            head = 2
            if length == 126:
                if len(buf) - at < 4:
                    break
                length, head = struct.unpack_from("!H", buf, at + 2)[0], 4
            elif length == 127:
                if len(buf) - at < 10:
                    break
                length, head = struct.unpack_from("!Q", buf, at + 2)[0], 10
            if len(buf) - at < head + length:
                break
            if opcode == 8:  # close
                self.transport.close()
                break
            if opcode in (1, 2):
                self.on_message(opcode, bytes(buf[at + head:at + head + length]))
            at += head + length
        del buf[:at]

    def connection_lost(self, exc):
        if not self.open.done():
            self.open.set_exception(ConnectionError("closed during the handshake"))
        if not self.closed.done():
            self.closed.set_result(None)

    def send_text(self, text: str) -> None:
        payload, mask = text.encode(), os.urandom(4)
        n = len(payload)
        header = bytes([0x81, 0x80 | n]) if n < 126 else bytes([0x81, 0xFE]) + struct.pack("!H", n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.transport.write(header + mask + masked)

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(bytes([0x88, 0x82]) + b"\0\0\0\0" + struct.pack("!H", 1000))
            self.transport.close()


async def connect(host: str, port: int, path: str, on_message) -> RawSocket:
    loop = asyncio.get_running_loop()
    _, sock = await loop.create_connection(lambda: RawSocket(on_message), host, port)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.transport.write((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                          f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    await sock.open
    return sock
