"""Logs that cannot be flooded: at most `PER_SECOND` lines a second per handler, then one summary.

A client can make the server log at will (a malformed request line, a bad WebSocket handshake, every
request in the access log); 20,000 of them grew the log by 64 MB in 40 s. Each log handler of the
server's loggers gets a filter that passes the first `PER_SECOND` records of every second and counts
the rest, reported by the next record that passes ("… 1234 log lines suppressed"). Warnings about
the server itself are rare, so nothing a person needs is lost in practice.
"""
from __future__ import annotations

import logging
import threading
import time

PER_SECOND = 50
LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")  # where a client can make lines appear


class RateLimit(logging.Filter):
    def __init__(self, per_second: int = PER_SECOND):
        super().__init__()
        self.per_second = per_second
        self.window = 0
        self.passed = 0
        self.suppressed = 0
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            now = int(time.monotonic())
            if now != self.window:
                self.window, self.passed = now, 0
            if self.passed >= self.per_second:
                self.suppressed += 1
                return False
            self.passed += 1
            if self.suppressed:
                record.msg = f"{record.getMessage()} (and {self.suppressed} log lines suppressed before it)"
                record.args = ()
                self.suppressed = 0
        return True


def install() -> None:
    """Add the filter to every handler of the server's loggers (once; call after logging is set up)."""
    for name in LOGGERS:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, RateLimit) for f in handler.filters):
                handler.addFilter(RateLimit())
