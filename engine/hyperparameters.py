"""What can change while training without a reset: the table's `live` fields (learning rate, batch size,
momentum, regularisation), as one mutable object.

The experiment and its trainer share one instance, so a change takes effect at the next mini-batch.
Names, defaults and ranges come from `engine.fields`; `validate` checks every value against that
table, so every entry point (engine, API, live messages) says the same.
"""
from __future__ import annotations

from dataclasses import field, make_dataclass

from engine import fields

_PYTHON_TYPES = {"number": float, "integer": int, "string": str}


def _validate(self) -> None:
    for name in fields.live_names():
        fields.check(name, getattr(self, name))


Hyperparameters = make_dataclass(
    "Hyperparameters",
    [(f.name, _PYTHON_TYPES[f.type], field(default=f.default)) for f in fields.live()],
    namespace={"validate": _validate,
               "__doc__": "learning_rate, batch_size, momentum, regularization, regularization_rate: "
                          "the fields `engine.fields` marks live, with its defaults.",
               "__module__": __name__},
)
