"""The seed paper's section 5 example, which it promises and leaves blank: a network with one hidden
layer, every number of eqs. 1–6 computed by hand, and the engine's phase records checked against it.

`hand_computed` uses plain Python floats and the `math` module only, no engine code, so it is an
independent witness. Running this file prints docs/worked-example.md from those same numbers:
    .venv/bin/python tests/engine/test_worked_example.py > docs/worked-example.md
and `test_the_document_shows_these_numbers` keeps the two in step.
"""
import math
from pathlib import Path

import numpy as np
import pytest

TOL = 1e-9
DOC = Path(__file__).resolve().parents[2] / "docs" / "worked-example.md"

FUNCTIONS = {  # name: (f(z), f'(z) written through z)
    "sigmoid": (lambda z: 1 / (1 + math.exp(-z)), lambda z: (1 / (1 + math.exp(-z))) * (1 - 1 / (1 + math.exp(-z)))),
    "tanh": (math.tanh, lambda z: 1 - math.tanh(z) ** 2),
    "linear": (lambda z: z, lambda z: 1.0),
}

# Case 1: 2-2-1, sigmoid hidden and output, mse, one sample, η = 0.5.
SIGMOID_CASE = {
    "samples": [([0.05, 0.10], 0.01)],
    "weights": [[[0.15, 0.25], [0.20, 0.30]], [[0.40], [0.45]]],
    "biases": [[0.35, 0.35], [0.60]],
    "hidden": "sigmoid", "output": "sigmoid", "learning_rate": 0.5,
}
# Case 2: 2-2-1, tanh hidden, linear output, mse, a batch of two samples, η = 0.1.
TANH_BATCH_CASE = {
    "samples": [([0.5, -1.0], 0.3), ([-0.2, 0.8], -0.6)],
    "weights": [[[0.1, -0.3], [0.4, 0.2]], [[0.7], [-0.5]]],
    "biases": [[0.05, -0.1], [0.2]],
    "hidden": "tanh", "output": "linear", "learning_rate": 0.1,
}


def forward_by_hand(x, weights, biases, hidden, output):
    """Eqs. 1–3 for one sample: z and a of the two hidden neurons, then of the output."""
    f, g = FUNCTIONS[hidden][0], FUNCTIONS[output][0]
    W0, W1 = weights
    z1 = [sum(W0[i][j] * x[i] for i in range(len(x))) + biases[0][j] for j in range(len(biases[0]))]
    a1 = [f(z) for z in z1]
    z2 = sum(W1[j][0] * a1[j] for j in range(len(a1))) + biases[1][0]
    return z1, a1, z2, g(z2)


def hand_computed(case):
    """Every number of one training iteration, per sample and as the batch mean."""
    W0, W1 = case["weights"]
    hidden, output, lr = case["hidden"], case["output"], case["learning_rate"]
    df, dg = FUNCTIONS[hidden][1], FUNCTIONS[output][1]
    n_in, n_hid = len(W0), len(W0[0])
    per_sample = []
    for x, y in case["samples"]:
        z1, a1, z2, y_hat = forward_by_hand(x, case["weights"], case["biases"], hidden, output)
        dE_dy = y_hat - y                                  # ∂E/∂ŷ of E = ½(y − ŷ)²  (eq. 5)
        dy_dz = dg(z2)                                     # ∂ŷ/∂z
        delta2 = dE_dy * dy_dz                             # ∂E/∂z of the output neuron
        dE_da1 = [delta2 * W1[j][0] for j in range(n_hid)]  # ∂E/∂a_j: the error flowing back along w_j
        da1_dz1 = [df(z) for z in z1]
        delta1 = [dE_da1[j] * da1_dz1[j] for j in range(n_hid)]
        chain = {}                                         # eq. 4: weight id → (∂E/∂a, ∂a/∂z, ∂z/∂w, product)
        for j in range(n_hid):
            chain[f"L1N{j}-L2N0"] = (dE_dy, dy_dz, a1[j], dE_dy * dy_dz * a1[j])
        for i in range(n_in):
            for j in range(n_hid):
                chain[f"L0N{i}-L1N{j}"] = (dE_da1[j], da1_dz1[j], x[i], dE_da1[j] * da1_dz1[j] * x[i])
        per_sample.append({"x": x, "y": y, "z1": z1, "a1": a1, "z2": z2, "y_hat": y_hat,
                           "E": 0.5 * (y - y_hat) ** 2, "dE_dy": dE_dy, "dy_dz": dy_dz, "delta2": delta2,
                           "dE_da1": dE_da1, "da1_dz1": da1_dz1, "delta1": delta1, "chain": chain})
    n = len(per_sample)

    def mean(values):
        return sum(values) / n

    grad = {wid: mean([s["chain"][wid][3] for s in per_sample]) for wid in per_sample[0]["chain"]}
    grad.update({f"L1N{j}-bias": mean([s["delta1"][j] for s in per_sample]) for j in range(n_hid)})
    grad["L2N0-bias"] = mean([s["delta2"] for s in per_sample])
    before = parameter_values(case["weights"], case["biases"])
    after = {pid: before[pid] - lr * grad[pid] for pid in before}  # eq. 6
    new_weights = [[[after[f"L0N{i}-L1N{j}"] for j in range(n_hid)] for i in range(n_in)],
                   [[after[f"L1N{j}-L2N0"]] for j in range(n_hid)]]
    new_biases = [[after[f"L1N{j}-bias"] for j in range(n_hid)], [after["L2N0-bias"]]]
    loss_after = mean([0.5 * (y - forward_by_hand(x, new_weights, new_biases, hidden, output)[3]) ** 2
                       for x, y in case["samples"]])
    return {"samples": per_sample, "loss": mean([s["E"] for s in per_sample]), "grad": grad,
            "before": before, "after": after, "new_weights": new_weights, "new_biases": new_biases,
            "loss_after": loss_after}


def parameter_values(weights, biases):
    values = {}
    for k, W in enumerate(weights):
        for i, row in enumerate(W):
            for j, w in enumerate(row):
                values[f"L{k}N{i}-L{k + 1}N{j}"] = w
    for k, b in enumerate(biases):
        for j, v in enumerate(b):
            values[f"L{k + 1}N{j}-bias"] = v
    return values


# ---- the engine against the hand computation ----------------------------------------------------

def make_experiment(case):
    from engine.experiment import Experiment

    return Experiment.create(
        {"layers": [2, 2, 1], "activation": case["hidden"], "output_activation": case["output"], "loss": "mse",
         "learning_rate": case["learning_rate"], "batch_size": len(case["samples"])},
        data={"x_train": [x for x, _ in case["samples"]], "y_train": [y for _, y in case["samples"]]},
        weights=case["weights"], biases=case["biases"])


def step_by_phase(exp):
    """One iteration phase by phase, checking `exp.phase` announces each one; records by (phase, layer)."""
    expected = [("forward", 1), ("forward", 2), ("loss", None), ("backward", 2), ("backward", 1), ("update", None)]
    records = {}
    for index, (name, layer) in enumerate(expected):
        assert exp.phase == {"name": name, "layer": layer, "index": index, "count": 6}
        for rec in exp.advance(by="phase", trace=True):
            assert rec["phase"] == name and rec["step"] == 0
            records[(rec["phase"], rec["layer"])] = rec
    assert exp.phase["index"] == 0 and exp.trainer.step == 1
    return records


def close(actual, expected):
    """Same shape and every number within TOL."""
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    return actual.shape == expected.shape and bool(np.allclose(actual, expected, rtol=0, atol=TOL))


@pytest.mark.parametrize("case", [SIGMOID_CASE, TANH_BATCH_CASE], ids=["sigmoid-1-sample", "tanh-linear-2-samples"])
def test_every_record_number_matches_the_hand_computation(case):
    hand = hand_computed(case)
    exp = make_experiment(case)
    rec = step_by_phase(exp)
    rows = [hand["samples"][int(r)] for r in rec[("forward", 1)]["batch"]]  # batch order → hand samples
    assert sorted(rec[("forward", 1)]["batch"].tolist()) == list(range(len(case["samples"])))
    assert rec[("loss", None)]["batch"].tolist() == rec[("forward", 1)]["batch"].tolist()
    for r, s in enumerate(rows):
        f1, f2, loss = rec[("forward", 1)], rec[("forward", 2)], rec[("loss", None)]
        b2, b1 = rec[("backward", 2)], rec[("backward", 1)]
        assert close(f1["a_prev"][r].tolist(), s["x"])
        assert close(f1["z"][r].tolist(), s["z1"]) and close(f1["a"][r].tolist(), s["a1"])   # eqs. 1–2
        assert close(f2["a_prev"][r].tolist(), s["a1"])
        assert close(f2["z"][r, 0], s["z2"]) and close(f2["a"][r, 0], s["y_hat"])
        assert close(loss["y_hat"][r, 0], s["y_hat"]) and close(loss["y"][r, 0], s["y"])
        assert close(loss["per_sample"][r], s["E"]) and close(loss["dE_dy"][r, 0], s["dE_dy"])  # eq. 5
        assert close(b2["dE_da"][r, 0], s["dE_dy"]) and close(b2["da_dz"][r, 0], s["dy_dz"])
        assert close(b2["delta"][r, 0], s["delta2"])
        assert close(b1["dE_da"][r].tolist(), s["dE_da1"]) and close(b1["da_dz"][r].tolist(), s["da1_dz1"])
        assert close(b1["delta"][r].tolist(), s["delta1"])
    assert close(rec[("loss", None)]["loss"], hand["loss"])
    grads = {2: rec[("backward", 2)], 1: rec[("backward", 1)]}
    for pid, g in hand["grad"].items():
        k, i, j = _indices(pid)
        b = grads[k + 1]
        assert close(b["grad_biases"][j] if i is None else b["grad_weights"][i, j], g), pid
    assert close(exp.trainer.params.weights[0].tolist(), hand["new_weights"][0])                # eq. 6
    assert close(exp.trainer.params.weights[1].tolist(), hand["new_weights"][1])
    assert close(exp.trainer.params.biases[0].tolist(), hand["new_biases"][0])
    assert close(exp.trainer.params.biases[1].tolist(), hand["new_biases"][1])
    assert close(exp.history[-1]["train_loss"], hand["loss_after"])
    assert hand["loss_after"] < hand["loss"]


def _indices(pid):
    """'L0N1-L1N0' → (0, 1, 0); 'L1N0-bias' → (0, None, 0)."""
    if pid.endswith("-bias"):
        layer, j = pid[1:-5].split("N")
        return int(layer) - 1, None, int(j)
    src, dst = pid.split("-")
    return int(src[1]), int(src.split("N")[1]), int(dst.split("N")[1])


@pytest.mark.parametrize("case", [SIGMOID_CASE, TANH_BATCH_CASE], ids=["sigmoid-1-sample", "tanh-linear-2-samples"])
def test_update_records_show_eq_6_for_every_parameter(case):
    hand = hand_computed(case)
    exp = make_experiment(case)
    for _ in range(5):
        exp.advance(by="phase")
    updates = {u["layer"]: u for u in exp.advance(by="phase", trace=True)}
    assert sorted(updates) == [1, 2]
    lr = case["learning_rate"]
    for pid, g in hand["grad"].items():
        k, i, j = _indices(pid)
        u = updates[k + 1]
        assert u["learning_rate"] == lr and u["momentum"] == 0 and u["regularization"] == "none"
        if i is None:
            got = (u["biases_before"][j], u["grad_biases"][j], u["gradient_term_biases"][j], u["biases_after"][j])
        else:
            got = (u["weights_before"][i, j], u["grad_weights"][i, j], u["gradient_term"][i, j],
                   u["weights_after"][i, j])
            assert close(u["delta_weights"][i, j], -lr * g)
            assert u["regularization_term"][i, j] == 0 and u["momentum_term"][i, j] == 0
        assert close(got[0], hand["before"][pid]) and close(got[1], g)
        assert close(got[2], -lr * g) and close(got[3], hand["after"][pid]), pid


@pytest.mark.parametrize("case", [SIGMOID_CASE, TANH_BATCH_CASE], ids=["sigmoid-1-sample", "tanh-linear-2-samples"])
def test_chain_rule_factors_match_eq_4_by_hand(case):
    from engine import chain

    hand = hand_computed(case)
    exp = make_experiment(case)
    preview = {}  # at the iteration boundary chain_rule previews the coming batch on a copy
    for wid in hand["samples"][0]["chain"]:
        preview[wid] = [chain.chain_rule(exp, wid, sample=r) for r in range(len(case["samples"]))]
    assert exp.trainer.step == 0 and exp.phase["index"] == 0
    rec = step_by_phase(exp)
    order = rec[("forward", 1)]["batch"].tolist()
    for wid in hand["samples"][0]["chain"]:
        for r, row in enumerate(order):
            out = chain.chain_rule(exp, wid, sample=r)
            dE_da, da_dz, dz_dw, product = hand["samples"][row]["chain"][wid]
            for got in (out, preview[wid][r]):
                assert got["weight"] == wid and got["sample"] == r and got["training_index"] == row
                assert close(got["factors"]["dE_da"], dE_da) and close(got["factors"]["da_dz"], da_dz)
                assert close(got["factors"]["dz_dw"], dz_dw) and close(got["product"], product)
                assert close(got["batch_mean"], hand["grad"][wid])
            assert out["update"]["learning_rate"] == case["learning_rate"]
            assert close(out["update"]["weights_before"], hand["before"][wid])
            assert close(out["update"]["weights_after"], hand["after"][wid])
            assert close(out["update"]["gradient_term"], -case["learning_rate"] * hand["grad"][wid])
            assert "update" not in preview[wid][r]


def test_the_document_shows_these_numbers():
    assert DOC.read_text(encoding="utf-8") == render_document(), (
        "docs/worked-example.md is out of date: regenerate it with "
        ".venv/bin/python tests/engine/test_worked_example.py > docs/worked-example.md")


# ---- the document --------------------------------------------------------------------------------

def _n(v):
    return f"{v:.9f}"


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def render_document():
    case, hand = SIGMOID_CASE, hand_computed(SIGMOID_CASE)
    s = hand["samples"][0]
    W0, W1 = case["weights"]
    b0, b1 = case["biases"]
    x, y, lr = s["x"], s["y"], case["learning_rate"]
    parts = [
        "# Worked example: one hidden layer, every number",
        "",
        "The seed paper's section 5 promises \"a simple neural network with one hidden layer\" and leaves "
        "the example blank. Here it is: one training iteration of a 2-2-1 network with sigmoid hidden "
        "and output neurons, the squared error of eq. 5, one training sample and learning rate "
        f"η = {lr}. Every number below is computed with plain Python floats in "
        "`tests/engine/test_worked_example.py`, which also checks that the engine's phase records "
        "(and the chain-rule inspector) show the same numbers to 1e-9. Regenerate this page with "
        "`.venv/bin/python tests/engine/test_worked_example.py > docs/worked-example.md`.",
        "",
        "Names follow the engine, the API and the drawing: neuron `L{layer}N{index}` (layer 0 is the "
        "input, layer 2 the output), weight `L0N1-L1N0` from neuron 1 of layer 0 to neuron 0 of layer 1, "
        "bias `L1N0-bias`.",
        "",
        "## The network and the sample",
        "",
        _table(["parameter", "value"],
               [(pid, v) for pid, v in hand["before"].items()]),
        "",
        f"Input x = ({x[0]}, {x[1]}), target y = {y}.",
        "",
        "## Forward pass (eqs. 1–2)",
        "",
        "z_j = Σ_i w_ij·x_i + b_j, then a_j = σ(z_j) = 1 / (1 + e^(−z_j)).",
        "",
        _table(["neuron", "z = Σ w·a_prev + b", "z", "a = σ(z)"], [
            *[(f"L1N{j}", f"{W0[0][j]}·{x[0]} + {W0[1][j]}·{x[1]} + {b0[j]}", _n(s["z1"][j]), _n(s["a1"][j]))
              for j in range(2)],
            ("L2N0", f"{W1[0][0]}·a(L1N0) + {W1[1][0]}·a(L1N1) + {b1[0]}", _n(s["z2"]), _n(s["y_hat"])),
        ]),
        "",
        "## Error (eq. 5)",
        "",
        _table(["ŷ", "y", "E = ½(y − ŷ)²", "∂E/∂ŷ = ŷ − y", "∂ŷ/∂z = ŷ(1 − ŷ)", "δ = ∂E/∂z (output)"],
               [(_n(s["y_hat"]), y, _n(s["E"]), _n(s["dE_dy"]), _n(s["dy_dz"]), _n(s["delta2"]))]),
        "",
        "## Backward pass, output layer (eq. 4)",
        "",
        "∂E/∂w_j = ∂E/∂ŷ · ∂ŷ/∂z · ∂z/∂w_j, and ∂z/∂w_j is the activation a_j feeding the weight.",
        "",
        _table(["weight", "∂E/∂ŷ", "∂ŷ/∂z", "∂z/∂w", "∂E/∂w"],
               [(wid, *(_n(v) for v in s["chain"][wid])) for wid in ("L1N0-L2N0", "L1N1-L2N0")]),
        "",
        "## Backward pass, hidden layer (eq. 4 one layer further)",
        "",
        "The error reaching hidden neuron j is ∂E/∂a_j = δ_output · w_j (its outgoing weight); "
        "δ_j = ∂E/∂a_j · σ'(z_j) with σ'(z) = a(1 − a).",
        "",
        _table(["neuron", "∂E/∂a = δ_out·w", "∂a/∂z", "δ = ∂E/∂z"],
               [(f"L1N{j}", _n(s["dE_da1"][j]), _n(s["da1_dz1"][j]), _n(s["delta1"][j])) for j in range(2)]),
        "",
        _table(["weight", "∂E/∂a_j", "∂a_j/∂z_j", "∂z_j/∂w = x_i", "∂E/∂w"],
               [(f"L0N{i}-L1N{j}", *(_n(v) for v in s["chain"][f"L0N{i}-L1N{j}"])) for i in range(2)
                for j in range(2)]),
        "",
        "A bias is a weight on a constant input 1, so ∂E/∂b_j = δ_j.",
        "",
        "## Update (eq. 6)",
        "",
        f"w ← w − η·∂E/∂w with η = {lr}. With one sample the batch mean is that sample's gradient.",
        "",
        _table(["parameter", "w", "∂E/∂w", "−η·∂E/∂w", "new w"],
               [(pid, _n(hand["before"][pid]), _n(g), _n(-lr * g), _n(hand["after"][pid]))
                for pid, g in hand["grad"].items()]),
        "",
        "## After one step",
        "",
        f"The same sample through the updated network: E = {_n(hand['loss_after'])} "
        f"(was {_n(hand['loss'])}).",
        "",
        "## The same iteration in the engine",
        "",
        "```python",
        "from engine.experiment import Experiment",
        "exp = Experiment.create(",
        f"    {{\"layers\": [2, 2, 1], \"activation\": \"sigmoid\", \"output_activation\": \"sigmoid\",",
        f"     \"loss\": \"mse\", \"learning_rate\": {lr}, \"batch_size\": 1}},",
        f"    data={{\"x_train\": [{x}], \"y_train\": [{y}]}},",
        f"    weights={case['weights']}, biases={case['biases']})",
        "for _ in range(6):  # forward 1, forward 2, loss, backward 2, backward 1, update",
        "    print(exp.advance(by=\"phase\", trace=True))",
        "```",
        "",
    ]
    return "\n".join(parts)


if __name__ == "__main__":
    print(render_document(), end="")
