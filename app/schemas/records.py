"""The trace: what one phase computed, as a union of four records told apart by `phase`.

Names and shapes are engine/tracing.py's (the seed's quantities); arrays per sample are batch-major,
b rows for b samples of the mini-batch. A number is null where it overflowed (a diverging run).
Left out: how the page draws them, and the live frames (app/hub.py), which carry no records.
"""
from __future__ import annotations

from typing import Annotated, Literal, Optional, Union

from pydantic import Field

from app.schemas.base import Response
from app.schemas.vocab import of_field
from engine import fields

Number = Optional[float]
Vector = list[Number]
Matrix = list[list[Number]]


def _m(words: str):
    return Field(description=words)


class ForwardRecord(Response):
    """Forward through layer `layer`: z = a_prev·W + b (eq. 1), a = f(z) (eqs. 2–3)."""

    phase: Literal["forward"] = _m("which phase made this record")
    layer: int = _m("the layer computed, 1..L")
    step: int = _m("the iteration this phase belongs to (completed iterations before it)")
    a_prev: Matrix = _m("(b, n_{l−1}): the previous layer's activations (the inputs for layer 1)")
    z: Matrix = _m("(b, n_l): weighted sums, eq. 1")
    a: Matrix = _m("(b, n_l): activations, eqs. 2–3")
    batch: Optional[list[int]] = Field(None, description="layer 1 only: the mini-batch's indices into the "
                                                          "training points")


class LossRecord(Response):
    """The error of the mini-batch (eq. 5) and its derivative, where the backward pass starts."""

    phase: Literal["loss"] = _m("which phase made this record")
    layer: None = _m("always null: the loss belongs to no layer")
    step: int = _m("the iteration this phase belongs to")
    y_hat: Matrix = _m("(b, k): the network's outputs")
    y: Matrix = _m("(b, k): the targets (one-hot rows for several classes)")
    per_sample: Vector = _m("(b,): the error E of each sample, eq. 5")
    loss: Number = _m("the mean of per_sample")
    dE_dy: Matrix = _m("(b, k): ∂E/∂ŷ of each sample")
    batch: list[int] = _m("the mini-batch's indices into the training points")


class BackwardRecord(Response):
    """Back through layer `layer` (L down to 1): δ = ∂E/∂a · f'(z) (eq. 4's first two factors)."""

    phase: Literal["backward"] = _m("which phase made this record")
    layer: int = _m("the layer, L..1")
    step: int = _m("the iteration this phase belongs to")
    dE_da: Matrix = _m("(b, n_l): ∂E/∂a of each sample")
    da_dz: Optional[Matrix] = _m("(b, n_l): f'(z); null when softmax is fused with cross-entropy")
    delta: Matrix = _m("(b, n_l): δ = ∂E/∂z")
    grad_weights: Matrix = _m("(n_{l−1}, n_l): ∂E/∂W, the mean over the mini-batch")
    grad_biases: Vector = _m("(n_l,): ∂E/∂b, the mean over the mini-batch")
    fused: bool = _m("true when softmax and cross-entropy are taken together: δ = ŷ − y")


class UpdateRecord(Response):
    """Eq. 6 for layer `layer`'s weights (W: n_{l−1}×n_l) and biases (n_l): one record a layer, all made
    by the one update phase. delta = gradient_term + regularization_term + momentum_term."""

    phase: Literal["update"] = _m("which phase made this record")
    layer: int = _m("the layer whose incoming weights and biases these are, 1..L")
    step: int = _m("the iteration this update ends")
    learning_rate: float = _m("η used")
    momentum: float = _m("μ used")
    regularization: of_field(fields.spec("regularization")) = _m("the penalty used")
    regularization_rate: float = _m("λ used")
    weights_before: Matrix = _m("W before the update")
    weights_after: Matrix = _m("W after the update")
    delta_weights: Matrix = _m("weights_after − weights_before")
    grad_weights: Matrix = _m("∂E/∂W, the mean over the mini-batch")
    gradient_term: Matrix = _m("−η·∂E/∂W: the gradient's share of the change")
    regularization_term: Matrix = _m("the penalty's share of the change (zeros without regularization)")
    momentum_term: Matrix = _m("the momentum's share of the change (zeros without momentum)")
    biases_before: Vector = _m("b before the update")
    biases_after: Vector = _m("b after the update")
    delta_biases: Vector = _m("biases_after − biases_before")
    grad_biases: Vector = _m("∂E/∂b, the mean over the mini-batch")
    gradient_term_biases: Vector = _m("−η·∂E/∂b")
    regularization_term_biases: Vector = _m("zeros: biases are never regularized")
    momentum_term_biases: Vector = _m("the momentum's share of the biases' change")


TraceRecord = Annotated[Union[ForwardRecord, LossRecord, BackwardRecord, UpdateRecord], Field(discriminator="phase")]
