"""The trainer's backward pass (seed eq. 4) against central finite differences, for every valid
activation × loss pairing over seeded random shapes.

The numeric side is written here from the formulas, independently of the engine, and evaluated in
extended precision (np.longdouble): a float64 difference quotient of an O(1) loss cannot resolve a
gradient of 1e-7 to six digits (round-off alone is ~1e-12), but an 80-bit one can, so the 1e-6
bound holds even for the small gradients deep sigmoid stacks produce.
"""
import numpy as np
import pytest

from engine.activations import HIDDEN_ACTIVATIONS, LEAKY_SLOPE
from engine.experiment import Experiment
from engine.gradcheck import analytic_gradient, gradcheck
from engine.network import Architecture, Parameters, initialise

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
OUTPUT_LOSS = [("sigmoid", "mse"), ("tanh", "mse"), ("linear", "mse"),
               ("sigmoid", "binary_cross_entropy"), ("softmax", "categorical_cross_entropy")]
DRAWS_PER_PAIRING = 6
STEP = 1e-4
KINK_MARGIN = 1e-2   # |z| this far from 0 cannot cross ReLU's kink under a ±2·STEP perturbation
TOLERANCE = 1e-6
FLOOR = 1e-8         # relative error of gradients both below this is measured against the floor


def _act(name, z):
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(z > 0, z, 0)
    if name == "leaky_relu":
        return np.where(z > 0, z, LEAKY_SLOPE * z)
    if name == "linear":
        return z
    e = np.exp(z - z.max(axis=1, keepdims=True))  # softmax
    return e / e.sum(axis=1, keepdims=True)


def _loss(name, y_hat, y):
    if name == "mse":
        return (0.5 * ((y - y_hat) ** 2).sum(axis=1)).mean()
    if name == "binary_cross_entropy":
        return (-(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)).sum(axis=1)).mean()
    return (-(y * np.log(y_hat)).sum(axis=1)).mean()


def reference_forward(arch, flat, x):
    """Pre-activations of every layer and the output, in long double, from eqs. 1–3 directly."""
    params = Parameters(arch, np.asarray(flat, dtype=np.longdouble))
    a, zs = x.astype(np.longdouble), []
    for k in range(arch.depth):
        z = a @ params.weights[k] + params.biases[k]
        zs.append(z)
        a = _act(arch.activation_of(k + 1), z)
    return zs, a


def reference_gradient(arch, params, x, t):
    """Fourth-order central differences of the batch-mean loss, in long double."""
    base = params.flat.astype(np.longdouble)
    t = t.astype(np.longdouble)
    grad = np.empty(len(base), dtype=np.longdouble)
    for p in range(len(base)):
        total = np.longdouble(0)
        for shift, weight in ((2, -1), (1, 8), (-1, -8), (-2, 1)):
            flat = base.copy()
            flat[p] += shift * STEP
            total += weight * _loss(arch.loss, reference_forward(arch, flat, x)[1], t)
        grad[p] = total / (12 * STEP)
    return grad


def relative_error(analytic, numeric):
    """|a − n| / max(|a|, |n|, FLOOR), elementwise: the usual gradient-check measure."""
    analytic, numeric = np.asarray(analytic, np.longdouble), np.asarray(numeric, np.longdouble)
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), FLOOR)
    return np.abs(analytic - numeric) / scale


def random_problem(hidden, output, loss, seed):
    """A seeded random network (1–4 hidden layers of 1–6 neurons), batch (1–16) and targets.

    Draws whose pre-activations sit near ReLU's kink are redrawn: there the loss is not
    differentiable and finite differences straddle the corner.
    """
    rng = np.random.default_rng(seed)
    while True:
        n_hidden = int(rng.integers(1, 5))
        n_out = int(rng.integers(2 if output == "softmax" else 1, 4))
        layers = [int(rng.integers(1, 7))] + [int(rng.integers(1, 7)) for _ in range(n_hidden)] + [n_out]
        arch = Architecture.build(layers, hidden, output, loss)
        params = initialise(arch, "xavier", rng)
        params.biases[0][...] = rng.normal(0, 0.5, params.biases[0].shape)  # non-zero biases get checked too
        batch = int(rng.integers(1, 17))
        x = rng.normal(0, 1, (batch, layers[0]))
        if loss == "mse":
            t = rng.uniform(-0.9, 0.9, (batch, n_out))
        elif loss == "binary_cross_entropy":
            t = rng.integers(0, 2, (batch, n_out)).astype(np.float64)
        else:
            t = np.eye(n_out)[rng.integers(0, n_out, batch)]
        zs, _ = reference_forward(arch, params.flat, x)
        if hidden not in ("relu", "leaky_relu") or min(np.abs(z).min() for z in zs[:-1]) > KINK_MARGIN:
            return arch, params, x, t


PAIRINGS = [(h, o, loss) for h in HIDDEN for o, loss in OUTPUT_LOSS]


def test_pairings_cover_every_registered_hidden_activation():
    assert sorted(HIDDEN) == sorted(HIDDEN_ACTIVATIONS)


@pytest.mark.parametrize("hidden,output,loss", PAIRINGS)
def test_analytic_gradient_matches_finite_differences(hidden, output, loss):
    for draw in range(DRAWS_PER_PAIRING):
        arch, params, x, t = random_problem(hidden, output, loss, seed=1000 * draw + 7)
        analytic = analytic_gradient(arch, params, x, t)
        numeric = reference_gradient(arch, params, x, t)
        err = relative_error(analytic, numeric)
        worst = int(np.argmax(err))
        assert err.max() <= TOLERANCE, (
            f"layers {list(arch.layers)}, batch {len(x)}: parameter {worst} analytic {analytic[worst]!r} "
            f"vs numeric {float(numeric[worst])!r} (relative error {float(err[worst]):.2e})")
        assert np.abs(analytic).max() > 1e-6, "a draw with an all-zero gradient checks nothing"


def test_mixed_hidden_activations_per_layer():
    arch = Architecture.build([3, 4, 5, 4, 2], ["tanh", "leaky_relu", "sigmoid"], "softmax",
                              "categorical_cross_entropy")
    rng = np.random.default_rng(3)
    while True:  # redraw until the leaky ReLU layer is clear of its kink
        params = initialise(arch, "he", rng)
        x = rng.normal(0, 1, (9, 3))
        t = np.eye(2)[rng.integers(0, 2, 9)]
        if np.abs(reference_forward(arch, params.flat, x)[0][1]).min() > KINK_MARGIN:
            break
    err = relative_error(analytic_gradient(arch, params, x, t), reference_gradient(arch, params, x, t))
    assert err.max() <= TOLERANCE


def test_relative_error_catches_a_wrong_gradient():
    arch, params, x, t = random_problem("tanh", "sigmoid", "mse", seed=11)
    analytic = analytic_gradient(arch, params, x, t)
    numeric = reference_gradient(arch, params, x, t)
    assert relative_error(analytic, numeric).max() <= TOLERANCE
    big = int(np.argmax(np.abs(analytic)))
    for wrong in (analytic * (1 + 1e-4), np.where(np.arange(len(analytic)) == big, -analytic, analytic),
                  analytic + 1e-5 * np.abs(analytic).max()):
        assert relative_error(wrong, numeric).max() > 50 * TOLERANCE


def test_engine_gradcheck_agrees_and_names_the_worst_parameter():
    exp = Experiment.create({"layers": [2, 5, 3, 1], "activation": "sigmoid", "output_activation": "sigmoid",
                             "loss": "binary_cross_entropy", "init": "xavier", "seed": 4},
                            dataset={"name": "moons", "samples": 60})
    report = exp.gradcheck(samples=12)
    assert report["params_checked"] == report["params_total"] == exp.arch.n_params() == 37
    assert report["max_relative_error"] <= TOLERANCE
    assert report["samples"] == 12
    assert len(report["checks"]) == 37
    worst = max(report["checks"], key=lambda c: c["relative_error"])
    assert report["worst"] == worst
    ids = [c["id"] for c in report["checks"]]
    assert ids[:3] == ["L0N0-L1N0", "L0N0-L1N1", "L0N0-L1N2"] and "L3N0-bias" in ids


def test_engine_gradcheck_detects_a_broken_backward_pass(monkeypatch):
    """The engine's own check is not vacuous: corrupt the trainer's sigmoid derivative and it fails."""
    from engine import activations

    broken = activations.Activation("sigmoid", "σ", activations.ACTIVATIONS["sigmoid"].forward,
                                    lambda a, out, one=1.0: np.multiply(a, 1.0, out=out))
    monkeypatch.setitem(activations.ACTIVATIONS, "sigmoid", broken)
    exp = Experiment.create({"layers": [2, 3, 1], "activation": "sigmoid", "output_activation": "tanh",
                             "init": "xavier", "seed": 1}, dataset={"name": "xor", "samples": 40})
    report = exp.gradcheck(samples=8)
    assert report["max_relative_error"] > 0.01
    assert report["worst"]["id"].startswith(("L0N", "L1N"))


def test_gradcheck_samples_a_subset_of_a_large_network():
    exp = Experiment.create({"layers": [2, 8, 8, 1], "init": "xavier"}, dataset={"name": "circle", "samples": 40})
    report = exp.gradcheck(samples=4, max_params=20)
    assert report["params_checked"] == 20 and report["params_total"] == 24 + 72 + 9
    assert len({c["id"] for c in report["checks"]}) == 20
    assert report["max_relative_error"] <= TOLERANCE


@pytest.mark.parametrize("layers,output,loss,message", [
    ([2, 3, 2], "softmax", "mse", "loss 'mse' needs a sigmoid or tanh or linear output, not 'softmax'; "
                                  "with a softmax output use loss 'categorical_cross_entropy'"),
    ([2, 3, 1], "tanh", "binary_cross_entropy", "loss 'binary_cross_entropy' needs a sigmoid output, not 'tanh'; "
                                                "with a tanh output use loss 'mse'"),
    ([2, 3, 1], "linear", "categorical_cross_entropy", "loss 'categorical_cross_entropy' needs a softmax output"),
    ([2, 3, 1], "softmax", "categorical_cross_entropy", "a softmax output needs at least 2 output neurons"),
    ([2, 3, 1], "relu", "mse", "'relu' is not an output activation; choose from sigmoid, tanh, linear, softmax"),
    ([2, 3, 1], "sigmoid", "hinge", "unknown loss 'hinge'; choose from mse, binary_cross_entropy, "
                                    "categorical_cross_entropy"),
])
def test_invalid_pairings_are_refused_with_a_clear_message(layers, output, loss, message):
    with pytest.raises(ValueError) as info:
        Architecture.build(layers, "tanh", output, loss)
    assert message in str(info.value)


def test_softmax_is_refused_as_a_hidden_activation():
    with pytest.raises(ValueError, match="'softmax' is not a hidden-layer activation; choose from sigmoid, tanh"):
        Experiment.create({"layers": [2, 3, 1], "activation": "softmax"}, dataset={"name": "circle", "samples": 20})
