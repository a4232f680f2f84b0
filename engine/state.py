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
from engine.errors import EngineError
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


def _initial_to_json(params: Parameters) -> dict:
    """The initial parameters' lists, made once: they never change in place (a reset or a data
    change assigns a new copy), and every save writes them. Read them, never change them."""
    if params.lists is None:  # `Parameters.assign` forgets them
        params.lists = _params_to_json(params)
    return params.lists


def _params_from_json(params: Parameters, data: dict) -> Parameters:
    params.assign(data["weights"], data["biases"])
    return params


def to_dict(exp: Experiment, data: bool = True) -> dict:
    """The document of `exp`; without `data` it leaves out the points (the dataset never changes in
    place, so a caller that has them already spares converting every point to a list)."""
    tr = exp.trainer
    doc = {
        "format": FORMAT_VERSION,
        "config": exp.config,
        **_params_to_json(tr.params),
        "initial": _initial_to_json(exp.initial_params),
        "velocity": tr.velocity.tolist(),
        "counters": {"step": tr.step, "epoch": tr.epoch, "cursor": tr.cursor, "offset": tr.offset,
                     "batch": tr.b if tr.cursor else 0},
        "order": None if tr.order is None else tr.order.tolist(),
        "rng": _rng_to_json(tr.rng.bit_generator.state),
        "history": list(exp.history),
        "diverged": exp.diverged,
    }
    if data:
        doc["data"] = exp.dataset.to_dict()
    return doc


def from_dict(doc: dict) -> Experiment:
    """Rebuild an experiment from `to_dict`'s output (or an export document).

    Documents may come from anywhere (the import endpoint), so every part is checked first and a
    broken one is refused with a ValueError that names the part, never half-loaded.
    """
    _check_document(doc)
    try:
        exp = Experiment(doc["config"], Dataset.from_dict(doc["data"]),
                         _params_from_json(_blank(doc), doc["initial"]))
        tr = exp.trainer
        _params_from_json(tr.params, doc)
        velocity = np.asarray(doc["velocity"], dtype=np.float64)
        _need(velocity.shape == tr.velocity.shape, "velocity does not match the network's parameter count")
        tr.velocity[...] = velocity
        c = doc["counters"]
        tr.step, tr.epoch, tr.offset = c["step"], c["epoch"], c["offset"]
        try:
            tr.rng.bit_generator.state = _rng_from_json(doc["rng"])
        except (ValueError, TypeError, KeyError):
            raise EngineError("not a valid exported network: rng must be the random generator's state "
                              "as exported") from None
    except (TypeError, KeyError, IndexError, AttributeError, OverflowError):
        raise EngineError("not a valid exported network: a part of it has the wrong type or shape; "
                          "import exactly what GET …/export returned") from None
    order = doc.get("order")
    tr.set_order(None if order is None else np.asarray(order, dtype=np.int64))
    _check_counters(c, tr)
    if c["cursor"]:
        tr.replay_to(c["cursor"], c["batch"])
    exp.history = [_history_entry(e) for e in doc.get("history") or []]
    if not exp.history:
        exp.record_history()
    exp.diverged = doc.get("diverged")
    return exp


def _need(condition: bool, message: str) -> None:
    if not condition:
        raise EngineError(f"not a valid exported network: {message}")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_document(doc) -> None:
    _need(isinstance(doc, dict), "the document must be a JSON object")
    if doc.get("format") != FORMAT_VERSION:
        raise EngineError(f"unsupported document format {doc.get('format')!r}; expected {FORMAT_VERSION}")
    for key, kind in (("config", dict), ("data", dict), ("initial", dict), ("counters", dict),
                      ("rng", dict), ("weights", list), ("biases", list), ("velocity", list)):
        _need(isinstance(doc.get(key), kind), f"{key} must be a JSON {'object' if kind is dict else 'list'}")
    config = doc["config"]
    _need(isinstance(config.get("layers"), list) and all(_is_int(n) for n in config["layers"]),
          "config.layers must be a list of whole numbers")
    _need(isinstance(config.get("dataset"), dict), "config.dataset must be a JSON object (where the points come from)")
    data = doc["data"]
    for key in ("n_features", "n_classes"):
        _need(_is_int(data.get(key)) and data[key] >= 0, f"data.{key} must be a whole number ≥ 0")
    _need(data.get("kind") in ("classification", "regression"),
          "data.kind must be 'classification' or 'regression'")
    width = data["n_features"]
    for key in ("x_train", "x_test"):
        rows = data.get(key)
        _need(isinstance(rows, list) and all(isinstance(r, list) and len(r) == width for r in rows),
              f"data.{key} must be a list of rows of {width} numbers each")
        _need(np.isfinite(np.asarray(rows, dtype=np.float64)).all(), f"data.{key} must hold finite numbers")
    for key in ("y_train", "y_test"):
        ys = data.get(key)
        _need(isinstance(ys, list) and len(ys) == len(data["x" + key[1:]]),
              f"data.{key} must have one entry per row of data.x{key[1:]}")
        if data["kind"] == "classification":
            _need(all(_is_int(y) and 0 <= y < data["n_classes"] for y in ys),
                  f"data.{key} must hold class labels from 0 to {data['n_classes'] - 1}")
    _need(len(data["x_train"]) > 0, "data.x_train must not be empty")
    counters = doc["counters"]
    for key in ("step", "epoch", "cursor", "offset", "batch"):
        _need(_is_int(counters.get(key)) and counters[key] >= 0, f"counters.{key} must be a whole number ≥ 0")
    order = doc.get("order")
    n = len(data["x_train"])
    _need(order is None or (isinstance(order, list) and all(_is_int(i) for i in order)
                            and sorted(order) == list(range(n))),
          f"order must be null or a permutation of the {n} training rows")
    history = doc.get("history")
    _need(history is None or (isinstance(history, list) and all(
        isinstance(e, dict) and _is_int(e.get("step")) and _is_int(e.get("epoch")) for e in history)),
        "history must be a list of entries, each with a whole-number step and epoch")
    diverged = doc.get("diverged")
    _need(diverged is None or (isinstance(diverged, dict) and _is_int(diverged.get("step"))
                               and isinstance(diverged.get("reason"), str)),
          "diverged must be null or {\"step\": whole number, \"reason\": text}")


def _check_counters(c: dict, tr) -> None:
    """Counters must describe a reachable point of training, or replaying could never end."""
    _need(c["cursor"] < len(tr.phases), f"counters.cursor must be below {len(tr.phases)} (the phases "
                                         f"of one iteration), got {c['cursor']}")
    _need(c["offset"] < tr.n, f"counters.offset must be below the {tr.n} training rows")
    if c["cursor"]:
        _need(tr.order is not None, "a half-finished iteration needs the epoch's order (cursor > 0 but order is null)")
        _need(1 <= c["batch"] <= tr.n - c["offset"],
              f"counters.batch must be between 1 and {tr.n - c['offset']} mid-iteration")


_HISTORY_NUMBERS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")


def _history_entry(entry: dict) -> dict:
    """Keep the known fields, each a number or null, so an imported history is always well formed."""
    out = {}
    for key, value in entry.items():  # in the entry's own order, so documents round-trip exactly
        if key in ("step", "epoch"):
            out[key] = value
        elif key in _HISTORY_NUMBERS:
            _need(value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)),
                  f"history entry {key} must be a number or null")
            out[key] = value
        elif key == "grad_norms":
            _need(isinstance(value, list) and all(v is None or isinstance(v, (int, float)) for v in value),
                  "history entry grad_norms must be a list of numbers")
            out[key] = value
    out.setdefault("grad_norms", [])
    return out


def _blank(doc: dict) -> Parameters:
    from engine.network import Architecture
    cfg = doc["config"]
    return Parameters(Architecture.build(cfg["layers"], cfg["activation"], cfg["output_activation"], cfg["loss"]))
