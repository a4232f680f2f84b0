"""Stepping phase by phase (traced or not) trains exactly like the fast path, bit for bit, in every
unit and under hyperparameter changes made mid-training."""
import numpy as np
import pytest

from engine.experiment import Experiment

CONFIGS = {
    "plain": {},
    "momentum": {"momentum": 0.9},
    "l1": {"regularization": "l1", "regularization_rate": 0.01},
    "l2+momentum": {"regularization": "l2", "regularization_rate": 0.05, "momentum": 0.5},
    "batch-7-of-50": {"batch_size": 7},          # 50 = 7·7 + 1: every epoch ends on a batch of one
    "batch-larger-than-set": {"batch_size": 64},
    "many-chunks": {"batch_size": 3, "momentum": 0.2},  # 51 iterations: the fast path's chunks of 32
    "relu-sigmoid-bce": {"layers": [2, 5, 3, 1], "activation": ["relu", "leaky_relu"], "output_activation": "sigmoid",
                         "loss": "binary_cross_entropy", "batch_size": 8, "momentum": 0.3, "init": "he"},
}


def make(overrides=None, dataset=None):
    config = {"learning_rate": 0.1, "seed": 5, **(overrides or {})}
    return Experiment.create(config, dataset=dataset or {"name": "circle", "samples": 100, "noise": 10})


def softmax_blobs():
    return make({"layers": [2, 4, 3], "output_activation": "softmax", "loss": "categorical_cross_entropy",
                 "batch_size": 9, "momentum": 0.8, "regularization": "l2", "regularization_rate": 0.01},
                dataset={"name": "blobs", "samples": 90, "noise": 20})


def by_phases(exp, iterations, trace):
    """Finish `iterations` iterations one phase per call."""
    target = exp.trainer.step + iterations
    while exp.trainer.step < target:
        records = exp.advance(by="phase", trace=trace)
        assert (records is None) != trace
    return exp


def assert_same_state(a, b):
    ta, tb = a.trainer, b.trainer
    assert np.array_equal(ta.params.flat, tb.params.flat)
    assert np.array_equal(ta.velocity, tb.velocity)
    assert (ta.step, ta.epoch, ta.cursor, ta.offset) == (tb.step, tb.epoch, tb.cursor, tb.offset)


@pytest.mark.parametrize("name", [*CONFIGS, "softmax-blobs"])
def test_phase_stepping_equals_the_fast_path_bit_for_bit(name):
    build = softmax_blobs if name == "softmax-blobs" else (lambda: make(CONFIGS[name]))
    fast, traced, untraced = build(), build(), build()
    fast.advance(by="epoch", count=3)
    iterations = fast.trainer.step
    by_phases(traced, iterations, trace=True)
    by_phases(untraced, iterations, trace=False)
    assert fast.trainer.epoch == 3 and fast.trainer.offset == 0
    assert not np.array_equal(fast.trainer.params.flat, build().trainer.params.flat)
    assert_same_state(fast, traced)
    assert_same_state(fast, untraced)
    assert traced.history[-1] == untraced.history[-1] == fast.history[-1]


def test_an_epoch_of_uneven_batches_ends_with_the_remainder():
    exp = make({"batch_size": 7})
    assert len(exp.x_train) == 50
    sizes = []
    while exp.trainer.epoch == 0:
        records = exp.advance(by="iteration", trace=True)
        sizes.append(len(records[0]["a_prev"]))
    assert sizes == [7] * 7 + [1]
    assert exp.trainer.step == 8 and exp.trainer.offset == 0


def test_every_training_row_is_used_once_per_epoch():
    exp = make({"batch_size": 7})
    rows = []
    while exp.trainer.epoch == 0:
        rows.extend(exp.advance(by="iteration", trace=True)[0]["batch"].tolist())
    assert sorted(rows) == list(range(50))
    first_epoch = rows
    rows = []
    while exp.trainer.epoch == 1:
        rows.extend(exp.advance(by="iteration", trace=True)[0]["batch"].tolist())
    assert sorted(rows) == list(range(50)) and rows != first_epoch  # reshuffled each epoch


def test_mixing_units_phase_then_iteration_then_epoch():
    mixed, fast = make({"batch_size": 7, "momentum": 0.5}), make({"batch_size": 7, "momentum": 0.5})
    mixed.advance(by="phase", count=3)
    assert mixed.phase == {"name": "loss", "layer": None, "index": 3, "count": 8}
    assert mixed.trainer.step == 0
    mixed.advance(by="iteration")            # finishes the iteration in progress: counts as one
    assert mixed.trainer.step == 1 and mixed.phase["index"] == 0
    mixed.advance(by="epoch")                # the rest of epoch 1
    assert (mixed.trainer.step, mixed.trainer.epoch) == (8, 1)
    mixed.advance(by="phase", count=5, trace=True)
    mixed.advance(by="epoch", count=2, trace=True)  # finishes the partial iteration, then two epochs' worth
    assert (mixed.trainer.step, mixed.trainer.epoch) == (24, 3)
    mixed.advance(by="iteration", count=3, trace=True)
    fast.advance(by="iteration", count=27)
    assert_same_state(mixed, fast)


def test_advance_by_epoch_mid_epoch_stops_at_the_epoch_boundary():
    exp = make({"batch_size": 10})
    exp.advance(by="iteration", count=2)
    exp.advance(by="epoch")
    assert (exp.trainer.step, exp.trainer.epoch, exp.trainer.offset) == (5, 1, 0)


def test_advance_refuses_bad_arguments():
    exp = make()
    with pytest.raises(ValueError, match="unknown step unit 'batch'; choose from phase, iteration, epoch"):
        exp.advance(by="batch")
    assert exp.trainer.step == 0


SCHEDULE = [  # (after this many iterations, change)
    (3, {"learning_rate": 0.5}),
    (5, {"batch_size": 13}),                                   # mid-epoch
    (9, {"momentum": 0.9}),
    (12, {"regularization": "l2", "regularization_rate": 0.02}),
    (15, {"regularization": "l1", "batch_size": 4, "learning_rate": 0.05}),
    (19, {"momentum": 0.0}),
]


def run_schedule(exp, step_fn, total=25):
    for at, change in SCHEDULE:
        step_fn(exp, at - exp.trainer.step)
        exp.set_hyperparameters(**change)
    step_fn(exp, total - exp.trainer.step)
    return exp


@pytest.mark.parametrize("path", ["traced-phases", "untraced-phases", "traced-iterations"])
def test_hyperparameter_changes_mid_training_are_deterministic_on_every_path(path):
    step_fn = {
        "traced-phases": lambda e, n: by_phases(e, n, trace=True),
        "untraced-phases": lambda e, n: by_phases(e, n, trace=False),
        "traced-iterations": lambda e, n: e.advance(by="iteration", count=n, trace=True),
    }[path]
    fast = run_schedule(make(), lambda e, n: e.advance(by="iteration", count=n))
    again = run_schedule(make(), lambda e, n: e.advance(by="iteration", count=n))
    other = run_schedule(make(), step_fn)
    assert_same_state(fast, again)
    assert_same_state(fast, other)
    assert fast.config["batch_size"] == 4 and fast.config["regularization"] == "l1"
    assert fast.config["learning_rate"] == 0.05 and fast.config["momentum"] == 0.0


def test_a_changed_learning_rate_drives_the_next_update():
    exp = make()
    exp.advance(by="iteration", count=4)
    weights_before = exp.trainer.params.flat.copy()
    exp.set_hyperparameters(learning_rate=0.25)
    assert exp.trainer.step == 4 and np.array_equal(exp.trainer.params.flat, weights_before)  # no reset
    updates = [r for r in exp.advance(by="iteration", trace=True) if r["phase"] == "update"]
    for u in updates:
        assert u["learning_rate"] == 0.25
        assert np.allclose(u["delta_weights"], -0.25 * u["grad_weights"], rtol=1e-12, atol=1e-15)


def test_a_changed_batch_size_applies_from_the_next_batch():
    exp = make({"batch_size": 10})
    exp.advance(by="phase", count=2)
    exp.set_hyperparameters(batch_size=4)
    rest = exp.advance(by="iteration", trace=True)           # the batch in progress keeps its 10 rows
    assert len(next(r for r in rest if r["phase"] == "loss")["per_sample"]) == 10
    nxt = exp.advance(by="iteration", trace=True)
    assert len(nxt[0]["a_prev"]) == 4 and len(nxt[0]["batch"]) == 4


def test_momentum_and_regularisation_changes_show_in_the_update_split():
    exp = make()
    exp.advance(by="iteration", count=2)
    exp.set_hyperparameters(momentum=0.9, regularization="l2", regularization_rate=0.1)
    exp.advance(by="iteration")  # builds velocity
    u = [r for r in exp.advance(by="iteration", trace=True) if r["phase"] == "update"][0]
    assert (u["momentum"], u["regularization"], u["regularization_rate"]) == (0.9, "l2", 0.1)
    assert np.abs(u["momentum_term"]).max() > 0
    assert np.allclose(u["regularization_term"], -u["learning_rate"] * 0.1 * u["weights_before"], rtol=1e-12)
    assert np.array_equal(u["regularization_term_biases"], np.zeros_like(u["biases_before"]))  # biases spared


@pytest.mark.parametrize("change,message", [
    ({"learning_rate": 0}, "learning_rate must be a positive number, got 0"),
    ({"learning_rate": float("nan")}, "learning_rate must be a positive number"),
    ({"batch_size": 0}, "batch_size must be a whole number ≥ 1, got 0"),
    ({"batch_size": 2.5}, "batch_size must be a whole number ≥ 1, got 2.5"),
    ({"momentum": 1.0}, "momentum must be in [0, 1), got 1.0"),
    ({"regularization": "l3"}, "unknown regularization 'l3'; choose from none, l1, l2"),
    ({"regularization_rate": -1}, "regularization_rate must be ≥ 0, got -1"),
    ({"layers": [2, 3, 1]}, "cannot change layers without a reset"),
])
def test_bad_hyperparameter_changes_are_refused_and_change_nothing(change, message):
    exp = make()
    before = dict(exp.config)
    with pytest.raises(ValueError) as info:
        exp.set_hyperparameters(**change)
    assert message in str(info.value)
    assert exp.config == before
    assert exp.hyper.learning_rate == 0.1 and exp.hyper.batch_size == 10


def test_a_long_advance_records_evenly_spaced_history():
    from engine.advancing import HISTORY_POINTS
    from engine.experiment import Experiment

    exp = Experiment.create({}, {"name": "circle"})
    exp.advance("epoch", 200)  # 25 iterations an epoch: 5000 iterations in one call
    steps = [entry["step"] for entry in exp.history]
    assert steps[0] == 0 and steps[-1] == 5000
    assert len(steps) == HISTORY_POINTS + 1
    assert set(b - a for a, b in zip(steps, steps[1:])) == {50}


def test_editing_a_parameter_refreshes_the_current_metrics():
    from engine.experiment import Experiment

    exp = Experiment.create({}, {"name": "circle"})
    exp.advance("iteration", 3)
    before, entries = exp.history[-1], len(exp.history)
    exp.set_parameter("L2N0-L3N0", 50.0)
    after = exp.history[-1]
    assert after["step"] == before["step"] == 3 and len(exp.history) == entries
    assert after["train_loss"] != before["train_loss"]
    assert after["train_loss"] == exp.metrics()["train_loss"]
