"""Activation functions (seed eqs. 2–3 and friends), each a value and a derivative, registered by name.

Every function writes into caller-provided buffers (`out=`) so the training loop allocates nothing,
and works on arrays of any layout. The derivative is expressed through `a = f(z)` alone (tanh' =
1 − a², σ' = a(1 − a), ReLU' = [a > 0] since a > 0 exactly when z > 0), so the trainer can take
f' of several layers in one call over their joined activations. Softmax is not elementwise: its
Jacobian is only ever used fused with categorical cross-entropy (see losses.py), so it has no
elementwise derivative here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from engine.errors import EngineError

LEAKY_SLOPE = 0.01

Forward = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
Derivative = Callable[..., np.ndarray]


@dataclass(frozen=True)
class Activation:
    """`forward(z, out, scratch)` writes f(z) into out; `derivative(a, out, one)` writes f'(z) into out;
    `one` is 1.0 or, cheaper in a hot loop, an array of ones shaped like `a`.

    `elementwise` is False only for softmax. `identity_derivative` lets the backward pass skip the
    multiplication by f'(z) = 1 altogether (linear). `ufunc` is the NumPy function that is the
    whole forward pass, if there is one (called directly in the training loop).
    """

    name: str
    formula: str
    forward: Forward
    derivative: Derivative | None
    elementwise: bool = True
    identity_derivative: bool = False
    ufunc: Callable | None = None


def _sigmoid(z, out, scratch):
    # σ(z) = ½·tanh(z/2) + ½: the same value as 1/(1+e^−z) without overflow for large |z|.
    np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    np.multiply(out, 0.5, out=out)
    return np.add(out, 0.5, out=out)


def _sigmoid_derivative(a, out, one=1.0):
    np.subtract(one, a, out)
    return np.multiply(out, a, out)


def _tanh(z, out, scratch):
    return np.tanh(z, out)


def _tanh_derivative(a, out, one=1.0):
    np.multiply(a, a, out)
    return np.subtract(one, out, out)


def _relu(z, out, scratch):
    return np.maximum(z, 0.0, out=out)


def _relu_derivative(a, out, one=1.0):
    return np.greater(a, 0.0, out)


def _leaky_relu(z, out, scratch):
    np.multiply(z, LEAKY_SLOPE, out=scratch)
    return np.maximum(z, scratch, out=out)


def _leaky_relu_derivative(a, out, one=1.0):
    np.greater(a, 0.0, out)
    np.multiply(out, 1.0 - LEAKY_SLOPE, out=out)
    return np.add(out, LEAKY_SLOPE, out=out)


def _linear(z, out, scratch):
    np.copyto(out, z)
    return out


def _linear_derivative(a, out, one=1.0):
    out.fill(1.0)
    return out


def _softmax(z, out, scratch):
    # Subtracting the row maximum keeps exp() finite; the result is unchanged mathematically.
    np.subtract(z, z.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    return np.divide(out, out.sum(axis=1, keepdims=True), out=out)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", "σ(z) = 1 / (1 + e^(−z))", _sigmoid, _sigmoid_derivative),
        Activation("tanh", "tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))", _tanh, _tanh_derivative, ufunc=np.tanh),
        Activation("relu", "ReLU(z) = max(0, z)", _relu, _relu_derivative),
        Activation("leaky_relu", f"LeakyReLU(z) = max({LEAKY_SLOPE}·z, z)", _leaky_relu,
                   _leaky_relu_derivative),
        Activation("linear", "f(z) = z", _linear, _linear_derivative, identity_derivative=True),
        Activation("softmax", "softmax(z)_j = e^(z_j) / Σ_k e^(z_k)", _softmax, None, elementwise=False),
    )
}

HIDDEN_ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
OUTPUT_ACTIVATIONS = ["sigmoid", "tanh", "linear", "softmax"]


def get_activation(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise EngineError(f"unknown activation {name!r}; choose from {', '.join(ACTIVATIONS)}") from None


def apply(name: str, z: np.ndarray) -> np.ndarray:
    """f(z) into a fresh array: for evaluation paths that are not the training hot loop."""
    out = np.empty_like(z)
    return ACTIVATIONS[name].forward(z, out, np.empty_like(z))


def derivative(name: str, a: np.ndarray) -> np.ndarray:
    """f'(z) from a = f(z), into a fresh array (elementwise activations only)."""
    return ACTIVATIONS[name].derivative(a, np.empty_like(a))
