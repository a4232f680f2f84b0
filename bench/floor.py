"""The floor: the leanest hand-written NumPy training loop we know, with no records and no checks.

It is what the engine's untraced path is measured against (bench/engine.py prints engine/floor).
Everything that makes such a loop lean is here: all parameters in one flat buffer whose per-layer
[W; b] blocks are views (so the update is a single call), activations carrying a column of ones
(so eq. 1 with its bias is one matmul, and so is the gradient of weights and biases together),
preallocated buffers written with `out=`, and the learning rate and 1/batch folded into the output
delta. Hidden and output activations are tanh with squared error, like TensorFlow Playground's
default network.
"""
from __future__ import annotations

import numpy as np


class FloorNet:
    def __init__(self, layers: list[int], x: np.ndarray, t: np.ndarray, batch: int, lr: float, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.layers, self.batch, self.lr = layers, batch, lr
        shapes = [(layers[k] + 1, layers[k + 1]) for k in range(len(layers) - 1)]
        self.flat = rng.uniform(-0.5, 0.5, sum(r * c for r, c in shapes))
        self.grad = np.zeros_like(self.flat)
        self.blocks, self.gblocks, off = [], [], 0
        for r, c in shapes:
            self.blocks.append(self.flat[off:off + r * c].reshape(r, c))
            self.gblocks.append(self.grad[off:off + r * c].reshape(r, c))
            off += r * c
        self.wt = [blk[:-1].T for blk in self.blocks]
        n = len(x)
        self.x_aug = np.ones((n, x.shape[1] + 1))
        self.x_aug[:, :-1] = x
        self.t, self.n, self.rng = t, n, rng
        self.z = [np.empty((batch, m)) for m in layers[1:]]
        self.a_aug = [np.ones((batch, m + 1)) for m in layers[1:-1]]
        self.a = [m[:, :-1] for m in self.a_aug] + [np.empty((batch, layers[-1]))]
        self.d = [np.empty((batch, m)) for m in layers[1:]]
        self.tmp = [np.empty((batch, m)) for m in layers[1:]]
        self.offset = n

    def train(self, steps: int) -> None:
        L = len(self.layers) - 1
        blocks, gblocks, wt = self.blocks, self.gblocks, self.wt
        z, a, a_aug, d, tmp = self.z, self.a, self.a_aug, self.d, self.tmp
        flat, grad, B, n = self.flat, self.grad, self.batch, self.n
        scale = self.lr / B
        for _ in range(steps):
            if self.offset + B > n:  # new epoch (only full batches, to keep the loop minimal)
                perm = self.rng.permutation(n)
                self.xe, self.te, self.offset = self.x_aug[perm], self.t[perm], 0
            o = self.offset
            self.offset = o + B
            x, t = self.xe[o:o + B], self.te[o:o + B]
            inp = x
            for k in range(L):
                np.matmul(inp, blocks[k], out=z[k])
                np.tanh(z[k], out=a[k])
                if k < L - 1:
                    inp = a_aug[k]
            out = a[L - 1]
            dk = d[L - 1]
            np.subtract(out, t, out=dk)                 # ŷ − y
            np.multiply(out, out, out=tmp[L - 1])
            np.subtract(scale, np.multiply(tmp[L - 1], scale, out=tmp[L - 1]), out=tmp[L - 1])
            np.multiply(dk, tmp[L - 1], out=dk)         # (lr/B)·(ŷ − y)·(1 − ŷ²)
            for k in range(L - 1, -1, -1):
                prev = x if k == 0 else a_aug[k - 1]
                np.matmul(prev.T, d[k], out=gblocks[k])
                if k:
                    np.matmul(d[k], wt[k], out=d[k - 1])
                    np.multiply(a[k - 1], a[k - 1], out=tmp[k - 1])
                    np.subtract(1.0, tmp[k - 1], out=tmp[k - 1])
                    np.multiply(d[k - 1], tmp[k - 1], out=d[k - 1])
            np.subtract(flat, grad, out=flat)
