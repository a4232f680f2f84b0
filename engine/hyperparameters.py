"""What can change while training without a reset: learning rate, batch size, momentum, regularisation.

One mutable object shared by the experiment and its trainer, so a change takes effect at the next
mini-batch. Validation lives here so every entry point (engine, API, live messages) says the same.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.errors import EngineError

REGULARIZATIONS = ["none", "l1", "l2"]


@dataclass
class Hyperparameters:
    learning_rate: float = 0.03
    batch_size: int = 10
    momentum: float = 0.0
    regularization: str = "none"
    regularization_rate: float = 0.0

    def validate(self) -> None:
        if not (np.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise EngineError(f"learning_rate must be a positive number, got {self.learning_rate}")
        if int(self.batch_size) != self.batch_size or self.batch_size < 1:
            raise EngineError(f"batch_size must be a whole number ≥ 1, got {self.batch_size}")
        if not (0.0 <= self.momentum < 1.0):
            raise EngineError(f"momentum must be in [0, 1), got {self.momentum}")
        if self.regularization not in REGULARIZATIONS:
            raise EngineError(f"unknown regularization {self.regularization!r}; choose from "
                              f"{', '.join(REGULARIZATIONS)}")
        if not (np.isfinite(self.regularization_rate) and self.regularization_rate >= 0):
            raise EngineError(f"regularization_rate must be ≥ 0, got {self.regularization_rate}")
