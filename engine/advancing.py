"""How one advance of an experiment is carried out: phase by phase, in traced iterations, or in
fast untraced segments with history entries recorded on the way.

Experiment.advance checks the request and owns divergence and history; this module only decides how
the work is cut up, so a long call and many short ones train (and record) identically. It leaves
time budgets to the app (app/stepping.py), which calls `Experiment.advance` in chunks.
"""
from __future__ import annotations


from engine.tracing import traced_phase

HISTORY_POINTS = 100  # history entries recorded within one long advance, at most
HISTORY_MIN_GAP = 50  # …and at least this many iterations apart: each costs a pass over the data


def advance(exp, by: str, count: int, trace: bool) -> list[dict] | None:
    """Run `count` units of `by` on `exp` (checked by Experiment.advance); the phase records when `trace`."""
    tr, records = exp.trainer, ([] if trace else None)
    if by == "phase":
        for _ in range(count):
            if not _one_phase(exp, records):
                break
    else:
        iterations = count if by == "iteration" else _iterations_for_epochs(exp, count)
        # A long advance records up to HISTORY_POINTS evenly spaced history entries on the way,
        # so a loss chart of one big request is not a single jump.
        segment = max(HISTORY_MIN_GAP, -(-iterations // HISTORY_POINTS))
        # Training that breaks down records each step of its last few (trainer.CHECK_EVERY at most),
        # so the charts show the loss and gradient norms climbing to the breakdown, not one jump.
        climb = lambda: exp.record_history(check_loss=False)  # noqa: E731
        done = 0
        while done < iterations and not exp.diverged:
            n = min(segment, iterations - done)
            if trace:
                _traced_iterations(exp, n, records)
            else:
                exp.last_trace = {}
                bad = tr.run(n, climb) if exp.timeline is None else exp.timeline.run(exp, n, climb)
                if bad is not None:
                    exp.mark_diverged(bad, tr.failure or "the weights overflowed to infinity or NaN")
            done += n
            if done < iterations and not exp.diverged:
                exp.record_history(check_loss=False)
    return records


def _iterations_for_epochs(exp, epochs: int) -> int:
    tr = exp.trainer
    first = tr.iterations_left_in_epoch()
    per_epoch = -(-tr.n // tr.hyper.batch_size)
    return first + (epochs - 1) * per_epoch


def _traced_iterations(exp, iterations: int, records: list) -> None:
    target = exp.trainer.step + iterations
    while exp.trainer.step < target and _one_phase(exp, records):
        pass


def _one_phase(exp, records: list | None) -> bool:
    """Advance one phase (traced when `records` is a list); False once training diverged."""
    tr = exp.trainer
    name, layer = tr.phases[tr.cursor]
    snapshot = tr.snapshot() if name == "update" else None
    if records is None:
        tr.advance_phase()
        exp.last_trace = {}
        new = []
    else:
        if tr.cursor == 0:
            exp.last_trace = {"step": tr.step, "records": {}}
        new = traced_phase(tr)
        records.extend(new)
        if exp.last_trace:
            for rec in new:
                exp.last_trace["records"][(rec["phase"], rec["layer"])] = rec
    if name == "update" and tr.broken():
        tr.restore(snapshot)
        exp.mark_diverged(tr.step + 1, tr.failure)
        return False
    if exp.timeline is not None:
        exp.timeline.arrive(exp)
    return True
