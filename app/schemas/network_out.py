"""Response bodies of the network routes: state, steps, data, predictions, grids, chain rule, export."""
from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import Field

from app.schemas.base import Response
from app.schemas.document import Counters, DataDocument, Matrices, NetworkConfig, Parameters, RandomState
from app.schemas.records import TraceRecord
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
    config: NetworkConfig
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
    trace: Optional[list[TraceRecord]] = Field(None, description="with `trace`: every phase's record, in "
                                                                   "order (the update gives one a layer)")
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


class ChainFactors(Response):
    dE_da: Optional[float] = Field(description="∂E/∂a_j")
    da_dz: Optional[float] = Field(description="∂a_j/∂z_j = f'(z_j); null when softmax is fused with cross-entropy")
    dz_dw: Optional[float] = Field(description="∂z_j/∂w_ij = a_i, the input the weight multiplies")


class ChainUpdate(Response):
    """Eq. 6 for this weight, once the iteration's update has run."""

    weights_before: Optional[float]
    weights_after: Optional[float]
    delta_weights: Optional[float] = Field(description="weights_after − weights_before")
    gradient_term: Optional[float] = Field(description="−η·∂E/∂w")
    regularization_term: Optional[float] = Field(description="the penalty's share of the change")
    momentum_term: Optional[float] = Field(description="the momentum's share of the change")
    grad_weights: Optional[float] = Field(description="∂E/∂w, the mean over the mini-batch")
    learning_rate: float = Field(description="η used")


class ChainOut(Response):
    weight: str = Field(description="the weight's id, L{k}N{i}-L{k+1}N{j}")
    layer: int = Field(description="the layer the weight leads into")
    sample: int = Field(description="position in the mini-batch")
    batch_size: int = Field(description="samples in the mini-batch")
    training_index: Optional[int] = Field(description="the sample's index into the training points")
    step: int = Field(description="the iteration these numbers belong to")
    factors: ChainFactors
    delta: Optional[float] = Field(description="δ_j = ∂E/∂z_j = dE_da · da_dz")
    product: Optional[float] = Field(description="δ_j · a_i: this sample's ∂E/∂w")
    batch_mean: Optional[float] = Field(description="∂E/∂w averaged over the mini-batch (what the update uses)")
    fused: bool = Field(description="softmax and cross-entropy taken together")
    note: Optional[str] = Field(None, description="how to read the numbers when the factors are fused")
    update: Optional[ChainUpdate] = Field(None, description="present once this iteration's update has run")


class ParameterCheck(Response):
    id: str = Field(description="the weight's or bias's id")
    analytic: Optional[float] = Field(description="∂E/∂θ from backpropagation")
    numeric: Optional[float] = Field(description="∂E/∂θ from central finite differences")
    relative_error: Optional[float] = Field(description="|analytic − numeric| / max(|analytic|, |numeric|, a small floor)")


class GradcheckOut(Response):
    max_relative_error: float = Field(description="the worst parameter's relative error")
    params_checked: int
    params_total: int
    samples: int = Field(description="training samples the loss was averaged over")
    h: float = Field(description="the finite-difference step")
    worst: Optional[ParameterCheck] = Field(description="the parameter with the largest error")
    checks: list[ParameterCheck]
    limited: Optional[str] = Field(None, description="why fewer parameters than asked were checked, or null")


class ExportOut(Response):
    """Everything that decides the network's future, exactly: import it and it continues bit for bit."""

    format: Literal[1] = Field(description="the document's format version")
    config: NetworkConfig
    data: DataDocument
    weights: Matrices = Field(description="W[k] of shape (n_k, n_{k+1}), now")
    biases: list[list[float]] = Field(description="b[k] of shape (n_{k+1},), now")
    initial: Parameters = Field(description="the weights and biases a reset goes back to")
    velocity: list[float] = Field(description="momentum's memory: the previous change of every parameter, flat")
    counters: Counters
    order: Optional[list[int]] = Field(description="this epoch's shuffled order of the training points")
    rng: RandomState
    history: list[HistoryEntry]
    diverged: Optional[Divergence]
