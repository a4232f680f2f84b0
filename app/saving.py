"""The registry's saving: a change is saved before it answers, or undone.

A save is made in two halves so that it can be written elsewhere: `pending_save` encodes it under
the network's lock, and `saved` records, once the store holds it, what the next save starts from
(history rows, rewind checkpoints, the points). `_save_locked` does both around a write of its own;
app.quickstep hands the encoded save to the writer thread (app.savequeue) in between.
A change whose save fails is undone (`change`, `undo`): the network is put back as it was before
the change and the request answers 503, so a retry never applies a step twice. What it is put back
to is usually the last save itself (`UndoPoint`, kept by `saved`): a network unchanged since its
last save needs no second encoding before each change (`before`) for a failure that is rare.
`Saving` is mixed into `Registry` (app.sessions), whose `store` it uses.
"""
from __future__ import annotations

import time
from typing import Any, Callable, NamedTuple

import orjson

from app.budgets import footprint
from app.store import Save, StoreError
from engine import state as engine_state
from engine.datasets import Dataset
from engine.experiment import Experiment
from engine.timeline import Timeline

MEASURE_EVERY = 5.0  # seconds: walking a network for its footprint costs more than saving it
UNDO_POINT_BYTES = 64 * 1024  # a larger save is not kept for undoing: its changes cost far more anyway


def timeline_change(exp: Experiment) -> dict:
    """What a save writes of the rewind timeline: its document and the checkpoints that changed."""
    return {"meta": exp.timeline.to_dict(), **exp.timeline.checkpoints.changes()}


def snapshot(exp: Experiment) -> tuple[dict, Dataset]:
    """`exp` as it is now, unaffected by later changes: its document without the points (the lists
    the engine changes in place are copied) and its dataset, which never changes in place."""
    doc = engine_state.to_dict(exp, data=False)
    return {**doc, "config": dict(doc["config"]), "history": list(doc["history"])}, exp.dataset


def _mark(exp: Experiment) -> tuple:
    """What changes whenever the experiment changes: a step moves the trainer and records history,
    an edit in place counts itself (`edits`), anything else replaces the experiment."""
    return id(exp), exp.history.seq, exp.trainer.step, exp.trainer.cursor, exp.edits


class PendingSave(NamedTuple):
    """A save on its way to the store, and what `Registry.saved` needs once it is there."""
    save: Save
    timeline: dict
    points: Dataset
    seq: int
    started: float
    history: list  # the history's entries as saved: with `save.state_json`, the network as saved
    mark: tuple


class UndoPoint(NamedTuple):
    """A network as its last save wrote it: what a failed change puts back while `_mark` still
    matches (the experiment kept alive here so that its id cannot be reused meanwhile)."""
    exp: Experiment
    mark: tuple
    state_json: str
    history: list
    points: Dataset


class Saving:
    def change(self, session, work: Callable[[Any], Any]) -> Any:
        """`work(session)` then save, all or nothing; call with `session.lock` held. If the save
        fails, the network is put back as it was before `work` and the StoreError (503) is raised."""
        before = self.before(session)
        result = work(session)
        try:
            self._save_locked(session)
        except StoreError:
            self.undo(session, before)
            raise
        return result

    @staticmethod
    def before(session) -> "UndoPoint | tuple[dict, Dataset]":
        """What `undo` needs to put `session` back as it is now: its last save when nothing has
        changed since (no live play, which saves later, and the same `_mark`), else a `snapshot`."""
        point = session.undo_point
        if point is not None and not session.dirty and point.mark == _mark(session.exp):
            return point
        return snapshot(session.exp)

    def undo(self, session, before: "UndoPoint | tuple[dict, Dataset]") -> None:
        """Put `session` back as `before` found it (its change could not be saved)."""
        if isinstance(before, UndoPoint):
            doc, dataset = {**orjson.loads(before.state_json), "history": before.history}, before.points
        else:
            doc, dataset = before
        session.undo_point = None
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
        doc = engine_state.to_dict(session.exp, data=new_data)
        save = Save.of(session.id, doc, session.history_change(), include_data=False, timeline=timeline,
                       new_data=new_data)
        return PendingSave(save, timeline, session.exp.dataset, session.exp.history.seq, started,
                           doc["history"], _mark(session.exp))

    def saved(self, session, pending: "PendingSave") -> None:
        """The store holds `pending` now: what the next save writes starts from here."""
        session.data_changed = False
        session.saved_points = pending.points
        session.stored_seq = pending.seq
        session.exp.timeline.checkpoints.saved(pending.timeline)
        session.dirty = False
        session.saved_at = time.monotonic()
        session.save_seconds = session.saved_at - pending.started  # a step keeps this much of its budget back
        session.undo_point = UndoPoint(session.exp, pending.mark, pending.save.state_json, pending.history,
                                       pending.points) if len(pending.save.state_json) <= UNDO_POINT_BYTES else None
        if session.saved_at - session.measured_at >= MEASURE_EVERY:  # for the memory budget (over_budget)
            session.bytes, session.measured_at = footprint(session.exp), session.saved_at
