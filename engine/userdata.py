"""Your own points in a network: the names kept with them, and replacing them mid-run.

A network trained on user data keeps, in its config's `dataset` entry, the input columns' names
(which label the input neurons), the target column's name and the class names (for the legend), so
they travel with every export and survive a restart. `with_new_data` gives an experiment the same
weights, optimiser state (momentum), random generator, counters and history on different points:
the step count goes on, the epoch in progress restarts on the new data.
Left out: parsing files (csvdata.py), and any merging of old and new points (the caller sends all).
"""
from __future__ import annotations

from engine.csvdata import MAX_NAME
from engine.datasets import Dataset
from engine.points import from_points
from engine.errors import EngineError
from engine.experiment import DEFAULTS, Experiment
from engine.targets import output_layer


def check_names(data: dict, n_inputs: int, n_classes: int) -> dict:
    """The optional names given with user data (`columns`, `target`, `labels`), checked against the
    data's shape; returns them for the network's dataset description."""
    out = {}
    columns, target, labels = data.get("columns"), data.get("target"), data.get("labels")
    if columns is not None:
        if len(columns) != n_inputs:
            raise EngineError(f"columns has {len(columns)} names but the data has {n_inputs} inputs; "
                             f"give one name per input column")
        out["columns"] = [str(c)[:MAX_NAME] for c in columns]
    if target is not None:
        out["target"] = str(target)[:MAX_NAME]
    if labels is not None:
        if n_classes == 0:
            raise EngineError("labels name classes, but these data are a regression; leave labels out")
        if len(labels) < n_classes:
            raise EngineError(f"labels has {len(labels)} names but the data has {n_classes} classes; "
                             f"give one name per class, in label order")
        out["labels"] = [str(c)[:MAX_NAME] for c in labels]
    return out


def dataset_of(data: dict) -> tuple[Dataset, dict]:
    """User points and names (API-shaped `data`) → (Dataset, the config's `dataset` entry)."""
    ds = from_points(data["x_train"], data["y_train"], data.get("x_test"), data.get("y_test"),
                     kind=data.get("kind"))
    return ds, {"name": "custom", **check_names(data, ds.n_features, ds.n_classes)}


def with_new_data(exp: Experiment, data: dict) -> Experiment:
    """A new experiment on `data` that continues `exp`'s run: same parameters, momentum, generator,
    step and epoch counters and history (whose newest entry is re-measured on the new points). The
    timeline records the change with its step, so a rewind past it restores the points before."""
    ds, spec = dataset_of(data)
    new = _continued(exp, ds, spec)
    if exp.timeline is not None:
        new.timeline = exp.timeline
        new.timeline.note(new, "data", {"data": ds.to_dict(), "spec": spec}, (exp.trainer.step, exp.trainer.cursor))
    return new


def replace_data(exp: Experiment, change: dict) -> None:
    """`exp` itself continues on the points of a recorded data change (a rewind's replay)."""
    new = _continued(exp, Dataset.from_dict(change["data"]), change["spec"])
    new.timeline = exp.timeline
    vars(exp).update(vars(new))


def _continued(exp: Experiment, ds: Dataset, spec: dict) -> Experiment:
    old = exp.trainer
    config = {**exp.config, "dataset": spec}
    new = Experiment(config, ds, old.params.copy())
    new.initial_params = exp.initial_params.copy()
    tr = new.trainer
    tr.velocity[...] = old.velocity
    tr.rng.bit_generator.state = old.rng.bit_generator.state
    tr.step, tr.epoch = old.step, old.epoch
    new.diverged = exp.diverged
    new.history = exp.history
    new.record_history(refresh=True)  # the metrics at this step are measured again on the new points
    return new


def fitting_network(kind: str, n_inputs: int, n_classes: int) -> dict:
    """Layers, output activation and loss that fit data of this shape, keeping the default hidden
    layers: one tanh output for two classes, softmax with categorical cross-entropy and one output
    per class for more, one linear output for regression."""
    hidden = list(DEFAULTS["layers"][1:-1])
    out = output_layer(kind, n_classes)
    return {"layers": [n_inputs, *hidden, out["units"]], "output_activation": out["output_activation"],
            "loss": out["loss"]}
