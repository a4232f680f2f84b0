"""A step request run in a few equal chunks: it stops at its time budget and keeps an even history.

The engine records up to `HISTORY_POINTS` evenly spaced history entries within each `advance` call,
each costing a pass over the whole dataset. So a request makes few calls, of one size, and its loss
chart is evenly spaced (chunks that doubled gave a dense start and a sparse end). One probe
iteration and one metrics pass measure the costs; the rest is cut into equal chunks of about
`CHUNK_SECONDS` each (longer when recording history is slow, so it stays at most half a call;
at most `MAX_CALLS`), so the clock is checked often enough.
A request that runs out of time returns what it did and says so in `stopped_early`.
Epochs are run as the iterations they contain (the engine counts them the same way). Phases run
in calls that double while they stay short, so a phase-by-phase request meets its budget too.
Chunks are at most a fifth of the budget, so a request ends within about a fifth past it.
"""
from __future__ import annotations

import math
import time

from app import limits
from app.settings import Settings
from engine.advancing import HISTORY_MIN_GAP, HISTORY_POINTS
from engine.experiment import Experiment

CHUNK_SECONDS = 1.0
MAX_CALLS = 64
HISTORY_SHARE = 0.5   # a call spends at most about this share of its time recording history


def iterations_for(exp: Experiment, by: str, count: int) -> int:
    """Iterations in `count` iterations or epochs from here (a partial iteration counts as one)."""
    if by == "iteration":
        return count
    return exp.trainer.iterations_left_in_epoch() + (count - 1) * limits.iterations_per_epoch(exp)


def equal_chunk(left: int, per_iteration: float, per_entry: float, seconds: float = CHUNK_SECONDS) -> int:
    """The chunk size that splits `left` iterations into the fewest equal calls of about
    `CHUNK_SECONDS`, each call costing its iterations plus up to `HISTORY_POINTS` history entries.
    Rounded up to a whole number of the engine's history gaps, so entries stay evenly spaced across
    calls; the last call takes what is left."""
    history = min(left // HISTORY_MIN_GAP, HISTORY_POINTS) * per_entry
    training = max(seconds - history, history * (1 - HISTORY_SHARE) / HISTORY_SHARE)
    calls = min(max(1, math.ceil(left * per_iteration / training)), MAX_CALLS)
    chunk = math.ceil(left / calls)
    spacing = max(HISTORY_MIN_GAP, math.ceil(chunk / HISTORY_POINTS))  # the engine's gap in such a call
    return spacing * math.ceil(chunk / spacing)  # a whole number of gaps: no short one between calls


def probe_costs(exp: Experiment, seconds: float) -> tuple[float, float]:
    """(seconds an iteration, seconds a history entry) from a probe iteration that took `seconds`
    and recorded one entry. The iteration cost is kept at least a twentieth of the probe's, so
    timer noise cannot make it look free."""
    started = time.monotonic()
    exp.metrics()
    per_entry = time.monotonic() - started
    return max(seconds - per_entry, seconds / 20), per_entry


def step(exp: Experiment, by: str, count: int, trace: bool, s: Settings) -> dict:
    """Advance `exp`; returns {"trace": records or None, "done": units advanced, "stopped_early": str|None}."""
    limits.check_step(exp, by, count, trace, s)
    deadline = time.monotonic() + s.step_time_budget
    chunk_seconds = min(CHUNK_SECONDS, s.step_time_budget / 5)
    if by == "phase":
        return _phases(exp, count, trace, deadline, chunk_seconds, s)
    start = exp.trainer.step if by == "iteration" else exp.trainer.epoch
    total = iterations_for(exp, by, count)
    records: list | None = [] if trace else None
    ran, chunk, stopped = 0, 1, None
    while ran < total:
        n = min(chunk, total - ran)
        started = time.monotonic()
        new = exp.advance(by="iteration", count=n, trace=trace)
        if trace:
            records.extend(new)
        ran += n
        if exp.diverged:
            break
        now = time.monotonic()
        if ran < total and now >= deadline:
            done = (exp.trainer.step if by == "iteration" else exp.trainer.epoch) - start
            stopped = (f"stopped after {done} of {count} {by}s: the request used its {s.step_time_budget:g} s "
                       f"time budget (step_time_budget); send another step request for the rest")
            break
        if ran == 1 and ran < total:  # the probe ran: plan the rest
            chunk = equal_chunk(total - ran, *probe_costs(exp, now - started), chunk_seconds)
        elif now - started > 2 * chunk_seconds:  # far slower than planned: plan the rest again
            chunk = equal_chunk(total - ran, (now - started) / n, 0.0, chunk_seconds)
        chunk = min(chunk, max(1, int(n * (deadline - now) / max(now - started, 1e-9))))  # fits what is left
    done = (exp.trainer.step if by == "iteration" else exp.trainer.epoch) - start
    return {"trace": records, "done": done, "stopped_early": stopped or _diverged(exp, done, count, by)}


def _diverged(exp: Experiment, done: int, count: int, by: str) -> str | None:
    """Why a request that diverged did less than asked, or None."""
    if not exp.diverged or done >= count:
        return None
    return f"stopped after {done} of {count} {by}s: {exp.diverged['reason']}"


def _phases(exp: Experiment, count: int, trace: bool, deadline: float, chunk_seconds: float, s: Settings) -> dict:
    """`count` phases in calls of 1, 2, 4, … phases (doubling while a call takes under
    `chunk_seconds`), stopping at the deadline."""
    records: list | None = [] if trace else None
    tr = exp.trainer
    begin = tr.step * len(tr.phases) + tr.cursor
    done, chunk, stopped = 0, 1, None
    while done < count:
        n = min(chunk, count - done)
        started = time.monotonic()
        new = exp.advance(by="phase", count=n, trace=trace)
        if trace:
            records.extend(new)
        done += n
        if exp.diverged:
            done = tr.step * len(tr.phases) + tr.cursor - begin
            return {"trace": records, "done": done, "stopped_early": _diverged(exp, done, count, "phase")}
        now = time.monotonic()
        if done < count and now >= deadline:
            stopped = (f"stopped after {done} of {count} phases: the request used its {s.step_time_budget:g} s "
                       f"time budget (step_time_budget); send another step request for the rest")
            break
        if now - started < chunk_seconds / 2:
            chunk *= 2
        elif now - started > chunk_seconds:
            chunk = max(1, chunk // 2)
    return {"trace": records, "done": done, "stopped_early": stopped}
