"""REST endpoints for one network: the happy paths and the shapes the page relies on."""
from __future__ import annotations

import base64

import numpy as np

from app import stepping
from engine.experiment import DEFAULTS, Experiment


def test_create_uses_playground_defaults(client):
    response = client.post("/api/networks", json={})
    assert response.status_code == 201
    state = response.json()
    assert len(state["id"]) == 22
    assert state["layers"] == [2, 4, 2, 1]
    assert state["config"]["activation"] == ["tanh", "tanh"]
    assert state["config"]["learning_rate"] == 0.03
    assert state["config"]["batch_size"] == 10
    assert state["config"]["dataset"] == {"name": "circle", "samples": 500, "noise": 0.0, "train_ratio": 0.5, "seed": 0}
    assert state["problem"] == "classification" and state["n_classes"] == 2
    assert [np.shape(w) for w in state["weights"]] == [(2, 4), (4, 2), (2, 1)]
    assert [len(b) for b in state["biases"]] == [4, 2, 1]
    assert state["step"] == 0 and state["epoch"] == 0
    assert state["phase"] == {"name": "forward", "layer": 1, "index": 0, "count": 8}
    assert state["neuron_ids"][3] == ["L3N0"] and state["neuron_ids"][1][3] == "L1N3"
    assert state["feature_labels"] == ["x₁", "x₂"]
    assert 0 <= state["train_accuracy"] <= 1 and state["train_loss"] > 0
    assert state["diverged"] is None
    assert len(state["history"]) == 1 and state["history"][0]["step"] == 0
    assert state["n_train"] == 250 and state["n_test"] == 250


def test_ids_are_random_and_unguessable(client):
    ids = {client.post("/api/networks", json={}).json()["id"] for _ in range(5)}
    assert len(ids) == 5
    for network_id in ids:
        assert len(base64.urlsafe_b64decode(network_id + "==")) == 16  # 128 bits


def test_create_with_features_and_dataset(client):
    body = {"layers": [3, 5, 1], "features": ["x1_squared", "x2_squared", "x1_x2"], "activation": "relu",
            "dataset": {"name": "xor", "samples": 200, "noise": 10, "train_ratio": 0.7, "seed": 3}}
    state = client.post("/api/networks", json=body).json()
    assert state["feature_labels"] == ["x₁²", "x₂²", "x₁x₂"]
    assert state["n_train"] == 140 and state["n_test"] == 60
    assert state["config"]["activation"] == ["relu"]


def test_create_regression_from_own_data(client):
    body = {"layers": [1, 3, 1], "output_activation": "linear",
            "data": {"x_train": [[0.0], [1.0], [2.0]], "y_train": [0.5, 1.5, 2.5]}}
    response = client.post("/api/networks", json=body)
    assert response.status_code == 201
    state = response.json()
    assert state["problem"] == "regression" and state["train_accuracy"] is None
    assert state["feature_labels"] is None
    assert state["config"]["dataset"] == {"name": "custom"}


def test_get_returns_the_same_state(client, network):
    got = client.get(f"/api/networks/{network['id']}").json()
    assert "key" not in got  # the key is shown once, by the call that made the network
    assert got == {k: v for k, v in network.items() if k != "key"}


def test_get_history_parameter_limits_entries(client, network):
    url = f"/api/networks/{network['id']}"
    for _ in range(3):
        client.post(f"{url}/step", json={"by": "iteration", "count": 1})
    full = client.get(url).json()
    assert [h["step"] for h in full["history"]] == [0, 1, 2, 3]
    assert [h["step"] for h in client.get(url, params={"history": 2}).json()["history"]] == [2, 3]
    assert client.get(url, params={"history": 0}).json()["history"] == []
    assert full["history_total"] == 4


def test_step_by_iteration_and_epoch(client, network):
    url = f"/api/networks/{network['id']}/step"
    out = client.post(url, json={"by": "iteration", "count": 5}).json()
    assert out["state"]["step"] == 5 and out["done"] == 5 and out["trace"] is None and out["stopped_early"] is None
    out = client.post(url, json={"by": "epoch", "count": 2}).json()
    assert out["state"]["epoch"] == 2 and out["done"] == 2
    assert out["state"]["step"] == 50  # 250 training points / batch 10 = 25 iterations an epoch
    assert out["state"]["weights"] != network["weights"]


def test_a_long_step_records_an_evenly_spaced_history(client, network):
    url = f"/api/networks/{network['id']}"
    out = client.post(f"{url}/step", json={"by": "epoch", "count": 200}).json()
    assert out["done"] == 200 and out["state"]["step"] == 5000 and out["stopped_early"] is None
    steps = [entry["step"] for entry in client.get(url).json()["history"]]
    assert steps[0] == 0 and steps[-1] == 5000
    assert 50 <= len(steps) <= 500
    gaps = np.diff(steps)
    # short probes first (one step, then one history gap), then equal chunks: later gaps alike (a
    # chunk's last is shorter by its remainder), none of the doubling ones of growing chunks
    regular = gaps[2:-1]
    assert regular.min() >= 0.8 * regular.max(), f"uneven gaps {sorted(set(regular.tolist()))}"
    assert gaps[0] == 1 and gaps[1] > 1  # only the probe iteration is one step apart


def test_a_small_network_s_long_step_is_planned_as_one_call_after_two_probes():
    """A probe of one iteration costs mostly what every call costs; a second probe of one history
    gap tells the iteration's own cost, so 20,000 cheap iterations go in one call, not five."""
    replan = stepping._equal(None, 20_000, stepping.CHUNK_SECONDS)
    assert replan(1, 1, 0.000300) == stepping.HISTORY_MIN_GAP  # 0.3 ms: mostly the call's own cost
    rest = replan(1 + stepping.HISTORY_MIN_GAP, stepping.HISTORY_MIN_GAP, 0.000790)  # 10 µs an iteration
    assert rest >= 20_000 - 1 - stepping.HISTORY_MIN_GAP
    cut = stepping._equal(None, 20_000, stepping.CHUNK_SECONDS)  # a deadline cut the second probe to one
    assert cut(1, 1, 0.000300) == stepping.HISTORY_MIN_GAP and 1 <= cut(2, 1, 0.000300) < 20_000
    slow = stepping._equal(Experiment.create(), 20_000, stepping.CHUNK_SECONDS)
    assert slow(1, 1, 0.05) > stepping.HISTORY_MIN_GAP  # 50 ms an iteration: planned from one probe


def test_the_same_request_in_steps_or_epochs_trains_alike(client):
    ids = [client.post("/api/networks", json={"seed": 3}).json()["id"] for _ in range(2)]
    client.post(f"/api/networks/{ids[0]}/step", json={"by": "phase", "count": 3})
    client.post(f"/api/networks/{ids[1]}/step", json={"by": "phase", "count": 3})
    by_epoch = client.post(f"/api/networks/{ids[0]}/step", json={"by": "epoch", "count": 7}).json()["state"]
    by_iteration = client.post(f"/api/networks/{ids[1]}/step", json={"by": "iteration", "count": 7 * 25}).json()["state"]
    assert by_epoch["epoch"] == by_iteration["epoch"] == 7 and by_epoch["step"] == by_iteration["step"] == 175
    assert by_epoch["weights"] == by_iteration["weights"]


def test_step_defaults_to_one_iteration(client, network):
    out = client.post(f"/api/networks/{network['id']}/step", json={}).json()
    assert out["state"]["step"] == 1


def test_step_by_phase_with_trace_names_every_phase(client, network):
    url = f"/api/networks/{network['id']}/step"
    out = client.post(url, json={"by": "phase", "count": 8, "trace": True}).json()
    phases = [(r["phase"], r["layer"]) for r in out["trace"]]
    assert phases == [("forward", 1), ("forward", 2), ("forward", 3), ("loss", None), ("backward", 3),
                      ("backward", 2), ("backward", 1), ("update", 1), ("update", 2), ("update", 3)]
    forward = out["trace"][0]
    assert np.shape(forward["z"]) == (10, 4) and np.shape(forward["a"]) == (10, 4)
    backward = out["trace"][4]
    assert np.shape(backward["delta"]) == (10, 1) and np.shape(backward["grad_weights"]) == (2, 1)
    update = out["trace"][7]
    assert np.allclose(np.subtract(update["weights_after"], update["weights_before"]), update["delta_weights"])
    assert out["state"]["step"] == 1 and out["state"]["phase"]["name"] == "forward"


def test_phase_cursor_moves_one_phase_at_a_time(client, network):
    url = f"/api/networks/{network['id']}/step"
    state = client.post(url, json={"by": "phase", "count": 3}).json()["state"]
    assert state["phase"] == {"name": "loss", "layer": None, "index": 3, "count": 8}
    assert state["step"] == 0


def test_traced_and_untraced_training_agree(client):
    a = client.post("/api/networks", json={"seed": 4}).json()["id"]
    b = client.post("/api/networks", json={"seed": 4}).json()["id"]
    wa = client.post(f"/api/networks/{a}/step", json={"count": 7}).json()["state"]["weights"]
    wb = client.post(f"/api/networks/{b}/step", json={"count": 7, "trace": True}).json()["state"]["weights"]
    assert wa == wb


def test_patch_changes_hyperparameters_without_reset(client, network):
    url = f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"count": 3})
    state = client.patch(url, json={"learning_rate": 0.1, "batch_size": 5, "momentum": 0.9,
                                    "regularization": "l2", "regularization_rate": 0.001}).json()
    assert state["step"] == 3
    assert state["config"]["learning_rate"] == 0.1 and state["config"]["batch_size"] == 5
    assert state["config"]["momentum"] == 0.9 and state["config"]["regularization"] == "l2"
    assert client.post(f"{url}/step", json={"count": 1}).json()["state"]["step"] == 4


def test_reset_with_same_seed_gives_same_weights(client, network):
    url = f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"by": "epoch", "count": 1})
    state = client.post(f"{url}/reset", json={}).json()
    assert state["weights"] == network["weights"] and state["step"] == 0 and len(state["history"]) == 1
    other = client.post(f"{url}/reset", json={"seed": 7}).json()
    assert other["weights"] != network["weights"] and other["config"]["seed"] == 7
    assert client.post(f"{url}/reset", json={"seed": 7}).json()["weights"] == other["weights"]


def test_predict_returns_outputs_and_every_layer(client, network):
    out = client.post(f"/api/networks/{network['id']}/predict", json={"x": [[0, 0], [5, 5]]}).json()
    assert np.shape(out["outputs"]) == (2, 1)
    assert [np.shape(a) for a in out["activations"]] == [(2, 2), (2, 4), (2, 2), (2, 1)]
    assert out["classes"] in ([0, 1], [1, 0], [0, 0], [1, 1])
    # the output is tanh of the last weighted sum
    assert np.allclose(np.tanh(out["z"][-1]), out["outputs"])


def test_data_returns_the_points(client, network):
    data = client.get(f"/api/networks/{network['id']}/data").json()
    assert np.shape(data["x_train"]) == (250, 2) and len(data["y_train"]) == 250
    assert set(data["y_train"]) == {0, 1} and data["kind"] == "classification" and data["n_classes"] == 2


def test_grid_bytes_decode_to_the_neuron_values(client, network):
    url = f"/api/networks/{network['id']}/grid"
    packed = client.get(url, params={"resolution": 20}).json()
    exact = client.get(url, params={"resolution": 20, "encoding": "float"}).json()
    assert packed["resolution"] == 20 and packed["extent"] == [-6.0, 6.0]
    assert [len(layer) for layer in packed["layers"]] == [2, 4, 2, 1]
    for layer_p, layer_f in zip(packed["layers"], exact["layers"]):
        for p, f in zip(layer_p, layer_f):
            assert p["id"] == f["id"]
            raw = np.frombuffer(base64.b64decode(p["data"]), dtype=np.uint8).reshape(20, 20)
            decoded = p["min"] + raw / 255 * (p["max"] - p["min"])
            assert np.allclose(decoded, f["values"], atol=(p["max"] - p["min"]) / 255)
    x1 = exact["layers"][0][0]["values"]
    x2 = exact["layers"][0][1]["values"]
    assert x1[0][0] == -6 and x1[0][-1] == 6  # column 0 is the left edge
    assert x2[0][0] == 6 and x2[-1][0] == -6  # row 0 is the top edge


def test_chain_rule_for_one_weight(client, network):
    url = f"/api/networks/{network['id']}"
    trace = client.post(f"{url}/step", json={"by": "phase", "count": 8, "trace": True}).json()["trace"]
    chain = client.get(f"{url}/chain", params={"weight": "L0N1-L1N2", "sample": 3}).json()
    assert chain["weight"] == "L0N1-L1N2" and chain["sample"] == 3
    f = chain["factors"]
    assert abs(f["dE_da"] * f["da_dz"] * f["dz_dw"] - chain["product"]) < 1e-12
    backward1 = next(r for r in trace if r["phase"] == "backward" and r["layer"] == 1)
    assert abs(chain["batch_mean"] - backward1["grad_weights"][1][2]) < 1e-12
    assert chain["update"]["weights_after"] == trace[-3]["weights_after"][1][2]


def test_gradcheck_agrees(client, network):
    out = client.get(f"/api/networks/{network['id']}/gradcheck").json()
    assert out["params_total"] == 25 and out["params_checked"] == 25
    assert out["max_relative_error"] < 1e-6


def test_export_import_gives_an_identical_network(client, network):
    url = f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"by": "phase", "count": 13, "trace": False})
    doc = client.get(f"{url}/export").json()
    imported = client.post("/api/networks/import", json=doc)
    assert imported.status_code == 201
    twin = imported.json()["id"]
    assert twin != network["id"]
    a = client.post(f"{url}/step", json={"by": "epoch", "count": 2}).json()["state"]
    b = client.post(f"/api/networks/{twin}/step", json={"by": "epoch", "count": 2}).json()["state"]
    assert a["weights"] == b["weights"] and a["step"] == b["step"] and a["history"] == b["history"]


def test_delete_forgets_the_network(client, network):
    url = f"/api/networks/{network['id']}"
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404
    assert client.delete(url).status_code == 404


def test_defaults_match_the_engine(client, network):
    for key in ("activation", "output_activation", "loss", "learning_rate", "batch_size", "init", "features"):
        expected = DEFAULTS[key] if key != "activation" else [DEFAULTS[key]] * 2
        assert network["config"][key] == expected
