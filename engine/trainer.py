"""Mini-batch gradient descent, advanced one phase at a time or thousands of iterations fast.

One iteration on a mini-batch is the phase sequence
    forward 1 … forward L → loss → backward L … backward 1 → update
(`phases`), and `cursor` says which phase comes next. Each phase is one public method named after
the seed's equations (`forward`: eqs. 1–3, `loss`: eq. 5, `backward`: eq. 4, `update`: eq. 6)
working in place on named, preallocated buffers (buffers.py) through calls bound once per batch size
(phases.py). The fast path runs exactly the same calls back to back, and the traced path only copies
what they wrote (tracing.py), so traced and untraced training give the same numbers bit for bit.

Conventions (seed notation): z = a_prev @ W + b (eq. 1), a = f(z) (eqs. 2–3), E_s the error of sample
s (eq. 5) and E the batch mean, delta = ∂E_s/∂z per sample (eq. 4's first two factors), grads =
∑ over the batch of a_prevᵀ·delta, update W ← W − η ∂E/∂W (eq. 6) with ∂E/∂W = grads / b, plus
optional momentum and L1/L2 regularisation on weights (never biases).

Not here: losses over whole datasets, histories and divergence messages (experiment.py), JSON (state).
"""
from __future__ import annotations

import numpy as np

from engine.activations import get_activation
from engine import phases
from engine.buffers import Buffers
from engine.hyperparameters import Hyperparameters
from engine.losses import get_loss
from engine.network import Architecture, Parameters, block_layout

CHECK_EVERY = 32  # the fast path checks `broken` once per chunk and replays a bad chunk step by step
EXPLODED = 1e3  # outputs this far beyond the largest target (plus 1): the loss has exploded


def phase_list(depth: int) -> list[tuple[str, int | None]]:
    """The phases of one iteration, in order: (name, layer)."""
    return ([("forward", l) for l in range(1, depth + 1)] + [("loss", None)]
            + [("backward", l) for l in range(depth, 0, -1)] + [("update", None)])


class Trainer:
    """Owns the training set, the parameters' optimiser state and the phase cursor.

    x_train: (n, d) inputs (already the chosen features); t_train: (n, k) targets, encoded for the
    output activation. `rng` draws each epoch's shuffle and is part of the saved state.
    Public values the phases leave behind: `buf` (this batch's Buffers), `x_batch` (b, d+1) and
    `y_batch` (b, k) (the batch's rows), `grads` (∑ a_prevᵀ·delta in the parameter layout), and
    the update's terms `descent` (η/b · grads) and `shrink` (the regularisation step).
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
        self.loss_function = get_loss(arch.loss)
        self.fused = self.loss_function.fused_with == arch.output_activation
        self.acts = [None] + [get_activation(arch.activation_of(l)) for l in range(1, arch.depth + 1)]
        self.phases = phase_list(arch.depth)
        self.velocity = np.zeros_like(params.flat)
        self.grads = Parameters(arch)
        self.descent = np.zeros_like(params.flat)
        self.shrink = np.zeros_like(params.flat)
        self._change = np.zeros_like(params.flat)
        self._rate = np.zeros_like(params.flat)  # η/b in every entry: an array operand is cheapest
        self._rate_of = (0.0, 0)                  # …for this (η, b)
        self.step = 0        # iterations completed
        self.epoch = 0       # epochs completed
        self.cursor = 0      # index into self.phases of the next phase
        self.order: np.ndarray | None = None  # this epoch's shuffle of the training set
        self.offset = 0      # first row (in `order`) of the current or next batch
        self.b = 0           # rows in the current batch (valid while cursor > 0)
        self._bound: dict[int, tuple] = {}  # batch size → (Buffers, each phase's calls, all of them)
        self.buf: Buffers | None = None
        self._ops: list = []
        self._iteration_ops: list = []
        self._data = np.hstack([self.x_aug, self.t])  # (n, d+1+k): one gather a shuffle, one copy a batch
        self._xy = None  # this epoch's shuffled inputs and targets, feature-major (d+1+k, n)
        self.layout = block_layout(arch)  # (start, stop, rows, cols) of each [W; b] block in the flat buffer
        zeros = np.zeros_like(params.flat)
        zeros.setflags(write=False)
        self.zero_split = arch.split(zeros)  # shared, read-only "no contribution" views for records
        self.explodes_at = EXPLODED * (1.0 + (float(np.abs(self.t).max()) if self.t.size else 0.0))
        self.failure: str | None = None  # why training broke down (`broken`), for the divergence message

    # ---- batches and epochs -------------------------------------------------------------------
    def set_order(self, order: np.ndarray | None) -> None:
        """Install an epoch's shuffle (also used when restoring state)."""
        self.order = order
        if order is not None:
            self._xy = np.ascontiguousarray(self._data[order].T)
            # Phase records keep views of these instead of copies: make sure nothing writes to them.
            for array in (order, self._xy):
                array.setflags(write=False)

    def begin_batch(self) -> None:
        """Take the next `batch_size` rows of this epoch's shuffle (fewer at the end of an epoch)."""
        if self.order is None:
            self.set_order(self.rng.permutation(self.n))
        o, b = self.offset, self.hyper.batch_size
        if o + b > self.n:
            b = self.n - o
        bound = self._bound.get(b)
        if bound is None:
            if len(self._bound) > 4:
                self._bound.clear()
            buf = Buffers(self.arch, b, self.fused)
            ops = phases.bind(self.arch, buf, self.params, self.grads, self.acts, self.fused)
            bound = self._bound[b] = (buf, ops, [op for phase in ops for op in phase])
        self.b, self.buf = b, bound[0]
        self._ops, self._iteration_ops = bound[1], bound[2]
        np.copyto(self.buf.xy, self._xy[:, o:o + b])

    @property
    def x_batch(self) -> np.ndarray:
        """The batch's inputs (b, d+1), with a last column of ones: a read-only view."""
        return self._xy[:self.arch.layers[0] + 1, self.offset:self.offset + self.b].T

    @property
    def y_batch(self) -> np.ndarray:
        """The batch's targets (b, k): a read-only view."""
        return self._xy[self.arch.layers[0] + 1:, self.offset:self.offset + self.b].T

    def end_iteration(self) -> None:
        self.step, self.cursor, self.offset = self.step + 1, 0, self.offset + self.b
        if self.offset >= self.n:
            self.epoch, self.offset, self.order = self.epoch + 1, 0, None

    def iterations_left_in_epoch(self) -> int:
        """Whole iterations until the current epoch ends (a partial one counts as one)."""
        start = self.offset + (self.b if self.cursor else 0)
        remaining = self.n - start
        full = -(-remaining // self.hyper.batch_size)
        return full + (1 if self.cursor else 0)

    def batch_indices(self) -> np.ndarray:
        """Training-set row of every sample in the current batch (b,)."""
        return self.order[self.offset:self.offset + self.b]

    def regularizing(self) -> bool:
        h = self.hyper
        return h.regularization != "none" and h.regularization_rate > 0

    # ---- the phases (in place, shared by the traced and the fast path) --------------------------
    def forward(self, l: int) -> None:
        """Eqs. 1–3 for layer l over the batch: z = [W; b]ᵀ·[a_prev; 1], then a = f(z)."""
        _run(self._ops[l - 1])

    def loss(self) -> None:
        """Eq. 5's derivative for every sample: ∂E_s/∂ŷ = ŷ − y (see phases.loss)."""
        _run(self._ops[self.arch.depth])

    def backward(self, l: int) -> None:
        """Eq. 4 for layer l: δ_l = ∂E_s/∂a_l · f'(z_l) and grads_l = ∑ a_prevᵀ·δ_l (phases.backward)."""
        _run(self._ops[2 * self.arch.depth + 1 - l])

    def update(self) -> None:
        """Eq. 6 over every parameter at once: θ ← θ − η/b·grads, plus the regularisation step on
        weights (L2: ηλ·w, L1: ηλ·sign w) and momentum (v ← μv + step; θ ← θ − v)."""
        h, flat = self.hyper, self.params.flat
        if self._rate_of != (h.learning_rate, self.b):
            self._rate_of = (h.learning_rate, self.b)
            self._rate.fill(h.learning_rate / self.b)
        np.multiply(self.grads.flat, self._rate, self.descent)
        change = self.descent
        if self.regularizing():
            shrink = self.shrink
            if h.regularization == "l2":
                np.multiply(flat, self.params.weight_mask, shrink)
            else:
                np.sign(flat, shrink)
                np.multiply(shrink, self.params.weight_mask, shrink)
            np.multiply(shrink, h.learning_rate * h.regularization_rate, shrink)
            change = np.add(self.descent, shrink, self._change)
        if h.momentum > 0:
            np.multiply(self.velocity, h.momentum, self.velocity)
            change = np.add(self.velocity, change, self.velocity)
        np.subtract(flat, change, flat)

    def _run_phase(self, index: int) -> None:
        if index == 0:
            self.begin_batch()
        if index == len(self.phases) - 1:
            self.update()
        else:
            _run(self._ops[index])

    # ---- advancing ------------------------------------------------------------------------------
    def advance_phase(self) -> tuple[str, int | None]:
        """Run the next phase; returns its (name, layer)."""
        index = self.cursor
        self._run_phase(index)
        if index == len(self.phases) - 1:
            self.end_iteration()
        else:
            self.cursor = index + 1
        return self.phases[index]

    def _iterations(self, count: int) -> None:
        """`count` whole iterations, untraced: the hot loop (the same phases as advance_phase)."""
        for _ in range(count):
            self.begin_batch()
            for f, args in self._iteration_ops:
                f(*args)
            self.update()
            self.end_iteration()

    def restart_iteration(self) -> None:
        """Forget the phases done on the current batch; the next phase is forward 1 on the same batch.
        Needed when a parameter is edited mid-iteration: the buffers hold numbers from the old value."""
        self.cursor = 0

    def finish_iteration(self) -> None:
        while self.cursor:
            self.advance_phase()

    def broken(self) -> str | None:
        """Why training cannot go on, or None: a parameter is not finite, or the last batch's outputs
        exploded (squared error a million times its scale; it overflows soon after)."""
        finite = np.isfinite(self.params.flat).all()
        if finite and (self.buf is None or np.abs(self.buf.a[-1]).max(initial=0.0) <= self.explodes_at):
            return None
        self.failure = "the loss exploded" if finite else "the weights overflowed to infinity or NaN"
        return self.failure
    def run(self, iterations: int, climb=None) -> int | None:
        """Advance `iterations` whole iterations untraced (a partial one in progress counts as one).
        Returns None, or the 1-based step at which training broke down (`broken`, reason in `failure`),
        the parameters left as they were before it. The bad chunk is replayed step by step; given
        `climb`, so is the chunk before it in this call, calling `climb()` after each good step
        (so a caller can record the climb to the breakdown: CHECK_EVERY to 2·CHECK_EVERY steps)."""
        done, before = 0, None  # before: (snapshot, iterations) of the previous chunk of this call
        while done < iterations:
            chunk = 1 if self.cursor else min(CHECK_EVERY, iterations - done)  # a partial one alone
            snapshot = self.snapshot()
            self.finish_iteration() if self.cursor else self._iterations(chunk)
            if self.broken():
                start, replay = (before[0], before[1] + chunk) if before and climb else (snapshot, chunk)
                self.restore(start)
                for _ in range(replay):
                    good = self.snapshot()
                    self.finish_iteration() if self.cursor else self._iterations(1)
                    if self.broken():
                        self.restore(good)
                        return self.step + 1
                    if climb is not None:
                        climb()
            before = (snapshot, chunk)
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


def _run(ops: list) -> None:
    for f, args in ops:
        f(*args)
