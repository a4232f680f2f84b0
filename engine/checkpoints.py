"""A timeline's checkpoints: compact copies of an experiment's state, ordered, bounded in count and bytes.

A checkpoint is the engine's state document (engine/state.py) without the parts every checkpoint of
one timeline shares (data, initial weights) or that a rewind rebuilds (history); the weights and the
momentum go as raw float64 bytes (exact, and eight bytes a number), the rest as compressed JSON.
Each is keyed by (events applied, step) — its place on the timeline — and has an id for storage.
Past MAX_CHECKPOINTS or MAX_BYTES the older half is thinned (at least two are always kept).
Not here: where checkpoints are taken and how a rewind replays from one (engine/timeline.py).
"""
from __future__ import annotations

import bisect
import json
import zlib

import numpy as np

from engine import state
from engine.experiment import Experiment
from engine.network import Parameters

MAX_CHECKPOINTS = 1024
MAX_BYTES = 2 * 2**20


class Checkpoints:
    def __init__(self, exp: Experiment):
        doc = state.to_dict(exp)
        self.arch, self.data, self.initial = exp.arch, doc["data"], doc["initial"]
        self.keys: list[tuple[int, int]] = []  # (events applied, step), in timeline order
        self.blobs: list[bytes] = []
        self.ids: list[int] = []
        self.bytes = self.next_id = 0
        self.added: dict[int, bytes] = {}  # not saved yet
        self.removed: set[int] = set()     # saved, dropped since
        self.reset = True                  # everything saved before is void

    def __len__(self) -> int:
        return len(self.keys)

    def latest(self, seq: int, step: int) -> int:
        """Index of the last checkpoint at or before (seq events applied, step), -1 if none."""
        return bisect.bisect_right(self.keys, (seq, step)) - 1

    def take(self, exp: Experiment, seq: int) -> None:
        doc = state.to_dict(exp, data=False)
        for key in ("history", "initial", "weights", "biases", "velocity"):
            del doc[key]
        meta = zlib.compress(json.dumps(doc, separators=(",", ":")).encode(), 1)
        blob = (len(meta).to_bytes(4, "little") + meta + exp.trainer.params.flat.tobytes()
                + exp.trainer.velocity.tobytes())
        i = bisect.bisect_right(self.keys, (seq, exp.trainer.step))
        self.keys.insert(i, (seq, exp.trainer.step))
        self.blobs.insert(i, blob)
        self.ids.insert(i, self.next_id)
        self.added[self.next_id] = blob
        self.next_id += 1
        self.bytes += len(blob)
        while len(self.keys) > MAX_CHECKPOINTS or (self.bytes > MAX_BYTES and len(self.keys) > 2):
            self.drop(range(1, max(len(self.keys) // 2, 2), 2))  # thin the older half

    def drop(self, indices) -> None:
        gone = set(indices)
        for i in gone:
            if self.added.pop(self.ids[i], None) is None:
                self.removed.add(self.ids[i])
        self.bytes -= sum(len(self.blobs[i]) for i in gone)
        keep = [i for i in range(len(self.keys)) if i not in gone]
        self.keys = [self.keys[i] for i in keep]
        self.blobs = [self.blobs[i] for i in keep]
        self.ids = [self.ids[i] for i in keep]

    def forget_first_event(self, data: dict | None = None) -> None:
        """The oldest event is forgotten: drop what only it could reach, renumber the rest; `data`:
        its points, when it was a data change (they are in force for every checkpoint left)."""
        self.drop([i for i, key in enumerate(self.keys) if key[0] == 0])
        self.data = data if data is not None else self.data
        self.keys = [(seq - 1, step) for seq, step in self.keys]

    def restore(self, i: int, data: dict | None = None) -> Experiment:
        """Checkpoint `i` as an experiment; `data`: the points in force then, if not the timeline's first."""
        blob = self.blobs[i]
        n = int.from_bytes(blob[:4], "little")
        doc = json.loads(zlib.decompress(blob[4:4 + n]))
        numbers = np.frombuffer(blob[4 + n:], dtype=np.float64)
        params = Parameters(self.arch, numbers[:len(numbers) // 2].copy())
        doc.update(data=self.data if data is None else data, initial=self.initial, history=[], velocity=numbers[len(numbers) // 2:].tolist(),
                   weights=[w.tolist() for w in params.weights], biases=[b.tolist() for b in params.biases])
        return state.from_dict(doc)

    # ---- saving: the app stores `to_dict` with the timeline and each blob by id -------------------
    def to_dict(self) -> dict:
        return {"keys": self.keys, "ids": self.ids, "next_id": self.next_id}

    def load(self, doc: dict, blobs: dict[int, bytes]) -> bool:
        """Take the saved checkpoints; False (and nothing changed) if they do not fit together."""
        try:
            ids, keys = [int(i) for i in doc["ids"]], [(int(a), int(b)) for a, b in doc["keys"]]
            if not ids or len(ids) != len(keys) or keys != sorted(keys) or any(i not in blobs for i in ids):
                return False
            next_id = int(doc["next_id"])
        except (KeyError, TypeError, ValueError):
            return False
        self.keys, self.ids, self.blobs, self.next_id = keys, ids, [blobs[i] for i in ids], next_id
        self.bytes, self.added, self.removed, self.reset = sum(map(len, self.blobs)), {}, set(), False
        return True

    def changes(self) -> dict:
        """What a save must write: everything anew (`reset`), or the blobs added and ids removed."""
        added = dict(zip(self.ids, self.blobs)) if self.reset else dict(self.added)
        return {"reset": self.reset, "added": added, "removed": set(self.removed)}

    def saved(self, change: dict) -> None:
        """`change` is on disk: forget it (a failed save keeps it for the next one)."""
        self.reset = self.reset and not change["reset"]
        for i in change["added"]:
            self.added.pop(i, None)
        self.removed -= change["removed"]
