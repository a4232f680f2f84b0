"""Time bounds for tests on a shared, loaded machine (load average 5-15 happens).

A test that guards against a blocked event loop compares with a baseline it measures itself: the
same request while nothing else runs. `blocked_bound(baseline)` is several times that plus a fixed
allowance, far below the seconds a blocked loop costs (the work overlapping it lasts longer still,
which each test checks), so a loaded machine passes and the original failure still fails.
"""
from __future__ import annotations

import statistics
import time
from typing import Callable

FACTOR = 8
ALLOWANCE = 0.5  # seconds: a scheduler hiccup on a loaded machine; a blocked loop costs seconds


def idle_latency(call: Callable[[], object], tries: int = 9) -> float:
    """The median seconds `call()` takes while nothing else runs."""
    times = []
    for _ in range(tries):
        started = time.monotonic()
        call()
        times.append(time.monotonic() - started)
    return statistics.median(times)


def blocked_bound(baseline: float, work_seconds: float = 0.0) -> float:
    """The longest a request may take while other work runs, if that work leaves the loop free:
    several times its idle `baseline`, or half the `work_seconds` it overlapped when a loaded machine
    stretched that work (a loop blocked by the work waits about all of it)."""
    return max(ALLOWANCE + FACTOR * baseline, work_seconds / 2)
