"""One network with its data and training run: what the server keeps per id.

Ties the pieces together: a normalised config, the dataset and its features, the architecture,
parameters and trainer, the metric history, and divergence. `advance` is the single entry point for
training (by phase, iteration or epoch; traced or fast; engine/advancing.py cuts the work up) and never
lets a NaN escape: a step that overflows is undone and the experiment is marked `diverged` with a
human reason until reset.
"""
from __future__ import annotations

import numpy as np

from engine import advancing, evaluate, fields, targets
from engine.datasets import Dataset, generate
from engine.errors import DivergedError, EngineError, divergence_advice
from engine.features import apply_features
from engine.history import History
from engine.hyperparameters import Hyperparameters
from engine.metrics import SetMetrics, finite_or_none, gradient_norms, last_gradients
from engine.network import Architecture, Parameters, initialise, parse_bias_id, parse_weight_id
from engine.trainer import Trainer

DEFAULTS = fields.config_defaults()  # the defaults are stated in engine/fields.py only
DATASET_DEFAULTS = fields.dataset_defaults()
HYPERPARAMETERS = fields.live_names()
STEP_UNITS = ("phase", "iteration", "epoch")


def normalise_config(config: dict | None) -> dict:
    """Fill defaults and canonical forms (activation as one name per hidden layer)."""
    cfg = {**fields.config_defaults(), **{k: v for k, v in (config or {}).items() if v is not None}}
    cfg["layers"] = [int(n) for n in cfg["layers"]]
    hidden = len(cfg["layers"]) - 2
    if isinstance(cfg["activation"], str):
        cfg["activation"] = [cfg["activation"]] * max(hidden, 0)
    cfg["activation"] = list(cfg["activation"])
    cfg["features"] = list(cfg["features"]) if cfg["features"] is not None else None
    if cfg["init"] != "explicit":
        fields.check("init", cfg["init"])
    return cfg


def _fitted(config: dict, ds: Dataset) -> dict:
    """A multi-class dataset opens with its output layer (targets.output_layer) where the config is silent."""
    if ds.kind != "classification" or ds.n_classes <= 2:
        return config
    out = targets.output_layer(ds.kind, ds.n_classes)
    fit = {}
    if config.get("output_activation") is None:
        fit["output_activation"] = out["output_activation"]
        if config.get("loss") is None:
            fit["loss"] = out["loss"]
    if config.get("layers") is None:
        fit["layers"] = [*DEFAULTS["layers"][:-1], out["units"]]
    return {**config, **fit}


class Experiment:
    timeline = None  # an engine.timeline.Timeline when rewinding is wanted: told of every stop and change

    def __init__(self, config: dict, dataset: Dataset, params: Parameters | None = None):
        cfg = normalise_config(config)
        self.dataset = dataset
        self.arch = Architecture.build(cfg["layers"], cfg["activation"], cfg["output_activation"], cfg["loss"])
        if dataset.n_features != 2:
            cfg["features"] = None
        self.features = cfg["features"]
        self.x_train, self.x_test = self._inputs(dataset.x_train), self._inputs(dataset.x_test)
        if self.x_train.shape[1] != self.arch.layers[0]:
            what = f"{self.x_train.shape[1]} features are selected" if self.features else \
                f"the data has {self.x_train.shape[1]} input columns"
            raise EngineError(f"layers[0] is {self.arch.layers[0]} but {what}; the input layer needs "
                              f"one neuron per input")
        width = dataset.y_train.shape[1] if dataset.kind == "regression" else 1
        targets.check_outputs(dataset.kind, dataset.n_classes, self.arch.layers[-1], width,
                              self.arch.output_activation)
        self.t_train = targets.encode(dataset.kind, dataset.y_train, self.arch.layers[-1], self.arch.output_activation)
        self.t_test = targets.encode(dataset.kind, dataset.y_test, self.arch.layers[-1], self.arch.output_activation)
        if self.arch.loss == "binary_cross_entropy" and not ((self.t_train >= 0) & (self.t_train <= 1)).all():
            raise EngineError("binary_cross_entropy needs targets between 0 and 1; use mse for these targets")
        self.hyper = Hyperparameters(**{k: cfg[k] for k in HYPERPARAMETERS})
        self.hyper.batch_size = int(self.hyper.batch_size)
        self.hyper.validate()
        self.config = cfg
        self._grids: dict[int, evaluate.GridEvaluator] = {}
        self._metrics: SetMetrics | None = None
        self.edits = 0  # edits made in place (`_changed`): with the counters and history, a version
        self.reset(cfg["seed"], params)
        if self.diverged:
            raise EngineError("the network's outputs overflow before any training (the loss is not a "
                              "finite number): scale the input data or targets down, or use smaller "
                              "explicit weights")

    @classmethod
    def create(cls, config: dict | None = None, dataset: dict | None = None, data: dict | None = None,
               weights=None, biases=None) -> "Experiment":
        """Build from API-shaped input: a generated `dataset` spec or user `data`, optional weights."""
        if data is not None:
            from engine.userdata import dataset_of  # names checked with the points
            ds, spec = dataset_of(data)
        else:
            spec = {**fields.dataset_defaults(), **{k: v for k, v in (dataset or {}).items() if v is not None}}
            ds = generate(spec["name"], spec["samples"], spec["noise"], spec["train_ratio"], spec["seed"])
        cfg = normalise_config(_fitted(config or {}, ds))
        cfg["dataset"] = spec
        params = None
        if weights is not None or biases is not None:
            if weights is None or biases is None:
                raise EngineError("give both weights and biases, or neither")
            params = Parameters(Architecture.build(cfg["layers"], cfg["activation"], cfg["output_activation"],
                                                   cfg["loss"]))
            params.assign(weights, biases)
            cfg["init"] = "explicit"
        return cls(cfg, ds, params)

    def _inputs(self, points: np.ndarray) -> np.ndarray:
        return apply_features(self.features, points) if self.features else np.array(points, dtype=np.float64)

    # ---- lifecycle ------------------------------------------------------------------------------
    def reset(self, seed: int | None = None, params: Parameters | None = None) -> None:
        """Fresh weights (same seed → same weights), counters, history; clears divergence."""
        if seed is not None:
            self.config["seed"] = int(seed)
        rng = np.random.default_rng(self.config["seed"])
        if params is None:
            if self.config["init"] == "explicit":
                params = self.initial_params.copy()
            else:
                params = initialise(self.arch, self.config["init"], rng)
        self.initial_params = params.copy()
        self.trainer = Trainer(self.arch, params, self.x_train, self.t_train, self.hyper, rng)
        self.history = History()
        self.diverged: dict | None = None
        self.last_trace: dict = {}
        self.record_history()
        if self.timeline is not None:
            self.timeline.start(self)

    def _changed(self, kind: str, change: dict, at: tuple[int, int]) -> None:
        self.edits += 1
        if self.timeline is not None:
            self.timeline.note(self, kind, change, at)

    def set_hyperparameters(self, **changes) -> None:
        """Change learning rate, batch size, momentum or regularisation without a reset."""
        unknown = set(changes) - set(HYPERPARAMETERS)
        if unknown:
            raise EngineError(f"cannot change {', '.join(sorted(unknown))} without a reset; "
                              f"changeable: {', '.join(HYPERPARAMETERS)}")
        trial = Hyperparameters(**{**vars(self.hyper), **changes})
        trial.validate()
        at = (self.trainer.step, self.trainer.cursor)
        for key, value in changes.items():
            setattr(self.hyper, key, int(value) if key == "batch_size" else value)
            self.config[key] = getattr(self.hyper, key)
        self._changed("hyperparameters", {key: self.config[key] for key in changes}, at)

    def set_parameter(self, param_id: str, value: float) -> None:
        """Edit one weight (`L0N1-L1N2`) or bias (`L1N2-bias`) in place, keeping counters and history.

        An iteration in progress restarts from its first phase on the same mini-batch, because its
        activations and deltas were computed with the old value.
        """
        value = float(value)
        if not np.isfinite(value):
            raise EngineError(f"{param_id}: the new value must be a finite number")
        params, at = self.trainer.params, (self.trainer.step, self.trainer.cursor)
        if param_id.endswith("-bias"):
            layer, j = parse_bias_id(param_id, self.arch.layers)
            params.biases[layer - 1][j] = value
        else:
            k, i, j = parse_weight_id(param_id, self.arch.layers)
            params.weights[k][i, j] = value
        self.trainer.restart_iteration()
        self.last_trace = {}
        self.record_history(refresh=True)  # the current metrics changed with the parameter
        self._changed("parameter", {"id": param_id, "value": value}, at)

    # ---- training -------------------------------------------------------------------------------
    @property
    def phase(self) -> dict:
        name, layer = self.trainer.phases[self.trainer.cursor]
        return {"name": name, "layer": layer, "index": self.trainer.cursor,
                "count": len(self.trainer.phases)}

    def advance(self, by: str = "iteration", count: int = 1, trace: bool = False) -> list[dict] | None:
        """Train by `count` phases, iterations or epochs. A partial iteration in progress is finished
        first and counts as one. Returns the phase records when `trace`, else None."""
        if by not in STEP_UNITS:
            raise EngineError(f"unknown step unit {by!r}; choose from {', '.join(STEP_UNITS)}")
        if self.diverged:
            raise DivergedError(f"training diverged at step {self.diverged['step']}: "
                                f"{self.diverged['reason']}. Reset the network (POST …/reset), "
                                f"lowering the learning rate first.")
        with np.errstate(all="ignore"):  # overflow is reported as divergence, not as warnings
            if self.timeline is not None:
                self.timeline.arrive(self)  # the old future's changes due here, after a rewind
            records = advancing.advance(self, by, count, trace)
            self.record_history()
        return records

    def mark_diverged(self, step: int, what: str) -> None:
        """Stop training with a reason that names the step and what to change (until reset)."""
        self.diverged = {"step": int(step), "reason": f"{what} at step {step}; {divergence_advice(self.hyper)}"}

    # ---- metrics --------------------------------------------------------------------------------
    def metrics(self) -> dict:
        """Loss (and accuracy for classification) on the training and test sets."""
        if self._metrics is None:
            self._metrics = SetMetrics(self.arch, self.dataset, self.x_train, self.t_train,
                                       self.x_test, self.t_test)
        return self._metrics.evaluate(self.trainer.params)

    def dead_relu(self) -> dict | None:
        """The hidden ReLU neurons silent on every training point at the last measurement (metrics.py)."""
        return self._metrics.dead if self._metrics is not None else None

    def last_gradients(self) -> list[np.ndarray]:
        return last_gradients(self.trainer)

    def gradient_norms(self) -> list[float]:
        return gradient_norms(self.trainer)

    def record_history(self, check_loss: bool = True, refresh: bool = False) -> None:
        """Append the current metrics once per completed step (the page's loss and norm charts);
        with `refresh`, replace this step's entry if it has one (its numbers changed).

        With `check_loss`, an overflowed loss marks the experiment diverged. Entries recorded inside
        one long advance do not check, so divergence is found at the same step whether a run is one
        call or many of the same size (weights that overflow are caught at their exact step anyway).
        """
        step = self.trainer.step
        again = bool(self.history) and self.history[-1]["step"] == step
        if again and not refresh:
            return
        with np.errstate(all="ignore"):
            entry = {"step": step, "epoch": self.trainer.epoch, **self.metrics(),
                     "grad_norms": self.gradient_norms()}
        loss = entry["train_loss"]
        if check_loss and loss is not None and not loss <= self.trainer.explodes_at ** 2 / 2 and not self.diverged:
            self.mark_diverged(step, "the loss overflowed" if not np.isfinite(loss) else "the loss exploded")
        # Non-finite numbers become None so the history is always valid JSON.
        entry = {k: finite_or_none(v) for k, v in entry.items()}
        if again:
            self.history.replace_newest(entry)
        else:
            self.history.append(entry)

    @property
    def history(self) -> History:
        """The metric history (history.py); assigning a list of entries starts a new one with them."""
        return self._history

    @history.setter
    def history(self, entries) -> None:
        self._history = entries if isinstance(entries, History) else History(entries)

    # ---- evaluation -----------------------------------------------------------------------------
    def predict(self, points) -> dict:
        """Every layer's z and activations for `points` (rows of raw inputs); classes if classifying."""
        return evaluate.predict(self.arch, self.trainer.params, self.dataset, self._inputs, points)

    def grid(self, resolution: int) -> list[np.ndarray]:
        """Every neuron over an R×R grid of [−6, 6]²: layers 0..L of (n_l, R, R) arrays.

        The arrays are reused by the next call with the same resolution: copy what you keep.
        """
        if self.dataset.n_features != 2:
            raise EngineError("grid evaluation needs 2-D input data (x1, x2)")
        evaluator = self._grids.get(resolution)
        if evaluator is None:
            evaluator = self._grids[resolution] = evaluate.GridEvaluator(self.arch, self.features, resolution)
        return evaluator.evaluate(self.trainer.params)

    def gradcheck(self, samples: int = 16, max_params: int | None = 500) -> dict:
        """Analytic vs numeric gradient on the first `samples` training points (see gradcheck.py)."""
        from engine.gradcheck import gradcheck
        n = min(samples, len(self.x_train))
        return gradcheck(self.arch, self.trainer.params, self.x_train[:n], self.t_train[:n],
                         max_params=max_params)
