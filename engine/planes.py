"""What the heatmaps show: every neuron over a plane of two inputs, for data of any width.

Two-input data (the built-in sets, or yours with two columns) use the input plane [−6, 6]² itself
(`Experiment.grid`), with the chosen features computed from it. Data with one input or more than two
have no single input plane, so the picture is a slice through input space: two chosen inputs sweep
their training range (padded by 5 % each side) and every other input is held at its training mean,
as in a partial-dependence plot. We chose the slice over a projection (PCA) because its axes are the
user's own columns, and the numbers it holds fixed can be printed beside it; what it cannot show is
how the picture changes when a fixed input moves. With one input, rows are all alike.
Left out: choosing the fixed values (they are the means), and quantising for the wire (app/grids.py).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.evaluate import GRID_EXTENT, forward_all
from engine.errors import EngineError
from engine.experiment import Experiment

PAD = 0.05


@dataclass(frozen=True)
class Plane:
    """Horizontal input `x` from x_range[0] (left) to x_range[1]; vertical input `y` (or None) from
    y_range[1] (top row) down to y_range[0]; `fixed` the values of every input (axes included, unused)."""

    x: int
    y: int | None
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    fixed: tuple[float, ...]


def _span(column: np.ndarray) -> tuple[float, float]:
    lo, hi = float(column.min()), float(column.max())
    pad = (hi - lo) * PAD or 1.0
    return lo - pad, hi + pad


def plane_of(exp: Experiment, axes: tuple[int, int] | None = None) -> Plane:
    """The plane the heatmaps of `exp` are drawn on; `axes` picks the two inputs (default 0 and 1)."""
    d = exp.dataset.n_features
    if d == 2:
        if axes not in (None, (0, 1)):
            raise EngineError("two-input data are drawn over their own plane: axes must be 0,1")
        return Plane(0, 1, (-GRID_EXTENT, GRID_EXTENT), (-GRID_EXTENT, GRID_EXTENT), (0.0, 0.0))
    x, y = axes if axes is not None else (0, 1 if d > 1 else None)
    if d == 1 and axes is not None and axes != (0, 0):
        raise EngineError("one-input data have one axis: leave axes out")
    for i in (x, y):
        if i is not None and not 0 <= i < d:
            raise EngineError(f"axes: input {i} does not exist; the data have inputs 0 to {d - 1}")
    if d > 1 and x == y:
        raise EngineError("axes: choose two different inputs")
    points = exp.dataset.x_train
    return Plane(x, y if d > 1 else None, _span(points[:, x]),
                 _span(points[:, y]) if d > 1 else (0.0, 0.0), tuple(points.mean(axis=0).tolist()))


def plane_values(exp: Experiment, plane: Plane, resolution: int) -> list[np.ndarray]:
    """Every neuron over the plane: layers 0..L of (n_l, R, R) arrays (row 0 at the top). For
    two-input data these are `Experiment.grid`'s reused arrays: copy what you keep."""
    if exp.dataset.n_features == 2:
        return exp.grid(resolution)
    R = resolution
    points = np.tile(np.asarray(plane.fixed, dtype=np.float64), (R * R, 1))
    cols = np.linspace(*plane.x_range, R)
    points[:, plane.x] = np.tile(cols, R)
    if plane.y is not None:
        rows = np.linspace(*plane.y_range, R)[::-1]
        points[:, plane.y] = np.repeat(rows, R)
    _, acts = forward_all(exp.arch, exp.trainer.params, points)
    return [np.ascontiguousarray(a.T).reshape(a.shape[1], R, R) for a in acts]


def describe(exp: Experiment, plane: Plane) -> dict:
    """The plane for the API: each axis's input index, label and range, and the values held fixed."""
    names = exp.config["dataset"].get("columns") or [f"x{i + 1}" for i in range(exp.dataset.n_features)]
    axis = lambda i, r: None if i is None else {"input": i, "label": names[i], "min": r[0], "max": r[1]}
    held = [i for i in range(exp.dataset.n_features) if i not in (plane.x, plane.y)]
    return {"x": axis(plane.x, plane.x_range), "y": axis(plane.y, plane.y_range),
            "fixed": [{"input": i, "label": names[i], "value": plane.fixed[i]} for i in held]}
