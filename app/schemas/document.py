"""A network's config as answers show it, and the export document (engine/state.py) part by part.

The config's fields come from `engine.fields` (names, vocabularies, descriptions), never restated;
here every one is present, since the engine fills in the defaults. Left out: the checks (the
request models in network_in.py hold those) and the history entries (network_out.HistoryEntry).
"""
from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import Field, create_model

from app.schemas import table
from app.schemas.base import Response
from app.schemas.vocab import ProblemKind, of_field
from engine import fields

Matrices = list[list[list[float]]]
DatasetName = Union[of_field(fields.spec("dataset.name")), Literal["custom"]]


_DATASET_PARAMETERS = [f for f in fields.FIELDS if f.group == "dataset" and f.name != "dataset.name"]

DatasetConfig = create_model(
    "DatasetConfig", __base__=Response,
    __doc__="The points' origin: a generated dataset's parameters (with the table's ranges), or `custom` "
            "with your data's names (the generator's parameters are null then).",
    name=(DatasetName, Field(description="the generated dataset, or custom for your own points")),
    **table.definitions(_DATASET_PARAMETERS, None, optional=True),
    columns=(Optional[list[str]], Field(None, description="your data: the input columns' names")),
    target=(Optional[str], Field(None, description="your data: the target column's name")),
    labels=(Optional[list[str]], Field(None, description="your data: class names, by label 0, 1, …")))


def _config_fields() -> dict:
    network = [f for f in fields.FIELDS if f.group != "dataset"]
    made = table.definitions(network, None, extra_choices={"init": ("explicit",)})
    out = {name: (kind, Field(description=info.description)) for name, (kind, info) in made.items()}
    kind, info = out["features"]  # data without two inputs feed their columns as they are
    out["features"] = (Optional[kind], Field(description=f"{info.description}; null for data without two inputs"))
    return out


NetworkConfig = create_model(
    "NetworkConfig", __base__=Response, __doc__="The network's settings, every one filled in (the defaults "
    "for those not given); `init` is explicit when weights were given", **_config_fields(),
    dataset=(DatasetConfig, Field(description="where the points come from")))


class DataDocument(Response):
    """The points themselves, as the engine stores them."""

    name: DatasetName = Field(description="the generated dataset, or custom")
    kind: ProblemKind = Field(description="what the targets are")
    n_classes: int = Field(description="classes (0 for regression)")
    n_features: int = Field(description="inputs a point has")
    n_targets: int = Field(description="targets a point has (1 for classification: its label)")
    x_train: list[list[float]] = Field(description="training inputs, one row a point")
    y_train: Union[list[int], list[list[float]], list[float]] = Field(description="labels, or target rows")
    x_test: list[list[float]] = Field(description="test inputs")
    y_test: Union[list[int], list[list[float]], list[float]] = Field(description="test labels, or target rows")


class Parameters(Response):
    weights: Matrices = Field(description="W[k] of shape (n_k, n_{k+1})")
    biases: list[list[float]] = Field(description="b[k] of shape (n_{k+1},)")


class Counters(Response):
    step: int = Field(description="completed iterations")
    epoch: int = Field(description="completed epochs")
    cursor: int = Field(description="phases of the current iteration already done")
    offset: int = Field(description="where the next mini-batch starts in `order`")
    batch: int = Field(description="the current mini-batch's size mid-iteration, else 0")


class RandomState(Response):
    """NumPy's bit generator state; its big integers as strings (JavaScript cannot hold them)."""

    bit_generator: str = Field(description="the generator's name, PCG64")
    state: dict[str, str] = Field(description="its internal state")
    has_uint32: str = Field(description="buffered 32-bit value present (\"0\" or \"1\")")
    uinteger: str = Field(description="the buffered 32-bit value")
