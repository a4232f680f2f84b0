"""Mini-batch gradient descent, advanced one phase at a time or thousands of iterations fast.

One iteration on a mini-batch is the phase sequence
    forward 1 … forward L → loss → backward L … backward 1 → update
(`PHASES`), and `cursor` says which phase comes next. Each phase is one method working in place on
preallocated buffers; the traced path calls exactly the same methods and only copies what they wrote
into records, so traced and untraced training give the same numbers bit for bit.

Conventions (seed notation): z = a_prev @ W + b (eq. 1), a = f(z) (eqs. 2–3), E_s the error of sample
s (eq. 5) and E the batch mean, delta = ∂E_s/∂z per sample (eq. 4's first two factors), grad_weights
= ∂E/∂W = mean over the batch of a_prevᵀ·delta, update W ← W − η ∂E/∂W (eq. 6) plus optional momentum
and L1/L2 regularisation on weights (never biases). Arrays are batch-major: (batch, neurons).

Not here: losses over whole datasets, histories and divergence messages (experiment.py), JSON (state).
"""
from __future__ import annotations

import numpy as np

from engine.activations import get_activation
from engine.buffers import Buffers
from engine.hyperparameters import Hyperparameters
from engine.losses import get_loss
from engine.network import Architecture, Parameters, block_layout

# The fast path checks for non-finite weights once per chunk and replays a bad chunk step by step.
CHECK_EVERY = 32


def phase_list(depth: int) -> list[tuple[str, int | None]]:
    """The phases of one iteration, in order: (name, layer)."""
    return ([("forward", l) for l in range(1, depth + 1)] + [("loss", None)]
            + [("backward", l) for l in range(depth, 0, -1)] + [("update", None)])


class Trainer:
    """Owns the training set, the parameters' optimiser state and the phase cursor.

    x_train: (n, d) inputs (already the chosen features); t_train: (n, k) targets, encoded for the
    output activation. `rng` draws each epoch's shuffle and is part of the saved state.
    """

    def __init__(self, arch: Architecture, params: Parameters, x_train: np.ndarray,
                 t_train: np.ndarray, hyper: Hyperparameters, rng: np.random.Generator):
        hyper.validate()
        self.arch, self.params, self.hyper, self.rng = arch, params, hyper, rng
        n = x_train.shape[0]
        self.x_aug = np.ones((n, x_train.shape[1] + 1))
        self.x_aug[:, :-1] = x_train
        self.t = np.ascontiguousarray(t_train, dtype=np.float64)
        self.n = n
        self.loss = get_loss(arch.loss)
        self.fused = self.loss.fused_with == arch.output_activation
        self.acts = [None] + [get_activation(arch.activation_of(l)) for l in range(1, arch.depth + 1)]
        self.phases = phase_list(arch.depth)
        self.velocity = np.zeros_like(params.flat)
        self.grads = Parameters(arch)            # ∑ over the batch of a_prevᵀ·delta, same layout
        self._step = np.zeros_like(params.flat)  # what the update subtracts
        self._reg = np.zeros_like(params.flat)
        self.step = 0        # iterations completed
        self.epoch = 0       # epochs completed
        self.cursor = 0      # index into self.phases of the next phase
        self.order: np.ndarray | None = None  # this epoch's shuffle of the training set
        self.offset = 0      # first row (in `order`) of the current or next batch
        self.b = 0           # rows in the current batch (valid while cursor > 0)
        self._buf = Buffers(arch, min(hyper.batch_size, n))
        self._xe = self._te = None
        self.layout = block_layout(arch)  # (start, stop, rows, cols) of each [W; b] block in the flat buffer
        zeros = np.zeros_like(params.flat)
        zeros.setflags(write=False)
        self.zero_split = arch.split(zeros)  # shared, read-only "no contribution" views for records

    # ---- batches and epochs -------------------------------------------------------------------
    def set_order(self, order: np.ndarray | None) -> None:
        """Install an epoch's shuffle (also used when restoring state)."""
        self.order = order
        if order is not None:
            self._xe = self.x_aug[order]
            self._te = self.t[order]
            # Phase records keep views of these instead of copies: make sure nothing writes to them.
            for array in (order, self._xe, self._te):
                array.setflags(write=False)

    def _begin_batch(self) -> None:
        if self.order is None:
            self.set_order(self.rng.permutation(self.n))
        b = min(self.hyper.batch_size, self.n - self.offset)
        if b > self._buf.capacity:
            self._buf = Buffers(self.arch, min(self.hyper.batch_size, self.n))
        self.b = b
        self._x = self._xe[self.offset:self.offset + b]
        self._tb = self._te[self.offset:self.offset + b]
        self._v = self._buf.cut(b)

    def _end_iteration(self) -> None:
        self.step += 1
        self.cursor = 0
        self.offset += self.b
        if self.offset >= self.n:
            self.epoch += 1
            self.offset = 0
            self.order = None

    def iterations_left_in_epoch(self) -> int:
        """Whole iterations until the current epoch ends (a partial one counts as one)."""
        start = self.offset + (self.b if self.cursor else 0)
        remaining = self.n - start
        full = -(-remaining // self.hyper.batch_size)
        return full + (1 if self.cursor else 0)

    def batch_indices(self) -> np.ndarray:
        """Training-set row of every sample in the current batch (b,)."""
        return self.order[self.offset:self.offset + self.b]

    # ---- the phases (in place, shared by the traced and the fast path) --------------------------
    def _forward(self, l: int) -> None:
        z, a, a_in, _, fprime, _ = self._v
        x = self._x if l == 1 else a_in[l - 1]
        np.matmul(x, self.params.blocks[l - 1], out=z[l])
        self.acts[l].forward(z[l], a[l], fprime[l])

    def _loss(self) -> None:
        if not self.fused:
            np.subtract(self._v[1][-1], self._tb, out=self._v[5])  # ∂E_s/∂ŷ = ŷ − y (eq. 5)

    def _backward(self, l: int, rec: dict | None = None) -> None:
        z, a, a_in, delta, fprime, dE_dy = self._v
        act = self.acts[l]
        if l == self.arch.depth:
            if self.fused:  # σ with binary or softmax with categorical cross-entropy: δ = ŷ − y
                np.subtract(a[l], self._tb, out=delta[l])
            elif act.identity_derivative:
                np.copyto(delta[l], dE_dy)
            else:
                act.derivative(z[l], a[l], fprime[l])
                np.multiply(dE_dy, fprime[l], out=delta[l])
        else:
            np.matmul(delta[l + 1], self.params.weights[l].T, out=delta[l])  # ∂E_s/∂a_l
            if rec is not None:
                rec["dE_da"] = delta[l].copy()
            if not act.identity_derivative:
                act.derivative(z[l], a[l], fprime[l])
                np.multiply(delta[l], fprime[l], out=delta[l])
        x = self._x if l == 1 else a_in[l - 1]
        np.matmul(x.T, delta[l], out=self.grads.blocks[l - 1])

    def _update(self, rec: dict | None = None) -> None:
        h, flat = self.hyper, self.params.flat
        np.multiply(self.grads.flat, h.learning_rate / self.b, out=self._step)
        if rec is not None:
            rec["gradient_term"] = -self._step
        if h.regularization != "none" and h.regularization_rate > 0:
            reg = self._reg
            if h.regularization == "l2":
                np.multiply(flat, self.params.weight_mask, out=reg)
            else:
                np.sign(flat, out=reg)
                np.multiply(reg, self.params.weight_mask, out=reg)
            np.multiply(reg, h.learning_rate * h.regularization_rate, out=reg)
            np.add(self._step, reg, out=self._step)
            if rec is not None:
                rec["regularization_term"] = -reg
        if h.momentum > 0:
            if rec is not None:
                rec["momentum_term"] = -h.momentum * self.velocity
            np.multiply(self.velocity, h.momentum, out=self.velocity)
            np.add(self.velocity, self._step, out=self.velocity)
            np.subtract(flat, self.velocity, out=flat)
        else:
            np.subtract(flat, self._step, out=flat)

    def _run_phase(self, index: int, rec: dict | None = None) -> None:
        name, layer = self.phases[index]
        if index == 0:
            self._begin_batch()
        if name == "forward":
            self._forward(layer)
        elif name == "loss":
            self._loss()
        elif name == "backward":
            self._backward(layer, rec)
        else:
            self._update(rec)

    # ---- advancing ------------------------------------------------------------------------------
    def advance_phase(self, rec: dict | None = None) -> tuple[str, int | None]:
        """Run the next phase; returns its (name, layer). `rec` collects the update's split terms."""
        index = self.cursor
        self._run_phase(index, rec)
        if index == len(self.phases) - 1:
            self._end_iteration()
        else:
            self.cursor = index + 1
        return self.phases[index]

    def _iteration(self) -> None:
        """One whole iteration, untraced: the hot loop."""
        self._begin_batch()
        L = self.arch.depth
        for l in range(1, L + 1):
            self._forward(l)
        self._loss()
        for l in range(L, 0, -1):
            self._backward(l)
        self._update()
        self._end_iteration()

    def restart_iteration(self) -> None:
        """Forget the phases done on the current batch; the next phase is forward 1 on the same batch.
        Needed when a parameter is edited mid-iteration: the buffers hold numbers from the old value."""
        self.cursor = 0

    def finish_iteration(self) -> None:
        while self.cursor:
            self.advance_phase()

    def run(self, iterations: int) -> int | None:
        """Advance `iterations` whole iterations untraced (a partial one in progress counts as one).

        Returns None, or the 1-based step whose update made a weight non-finite; training then stops
        with the parameters as they were before that step.
        """
        done = 0
        if self.cursor:
            snapshot = self.snapshot()
            self.finish_iteration()
            done = 1
            if not np.isfinite(self.params.flat).all():
                self.restore(snapshot)
                return self.step + 1
        while done < iterations:
            chunk = min(CHECK_EVERY, iterations - done)
            snapshot = self.snapshot()
            for _ in range(chunk):
                self._iteration()
            if not np.isfinite(self.params.flat).all():
                self.restore(snapshot)
                for _ in range(chunk):
                    before = self.snapshot()
                    self._iteration()
                    if not np.isfinite(self.params.flat).all():
                        self.restore(before)
                        return self.step + 1
            done += chunk
        return None

    def clone(self, replay: bool = True) -> "Trainer":
        """An independent twin with fresh buffers at the same batch; at the same phase when `replay`,
        else at the start of the batch in progress (for dry runs that must not touch this one)."""
        hyper = Hyperparameters(**vars(self.hyper))
        rng = np.random.default_rng()
        rng.bit_generator.state = self.rng.bit_generator.state
        twin = Trainer(self.arch, self.params.copy(), self.x_aug[:, :-1], self.t, hyper, rng)
        twin.velocity[...] = self.velocity
        twin.step, twin.epoch, twin.offset = self.step, self.epoch, self.offset
        twin.set_order(self.order)
        if self.cursor and not replay:
            hyper.batch_size = self.b  # the batch in progress keeps the size it started with
        elif self.cursor:
            twin.replay_to(self.cursor, self.b)
        return twin

    # ---- cheap in-memory checkpoints (divergence replay, dry runs) -------------------------------
    def snapshot(self) -> tuple:
        return (self.params.flat.copy(), self.velocity.copy(), self.step, self.epoch, self.cursor,
                self.order, self.offset, self.b, self.rng.bit_generator.state)

    def restore(self, snap: tuple) -> None:
        flat, velocity, self.step, self.epoch, cursor, order, self.offset, b, rng_state = snap
        self.params.flat[...] = flat
        self.velocity[...] = velocity
        self.rng.bit_generator.state = rng_state
        self.set_order(order)
        self.cursor = 0
        self.replay_to(cursor, b)

    def replay_to(self, cursor: int, b: int) -> None:
        """Recompute the phases before `cursor` of the current batch (weights do not change until
        the update, so this reproduces the buffers exactly). Used after restoring a saved state."""
        if cursor == 0:
            return
        saved = self.hyper.batch_size
        self.hyper.batch_size = b  # the batch in progress keeps the size it started with
        try:
            while self.cursor < cursor:
                self.advance_phase()
        finally:
            self.hyper.batch_size = saved
