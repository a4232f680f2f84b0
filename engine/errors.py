"""The engine's refusals: exceptions whose message is written for the person who sent the input.

`EngineError` is a ValueError, so code that only cares that the input was bad can keep catching
ValueError; the server tells the engine's own words (shown as they are) apart from a ValueError that
NumPy raised below the engine (shown as a generic message) by this type alone. `DivergedError` is not
about the input: the network cannot train any further until it is reset.

Not here: HTTP status codes and the wording of errors the engine never raises (app/errors.py).
"""
from __future__ import annotations


class EngineError(ValueError):
    """Input the engine refuses; the message says what is wrong and what to send instead."""


class DivergedError(RuntimeError):
    """Raised when asked to train a diverged experiment; the message says what to do."""
