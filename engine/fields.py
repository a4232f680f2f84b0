"""Every user-settable field in one declarative table: network config, hyperparameters, dataset parameters.

A row (`FieldSpec`) holds a field's name, type, default, range or choices, whether it changes without
a reset (`live`), one line for people, the seed equation it belongs to, and how the page offers it
(`ui`: the presets of a select, a slider's min/max/step). The engine validates from it (`check`,
`Hyperparameters`, `normalise_config`, `datasets.generate`), the API builds its schemas from it and
`GET /api/options` serves it, so no default or range is written anywhere else. A bound that depends on
the server (neurons a layer, points) names its setting in `limits`; the app fills the number in.

Left out on purpose: HTTP and pydantic (the app builds those from this table), and rules that join
fields or need the data (layers[0] against the features, a loss against its output activation),
which `experiment.py`, `network.py` and `losses.py` check.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.datasets import DATASETS
from engine.errors import EngineError
from engine.features import DEFAULT_FEATURES, FEATURE_NAMES
from engine.losses import LOSSES
from engine.network import INITS

GROUPS = ("network", "training", "dataset")
TYPES = ("number", "integer", "string", "integer_list", "string_list")
SEED_MAX = 2**32 - 1  # NumPy's legacy seed range; a seed fits in an unsigned 32-bit integer


@dataclass(frozen=True)
class Ui:
    """How the page offers a field: a select of preset `values`, a slider, a number box, checkboxes or a
    list editor. `percent` shows a 0..1 fraction as 0..100 %."""

    control: str
    values: tuple | None = None
    min: float | None = None
    max: float | None = None
    step: float | None = None
    percent: bool = False


@dataclass(frozen=True)
class FieldSpec:
    """One row. Bounds are inclusive unless named exclusive; on a list they bound each item.

    `limits` maps a bound (`maximum`, `max_items`) to (server setting, offset): the bound is the
    setting plus the offset, or the static bound if that is smaller.
    """

    name: str  # dataset parameters are "dataset.<name>"
    group: str
    type: str
    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    choices: tuple | None = None
    live: bool = False
    equation: str | None = None
    ui: Ui | None = None
    min_items: int | None = None
    max_items: int | None = None
    limits: tuple[tuple[str, str, int], ...] = ()  # (bound, setting, offset)
    per_hidden_layer: bool = False  # a string, or a list of strings one per hidden layer
    vocabulary: str | None = None  # the name of its set of choices, shared by every field that has it

    @property
    def key(self) -> str:
        """The name inside its object: `noise` for `dataset.noise`."""
        return self.name.rsplit(".", 1)[-1]


LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
RATES = (0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("layers", "network", "integer_list", (2, 4, 2, 1),
              "neurons a layer, input first and output last", minimum=1, min_items=2,
              limits=(("maximum", "max_neurons", 0), ("max_items", "max_hidden_layers", 2)),
              equation="eq. 1", ui=Ui("list")),
    FieldSpec("activation", "network", "string", "tanh", "the hidden layers' activation function f",
              choices=tuple(HIDDEN_ACTIVATIONS), vocabulary="Activation", per_hidden_layer=True, equation="eqs. 2–3",
              ui=Ui("select")),
    FieldSpec("output_activation", "network", "string", "tanh", "the output layer's activation function",
              choices=tuple(OUTPUT_ACTIVATIONS), vocabulary="OutputActivation", equation="eqs. 2–3",
              ui=Ui("select")),
    FieldSpec("loss", "network", "string", "mse", "the error E of one sample",
              choices=tuple(LOSSES), vocabulary="Loss", equation="eq. 5", ui=Ui("select")),
    FieldSpec("learning_rate", "training", "number", 0.03, "η: how far each update moves the weights",
              exclusive_minimum=0, live=True, equation="eq. 6", ui=Ui("select", LEARNING_RATES)),
    FieldSpec("batch_size", "training", "integer", 10, "training samples averaged into one update",
              minimum=1, limits=(("maximum", "max_points", 0),), live=True, equation="eq. 6",
              ui=Ui("slider", min=1, max=30, step=1)),
    FieldSpec("momentum", "training", "number", 0.0, "μ: the share of the previous update added to the next",
              minimum=0, exclusive_maximum=1, live=True, equation="eq. 6", ui=Ui("select", (0, 0.5, 0.9, 0.99))),
    FieldSpec("regularization", "training", "string", "none", "the penalty on large weights (never biases)",
              choices=("none", "l1", "l2"), vocabulary="Regularization", live=True, equation="eq. 6",
              ui=Ui("select")),
    FieldSpec("regularization_rate", "training", "number", 0.0, "λ: the strength of that penalty",
              minimum=0, live=True, equation="eq. 6", ui=Ui("select", RATES)),
    FieldSpec("init", "network", "string", "uniform", "how the first weights are drawn",
              choices=tuple(INITS), vocabulary="Init", ui=Ui("select")),
    FieldSpec("seed", "network", "integer", 0, "same seed, same first weights and batch order",
              minimum=0, maximum=SEED_MAX, ui=Ui("number", min=0, step=1)),
    FieldSpec("features", "network", "string_list", tuple(DEFAULT_FEATURES), "the inputs fed to layer 0",
              choices=tuple(FEATURE_NAMES), vocabulary="Feature", min_items=1, ui=Ui("checkbox")),
    FieldSpec("dataset.name", "dataset", "string", "circle", "the generated dataset",
              choices=tuple(DATASETS), vocabulary="DatasetName", ui=Ui("select")),
    FieldSpec("dataset.samples", "dataset", "integer", 500, "points generated, training and test together",
              minimum=2, maximum=5000, limits=(("maximum", "max_points", 0),)),
    FieldSpec("dataset.noise", "dataset", "number", 0, "noise in percent of the data's spread",
              minimum=0, maximum=50, ui=Ui("slider", min=0, max=50, step=5)),
    FieldSpec("dataset.train_ratio", "dataset", "number", 0.5, "the share of points used for training",
              minimum=0.1, maximum=0.9, ui=Ui("slider", min=0.1, max=0.9, step=0.1, percent=True)),
    FieldSpec("dataset.seed", "dataset", "integer", 0, "same seed, same points",
              minimum=0, maximum=SEED_MAX),
)


def spec(name: str) -> FieldSpec:
    return next(f for f in FIELDS if f.name == name)


def group(name: str) -> list[FieldSpec]:
    return [f for f in FIELDS if f.group == name]


def live() -> list[FieldSpec]:
    """The fields that change without a reset (the hyperparameters)."""
    return [f for f in FIELDS if f.live]


def live_names() -> tuple[str, ...]:
    return tuple(f.name for f in live())


def config_defaults() -> dict:
    """The network config's defaults (everything but the dataset), lists as fresh lists."""
    return {f.name: _fresh(f.default) for f in FIELDS if f.group != "dataset"}


def dataset_defaults() -> dict:
    return {f.key: _fresh(f.default) for f in group("dataset")}


def _fresh(value):
    return list(value) if isinstance(value, tuple) else value


def bound(f: FieldSpec, which: str, settings=None):
    """A bound of `f` (`maximum`, `max_items`, …), tightened by the server setting it names."""
    value = getattr(f, which)
    for name, setting, offset in f.limits:
        if name == which and settings is not None:
            limit = getattr(settings, setting) + offset
            value = limit if value is None else min(value, limit)
    return value


def _shown(value) -> str:
    if isinstance(value, (float, int)) and not isinstance(value, bool):
        return str(value)
    return repr(value)


def _range_words(f: FieldSpec, integer: bool) -> str:
    """'a whole number between 2 and 5000', 'a positive number', 'in [0, 1)', 'a whole number ≥ 1'."""
    what = "a whole number" if integer else "a number"
    lo, hi = f.minimum if f.minimum is not None else f.exclusive_minimum, \
        f.maximum if f.maximum is not None else f.exclusive_maximum
    if lo is not None and hi is not None:
        if f.exclusive_minimum is None and f.exclusive_maximum is None:
            return f"{what} between {lo} and {hi}"
        return f"in {'(' if f.exclusive_minimum is not None else '['}{lo}, {hi}" \
               f"{')' if f.exclusive_maximum is not None else ']'}"
    if f.exclusive_minimum == 0 and hi is None:
        return f"a positive {'whole number' if integer else 'number'}"
    if lo is not None:
        return f"{what + ' ' if integer else ''}{'>' if f.exclusive_minimum is not None else '≥'} {lo}"
    return f"{what} {'<' if f.exclusive_maximum is not None else '≤'} {hi}"


def in_range(f: FieldSpec, value) -> bool:
    return not ((f.minimum is not None and value < f.minimum) or (f.maximum is not None and value > f.maximum)
                or (f.exclusive_minimum is not None and value <= f.exclusive_minimum)
                or (f.exclusive_maximum is not None and value >= f.exclusive_maximum))


def check(name: str, value) -> None:
    """Raise EngineError with a sentence naming the field if `value` is not one it accepts.

    Scalars only (numbers, whole numbers, names); lists are checked where they are used.
    """
    f = spec(name)
    if f.choices is not None and f.type == "string":
        if value not in f.choices:
            raise EngineError(f"unknown {f.key} {value!r}; choose from {', '.join(f.choices)}")
        return
    integer = f.type == "integer"
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok and hasattr(value, "dtype"):  # a NumPy scalar
        ok = value.dtype.kind in "iuf" and math.isfinite(float(value))
    if ok and integer:
        ok = float(value).is_integer()
    if not ok or not in_range(f, value):
        raise EngineError(f"{f.key} must be {_range_words(f, integer)}, got {_shown(value)}")
