"""An experiment to a JSON-safe dict and back, exactly.

Everything that decides the future trajectory is saved: weights and momentum bit-exact (Python floats
round-trip through JSON), the RNG's internal state (its 128-bit integers as strings, since JavaScript
numbers cannot hold them), the epoch's shuffle, the batch and phase cursor, counters, history and
divergence. A restored experiment therefore continues exactly as if it had never stopped. Buffers of
a half-finished iteration are not saved: they are recomputed on load (weights do not change before
the update phase, so the recomputation is exact).
"""
from __future__ import annotations

import numpy as np

from engine.datasets import Dataset
from engine.experiment import Experiment
from engine.network import Parameters

FORMAT_VERSION = 1


def _rng_to_json(state: dict) -> dict:
    return {k: (_rng_to_json(v) if isinstance(v, dict) else str(v) if isinstance(v, int) else v)
            for k, v in state.items()}


def _rng_from_json(state: dict) -> dict:
    return {k: (_rng_from_json(v) if isinstance(v, dict) else int(v) if k != "bit_generator" else v)
            for k, v in state.items()}


def _params_to_json(params: Parameters) -> dict:
    return {"weights": [w.tolist() for w in params.weights], "biases": [b.tolist() for b in params.biases]}


def _params_from_json(params: Parameters, data: dict) -> Parameters:
    params.assign(data["weights"], data["biases"])
    return params


def to_dict(exp: Experiment) -> dict:
    tr = exp.trainer
    return {
        "format": FORMAT_VERSION,
        "config": exp.config,
        "data": exp.dataset.to_dict(),
        **_params_to_json(tr.params),
        "initial": _params_to_json(exp.initial_params),
        "velocity": tr.velocity.tolist(),
        "counters": {"step": tr.step, "epoch": tr.epoch, "cursor": tr.cursor, "offset": tr.offset,
                     "batch": tr.b if tr.cursor else 0},
        "order": None if tr.order is None else tr.order.tolist(),
        "rng": _rng_to_json(tr.rng.bit_generator.state),
        "history": exp.history,
        "diverged": exp.diverged,
    }


def from_dict(doc: dict) -> Experiment:
    """Rebuild an experiment from `to_dict`'s output (or an export document); validates shapes."""
    if doc.get("format") != FORMAT_VERSION:
        raise ValueError(f"unsupported document format {doc.get('format')!r}; expected {FORMAT_VERSION}")
    exp = Experiment(doc["config"], Dataset.from_dict(doc["data"]),
                     _params_from_json(_blank(doc), doc["initial"]))
    tr = exp.trainer
    _params_from_json(tr.params, doc)
    velocity = np.asarray(doc["velocity"], dtype=np.float64)
    if velocity.shape != tr.velocity.shape:
        raise ValueError("velocity does not match the network's parameter count")
    tr.velocity[...] = velocity
    c = doc["counters"]
    tr.step, tr.epoch, tr.offset = int(c["step"]), int(c["epoch"]), int(c["offset"])
    tr.rng.bit_generator.state = _rng_from_json(doc["rng"])
    order = doc.get("order")
    tr.set_order(None if order is None else np.asarray(order, dtype=np.int64))
    if int(c["cursor"]):
        if order is None:
            raise ValueError("a half-finished iteration needs the epoch's order")
        tr.replay_to(int(c["cursor"]), int(c["batch"]))
    exp.history = list(doc.get("history") or [])
    exp.diverged = doc.get("diverged")
    return exp


def _blank(doc: dict) -> Parameters:
    from engine.network import Architecture
    cfg = doc["config"]
    return Parameters(Architecture.build(cfg["layers"], cfg["activation"], cfg["output_activation"], cfg["loss"]))
