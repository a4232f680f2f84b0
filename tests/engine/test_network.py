"""Network shape and identity: stable ids, the flat parameter layout, validation and initialisers."""
import numpy as np
import pytest

from engine.chain import parse_weight_id
from engine.experiment import Experiment
from engine.gradcheck import parameter_ids
from engine.network import INITS, Architecture, Parameters, bias_id, initialise, neuron_id, weight_id


def test_ids_are_the_strings_the_page_uses():
    assert neuron_id(0, 1) == "L0N1" and neuron_id(3, 12) == "L3N12"
    assert weight_id(0, 1, 2) == "L0N1-L1N2"
    assert weight_id(2, 10, 0) == "L2N10-L3N0"
    assert bias_id(1, 3) == "L1N3-bias"
    assert parse_weight_id("L1N3-L2N0", [2, 4, 1]) == (1, 3, 0)


def test_parameter_ids_follow_the_flat_layout():
    arch = Architecture.build([2, 3, 1])
    params = Parameters(arch, np.arange(arch.n_params(), dtype=np.float64))
    ids = parameter_ids(arch)
    assert len(ids) == arch.n_params() == 2 * 3 + 3 + 3 * 1 + 1
    for k in range(arch.depth):
        for i in range(arch.layers[k]):
            for j in range(arch.layers[k + 1]):
                assert ids[int(params.weights[k][i, j])] == weight_id(k, i, j)
        for j in range(arch.layers[k + 1]):
            assert ids[int(params.biases[k][j])] == bias_id(k + 1, j)


def test_weights_and_biases_are_views_of_one_buffer():
    arch = Architecture.build([2, 4, 2, 1])
    params = Parameters(arch)
    params.weights[1][3, 0] = 7.0
    params.biases[2][0] = -2.0
    assert np.count_nonzero(params.flat) == 2 and params.flat.sum() == 5.0
    assert [w.shape for w in params.weights] == [(2, 4), (4, 2), (2, 1)]
    assert [b.shape for b in params.biases] == [(4,), (2,), (1,)]
    assert params.weight_mask.sum() == 8 + 8 + 2  # regularisation sees weights, never biases


def test_architecture_normalises_one_activation_per_hidden_layer():
    arch = Architecture.build([2, 4, 2, 1], "relu")
    assert arch.activations == ("relu", "relu") and arch.depth == 3
    assert [arch.activation_of(l) for l in (1, 2, 3)] == ["relu", "relu", "tanh"]


@pytest.mark.parametrize("layers,activation,message", [
    ([2], "tanh", "layers needs at least an input and an output size"),
    ([2, 0, 1], "tanh", "every layer needs at least one neuron, got layers [2, 0, 1]"),
    ([2, 3, 3, 1], ["tanh"], "activation lists 1 names but the network has 2 hidden layers"),
    ([2, 3, 1], "swish", "unknown activation 'swish'; choose from sigmoid, tanh, relu"),
])
def test_bad_architectures_are_refused_with_a_clear_message(layers, activation, message):
    with pytest.raises(ValueError) as info:
        Architecture.build(layers, activation)
    assert message in str(info.value)


@pytest.mark.parametrize("weights,biases,message", [
    ([[[0.1, 0.2]]], [[0.0, 0.0]], "weights and biases need 2 entries each"),
    ([[[0.1, 0.2]], [[0.3], [0.4]]], [[0.0, 0.0], [0.0]], "weights[0] must have shape [2, 2] (n_0 × n_1), got [1, 2]"),
    ([[[0.1, 0.2], [0.3, 0.4]], [[0.3], [0.4]]], [[0.0], [0.0]], "biases[0] must have length 2, got shape [1]"),
    ([[[0.1, float("nan")], [0.3, 0.4]], [[0.3], [0.4]]], [[0.0, 0.0], [0.0]], "weights[0] and biases[0] must be finite"),
])
def test_bad_explicit_weights_are_refused_with_a_clear_message(weights, biases, message):
    with pytest.raises(ValueError) as info:
        Experiment.create({"layers": [2, 2, 1]}, dataset={"name": "circle", "samples": 20},
                          weights=weights, biases=biases)
    assert message in str(info.value)


def test_weights_without_biases_are_refused():
    with pytest.raises(ValueError, match="give both weights and biases, or neither"):
        Experiment.create({"layers": [2, 1]}, dataset={"name": "circle", "samples": 20}, weights=[[[1.0], [2.0]]])


# ---- initialisers -------------------------------------------------------------------------------

BIG = Architecture.build([2, 400, 300, 1])


def big(init, seed=0):
    return initialise(BIG, init, np.random.default_rng(seed))


def test_xavier_is_uniform_with_glorot_variance():
    w = big("xavier").weights[1]  # fan_in 400, fan_out 300
    limit = np.sqrt(6 / 700)
    assert np.abs(w).max() <= limit and np.abs(w).max() > 0.99 * limit
    assert w.var() == pytest.approx(2 / 700, rel=0.03)
    assert abs(w.mean()) < 0.01 * w.std()
    assert not np.any(np.concatenate(big("xavier").biases))


def test_he_is_normal_with_variance_two_over_fan_in():
    params = big("he")
    w = params.weights[1]
    assert w.std() == pytest.approx(np.sqrt(2 / 400), rel=0.03)
    assert abs(w.mean()) < 0.01 * w.std()
    kurtosis = ((w - w.mean()) ** 4).mean() / w.var() ** 2
    assert kurtosis == pytest.approx(3.0, abs=0.1)  # normal, not uniform (whose kurtosis is 1.8)
    assert params.weights[0].std() == pytest.approx(np.sqrt(2 / 2), rel=0.1)
    assert not np.any(np.concatenate(params.biases))


def test_uniform_is_playgrounds_with_biases_of_one_tenth():
    params = big("uniform")
    w = params.weights[1]
    assert -0.5 <= w.min() < -0.49 and 0.49 < w.max() <= 0.5
    assert w.var() == pytest.approx(1 / 12, rel=0.03)
    assert all(np.all(b == 0.1) for b in params.biases)


def test_zeros_are_all_zero_and_keep_hidden_neurons_identical():
    assert not np.any(big("zeros").flat)
    exp = Experiment.create({"layers": [2, 4, 1], "activation": "sigmoid", "init": "zeros", "learning_rate": 0.5},
                            dataset={"name": "circle", "samples": 60})
    exp.advance(by="iteration", count=20)
    w = exp.trainer.params.weights[0]
    assert np.any(w)  # it does learn...
    assert np.array_equal(w, np.repeat(w[:, :1], 4, axis=1))  # ...but every hidden neuron the same way


@pytest.mark.parametrize("init", INITS)
def test_same_seed_same_weights_other_seed_other_weights(init):
    assert np.array_equal(big(init, seed=7).flat, big(init, seed=7).flat)
    if init != "zeros":
        assert not np.array_equal(big(init, seed=7).flat, big(init, seed=8).flat)


def test_experiment_init_and_seed_come_from_the_config():
    dataset = {"name": "circle", "samples": 20}
    a = Experiment.create({"init": "he", "seed": 9}, dataset=dataset)
    expected = initialise(a.arch, "he", np.random.default_rng(9))
    assert np.array_equal(a.trainer.params.flat, expected.flat)
    with pytest.raises(ValueError, match="unknown init 'glorot'; choose from xavier, he, uniform, zeros"):
        Experiment.create({"init": "glorot"}, dataset=dataset)


@pytest.mark.parametrize("text", ["L00N0-L1N0", "L0N0-L1N0\n", "L\u0660N0-L1N0", "L0N01-L1N0", " L0N0-L1N0"])
def test_weight_ids_have_exactly_one_spelling(text):
    with pytest.raises(ValueError, match="must look like L0N1-L1N2"):
        parse_weight_id(text, [2, 4, 1])


def test_ragged_explicit_weights_get_a_human_message():
    from engine.experiment import Experiment

    with pytest.raises(ValueError) as err:
        Experiment.create({"layers": [2, 2, 1]}, weights=[[[1, 2], [3]], [[1], [2]]], biases=[[0, 0], [0]])
    assert str(err.value) == ("weights[0] must be a matrix of numbers of shape [2, 2] and biases[0] a list "
                              "of 2 numbers")
