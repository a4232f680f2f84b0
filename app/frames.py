"""What a live frame holds, rendered once for every client of a network (`app.hub.Channel.render`).

A frame is encoded in parts that clients combine (`app.liveclient`): the head (step, metrics,
weights, biases, gradients: every field but history and heatmaps), one heatmap JSON per subscribed
resolution, and the history entries the clients have not been sent. NumPy arrays go to orjson as
they are (`app.jsonify.dumps`), and each history entry is encoded once (`HistoryEncoder`).
Left out: who gets which parts (`app.pacing`, `app.liveclient`).
"""
from __future__ import annotations

from app import grids, views
from app.jsonify import dumps

Rendered = tuple[bytes, dict, list[bytes], bytes]


class History:
    """The history entries a channel's clients have not been sent, as JSON."""

    def __init__(self):
        self.last_step: int | None = None  # the newest history entry's step and number the clients got
        self.last_seq: int | None = None

    def new(self, session) -> list[bytes]:
        """The newest entry on the first frame, all of them after a reset, else the entries of steps
        after the last frame's."""
        history, encode = session.exp.history, session.history_json.entry
        changes = history.since(self.last_seq)
        if self.last_seq is None:
            new = history.newest(1)
        elif changes.restart:
            new = changes.entries
        else:
            new = [(seq, entry) for seq, entry in changes.entries if entry["step"] > self.last_step]
        self.last_seq, self.last_step = history.seq, history[-1]["step"]
        return [encode(seq, entry) for seq, entry in new]


def render(session, history: History, playing: bool, steps: int, rate: float, resolutions,
           phases: int = 0) -> Rendered:
    """(JSON of the head, {resolution: heatmap JSON}, new history entries, the newest history entry);
    `steps` iterations the last frame completed, `phases` the phases it ran when it stepped by phase."""
    exp = session.exp
    params = exp.trainer.params
    head = {"type": "frame", "id": session.id, "step": exp.trainer.step, "epoch": exp.trainer.epoch,
            "phase": exp.phase, "playing": playing, **views.metrics(exp),
            "weights": params.weights, "biases": params.biases, "grad_weights": exp.last_gradients(),
            "diverged": exp.diverged, "steps_per_frame": steps, "steps_per_second": rate,
            "phases_per_frame": phases or None}
    grid_json = {r: dumps(grids.grids(exp, r, keep=True)) for r in resolutions}
    newest = session.history_json.entry(*exp.history.newest(1)[0])
    return dumps(head), grid_json, history.new(session), newest
