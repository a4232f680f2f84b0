"""Settings: defaults, environment variables, refusals of nonsense, warnings about unknown names."""
from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from app.settings import Settings, unknown_variables


def test_settings_from_environment(monkeypatch):
    monkeypatch.setenv("BACKPROP_PLAYGROUND_DB", "/tmp/x.db")
    monkeypatch.setenv("BACKPROP_PLAYGROUND_MAX_NEURONS", "16")
    monkeypatch.setenv("BACKPROP_PLAYGROUND_STEP_TIME_BUDGET", "2.5")
    settings = Settings.from_env()
    assert (settings.db_path, settings.max_neurons, settings.step_time_budget) == ("/tmp/x.db", 16, 2.5)
    assert Settings.from_env(db_path="/tmp/flag.db").db_path == "/tmp/flag.db"  # --db wins
    assert Settings(db_path="/tmp/y.db").max_neurons == 64  # plain construction reads no environment


@pytest.mark.parametrize("variable, value, message", [
    ("MAX_NEURONS", "-5", "BACKPROP_PLAYGROUND_MAX_NEURONS=-5 is refused: it must be greater than or equal to 1"),
    ("STEP_TIME_BUDGET", "nan", "BACKPROP_PLAYGROUND_STEP_TIME_BUDGET=nan is refused: it must be a finite number"),
    ("SAVE_INTERVAL", "0", "BACKPROP_PLAYGROUND_SAVE_INTERVAL=0 is refused: it must be greater than 0"),
    ("MAX_POINTS", "many", "BACKPROP_PLAYGROUND_MAX_POINTS=many is refused: it must be a valid integer, "
                           "unable to parse string as an integer"),
])
def test_nonsense_in_the_environment_is_refused_naming_the_variable(monkeypatch, variable, value, message):
    monkeypatch.setenv(f"BACKPROP_PLAYGROUND_{variable}", value)
    with pytest.raises(ValueError) as refusal:
        Settings.from_env()
    assert str(refusal.value) == message


def test_settings_are_validated_and_frozen():
    with pytest.raises(ValidationError):
        Settings(max_neurons=0)
    settings = Settings(db_path="/tmp/z.db")
    with pytest.raises(ValidationError):
        settings.replace(step_time_budget=float("inf"))
    assert settings.replace(max_neurons=8).max_neurons == 8 and settings.max_neurons == 64
    with pytest.raises(ValidationError):
        settings.max_neurons = 3
    assert "db_path" not in settings.limits() and settings.limits()["max_neurons"] == 64


def test_unknown_variables_are_named_with_the_likely_intended_one():
    environ = {"BACKPROP_PLAYGROUND_MAX_NEURON": "3", "BACKPROP_PLAYGROUND_COLOUR": "red",
               "BACKPROP_PLAYGROUND_MAX_NEURONS": "3", "BACKPROP_PLAYGROUND_DB": "/tmp/a.db", "HOME": "/root"}
    assert unknown_variables(environ) == [
        "BACKPROP_PLAYGROUND_COLOUR is not a setting and is ignored",
        "BACKPROP_PLAYGROUND_MAX_NEURON is not a setting and is ignored "
        "(did you mean BACKPROP_PLAYGROUND_MAX_NEURONS?)"]


def test_the_server_refuses_to_start_with_one_line_and_warns_about_unknown_names(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "BACKPROP_PLAYGROUND_MAX_NEURONS": "-5",
           "BACKPROP_PLAYGROUND_MAX_NEURON": "3"}
    out = subprocess.run([sys.executable, "-m", "app", "--db", str(tmp_path / "n.sqlite3")], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert out.stderr.splitlines() == [
        "backprop-playground: warning: BACKPROP_PLAYGROUND_MAX_NEURON is not a setting and is ignored "
        "(did you mean BACKPROP_PLAYGROUND_MAX_NEURONS?)",
        "backprop-playground: BACKPROP_PLAYGROUND_MAX_NEURONS=-5 is refused: it must be greater than or equal to 1"]
