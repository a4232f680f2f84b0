"""Changing a network's hyperparameters without a reset: one path for REST PATCH and the live `set`.

Both validate the body with the same model (built from `engine.fields`), refuse an empty change and an
oversized batch here, and run the same work under the network's lock (`app.deps.run_locked`).
"""
from __future__ import annotations

from typing import Callable

from app import limits, views
from app.errors import invalid
from app.schemas.network_in import HyperparametersBase
from app.sessions import Session
from engine import fields

NOTHING_TO_CHANGE = f"nothing to change: give any of {', '.join(fields.live_names())}"


def hyperparameter_changes(body: HyperparametersBase, settings) -> dict:
    """The fields `body` sets, checked against the server's limits; 422 when it sets none."""
    changes = {k: v for k, v in body.changes().items() if k in fields.live_names()}
    if not changes:
        raise invalid(NOTHING_TO_CHANGE)
    limits.check_batch_size(changes.get("batch_size"), settings)
    return changes


def set_hyperparameters(changes: dict, history: int | None) -> Callable[[Session], bytes]:
    """Work for `run_locked`: apply `changes`, answer with the state and its newest `history` entries."""
    def work(session: Session) -> bytes:
        session.exp.set_hyperparameters(**changes)
        return views.network_state_json(session.id, session.exp, session.history_json, history)
    return work
