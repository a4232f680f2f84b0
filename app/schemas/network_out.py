"""Response bodies of the network routes: state, steps, data, predictions, grids, chain rule, export."""
from __future__ import annotations

from typing import Any, Optional, Union

from pydantic import Field

from app.schemas.base import Response
from app.schemas.vocab import PhaseName, ProblemKind


class Phase(Response):
    name: PhaseName
    layer: Optional[int]
    index: int
    count: int


class Divergence(Response):
    step: int
    reason: str


class DeadRelu(Response):
    dead: int = Field(description="hidden ReLU neurons that output 0 for every training point")
    total: int = Field(description="hidden ReLU neurons in all")
    ids: list[str] = Field(description="the dead neurons' ids")


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
    dead_relu: Optional[DeadRelu] = Field(None, description="dead ReLU neurons at the last measurement; "
                                          "null without ReLU hidden layers")
    history: list[HistoryEntry]
    history_total: int = Field(description="entries kept; `history` may hold only the last ones (?history=N)")
    problem: ProblemKind
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
    kind: ProblemKind
    n_classes: int


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
