"""Time budgets for work that is not a step: a gradient check, and the live loop's frames.

A gradient check costs about the same for every parameter it checks, so a probe of a few
parameters tells how many fit the budget; a request for more checks that many and says so in
`limited`. A live frame runs as many iterations as fit `frame_time_budget`, measured on the frames
before it: the first frame runs one, later ones grow at most twofold a frame (so one fast frame
cannot make the next one long).
"""
from __future__ import annotations

import time
from collections import deque

import numpy as np

from engine.experiment import Experiment

PROBE_PARAMS = 8
BUDGET_SHARE = 0.8  # of what is left after the probe: the rest is margin
RATE_FRAMES = 30
MIN_TRAINING = 0.25  # of a frame's budget trains, however long its drawing takes
CLOCKED_STEPS = 16  # iterations costing more than 1/16 of a frame's training run one at a time


def gradcheck(exp: Experiment, samples: int, max_params: int, budget: float) -> dict:
    started = time.monotonic()
    probe = exp.gradcheck(samples=samples, max_params=min(PROBE_PARAMS, max_params))
    if max_params <= PROBE_PARAMS or probe["params_total"] <= PROBE_PARAMS:
        return {**probe, "limited": None}
    spent = time.monotonic() - started
    fits = int(PROBE_PARAMS * (budget - spent) * BUDGET_SHARE / max(spent, 1e-9))
    wanted = min(max_params, probe["params_total"])
    if fits >= wanted:
        return {**exp.gradcheck(samples=samples, max_params=max_params), "limited": None}
    out = exp.gradcheck(samples=samples, max_params=max(fits, PROBE_PARAMS))
    return {**out, "limited": f"checked {out['params_checked']} of the {wanted} parameters asked for: more "
                              f"would take longer than the {budget:g} s time budget (step_time_budget)"}


def footprint(exp) -> int:
    """Bytes of the NumPy arrays an experiment holds (its points, parameters, training and grid
    buffers), found a few attribute levels down: an estimate, not an accounting of every object."""
    seen: set[int] = set()
    total, stack = 0, [(exp, 0)]
    while stack:
        obj, depth = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, np.ndarray):
            total += obj.nbytes if obj.base is None else 0
        elif depth < 6:
            items = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, (list, tuple)) \
                else getattr(obj, "__dict__", {}).values()
            if isinstance(obj, list) and len(obj) > 64:
                continue  # history and the like: no arrays inside
            stack.extend((item, depth + 1) for item in items)
    return total


def over_budget(candidates: list, sessions, budget: int) -> int:
    """How many of `candidates` (least recently used first) must leave memory for all `sessions`
    to fit `budget` bytes, by each session's `bytes` (its footprint at its last save or load)."""
    total = sum(s.bytes for s in sessions)
    n = 0
    for victim in candidates:
        if total <= budget:
            break
        total -= victim.bytes
        n += 1
    return n


class FrameSteps:
    """What the next live frame trains, and the rate the frames really train at (iterations a
    second, over the last few seconds, fractional when frames run parts of an iteration).

    The budget covers the frame's training (a quarter of the budget at least) and its drawing (as
    long as the last one's); a checkpoint holds the network on its own (`app.hub.Channel._tick`).
    A frame runs whole iterations, `steps_per_frame` or as many as fit (the cost per iteration
    measured on the last frame), when one iteration fits with room to spare, one call for all of
    them when they are light and one at a time against the clock when one is a sizeable share of
    the budget (a busy machine can make them slower than measured); else it steps by phase (forward, loss, backward, update;
    engine/advancing.py), as many as fit by each phase's cost measured before, and at least one. So
    a frame outlasts the budget by one phase at most, however long one iteration takes: a pause, a
    request or a checkpoint waits about that long. The first frame steps by phase too (nothing is
    measured yet) and stops after one iteration; later frames of whole iterations grow at most
    twofold a frame (so one fast frame cannot make the next one long).
    """

    def __init__(self, budget: float):
        self.budget = budget
        self.next = 1
        self.seconds = 0.0  # the last frame's work
        self.per_step = 0.0  # seconds an iteration takes (0: not known yet)
        self.drawing = 0.0
        self.phase_cost: dict[int, float] = {}  # seconds each phase (by index) took when last run alone
        self.phases = 0  # phases the last frame ran when it stepped by phase (0: whole iterations)
        self._count = 1  # phases in one iteration
        self._ticks: deque[tuple[float, float]] = deque(maxlen=RATE_FRAMES)

    def train(self, exp: Experiment, steps_per_frame: int, go_on=lambda: True) -> int:
        """Train the next frame; returns the iterations completed. Heavy iterations and phases stop
        early once `go_on()` is false (a pause)."""
        allowance = max(self.budget - self.drawing, self.budget * MIN_TRAINING)
        step, started = exp.trainer.step, time.monotonic()
        share = BUDGET_SHARE if self.phases else 1.0  # back to whole iterations only with room to spare
        self._count, self.phases = len(exp.trainer.phases), 0
        if self.per_step and self.per_step <= allowance * share:
            self.next = max(1, min(int(allowance / self.per_step), self.next, steps_per_frame))
            if self.per_step * CLOCKED_STEPS < allowance:  # light: one call, no clock in between
                exp.advance(by="iteration", count=self.next)
                return exp.trainer.step - step
            for _ in range(self.next):
                exp.advance(by="iteration", count=1)
                spent = time.monotonic() - started
                if exp.diverged or not go_on() or spent + spent / (exp.trainer.step - step) > allowance:
                    break
            return exp.trainer.step - step
        while not exp.diverged:
            index = exp.trainer.cursor
            began = time.monotonic()
            exp.advance(by="phase")
            self.phase_cost[index] = time.monotonic() - began
            self.phases += 1
            guess = self.phase_cost.get(exp.trainer.cursor, sum(self.phase_cost.values()))
            if exp.trainer.step - step >= (steps_per_frame if self.per_step else 1) or not go_on() \
                    or time.monotonic() - started + guess > allowance:
                break
        return exp.trainer.step - step

    def ran(self, steps: int, seconds: float, training: float | None = None) -> None:
        """The frame ran `steps` iterations (and `phases`, when it stepped by phase) in `seconds` in
        all: `training` of them training (the rest drew it)."""
        training = seconds if training is None else training
        self.drawing = max(seconds - training, 0.0)
        if self.phases:  # an iteration costs its phases' costs, once every phase was measured
            self.per_step = sum(self.phase_cost.values()) if len(self.phase_cost) >= self._count else 0.0
            self.next = max(1, 2 * steps)
        else:
            self.per_step = training / max(steps, 1)
            fits = int(max(self.budget - self.drawing, 0.0) / max(self.per_step, 1e-9))
            self.next = max(1, min(fits, 2 * max(steps, 1)))
        self.seconds = seconds
        self._ticks.append((time.monotonic(), self.phases / self._count if self.phases else steps))

    def rate(self) -> float:
        """Iterations a second over the frames since the oldest one remembered."""
        if len(self._ticks) < 2:
            return 0.0
        (first, _), (last, _) = self._ticks[0], self._ticks[-1]
        steps = sum(n for _, n in list(self._ticks)[1:])
        return round(steps / max(last - first, 1e-9), 2)
