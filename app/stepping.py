"""A step request run in a few equal chunks: it stops at its time budget and keeps an even history.

The engine records up to `HISTORY_POINTS` evenly spaced history entries within each `advance` call,
each costing a pass over the whole dataset. So a request makes few calls, of one size, and its loss
chart is evenly spaced (chunks that doubled gave a dense start and a sparse end). Probes measure
the costs (one iteration, then one history gap or one metrics pass: `_equal`); the rest is cut into
equal chunks of about `CHUNK_SECONDS` each (longer when recording history is slow, so it stays at
most half a call; at most `MAX_CALLS`), so the clock is checked often enough.
A request that runs out of time returns what it did and says so in `stopped_early`.
Epochs are run as the iterations they contain (the engine counts them the same way). Phases run
in calls that double while they stay short, so a phase-by-phase request meets its budget too.
Before each chunk the cost per unit measured so far says how much fits before the deadline, which
keeps back time for the save and the answer (`reserve`): a request ends within its budget, give or take
the misestimate of one chunk. Both kinds share one loop (`_chunks`); only the planning differs.
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
RESERVE_SHARE = 0.05  # of the budget at least, kept for saving and answering after the last chunk


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


def step(exp: Experiment, by: str, count: int, trace: bool, s: Settings, reserve: float = 0.0) -> dict:
    """Advance `exp`; returns {"trace": records or None, "done": units advanced, "stopped_early": str|None}.
    `reserve`: seconds kept back from the budget for what the request does after stepping (its save
    and answer); at least `RESERVE_SHARE` of the budget."""
    limits.check_step(exp, by, count, trace, s)
    budget = s.step_time_budget
    deadline = time.monotonic() + budget - min(max(reserve, RESERVE_SHARE * budget), budget / 2)
    chunk_seconds = min(CHUNK_SECONDS, budget / 5)
    tr = exp.trainer
    begin = tr.step * len(tr.phases) + tr.cursor if by == "phase" else tr.step if by == "iteration" else tr.epoch
    if by == "phase":
        records, ran, late = _chunks(exp, "phase", count, trace, deadline, _doubling(chunk_seconds))
        done = tr.step * len(tr.phases) + tr.cursor - begin
    else:
        total = iterations_for(exp, by, count)
        records, ran, late = _chunks(exp, "iteration", total, trace, deadline, _equal(exp, total, chunk_seconds))
        done = (tr.step if by == "iteration" else tr.epoch) - begin
    stopped = (f"stopped after {done} of {count} {by}s: the request used its {budget:g} s time budget "
               f"(step_time_budget); send another step request for the rest") if late else None
    return {"trace": records, "done": done, "stopped_early": stopped or _diverged(exp, done, count, by)}


def _chunks(exp: Experiment, by: str, total: int, trace: bool, deadline: float, replan) -> tuple:
    """Advance `total` units (`by` phase or iteration) in chunks of `replan(ran, n, seconds)`; before each
    chunk, cut it to what the cost per unit measured so far says fits before `deadline`, and stop when not
    even one unit fits. Returns (trace records or None, units run, whether time ran out first)."""
    records: list | None = [] if trace else None
    ran, chunk, per_unit = 0, 1, 0.0
    while ran < total:
        now = time.monotonic()
        n = min(chunk, total - ran)
        if per_unit:
            n = min(n, int((deadline - now) / per_unit))
            if n < 1:
                return records, ran, True
        new = exp.advance(by=by, count=n, trace=trace)
        if trace:
            records.extend(new)
        ran += n
        if exp.diverged:
            break
        seconds = time.monotonic() - now
        per_unit = seconds / n
        chunk = replan(ran, n, seconds)
    return records, ran, False


def _equal(exp: Experiment, total: int, chunk_seconds: float):
    """Iterations: a probe of one, then equal chunks (`equal_chunk`), planned again when far too slow.
    A call costs its iterations plus a fixed part (its history entry, the engine's bookkeeping), and
    for a small network the fixed part is many iterations' worth: one probe cannot tell them apart,
    and overestimated iterations meant several calls, each with its own hundred entries. So when it
    is cheap, a second probe of one history gap follows, and the two measure both parts."""
    first = None  # the first probe's seconds, until the second probe answers

    def replan(ran: int, n: int, seconds: float) -> int:
        nonlocal chunk, first
        if ran == 1 and total > 1 + HISTORY_MIN_GAP and HISTORY_MIN_GAP * seconds < chunk_seconds / 2:
            first, chunk = seconds, HISTORY_MIN_GAP
        elif ran == 1 and total > 1:  # a request of one iteration needs no plan (nor the probe's metrics pass)
            chunk = equal_chunk(total - ran, *probe_costs(exp, seconds), chunk_seconds)
        elif first is not None:  # the second probe (cut short only by the deadline)
            one, first = first, None
            per_iteration = max((seconds - one) / (n - 1), seconds / n / 20) if n > 1 else seconds
            chunk = equal_chunk(total - ran, per_iteration, max(one - per_iteration, 0.0), chunk_seconds)
        elif seconds > 2 * chunk_seconds:
            chunk = equal_chunk(total - ran, seconds / n, 0.0, chunk_seconds)
        return chunk
    chunk = 1
    return replan


def _doubling(chunk_seconds: float):
    """Phases: calls of 1, 2, 4, … phases, doubling while a call takes under half of `chunk_seconds`."""
    def replan(ran: int, n: int, seconds: float) -> int:
        if seconds < chunk_seconds / 2:
            return 2 * n
        return max(1, n // 2) if seconds > chunk_seconds else n
    return replan


def _diverged(exp: Experiment, done: int, count: int, by: str) -> str | None:
    """Why a request that diverged did less than asked, or None."""
    if not exp.diverged or done >= count:
        return None
    return f"stopped after {done} of {count} {by}s: {exp.diverged['reason']}"
