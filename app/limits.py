"""Server limits checked before any work starts, with messages naming the field, value and limit.

Static ranges are in the table of settable fields (`engine.fields`, enforced by the schemas built
from it); these depend on `Settings`, so an operator can widen or tighten them without touching code.
The table names the setting that bounds a field, and OpenAPI and /api/options show the number in
force; the checks here enforce it with a message naming the setting, before the engine allocates
anything.
"""
from __future__ import annotations

import math

from app.errors import invalid, over_limit
from app.settings import Settings
from engine.csvdata import MAX_NAME
from engine.datasets import MAX_CLASSES
from engine.experiment import Experiment
from engine.history import LIMIT as HISTORY_LIMIT

BYTES_PER_NUMBER = 28  # the longest float64 in JSON (24 characters) with its separator, rounded up
DERIVED = "computed from max_points, max_neurons and max_hidden_layers"


def check_layers(layers: list[int], s: Settings, field: str = "layers") -> None:
    hidden = len(layers) - 2
    if hidden > s.max_hidden_layers:
        raise over_limit(field, hidden, s.max_hidden_layers, "hidden layers", "max_hidden_layers")
    for i, n in enumerate(layers):
        if n > s.max_neurons:
            raise over_limit(f"{field}[{i}]", n, s.max_neurons, "neurons", "max_neurons")


def _length(value) -> int:
    return len(value) if isinstance(value, (list, tuple)) else 0


def check_points(n: int, s: Settings, field: str) -> None:
    if n > s.max_points:
        raise over_limit(field, n, s.max_points, "points", "max_points")


def check_batch_size(batch_size: int | None, s: Settings, field: str = "batch_size") -> None:
    """A mini-batch never holds more than a dataset's points; past that the number is a mistake."""
    if batch_size is not None and batch_size > s.max_points:
        raise over_limit(field, batch_size, s.max_points, setting="max_points")


def check_data(data: dict | None, dataset: dict | None, s: Settings) -> None:
    if data is not None:
        check_points(_length(data.get("x_train")) + _length(data.get("x_test")), s, "data")
        rows = data.get("x_train") or []
        width = len(rows[0]) if rows and isinstance(rows[0], (list, tuple)) else 1
        if width > s.max_neurons:
            raise over_limit("data.x_train[0]", width, s.max_neurons, "inputs", "max_neurons")
    elif dataset is not None:
        check_points(int(dataset.get("samples", 0)), s, "dataset.samples")


def check_weights(weights, biases, s: Settings) -> None:
    """Explicit weights bigger than the largest allowed network are refused before numpy sees them."""
    most = s.max_hidden_layers + 1
    neurons = f"a layer has at most {s.max_neurons} neurons (max_neurons)"
    for name, unit, given in (("weights", "matrices", weights), ("biases", "lists", biases)):
        if given is not None and len(given) > most:
            raise invalid(f"{name} has {len(given)} {unit}, one a weight layer; a network has at most "
                          f"{most} weight layers ({s.max_hidden_layers} hidden layers, max_hidden_layers)")
    for k, matrix in enumerate(weights or []):
        if len(matrix) > s.max_neurons:
            raise invalid(f"weights[{k}] has {len(matrix)} rows; {neurons}")
        for i, row in enumerate(matrix):
            if len(row) > s.max_neurons:
                raise invalid(f"weights[{k}][{i}] has {len(row)} columns; {neurons}")
    for k, vector in enumerate(biases or []):
        if len(vector) > s.max_neurons:
            raise invalid(f"biases[{k}] has {len(vector)} numbers; {neurons}")


def check_float_grid(exp: Experiment, resolution: int, s: Settings) -> None:
    """A float grid sends R×R JSON numbers for every neuron; refuse one past `max_response_numbers`."""
    neurons = sum(exp.arch.layers)
    numbers = resolution * resolution * neurons
    if numbers > s.max_response_numbers:
        raise invalid(f"resolution: a float grid of {resolution}×{resolution} for {neurons} neurons is "
                      f"{numbers:,} numbers, more than the limit of {s.max_response_numbers:,} "
                      f"(max_response_numbers); use encoding=bytes or a smaller resolution")


def prediction_numbers_per_point(exp: Experiment) -> int:
    """Numbers a prediction returns for one point: outputs, every layer's activations and z, class."""
    layers = exp.arch.layers
    return layers[-1] + sum(layers) + sum(layers[1:]) + (exp.dataset.kind == "classification")


def check_prediction(exp: Experiment, points: int, s: Settings) -> None:
    per_point = prediction_numbers_per_point(exp)
    numbers = points * per_point
    if numbers > s.max_response_numbers:
        raise invalid(f"x: predicting {points} points returns {numbers:,} numbers ({per_point} a point: "
                      f"outputs, activations and z of every layer), more than the limit of "
                      f"{s.max_response_numbers:,} (max_response_numbers); send at most "
                      f"{s.max_response_numbers // per_point} points at a time")


def iterations_per_epoch(exp: Experiment) -> int:
    return math.ceil(exp.trainer.n / exp.hyper.batch_size)


def check_step(exp: Experiment, by: str, count: int, trace: bool, s: Settings) -> int:
    """Refuse a step request that would run too long or return too large a trace; returns the
    number of iterations it may run (an upper bound)."""
    if by == "phase":
        if count > s.max_phases_per_request:
            raise over_limit("count", count, s.max_phases_per_request, "phases", "max_phases_per_request")
        iterations = math.ceil(count / len(exp.trainer.phases)) + 1
    elif by == "iteration":
        if count > s.max_steps_per_request:
            raise over_limit("count", count, s.max_steps_per_request, "iterations", "max_steps_per_request")
        iterations = count
    else:
        if count > s.max_epochs_per_request:
            raise over_limit("count", count, s.max_epochs_per_request, "epochs", "max_epochs_per_request")
        iterations = count * iterations_per_epoch(exp)
        if iterations > s.max_steps_per_request:
            raise over_limit("count", f"{count} epochs = {iterations}", s.max_steps_per_request,
                             "iterations", "max_steps_per_request")
    if trace:
        records, numbers = trace_size(exp, by, count, iterations)
        if records > s.max_trace_records:
            raise over_limit("count", f"a trace of {records}", s.max_trace_records, "records",
                             "max_trace_records; ask for fewer steps, or step without trace")
        if numbers > s.max_trace_numbers:
            raise over_limit("count", f"a trace of about {numbers}", s.max_trace_numbers, "numbers",
                             "max_trace_numbers; ask for fewer steps, or step without trace")
    return iterations


def trace_size(exp: Experiment, by: str, count: int, iterations: int) -> tuple[int, int]:
    """Upper bounds on the records and numbers a traced step returns."""
    sizes, depth = exp.arch.layers, exp.arch.depth
    b = min(exp.hyper.batch_size, exp.trainer.n)
    params = exp.arch.n_params()
    forward = sum(b * (sizes[l - 1] + 2 * sizes[l]) for l in range(1, depth + 1)) + b
    loss = b * (4 * sizes[-1] + 2)
    backward = sum(b * 3 * sizes[l] + (sizes[l - 1] + 1) * sizes[l] for l in range(1, depth + 1))
    update = 12 * params
    per_iteration = forward + loss + backward + update
    records_per_iteration = 3 * depth + 1
    if by == "phase":
        phases = len(exp.trainer.phases)
        its = math.ceil(count / phases) + 1  # a count of phases can touch one more iteration
        return count + its * (depth - 1), its * per_iteration
    return iterations * records_per_iteration, iterations * per_iteration


def export_bytes(s: Settings) -> int:
    """An upper bound on the export document of the largest network the limits allow: weights,
    initial weights and momentum; points with as many inputs and targets as a layer has neurons,
    and their order; a full history; names; and a margin for config, counters and the generator."""
    depth = s.max_hidden_layers + 1
    params = depth * (s.max_neurons + 1) * s.max_neurons
    numbers = 3 * params + s.max_points * (2 * s.max_neurons + 1) + HISTORY_LIMIT * (6 + depth)
    names = (MAX_CLASSES + s.max_neurons + 1) * (MAX_NAME + 4)
    return numbers * BYTES_PER_NUMBER + HISTORY_LIMIT * 120 + names + 65536


def body_limit(method: str, path: str, s: Settings) -> tuple[int, str]:
    """The largest body a route takes, and why: `max_body_bytes`, except routes that carry points
    (a CSV file, a network's data) or a whole network (import), which take what the largest
    content the other limits allow needs."""
    points = s.max_points * (s.max_neurons + 1) * BYTES_PER_NUMBER
    if method == "POST" and path == "/api/networks/import":
        size = export_bytes(s)
    elif method == "POST" and path in ("/api/datasets/csv", "/api/networks") or (
            method == "PUT" and path.startswith("/api/networks/") and path.endswith("/data")):
        size = points
    else:
        return s.max_body_bytes, "max_body_bytes"
    return (size, DERIVED) if size > s.max_body_bytes else (s.max_body_bytes, "max_body_bytes")
