"""Input features for 2-D data, as in TensorFlow Playground's left-hand column.

A network fed only x₁ and x₂ needs hidden layers to bend its decision boundary; feeding it x₁², x₁x₂
or sin(x₁) lets even a single neuron draw circles or stripes. Showing that trade-off is the point of
this module, so it offers exactly Playground's seven features and nothing cleverer (no scaling, no
learned or user-defined features).
"""
from typing import Callable, NamedTuple

import numpy as np

from engine.errors import EngineError


class Feature(NamedTuple):
    """One derived input: `name` is the API id, `label` the text shown next to the input neuron."""

    name: str
    label: str
    fn: Callable[[np.ndarray], np.ndarray]  # (n, 2) points -> (n,) values


_ALL = (
    Feature("x1", "x₁", lambda p: p[:, 0]),
    Feature("x2", "x₂", lambda p: p[:, 1]),
    Feature("x1_squared", "x₁²", lambda p: p[:, 0] ** 2),
    Feature("x2_squared", "x₂²", lambda p: p[:, 1] ** 2),
    Feature("x1_x2", "x₁x₂", lambda p: p[:, 0] * p[:, 1]),
    Feature("sin_x1", "sin(x₁)", lambda p: np.sin(p[:, 0])),
    Feature("sin_x2", "sin(x₂)", lambda p: np.sin(p[:, 1])),
)

FEATURES: dict[str, Feature] = {f.name: f for f in _ALL}
FEATURE_NAMES: list[str] = list(FEATURES)
DEFAULT_FEATURES: list[str] = ["x1", "x2"]


def check_feature_names(names: list[str]) -> list[str]:
    """Return `names` as a list after checking it is a non-empty list of distinct known feature ids."""
    if isinstance(names, str) or not hasattr(names, "__iter__"):
        raise EngineError(f"features must be a list of feature names such as {DEFAULT_FEATURES}, got {names!r}")
    names = list(names)
    if not names:
        raise EngineError(f"features must not be empty; choose at least one of {', '.join(FEATURE_NAMES)}")
    seen: set[str] = set()
    for name in names:
        if name not in FEATURES:
            raise EngineError(f"unknown feature {name!r}; choose from {', '.join(FEATURE_NAMES)}")
        if name in seen:
            raise EngineError(f"feature {name!r} is listed twice; list each feature at most once")
        seen.add(name)
    return names


def apply_features(names: list[str], points: np.ndarray) -> np.ndarray:
    """Map (n, 2) points to an (n, len(names)) float64 matrix, one column per feature in `names` order."""
    names = check_feature_names(names)
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise EngineError(
            f"points must be an (n, 2) array of (x1, x2) pairs, got shape {pts.shape}; "
            "features are only defined for 2-D data"
        )
    out = np.empty((pts.shape[0], len(names)), dtype=np.float64)
    for j, name in enumerate(names):  # loops over features (at most 7), never over samples
        out[:, j] = FEATURES[name].fn(pts)
    return out
