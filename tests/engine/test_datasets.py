"""Datasets: reproducible, correctly split and labelled, bit-exact through JSON, and strict about bad input."""
import json
import math

import numpy as np
import pytest

from engine.datasets import DATASETS, Dataset, dataset_catalog, generate
from engine.points import from_points

CLASSIFIERS_2 = ["circle", "xor", "gauss", "spiral", "moons"]
ALL = list(DATASETS)


def _all_x(d):
    return np.concatenate([d.x_train, d.x_test])


def _all_y(d):
    return np.concatenate([d.y_train, d.y_test])


def _same(a, b):
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in ("x_train", "y_train", "x_test", "y_test"))


def test_registry_and_catalog():
    assert ALL == ["circle", "xor", "gauss", "spiral", "moons", "blobs", "spiral3", "plane", "multi_gauss"]
    catalog = dataset_catalog()
    assert json.loads(json.dumps(catalog)) == catalog
    by_name = {c["name"]: c for c in catalog}
    assert by_name["blobs"]["n_classes"] == 3 and by_name["plane"]["kind"] == "regression"
    assert by_name["plane"]["n_classes"] == 0
    params = by_name["circle"]["params"]
    assert params["samples"] == {"min": 2, "max": 5000, "default": 500}
    assert params["noise"] == {"min": 0, "max": 50, "default": 0}
    assert params["train_ratio"] == {"min": 0.1, "max": 0.9, "default": 0.5}
    assert set(params["seed"]) == {"min", "max", "default"}
    assert all(c["description"].endswith(".") for c in catalog)


@pytest.mark.parametrize("name", ALL)
def test_same_seed_same_arrays_different_seed_different(name):
    a, b = generate(name, 200, 20, 0.5, seed=7), generate(name, 200, 20, 0.5, seed=7)
    assert _same(a, b)
    assert not np.array_equal(a.x_train, generate(name, 200, 20, 0.5, seed=8).x_train)


def test_generation_leaves_the_global_generator_alone():
    np.random.seed(123)
    expected = np.random.random()
    np.random.seed(123)
    generate("spiral", 300, 30, seed=1)
    assert np.random.random() == expected


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("samples, ratio, n_train", [(500, 0.5, 250), (101, 0.3, 30), (7, 0.9, 6), (2, 0.1, 1)])
def test_sizes_split_and_dtypes(name, samples, ratio, n_train):
    d = generate(name, samples=samples, train_ratio=ratio, seed=3)
    assert (len(d.x_train), len(d.x_test)) == (n_train, samples - n_train)
    assert d.x_train.shape[1] == d.x_test.shape[1] == 2 and d.x_train.dtype == np.float64
    if d.kind == "classification":
        assert d.y_train.dtype == np.int64 and d.y_train.ndim == 1 and d.n_classes == DATASETS[name].n_classes
    else:
        assert d.y_train.dtype == np.float64 and d.y_train.shape == (n_train, 1) and d.n_classes == 0


def test_split_of_two_points_at_ninety_percent_leaves_an_empty_test_set():
    d = generate("circle", samples=2, train_ratio=0.9)
    assert d.x_train.shape == (2, 2) and d.x_test.shape == (0, 2) and d.y_test.shape == (0,)


@pytest.mark.parametrize("name", ALL)
def test_points_lie_in_the_playground_square(name):
    x = _all_x(generate(name, 2000, 0, seed=5))
    assert np.abs(x).max() <= 6.2
    assert np.isfinite(x).all()


@pytest.mark.parametrize("name", CLASSIFIERS_2)
@pytest.mark.parametrize("samples", [400, 401])
def test_two_class_sets_are_balanced(name, samples):
    counts = np.bincount(_all_y(generate(name, samples, 30, seed=2)), minlength=2)
    assert len(counts) == 2
    if name == "xor":  # xor labels come from the quadrant, not by construction
        assert abs(counts[0] - counts[1]) < 0.15 * samples
    elif name != "circle":  # circle's noisy labels may cross over; checked at noise 0 below
        assert abs(counts[0] - counts[1]) <= 1


@pytest.mark.parametrize("name", ["blobs", "spiral3"])
def test_three_class_sets_have_all_three_classes(name):
    d = generate(name, 300, 10, seed=4)
    assert d.n_classes == 3
    assert np.bincount(_all_y(d)).tolist() == [100, 100, 100]
    assert set(d.y_train.tolist()) == {0, 1, 2}


def test_circle_labels_follow_the_radius_at_noise_zero():
    d = generate("circle", 1000, 0, seed=9)
    radius = np.hypot(*_all_x(d).T)
    np.testing.assert_array_equal(_all_y(d), (radius < 2.5).astype(int))
    assert np.bincount(_all_y(d)).tolist() == [500, 500]
    assert not ((radius >= 2.5) & (radius < 3.5)).any()  # the gap between disc and ring


def test_xor_labels_follow_the_sign_of_the_product_at_noise_zero():
    d = generate("xor", 1000, 0, seed=9)
    x = _all_x(d)
    np.testing.assert_array_equal(_all_y(d), (x[:, 0] * x[:, 1] >= 0).astype(int))
    assert np.abs(x).min() >= 0.3  # Playground's padding off the axes


def test_noise_flips_some_labels():
    d = generate("xor", 1000, 50, seed=9)
    x = _all_x(d)
    assert (_all_y(d) != (x[:, 0] * x[:, 1] >= 0)).mean() > 0.05


def test_gauss_positive_cluster_is_top_right():
    d = generate("gauss", 400, 0, seed=1)
    x, y = _all_x(d), _all_y(d)
    np.testing.assert_allclose(x[y == 1].mean(axis=0), [2, 2], atol=0.25)
    np.testing.assert_allclose(x[y == 0].mean(axis=0), [-2, -2], atol=0.25)


@pytest.mark.parametrize("name", ["plane", "multi_gauss"])
@pytest.mark.parametrize("noise", [0, 50])
def test_regression_targets_in_unit_range(name, noise):
    y = _all_y(generate(name, 1000, noise, seed=6))
    assert y.min() >= -1 and y.max() <= 1 and y.std() > 0.1


def test_plane_target_is_the_scaled_sum_at_noise_zero():
    d = generate("plane", 500, 0, seed=2)
    np.testing.assert_allclose(_all_y(d)[:, 0], np.clip(_all_x(d).sum(axis=1) / 10, -1, 1))


def test_multi_gauss_peaks_at_the_bump_centres():
    d = generate("multi_gauss", 5000, 0, seed=2)
    x, y = _all_x(d), _all_y(d)[:, 0]
    near = np.hypot(x[:, 0] + 4, x[:, 1] - 2.5) < 0.2
    assert near.any() and (y[near] > 0.89).all()
    near = np.hypot(x[:, 0], x[:, 1] - 2.5) < 0.2
    assert near.any() and (y[near] < -0.89).all()


@pytest.mark.parametrize("name", ALL)
def test_to_dict_from_dict_round_trip_is_bit_exact(name):
    d = generate(name, 97, 33, 0.7, seed=11)
    payload = json.loads(json.dumps(d.to_dict()))
    back = Dataset.from_dict(payload)
    assert _same(d, back) and (back.name, back.kind, back.n_classes) == (d.name, d.kind, d.n_classes)
    assert all(getattr(back, f).dtype == getattr(d, f).dtype for f in ("x_train", "y_train", "x_test", "y_test"))
    assert back.x_train.tobytes() == d.x_train.tobytes()


def test_round_trip_keeps_empty_test_shapes():
    d = from_points([[1, 2, 3], [4, 5, 6]], [[0.5, 1.5], [2.5, 3.5]])
    back = Dataset.from_dict(json.loads(json.dumps(d.to_dict())))
    assert back.x_test.shape == (0, 3) and back.y_test.shape == (0, 2)


def test_dataset_arrays_are_read_only():
    d = generate("circle", 10)
    with pytest.raises(ValueError):
        d.x_train[0, 0] = 99.0
    with pytest.raises(AttributeError):
        d.name = "other"


@pytest.mark.parametrize("kwargs, message", [
    ({"noise": 70}, "noise must be a number between 0 and 50, got 70"),
    ({"noise": -1}, "noise must be a number between 0 and 50, got -1"),
    ({"noise": math.nan}, "noise must be a number between 0 and 50, got nan"),
    ({"samples": 1}, "samples must be a whole number between 2 and 5000, got 1"),
    ({"samples": 5001}, "samples must be a whole number between 2 and 5000, got 5001"),
    ({"samples": 10.5}, "samples must be a whole number between 2 and 5000, got 10.5"),
    ({"train_ratio": 0.95}, "train_ratio must be a number between 0.1 and 0.9, got 0.95"),
    ({"train_ratio": 50}, "train_ratio must be a number between 0.1 and 0.9, got 50"),
    ({"seed": -1}, "seed must be a whole number between 0 and"),
    ({"seed": "7"}, "seed must be a whole number between 0 and"),
    ({"seed": True}, "seed must be a whole number"),
])
def test_bad_parameters_name_parameter_value_and_range(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(".", r"\.")):
        generate("circle", **kwargs)


def test_unknown_dataset_lists_the_valid_names():
    with pytest.raises(ValueError, match="unknown dataset 'circles'; choose from circle, xor, gauss, spiral"):
        generate("circles")


# --- user data ---

def test_from_points_int_labels_mean_classification():
    d = from_points([[0, 0], [1, 1], [2, 2]], [0, 2, 1], x_test=[[3, 3]], y_test=[1])
    assert (d.name, d.kind, d.n_classes) == ("custom", "classification", 3)
    assert d.y_train.dtype == np.int64 and d.x_train.dtype == np.float64 and d.x_test.shape == (1, 2)
    assert d.n_features == 2 and d.n_outputs == 3


def test_from_points_floats_mean_regression_and_any_width_works():
    d = from_points([[1, 2, 3, 4], [5, 6, 7, 8]], [0.5, -1.25])
    assert (d.kind, d.n_classes) == ("regression", 0) and d.y_train.shape == (2, 1) and d.x_test.shape == (0, 4)
    multi = from_points([1.0, 2.0, 3.0], [[1, 2], [3, 4], [5, 6]], [[4.0]], [[7, 8]])
    assert multi.x_train.shape == (3, 1) and multi.y_train.shape == (3, 2) and multi.n_outputs == 2


def test_from_points_kind_overrides_the_guess():
    assert from_points([[0], [1]], [1.0, 0.0], kind="classification").y_train.tolist() == [1, 0]
    assert from_points([[0], [1]], [1, 0], kind="regression").y_train.tolist() == [[1.0], [0.0]]


def test_from_points_n_classes_counts_test_labels_too():
    assert from_points([[0], [1]], [0, 1], [[2]], [3]).n_classes == 4


@pytest.mark.parametrize("args, kwargs, message", [
    (([[1, 2], [3]], [0, 1]), {}, "x_train is ragged: row 0 has 2 values but row 1 has 1 value;"),
    (([[1, 2], [3, 4]], [[0.5, 1.0], [2.0]]), {}, "y_train is ragged"),
    (([[1, [2]], [3, 4]], [0, 1]), {}, "x_train is ragged: its rows hold nested lists"),
    (([], []), {}, "x_train is empty"),
    (([[1, 2], [3, 4]], [0]), {}, "y_train has 1 entries but its x has 2 points"),
    (([[1, math.nan], [3, 4]], [0, 1]), {}, "x_train contains NaN or infinity at row 0"),
    (([[1, 2], [3, 4]], [0.5, math.inf]), {}, "y_train contains NaN or infinity at row 1"),
    (([[1, 2], [3, 4]], [0, 1], [[1, 2, 3]], [0]), {}, "x_test has 3 values per point; make it match x_train's 2"),
    (([[1, 2], [3, 4]], [0, 1], [[1, 2]]), {}, "give both x_test and y_test, or neither"),
    (([[1, 2], [3, 4]], [0, 1], [[1, 2]], [0, 1]), {}, "y_test has 2 entries but its x has 1 points"),
    (([[1], [2]], [0.5, 1.0]), {"kind": "classification"}, r"y_train\[0\] is 0\.5, but class labels must be whole"),
    (([[1], [2]], [0, -1]), {}, r"y_train\[1\] is -1, but class labels must be whole numbers from 0"),
    (([[1], [2]], [1, 1]), {}, "y_train holds only class 1; classification needs at least 2 different classes"),
    (([[1], [2]], [0, 1]), {"kind": "clustering"}, "kind must be 'classification', 'regression' or None"),
    (([["a", "b"]], [0]), {}, "x_train must be a flat list or a list of rows of numbers"),
    (([[1, 2]], [[1.0, 2.0]], [[3, 4]], [[1.0]]), {}, "y_test has 1 targets per point; make it match y_train's 2"),
    (([[], []], [0, 1]), {}, "x_train has 0 values per point; give each point at least one number"),
    (([[1], [2]], [[], []]), {}, "y_train has 0 targets per point; give each point at least one target"),
])
def test_from_points_rejects_bad_data_saying_what_to_fix(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        from_points(*args, **kwargs)
