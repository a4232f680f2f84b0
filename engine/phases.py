"""The phases of one iteration as NumPy calls bound to one batch size's buffers (seed eqs. 1–5).

Each phase is a short list of (function, arguments) pairs built once per batch size: running it is
a loop over calls with nothing left to look up, which matters because at these sizes a NumPy call
costs about a microsecond, arithmetic included. The trainer runs one phase's list at a time when
stepping or tracing, and all of them back to back on the fast path: the same calls on the same
arrays, hence the same numbers bit for bit. Arrays are feature-major (see buffers.py).

Not here: the update (eq. 6; trainer.py), whose terms depend on hyperparameters that change
between iterations, and anything a record keeps (tracing.py).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from engine.buffers import Buffers
from engine.network import Architecture, Parameters

Op = tuple[Callable, tuple]


def forward(buf: Buffers, params: Parameters, acts: list, l: int) -> list[Op]:
    """Eqs. 1–3 for layer l: z = [W; b]ᵀ·[a_prev; 1] (the bias rides on the row of ones), a = f(z)."""
    z, a, act = buf.z[l], buf.a[l], acts[l]
    ops = [(np.dot, (params.blocks[l - 1].T, buf.x_T if l == 1 else buf.a_in[l - 1], z))]
    if act.ufunc is not None:
        ops.append((act.ufunc, (z, a)))
    elif act.elementwise:
        ops.append((act.forward, (z, a, buf.da_dz[l])))  # da_dz is free scratch until backward L
    else:  # softmax normalises over each sample's neurons: give it batch-major views
        ops.append((act.forward, (z.T, a.T, None)))
    return ops


def loss(buf: Buffers, fused: bool) -> list[Op]:
    """The derivative of eq. 5 for every sample: ∂E_s/∂ŷ = ŷ − y. Nothing when the loss is fused
    with the output activation: backward L then takes δ = ŷ − y directly."""
    return [] if fused else [(np.subtract, (buf.a[-1], buf.y_T, buf.dE_dy))]


def backward(buf: Buffers, params: Parameters, grads: Parameters, acts: list, l: int,
             fused: bool) -> list[Op]:
    """Eq. 4 for layer l: δ_l = ∂E_s/∂a_l · f'(z_l), then grads_l = [a_prev; 1]·δ_lᵀ (the sum over
    the batch). Backward L first takes f'(z) of every layer, one call per run of layers sharing an
    activation; a hidden layer's ∂E_s/∂a_l is W_l·δ_{l+1}."""
    L, delta = len(acts) - 1, buf.delta[l]
    ops: list[Op] = []
    if l == L:
        ops += [(derivative, (a, out, one)) for a, out, derivative, one in buf.spans]
        dE_da = buf.dE_dy
    else:
        dE_da = buf.dE_da[l]
        ops.append((np.dot, (params.weights[l], buf.delta[l + 1], dE_da)))
    if l == L and fused:  # σ with binary or softmax with categorical cross-entropy
        ops.append((np.subtract, (buf.a[l], buf.y_T, delta)))
    elif acts[l].identity_derivative:
        ops.append((np.copyto, (delta, dE_da)))
    else:
        ops.append((np.multiply, (dE_da, buf.da_dz[l], delta)))
    ops.append((np.dot, (buf.x_T if l == 1 else buf.a_in[l - 1], delta.T, grads.blocks[l - 1])))
    return ops


def bind(arch: Architecture, buf: Buffers, params: Parameters, grads: Parameters, acts: list,
         fused: bool) -> list[list[Op]]:
    """The calls of every phase but the update, in phase order (forward 1…L, loss, backward L…1)."""
    L = arch.depth
    return ([forward(buf, params, acts, l) for l in range(1, L + 1)] + [loss(buf, fused)]
            + [backward(buf, params, grads, acts, l, fused) for l in range(L, 0, -1)])
