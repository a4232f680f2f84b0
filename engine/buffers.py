"""The trainer's work arrays for one batch size, named after the seed's quantities and preallocated,
so a training step allocates nothing.

Arrays are feature-major: layer l's arrays have shape (n_l, b), one column per sample, so every
layer's slice of a joined buffer is contiguous and eq. 1 for a whole batch is one `np.dot` against
the parameter block [W; b]ᵀ. (Records and the API are batch-major: tracing.py transposes its copies.)
All layers' activations live in one buffer `a_all` in which each layer keeps a last row of ones (the
bias input of the next layer), so f'(z) of adjacent layers with the same activation is one call over
one slice of it (`spans`).

Not here: what the numbers mean for training (trainer.py) or which quantities a record keeps.
"""
from __future__ import annotations

import numpy as np

from engine.activations import get_activation
from engine.network import Architecture


class Buffers:
    """Work arrays of a batch of exactly `b` samples. Index 0 of every per-layer list is unused.

    x_T       (n_0+1, b)  the batch's inputs with a row of ones; y_T (n_L, b) its targets
    z[l]      (n_l, b)    weighted sums, eq. 1
    a[l]      (n_l, b)    activations f(z), eqs. 2–3 (views of `a_all`)
    a_in[l]   (n_l+1, b)  a[l] with a row of ones under it: the input of layer l+1 (l < L)
    dE_dy     (n_L, b)    ∂E_s/∂ŷ of the loss, eq. 5
    dE_da[l]  (n_l, b)    ∂E_s/∂a_l for hidden layers (the sum over the next layer's deltas)
    da_dz[l]  (n_l, b)    f'(z_l), eq. 4's middle factor (views of `da_dz_all`)
    delta[l]  (n_l, b)    ∂E_s/∂z_l = dE_da · da_dz, eq. 4's first two factors
    """

    def __init__(self, arch: Architecture, b: int, fused: bool):
        L, sizes = arch.depth, arch.layers
        self.b = b
        self.xy = np.zeros((sizes[0] + 1 + sizes[-1], b))  # the batch, copied in: inputs and targets
        self.x_T, self.y_T = self.xy[:sizes[0] + 1], self.xy[sizes[0] + 1:]
        rows = [n + 1 for n in sizes[1:]]
        starts = np.concatenate([[0], np.cumsum(rows)]).astype(int).tolist()
        self.a_all = np.ones((starts[-1], b))
        self.da_dz_all = np.zeros((starts[-1], b))
        self.z = [None] + [np.zeros((n, b)) for n in sizes[1:]]
        self.a = [None] + [self.a_all[starts[l - 1]:starts[l - 1] + sizes[l]] for l in range(1, L + 1)]
        self.a_in = [None] + [self.a_all[starts[l - 1]:starts[l]] for l in range(1, L)]
        self.da_dz = [None] + [self.da_dz_all[starts[l - 1]:starts[l - 1] + sizes[l]] for l in range(1, L + 1)]
        self.dE_da = [None] + [np.zeros((n, b)) for n in sizes[1:-1]] + [None]
        self.dE_dy = np.zeros((sizes[-1], b))
        self.delta = [None] + [np.zeros((n, b)) for n in sizes[1:]]
        acts = [None] + [get_activation(arch.activation_of(l)) for l in range(1, L + 1)]
        self.spans = self._spans(acts, starts, fused)

    def _spans(self, acts: list, starts: list[int], fused: bool) -> list[tuple]:
        """Adjacent layers sharing an activation with a derivative to compute (not linear's 1, not
        the output when the loss is fused with it), as (a slice, da_dz slice, activation, ones)."""
        spans: list[list] = []
        L = len(acts) - 1
        for l in range(1, L + 1):
            act = acts[l]
            if act.identity_derivative or act.derivative is None or (l == L and fused):
                continue
            if spans and spans[-1][2] is act and spans[-1][1] == l - 1:
                spans[-1][1] = l
            else:
                spans.append([l, l, act])
        out = []
        for first, last, act in spans:
            a = self.a_all[starts[first - 1]:starts[last]]
            out.append((a, self.da_dz_all[starts[first - 1]:starts[last]], act.derivative, np.ones_like(a)))
        return out
