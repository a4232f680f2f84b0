"""Save → JSON → restore → continue is indistinguishable from never stopping, and seeds decide
trajectories."""
import json

import numpy as np
import pytest

from engine import state
from engine.experiment import Experiment

CONFIG = {"layers": [2, 5, 3, 1], "learning_rate": 0.1, "batch_size": 7, "momentum": 0.7,
          "regularization": "l2", "regularization_rate": 0.01, "seed": 3}
DATASET = {"name": "spiral", "samples": 100, "noise": 15, "seed": 2}


def make(config=None, dataset=None):
    return Experiment.create({**CONFIG, **(config or {})}, dataset={**DATASET, **(dataset or {})})


def through_json(exp):
    return state.from_dict(json.loads(json.dumps(state.to_dict(exp), allow_nan=False)))


def continue_training(exp):
    exp.advance(by="phase", count=2, trace=True)
    exp.advance(by="iteration", count=5)
    exp.advance(by="epoch", count=2)
    exp.advance(by="phase", count=4)
    return exp


def assert_identical(a, b):
    ta, tb = a.trainer, b.trainer
    assert np.array_equal(ta.params.flat, tb.params.flat)
    assert np.array_equal(ta.velocity, tb.velocity)
    assert (ta.step, ta.epoch, ta.cursor, ta.offset) == (tb.step, tb.epoch, tb.cursor, tb.offset)
    assert a.history == b.history
    assert json.dumps(comparable(a)) == json.dumps(comparable(b))


def comparable(exp):
    """The saved document, minus the size of the last batch once it is finished (nothing reads it then)."""
    doc = state.to_dict(exp)
    if doc["counters"]["cursor"] == 0:
        del doc["counters"]["batch"]
    return doc


@pytest.mark.parametrize("where", ["epoch-boundary", "mid-epoch", "mid-iteration", "before-update"])
def test_save_restore_continue_equals_never_stopping(where):
    original = make()
    if where == "epoch-boundary":
        original.advance(by="epoch")
        assert original.trainer.offset == 0
    elif where == "mid-epoch":
        original.advance(by="iteration", count=4)
        assert original.trainer.offset == 28 and original.trainer.cursor == 0
    elif where == "mid-iteration":
        original.advance(by="iteration", count=4)
        original.advance(by="phase", count=4)
        assert original.phase == {"name": "backward", "layer": 3, "index": 4, "count": 8}
    else:
        original.advance(by="iteration", count=9)
        original.advance(by="phase", count=7)
        assert original.phase["name"] == "update"
    assert np.abs(original.trainer.velocity).max() > 0 or where == "epoch-boundary"
    restored = through_json(original)
    assert_identical(original, restored)
    assert_identical(continue_training(original), continue_training(restored))
    assert original.trainer.step > 20


def test_a_restored_mid_iteration_trace_shows_the_same_numbers():
    original = make()
    original.advance(by="iteration", count=2)
    original.advance(by="phase", count=3)
    restored = through_json(original)
    for a, b in zip(original.advance(by="iteration", trace=True), restored.advance(by="iteration", trace=True)):
        assert a.keys() == b.keys()
        for key, value in a.items():
            assert np.array_equal(value, b[key]) if isinstance(value, np.ndarray) else value == b[key], key


def test_restore_keeps_hyperparameters_changed_after_creation():
    exp = make()
    exp.advance(by="iteration", count=3)
    exp.set_hyperparameters(learning_rate=0.02, batch_size=11, momentum=0.0, regularization="l1")
    restored = through_json(exp)
    assert vars(restored.hyper) == vars(exp.hyper)
    assert_identical(continue_training(exp), continue_training(restored))


def test_restore_then_reset_returns_to_the_same_initial_weights():
    exp = make()
    initial = exp.trainer.params.flat.copy()
    exp.advance(by="epoch")
    restored = through_json(exp)
    restored.reset()
    assert np.array_equal(restored.trainer.params.flat, initial)
    assert restored.trainer.step == 0 and len(restored.history) == 1


def test_explicit_weights_and_user_data_round_trip():
    data = {"x_train": [[0.1, 0.2, 0.3], [0.5, -0.1, 0.0], [-0.3, 0.4, 0.9]], "y_train": [[0.5, -0.2], [0.1, 0.3], [0.0, 0.9]]}
    weights = [[[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]], [[0.7, -0.8], [0.9, 0.25]]]
    biases = [[0.01, -0.02], [0.03, 0.04]]
    exp = Experiment.create({"layers": [3, 2, 2], "output_activation": "linear", "batch_size": 2, "momentum": 0.5},
                            data=data, weights=weights, biases=biases)
    assert exp.config["init"] == "explicit"
    exp.advance(by="iteration", count=3)
    exp.advance(by="phase")
    restored = through_json(exp)
    assert restored.dataset.x_train.tolist() == data["x_train"]
    assert restored.dataset.y_train.tolist() == data["y_train"]
    assert_identical(continue_training(exp), continue_training(restored))
    restored.reset()
    assert [w.tolist() for w in restored.trainer.params.weights] == weights


def test_same_config_and_seed_give_the_same_trajectory():
    a, b = make(), make()
    assert np.array_equal(a.trainer.params.flat, b.trainer.params.flat)
    for exp in (a, b):
        exp.advance(by="epoch", count=3)
    assert_identical(a, b)


def test_a_different_seed_gives_different_weights():
    a, b = make(), make({"seed": 4})
    assert not np.array_equal(a.trainer.params.flat, b.trainer.params.flat)
    b.reset(seed=3)
    assert np.array_equal(a.trainer.params.flat, b.trainer.params.flat)
    assert b.config["seed"] == 3


def test_the_dataset_seed_is_separate_from_the_network_seed():
    a, b = make(), make(dataset={"seed": 9})
    assert np.array_equal(a.trainer.params.flat, b.trainer.params.flat)
    assert not np.array_equal(a.dataset.x_train, b.dataset.x_train)


@pytest.mark.parametrize("corrupt,message", [
    (lambda d: d.update(format=99), "unsupported document format 99; expected 1"),
    (lambda d: d.update(velocity=[0.0, 1.0]), "velocity does not match the network's parameter count"),
    (lambda d: d["weights"].pop(), "weights and biases need 3 entries each"),
    (lambda d: d["weights"][0].pop(), "weights[0] must have shape [2, 5] (n_0 × n_1), got [1, 5]"),
    (lambda d: d.update(order=None), "a half-finished iteration needs the epoch's order"),
])
def test_a_broken_document_is_refused_with_a_clear_message(corrupt, message):
    exp = make()
    exp.advance(by="phase", count=3)
    doc = json.loads(json.dumps(state.to_dict(exp)))
    corrupt(doc)
    with pytest.raises(ValueError) as info:
        state.from_dict(doc)
    assert message in str(info.value)


def _exported():
    import json

    from engine import state
    from engine.experiment import Experiment

    exp = Experiment.create({"batch_size": 7}, {"name": "circle", "samples": 40})
    exp.advance("phase", 3)
    return json.loads(json.dumps(state.to_dict(exp)))


@pytest.mark.parametrize("change, message", [
    (lambda d: d["counters"].update(cursor=99), "counters.cursor must be below 8"),
    (lambda d: d["counters"].update(step=-5), "counters.step must be a whole number ≥ 0"),
    (lambda d: d["counters"].update(offset=10**6), "counters.offset must be below the 20 training rows"),
    (lambda d: d["counters"].update(batch=0), "counters.batch must be between 1 and"),
    (lambda d: d.update(diverged="yes"), "diverged must be null or"),
    (lambda d: d.update(diverged={"x": 1}), "diverged must be null or"),
    (lambda d: d.update(history="x"), "history must be a list of entries"),
    (lambda d: d["history"].append({"epoch": 0}), "history must be a list of entries"),
    (lambda d: d.update(order=[0, 0, 1]), "order must be null or a permutation of the 20 training rows"),
    (lambda d: d["data"]["y_train"].__setitem__(0, 5), "data.y_train must hold class labels from 0 to 1"),
    (lambda d: d["data"]["x_train"].__setitem__(0, [1.0]), "data.x_train must be a list of rows of 2 numbers"),
    (lambda d: d.update(velocity=[0.0]), "velocity does not match the network's parameter count"),
    (lambda d: d.update(rng={"bit_generator": "PCG64", "state": {"state": "abc", "inc": "1"}}),
     "not a valid exported network: rng must be the random generator's state as exported"),
])
def test_an_import_document_is_checked_before_anything_runs(change, message):
    from engine import state

    doc = _exported()
    change(doc)
    with pytest.raises(ValueError) as err:
        state.from_dict(doc)
    assert message in str(err.value)


def test_an_empty_history_is_rebuilt_from_the_current_weights():
    from engine import state

    doc = _exported()
    doc["history"] = []
    exp = state.from_dict(doc)
    assert len(exp.history) == 1 and exp.history[0]["step"] == doc["counters"]["step"]
    assert exp.history[0]["train_loss"] > 0


def test_initial_weights_assigned_again_are_saved_as_they_are_now():
    """Their lists are made once a save (they stay put), and forgotten when they are assigned."""
    exp = Experiment.create()
    first = state.to_dict(exp)["initial"]
    assert state.to_dict(exp)["initial"] is first
    exp.initial_params.assign([w * 2 for w in exp.initial_params.weights], exp.initial_params.biases)
    assert state.to_dict(exp)["initial"]["weights"][0][0][0] == 2 * first["weights"][0][0][0]
