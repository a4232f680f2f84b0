"""A step request run in growing chunks, so it can stop at its time budget instead of hanging.

Chunks start at one unit and double while a chunk takes under a tenth of a second, so a cheap step
of 100,000 iterations runs in a few dozen engine calls and an expensive one still checks the clock
often. A request that runs out of time returns what it did and says so in `stopped_early`.
"""
from __future__ import annotations

import time

from app import limits
from app.settings import Settings
from engine.experiment import Experiment

CHUNK_SECONDS = 0.1


def step(exp: Experiment, by: str, count: int, trace: bool, s: Settings) -> dict:
    """Advance `exp`; returns {"trace": records or None, "done": units advanced, "stopped_early": str|None}."""
    limits.check_step(exp, by, count, trace, s)
    deadline = time.monotonic() + s.step_time_budget
    records: list | None = [] if trace else None
    done, chunk, stopped = 0, (count if by == "phase" else 1), None
    start = {"iteration": exp.trainer.step, "epoch": exp.trainer.epoch}
    while done < count:
        n = min(chunk, count - done)
        started = time.monotonic()
        new = exp.advance(by=by, count=n, trace=trace)
        if trace:
            records.extend(new)
        done = done + n if by == "phase" else (exp.trainer.step if by == "iteration" else exp.trainer.epoch) - start[by]
        if exp.diverged:
            break
        now = time.monotonic()
        if done < count and now >= deadline:
            stopped = (f"stopped after {done} of {count} {by}s: the request used its {s.step_time_budget:g} s "
                       f"time budget (step_time_budget); send another step request for the rest")
            break
        if now - started < CHUNK_SECONDS:
            chunk *= 2
    return {"trace": records, "done": done, "stopped_early": stopped}
