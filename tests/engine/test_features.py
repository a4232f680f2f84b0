"""Input features: the right values for hand-picked points, in the order asked, and clear refusals."""
import numpy as np
import pytest

from engine.features import DEFAULT_FEATURES, FEATURE_NAMES, FEATURES, apply_features

POINTS = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, -np.pi / 2]])


def test_registry_order_labels_and_defaults():
    assert FEATURE_NAMES == ["x1", "x2", "x1_squared", "x2_squared", "x1_x2", "sin_x1", "sin_x2"]
    assert list(FEATURES) == FEATURE_NAMES
    labels = [FEATURES[n].label for n in FEATURE_NAMES]
    assert labels == ["x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin(x₁)", "sin(x₂)"]
    assert all(FEATURES[n].name == n for n in FEATURE_NAMES)
    assert DEFAULT_FEATURES == ["x1", "x2"]


def test_every_feature_on_hand_points():
    out = apply_features(FEATURE_NAMES, POINTS)
    expected = np.array([
        [1.0, 2.0, 1.0, 4.0, 2.0, np.sin(1.0), np.sin(2.0)],
        [-3.0, 0.5, 9.0, 0.25, -1.5, np.sin(-3.0), np.sin(0.5)],
        [0.0, -np.pi / 2, 0.0, np.pi**2 / 4, -0.0, 0.0, -1.0],
    ])
    assert out.shape == (3, 7) and out.dtype == np.float64
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-15)


def test_columns_follow_the_requested_order():
    out = apply_features(["sin_x2", "x1_x2", "x1"], POINTS)
    np.testing.assert_array_equal(out[:, 2], POINTS[:, 0])
    np.testing.assert_array_equal(out[:, 1], POINTS[:, 0] * POINTS[:, 1])
    np.testing.assert_array_equal(out[:, 0], np.sin(POINTS[:, 1]))


def test_accepts_lists_and_int_points_and_empty_batches():
    out = apply_features(["x1_squared"], [[2, 3], [4, 5]])
    assert out.dtype == np.float64 and out.tolist() == [[4.0], [16.0]]
    assert apply_features(DEFAULT_FEATURES, np.empty((0, 2))).shape == (0, 2)


def test_unknown_feature_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown feature 'x3'; choose from x1, x2, x1_squared"):
        apply_features(["x1", "x3"], POINTS)


@pytest.mark.parametrize("names, message", [
    ([], "must not be empty"),
    (["x1", "x1"], "'x1' is listed twice"),
    ("x1", "must be a list of feature names"),
])
def test_bad_name_lists(names, message):
    with pytest.raises(ValueError, match=message):
        apply_features(names, POINTS)


@pytest.mark.parametrize("points", [np.zeros((4, 3)), np.zeros(4), np.zeros((2, 2, 2))])
def test_points_must_be_n_by_2(points):
    with pytest.raises(ValueError, match=r"points must be an \(n, 2\) array.*got shape"):
        apply_features(DEFAULT_FEATURES, points)
