"""The server process's real memory, for the memory budget: its resident size, and freed memory
handed back to the system.

A network's arrays (`budgets.footprint`) are not all it costs: its history, rewind checkpoints and
encoded history entries are Python objects beside them, and a large grid drawn and freed leaves the
heap fragmented. So past the footprints the registry also checks the process's resident set size
(RSS) against `memory_budget` and sends networks out of memory until it fits (app.sessions).
`give_back` collects unreachable objects (an evicted network's parts refer to each other) and asks
glibc to return free heap pages, which it otherwise keeps.
Left out: systems without /proc (RSS unknown: only footprints count there) or without glibc
(nothing is trimmed).
"""
from __future__ import annotations

import ctypes
import gc
import os

try:
    _PAGE = os.sysconf("SC_PAGE_SIZE")
except (ValueError, OSError, AttributeError):
    _PAGE = 4096
try:
    _trim = ctypes.CDLL("libc.so.6").malloc_trim
except (OSError, AttributeError):
    _trim = None


def rss() -> int:
    """Bytes of the process resident in memory now; 0 where unknown."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def trim() -> None:
    """Return free heap pages to the system (cheap: call after freeing large buffers)."""
    if _trim is not None:
        _trim(0)


def give_back() -> int:
    """Collect garbage and trim the heap; the resident size after."""
    gc.collect()
    trim()
    return rss()


def fit(budget: int, victims: list, evict) -> bool:
    """Whether the process fits `budget` bytes, after `evict(victim)` (least recently used first, each
    True when it left memory) as far as needed. Cheap while it fits: one read of /proc."""
    if rss() <= budget or give_back() <= budget:
        return True
    return any(evict(victim) and give_back() <= budget for victim in victims)
