"""The registry's saving: a change is saved before it answers, or undone.

A save is made in two halves so that it can be written elsewhere: `pending_save` encodes it under
the network's lock, and `saved` records, once the store holds it, what the next save starts from
(history rows, rewind checkpoints, the points). `_save_locked` does both around a write of its own;
app.quickstep hands the encoded save to the writer thread (app.savequeue) in between.
A change whose save fails is undone (`change`, `undo`): the network is put back as it was before
the change and the request answers 503, so a retry never applies a step twice.
`Saving` is mixed into `Registry` (app.sessions), whose `store` it uses.
"""
from __future__ import annotations

import time
from typing import Any, Callable, NamedTuple

from app.budgets import footprint
from app.store import Save, StoreError
from engine import state as engine_state
from engine.datasets import Dataset
from engine.experiment import Experiment
from engine.timeline import Timeline

MEASURE_EVERY = 5.0  # seconds: walking a network for its footprint costs more than saving it


def timeline_change(exp: Experiment) -> dict:
    """What a save writes of the rewind timeline: its document and the checkpoints that changed."""
    return {"meta": exp.timeline.to_dict(), **exp.timeline.checkpoints.changes()}


def snapshot(exp: Experiment) -> tuple[dict, Dataset]:
    """`exp` as it is now, unaffected by later changes: its document without the points (the lists
    the engine changes in place are copied) and its dataset, which never changes in place."""
    doc = engine_state.to_dict(exp, data=False)
    return {**doc, "config": dict(doc["config"]), "history": list(doc["history"])}, exp.dataset


class PendingSave(NamedTuple):
    """A save on its way to the store, and what `Registry.saved` needs once it is there."""
    save: Save
    timeline: dict
    points: Dataset
    seq: int
    started: float


class Saving:
    def change(self, session, work: Callable[[Any], Any]) -> Any:
        """`work(session)` then save, all or nothing; call with `session.lock` held. If the save
        fails, the network is put back as it was before `work` and the StoreError (503) is raised."""
        before = snapshot(session.exp)
        result = work(session)
        try:
            self._save_locked(session)
        except StoreError:
            self.undo(session, before)
            raise
        return result

    def undo(self, session, before: tuple[dict, Dataset]) -> None:
        """Put `session` back as `snapshot` found it (its change could not be saved)."""
        doc, dataset = before
        session.exp = engine_state.from_dict({**doc, "data": dataset.to_dict()})
        session.exp.timeline = Timeline(session.exp)  # the old one recorded the undone change

    def _save_locked(self, session) -> None:
        if session.deleted:
            return
        pending = self.pending_save(session)
        self.store.write([pending.save])
        self.saved(session, pending)

    def pending_save(self, session) -> "PendingSave":
        """`session`'s save, encoded (call with its lock held, and keep it until `saved`)."""
        started = time.monotonic()
        timeline = timeline_change(session.exp)
        new_data = session.data_changed or session.exp.dataset is not session.saved_points
        save = Save.of(session.id, engine_state.to_dict(session.exp, data=new_data), session.history_change(),
                       include_data=False, timeline=timeline, new_data=new_data)
        return PendingSave(save, timeline, session.exp.dataset, session.exp.history.seq, started)

    def saved(self, session, pending: "PendingSave") -> None:
        """The store holds `pending` now: what the next save writes starts from here."""
        session.data_changed = False
        session.saved_points = pending.points
        session.stored_seq = pending.seq
        session.exp.timeline.checkpoints.saved(pending.timeline)
        session.dirty = False
        session.saved_at = time.monotonic()
        session.save_seconds = session.saved_at - pending.started  # a step keeps this much of its budget back
        if session.saved_at - session.measured_at >= MEASURE_EVERY:  # for the memory budget (over_budget)
            session.bytes, session.measured_at = footprint(session.exp), session.saved_at
