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
    tr.advance_phase()
    buf = tr.buf
    # The epoch's shuffled inputs, targets and order are replaced at each epoch, never written in
    # place, so views of them are safe to keep; the layer buffers are reused, so those are copied
    # (transposed: buffers are feature-major, records batch-major).
    if name == "forward":
        rec["a_prev"] = tr.x_batch[:, :-1] if layer == 1 else _rows(buf.a[layer - 1])
        rec["z"], rec["a"] = _rows(buf.z[layer]), _rows(buf.a[layer])
        if layer == 1:
            rec["batch"] = tr.batch_indices()
    elif name == "loss":
        y_hat, y = _rows(buf.a[-1]), tr.y_batch
        per_sample = tr.loss_function.per_sample(y_hat, y)
        rec.update(y_hat=y_hat, y=y, per_sample=per_sample, loss=sum(per_sample.tolist()) / len(per_sample),
                   dE_dy=tr.loss_function.output_grad(y_hat, y), batch=tr.batch_indices())
    else:
        _backward_fields(tr, layer, rec)
    return [rec]


def _rows(feature_major: np.ndarray) -> np.ndarray:
    """A (b, n) batch-major copy of a (n, b) buffer (always a copy: the buffer is reused)."""
    return feature_major.T.copy()


def _backward_fields(tr: Trainer, l: int, rec: dict) -> None:
    buf, act = tr.buf, tr.acts[l]
    output, fused = l == tr.arch.depth, l == tr.arch.depth and tr.fused
    if not output:
        dE_da = _rows(buf.dE_da[l])
    elif fused:
        dE_da = tr.loss_function.output_grad(_rows(buf.a[l]), tr.y_batch)
    else:
        dE_da = _rows(buf.dE_dy)
    if act.identity_derivative:
        da_dz = np.ones((tr.b, tr.arch.layers[l]))
    elif not act.elementwise:
        da_dz = None
    elif fused:
        da_dz = derivative(act.name, _rows(buf.a[l]))
    else:
        da_dz = _rows(buf.da_dz[l])
    grads = tr.grads
    rec.update(dE_da=dE_da, da_dz=da_dz, delta=_rows(buf.delta[l]),
               grad_weights=grads.weights[l - 1] / tr.b, grad_biases=grads.biases[l - 1] / tr.b,
               fused=bool(fused))


def _traced_update(tr: Trainer, iteration: int) -> list[dict]:
    # Whole-buffer copies cut into per-layer views: one copy per quantity, not one per layer.
    h = tr.hyper
    before = tr.params.flat.copy()
    grad = tr.grads.flat / tr.b
    terms = {"momentum_term": -h.momentum * tr.velocity if h.momentum > 0 else None}
    tr.advance_phase()
    terms.update(gradient_term=-tr.descent, regularization_term=-tr.shrink if tr.regularizing() else None)
    after = tr.params.flat.copy()
    flats = {"before": before, "after": after, "delta": after - before, "grad": grad, **terms}
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


def phases_so_far(tr: Trainer) -> list[dict]:
    """The records of the phases of the iteration in progress already done (what a page showed at
    that moment, e.g. after a rewind), recomputed on a twin from the batch's start: weights change
    only at the update."""
    twin, records = tr.clone(replay=False), []
    while twin.cursor < tr.cursor:
        records += traced_phase(twin)
    return records
