"""How well a network does: losses and accuracy over whole sets, and the last gradient's size.

These run once per API call or live frame (never inside the training loop), so they favour one
vectorised pass over clever caching; the history and the page's charts are built from them.
"""
from __future__ import annotations

import numpy as np

from engine import targets
from engine.datasets import Dataset
from engine.evaluate import forward_all
from engine.losses import get_loss
from engine.network import Architecture, Parameters
from engine.trainer import Trainer


class SetMetrics:
    """Loss (and accuracy for classification) on the training and test sets, from one forward pass
    over both stacked together (this runs every live frame)."""

    def __init__(self, arch: Architecture, dataset: Dataset, x_train: np.ndarray, t_train: np.ndarray,
                 x_test: np.ndarray, t_test: np.ndarray):
        self.arch, self.n_train = arch, len(x_train)
        self.x = np.vstack([x_train, x_test])
        self.t = np.vstack([t_train, t_test])
        self.labels = (np.concatenate([dataset.y_train, dataset.y_test])
                       if dataset.kind == "classification" else None)

    def evaluate(self, params: Parameters) -> dict:
        y_hat = forward_all(self.arch, params, self.x)[1][-1]
        with np.errstate(all="ignore"):
            per_sample = get_loss(self.arch.loss).per_sample(y_hat, self.t)
        if self.labels is not None:
            correct = targets.decode("classification", y_hat, self.arch.output_activation) == self.labels
        out = {}
        for split, rows in (("train", slice(0, self.n_train)), ("test", slice(self.n_train, None))):
            empty = rows.start == len(self.x)
            out[f"{split}_loss"] = None if empty else float(per_sample[rows].mean())
            if self.labels is not None:
                out[f"{split}_accuracy"] = None if empty else float(correct[rows].mean())
        return out


def last_gradients(trainer: Trainer) -> list[np.ndarray]:
    """∂E/∂W_k of the last mini-batch (batch mean), per weight layer: the ∂E/∂w edge view at play."""
    b = max(trainer.b, 1)
    return [g / b for g in trainer.grads.weights]


def gradient_norms(trainer: Trainer) -> list[float]:
    """‖∂E/∂W_k‖ (Frobenius) of the last mini-batch, per weight layer: vanishing/exploding."""
    b = max(trainer.b, 1)
    return [float(np.linalg.norm(g) / b) for g in trainer.grads.weights]


def finite_or_none(value):
    """NaN and ±inf (a diverging run) become None, inside lists too, so history is valid JSON."""
    if isinstance(value, list):
        return [finite_or_none(v) for v in value]
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value
