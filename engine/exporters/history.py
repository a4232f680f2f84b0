"""The loss and accuracy history as CSV: one line per history entry, for a spreadsheet or pandas.

Columns: step, epoch, train_loss, test_loss, train_accuracy, test_accuracy, then the gradient norm
of each weight layer (grad_norm_1 … grad_norm_L). A value the entry does not have (accuracy for a
regression, test metrics without a test set) is an empty cell. Numbers are written with `repr`, so
they read back exactly.
"""
from __future__ import annotations

import csv
import io

from engine.experiment import Experiment

COLUMNS = ("step", "epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")


def _cell(value) -> str:
    return "" if value is None else repr(value)


def history_csv(exp: Experiment) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    depth = exp.arch.depth
    writer.writerow([*COLUMNS, *(f"grad_norm_{k + 1}" for k in range(depth))])
    for entry in exp.history:
        norms = list(entry.get("grad_norms") or [])[:depth]
        writer.writerow([_cell(entry.get(c)) for c in COLUMNS]
                        + [_cell(v) for v in norms + [None] * (depth - len(norms))])
    return out.getvalue()
