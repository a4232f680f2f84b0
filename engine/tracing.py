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
from engine.trainer import Trainer


def traced_phase(tr: Trainer) -> list[dict]:
    """Advance `tr` by one phase and return its record(s) (one, or one per layer for the update)."""
    name, layer = tr.phases[tr.cursor]
    iteration = tr.step
    if name == "update":
        return _traced_update(tr, iteration)
    rec: dict = {"phase": name, "layer": layer, "step": iteration}
    tr.advance_phase(rec)
    z, a = tr._v[0], tr._v[1]
    # The epoch's shuffled inputs, targets and order are replaced at each epoch, never written in
    # place, so views of them are safe to keep; the layer buffers are reused, so those are copied.
    if name == "forward":
        rec["a_prev"] = tr._x[:, :-1] if layer == 1 else a[layer - 1].copy()
        rec["z"], rec["a"] = z[layer].copy(), a[layer].copy()
        if layer == 1:
            rec["batch"] = tr.batch_indices()
    elif name == "loss":
        y_hat, y = a[-1].copy(), tr._tb
        per_sample = tr.loss.per_sample(y_hat, y)
        rec.update(y_hat=y_hat, y=y, per_sample=per_sample, loss=sum(per_sample.tolist()) / len(per_sample),
                   dE_dy=tr.loss.output_grad(y_hat, y), batch=tr.batch_indices())
    else:
        _backward_fields(tr, layer, rec)
    return [rec]


def _backward_fields(tr: Trainer, l: int, rec: dict) -> None:
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
    rec.update(dE_da=dE_da, da_dz=da_dz, delta=delta[l].copy(),
               grad_weights=grads.weights[l - 1] / tr.b, grad_biases=grads.biases[l - 1] / tr.b,
               fused=bool(l == tr.arch.depth and tr.fused))


def _traced_update(tr: Trainer, iteration: int) -> list[dict]:
    # Whole-buffer copies cut into per-layer views: one copy per quantity, not one per layer.
    before = tr.params.flat.copy()
    grad = tr.grads.flat / tr.b
    rec: dict = {}
    tr.advance_phase(rec)
    after = tr.params.flat.copy()
    flats = {"before": before, "after": after, "delta": after - before, "grad": grad, **rec}
    h = tr.hyper
    common = {"phase": "update", "step": iteration, "learning_rate": h.learning_rate,
              "momentum": h.momentum, "regularization": h.regularization,
              "regularization_rate": h.regularization_rate}
    zeros = tr.zero_split
    records = []
    for k, (start, stop, rows, cols) in enumerate(tr.layout):
        cut = stop - cols
        out = {**common, "layer": k + 1}
        for name, key_w, key_b in _UPDATE_FIELDS:
            flat = flats.get(name)
            if flat is None:
                out[key_w], out[key_b] = zeros[k]
            else:
                out[key_w], out[key_b] = flat[start:cut].reshape(rows - 1, cols), flat[cut:stop]
        records.append(out)
    return records


_UPDATE_FIELDS = (
    ("before", "weights_before", "biases_before"),
    ("after", "weights_after", "biases_after"),
    ("delta", "delta_weights", "delta_biases"),
    ("grad", "grad_weights", "grad_biases"),
    ("gradient_term", "gradient_term", "gradient_term_biases"),
    ("regularization_term", "regularization_term", "regularization_term_biases"),
    ("momentum_term", "momentum_term", "momentum_term_biases"),
)
