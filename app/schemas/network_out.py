"""Response bodies of the network routes: state, steps, data, predictions, grids, chain rule, export."""
from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import Field

from app.schemas.base import Response
from app.schemas.document import Counters, DataDocument, Matrices, NetworkConfig, Parameters, RandomState
from app.schemas.idtypes import NetworkId, NeuronId, ParameterId, WeightId
from app.schemas.records import TraceRecord
from app.schemas.vocab import PhaseName, ProblemKind


class Phase(Response):
    name: PhaseName = Field(description="the phase that comes next")
    layer: Optional[int] = Field(description="the layer it works on (null for the loss and the update)")
    index: int = Field(description="its position in the iteration's phases, from 0")
    count: int = Field(description="phases an iteration has")


class Divergence(Response):
    step: int = Field(description="the iteration at which training diverged")
    reason: str = Field(description="what overflowed or became not-a-number")


class DeadRelu(Response):
    dead: int = Field(description="hidden ReLU neurons that output 0 for every training point")
    total: int = Field(description="hidden ReLU neurons in all")
    ids: list[NeuronId] = Field(description="the dead neurons' ids")


class HistoryEntry(Response):
    step: int = Field(description="completed iterations when measured")
    epoch: int = Field(description="completed epochs when measured")
    train_loss: Optional[float] = Field(description="mean loss on the training points (null past an overflow)")
    test_loss: Optional[float] = Field(description="mean loss on the test points")
    train_accuracy: Optional[float] = Field(None, description="share of training points classified right "
                                                                "(classification only)")
    test_accuracy: Optional[float] = Field(None, description="share of test points classified right "
                                                               "(classification only)")
    grad_norms: list[Optional[float]] = Field(description="each layer's gradient norm |∂E/∂W| at the last update")


class NetworkState(Response):
    id: NetworkId = Field(description="the network's id (use it in every URL of this network)")
    config: NetworkConfig = Field(description="the network's settings, every one filled in")
    layers: list[int] = Field(description="neurons a layer, input first")
    weights: list[list[list[float]]] = Field(description="W[k] of shape (n_k, n_{k+1})")
    biases: list[list[float]] = Field(description="b[k] of shape (n_{k+1},)")
    step: int = Field(description="completed iterations")
    epoch: int = Field(description="completed epochs")
    phase: Phase = Field(description="where the next phase step starts")
    train_loss: Optional[float] = Field(description="mean loss on the training points now")
    test_loss: Optional[float] = Field(description="mean loss on the test points now")
    train_accuracy: Optional[float] = Field(description="share of training points classified right (null for regression)")
    test_accuracy: Optional[float] = Field(description="share of test points classified right (null for regression)")
    grad_norms: list[Optional[float]] = Field(description="each layer's gradient norm at the last update")
    diverged: Optional[Divergence] = Field(description="where and why training diverged, or null")
    dead_relu: Optional[DeadRelu] = Field(None, description="dead ReLU neurons at the last measurement; "
                                          "null without ReLU hidden layers")
    history: list[HistoryEntry] = Field(description="metrics over time, oldest first")
    history_total: int = Field(description="entries kept; `history` may hold only the last ones (?history=N)")
    problem: ProblemKind = Field(description="what the network learns")
    n_classes: int = Field(description="classes (0 for regression)")
    neuron_ids: list[list[NeuronId]] = Field(description="every neuron's id, L{layer}N{index}, by layer")
    feature_labels: Optional[list[str]] = Field(description="the input neurons' labels (x₁, x₂², …), or null")
    n_train: int = Field(description="training points")
    n_test: int = Field(description="test points")


class StepOut(Response):
    state: NetworkState = Field(description="the network after the step")
    trace: Optional[list[TraceRecord]] = Field(None, description="with `trace`: every phase's record, in "
                                                                   "order (the update gives one a layer)")
    done: int = Field(description="phases, iterations or epochs actually advanced")
    stopped_early: Optional[str] = Field(None, description="why fewer than `count` were done, or null")


class DataOut(Response):
    x_train: list[list[float]] = Field(description="training inputs, one row a point")
    y_train: Union[list[int], list[float], list[list[float]]] = Field(description="training labels, or targets")
    x_test: list[list[float]] = Field(description="test inputs")
    y_test: Union[list[int], list[float], list[list[float]]] = Field(description="test labels, or targets")
    kind: ProblemKind = Field(description="what the targets are")
    n_classes: int = Field(description="classes (0 for regression)")


class PredictOut(Response):
    outputs: list[list[Optional[float]]] = Field(description="the network's outputs for each point")
    activations: list[list[list[Optional[float]]]] = Field(
        description="every layer's activations a for each point, by layer (the inputs first)")
    z: list[list[list[Optional[float]]]] = Field(
        description="every layer's weighted sums z for each point, by layer from 1")
    classes: Optional[list[int]] = Field(None, description="the predicted class of each point (classification only)")


class GridNeuron(Response):
    id: NeuronId = Field(description="the neuron's id")
    min: float = Field(description="the smallest value over the grid")
    max: float = Field(description="the largest value over the grid")
    data: Optional[str] = Field(None, description="base64 of R×R bytes: value ≈ min + byte/255·(max − min)")
    values: Optional[list[list[float]]] = Field(None, description="encoding=float: the R×R values, row by row")


class GridOut(Response):
    resolution: int = Field(description="R: the grids are R×R")
    extent: list[float] = Field(description="the horizontal axis's range ([-6, 6] for two-input data)")
    plane: dict[str, Any] = Field(description="x and y: {input, label, min, max}; fixed: inputs held at their mean")
    layers: list[list[GridNeuron]] = Field(description="every neuron's grid, by layer")


class ChainFactors(Response):
    dE_da: Optional[float] = Field(description="∂E/∂a_j")
    da_dz: Optional[float] = Field(description="∂a_j/∂z_j = f'(z_j); null when softmax is fused with cross-entropy")
    dz_dw: Optional[float] = Field(description="∂z_j/∂w_ij = a_i, the input the weight multiplies")


class ChainUpdate(Response):
    """Eq. 6 for this weight, once the iteration's update has run."""

    weights_before: Optional[float] = Field(description="w before the update")
    weights_after: Optional[float] = Field(description="w after the update")
    delta_weights: Optional[float] = Field(description="weights_after − weights_before")
    gradient_term: Optional[float] = Field(description="−η·∂E/∂w")
    regularization_term: Optional[float] = Field(description="the penalty's share of the change")
    momentum_term: Optional[float] = Field(description="the momentum's share of the change")
    grad_weights: Optional[float] = Field(description="∂E/∂w, the mean over the mini-batch")
    learning_rate: float = Field(description="η used")


class ChainOut(Response):
    weight: WeightId = Field(description="the weight's id, L{k}N{i}-L{k+1}N{j}")
    layer: int = Field(description="the layer the weight leads into")
    sample: int = Field(description="position in the mini-batch")
    batch_size: int = Field(description="samples in the mini-batch")
    training_index: Optional[int] = Field(description="the sample's index into the training points")
    step: int = Field(description="the iteration these numbers belong to")
    factors: ChainFactors = Field(description="the three factors of eq. 4 for this sample")
    delta: Optional[float] = Field(description="δ_j = ∂E/∂z_j = dE_da · da_dz")
    product: Optional[float] = Field(description="δ_j · a_i: this sample's ∂E/∂w")
    batch_mean: Optional[float] = Field(description="∂E/∂w averaged over the mini-batch (what the update uses)")
    fused: bool = Field(description="softmax and cross-entropy taken together")
    note: Optional[str] = Field(None, description="how to read the numbers when the factors are fused")
    update: Optional[ChainUpdate] = Field(None, description="present once this iteration's update has run")


class ParameterCheck(Response):
    id: ParameterId = Field(description="the weight's or bias's id")
    analytic: Optional[float] = Field(description="∂E/∂θ from backpropagation")
    numeric: Optional[float] = Field(description="∂E/∂θ from central finite differences")
    relative_error: Optional[float] = Field(
        description="|analytic − numeric| / max(|analytic|, |numeric|, a small floor)")


class GradcheckOut(Response):
    max_relative_error: float = Field(description="the worst parameter's relative error")
    params_checked: int = Field(description="parameters compared")
    params_total: int = Field(description="parameters the network has")
    samples: int = Field(description="training samples the loss was averaged over")
    h: float = Field(description="the finite-difference step")
    worst: Optional[ParameterCheck] = Field(description="the parameter with the largest error")
    checks: list[ParameterCheck] = Field(description="every parameter compared")
    limited: Optional[str] = Field(None, description="why fewer parameters than asked were checked, or null")


class ExportOut(Response):
    """Everything that decides the network's future, exactly: import it and it continues bit for bit."""

    format: Literal[1] = Field(description="the document's format version")
    config: NetworkConfig = Field(description="the network's settings")
    data: DataDocument = Field(description="the points")
    weights: Matrices = Field(description="W[k] of shape (n_k, n_{k+1}), now")
    biases: list[list[float]] = Field(description="b[k] of shape (n_{k+1},), now")
    initial: Parameters = Field(description="the weights and biases a reset goes back to")
    velocity: list[float] = Field(description="momentum's memory: the previous change of every parameter, flat")
    counters: Counters = Field(description="where training stands")
    order: Optional[list[int]] = Field(description="this epoch's shuffled order of the training points")
    rng: RandomState = Field(description="the random generator's state (batch order)")
    history: list[HistoryEntry] = Field(description="metrics over time, every entry")
    diverged: Optional[Divergence] = Field(description="where and why training diverged, or null")
