"""Whole-dataset evaluation: forward passes that keep every layer, losses, accuracy, the input grid.

These allocate freely; they run once per API call or animation frame, never inside the training loop.
Grid evaluation computes every neuron over an R×R grid of the input plane in one vectorised pass, for
the page's per-neuron heatmaps.
"""
from __future__ import annotations

import numpy as np

from engine.activations import apply
from engine.features import apply_features
from engine.losses import get_loss
from engine.network import Architecture, Parameters

GRID_EXTENT = 6.0


def forward_all(arch: Architecture, params: Parameters, x: np.ndarray) -> tuple[list, list]:
    """x: (n, n_0) → (zs, activations): zs[l] and activations[l] of shape (n, n_l); zs[0] is None."""
    zs, acts = [None], [x]
    for k in range(arch.depth):
        z = acts[-1] @ params.weights[k] + params.biases[k]
        zs.append(z)
        acts.append(apply(arch.activation_of(k + 1), z))
    return zs, acts


def mean_loss(arch: Architecture, params: Parameters, x: np.ndarray, t: np.ndarray) -> float | None:
    """Mean per-sample loss over a set (eq. 5 for mse); None for an empty set."""
    if len(x) == 0:
        return None
    y_hat = forward_all(arch, params, x)[1][-1]
    with np.errstate(all="ignore"):
        return float(get_loss(arch.loss).per_sample(y_hat, t).mean())


def grid_points(resolution: int) -> np.ndarray:
    """(R², 2) points: row-major image order, x1 left→right from −6 to 6, x2 top→bottom from 6 to −6."""
    ticks = np.linspace(-GRID_EXTENT, GRID_EXTENT, resolution)
    x1, x2 = np.meshgrid(ticks, ticks[::-1])
    return np.column_stack([x1.ravel(), x2.ravel()])


def grid(arch: Architecture, params: Parameters, features: list[str], resolution: int) -> list[np.ndarray]:
    """Every neuron's value over the input plane: list over layers 0..L of (n_l, R, R) arrays."""
    x = apply_features(features, grid_points(resolution))
    _, acts = forward_all(arch, params, x)
    return [a.T.reshape(a.shape[1], resolution, resolution) for a in acts]
