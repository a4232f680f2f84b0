"""A learning rate far too high: the experiment stops in `diverged` with a reason, the overflowing step
is undone, nothing escapes `advance`, and only a reset brings training back."""
import json

import numpy as np
import pytest

from engine import state
from engine.experiment import DivergedError, Experiment
from engine.trainer import CHECK_EVERY

pytestmark = pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning", "ignore:invalid value:RuntimeWarning")

RELU_NET = {"layers": [2, 8, 1], "activation": "relu", "output_activation": "linear", "learning_rate": 1e6,
            "init": "he", "seed": 1}
SINGLE_LAYER = {"layers": [2, 1], "output_activation": "linear", "learning_rate": 1e6}  # grows ~1e7× a step
SLOW_BLOWUP = {"layers": [2, 1], "output_activation": "linear", "learning_rate": 0.18}  # ~1.2× a step
PLANE = {"name": "plane", "samples": 200}


def make(config=RELU_NET):
    return Experiment.create(config, dataset=PLANE)


def advance_fast(exp):
    return exp.advance(by="iteration", count=200)


def advance_traced_phases(exp):
    return exp.advance(by="phase", count=200, trace=True)


def advance_untraced_phases(exp):
    return exp.advance(by="phase", count=200)


def advance_traced_iterations(exp):
    return exp.advance(by="iteration", count=200, trace=True)


PATHS = [advance_fast, advance_traced_phases, advance_untraced_phases, advance_traced_iterations]


@pytest.mark.parametrize("path", PATHS, ids=lambda f: f.__name__)
def test_a_huge_learning_rate_diverges_with_a_reason_and_finite_weights(path):
    exp = make()
    path(exp)  # no exception escapes
    assert exp.diverged is not None
    step = exp.diverged["step"]
    assert step == exp.trainer.step + 1 and step > 1
    assert f"at step {step}" in exp.diverged["reason"]
    assert "learning rate 1e+06 is too high" in exp.diverged["reason"]
    assert np.isfinite(exp.trainer.params.flat).all() and np.isfinite(exp.trainer.velocity).all()
    twin = make()
    twin.advance(by="iteration", count=exp.trainer.step)  # the same run without the overflowing step
    assert twin.trainer.step == exp.trainer.step
    assert np.array_equal(exp.trainer.params.flat, twin.trainer.params.flat)


def test_divergence_inside_a_later_chunk_of_the_fast_path_is_pinned_to_its_step():
    fast = make(SLOW_BLOWUP)
    fast.advance(by="iteration", count=500)
    assert fast.diverged["step"] == fast.trainer.step + 1
    assert fast.diverged["step"] > CHECK_EVERY  # the chunk that exploded was replayed step by step
    assert "the loss exploded at step" in fast.diverged["reason"]
    assert np.isfinite(fast.trainer.params.flat).all()
    twin = make(SLOW_BLOWUP)
    twin.advance(by="iteration", count=fast.trainer.step)
    assert np.array_equal(fast.trainer.params.flat, twin.trainer.params.flat)


def test_an_exploding_loss_is_flagged_at_its_step_long_before_it_overflows():
    """A loss that grows past any meaning (1e96 and on) stops training where it explodes, whether the
    steps come one at a time (each recorded) or in one long request; nothing recorded before reads huge."""
    one_by_one, bulk = make(SLOW_BLOWUP), make(SLOW_BLOWUP)
    while not one_by_one.diverged:
        one_by_one.advance(by="iteration")
    bulk.advance(by="epoch", count=100)
    assert abs(one_by_one.diverged["step"] - bulk.diverged["step"]) <= 3
    assert one_by_one.diverged["step"] < 100
    assert max(e["train_loss"] for e in one_by_one.history) < 1e8


def test_a_long_request_records_each_step_of_the_climb_as_single_steps_would():
    """The loss and gradient-norm charts of one long request show the climb to the breakdown step by
    step (at least CHECK_EVERY steps of it), with the numbers stepping one at a time records."""
    one_by_one, bulk = make(SLOW_BLOWUP), make(SLOW_BLOWUP)
    while not one_by_one.diverged:
        one_by_one.advance(by="iteration")
    bulk.advance(by="iteration", count=500)
    bad = bulk.diverged["step"]
    assert bad == one_by_one.diverged["step"] > CHECK_EVERY
    steps = [e["step"] for e in bulk.history]
    assert steps[-CHECK_EVERY:] == list(range(bad - CHECK_EVERY, bad)), steps
    same_step = {e["step"]: e for e in one_by_one.history}
    assert all(e == same_step[e["step"]] for e in bulk.history)  # gradient norms included
    assert bulk.history[-1]["train_loss"] > 1000 * bulk.history[0]["train_loss"]


def test_weights_that_overflow_outright_are_named_so():
    fast = make(SINGLE_LAYER)
    fast.trainer.explodes_at = float("inf")  # only the weights' own overflow is left to catch it
    fast.advance(by="iteration", count=500)
    assert "the weights overflowed to infinity or NaN" in fast.diverged["reason"]
    assert np.isfinite(fast.trainer.params.flat).all()


@pytest.mark.parametrize("by", ["phase", "iteration", "epoch"])
@pytest.mark.parametrize("trace", [False, True])
def test_advancing_a_diverged_experiment_raises(by, trace):
    exp = make()
    advance_fast(exp)
    frozen = exp.trainer.params.flat.copy()
    with pytest.raises(DivergedError) as info:
        exp.advance(by=by, trace=trace)
    message = str(info.value)
    assert message.startswith(f"training diverged at step {exp.diverged['step']}: ")
    assert "Reset the network" in message and "lowering the learning rate" in message
    assert np.array_equal(exp.trainer.params.flat, frozen)


@pytest.mark.parametrize("path", PATHS, ids=lambda f: f.__name__)
def test_reset_clears_divergence_and_training_resumes(path):
    exp = make()
    initial = exp.trainer.params.flat.copy()
    path(exp)
    assert exp.diverged
    exp.set_hyperparameters(learning_rate=0.001)
    exp.reset()
    assert exp.diverged is None
    assert exp.trainer.step == 0 and exp.phase["index"] == 0
    assert np.array_equal(exp.trainer.params.flat, initial)
    assert len(exp.history) == 1 and np.isfinite(exp.history[0]["train_loss"])
    exp.advance(by="iteration", count=100)
    assert exp.diverged is None and exp.history[-1]["train_loss"] < exp.history[0]["train_loss"]


def test_a_diverged_experiment_saves_and_restores_as_diverged():
    exp = make()
    advance_fast(exp)
    restored = state.from_dict(json.loads(json.dumps(state.to_dict(exp))))
    assert restored.diverged == exp.diverged
    with pytest.raises(DivergedError):
        restored.advance()


def test_history_after_divergence_stays_json_safe():
    exp = make()
    advance_fast(exp)
    json.dumps(list(exp.history), allow_nan=False)


def test_traced_and_fast_paths_diverge_at_the_same_step_with_the_same_weights():
    # Weights going non-finite are caught at the exact step on every path; a loss that overflows
    # while the weights stay finite is caught when metrics are recorded, at the end of each advance
    # call. So paths agree when they are advanced in the same calls.
    import numpy as np
    from engine.experiment import Experiment

    config = {"layers": [2, 1], "output_activation": "linear", "learning_rate": 1e6}
    for calls, per_call in ((1, 200), (200, 1)):
        fast = Experiment.create(config, {"name": "plane"})
        traced = Experiment.create(config, {"name": "plane"})
        for exp, trace in ((fast, False), (traced, True)):
            for _ in range(calls):
                if exp.diverged:
                    break
                exp.advance("iteration", per_call, trace=trace)
        assert fast.diverged is not None and traced.diverged is not None
        assert fast.diverged == traced.diverged
        assert np.array_equal(fast.trainer.params.flat, traced.trainer.params.flat)


def test_an_overshooting_regularisation_step_is_named_as_the_cause():
    from engine.experiment import Experiment

    exp = Experiment.create({"regularization": "l2", "regularization_rate": 1e300}, {"name": "circle"})
    exp.advance("iteration", 200)
    assert exp.diverged is not None
    assert "the regularisation step η·λ = 3e+298 is at least 1" in exp.diverged["reason"]
    assert "learning rate" not in exp.diverged["reason"].split("—")[0]


def test_a_network_that_overflows_before_training_is_refused():
    from engine.experiment import Experiment

    with pytest.raises(ValueError) as err:
        Experiment.create({"layers": [1, 1], "output_activation": "linear"},
                          data={"x_train": [[1e308], [-1e308]], "y_train": [0.5, 1.5]},
                          weights=[[[1e308]]], biases=[[0.0]])
    assert str(err.value).startswith("the network's outputs overflow before any training")
