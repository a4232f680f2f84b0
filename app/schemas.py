"""Every request and response shape of the API, in one place, so OpenAPI (and /docs) is exact.

Field names are the contract shared with the page and with scripts; add fields freely, rename none.
Requests forbid unknown fields, so a typo (`learnig_rate`) is refused instead of silently ignored.
Static ranges (momentum in [0, 1)) live here; limits that depend on settings (neurons a layer, grid
resolution) are checked in `app.limits` with messages naming the setting.
"""
from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.datasets import DATASETS, PARAMS as DATASET_PARAMS
from engine.experiment import DATASET_DEFAULTS, DEFAULTS
from engine.features import FEATURE_NAMES
from engine.losses import LOSSES
from engine.network import INITS
from engine.hyperparameters import REGULARIZATIONS

HiddenActivation = Literal[tuple(HIDDEN_ACTIVATIONS)]
OutputActivation = Literal[tuple(OUTPUT_ACTIVATIONS)]
LossName = Literal[tuple(LOSSES)]
InitName = Literal[tuple(INITS)]
Regularization = Literal[tuple(REGULARIZATIONS)]
FeatureName = Literal[tuple(FEATURE_NAMES)]
DatasetName = Literal[tuple(DATASETS)]
StepUnit = Literal["phase", "iteration", "epoch"]
SEED_MAX = DATASET_PARAMS["seed"]["max"]


class Request(BaseModel):
    """Strict: `true` is not the number 1 and "3" is not 3; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)


class Response(BaseModel):
    model_config = ConfigDict(extra="allow")


# ---- requests ------------------------------------------------------------------------------------

class DatasetSpec(Request):
    """A generated dataset: same tuple, same points."""

    name: DatasetName = DATASET_DEFAULTS["name"]
    samples: int = Field(DATASET_DEFAULTS["samples"], ge=DATASET_PARAMS["samples"]["min"],
                         le=DATASET_PARAMS["samples"]["max"])
    noise: float = Field(DATASET_DEFAULTS["noise"], ge=DATASET_PARAMS["noise"]["min"],
                         le=DATASET_PARAMS["noise"]["max"])
    train_ratio: float = Field(DATASET_DEFAULTS["train_ratio"], ge=DATASET_PARAMS["train_ratio"]["min"],
                               le=DATASET_PARAMS["train_ratio"]["max"])
    seed: int = Field(DATASET_DEFAULTS["seed"], ge=0, le=SEED_MAX)


Rows = Union[list[list[float]], list[float]]
Targets = Union[list[int], list[float], list[list[float]]]


class DataIn(Request):
    """Your own points. Whole-number labels mean classification, other numbers regression (or say `kind`)."""

    x_train: Rows = Field(min_length=1)
    y_train: Targets = Field(min_length=1)
    x_test: Optional[Rows] = None
    y_test: Optional[Targets] = None
    kind: Optional[Literal["classification", "regression"]] = None
    columns: Optional[list[str]] = Field(None, max_length=1000, description="the input columns' names")
    target: Optional[str] = Field(None, description="the target column's name")
    labels: Optional[list[str]] = Field(None, max_length=1000, description="class names, by label 0, 1, …")


class Hyperparameters(Request):
    """What can change while training, without a reset (PATCH, and the live `set` message)."""

    learning_rate: Optional[float] = Field(None, gt=0)
    batch_size: Optional[int] = Field(None, ge=1)
    momentum: Optional[float] = Field(None, ge=0, lt=1)
    regularization: Optional[Regularization] = None
    regularization_rate: Optional[float] = Field(None, ge=0)

    def changes(self) -> dict:
        return self.model_dump(exclude_none=True)


class NetworkCreate(Request):
    """Everything but the data has a default: TensorFlow Playground's circle, 2-4-2-1, tanh."""

    layers: list[int] = Field(default_factory=lambda: list(DEFAULTS["layers"]), min_length=2)
    activation: Union[HiddenActivation, list[HiddenActivation]] = DEFAULTS["activation"]
    output_activation: OutputActivation = DEFAULTS["output_activation"]
    loss: LossName = DEFAULTS["loss"]
    learning_rate: float = Field(DEFAULTS["learning_rate"], gt=0)
    batch_size: int = Field(DEFAULTS["batch_size"], ge=1)
    momentum: float = Field(DEFAULTS["momentum"], ge=0, lt=1)
    regularization: Regularization = DEFAULTS["regularization"]
    regularization_rate: float = Field(DEFAULTS["regularization_rate"], ge=0)
    init: InitName = DEFAULTS["init"]
    seed: int = Field(DEFAULTS["seed"], ge=0, le=SEED_MAX)
    features: list[FeatureName] = Field(default_factory=lambda: list(DEFAULTS["features"]), min_length=1)
    dataset: Optional[DatasetSpec] = None
    data: Optional[DataIn] = None
    weights: Optional[list[list[list[float]]]] = None
    biases: Optional[list[list[float]]] = None

    @model_validator(mode="after")
    def _one_source_of_points(self) -> "NetworkCreate":
        if self.dataset is not None and self.data is not None:
            raise ValueError("give either dataset (a generated one) or data (your own points), not both")
        return self

    def config(self) -> dict:
        return self.model_dump(exclude={"dataset", "data", "weights", "biases"})


class StepIn(Request):
    by: StepUnit = "iteration"
    count: int = Field(1, ge=1)
    trace: bool = False


class ResetIn(Request):
    seed: Optional[int] = Field(None, ge=0, le=SEED_MAX, description="same seed → same weights; omit to keep")


class ParameterIn(Request):
    value: float = Field(description="the new value of the weight or bias")


class PredictIn(Request):
    x: list[list[float]] = Field(min_length=1, description="rows of raw inputs (x1, x2 for 2-D data)")


class ImportedConfig(BaseModel):
    """An exported network's config: the same names and ranges as creating one, checked here so a
    hand-edited document is refused with the field's name. Other keys go to the engine as they are."""

    model_config = ConfigDict(extra="allow", allow_inf_nan=False, strict=True)

    layers: Optional[list[int]] = Field(None, min_length=2)
    activation: Optional[Union[HiddenActivation, list[HiddenActivation]]] = None
    output_activation: Optional[OutputActivation] = None
    loss: Optional[LossName] = None
    learning_rate: Optional[float] = Field(None, gt=0)
    batch_size: Optional[int] = Field(None, ge=1)
    momentum: Optional[float] = Field(None, ge=0, lt=1)
    regularization: Optional[Regularization] = None
    regularization_rate: Optional[float] = Field(None, ge=0)
    init: Optional[Union[InitName, Literal["explicit"]]] = None
    seed: Optional[int] = Field(None, ge=0, le=SEED_MAX)
    features: Optional[list[FeatureName]] = None


class ImportIn(Response):
    """A document from GET …/export (the engine's saved state), imported as a new network."""

    format: int = Field(strict=True)
    config: ImportedConfig
    data: dict[str, Any]


# ---- responses -----------------------------------------------------------------------------------

class ErrorOut(BaseModel):
    detail: str
    errors: Optional[list[dict[str, Any]]] = None


class Phase(Response):
    name: Literal["forward", "loss", "backward", "update"]
    layer: Optional[int]
    index: int
    count: int


class Divergence(Response):
    step: int
    reason: str


class HistoryEntry(Response):
    step: int
    epoch: int
    train_loss: Optional[float]
    test_loss: Optional[float]
    train_accuracy: Optional[float] = None
    test_accuracy: Optional[float] = None
    grad_norms: list[Optional[float]]


class NetworkState(Response):
    id: str
    config: dict[str, Any]
    layers: list[int]
    weights: list[list[list[float]]]
    biases: list[list[float]]
    step: int
    epoch: int
    phase: Phase
    train_loss: Optional[float]
    test_loss: Optional[float]
    train_accuracy: Optional[float]
    test_accuracy: Optional[float]
    grad_norms: list[Optional[float]]
    diverged: Optional[Divergence]
    history: list[HistoryEntry]
    history_total: int = Field(description="entries kept; `history` may hold only the last ones (?history=N)")
    problem: Literal["classification", "regression"]
    n_classes: int
    neuron_ids: list[list[str]]
    feature_labels: Optional[list[str]]
    n_train: int
    n_test: int


class StepOut(Response):
    state: NetworkState
    trace: Optional[list[dict[str, Any]]] = None
    done: int = Field(description="phases, iterations or epochs actually advanced")
    stopped_early: Optional[str] = Field(None, description="why fewer than `count` were done, or null")


class DataOut(Response):
    x_train: list[list[float]]
    y_train: Union[list[int], list[float], list[list[float]]]
    x_test: list[list[float]]
    y_test: Union[list[int], list[float], list[list[float]]]
    kind: Literal["classification", "regression"]
    n_classes: int


class CsvOut(Response):
    """A parsed CSV: every row as `x`/`y`, and `data` split by train_ratio and seed, ready to POST."""

    columns: list[str] = Field(description="every column's name (x1, x2, … without a header line)")
    header: bool
    inputs: list[str]
    target: str
    x: list[list[float]]
    y: Union[list[int], list[float]]
    kind: Literal["classification", "regression"]
    n_classes: int
    labels: Optional[list[str]] = Field(description="class names by label (classification), else null")
    data: DataIn = Field(description="the split points with their names: the `data` of POST /api/networks")
    network: dict[str, Any] = Field(description="layers, output activation and loss that fit these data")


class PredictOut(Response):
    outputs: list[list[Optional[float]]]
    activations: list[list[list[Optional[float]]]]
    z: list[list[list[Optional[float]]]]
    classes: Optional[list[int]] = None


class GridNeuron(Response):
    id: str
    min: float
    max: float
    data: Optional[str] = Field(None, description="base64 of R×R bytes: value ≈ min + byte/255·(max − min)")
    values: Optional[list[list[float]]] = None


class GridOut(Response):
    resolution: int
    extent: list[float] = Field(description="the horizontal axis's range ([-6, 6] for two-input data)")
    plane: dict[str, Any] = Field(description="x and y: {input, label, min, max}; fixed: inputs held at their mean")
    layers: list[list[GridNeuron]]


class ChainOut(Response):
    weight: str
    layer: int
    sample: int
    batch_size: int
    step: int
    factors: dict[str, Optional[float]]
    delta: Optional[float]
    product: Optional[float]
    batch_mean: Optional[float]
    fused: bool


class GradcheckOut(Response):
    max_relative_error: float
    params_checked: int
    params_total: int
    samples: int
    worst: Optional[dict[str, Any]]
    checks: list[dict[str, Any]]
    limited: Optional[str] = Field(None, description="why fewer parameters than asked were checked, or null")


class ExportOut(Response):
    format: int
    config: dict[str, Any]
    data: dict[str, Any]
    weights: list[list[list[float]]]
    biases: list[list[float]]
    history: list[HistoryEntry]


class DatasetPreview(Response):
    x: list[list[float]]
    y: Union[list[int], list[float]]


class DatasetOut(Response):
    name: str
    kind: Literal["classification", "regression"]
    n_classes: int
    description: str
    params: dict[str, dict[str, float]]
    preview: DatasetPreview


class FeatureOut(Response):
    name: str
    label: str


class OptionsOut(Response):
    activations: list[str]
    output_activations: list[str]
    losses: list[str]
    loss_output_activations: dict[str, list[str]]
    inits: list[str]
    regularizations: list[str]
    features: list[FeatureOut]
    datasets: list[str]
    step_units: list[str]
    hyperparameters: list[str]
    limits: dict[str, float]


class HealthOut(Response):
    status: Literal["ok", "failing"]
    problem: Optional[str] = Field(None, description="why the database fails (status 503), else absent")
    networks_in_memory: Optional[int] = Field(None, description="only for clients on this computer")
    playing: Optional[int] = Field(None, description="only for clients on this computer")


ERRORS = {status: {"model": ErrorOut} for status in (400, 403, 404, 409, 413, 415, 422, 429, 503)}
