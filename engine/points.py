"""Points a user gives (a JSON body, a CSV upload, a drawing), checked and wrapped as a `Dataset`.

Every problem raises an `EngineError` that says what to fix, naming the list and the row. Ints in
`y` mean class labels and floats mean regression targets unless `kind` says otherwise. Left out on
purpose: parsing files (`csvdata.py`), feature mapping (`features.py`) and scaling.
"""
import numpy as np

from engine.datasets import KINDS, MAX_CLASSES, Dataset
from engine.errors import EngineError


def _numbers(value, what: str, required: bool) -> np.ndarray:
    """A rectangular, numeric, finite array of `value`, keeping int vs float so labels can be told apart."""
    try:
        raw = np.asarray(value)
    except ValueError:  # numpy refuses ragged nested lists; say which row breaks the pattern
        sizes = [f"{len(r)} value" + "s" * (len(r) != 1) if isinstance(r, (list, tuple)) else "a bare number"
                 for r in value]
        bad = next((i for i, k in enumerate(sizes) if k != sizes[0]), None)
        where = f"row 0 has {sizes[0]} but row {bad} has {sizes[bad]}" if bad else "its rows hold nested lists"
        raise EngineError(f"{what} is ragged: {where}; give every row the same number of plain numbers") from None
    if raw.dtype.kind not in "biuf" or raw.ndim not in (1, 2):
        raise EngineError(f"{what} must be a flat list or a list of rows of numbers, got {value!r:.60}")
    if required and len(raw) == 0:
        raise EngineError(f"{what} is empty; give at least one point")
    if raw.dtype.kind == "f" and not np.isfinite(raw).all():
        row = int(np.argwhere(~np.isfinite(raw))[0][0])
        raise EngineError(f"{what} contains NaN or infinity at row {row}; replace it with a finite number")
    return raw


def _inputs(value, what: str, width: int | None) -> np.ndarray:
    x = _numbers(value, what, required=width is None).astype(np.float64)
    if x.ndim == 1:  # a flat list is one input per point; an empty test list takes the training width
        x = x.reshape(-1, 1) if x.size else x.reshape(0, width or 1)
    if x.shape[1] == 0 or width not in (None, x.shape[1]):
        raise EngineError(f"{what} has {x.shape[1]} values per point; " + (
            "give each point at least one number" if width is None else f"make it match x_train's {width}"))
    return x


def _outputs(value, what: str, n: int, kind: str, width: int | None) -> np.ndarray:
    """Labels as (n,) int64 or targets as (n, k) float64; `width` is y_train's (None while checking y_train)."""
    y = _numbers(value, what, required=width is None)
    if len(y) != n:
        raise EngineError(f"{what} has {len(y)} entries but its x has {n} points; give one label or target per point")
    if kind == "regression":
        y = y.astype(np.float64).reshape(n, -1 if n else width or 1) if y.ndim == 1 else y.astype(np.float64)
        if y.shape[1] == 0 or width not in (None, y.shape[1]):
            raise EngineError(f"{what} has {y.shape[1]} targets per point; " + (
                "give each point at least one target" if width is None else f"make it match y_train's {width}"))
        return y
    if y.ndim == 2 and y.shape[1] != 1:
        raise EngineError(f"{what} must be a flat list of class labels, got rows of {y.shape[1]} values; "
                          "pass kind='regression' for real-valued targets")
    y = y.reshape(-1).astype(np.float64)
    bad = np.flatnonzero((y < 0) | (y != np.floor(y)) | (y >= MAX_CLASSES))
    if bad.size:
        raise EngineError(f"{what}[{bad[0]}] is {y[bad[0]]:g}, but class labels must be whole numbers from 0 "
                          f"to {MAX_CLASSES - 1}; number the classes 0, 1, 2, ... or pass kind='regression'")
    return y.astype(np.int64)


def from_points(x_train, y_train, x_test=None, y_test=None, kind: str | None = None) -> Dataset:
    """Wrap user-given points as a Dataset named "custom"; every problem raises a ValueError saying what to fix.

    x: equal-length rows (a flat list means one input). y: ints mean class labels (classification), floats
    or rows of floats mean targets (regression); pass `kind` to override that guess.
    """
    if kind not in (None, *KINDS):
        raise EngineError(f"kind must be 'classification', 'regression' or None (to infer it), got {kind!r}")
    if (x_test is None) != (y_test is None):
        raise EngineError("give both x_test and y_test, or neither")
    xtr = _inputs(x_train, "x_train", None)
    if kind is None:
        raw = _numbers(y_train, "y_train", required=True)
        kind = "classification" if raw.ndim == 1 and raw.dtype.kind in "biu" else "regression"
    ytr = _outputs(y_train, "y_train", len(xtr), kind, None)
    xte = _inputs([] if x_test is None else x_test, "x_test", xtr.shape[1])
    yte = _outputs([] if y_test is None else y_test, "y_test", len(xte), kind,
                   ytr.shape[1] if kind == "regression" else 1)
    if kind == "regression":
        return Dataset("custom", kind, 0, xtr, ytr, xte, yte)
    if np.unique(ytr).size < 2:
        raise EngineError(f"y_train holds only class {ytr[0]}; classification needs at least 2 different classes")
    return Dataset("custom", kind, int(max(ytr.max(), yte.max(initial=0))) + 1, xtr, ytr, xte, yte)
