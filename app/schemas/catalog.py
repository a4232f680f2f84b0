"""Response bodies of the catalog routes: datasets, options (with the table of settable fields), health."""
from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import Field

from app.schemas.base import Response
from app.schemas.vocab import ProblemKind, of_field
from engine import fields
from app.schemas.network_in import DataIn


class DatasetPreview(Response):
    x: list[list[float]]
    y: Union[list[int], list[float]]


class DatasetOut(Response):
    name: str
    kind: ProblemKind
    n_classes: int
    description: str
    params: dict[str, dict[str, float]]
    outputs: dict[str, Union[str, int]] = Field(
        description="the output layer the dataset opens with: output_activation, loss and units (outputs)")
    preview: DatasetPreview


class FittingNetwork(Response):
    """Settings for POST /api/networks that fit the data: the default hidden layers around them."""

    layers: list[int] = Field(description=fields.spec("layers").description)
    output_activation: of_field(fields.spec("output_activation"))
    loss: of_field(fields.spec("loss"))


class CsvOut(Response):
    """A parsed CSV: every row as `x`/`y`, and `data` split by train_ratio and seed, ready to POST."""

    columns: list[str] = Field(description="every column's name (x1, x2, … without a header line)")
    header: bool
    inputs: list[str]
    target: str
    x: list[list[float]]
    y: Union[list[int], list[float]]
    kind: ProblemKind
    n_classes: int
    labels: Optional[list[str]] = Field(description="class names by label (classification), else null")
    data: DataIn = Field(description="the split points with their names: the `data` of POST /api/networks")
    network: FittingNetwork = Field(description="layers, output activation and loss that fit these data")


class FeatureOut(Response):
    name: str
    label: str


class UiOut(Response):
    control: Literal["select", "slider", "number", "checkbox", "list"]
    values: Optional[list[Any]]
    min: Optional[float]
    max: Optional[float]
    step: Optional[float]
    percent: bool


class FieldOut(Response):
    """One user-settable field (see engine/fields.py): bounds are inclusive unless exclusive, after
    the server's settings; on a list they bound each item."""

    name: str
    group: Literal["network", "training", "dataset"]
    type: Literal["number", "integer", "string", "integer_list", "string_list"]
    default: Any
    minimum: Optional[float]
    maximum: Optional[float]
    exclusive_minimum: Optional[float]
    exclusive_maximum: Optional[float]
    choices: Optional[list[Any]]
    ui: Optional[UiOut]
    min_items: Optional[int] = Field(description="a list's fewest items")
    max_items: Optional[int] = Field(description="a list's most items (after the server's settings)")
    live: bool = Field(description="changes without a reset")
    description: str
    equation: Optional[str]
    per_hidden_layer: bool = Field(description="one value, or a list of one per hidden layer")
    limits: dict[str, str] = Field(description="which bound (maximum, max_items) a server setting tightens, and "
                                               "which setting")


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
    fields: list[FieldOut]
    grid_extent: float = Field(description="the input plane is [-extent, extent]²")
    phase_order: list[str]
    phase_layers: dict[str, str] = Field(description="forward runs per layer 1..L, backward L..1")
    ids: dict[str, str] = Field(description="JavaScript-compatible regular expressions of the ids: the engine's "
                                "(neuron, weight, bias), and network, snapshot and class, whose group 1 is the "
                                "tag of the shard owning them (empty: shard 0); codes are matched in capitals")


class HealthOut(Response):
    status: Literal["ok", "failing"]
    problem: Optional[str] = Field(None, description="why the database fails (status 503), else absent")
    networks_in_memory: Optional[int] = Field(None, description="only for clients on this computer")
    playing: Optional[int] = Field(None, description="only for clients on this computer")
