"""Phase records: the names and shapes the page animates, and the identities that tie them to eq. 4
and eq. 6 (per-sample chain-rule products, batch means, the split of each update)."""
import numpy as np
import pytest

from engine import chain
from engine.experiment import Experiment

BATCH = 5


def make(overrides=None, dataset=None):
    config = {"layers": [2, 3, 4, 1], "activation": ["tanh", "sigmoid"], "batch_size": BATCH,
              "learning_rate": 0.2, "init": "xavier", "seed": 2, **(overrides or {})}
    return Experiment.create(config, dataset=dataset or {"name": "xor", "samples": 40, "noise": 5})


def one_iteration(exp):
    records = exp.advance(by="iteration", trace=True)
    return records, {(r["phase"], r["layer"]): r for r in records}


def test_one_iteration_yields_records_in_phase_order():
    exp = make()
    records, _ = one_iteration(exp)
    assert [(r["phase"], r["layer"]) for r in records] == [
        ("forward", 1), ("forward", 2), ("forward", 3), ("loss", None),
        ("backward", 3), ("backward", 2), ("backward", 1), ("update", 1), ("update", 2), ("update", 3)]
    assert {r["step"] for r in records} == {0}
    assert {r["step"] for r in exp.advance(by="iteration", trace=True)} == {1}


def test_record_fields_and_shapes():
    exp = make()
    _, rec = one_iteration(exp)
    sizes = exp.arch.layers
    for l in (1, 2, 3):
        f = rec[("forward", l)]
        assert f["a_prev"].shape == (BATCH, sizes[l - 1]) and f["z"].shape == f["a"].shape == (BATCH, sizes[l])
        b = rec[("backward", l)]
        assert {"dE_da", "da_dz", "delta", "grad_weights", "grad_biases", "fused"} <= b.keys()
        assert b["dE_da"].shape == b["da_dz"].shape == b["delta"].shape == (BATCH, sizes[l])
        assert b["grad_weights"].shape == (sizes[l - 1], sizes[l]) and b["grad_biases"].shape == (sizes[l],)
        assert b["fused"] is False
        u = rec[("update", l)]
        for key in ("weights_before", "weights_after", "delta_weights", "grad_weights", "gradient_term",
                    "regularization_term", "momentum_term"):
            assert u[key].shape == (sizes[l - 1], sizes[l]), key
        for key in ("biases_before", "biases_after", "delta_biases", "grad_biases", "gradient_term_biases",
                    "regularization_term_biases", "momentum_term_biases"):
            assert u[key].shape == (sizes[l],), key
    assert rec[("forward", 1)]["batch"].shape == (BATCH,)
    loss = rec[("loss", None)]
    assert loss["y_hat"].shape == loss["y"].shape == loss["dE_dy"].shape == (BATCH, 1)
    assert loss["per_sample"].shape == (BATCH,)
    assert loss["loss"] == pytest.approx(loss["per_sample"].mean(), rel=1e-15)
    assert np.array_equal(loss["batch"], rec[("forward", 1)]["batch"])


def test_records_chain_into_each_other():
    exp = make()
    _, rec = one_iteration(exp)
    x = exp.x_train[rec[("forward", 1)]["batch"]]
    assert np.array_equal(rec[("forward", 1)]["a_prev"], x)
    for l in (1, 2, 3):
        f, w, b = rec[("forward", l)], exp.trainer.params, rec[("update", l)]
        assert np.allclose(f["z"], f["a_prev"] @ b["weights_before"] + b["biases_before"], rtol=0, atol=1e-14)  # eq. 1
        if l > 1:
            assert np.array_equal(f["a_prev"], rec[("forward", l - 1)]["a"])
    assert np.allclose(rec[("forward", 1)]["a"], np.tanh(rec[("forward", 1)]["z"]), rtol=0, atol=1e-15)
    assert np.array_equal(rec[("loss", None)]["y_hat"], rec[("forward", 3)]["a"])
    t = exp.t_train[rec[("forward", 1)]["batch"]]
    assert np.array_equal(rec[("loss", None)]["y"], t) and set(np.unique(t)) <= {-1.0, 1.0}  # tanh targets ±1
    for l in (3, 2, 1):
        back = rec[("backward", l)]
        assert np.allclose(back["delta"], back["dE_da"] * back["da_dz"], rtol=1e-14, atol=1e-16)
        if l < 3:  # the error reaching layer l flows back along the weights out of it
            w_out = rec[("update", l + 1)]["weights_before"]
            assert np.allclose(back["dE_da"], rec[("backward", l + 1)]["delta"] @ w_out.T, rtol=1e-14, atol=1e-16)
        a_prev = rec[("forward", l)]["a_prev"]
        assert np.allclose(back["grad_weights"], a_prev.T @ back["delta"] / BATCH, rtol=1e-12, atol=1e-16)
        assert np.allclose(back["grad_biases"], back["delta"].mean(axis=0), rtol=1e-12, atol=1e-16)
        assert np.array_equal(back["grad_weights"], rec[("update", l)]["grad_weights"])
    out = rec[("backward", 3)]
    assert np.array_equal(out["dE_da"], rec[("loss", None)]["dE_dy"])


def test_chain_rule_products_are_delta_times_input_and_average_to_the_gradient():
    exp = make()
    _, rec = one_iteration(exp)
    for weight, (k, i, j) in {"L0N1-L1N2": (0, 1, 2), "L1N2-L2N3": (1, 2, 3), "L2N3-L3N0": (2, 3, 0)}.items():
        layer = k + 1
        products = []
        for s in range(BATCH):
            out = chain.chain_rule(exp, weight, sample=s)
            f = out["factors"]
            assert out["product"] == pytest.approx(f["dE_da"] * f["da_dz"] * f["dz_dw"], rel=1e-12)
            assert out["product"] == pytest.approx(rec[("backward", layer)]["delta"][s, j]
                                                   * rec[("forward", layer)]["a_prev"][s, i], rel=1e-15)
            assert out["training_index"] == rec[("forward", 1)]["batch"][s]
            products.append(out["product"])
        assert np.mean(products) == pytest.approx(rec[("backward", layer)]["grad_weights"][i, j], rel=1e-12)
        assert out["batch_mean"] == rec[("backward", layer)]["grad_weights"][i, j]
        assert out["update"]["weights_after"] == rec[("update", layer)]["weights_after"][i, j]


def test_chain_rule_mid_iteration_and_after_untraced_steps_uses_the_live_batch():
    exp = make()
    exp.advance(by="iteration", count=3)
    exp.advance(by="phase", count=5)   # forward ×3, loss, backward 3: the batch in progress
    mid = chain.chain_rule(exp, "L1N0-L2N1", sample=2)
    rest = exp.advance(by="iteration", trace=True)  # finishes that batch: only its remaining phases
    assert [(r["phase"], r["layer"]) for r in rest] == [("backward", 2), ("backward", 1), ("update", 1),
                                                        ("update", 2), ("update", 3)]
    assert exp.trainer.step == 4
    b2 = rest[0]
    assert mid["step"] == 3 and mid["delta"] == b2["delta"][2, 1]
    assert mid["batch_mean"] == b2["grad_weights"][0, 1]
    assert "update" not in mid


@pytest.mark.parametrize("output,loss,dataset,n_out", [
    ("sigmoid", "binary_cross_entropy", "circle", 1),
    ("softmax", "categorical_cross_entropy", "blobs", 3),
])
def test_fused_output_layers_record_delta_as_prediction_minus_target(output, loss, dataset, n_out):
    exp = make({"layers": [2, 3, 4, n_out], "output_activation": output, "loss": loss}, dataset={"name": dataset})
    _, rec = one_iteration(exp)
    out, lossrec = rec[("backward", 3)], rec[("loss", None)]
    assert out["fused"] is True
    assert np.allclose(out["delta"], lossrec["y_hat"] - lossrec["y"], rtol=0, atol=1e-15)
    if output == "softmax":
        assert out["da_dz"] is None
        assert np.allclose(lossrec["y_hat"].sum(axis=1), 1.0)
        note = chain.chain_rule(exp, "L2N0-L3N1")["note"]
        assert "∂E/∂z_j = ŷ_j − y_j" in note
        assert chain.chain_rule(exp, "L2N0-L3N1")["factors"]["da_dz"] is None
    else:
        assert np.allclose(out["dE_da"] * out["da_dz"], out["delta"], rtol=1e-9)


@pytest.mark.parametrize("regularization", ["none", "l1", "l2"])
def test_update_split_adds_up_to_the_change(regularization):
    exp = make({"momentum": 0.9, "regularization": regularization, "regularization_rate": 0.03})
    exp.advance(by="iteration", count=2)  # momentum has a velocity to carry
    _, rec = one_iteration(exp)
    for l in (1, 2, 3):
        u = rec[("update", l)]
        assert np.array_equal(u["delta_weights"], u["weights_after"] - u["weights_before"])
        total = u["gradient_term"] + u["regularization_term"] + u["momentum_term"]
        assert np.allclose(u["delta_weights"], total, rtol=1e-12, atol=1e-15)
        total_b = u["gradient_term_biases"] + u["regularization_term_biases"] + u["momentum_term_biases"]
        assert np.allclose(u["delta_biases"], total_b, rtol=1e-12, atol=1e-15)
        assert np.allclose(u["gradient_term"], -0.2 * u["grad_weights"], rtol=1e-15, atol=0)
        assert np.abs(u["momentum_term"]).max() > 0
        w = u["weights_before"]
        expected_reg = {"none": 0 * w, "l1": -0.2 * 0.03 * np.sign(w), "l2": -0.2 * 0.03 * w}[regularization]
        assert np.allclose(u["regularization_term"], expected_reg, rtol=1e-15, atol=0)
        assert not np.any(u["regularization_term_biases"])


def test_momentum_term_is_the_previous_step_scaled():
    exp = make({"momentum": 0.5})
    _, first = one_iteration(exp)
    _, second = one_iteration(exp)
    for l in (1, 2, 3):
        assert not np.any(first[("update", l)]["momentum_term"])  # no velocity before the first step
        assert np.allclose(second[("update", l)]["momentum_term"], 0.5 * first[("update", l)]["delta_weights"],
                           rtol=1e-12, atol=1e-15)  # after − before rounds at the weights' scale


@pytest.mark.parametrize("weight,sample,message", [
    ("L0N1L1N2", 0, "weight id 'L0N1L1N2' must look like L0N1-L1N2"),
    ("L0N1-L2N0", 0, "weight id 'L0N1-L2N0' must look like L0N1-L1N2"),
    ("L0N2-L1N0", 0, "weight 'L0N2-L1N0' does not exist in a network with layers"),
    ("L3N0-L4N0", 0, "weight 'L3N0-L4N0' does not exist"),
    ("L0N0-L1N0", BATCH, f"sample must be between 0 and {BATCH - 1} (the mini-batch has {BATCH} samples)"),
    ("L0N0-L1N0", -1, "sample must be between 0 and"),
])
def test_chain_rule_refuses_unknown_weights_and_samples(weight, sample, message):
    exp = make()
    with pytest.raises(ValueError) as info:
        chain.chain_rule(exp, weight, sample=sample)
    assert message in str(info.value)
    assert exp.trainer.step == 0 and exp.phase["index"] == 0


@pytest.mark.parametrize("output", [1, 2])
def test_records_keep_their_numbers_while_training_goes_on(output):
    """Records copy the reused buffers, whatever their shape (a single output neuron included)."""
    import copy
    exp = make({"layers": [2, 3, output], "activation": "tanh"}, dataset={"name": "plane", "samples": 40} if output == 1 else None)
    records, _ = one_iteration(exp)
    kept = copy.deepcopy(records)
    exp.advance(by="iteration", count=3, trace=True)
    exp.advance(by="iteration", count=3)
    for before, after in zip(kept, records):
        for key, value in before.items():
            np.testing.assert_array_equal(np.asarray(after[key], dtype=object), np.asarray(value, dtype=object))
