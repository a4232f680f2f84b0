"""Find an object in a least-recently-used dict, or build it once however many threads ask.

Both the live networks (app/sessions.py) and the read-only share links (app/snapshots.py) are loaded
from SQLite on first use, and a whole class may open the same one at the same moment: the second
reader must wait for the first load rather than build a second copy. What is kept and what is
evicted stays with the caller (`remember`); this module only orders the two locks.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

T = TypeVar("T")


def get_or_load(cache: OrderedDict, key: Hashable, lock: threading.Lock, loading: threading.Lock,
                load: Callable[[], T], remember: Callable[[T], None]) -> tuple[T, bool]:
    """`(item, loaded)`: the cached item (marked most recently used), or the one `load()` built and
    `remember` stored. `lock` guards `cache`; `loading` lets one loader run at a time. `load` may
    raise (an unknown key); nothing is remembered then."""
    with lock:
        item = cache.get(key)
        if item is not None:
            cache.move_to_end(key)
            return item, False
    with loading:
        with lock:
            item = cache.get(key)
        if item is not None:
            return item, False
        item = load()
        remember(item)
        return item, True
