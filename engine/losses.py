"""Loss functions: per-sample error E_s and its derivative ∂E_s/∂ŷ (seed eq. 5 and two cross-entropies).

The batch loss is the mean of the per-sample errors, so a batch gradient is the mean of per-sample
gradients. Cross-entropies are paired with the output activation that makes their chain rule collapse
to δ = ŷ − y (sigmoid with binary, softmax with categorical): `fused_with` names it, and the training
loop uses that simpler, stabler form. Other pairings are refused by `check_pairing`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from engine.errors import EngineError

# Keeps log() finite when an output saturates at exactly 0 or 1.
EPS = 1e-12


@dataclass(frozen=True)
class Loss:
    """`per_sample(y_hat, y) -> (B,)`; `output_grad(y_hat, y) -> (B, k)` = ∂E_s/∂ŷ."""

    name: str
    formula: str
    per_sample: Callable[[np.ndarray, np.ndarray], np.ndarray]
    output_grad: Callable[[np.ndarray, np.ndarray], np.ndarray]
    output_activations: tuple[str, ...]
    fused_with: str | None = None


def _mse(y_hat, y):
    diff = y - y_hat
    diff *= diff
    return 0.5 * diff.sum(axis=1)


def _mse_grad(y_hat, y):
    return y_hat - y


def _bce(y_hat, y):
    p = np.clip(y_hat, EPS, 1.0 - EPS)
    return -(y * np.log(p) + (1.0 - y) * np.log1p(-p)).sum(axis=1)


def _bce_grad(y_hat, y):
    p = np.clip(y_hat, EPS, 1.0 - EPS)
    return (p - y) / (p * (1.0 - p))


def _cce(y_hat, y):
    return -(y * np.log(np.clip(y_hat, EPS, None))).sum(axis=1)


def _cce_grad(y_hat, y):
    return -y / np.clip(y_hat, EPS, None)


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("mse", "E = ½ Σ_k (y_k − ŷ_k)²", _mse, _mse_grad, ("sigmoid", "tanh", "linear")),
        Loss("binary_cross_entropy", "E = −Σ_k [y_k ln ŷ_k + (1 − y_k) ln(1 − ŷ_k)]", _bce, _bce_grad,
             ("sigmoid",), fused_with="sigmoid"),
        Loss("categorical_cross_entropy", "E = −Σ_k y_k ln ŷ_k", _cce, _cce_grad, ("softmax",),
             fused_with="softmax"),
    )
}


def get_loss(name: str) -> Loss:
    try:
        return LOSSES[name]
    except KeyError:
        raise EngineError(f"unknown loss {name!r}; choose from {', '.join(LOSSES)}") from None


def check_pairing(loss_name: str, output_activation: str) -> None:
    """Refuse output/loss pairs whose gradient would be wrong or meaningless, saying what fits."""
    loss = get_loss(loss_name)
    if output_activation not in loss.output_activations:
        fits = [name for name, other in LOSSES.items() if output_activation in other.output_activations]
        raise EngineError(
            f"loss {loss_name!r} needs a {' or '.join(loss.output_activations)} output, "
            f"not {output_activation!r}; with a {output_activation} output use loss "
            f"{' or '.join(repr(f) for f in fits)}"
        )
