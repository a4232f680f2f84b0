"""Turns dataset labels into the numbers an output layer is trained towards, and back.

Binary classification with one output neuron uses TensorFlow Playground's convention for tanh and
linear outputs (−1 / +1, threshold 0) and 0 / 1 for sigmoid (threshold 0.5). With one output per
class, targets are one-hot (off value −1 for tanh). Regression targets pass through unchanged.
"""
from __future__ import annotations

import numpy as np

from engine.errors import EngineError


def _off_value(output_activation: str) -> float:
    return 0.0 if output_activation in ("sigmoid", "softmax") else -1.0


def output_layer(kind: str, n_classes: int, n_targets: int = 1) -> dict:
    """The output layer data of this kind opens with: softmax and categorical cross-entropy with one
    output per class for three classes or more, one output with the field table's defaults (tanh,
    squared error) for two, one linear output per target for regression."""
    from engine.fields import spec  # the table imports the registries this module's callers use
    if kind == "regression":
        return {"output_activation": "linear", "loss": "mse", "units": n_targets}
    if n_classes > 2:
        return {"output_activation": "softmax", "loss": "categorical_cross_entropy", "units": n_classes}
    return {"output_activation": spec("output_activation").default, "loss": spec("loss").default, "units": 1}


def check_outputs(kind: str, n_classes: int, n_outputs: int, target_width: int,
                  output_activation: str) -> None:
    """Refuse an output layer that cannot represent the dataset, saying which size fits."""
    if kind == "classification":
        if n_outputs == 1 and n_classes > 2:
            raise EngineError(f"the dataset has {n_classes} classes: the output layer needs "
                              f"{n_classes} neurons (one per class)")
        if n_outputs > 1 and n_outputs != n_classes:
            raise EngineError(f"the dataset has {n_classes} classes: the output layer needs "
                              f"{n_classes} neurons{' (or 1 for two classes)' if n_classes == 2 else ''}, "
                              f"not {n_outputs}")
    elif n_outputs != target_width:
        raise EngineError(f"the regression targets have {target_width} value(s) per sample: the output "
                          f"layer needs {target_width} neuron(s), not {n_outputs}")


def encode(kind: str, y: np.ndarray, n_outputs: int, output_activation: str) -> np.ndarray:
    """(n,) int labels or (n, k) real targets → (n, n_outputs) float64 training targets."""
    if kind != "classification":
        y = np.asarray(y, dtype=np.float64)
        return y if y.ndim == 2 else y.reshape(len(y), -1)  # an empty (0, k) test set keeps its width
    labels = np.asarray(y, dtype=np.int64)
    off = _off_value(output_activation)
    if n_outputs == 1:
        return np.where(labels == 1, 1.0, off).reshape(-1, 1)
    targets = np.full((len(labels), n_outputs), off)
    targets[np.arange(len(labels)), labels] = 1.0
    return targets


def decode(kind: str, outputs: np.ndarray, output_activation: str) -> np.ndarray:
    """(n, k) network outputs → (n,) predicted class labels (classification only)."""
    if outputs.shape[1] == 1:
        threshold = 0.5 if output_activation == "sigmoid" else 0.0
        return (outputs[:, 0] > threshold).astype(np.int64)
    return outputs.argmax(axis=1)
