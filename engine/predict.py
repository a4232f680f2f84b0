"""Predict, then reveal: the answer to a question about what training does next, from a dry run.

Two questions a teacher asks at any phase:
- "weight_direction": will this weight (or bias) go up or down at the coming update (eq. 6)?
- "largest_delta": which neuron of a layer gets the largest δ = ∂E/∂z (eq. 4), in size, averaged
  over the mini-batch?
The answer comes from running the real next phases on a twin of the trainer (`Trainer.clone`), so it
is what will happen, never a stored value; the experiment itself is untouched. Not here: who asked,
the tally of answers and when to reveal (the app keeps those).
"""
from __future__ import annotations

import numpy as np

from engine.errors import EngineError
from engine.experiment import Experiment
from engine.network import neuron_id, parse_bias_id, parse_weight_id
from engine.tracing import traced_phase

KINDS = ("weight_direction", "largest_delta")
MAX_DRY_PHASES = 10_000  # a dry run never goes beyond one iteration; this only guards the loop


def ask(exp: Experiment, kind: str, target: str | None = None, layer: int | None = None) -> dict:
    """{"kind", "prompt", "choices", "answer", "numbers"}: the question and its engine-computed answer."""
    if exp.diverged:
        raise EngineError("this network diverged: reset it before asking what training does next")
    if kind == "weight_direction":
        return _direction(exp, target)
    if kind == "largest_delta":
        return _largest_delta(exp, exp.arch.depth if layer is None else layer)
    raise EngineError(f"unknown question kind {kind!r}; choose from {', '.join(KINDS)}")


def _read(exp: Experiment, params, target: str) -> float:
    if target.endswith("-bias"):
        l, j = parse_bias_id(target, exp.arch.layers)
        return float(params.biases[l - 1][j])
    k, i, j = parse_weight_id(target, exp.arch.layers)
    return float(params.weights[k][i, j])


def _direction(exp: Experiment, target: str | None) -> dict:
    if not target:
        raise EngineError("a weight_direction question needs a target: a weight id like L0N1-L1N0 or a bias "
                          "id like L1N0-bias")
    before = _read(exp, exp.trainer.params, target)
    twin = exp.trainer.clone()
    start = twin.step
    with np.errstate(all="ignore"):
        while twin.step == start:  # the rest of this iteration, through its update
            twin.advance_phase()
    after = _read(exp, twin.params, target)
    answer = "up" if after > before else "down" if after < before else "stays"
    what = "bias" if target.endswith("-bias") else "weight"
    return {"kind": "weight_direction", "target": target,
            "prompt": f"At the next update (step {start + 1}), will {what} {target} go up or down?",
            "choices": ["up", "down", "stays"], "answer": answer,
            "numbers": {"before": before, "after": after, "change": after - before}}


def _largest_delta(exp: Experiment, layer: int) -> dict:
    depth = exp.arch.depth
    if not (isinstance(layer, int) and 1 <= layer <= depth):
        raise EngineError(f"layer must be from 1 to {depth} (δ is computed for the hidden and output layers)")
    twin = exp.trainer.clone()
    with np.errstate(all="ignore"):
        for _ in range(MAX_DRY_PHASES):
            name, at = twin.phases[twin.cursor]
            step = twin.step
            records = traced_phase(twin)
            if name == "backward" and at == layer:
                break
    delta = np.asarray(records[0]["delta"]).mean(axis=0)
    ids = [neuron_id(layer, j) for j in range(exp.arch.layers[layer])]
    which = "output" if layer == depth else f"layer-{layer}"
    return {"kind": "largest_delta", "layer": layer,
            "prompt": f"In the backward pass of step {step + 1}, which {which} neuron gets the largest δ "
                      f"(∂E/∂z, averaged over the mini-batch) in size?",
            "choices": ids, "answer": ids[int(np.argmax(np.abs(delta)))],
            "numbers": {"delta": dict(zip(ids, delta.tolist()))}}
