"""How well a network does: losses and accuracy over whole sets, and the last gradient's size.

These run once per API call or live frame (never inside the training loop), so they favour one
vectorised pass over clever caching; the history and the page's charts are built from them.
"""
from __future__ import annotations

import functools
import math

import numpy as np

from engine import targets
from engine.activations import get_activation
from engine.datasets import Dataset
from engine.losses import get_loss
from engine.network import Architecture, Parameters, block_layout, neuron_id
from engine.trainer import Trainer


class SetMetrics:
    """Loss (and accuracy for classification) on the training and test sets, from one forward pass
    over both stacked together (this runs for every history entry and live frame). The pass is
    feature-major into buffers made once, like the trainer's (one `np.dot` and one activation call a
    layer), because at these sizes NumPy's per-call cost outweighs the arithmetic."""

    def __init__(self, arch: Architecture, dataset: Dataset, x_train: np.ndarray, t_train: np.ndarray,
                 x_test: np.ndarray, t_test: np.ndarray):
        self.arch, self.n_train = arch, len(x_train)
        x = np.vstack([x_train, x_test])
        n = len(x)
        self.x = np.ones((x.shape[1] + 1, n))
        self.x[:-1] = x.T
        self.t = np.vstack([t_train, t_test])
        self.counts = (self.n_train, n - self.n_train)
        self.split = np.zeros((n, 2))  # one column a set: a product with it sums each set in one call
        self.split[:self.n_train, 0] = self.split[self.n_train:, 1] = 1.0
        self.labels = (np.concatenate([dataset.y_train, dataset.y_test])
                       if dataset.kind == "classification" else None)
        self.loss = get_loss(arch.loss)
        self.layers = []  # (z, a with a row of ones under it, activation) of layers 1..L
        self.relu = [l for l in range(1, arch.depth) if arch.activation_of(l) == "relu"]  # hidden ReLU layers
        self.dead: dict | None = None  # the last evaluation's dead ReLU neurons (`dead_relu`)
        for l in range(1, arch.depth + 1):
            size = arch.layers[l]
            self.layers.append((np.empty((size, n)), np.ones((size + 1, n)), get_activation(arch.activation_of(l))))

    def outputs(self, params: Parameters) -> np.ndarray:
        """ŷ for every training then test point, (n, n_L): a view of a buffer the next call overwrites."""
        a = self.x
        for block, (z, a_next, act) in zip(params.blocks, self.layers):
            np.dot(block.T, a, z)
            out = a_next[:-1]
            if act.elementwise:
                act.forward(z, out, out)  # scratch may share `out`: leaky ReLU reads z, then writes out
            else:
                act.forward(z.T, out.T, None)
            a = a_next
        return a[:-1].T

    def evaluate(self, params: Parameters) -> dict:
        y_hat = self.outputs(params)
        self.dead = self.dead_relu()
        with np.errstate(all="ignore"):
            per_sample = self.loss.per_sample(y_hat, self.t)
        if self.labels is not None:
            correct = targets.decode("classification", y_hat, self.arch.output_activation) == self.labels
        losses = np.dot(per_sample, self.split).tolist()
        right = np.dot(correct, self.split).tolist() if self.labels is not None else None
        out = {}
        for i, name in enumerate(("train", "test")):
            count = self.counts[i]
            out[f"{name}_loss"] = losses[i] / count if count else None
            if right is not None:
                out[f"{name}_accuracy"] = right[i] / count if count else None
        return out


    def dead_relu(self) -> dict | None:
        """Hidden ReLU neurons that output 0 for every training point of the last pass (they get no
        gradient, so they never come back): {"dead", "total", "ids"}, or None without ReLU layers."""
        if not self.relu:
            return None
        ids = [neuron_id(l, int(i)) for l in self.relu
               for i in np.flatnonzero(~(self.layers[l - 1][1][:-1, :self.n_train] > 0).any(axis=1))]
        return {"dead": len(ids), "total": sum(self.arch.layers[l] for l in self.relu), "ids": ids}


def last_gradients(trainer: Trainer) -> list[np.ndarray]:
    """∂E/∂W_k of the last mini-batch (batch mean), per weight layer: the ∂E/∂w edge view at play."""
    b = max(trainer.b, 1)
    return [g / b for g in trainer.grads.weights]


def gradient_norms(trainer: Trainer) -> list[float]:
    """‖∂E/∂W_k‖ (Frobenius) of the last mini-batch, per weight layer: vanishing/exploding.
    The squares of the whole gradient buffer, biases masked out, summed block by block in one call."""
    grads = trainer.grads
    squares = grads.flat * grads.flat
    squares *= grads.weight_mask
    return (np.sqrt(np.add.reduceat(squares, _block_starts(trainer.arch))) / max(trainer.b, 1)).tolist()


@functools.cache
def _block_starts(arch: Architecture) -> np.ndarray:
    return np.array([start for start, *_ in block_layout(arch)])


def finite_or_none(value):
    """NaN and ±inf (a diverging run) become None, inside lists too, so history is valid JSON."""
    if isinstance(value, list):
        return [finite_or_none(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
