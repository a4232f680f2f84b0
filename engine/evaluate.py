"""Evaluation outside training: forward passes that keep every layer, and the input-plane grid.

These allocate freely; they run once per API call or animation frame, never inside the training loop.
Grid evaluation computes every neuron over an R×R grid of the input plane in one vectorised pass, for
the page's per-neuron heatmaps.
"""
from __future__ import annotations

import numpy as np

from engine import targets
from engine.activations import ACTIVATIONS, apply
from engine.errors import EngineError
from engine.features import apply_features
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


def predict(arch: Architecture, params: Parameters, dataset, inputs, points) -> dict:
    """Every layer's z and activations for `points` (rows of `dataset`'s raw inputs; `inputs` maps
    them to the network's features), with the predicted classes when `dataset` is classification."""
    try:
        x = np.asarray(points, dtype=np.float64)
    except (ValueError, TypeError):
        x = np.empty(0)
    if x.ndim != 2 or x.shape[1] != dataset.n_features:
        raise EngineError(f"x must be a list of rows with {dataset.n_features} numbers each")
    zs, acts = forward_all(arch, params, inputs(x))
    out = {"outputs": acts[-1], "activations": acts, "z": zs[1:]}
    if dataset.kind == "classification":
        out["classes"] = targets.decode("classification", acts[-1], arch.output_activation)
    return out


def grid_points(resolution: int) -> np.ndarray:
    """(R², 2) points: row-major image order, x1 left→right from −6 to 6, x2 top→bottom from 6 to −6."""
    ticks = np.linspace(-GRID_EXTENT, GRID_EXTENT, resolution)
    x1, x2 = np.meshgrid(ticks, ticks[::-1])
    return np.column_stack([x1.ravel(), x2.ravel()])


class GridEvaluator:
    """Every neuron's value over an R×R grid of the input plane, for one architecture and features.

    Computed neuron-major (zᵀ = Wᵀ·aᵀ + b), so each layer's result is n_l contiguous R×R images with
    no transposing copies. The input features and all layer buffers are built once and reused: at
    100×100 a fresh 640 kB array per layer costs more than the layer's arithmetic. The arrays that
    `evaluate` returns are therefore overwritten by its next call.
    """

    def __init__(self, arch: Architecture, features: list[str], resolution: int):
        self.arch, self.resolution = arch, resolution
        self.inputs = np.ascontiguousarray(apply_features(features, grid_points(resolution)).T)
        points = resolution * resolution
        self.layers = [np.empty((n, points)) for n in arch.layers[1:]]
        self.scratch = [np.empty((n, points)) for n in arch.layers[1:]]

    def evaluate(self, params: Parameters) -> list[np.ndarray]:
        """List over layers 0..L of (n_l, R, R) arrays (layer 0: the input features)."""
        a, R = self.inputs, self.resolution
        for k, z in enumerate(self.layers):
            np.matmul(params.weights[k].T, a, out=z)
            z += params.biases[k][:, None]
            name = self.arch.activation_of(k + 1)
            if name == "softmax":  # normalise over neurons, which are rows here
                z[...] = apply(name, z.T).T
            else:
                ACTIVATIONS[name].forward(z, z, self.scratch[k])
            a = z
        return [layer.reshape(len(layer), R, R) for layer in [self.inputs, *self.layers]]

