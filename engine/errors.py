"""The engine's refusals: exceptions whose message is written for the person who sent the input.

`EngineError` is a ValueError, so code that only cares that the input was bad can keep catching
ValueError; the server tells the engine's own words (shown as they are) apart from a ValueError that
NumPy raised below the engine (shown as a generic message) by this type alone. `DivergedError` is not
about the input: the network cannot train any further until it is reset.

Also here: the advice a divergence message gives. Not here: HTTP status codes and the wording of
errors the engine never raises (app/errors.py).
"""
from __future__ import annotations


class EngineError(ValueError):
    """Input the engine refuses; the message says what is wrong and what to send instead."""


class DivergedError(RuntimeError):
    """Raised when asked to train a diverged experiment; the message says what to do."""


def divergence_advice(hyper) -> str:
    """Name the likeliest cause of a divergence: an overshooting regularisation step, else the
    learning rate (`hyper`: the Hyperparameters in force)."""
    shrink = hyper.learning_rate * hyper.regularization_rate
    if hyper.regularization != "none" and shrink >= 1:
        return (f"the regularisation step η·λ = {shrink:g} is at least 1, so every update overshoots "
                f"zero — lower regularization_rate (or the learning rate) and reset")
    return (f"learning rate {hyper.learning_rate:g} is too high for this network — reset it, or lower "
            f"the learning rate and reset")
