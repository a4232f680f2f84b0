"""The table of user-settable fields: well formed, the only place defaults and ranges are stated, and
what the engine validates with."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from engine import experiment, fields
from engine.datasets import dataset_catalog, generate
from engine.errors import EngineError
from engine.experiment import Experiment
from engine.hyperparameters import Hyperparameters

ROOT = Path(__file__).resolve().parents[2]
CONTROLS = {"select", "slider", "number", "checkbox", "list"}


def replace_row(monkeypatch, name: str, **changes) -> None:
    table = tuple(dataclasses.replace(f, **changes) if f.name == name else f for f in fields.FIELDS)
    monkeypatch.setattr(fields, "FIELDS", table)


def test_every_row_is_well_formed():
    names = [f.name for f in fields.FIELDS]
    assert len(names) == len(set(names))
    for f in fields.FIELDS:
        assert f.group in fields.GROUPS and f.type in fields.TYPES, f.name
        assert f.name.startswith("dataset.") == (f.group == "dataset"), f.name
        assert f.description and "\n" not in f.description, f.name
        assert f.ui is None or f.ui.control in CONTROLS, f.name
        if f.type in ("number", "integer", "string"):
            fields.check(f.name, f.default)  # every default is a value the table accepts
        else:
            assert all(item in f.choices for item in f.default) if f.choices else all(
                fields.in_range(f, item) for item in f.default), f.name
        if f.ui is not None and f.ui.values is not None:
            for value in f.ui.values:
                fields.check(f.name, value)  # a preset the server would refuse is a bug
    assert fields.live_names() == ("learning_rate", "batch_size", "momentum", "regularization",
                                   "regularization_rate")


def test_the_engine_takes_its_defaults_from_the_table():
    assert experiment.DEFAULTS == fields.config_defaults()
    assert experiment.DATASET_DEFAULTS == fields.dataset_defaults()
    assert vars(Hyperparameters()) == {f.name: f.default for f in fields.live()}
    exp = Experiment.create()
    assert {k: exp.config[k] for k in experiment.HYPERPARAMETERS} == vars(Hyperparameters())
    assert exp.config["dataset"] == fields.dataset_defaults()
    assert dataset_catalog()[0]["params"]["noise"] == {"min": 0, "max": 50, "default": 0}


@pytest.mark.parametrize("name, value, message", [
    ("learning_rate", 0, "learning_rate must be a positive number, got 0"),
    ("batch_size", 2.5, "batch_size must be a whole number ≥ 1, got 2.5"),
    ("momentum", 1.0, "momentum must be in [0, 1), got 1.0"),
    ("regularization_rate", -1, "regularization_rate must be ≥ 0, got -1"),
    ("regularization", "l3", "unknown regularization 'l3'; choose from none, l1, l2"),
    ("init", "glorot", "unknown init 'glorot'; choose from xavier, he, uniform, zeros"),
    ("dataset.noise", float("nan"), "noise must be a number between 0 and 50, got nan"),
    ("dataset.samples", True, "samples must be a whole number between 2 and 5000, got True"),
    ("dataset.seed", "7", "seed must be a whole number between 0 and 4294967295, got '7'"),
])
def test_check_refuses_with_the_fields_name_and_range(name, value, message):
    with pytest.raises(EngineError) as err:
        fields.check(name, value)
    assert str(err.value) == message


def test_a_range_changed_in_the_table_is_the_range_the_engine_checks(monkeypatch):
    replace_row(monkeypatch, "dataset.noise", maximum=40)
    replace_row(monkeypatch, "learning_rate", exclusive_minimum=None, minimum=0.5, maximum=2)
    with pytest.raises(EngineError, match=r"^noise must be a number between 0 and 40, got 45$"):
        generate("circle", noise=45)
    with pytest.raises(EngineError, match=r"^learning_rate must be a number between 0\.5 and 2, got 0\.1$"):
        Experiment.create({"learning_rate": 0.1})
    exp = Experiment.create({"learning_rate": 1})
    with pytest.raises(EngineError, match=r"^learning_rate must be a number between 0\.5 and 2, got 3$"):
        exp.set_hyperparameters(learning_rate=3)
    assert dataset_catalog()[0]["params"]["noise"]["max"] == 40


def test_server_limits_tighten_a_bound_and_name_their_setting():
    class Small:
        max_neurons, max_hidden_layers, max_points = 8, 3, 300

    layers, samples = fields.spec("layers"), fields.spec("dataset.samples")
    assert fields.bound(layers, "maximum", Small) == 8 and fields.bound(layers, "max_items", Small) == 5
    assert fields.bound(samples, "maximum", Small) == 300
    assert fields.bound(samples, "maximum") == 5000  # the static bound, without settings


FIELD_NAME = "|".join(re.escape(f.key) for f in fields.FIELDS)
RESTATED_BOUND = re.compile(rf"\b({FIELD_NAME})\b\s*[:=][^\n]*\bField\([^\n]*\b(ge|le|gt|lt|min_length|max_length)=")


def test_no_schema_or_route_restates_a_fields_range():
    offenders = [f"{path.relative_to(ROOT)}: {line.strip()}"
                 for path in sorted((ROOT / "app").rglob("*.py"))
                 for line in path.read_text().splitlines() if RESTATED_BOUND.search(line)]
    assert offenders == []
