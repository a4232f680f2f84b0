"""Phase records: what each phase of the trainer computed, copied out as named arrays.

A record is a dict named after the seed's quantities. Arrays per sample are batch-major (b, n_l).
forward  layer l: a_prev (b, n_{l−1}), z (b, n_l) [eq. 1], a (b, n_l) [eqs. 2–3]
loss:             y_hat, y (b, k), per_sample (b,) [eq. 5], loss (batch mean), dE_dy (b, k) = ∂E_s/∂ŷ
backward layer l: dE_da (b, n_l) = ∂E_s/∂a, da_dz (b, n_l) = f'(z) (None when softmax is fused with
                  cross-entropy), delta (b, n_l) = ∂E_s/∂z [eq. 4's first two factors],
                  grad_weights (n_{l−1}, n_l) and grad_biases (n_l,) = batch means of ∂E_s/∂W
update   layer l: one record per layer: weights/biases before and after [eq. 6], their deltas, and the
                  delta split into gradient_term (−η ∂E/∂w), regularization_term and momentum_term.
Records only copy buffers the trainer already filled; they never feed back into training.
"""
from __future__ import annotations

import numpy as np

from engine.activations import derivative
from engine.network import Parameters
from engine.trainer import Trainer


def traced_phase(tr: Trainer) -> list[dict]:
    """Advance `tr` by one phase and return its record(s) (one, or one per layer for the update)."""
    name, layer = tr.phases[tr.cursor]
    iteration = tr.step
    if name == "update":
        return _traced_update(tr, iteration)
    rec: dict = {}
    tr.advance_phase(rec)
    z, a, a_in, delta, fprime, dE_dy = tr._v
    base = {"phase": name, "layer": layer, "step": iteration}
    if name == "forward":
        a_prev = tr._x[:, :-1] if layer == 1 else a[layer - 1]
        out = {**base, "a_prev": a_prev.copy(), "z": z[layer].copy(), "a": a[layer].copy()}
        if layer == 1:
            out["batch"] = tr.batch_indices().copy()
        return [out]
    if name == "loss":
        y_hat, y = a[-1].copy(), tr._tb.copy()
        per_sample = tr.loss.per_sample(y_hat, y)
        return [{**base, "y_hat": y_hat, "y": y, "per_sample": per_sample,
                 "loss": float(per_sample.mean()), "dE_dy": tr.loss.output_grad(y_hat, y),
                 "batch": tr.batch_indices().copy()}]
    return [{**base, **_backward_fields(tr, layer, rec)}]


def _backward_fields(tr: Trainer, l: int, rec: dict) -> dict:
    z, a, _, delta, fprime, dE_dy = tr._v
    act = tr.acts[l]
    if l == tr.arch.depth:
        dE_da = tr.loss.output_grad(a[l], tr._tb) if tr.fused else dE_dy.copy()
    else:
        dE_da = rec["dE_da"]
    if act.identity_derivative:
        da_dz = np.ones_like(z[l])
    elif not act.elementwise:
        da_dz = None
    elif l == tr.arch.depth and tr.fused:
        da_dz = derivative(act.name, z[l], a[l])
    else:
        da_dz = fprime[l].copy()
    grads = tr.grads
    return {"dE_da": dE_da, "da_dz": da_dz, "delta": delta[l].copy(),
            "grad_weights": grads.weights[l - 1] / tr.b, "grad_biases": grads.biases[l - 1] / tr.b,
            "fused": bool(l == tr.arch.depth and tr.fused)}


def _traced_update(tr: Trainer, iteration: int) -> list[dict]:
    before = tr.params.copy()
    grad_mean = Parameters(tr.arch, tr.grads.flat / tr.b)
    rec: dict = {}
    tr.advance_phase(rec)
    after = tr.params
    zeros = np.zeros_like(after.flat)
    terms = {name: Parameters(tr.arch, rec.get(name, zeros))
             for name in ("gradient_term", "regularization_term", "momentum_term")}
    h = tr.hyper
    records = []
    for k in range(tr.arch.depth):
        records.append({
            "phase": "update", "layer": k + 1, "step": iteration,
            "learning_rate": h.learning_rate, "momentum": h.momentum,
            "regularization": h.regularization, "regularization_rate": h.regularization_rate,
            "weights_before": before.weights[k].copy(), "weights_after": after.weights[k].copy(),
            "biases_before": before.biases[k].copy(), "biases_after": after.biases[k].copy(),
            "delta_weights": after.weights[k] - before.weights[k],
            "delta_biases": after.biases[k] - before.biases[k],
            "grad_weights": grad_mean.weights[k].copy(), "grad_biases": grad_mean.biases[k].copy(),
            **{f"{name}": t.weights[k].copy() for name, t in terms.items()},
            **{f"{name}_biases": t.biases[k].copy() for name, t in terms.items()},
        })
    return records
