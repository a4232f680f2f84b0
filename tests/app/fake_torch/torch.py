"""A stand-in for the few parts of PyTorch an exported model file uses, computed with NumPy, so a test
can run that file where torch is not installed. It checks what the file itself decides (layer order,
the transposed weights, activations, features, the command line), not PyTorch; with torch installed,
tests/app/test_exports.py runs the file on the real thing."""
from __future__ import annotations

import contextlib
import types

import numpy as np

float64 = np.float64
sin = np.sin
no_grad = contextlib.nullcontext


class Tensor(np.ndarray):
    def copy_(self, other):
        assert self.shape == np.shape(other), f"copy_ of shape {np.shape(other)} into {self.shape}"
        self[...] = other
        return self


def tensor(data, dtype=None):
    assert dtype is float64, "the exported file asks for float64"
    return np.asarray(data, dtype=np.float64).view(Tensor)


def stack(columns, dim=0):
    return np.stack(columns, axis=dim).view(Tensor)


class Module:
    def __call__(self, x):
        return self.forward(x)

    def double(self):
        return self

    def eval(self):
        return self


class Linear(Module):
    def __init__(self, n_in, n_out):
        self.weight = np.full((n_out, n_in), np.nan).view(Tensor)  # (out, in), as torch keeps it
        self.bias = np.full(n_out, np.nan).view(Tensor)

    def forward(self, x):
        return x @ self.weight.T + self.bias


class Sequential(Module):
    def __init__(self, *modules):
        self.modules = list(modules)

    def __iter__(self):
        return iter(self.modules)

    def forward(self, x):
        for module in self.modules:
            x = module(x)
        return x


def _activation(name, f):
    return type(name, (Module,), {"forward": lambda self, z: f(self, z)})


class LeakyReLU(Module):
    def __init__(self, slope=0.01):
        self.slope = slope

    def forward(self, z):
        return np.where(z > 0, z, self.slope * z)


class Softmax(Module):
    def __init__(self, dim):
        assert dim == 1
        self.dim = dim

    def forward(self, z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


nn = types.SimpleNamespace(
    Module=Module, Linear=Linear, Sequential=Sequential, LeakyReLU=LeakyReLU, Softmax=Softmax,
    Sigmoid=_activation("Sigmoid", lambda self, z: 1 / (1 + np.exp(-z))),
    Tanh=_activation("Tanh", lambda self, z: np.tanh(z)),
    ReLU=_activation("ReLU", lambda self, z: np.maximum(z, 0.0)),
    Identity=_activation("Identity", lambda self, z: z),
)
