"""Evaluation: per-neuron grids over the input plane, predictions, metrics and history, and that the
default playground setup actually learns."""
import numpy as np
import pytest

from engine.evaluate import GRID_EXTENT
from engine.experiment import Experiment

CIRCLE = {"name": "circle", "samples": 120, "noise": 10}


def trained(config, dataset=CIRCLE, iterations=30):
    exp = Experiment.create({"init": "xavier", "seed": 3, "learning_rate": 0.1, **config}, dataset=dataset)
    exp.advance(by="iteration", count=iterations)
    return exp


def plane_points(resolution):
    """Image order: row 0 is the top (x2 = +6), column 0 the left edge (x1 = −6)."""
    ticks = np.linspace(-GRID_EXTENT, GRID_EXTENT, resolution)
    return [(x1, x2) for x2 in ticks[::-1] for x1 in ticks]


@pytest.mark.parametrize("config", [
    {"layers": [2, 4, 2, 1]},
    {"layers": [4, 3, 1], "features": ["x1_squared", "x2", "sin_x1", "x1_x2"], "activation": "relu"},
    {"layers": [2, 5, 3], "output_activation": "softmax", "loss": "categorical_cross_entropy"},
], ids=["tanh", "features-relu", "softmax"])
def test_grid_equals_predict_on_the_same_points(config):
    dataset = {"name": "blobs", "samples": 90} if config.get("output_activation") == "softmax" else CIRCLE
    exp = trained(config, dataset)
    R = 7
    grid = [layer.copy() for layer in exp.grid(R)]
    pred = exp.predict(plane_points(R))
    assert len(grid) == len(pred["activations"]) == exp.arch.depth + 1
    for l, (g, a) in enumerate(zip(grid, pred["activations"])):
        assert g.shape == (exp.arch.layers[l], R, R)
        assert np.allclose(g, a.T.reshape(-1, R, R), rtol=1e-12, atol=1e-13), f"layer {l}"
    assert np.array_equal(pred["outputs"], pred["activations"][-1])


def test_grid_orientation_top_row_is_x2_plus_six_left_column_x1_minus_six():
    exp = trained({"layers": [2, 1], "output_activation": "linear", "features": ["x1", "x2"]})
    x1, x2 = exp.grid(5)[0]
    assert x1[0, 0] == -6 and x1[0, -1] == 6 and x1[-1, 0] == -6
    assert x2[0, 0] == 6 and x2[-1, 0] == -6 and x2[0, -1] == 6
    out = exp.grid(5)[1][0]
    (w1, w2), b = exp.trainer.params.weights[0][:, 0], exp.trainer.params.biases[0][0]
    assert out[0, 0] == pytest.approx(-6 * w1 + 6 * w2 + b, rel=1e-12)   # top left
    assert out[-1, -1] == pytest.approx(6 * w1 - 6 * w2 + b, rel=1e-12)  # bottom right


def test_grid_follows_the_weights_after_training():
    exp = trained({"layers": [2, 3, 1]}, iterations=0)
    before = exp.grid(4)[-1].copy()
    exp.advance(by="iteration", count=10)
    assert not np.array_equal(exp.grid(4)[-1], before)


def test_grid_and_predict_refuse_bad_input():
    exp = trained({"layers": [2, 3, 1]}, iterations=0)
    with pytest.raises(ValueError, match="x must be a list of rows with 2 numbers each"):
        exp.predict([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="x must be a list of rows with 2 numbers each"):
        exp.predict([1.0, 2.0])
    three_d = Experiment.create({"layers": [3, 2, 1], "output_activation": "linear"},
                                data={"x_train": [[0.0, 1.0, 2.0], [1.0, 0.0, 1.0]], "y_train": [0.5, -0.5]})
    with pytest.raises(ValueError, match="grid evaluation needs 2-D input data"):
        three_d.grid(5)
    assert three_d.predict([[1.0, 1.0, 1.0]])["outputs"].shape == (1, 1)


def test_predicted_classes_use_the_output_activations_threshold():
    exp = trained({"layers": [2, 4, 1]})
    pred = exp.predict(exp.dataset.x_test)
    assert np.array_equal(pred["classes"], (pred["outputs"][:, 0] > 0).astype(int))  # tanh: ±1 targets
    sig = trained({"layers": [2, 4, 1], "output_activation": "sigmoid", "loss": "binary_cross_entropy"})
    pred = sig.predict(sig.dataset.x_test)
    assert np.array_equal(pred["classes"], (pred["outputs"][:, 0] > 0.5).astype(int))
    soft = trained({"layers": [2, 4, 3], "output_activation": "softmax", "loss": "categorical_cross_entropy"},
                   dataset={"name": "blobs", "samples": 90})
    pred = soft.predict(soft.dataset.x_test)
    assert np.array_equal(pred["classes"], pred["outputs"].argmax(axis=1))


def test_metrics_match_an_independent_computation():
    exp = trained({"layers": [2, 4, 1]})
    latest = exp.history[-1]
    assert latest["step"] == 30 and latest["epoch"] == 30 * 10 // 60
    for split, x, y in (("train", exp.dataset.x_train, exp.dataset.y_train),
                        ("test", exp.dataset.x_test, exp.dataset.y_test)):
        outputs = exp.predict(x)["outputs"][:, 0]
        target = np.where(y == 1, 1.0, -1.0)
        assert latest[f"{split}_loss"] == pytest.approx(np.mean(0.5 * (target - outputs) ** 2), rel=1e-12)
        assert latest[f"{split}_accuracy"] == np.mean((outputs > 0) == (y == 1))


def test_gradient_norms_are_those_of_the_last_mini_batch_per_layer():
    exp = trained({"layers": [2, 4, 3, 1]}, iterations=5)
    records = exp.advance(by="iteration", trace=True)
    norms = exp.history[-1]["grad_norms"]
    assert len(norms) == exp.arch.depth == 3
    for l in (1, 2, 3):
        back = next(r for r in records if r["phase"] == "backward" and r["layer"] == l)
        assert norms[l - 1] == pytest.approx(np.linalg.norm(back["grad_weights"]), rel=1e-12)


def test_history_gains_entries_as_steps_complete():
    exp = trained({"layers": [2, 3, 1]}, iterations=0)
    assert [h["step"] for h in exp.history] == [0]
    assert exp.history[0]["grad_norms"] == [0.0, 0.0]
    exp.advance(by="iteration", count=7)
    exp.advance(by="phase", count=2)          # no step completed: no new entry
    exp.advance(by="phase", count=4)          # completes step 8
    exp.advance(by="iteration", count=2, trace=True)
    # a short advance records one entry at its end (a long one up to HISTORY_POINTS on the way)
    assert [h["step"] for h in exp.history] == [0, 7, 8, 10]
    assert [h["epoch"] for h in exp.history] == [0, 1, 1, 1]  # 60 training points, 6 batches an epoch


def test_regression_metrics_have_losses_but_no_accuracy():
    exp = trained({"layers": [2, 4, 1], "output_activation": "linear"}, dataset={"name": "plane", "samples": 80})
    assert exp.dataset.kind == "regression"
    latest = exp.history[-1]
    assert "train_accuracy" not in latest and "test_accuracy" not in latest
    assert np.isfinite(latest["train_loss"]) and np.isfinite(latest["test_loss"])
    assert "classes" not in exp.predict([[0.0, 0.0]])


def test_user_data_without_a_test_set_reports_no_test_metrics():
    regression = Experiment.create({"layers": [2, 3, 1], "output_activation": "linear", "batch_size": 2},
                                   data={"x_train": [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], "y_train": [0.5, -0.5, 0.0]})
    regression.advance(by="iteration", count=3)
    assert regression.history[-1]["test_loss"] is None and np.isfinite(regression.history[-1]["train_loss"])
    classes = Experiment.create({"layers": [2, 3, 1], "batch_size": 2},
                                data={"x_train": [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], "y_train": [0, 1, 1]})
    classes.advance(by="iteration", count=3)
    assert classes.history[-1]["test_loss"] is None and classes.history[-1]["test_accuracy"] is None
    assert 0 <= classes.history[-1]["train_accuracy"] <= 1


# ---- it learns ----------------------------------------------------------------------------------

def test_the_default_playground_learns_the_circle():
    exp = Experiment.create({})
    assert exp.config["layers"] == [2, 4, 2, 1] and exp.config["learning_rate"] == 0.03
    assert exp.config["batch_size"] == 10 and exp.config["dataset"]["name"] == "circle"
    start = exp.history[0]
    exp.advance(by="iteration", count=2000)  # 80 epochs of 250 training points
    end = exp.history[-1]
    assert end["train_loss"] < 0.1 * start["train_loss"]
    assert end["train_accuracy"] >= 0.98 and end["test_accuracy"] >= 0.95
    assert start["train_accuracy"] < 0.8


def test_softmax_learns_three_blobs():
    exp = Experiment.create({"layers": [2, 4, 3], "output_activation": "softmax",
                             "loss": "categorical_cross_entropy"}, dataset={"name": "blobs"})
    start = exp.history[0]
    exp.advance(by="iteration", count=300)
    end = exp.history[-1]
    assert end["train_loss"] < 0.2 * start["train_loss"]
    assert end["train_accuracy"] >= 0.97 and end["test_accuracy"] >= 0.97
    assert start["train_accuracy"] < 0.5


def test_a_linear_output_learns_the_plane_regression():
    exp = Experiment.create({"layers": [2, 3, 1], "output_activation": "linear", "learning_rate": 0.01},
                            dataset={"name": "plane"})
    start = exp.history[0]["train_loss"]
    exp.advance(by="epoch", count=20)
    assert exp.history[-1]["train_loss"] < 0.1 * start


def test_predict_refuses_ragged_rows_with_a_human_message():
    import pytest

    from engine.experiment import Experiment

    exp = Experiment.create({}, {"name": "circle", "samples": 20})
    with pytest.raises(ValueError) as err:
        exp.predict([[1, 2], [3]])
    assert str(err.value) == "x must be a list of rows with 2 numbers each"
