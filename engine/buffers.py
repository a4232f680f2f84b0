"""Preallocated per-layer work arrays for the trainer, so a training step allocates nothing."""
from __future__ import annotations

import numpy as np

from engine.network import Architecture


class Buffers:
    """Per-layer work arrays for batches of up to `capacity` rows, and views cut to `b` rows.

    `a_aug[l]` (capacity, n_l + 1) keeps a last column of ones so `a_aug[l] @ blocks[l]` is eq. 1 with
    the bias included; `a[l]` is its first n_l columns. Index 0 of every list is unused except `a`.
    """

    def __init__(self, arch: Architecture, capacity: int):
        L, sizes = arch.depth, arch.layers
        self.capacity = capacity
        self.z = [None] + [np.zeros((capacity, n)) for n in sizes[1:]]
        self.a_aug = [None] + [np.ones((capacity, n + 1)) for n in sizes[1:-1]] + [None]
        self.a_full = [None] + [m[:, :-1] for m in self.a_aug[1:-1]] + [np.zeros((capacity, sizes[-1]))]
        self.delta = [None] + [np.zeros((capacity, n)) for n in sizes[1:]]
        self.fprime = [None] + [np.zeros((capacity, n)) for n in sizes[1:]]
        self.dE_dy = np.zeros((capacity, sizes[-1]))
        self._cut: dict[int, tuple] = {}
        self.depth = L

    def cut(self, b: int) -> tuple:
        """(z, a, a_aug_in, delta, fprime, dE_dy) lists of views with b rows; cached per b."""
        views = self._cut.get(b)
        if views is None:
            L = self.depth
            views = (
                [None] + [self.z[l][:b] for l in range(1, L + 1)],
                [None] + [self.a_full[l][:b] for l in range(1, L + 1)],
                [None] + [self.a_aug[l][:b] for l in range(1, L)],  # input side of layer l+1
                [None] + [self.delta[l][:b] for l in range(1, L + 1)],
                [None] + [self.fprime[l][:b] for l in range(1, L + 1)],
                self.dE_dy[:b],
            )
            self._cut[b] = views
        return views
