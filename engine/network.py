"""A dense network's shape and parameters: layer sizes, activations, and weights in one flat buffer.

Layers are numbered 0 (input) .. L (output). `weights[k]` has shape (n_k, n_{k+1}) and
`weights[k][i][j]` is the weight from neuron i of layer k to neuron j of layer k+1, so eq. 1 reads
`z = a @ weights[k] + biases[k]`. All parameters live in one flat float64 buffer: block k is the
augmented matrix [weights[k]; biases[k]] of shape (n_k + 1, n_{k+1}), so a forward step is one matmul
against activations carrying a column of ones, the gradient of weights *and* biases is one matmul,
and the update is one call over the whole buffer. `weights[k]` and `biases[k]` are views of it.

Training and evaluation live elsewhere (trainer.py, evaluate.py); this module only owns shape,
identity and initialisation.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np

from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, get_activation
from engine.errors import EngineError
from engine.losses import check_pairing

INITS = ["xavier", "he", "uniform", "zeros"]


@dataclass(frozen=True)
class Architecture:
    """Layer sizes `[n_0, …, n_L]`, one activation per hidden layer, the output activation and loss."""

    layers: tuple[int, ...]
    activations: tuple[str, ...]
    output_activation: str
    loss: str

    @classmethod
    def build(cls, layers, activation="tanh", output_activation="tanh", loss="mse") -> "Architecture":
        """Normalise (one activation name → one per hidden layer) and validate with clear messages."""
        layers = tuple(int(n) for n in layers)
        if len(layers) < 2:
            raise EngineError("layers needs at least an input and an output size, e.g. [2, 4, 2, 1]")
        if any(n < 1 for n in layers):
            raise EngineError(f"every layer needs at least one neuron, got layers {list(layers)}")
        hidden = len(layers) - 2
        names = [activation] * hidden if isinstance(activation, str) else list(activation)
        if len(names) != hidden:
            raise EngineError(f"activation lists {len(names)} names but the network has {hidden} hidden "
                              f"layers; give one name, or one per hidden layer")
        for name in names:
            get_activation(name)
            if name not in HIDDEN_ACTIVATIONS:
                raise EngineError(f"{name!r} is not a hidden-layer activation; choose from "
                                  f"{', '.join(HIDDEN_ACTIVATIONS)}")
        get_activation(output_activation)
        if output_activation not in OUTPUT_ACTIVATIONS:
            raise EngineError(f"{output_activation!r} is not an output activation; choose from "
                              f"{', '.join(OUTPUT_ACTIVATIONS)}")
        if output_activation == "softmax" and layers[-1] < 2:
            raise EngineError("a softmax output needs at least 2 output neurons (one per class)")
        check_pairing(loss, output_activation)
        return cls(layers, tuple(names), output_activation, loss)

    @property
    def depth(self) -> int:
        """L: the number of weight layers (the output layer's index)."""
        return len(self.layers) - 1

    def activation_of(self, layer: int) -> str:
        """Activation name of layer 1..L."""
        return self.output_activation if layer == self.depth else self.activations[layer - 1]

    def block_shapes(self) -> list[tuple[int, int]]:
        return [(self.layers[k] + 1, self.layers[k + 1]) for k in range(self.depth)]

    def n_params(self) -> int:
        return sum(r * c for r, c in self.block_shapes())

    def split(self, flat: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """(weights[k], biases[k]) views of any array laid out like the parameter buffer."""
        return [(flat[start:stop - cols].reshape(rows - 1, cols), flat[stop - cols:stop])
                for start, stop, rows, cols in block_layout(self)]


def neuron_id(layer: int, index: int) -> str:
    return f"L{layer}N{index}"


def weight_id(k: int, i: int, j: int) -> str:
    """Id of the weight from neuron i of layer k to neuron j of layer k+1."""
    return f"L{k}N{i}-L{k + 1}N{j}"


def bias_id(layer: int, index: int) -> str:
    return f"L{layer}N{index}-bias"


_INDEX = "(0|[1-9][0-9]*)"  # ASCII digits, no leading zeros: one spelling per id
# The id grammar, unanchored and valid in Python and JavaScript alike (the API serves it to the page).
ID_PATTERNS = {"neuron": rf"L{_INDEX}N{_INDEX}", "weight": rf"L{_INDEX}N{_INDEX}-L{_INDEX}N{_INDEX}",
               "bias": rf"L{_INDEX}N{_INDEX}-bias"}
_WEIGHT_ID = re.compile(rf"\A{ID_PATTERNS['weight']}\Z")
_BIAS_ID = re.compile(rf"\A{ID_PATTERNS['bias']}\Z")


def parse_weight_id(text: str, layers) -> tuple[int, int, int]:
    """'L0N1-L1N2' → (k=0, i=1, j=2), validated against the layer sizes."""
    m = _WEIGHT_ID.match(text)
    if not m or int(m[3]) != int(m[1]) + 1:
        raise EngineError(f"weight id {text!r} must look like L0N1-L1N2 (from neuron 1 of layer 0 to "
                          f"neuron 2 of layer 1)")
    k, i, j = int(m[1]), int(m[2]), int(m[4])
    if k >= len(layers) - 1 or i >= layers[k] or j >= layers[k + 1]:
        raise EngineError(f"weight {text!r} does not exist in a network with layers {list(layers)}")
    return k, i, j


def parse_bias_id(text: str, layers) -> tuple[int, int]:
    """'L1N2-bias' → (layer 1, neuron 2); input neurons have no bias."""
    m = _BIAS_ID.match(text)
    if not m:
        raise EngineError(f"bias id {text!r} must look like L1N0-bias (the bias of neuron 0 of layer 1)")
    layer, j = int(m[1]), int(m[2])
    if not 1 <= layer < len(layers) or j >= layers[layer]:
        raise EngineError(f"bias {text!r} does not exist in a network with layers {list(layers)} "
                          f"(layers 1 to {len(layers) - 1} have biases)")
    return layer, j


class Parameters:
    """Weights and biases as views of one flat buffer (see module docstring for the layout).

    `blocks[k]`: (n_k+1, n_{k+1}) augmented matrix; `weights[k]`: (n_k, n_{k+1}); `biases[k]`: (n_{k+1},).
    `weight_mask`: 1 where the flat buffer holds a weight, 0 where a bias (regularisation spares biases).
    """

    def __init__(self, arch: Architecture, flat: np.ndarray | None = None):
        self.arch = arch
        self.flat = np.zeros(arch.n_params()) if flat is None else flat
        self.blocks = _views(self.flat, arch)
        self.weights = [block[:-1] for block in self.blocks]
        self.biases = [block[-1] for block in self.blocks]
        self.weight_mask = np.ones_like(self.flat)
        for block in _views(self.weight_mask, arch):
            block[-1] = 0.0
        self.lists: dict | None = None  # JSON lists of parameters that stay put (engine.state), else None

    def copy(self) -> "Parameters":
        return Parameters(self.arch, self.flat.copy())

    def assign(self, weights, biases) -> None:
        """Copy explicit weights/biases in, validating every shape with a message that names it."""
        if len(weights) != self.arch.depth or len(biases) != self.arch.depth:
            raise EngineError(f"weights and biases need {self.arch.depth} entries each (one per layer "
                              f"connection), got {len(weights)} and {len(biases)}")
        for k in range(self.arch.depth):
            try:
                w = np.asarray(weights[k], dtype=np.float64)
                b = np.asarray(biases[k], dtype=np.float64)
            except (ValueError, TypeError):
                raise EngineError(f"weights[{k}] must be a matrix of numbers of shape "
                                  f"{list(self.weights[k].shape)} and biases[{k}] a list of "
                                  f"{self.biases[k].shape[0]} numbers") from None
            if w.shape != self.weights[k].shape:
                raise EngineError(f"weights[{k}] must have shape {list(self.weights[k].shape)} "
                                  f"(n_{k} × n_{k + 1}), got {list(w.shape)}")
            if b.shape != self.biases[k].shape:
                raise EngineError(f"biases[{k}] must have length {self.biases[k].shape[0]}, got "
                                  f"shape {list(b.shape)}")
            if not (np.isfinite(w).all() and np.isfinite(b).all()):
                raise EngineError(f"weights[{k}] and biases[{k}] must be finite numbers")
            self.weights[k][...] = w
            self.biases[k][...] = b
        self.lists = None


@functools.cache
def block_layout(arch: Architecture) -> tuple[tuple[int, int, int, int], ...]:
    """(start, stop, rows, cols) of every block in the flat buffer; computed once per architecture."""
    spans, offset = [], 0
    for rows, cols in arch.block_shapes():
        spans.append((offset, offset + rows * cols, rows, cols))
        offset += rows * cols
    return tuple(spans)


def _views(flat: np.ndarray, arch: Architecture) -> list[np.ndarray]:
    return [flat[start:stop].reshape(rows, cols) for start, stop, rows, cols in block_layout(arch)]


def initialise(arch: Architecture, init: str, rng: np.random.Generator) -> Parameters:
    """Fresh parameters drawn from `rng`.

    xavier: U(±√(6/(fan_in+fan_out))), biases 0 (Glorot & Bengio); he: N(0, 2/fan_in), biases 0;
    uniform: U(−0.5, 0.5), biases 0.1 (TensorFlow Playground's); zeros: all 0 (to show symmetry).
    """
    if init not in INITS:
        raise EngineError(f"unknown init {init!r}; choose from {', '.join(INITS)}, or give explicit "
                          f"weights and biases")
    params = Parameters(arch)
    for k, (w, b) in enumerate(zip(params.weights, params.biases)):
        fan_in, fan_out = w.shape
        if init == "xavier":
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            w[...] = rng.uniform(-limit, limit, size=w.shape)
        elif init == "he":
            w[...] = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=w.shape)
        elif init == "uniform":
            w[...] = rng.uniform(-0.5, 0.5, size=w.shape)
            b[...] = 0.1
    return params
