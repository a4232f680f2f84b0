"""An experiment's timeline: rewind to any earlier step and phase, bit for bit, in bounded memory.

A rewind rebuilds the experiment from the nearest earlier checkpoint (the engine's state document,
engine/state.py) and replays training from there. Training is deterministic, so the replay lands on
exactly the weights, optimiser state, random generator, epoch order and phase cursor of that moment.
Changes made on the way (hyperparameters, weight and bias edits) are events stored with the position
(step, phase) they were made at and replayed there, so rewinding before one restores what was in force
then. After a rewind the old future is kept: stepping forward re-applies its events where they
happened and retraces it exactly, and a rewind may go forward again up to the newest point. A change
made behind the newest point starts a new branch and drops the old future.

A position is visited more than once when an edit restarts the iteration in progress; a rewind goes
to its last visit, the state the user last saw there.

Bounds: checkpoints are spaced so a replay between two costs about REPLAY_BUDGET modelled
microseconds; at most MAX_CHECKPOINTS and MAX_BYTES of them are kept (older ones are thinned, so the
far past replays longer) and at most MAX_EVENTS events (older ones are forgotten, and the earliest
reachable step moves forward). Not here: storage (`to_dict` and the checkpoint blobs are saved by the
app), clocks and locking. A reset starts a new timeline; a data change does too, unrecorded.
"""
from __future__ import annotations

import bisect
import json
import zlib

import numpy as np

from engine import state
from engine.errors import EngineError
from engine.experiment import Experiment
from engine.network import Parameters

REPLAY_BUDGET = 40_000   # modelled µs of replay between checkpoints (bench/timeline.py measures it)
PHASE_COST = 7.0         # modelled µs a phase: NumPy's call overhead dominates small networks
ROW_PARAM_COST = 0.0002  # modelled µs per batch row and parameter
MAX_CHECKPOINTS = 1024
MAX_BYTES = 2 * 2**20    # of checkpoints; at least two are always kept
MAX_EVENTS = 256


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
}


class Timeline:
    """Attach with `exp.timeline = Timeline(exp)`; the experiment reports its stops and changes."""

    def __init__(self, exp: Experiment):
        self.start(exp)

    def start(self, exp: Experiment) -> None:
        """Begin anew at `exp`'s present (a new network, a reset, a data change)."""
        self.events: list[dict] = []  # {"step", "phase", "kind", "change", "after": [step, phase]}
        self.applied = 0              # events in force in the live experiment
        self.keys: list[tuple[int, int]] = []  # (events applied, step) of each checkpoint, in order
        self.blobs: list[bytes] = []
        self.ids: list[int] = []
        self.bytes = 0
        self.next_id = 0
        self.added: dict[int, bytes] = {}  # checkpoints not saved yet, and ids dropped since
        self.removed: set[int] = set()
        self.reset = True                  # everything saved before is void
        self.end = position(exp)
        self.furthest: list[dict] | None = None  # the history at the newest point, while behind it
        self.replaying = 0
        self.dataset, self.arch = exp.dataset, exp.arch
        self.spacing = spacing(exp)
        self.initial = self.data = None
        self._checkpoint(exp)

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
            i = self._latest(self.applied, step)
            if i < 0 or (step - self.keys[i][1] >= self.spacing and self.keys[i] != (self.applied, step)):
                self._checkpoint(exp)

    def run(self, exp: Experiment, iterations: int) -> int | None:
        """`Trainer.run` that stops at every event of the old future and every due checkpoint."""
        tr = exp.trainer
        target = tr.step + iterations  # a partial iteration in progress counts as one
        self.arrive(exp)
        while tr.step < target:
            i = self._latest(self.applied, tr.step)
            due = self.keys[i][1] + self.spacing if i >= 0 else tr.step
            stop = min((target, 0), (max(due, tr.step + 1), 0))
            if self.applied < len(self.events):
                stop = min(stop, self._at(self.applied))
            bad = self._go(tr, stop)
            if bad is not None:
                return bad
            self.arrive(exp)
        return None

    def note(self, exp: Experiment, kind: str, change: dict, at: tuple[int, int]) -> None:
        """A change made at position `at`: drop the old future, record it as an event."""
        if self.replaying:
            return
        if exp.dataset is not self.dataset:
            return self.start(exp)
        self._branch(at)
        self.events.append({"step": at[0], "phase": at[1], "kind": kind, "change": change,
                            "after": list(position(exp))})
        self.applied += 1
        self.end = position(exp)
        if len(self.events) > MAX_EVENTS:  # forget the oldest event and what only it could reach
            self.events.pop(0)
            self.applied -= 1
            self._drop([i for i, key in enumerate(self.keys) if key[0] == 0])
            self.keys = [(seq - 1, step) for seq, step in self.keys]
            self.reset = True
            if not self.keys:
                self._checkpoint(exp)

    def _branch(self, at: tuple[int, int]) -> None:
        """Drop the old future beyond position `at`."""
        del self.events[self.applied:]
        self._drop(range(bisect.bisect_right(self.keys, (self.applied, at[0])), len(self.keys)))
        self.furthest = None

    # ---- rewinding -------------------------------------------------------------------------------
    def bounds(self) -> dict:
        return {"first": self.keys[0][1], "newest": {"step": self.end[0], "phase": self.end[1]},
                "spacing": self.spacing, "checkpoints": len(self.keys), "bytes": self.bytes,
                "events": [{k: e[k] for k in ("step", "phase", "kind", "change")} for e in self.events]}

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
        i = self._latest(seg, step) if seg is not None else -1
        if i < 0:
            raise EngineError(f"this network's timeline starts at step {self.keys[0][1]}: older steps were "
                             f"dropped to keep its memory bounded")
        live = exp.history
        if self.furthest is None or (live and live[-1]["step"] >= self.furthest[-1]["step"]):
            self.furthest = list(live)
        new = self._restore(i)
        self.applied = self.keys[i][0]
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
        for j in range(len(self.events), self.keys[0][0] - 1, -1):
            start = tuple(self.events[j - 1]["after"]) if j else (0, 0)
            if j == self.keys[0][0]:
                start = max(start, (self.keys[0][1], 0))
            end = self._at(j) if j < len(self.events) else self.end
            if start <= target <= end:
                return j
        return None

    # ---- helpers ---------------------------------------------------------------------------------
    def _at(self, index: int) -> tuple[int, int]:
        return self.events[index]["step"], self.events[index]["phase"]

    def _latest(self, seq: int, step: int) -> int:
        """Index of the last checkpoint at or before (seq events applied, step), -1 if none."""
        return bisect.bisect_right(self.keys, (seq, step)) - 1

    def _apply(self, exp: Experiment, event: dict) -> None:
        self.replaying += 1
        try:
            APPLY[event["kind"]](exp, event["change"])
        finally:
            self.replaying -= 1
        self.applied += 1

    @staticmethod
    def _go(tr, stop: tuple[int, int]) -> int | None:
        """Train forward to position `stop`; returns the diverging step, if any."""
        if tr.step < stop[0]:
            bad = tr.run(stop[0] - tr.step)
            if bad is not None:
                return bad
        while tr.cursor < stop[1]:
            tr.advance_phase()
        return None

    def _checkpoint(self, exp: Experiment) -> None:
        doc = state.to_dict(exp)
        if self.initial is None:
            self.initial, self.data = doc["initial"], doc["data"]
        for key in ("data", "history", "initial", "weights", "biases", "velocity"):
            del doc[key]
        meta = zlib.compress(json.dumps(doc, separators=(",", ":")).encode(), 1)
        blob = (len(meta).to_bytes(4, "little") + meta + exp.trainer.params.flat.tobytes()
                + exp.trainer.velocity.tobytes())
        i = bisect.bisect_right(self.keys, (self.applied, exp.trainer.step))
        self.keys.insert(i, (self.applied, exp.trainer.step))
        self.blobs.insert(i, blob)
        self.ids.insert(i, self.next_id)
        self.added[self.next_id] = blob
        self.bytes += len(blob)
        self.next_id += 1
        while len(self.keys) > MAX_CHECKPOINTS or (self.bytes > MAX_BYTES and len(self.keys) > 2):
            self._drop(range(1, max(len(self.keys) // 2, 2), 2))  # thin the older half

    def _drop(self, indices) -> None:
        gone = set(indices)
        for i in gone:
            if self.added.pop(self.ids[i], None) is None:
                self.removed.add(self.ids[i])
        self.bytes -= sum(len(self.blobs[i]) for i in gone)
        keep = [i for i in range(len(self.keys)) if i not in gone]
        self.keys = [self.keys[i] for i in keep]
        self.blobs = [self.blobs[i] for i in keep]
        self.ids = [self.ids[i] for i in keep]

    def _restore(self, i: int) -> Experiment:
        blob = self.blobs[i]
        n = int.from_bytes(blob[:4], "little")
        doc = json.loads(zlib.decompress(blob[4:4 + n]))
        numbers = np.frombuffer(blob[4 + n:], dtype=np.float64)
        params = Parameters(self.arch, numbers[:len(numbers) // 2].copy())
        doc.update(data=self.data, initial=self.initial, history=[], velocity=numbers[len(numbers) // 2:].tolist(),
                   weights=[w.tolist() for w in params.weights], biases=[b.tolist() for b in params.biases])
        return state.from_dict(doc)
