"""Gradient check: the trainer's analytic gradient against central finite differences.

The numeric side perturbs each parameter by ±h and ±2h and uses the fourth-order central stencil
[−E(w+2h) + 8E(w+h) − 8E(w−h) + E(w−2h)] / 12h, whose truncation error is O(h⁴), so float64
round-off, not the formula, limits agreement. All perturbed copies of the network are evaluated in
one broadcast forward pass per chunk, not one pass per parameter.
The analytic side is the trainer's own backward pass (the code that trains), not a re-derivation.
"""
from __future__ import annotations


import numpy as np

from engine.activations import apply
from engine.losses import get_loss
from engine.network import Architecture, Parameters, bias_id, weight_id
from engine.hyperparameters import Hyperparameters
from engine.trainer import Trainer

STENCIL = ((2.0, -1.0), (1.0, 8.0), (-1.0, -8.0), (-2.0, 1.0))


def analytic_gradient(arch: Architecture, params: Parameters, x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """∂E/∂θ of the batch-mean loss over (x, t), flat in the parameter layout, from the trainer."""
    tr = Trainer(arch, params.copy(), x, t, Hyperparameters(batch_size=len(x)), np.random.default_rng(0))
    tr.set_order(np.arange(len(x)))
    while tr.phases[tr.cursor][0] != "update":
        tr.advance_phase()
    return tr.grads.flat / tr.b


def _stacked_loss(arch: Architecture, flats: np.ndarray, x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Batch-mean loss for each of P parameter vectors at once: flats (P, n_params) → (P,)."""
    a, offset = np.broadcast_to(x, (len(flats),) + x.shape), 0
    for k, (rows, cols) in enumerate(arch.block_shapes()):
        block = flats[:, offset:offset + rows * cols].reshape(len(flats), rows, cols)
        offset += rows * cols
        z = a @ block[:, :-1] + block[:, -1:, :]
        a = apply(arch.activation_of(k + 1), z.reshape(-1, cols)).reshape(z.shape)
    per_sample = get_loss(arch.loss).per_sample(a.reshape(-1, a.shape[-1]), np.tile(t, (len(flats), 1)))
    return per_sample.reshape(len(flats), -1).mean(axis=1)


def numeric_gradient(arch: Architecture, params: Parameters, x: np.ndarray, t: np.ndarray,
                     indices: np.ndarray, h: float = 1e-4, chunk: int = 256) -> np.ndarray:
    out = np.empty(len(indices))
    for start in range(0, len(indices), chunk):
        idx = indices[start:start + chunk]
        total = np.zeros(len(idx))
        for shift, weight in STENCIL:
            flats = np.repeat(params.flat[None, :], len(idx), axis=0)
            flats[np.arange(len(idx)), idx] += shift * h
            total += weight * _stacked_loss(arch, flats, x, t)
        out[start:start + len(idx)] = total / (12.0 * h)
    return out


def parameter_ids(arch: Architecture) -> list[str]:
    """Stable id of every entry of the flat parameter buffer, in layout order."""
    ids = []
    for k, (rows, cols) in enumerate(arch.block_shapes()):
        for i in range(rows):
            for j in range(cols):
                ids.append(weight_id(k, i, j) if i < rows - 1 else bias_id(k + 1, j))
    return ids


def gradcheck(arch: Architecture, params: Parameters, x: np.ndarray, t: np.ndarray,
              max_params: int | None = None, seed: int = 0, h: float = 1e-4, floor: float = 1e-8) -> dict:
    """Compare analytic and numeric gradients; relative error |a − n| / max(|a|, |n|, floor).

    With `max_params`, a seeded random subset of parameters is checked (large networks).
    """
    analytic = analytic_gradient(arch, params, x, t)
    indices = np.arange(arch.n_params())
    if max_params is not None and max_params < len(indices):
        indices = np.sort(np.random.default_rng(seed).choice(indices, max_params, replace=False))
    numeric = numeric_gradient(arch, params, x, t, indices, h)
    a = analytic[indices]
    rel = np.abs(a - numeric) / np.maximum(np.maximum(np.abs(a), np.abs(numeric)), floor)
    worst = int(np.argmax(rel)) if len(rel) else 0
    ids = parameter_ids(arch)
    return {
        "max_relative_error": float(rel.max()) if len(rel) else 0.0,
        "params_checked": int(len(indices)), "params_total": int(arch.n_params()),
        "samples": int(len(x)), "h": h,
        "worst": {"id": ids[indices[worst]], "analytic": float(a[worst]), "numeric": float(numeric[worst]),
                  "relative_error": float(rel[worst])} if len(rel) else None,
        "checks": [{"id": ids[i], "analytic": float(av), "numeric": float(nv), "relative_error": float(r)}
                   for i, av, nv, r in zip(indices, a, numeric, rel)],
    }
