"""Eq. 4 for one weight and one sample: ∂E/∂w_ij = ∂E/∂a_j · ∂a_j/∂z_j · ∂z_j/∂w_ij, with numbers.

The factors come from phase records of the current iteration: the ones the page was shown if it
stepped with a trace, otherwise from a dry run on a copy of the trainer (the live one is untouched).
Mid-iteration that dry run replays the same batch with the same weights, so its numbers are the ones
training computes; at an iteration boundary it previews the next mini-batch.
"""
from __future__ import annotations

from engine.errors import EngineError
from engine.experiment import Experiment
from engine.network import parse_weight_id, weight_id
from engine.tracing import traced_phase


def _records(exp: Experiment, layer: int) -> dict:
    """Forward, loss, backward (and update, if done) records of the iteration the page is looking at."""
    tr, cache = exp.trainer, exp.last_trace
    needed = {("forward", layer), ("backward", layer)}
    if cache and needed <= cache["records"].keys() and (
            (tr.cursor and cache["step"] == tr.step) or (not tr.cursor and cache["step"] == tr.step - 1)):
        return cache["records"]
    # Replay this batch from its first phase on a twin; weights are unchanged before the update.
    dry = tr.clone(replay=False)
    records = {}
    while ("backward", layer) not in records:
        for rec in traced_phase(dry):
            records[(rec["phase"], rec["layer"])] = rec
    return records


def chain_rule(exp: Experiment, weight: str, sample: int = 0) -> dict:
    """The three factors of eq. 4 for `sample` (position in the mini-batch), their product, the
    batch mean (what the update uses) and, when the update has run, eq. 6's numbers."""
    k, i, j = parse_weight_id(weight, exp.arch.layers)
    layer = k + 1
    records = _records(exp, layer)
    fwd, bwd = records[("forward", layer)], records[("backward", layer)]
    b = len(fwd["z"])
    if not 0 <= sample < b:
        raise EngineError(f"sample must be between 0 and {b - 1} (the mini-batch has {b} samples)")
    dE_da = float(bwd["dE_da"][sample, j])
    da_dz = None if bwd["da_dz"] is None else float(bwd["da_dz"][sample, j])
    dz_dw = float(fwd["a_prev"][sample, i])
    delta = float(bwd["delta"][sample, j])
    out = {
        "weight": weight_id(k, i, j), "layer": layer, "sample": sample, "batch_size": b,
        "training_index": int(records[("forward", 1)]["batch"][sample]) if ("forward", 1) in records else None,
        "step": fwd["step"],
        "factors": {"dE_da": dE_da, "da_dz": da_dz, "dz_dw": dz_dw},
        "delta": delta, "product": delta * dz_dw,
        "batch_mean": float(bwd["grad_weights"][i, j]),
        "fused": bwd["fused"],
    }
    if bwd["fused"] and da_dz is None:
        out["note"] = ("softmax couples the outputs, so ∂E/∂a and ∂a/∂z are taken together: "
                       "∂E/∂z_j = ŷ_j − y_j")
    update = records.get(("update", layer))
    if update is not None:
        out["update"] = {name: float(update[name][i, j]) for name in (
            "weights_before", "weights_after", "delta_weights", "gradient_term",
            "regularization_term", "momentum_term")}
        out["update"]["grad_weights"] = out["batch_mean"]
        out["update"]["learning_rate"] = update["learning_rate"]
    return out
