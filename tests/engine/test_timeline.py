"""Rewinds restore the exact past and stepping forward retraces it; memory stays bounded."""
import json
import random

import numpy as np
import pytest

from engine import checkpoints, state
from engine.experiment import Experiment
from engine.timeline import Timeline

CONFIG = {"layers": [2, 5, 3, 1], "learning_rate": 0.05, "batch_size": 7, "momentum": 0.8,
          "regularization": "l2", "regularization_rate": 0.01, "seed": 3}
DATASET = {"name": "spiral", "samples": 60, "noise": 15, "seed": 2}


def make(config=None, spacing=None):
    exp = Experiment.create({**CONFIG, **(config or {})}, dataset=DATASET)
    exp.timeline = Timeline(exp)
    if spacing:
        exp.timeline.spacing = spacing
    return exp


def snapshot(exp) -> str:
    """Everything that decides the future, as one comparable string (history aside)."""
    doc = state.to_dict(exp)
    doc.pop("history")
    return json.dumps(doc, sort_keys=True)


def random_walk(exp, rng, actions=60, advances=None):
    """Random steps, phases, hyperparameter changes and weight edits; the state at each position's
    last visit, keyed by (step, phase). The training calls are appended to `advances`."""
    seen = {(0, 0): snapshot(exp)}
    advances = [] if advances is None else advances
    original = exp.advance

    def advance(**call):
        advances.append(call)
        return original(**call)

    exp.advance = advance
    for _ in range(actions):
        start = (exp.trainer.step, exp.trainer.cursor)
        roll = rng.random()
        if roll < 0.35:
            exp.advance(by="iteration", count=rng.randint(1, 40))
        elif roll < 0.55:
            exp.advance(by="phase", count=rng.randint(1, 9), trace=rng.random() < 0.5)
        elif roll < 0.65:
            exp.advance(by="epoch", count=1)
        elif roll < 0.8:
            exp.set_hyperparameters(**rng.choice([{"learning_rate": rng.choice([0.01, 0.05, 0.2])},
                                                  {"momentum": rng.choice([0.0, 0.5, 0.9])},
                                                  {"batch_size": rng.randint(1, 12)},
                                                  {"regularization": "l1", "regularization_rate": 0.003}]))
        else:
            exp.set_parameter(rng.choice(["L0N1-L1N2", "L2N0-L3N0", "L1N4-bias"]), rng.uniform(-1, 1))
        here = (exp.trainer.step, exp.trainer.cursor)
        for passed in [p for p in seen if start < p < here]:  # visited again on the way: unknown
            del seen[passed]
        seen[here] = snapshot(exp)
    del exp.advance
    return seen


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_rewinds_to_random_positions_restore_them_bit_for_bit_and_forward_retraces(seed):
    rng = random.Random(seed)
    exp = make(spacing=17)
    advances = []
    seen = random_walk(exp, rng, advances=advances)
    end = (exp.trainer.step, exp.trainer.cursor)
    final = snapshot(exp)
    history = list(exp.history)
    for target in rng.sample(sorted(seen), 25) + [(0, 0), end]:
        exp = exp.timeline.rewind(exp, *target)
        assert snapshot(exp) == seen[target], target
        assert [e["step"] for e in exp.history] == [e["step"] for e in history if e["step"] <= target[0]]
    exp = exp.timeline.rewind(exp, 0, 0)
    for call in advances:  # the same training calls, none of the changes
        exp.advance(**call)
    assert snapshot(exp) == final  # every change was replayed where it was made


def test_a_change_after_a_rewind_starts_a_new_branch():
    exp = make(spacing=10)
    exp.advance(by="iteration", count=30)
    exp.set_hyperparameters(learning_rate=0.3)
    exp.advance(by="iteration", count=30)
    exp = exp.timeline.rewind(exp, 20)
    assert exp.hyper.learning_rate == 0.05
    exp = exp.timeline.rewind(exp, 45)  # forward again, within the old future
    assert exp.hyper.learning_rate == 0.3
    exp = exp.timeline.rewind(exp, 20)
    exp.set_parameter("L0N0-L1N0", 0.5)
    assert exp.timeline.bounds()["newest"] == {"step": 20, "phase": 0}
    assert [e["kind"] for e in exp.timeline.bounds()["events"]] == ["parameter"]
    with pytest.raises(ValueError, match="after the newest point"):
        exp.timeline.rewind(exp, 45)
    exp.advance(by="iteration", count=30)
    assert exp.hyper.learning_rate == 0.05  # the old future's change is gone


def test_rewinding_to_a_phase_restores_the_buffers_the_next_phase_uses():
    exp = make(spacing=5)
    exp.advance(by="iteration", count=12)
    exp.advance(by="phase", count=3, trace=True)
    expected = exp.advance(by="phase", count=1, trace=True)
    exp.advance(by="iteration", count=8)
    exp = exp.timeline.rewind(exp, 12, 3)
    again = exp.advance(by="phase", count=1, trace=True)
    assert json.dumps(again, default=lambda a: np.asarray(a).tolist()) == \
        json.dumps(expected, default=lambda a: np.asarray(a).tolist())


def test_rewind_refuses_positions_outside_the_timeline():
    exp = make()
    exp.advance(by="iteration", count=5)
    with pytest.raises(ValueError, match="phase must be from 0 to 7"):
        exp.timeline.rewind(exp, 2, 8)
    with pytest.raises(ValueError, match=r"after the newest point of this network's timeline \(step 5 phase 0\)"):
        exp.timeline.rewind(exp, 6)


def test_a_reset_starts_a_new_timeline():
    exp = make()
    exp.advance(by="iteration", count=50)
    exp.reset()
    assert exp.timeline.bounds()["newest"] == {"step": 0, "phase": 0}
    assert exp.timeline.bounds()["events"] == []


@pytest.mark.slow
def test_a_million_steps_stay_within_the_bound_and_rewind_exactly():
    exp = Experiment.create({"layers": [2, 1], "batch_size": 1, "learning_rate": 0.001,
                             "momentum": 0.5}, dataset={"name": "gauss", "samples": 4})
    exp.timeline = Timeline(exp)
    exp.advance(by="iteration", count=999_000)
    exp.set_hyperparameters(learning_rate=0.002)
    before = snapshot(exp)  # a rewind goes to a step's last visit: after the change made there
    exp.advance(by="iteration", count=1_000)
    bounds = exp.timeline.bounds()
    assert bounds["checkpoints"] <= checkpoints.MAX_CHECKPOINTS and bounds["bytes"] <= checkpoints.MAX_BYTES
    exp = exp.timeline.rewind(exp, 999_000)
    assert snapshot(exp) == before
    exp = exp.timeline.rewind(exp, 123_457)
    assert exp.trainer.step == 123_457 and exp.hyper.learning_rate == 0.001


def points(seed, n=30):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    return {"x_train": x.tolist(), "y_train": (x[:, 0] * x[:, 1] > 0).astype(int).tolist(), "kind": "classification"}


def test_a_data_change_is_recorded_and_a_rewind_past_it_restores_the_points_before():
    from engine.userdata import with_new_data
    exp = make(spacing=4)
    exp.advance(by="iteration", count=9)
    seen = {(9, 0): snapshot(exp)}
    exp.advance(by="iteration", count=1)
    exp.advance(by="phase", count=3)
    original = exp.dataset.x_train.copy()
    exp = with_new_data(exp, points(1))  # mid-iteration: the iteration restarts on the new points
    assert [e["kind"] for e in exp.timeline.bounds()["events"]] == ["data"]
    exp.advance(by="iteration", count=9)
    exp = with_new_data(exp, points(2))
    seen[(19, 0)] = snapshot(exp)  # a rewind goes to a position's last visit: after the change there
    exp.advance(by="iteration", count=6)
    final = snapshot(exp)
    exp = exp.timeline.rewind(exp, 9)
    assert snapshot(exp) == seen[(9, 0)] and np.array_equal(exp.dataset.x_train, original)
    assert exp.config["dataset"]["name"] == "spiral"
    exp = exp.timeline.rewind(exp, 10, 3)  # visited twice: its last visit is on the new points
    assert exp.config["dataset"]["name"] == "custom"
    exp = exp.timeline.rewind(exp, 19)
    assert snapshot(exp) == seen[(19, 0)] and exp.config["dataset"]["name"] == "custom"
    exp = exp.timeline.rewind(exp, 5)
    exp.advance(by="iteration", count=20)  # forward again: both data changes re-applied where made
    assert snapshot(exp) == final
    restored = Timeline.from_dict(exp, json.loads(json.dumps(exp.timeline.to_dict())), dict(
        zip(exp.timeline.checkpoints.ids, exp.timeline.checkpoints.blobs)))
    exp.timeline = restored  # as after a restart
    exp = restored.rewind(exp, 9)
    assert snapshot(exp) == seen[(9, 0)]


def test_data_changes_are_bounded():
    from engine import timeline
    from engine.userdata import with_new_data
    exp = make(spacing=3)
    for n in range(timeline.MAX_DATA_EVENTS + 3):
        exp.advance(by="iteration", count=2)
        exp = with_new_data(exp, points(n))
    events = exp.timeline.bounds()["events"]
    assert len(events) == timeline.MAX_DATA_EVENTS and events[0]["step"] == 8
    first = exp.timeline.bounds()["first"]
    assert 8 <= first < 10  # what only the forgotten changes could reach is gone
    exp = exp.timeline.rewind(exp, first)  # with the points in force there: the change made at step 8
    assert np.array_equal(exp.dataset.x_train, np.asarray(points(3)["x_train"]))
    with pytest.raises(ValueError, match="timeline starts at step"):
        exp.timeline.rewind(exp, first - 1)
