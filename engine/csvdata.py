"""Your own data from CSV text: columns, inputs and target, class names, and a seeded train/test split.

`parse_csv` turns the bytes of a CSV file into a `CsvTable`, or raises an EngineError that names the line
and column to fix ("line 14, column 2: 'abc' is not a number"). Lines and columns count from 1 as an
editor shows them, the header included. A first line is a header when one of its cells is not a number
where the next line has a number (or when `header` says so). Inputs must be numbers; the target may be
numbers or names. Class names are kept in sorted order (numerically for numbers) and mapped to
0..K−1. Classification vs regression is inferred — names, or whole numbers with at most
`MAX_INFERRED_CLASSES` distinct values, mean classes — unless `kind` says which.
Left out on purpose: quoting dialects beyond Python's `csv` module, missing-value imputation, scaling,
dates, and file or network I/O (the caller passes bytes).
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import numpy as np

from engine.datasets import KINDS, MAX_CLASSES
from engine.errors import EngineError

MAX_INFERRED_CLASSES = 10  # more distinct whole numbers than this look like a measured quantity
MAX_NAME = 60  # characters of a column or class name kept


@dataclass(frozen=True, eq=False)
class CsvTable:
    """x: (n, d) float64 inputs; y: (n,) int64 labels 0..K−1 or (n,) float64 targets."""

    columns: list[str]        # every column's name (the header's, or x1, x2, … without one)
    header: bool
    inputs: list[int]         # 0-based indices of the input columns, in the order given
    target: int
    kind: str
    labels: list[str] | None  # class names by label (classification only)
    x: np.ndarray
    y: np.ndarray

    @property
    def n_classes(self) -> int:
        return len(self.labels) if self.labels else 0

    def split(self, train_ratio: float, seed: int) -> dict:
        """Shuffle with `seed` and cut at round(n·train_ratio) (at least one training row), as the
        generated datasets do; returns `data` for creating a network (x_train, y_train, x_test, …)."""
        n = len(self.x)
        order = np.random.default_rng(seed).permutation(n)
        cut = min(n, max(1, round(n * float(train_ratio))))
        train, test = order[:cut], order[cut:]
        return {"x_train": self.x[train].tolist(), "y_train": self.y[train].tolist(),
                "x_test": self.x[test].tolist(), "y_test": self.y[test].tolist(), "kind": self.kind,
                **self.names()}

    def names(self) -> dict:
        """The names a network keeps with its data: input columns, target column, class labels."""
        out = {"columns": [self.columns[i] for i in self.inputs], "target": self.columns[self.target]}
        if self.labels:
            out["labels"] = list(self.labels)
        return out


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if "_" not in text else None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise EngineError(f"line {line}: the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at "
                         f"position {exc.start}); save it as CSV in UTF-8") from None


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank line; the delimiter is a comma unless the first line
    has none and has semicolons or tabs."""
    first = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = "," if "," in first else ";" if ";" in first else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            cells = [c.strip() for c in cells]
            if any(cells):
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise EngineError(f"line {reader.line_num}: {exc}; check the quotes on that line") from None
    return rows


def _has_header(rows: list[tuple[int, list[str]]]) -> bool:
    first = rows[0][1]
    if len(rows) == 1:
        return any(_number(c) is None for c in first)
    second = rows[1][1]
    return any(_number(c) is None and j < len(second) and _number(second[j]) is not None
               for j, c in enumerate(first))


def _column(choice: str, columns: list[str]) -> int:
    """A column named by its header name or by its 1-based number."""
    if choice in columns:
        return columns.index(choice)
    if choice.isdigit() and 1 <= int(choice) <= len(columns):
        return int(choice) - 1
    raise EngineError(f"there is no column {choice!r}; the columns are {', '.join(columns)} "
                     f"(or give their numbers 1 to {len(columns)})")


def parse_csv(data: bytes, *, inputs: list[str] | None = None, target: str | None = None,
              header: bool | None = None, kind: str | None = None,
              max_rows: int | None = None, max_columns: int | None = None) -> CsvTable:
    """Parse CSV bytes; `inputs` and `target` name columns (default: the last column is the target,
    every other column an input); `header` None means detect; `kind` None means infer."""
    if kind not in (None, *KINDS):
        raise EngineError(f"kind must be 'classification' or 'regression' (or left out to infer it), got {kind!r}")
    rows = _rows(_decode(data))
    if not rows:
        raise EngineError("the CSV is empty; give one line per point (a header line first is optional)")
    width = len(rows[0][1])
    if max_columns is not None and width > max_columns:
        raise EngineError(f"line {rows[0][0]} has {width} columns, more than the limit of {max_columns} "
                         f"(max_neurons); keep at most {max_columns} columns")
    header = _has_header(rows) if header is None else header
    first_line = rows[0][0]
    if header:
        columns = [c[:MAX_NAME] or f"x{j + 1}" for j, c in enumerate(rows[0][1])]
        repeated = next((c for j, c in enumerate(columns) if c in columns[:j]), None)
        if repeated is not None:
            raise EngineError(f"line {rows[0][0]}: the column name {repeated!r} appears twice; give each "
                             f"column its own name")
        rows = rows[1:]
        if not rows:
            raise EngineError("the CSV has a header line but no data; add one line per point below it")
    else:
        columns = [f"x{j + 1}" for j in range(width)]
    if width < 2:
        raise EngineError(f"line {first_line} has one column; a CSV needs at least one input column "
                         f"and a target column")
    if max_rows is not None and len(rows) > max_rows:
        raise EngineError(f"the CSV has {len(rows)} data lines, more than the limit of {max_rows} "
                         f"(max_points); keep at most {max_rows} points")
    for line, cells in rows:
        if len(cells) != width:
            raise EngineError(f"line {line} has {_count(len(cells))} but line {first_line} has "
                             f"{_count(width)}; give every line the same number of values")
    t = _column(target, columns) if target is not None else width - 1
    chosen = [_column(c, columns) for c in inputs] if inputs else [j for j in range(width) if j != t]
    if t in chosen or len(set(chosen)) != len(chosen):
        raise EngineError("inputs must name different columns, none of them the target "
                         f"({columns[t]!r})")
    if not chosen:
        raise EngineError("choose at least one input column")
    x = np.empty((len(rows), len(chosen)))
    for r, (line, cells) in enumerate(rows):
        for c, j in enumerate(chosen):
            x[r, c] = _value(cells[j], line, j)
    kind, labels, y = _target([cells[t] for _, cells in rows], [line for line, _ in rows], t, kind,
                              columns[t])
    return CsvTable(columns, header, chosen, t, kind, labels, x, y)


def _count(n: int) -> str:
    return f"{n} value" + "s" * (n != 1)


def _value(text: str, line: int, j: int) -> float:
    where = f"line {line}, column {j + 1}"
    if not text:
        raise EngineError(f"{where}: the value is missing; fill it in or remove the line")
    value = _number(text)
    if value is None:
        raise EngineError(f"{where}: {text[:MAX_NAME]!r} is not a number")
    if not math.isfinite(value):
        raise EngineError(f"{where}: {text!r} is not a finite number")
    return value


def _target(cells: list[str], lines: list[int], t: int, kind: str | None,
            name: str) -> tuple[str, list[str] | None, np.ndarray]:
    numbers = [_number(c) if c else None for c in cells]
    numeric = all(v is not None and math.isfinite(v) for v in numbers)
    distinct = sorted(set(numbers)) if numeric else sorted(set(cells))
    if kind is None:
        whole = numeric and all(v == int(v) for v in numbers)
        kind = "classification" if not numeric or (whole and len(distinct) <= MAX_INFERRED_CLASSES) \
            else "regression"
    if kind == "regression":
        return kind, None, np.array([_value(c, line, t) for c, line in zip(cells, lines)])
    missing = next((line for c, line in zip(cells, lines) if not c), None)
    if missing is not None:
        raise EngineError(f"line {missing}, column {t + 1}: the class is missing; fill it in or remove the line")
    if len(distinct) < 2:
        raise EngineError(f"the target column {name!r} holds only one class ({cells[0][:MAX_NAME]!r}); "
                         f"classification needs at least 2 classes")
    if len(distinct) > MAX_CLASSES:
        raise EngineError(f"the target column {name!r} holds {len(distinct)} different classes, more than "
                         f"{MAX_CLASSES}; for measured values use kind=regression")
    index = {v: k for k, v in enumerate(distinct)}
    labels = [_label(v) for v in distinct]
    y = np.array([index[v] for v in (numbers if numeric else cells)], dtype=np.int64)
    return kind, labels, y


def _label(value) -> str:
    if isinstance(value, float):
        return str(int(value)) if value == int(value) else repr(value)
    return value[:MAX_NAME]

