"""What the API shows of an experiment: the network state, its raw data, export documents.

Built from plain lists (`ndarray.tolist`) rather than through pydantic, because a state is sent after
every step and its history can hold 2,000 entries; `app.schemas.network_out.NetworkState` documents the shape.
"""
from __future__ import annotations

import functools

from app.jsonify import HistoryEncoder, with_raw_field
from engine import state as engine_state
from engine.experiment import Experiment
from engine.features import FEATURES
from engine.network import neuron_id


@functools.lru_cache(maxsize=256)
def neuron_ids(layers: tuple[int, ...]) -> tuple[tuple[str, ...], ...]:
    """Every neuron's id by layer: made once a shape (every step's answer carries them), as tuples
    that nobody can change (JSON encoders write them as lists)."""
    return tuple(tuple(neuron_id(l, i) for i in range(n)) for l, n in enumerate(layers))


def input_labels(exp: Experiment) -> list[str] | None:
    """The input neurons' labels: the features (x₁², sin(x₂), …) written with the data's column
    names when it has them, or the columns themselves for data with other than two inputs."""
    columns = exp.config["dataset"].get("columns")
    if not exp.features:
        return columns
    labels = [FEATURES[f].label for f in exp.features]
    if columns:
        a, b = columns
        labels = [t.replace("x₁x₂", f"{a}·{b}").replace("x₁", a).replace("x₂", b) for t in labels]
    return labels


def metrics(exp: Experiment) -> dict:
    """The newest history entry's numbers (the engine records one after every change)."""
    current = exp.history[-1]
    return {"train_loss": current.get("train_loss"), "test_loss": current.get("test_loss"),
            "train_accuracy": current.get("train_accuracy"), "test_accuracy": current.get("test_accuracy"),
            "grad_norms": current.get("grad_norms", []), "dead_relu": exp.dead_relu()}


def network_state(network_id: str, exp: Experiment, history: int | None = None) -> dict:
    """The full state; `history` = how many of the newest history entries to include (None: all)."""
    params, ds = exp.trainer.params, exp.dataset
    entries = [entry for _, entry in exp.history.newest(history)]
    return {
        "id": network_id,
        "config": exp.config,
        "layers": list(exp.arch.layers),
        "weights": [w.tolist() for w in params.weights],
        "biases": [b.tolist() for b in params.biases],
        "step": exp.trainer.step,
        "epoch": exp.trainer.epoch,
        "phase": exp.phase,
        **metrics(exp),
        "diverged": exp.diverged,
        "history": entries,
        "history_total": len(exp.history),
        "problem": ds.kind,
        "n_classes": ds.n_classes,
        "neuron_ids": neuron_ids(exp.arch.layers),
        "feature_labels": input_labels(exp),
        "n_train": len(ds.x_train),
        "n_test": len(ds.x_test),
    }


def network_state_json(network_id: str, exp: Experiment, encoder: HistoryEncoder,
                       history: int | None = None) -> bytes:
    """`network_state` as JSON bytes, with the history from `encoder` (each entry encoded once)."""
    state = network_state(network_id, exp, 0)
    del state["history"]
    return with_raw_field(state, "history", encoder.encode(exp.history, history))


def _targets(y) -> list:
    """Labels as a flat list; single regression targets flattened too (easier to draw), else rows."""
    if y.ndim == 2 and y.shape[1] == 1:
        return y[:, 0].tolist()
    return y.tolist()


def data_points(exp: Experiment) -> dict:
    ds = exp.dataset
    return {"x_train": ds.x_train.tolist(), "y_train": _targets(ds.y_train),
            "x_test": ds.x_test.tolist(), "y_test": _targets(ds.y_test),
            "kind": ds.kind, "n_classes": ds.n_classes,
            **{k: v for k, v in exp.config["dataset"].items() if k in ("columns", "target", "labels")}}


def export_document(exp: Experiment) -> dict:
    """The engine's complete saved state: config, data, weights, optimiser state, counters, history.
    The config and history lists are copied: the document is encoded after the network's lock is
    released, while training may go on."""
    doc = engine_state.to_dict(exp)
    return {**doc, "config": dict(doc["config"]), "history": list(doc["history"])}
