"""An experiment's timeline: rewind to any earlier step and phase, bit for bit, in bounded memory.

A rewind rebuilds the experiment from the nearest earlier checkpoint (the engine's state document,
engine/state.py) and replays training from there. Training is deterministic, so the replay lands on
exactly the weights, optimiser state, random generator, epoch order and phase cursor of that moment.
Changes made on the way (hyperparameters, weight and bias edits, new points) are events stored with
the position (step, phase) they were made at and replayed there, so rewinding before one restores what
was in force then (a checkpoint is restored with the points in force when it was taken). After a rewind the old future is kept: stepping forward re-applies its events where they
happened and retraces it exactly, and a rewind may go forward again up to the newest point. A change
made behind the newest point starts a new branch and drops the old future.

A position is visited more than once when an edit restarts the iteration in progress; a rewind goes
to its last visit, the state the user last saw there.

Bounds: checkpoints are spaced so a replay between two costs about REPLAY_BUDGET modelled
microseconds; engine/checkpoints.py bounds their count and bytes (older ones are thinned, so the
far past replays longer) and at most MAX_EVENTS events (older ones are forgotten, and the earliest
reachable step moves forward; likewise past MAX_DATA_EVENTS data changes, which hold their points).
Not here: storage (`to_dict` and the checkpoint blobs are saved by the app), clocks and locking. A reset
starts a new timeline.
"""
from __future__ import annotations

from engine.checkpoints import Checkpoints
from engine.errors import EngineError
from engine.experiment import Experiment
from engine.userdata import replace_data

REPLAY_BUDGET = 40_000   # modelled µs of replay between checkpoints (bench/timeline.py measures it)
PHASE_COST = 7.0         # modelled µs a phase: NumPy's call overhead dominates small networks
ROW_PARAM_COST = 0.0002  # modelled µs per batch row and parameter
MAX_EVENTS = 256
MAX_DATA_EVENTS = 8


def position(exp: Experiment) -> tuple[int, int]:
    return exp.trainer.step, exp.trainer.cursor


def spacing(exp: Experiment) -> int:
    """Iterations between checkpoints: what a replay can redo within REPLAY_BUDGET."""
    tr = exp.trainer
    cost = PHASE_COST * len(tr.phases) + ROW_PARAM_COST * min(tr.hyper.batch_size, tr.n) * exp.arch.n_params()
    return max(1, int(REPLAY_BUDGET / cost))


APPLY = {
    "hyperparameters": lambda exp, change: exp.set_hyperparameters(**change),
    "parameter": lambda exp, change: exp.set_parameter(change["id"], change["value"]),
    "data": replace_data,
}


def _shown(event: dict) -> dict:
    """An event's change as `bounds` lists it: a data change by its size, not its points."""
    if event["kind"] != "data":
        return event["change"]
    data = event["change"]["data"]
    return {"dataset": event["change"]["spec"], "n_train": len(data["x_train"]), "n_test": len(data["x_test"])}


class Timeline:
    """Attach with `exp.timeline = Timeline(exp)`; the experiment reports its stops and changes."""

    def __init__(self, exp: Experiment):
        self.start(exp)

    def start(self, exp: Experiment) -> None:
        """Begin anew at `exp`'s present (a new network, a reset, a data change)."""
        self.events: list[dict] = []  # {"step", "phase", "kind", "change", "after": [step, phase]}
        self.applied = 0              # events in force in the live experiment
        self.end = position(exp)
        self.furthest: list[dict] | None = None  # the history at the newest point, while behind it
        self.replaying = 0
        self.dataset = exp.dataset
        self.spacing = spacing(exp)
        self.checkpoints = Checkpoints(exp)
        self.checkpoints.take(exp, 0)

    # ---- saving (the app stores `to_dict`, and the checkpoints' blobs by id) ------------------------
    def to_dict(self) -> dict:
        doc = {"events": self.events, "applied": self.applied, "end": self.end, "spacing": self.spacing,
               "checkpoints": self.checkpoints.to_dict()}
        if any(e["kind"] == "data" for e in self.events):  # the points before the first data change
            doc["data"] = self.checkpoints.data
        return doc

    @classmethod
    def from_dict(cls, exp: Experiment, doc: dict, blobs: dict[int, bytes]) -> "Timeline":
        """The saved timeline of `exp` (as just loaded), or a new one from now if it does not fit."""
        tl = cls(exp)
        try:
            events, applied, end, gap = list(doc["events"]), int(doc["applied"]), tuple(doc["end"]), int(doc["spacing"])
            fits = (0 <= applied <= len(events) and all(e["kind"] in APPLY for e in events)
                    and position(exp) <= max([end] + [(e["step"], e["phase"]) for e in events]))
        except (KeyError, TypeError, ValueError):
            fits = False
        if fits and tl.checkpoints.load(doc["checkpoints"], blobs):
            tl.events, tl.applied, tl.end, tl.spacing = events, applied, end, gap
            tl.checkpoints.data = doc.get("data", tl.checkpoints.data)
        return tl

    # ---- what the experiment calls ---------------------------------------------------------------
    def arrive(self, exp: Experiment) -> None:
        """At every stop: apply the old future's events due here, take a due checkpoint, move the end."""
        if self.replaying:
            return
        if exp.dataset is not self.dataset:
            return self.start(exp)
        while self.applied < len(self.events) and self._at(self.applied) == position(exp):
            self._apply(exp, self.events[self.applied])
        if self.applied < len(self.events) and self._at(self.applied) < position(exp):
            self._branch(position(exp))  # moved past an event without it (cannot happen): keep the present
        step, cursor = position(exp)
        if self.applied == len(self.events):
            self.end = max(self.end, (step, cursor))
        if cursor == 0:
            keys = self.checkpoints.keys
            i = self.checkpoints.latest(self.applied, step)
            if i < 0 or (step - keys[i][1] >= self.spacing and keys[i] != (self.applied, step)):
                self.checkpoints.take(exp, self.applied)

    def run(self, exp: Experiment, iterations: int, climb=None) -> int | None:
        """`Trainer.run` (`climb` as there) that stops at every event of the old future and every due checkpoint."""
        target = exp.trainer.step + iterations  # a partial iteration in progress counts as one
        self.arrive(exp)
        while (tr := exp.trainer).step < target:  # a data change replayed here gives exp a new trainer
            i = self.checkpoints.latest(self.applied, tr.step)
            due = self.checkpoints.keys[i][1] + self.spacing if i >= 0 else tr.step
            stop = min((target, 0), (max(due, tr.step + 1), 0))
            if self.applied < len(self.events):
                stop = min(stop, self._at(self.applied))
            bad = self._go(tr, stop, climb)
            if bad is not None:
                return bad
            self.arrive(exp)
        return None

    def note(self, exp: Experiment, kind: str, change: dict, at: tuple[int, int]) -> None:
        """A change made at position `at`: drop the old future, record it as an event."""
        if self.replaying:
            return
        if kind == "data":
            self.dataset = exp.dataset
        elif exp.dataset is not self.dataset:
            return self.start(exp)
        self._branch(at)
        self.events.append({"step": at[0], "phase": at[1], "kind": kind, "change": change,
                            "after": list(position(exp))})
        self.applied += 1
        self.end = position(exp)
        # Forget the oldest events, and what only they could reach, past the bounds.
        while len(self.events) > MAX_EVENTS or sum(e["kind"] == "data" for e in self.events) > MAX_DATA_EVENTS:
            first = self.events.pop(0)
            self.applied -= 1
            self.checkpoints.forget_first_event(first["change"]["data"] if first["kind"] == "data" else None)
            if not len(self.checkpoints):
                self.checkpoints.take(exp, self.applied)

    def _branch(self, at: tuple[int, int]) -> None:
        """Drop the old future beyond position `at`."""
        del self.events[self.applied:]
        cps = self.checkpoints
        cps.drop(range(cps.latest(self.applied, at[0]) + 1, len(cps)))
        self.furthest = None

    # ---- rewinding -------------------------------------------------------------------------------
    def bounds(self) -> dict:
        cps = self.checkpoints
        return {"first": cps.keys[0][1], "newest": {"step": self.end[0], "phase": self.end[1]},
                "spacing": self.spacing, "checkpoints": len(cps), "bytes": cps.bytes,
                "events": [{k: e[k] for k in ("step", "phase", "kind")} | {"change": _shown(e)} for e in self.events]}

    def rewind(self, exp: Experiment, step: int, phase: int = 0) -> Experiment:
        """A new experiment, attached to this timeline, exactly as `exp` was at (step, phase)."""
        phases = len(exp.trainer.phases)
        if not 0 <= phase < phases:
            raise EngineError(f"phase must be from 0 to {phases - 1} (the phases of one iteration), got {phase}")
        target = (step, phase)
        newest = max([self.end] + [self._at(j) for j in range(len(self.events))])
        if target > newest:
            raise EngineError(f"step {step} phase {phase} is after the newest point of this network's "
                             f"timeline (step {newest[0]} phase {newest[1]})")
        seg = self._segment(target)
        i = self.checkpoints.latest(seg, step) if seg is not None else -1
        if i < 0:
            raise EngineError(f"this network's timeline starts at step {self.checkpoints.keys[0][1]}: older steps were "
                             f"dropped to keep its memory bounded")
        live = exp.history
        if self.furthest is None or (live and live[-1]["step"] >= self.furthest[-1]["step"]):
            self.furthest = list(live)
        self.applied = self.checkpoints.keys[i][0]
        data = [e["change"]["data"] for e in self.events[:self.applied] if e["kind"] == "data"]
        new = self.checkpoints.restore(i, data[-1] if data else None)
        self.replaying += 1
        try:
            while True:
                while self.applied < seg and self._at(self.applied) == position(new):
                    self._apply(new, self.events[self.applied])
                if self.applied == seg and position(new) == target:
                    break
                stop = self._at(self.applied) if self.applied < seg else target
                if self._go(new.trainer, stop) is not None:
                    raise RuntimeError("the replay diverged where the original did not")
        finally:
            self.replaying -= 1
        new.history = [e for e in self.furthest if e["step"] < step]
        new.record_history()
        new.timeline, self.dataset = self, new.dataset
        return new

    def preview(self, exp: Experiment, step: int, phase: int = 0) -> Experiment:
        """The experiment at (step, phase), detached: neither the timeline nor `exp` changes."""
        kept = self.applied, self.furthest, self.dataset
        try:
            new = self.rewind(exp, step, phase)
        finally:
            self.applied, self.furthest, self.dataset = kept
        new.timeline = None
        return new

    def _segment(self, target: tuple[int, int]) -> int | None:
        """How many events were in force at the last visit of `target` (None: before the first)."""
        first = self.checkpoints.keys[0]
        for j in range(len(self.events), first[0] - 1, -1):
            start = tuple(self.events[j - 1]["after"]) if j else (0, 0)
            if j == first[0]:
                start = max(start, (first[1], 0))
            end = self._at(j) if j < len(self.events) else self.end
            if start <= target <= end:
                return j
        return None

    # ---- helpers ---------------------------------------------------------------------------------
    def _at(self, index: int) -> tuple[int, int]:
        return self.events[index]["step"], self.events[index]["phase"]

    def _apply(self, exp: Experiment, event: dict) -> None:
        self.replaying += 1
        try:
            APPLY[event["kind"]](exp, event["change"])
        finally:
            self.replaying -= 1
        self.applied += 1
        self.dataset = exp.dataset

    @staticmethod
    def _go(tr, stop: tuple[int, int], climb=None) -> int | None:
        """Train forward to position `stop`; returns the diverging step, if any."""
        if tr.step < stop[0]:
            bad = tr.run(stop[0] - tr.step, climb)
            if bad is not None:
                return bad
        while tr.cursor < stop[1]:
            tr.advance_phase()
        return None
