"""Request bodies of the network routes (and of the live `set` and `step` messages).

Requests forbid unknown fields, so a typo (`learnig_rate`) is refused instead of silently ignored. The
bodies with user-settable fields are built by `build(settings)` from `engine.fields`: ranges that
depend on settings (neurons a layer, points) are documented with the numbers in force and enforced
in `app.limits` with messages naming the setting.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from app.schemas import table, vocab
from app.schemas.base import Request, Response
from engine import fields

Rows = Union[list[list[float]], list[float]]
Targets = Union[list[int], list[float], list[list[float]]]


class DataIn(Request):
    """Your own points. Whole-number labels mean classification, other numbers regression (or say `kind`)."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"x_train": [[0, 0], [1, 1], [0, 1], [1, 0]], "y_train": [0, 0, 1, 1], "columns": ["a", "b"]}]})

    x_train: Rows = Field(min_length=1, description="training inputs: one row a point (or one number a point)")
    y_train: Targets = Field(min_length=1, description="training labels (whole numbers) or targets")
    x_test: Optional[Rows] = Field(None, description="test inputs (default: none)")
    y_test: Optional[Targets] = Field(None, description="test labels or targets")
    kind: Optional[vocab.ProblemKind] = Field(None, description="classification or regression (default: "
                                                                "whole-number labels mean classification)")
    columns: Optional[list[str]] = Field(None, max_length=1000, description="the input columns' names")
    target: Optional[str] = Field(None, description="the target column's name")
    labels: Optional[list[str]] = Field(None, max_length=1000, description="class names, by label 0, 1, …")


class StepIn(Request):
    model_config = ConfigDict(json_schema_extra={"examples": [{"by": "phase", "count": 1, "trace": True},
                                                              {"by": "epoch", "count": 10}]})
    by: vocab.StepUnit = Field("iteration", description="what count counts")
    count: int = Field(1, ge=1, description="how many to advance (the server's limits: GET /api/options `limits`)")
    trace: bool = Field(False, description="answer every phase's record as well")


class ParameterIn(Request):
    model_config = ConfigDict(json_schema_extra={"examples": [{"value": 0.5}]})
    value: float = Field(description="the new value of the weight or bias")


class PredictIn(Request):
    model_config = ConfigDict(json_schema_extra={"examples": [{"x": [[0.5, -1.0], [2.0, 2.0]]}]})
    x: list[list[float]] = Field(min_length=1, description="rows of raw inputs (x1, x2 for 2-D data)")


class HyperparametersBase(Request):
    """What can change while training, without a reset (PATCH, and the live `set` message)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"learning_rate": 0.1, "momentum": 0.9}]})

    def changes(self) -> dict:
        return self.model_dump(exclude_none=True)


class NetworkCreateBase(Request):
    """Everything but the data has a default: TensorFlow Playground's circle, 2-4-2-1, tanh."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"layers": [2, 4, 2, 1], "activation": "tanh", "learning_rate": 0.03,
         "dataset": {"name": "circle", "noise": 10}},
        {"layers": [1, 3, 1], "output_activation": "linear",
         "data": {"x_train": [[0], [1], [2]], "y_train": [0.5, 1.5, 2.5]}}]})

    @model_validator(mode="after")
    def _one_source_of_points(self) -> "NetworkCreateBase":
        if self.dataset is not None and self.data is not None:
            raise ValueError("give either dataset (a generated one) or data (your own points), not both")
        return self

    def config(self) -> dict:
        return self.model_dump(exclude={"dataset", "data", "weights", "biases"})


class ImportedConfigBase(BaseModel):
    """An exported network's config: the same names and ranges as creating one, checked here so a
    hand-edited document is refused with the field's name. Other keys go to the engine as they are."""

    model_config = ConfigDict(extra="allow", allow_inf_nan=False, strict=True)


class ResetBase(Request):
    model_config = ConfigDict(json_schema_extra={"examples": [{"seed": 7}, {}]})


@dataclass(frozen=True)
class NetworkInputs:
    """The request models built for one server's settings."""

    DatasetSpec: type[Request]
    Hyperparameters: type[HyperparametersBase]
    NetworkCreate: type[NetworkCreateBase]
    ImportedConfig: type[BaseModel]
    ImportIn: type[Response]
    ResetIn: type[Request]


def build(settings, prefix: str = "") -> NetworkInputs:
    """Models for `settings` from the table; call once per app (each call makes new classes). Without
    settings only the table's own ranges apply (documents checked offline, such as lesson files);
    `prefix` names such models apart from the app's in OpenAPI."""
    network = [f for f in fields.FIELDS if f.group != "dataset"]
    dataset_spec = create_model(prefix + "DatasetSpec", __base__=Request, __doc__="A generated dataset: same tuple, "
                                "same points.", **table.definitions(fields.group("dataset"), settings))
    hyper = create_model(prefix + "Hyperparameters", __base__=HyperparametersBase,
                         **table.definitions(fields.live(), settings, optional=True))
    create = create_model(
        prefix + "NetworkCreate", __base__=NetworkCreateBase, **table.definitions(network, settings),
        dataset=(Optional[dataset_spec], Field(None, description="a generated dataset (default: circle)")),
        data=(Optional[DataIn], Field(None, description="your own points instead of a generated dataset")),
        weights=(Optional[list[list[list[float]]]], Field(None, description="start from these W[k] of shape "
                                                                              "(n_k, n_{k+1}) (init becomes explicit)")),
        biases=(Optional[list[list[float]]], Field(None, description="start from these b[k] (with weights)")))
    imported = create_model(prefix + "ImportedConfig", __base__=ImportedConfigBase,
                            **table.definitions(network, settings, optional=True,
                                                extra_choices={"init": ("explicit",)}))
    import_in = create_model(prefix + "ImportIn", __base__=Response,
                             format=(int, Field(strict=True, description="the document's format version: 1")),
                             config=(imported, Field(description="the exported network's settings")),
                             data=(dict[str, Any], Field(description="the exported points, as the document has "
                                                                     "them (checked when imported)")),
                             __doc__="A document from GET …/export (the engine's saved state), imported "
                                     "as a new network.")
    seed = fields.spec("seed")
    reset = create_model(prefix + "ResetIn", __base__=ResetBase, seed=(Optional[int], table.field_info(
        seed, settings, optional=True, description="same seed → same weights; omit to keep")))
    return NetworkInputs(dataset_spec, hyper, create, imported, import_in, reset)
