"""Parse a large JSON body in a process of its own and return it with its lists cut short.

Parsing 2 MB of JSON holds the interpreter's lock for 0.1 s on an idle machine and most of a second on
a loaded one, and no other thread (the event loop included) runs meanwhile. A worker process parses
it instead and sends back only the first `keep` items of every list (`cut`), which is all the
first errors of a body need (app.offloop). Standard library only, so the worker starts quickly.
Left out: bodies the worker cannot parse are parsed again by the caller, which names the error.
"""
from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

_pool: ProcessPoolExecutor | None = None


def cut(value, keep: int) -> tuple[object, bool]:
    """`value` with every list cut to its first `keep` items; and whether any was cut."""
    if isinstance(value, list):
        items = [cut(v, keep) for v in value[:keep]]
        return [v for v, _ in items], len(value) > keep or any(c for _, c in items)
    if isinstance(value, dict):
        items = {k: cut(v, keep) for k, v in value.items()}
        return {k: v for k, (v, _) in items.items()}, any(c for _, c in items.values())
    return value, False


def parse_and_cut(raw: bytes, keep: int) -> tuple[object, bool]:
    return cut(json.loads(raw), keep)


def parse_elsewhere(raw: bytes, keep: int) -> tuple[object, bool]:
    """`parse_and_cut` in the worker process (started at first use); here if it cannot run.
    Raises ValueError or RecursionError for a body that is not JSON."""
    global _pool
    try:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        return _pool.submit(parse_and_cut, raw, keep).result(timeout=60)
    except (ValueError, RecursionError):
        raise
    except Exception:  # no processes here, or the worker died: parse in this thread after all
        _pool = None
        return parse_and_cut(raw, keep)
