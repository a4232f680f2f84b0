"""Response bodies of the catalog routes: datasets, options (with the table of settable fields), health."""
from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import Field

from app.schemas.base import Response
from app.schemas.vocab import ProblemKind, of_field
from engine import fields
from app.schemas.network_in import DataIn


class DatasetPreview(Response):
    x: list[list[float]] = Field(description="about 150 noise-free points")
    y: Union[list[int], list[float]] = Field(description="their labels or targets")


class DatasetOut(Response):
    name: str = Field(description="the dataset's name (POST /api/networks takes it as dataset.name)")
    kind: ProblemKind = Field(description="what its targets are")
    n_classes: int = Field(description="classes (0 for regression)")
    description: str = Field(description="what it looks like")
    params: dict[str, dict[str, float]] = Field(description="its parameters with their default, minimum and maximum")
    outputs: dict[str, Union[str, int]] = Field(
        description="the output layer the dataset opens with: output_activation, loss and units (outputs)")
    preview: DatasetPreview = Field(description="points for a thumbnail")


class FittingNetwork(Response):
    """Settings for POST /api/networks that fit the data: the default hidden layers around them."""

    layers: list[int] = Field(description=fields.spec("layers").description)
    output_activation: of_field(fields.spec("output_activation")) = Field(
        description="fits the target: tanh for two classes, softmax for more, linear for numbers")
    loss: of_field(fields.spec("loss")) = Field(description="fits the output activation")


class CsvOut(Response):
    """A parsed CSV: every row as `x`/`y`, and `data` split by train_ratio and seed, ready to POST."""

    columns: list[str] = Field(description="every column's name (x1, x2, … without a header line)")
    header: bool = Field(description="whether the first line was a header")
    inputs: list[str] = Field(description="the input columns used")
    target: str = Field(description="the target column")
    x: list[list[float]] = Field(description="every row's inputs")
    y: Union[list[int], list[float]] = Field(description="every row's label (classification) or target")
    kind: ProblemKind = Field(description="what the target is")
    n_classes: int = Field(description="classes (0 for regression)")
    labels: Optional[list[str]] = Field(description="class names by label (classification), else null")
    data: DataIn = Field(description="the split points with their names: the `data` of POST /api/networks")
    network: FittingNetwork = Field(description="layers, output activation and loss that fit these data")


class FeatureOut(Response):
    name: str = Field(description="the feature's name in `features`")
    label: str = Field(description="how the page writes it (x₁², sin(x₂), …)")


class UiOut(Response):
    control: Literal["select", "slider", "number", "checkbox", "list"] = Field(description="the control the page offers")
    values: Optional[list[Any]] = Field(description="a select's presets")
    min: Optional[float] = Field(description="a slider's or box's least value")
    max: Optional[float] = Field(description="a slider's greatest value")
    step: Optional[float] = Field(description="a slider's step")
    percent: bool = Field(description="shown as 0–100 % of a 0–1 fraction")


class FieldOut(Response):
    """One user-settable field (see engine/fields.py): bounds are inclusive unless exclusive, after
    the server's settings; on a list they bound each item."""

    name: str = Field(description="the field's name (dataset.<name> inside `dataset`)")
    group: Literal["network", "training", "dataset"] = Field(description="where it belongs")
    type: Literal["number", "integer", "string", "integer_list", "string_list"] = Field(description="its JSON type")
    default: Any = Field(description="its value when not given")
    minimum: Optional[float] = Field(description="least value (inclusive)")
    maximum: Optional[float] = Field(description="greatest value (inclusive), after the server's settings")
    exclusive_minimum: Optional[float] = Field(description="the value must be above this")
    exclusive_maximum: Optional[float] = Field(description="the value must be below this")
    choices: Optional[list[Any]] = Field(description="the values it takes, for a closed set")
    ui: Optional[UiOut] = Field(description="how the page offers it")
    min_items: Optional[int] = Field(description="a list's fewest items")
    max_items: Optional[int] = Field(description="a list's most items (after the server's settings)")
    live: bool = Field(description="changes without a reset")
    description: str = Field(description="what it does")
    equation: Optional[str] = Field(description="the equation of the seed it belongs to")
    per_hidden_layer: bool = Field(description="one value, or a list of one per hidden layer")
    limits: dict[str, str] = Field(description="which bound (maximum, max_items) a server setting tightens, and "
                                               "which setting")


class OptionsOut(Response):
    activations: list[str] = Field(description="hidden-layer activation names")
    output_activations: list[str] = Field(description="output-layer activation names")
    losses: list[str] = Field(description="loss names")
    loss_output_activations: dict[str, list[str]] = Field(description="for each loss, the output activations it fits")
    inits: list[str] = Field(description="weight initialisation names")
    regularizations: list[str] = Field(description="regularization names")
    features: list[FeatureOut] = Field(description="input features for two-input data")
    datasets: list[str] = Field(description="generated dataset names")
    step_units: list[str] = Field(description="what a step's count can count")
    hyperparameters: list[str] = Field(description="fields that change without a reset (PATCH)")
    limits: dict[str, float] = Field(description="this server's limits (settings)")
    fields: list[FieldOut] = Field(description="every settable field with its range and default")
    grid_extent: float = Field(description="the input plane is [-extent, extent]²")
    phase_order: list[str] = Field(description="the phases of one iteration, in order")
    phase_layers: dict[str, str] = Field(description="forward runs per layer 1..L, backward L..1")
    ids: dict[str, str] = Field(description="JavaScript-compatible regular expressions of the ids: the engine's "
                                "(neuron, weight, bias), and network, snapshot and class, whose group 1 is the "
                                "tag of the shard owning them (empty: shard 0); codes are matched in capitals")


class HealthOut(Response):
    status: Literal["ok", "failing"] = Field(description="ok, or failing while the database fails")
    problem: Optional[str] = Field(None, description="why the database fails (status 503), else absent")
    networks_in_memory: Optional[int] = Field(None, description="only for clients on this computer")
    playing: Optional[int] = Field(None, description="only for clients on this computer")
