"""The engine issue's worked example through the API: a 2-2-1 sigmoid/mse network, explicit weights,
one sample. Every number of one traced iteration is checked against arithmetic done here by hand."""
from __future__ import annotations

import math

X = [0.05, 0.10]
Y = 0.01
W0 = [[0.15, 0.25], [0.20, 0.30]]  # W0[i][j]: input i → hidden j
B0 = [0.35, 0.35]
W1 = [[0.40], [0.45]]              # hidden i → output
B1 = [0.60]
ETA = 0.5


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def by_hand() -> dict:
    z1 = [X[0] * W0[0][j] + X[1] * W0[1][j] + B0[j] for j in range(2)]      # eq. 1
    a1 = [sigmoid(z) for z in z1]                                          # eq. 2
    z2 = a1[0] * W1[0][0] + a1[1] * W1[1][0] + B1[0]
    y_hat = sigmoid(z2)
    loss = 0.5 * (Y - y_hat) ** 2                                          # eq. 5
    dE_dy = y_hat - Y
    delta2 = dE_dy * y_hat * (1 - y_hat)                                   # eq. 4, first two factors
    grad_w1 = [[a1[i] * delta2] for i in range(2)]                         # eq. 4, third factor
    delta1 = [delta2 * W1[j][0] * a1[j] * (1 - a1[j]) for j in range(2)]
    grad_w0 = [[X[i] * delta1[j] for j in range(2)] for i in range(2)]
    new_w0 = [[W0[i][j] - ETA * grad_w0[i][j] for j in range(2)] for i in range(2)]  # eq. 6
    new_w1 = [[W1[i][0] - ETA * grad_w1[i][0]] for i in range(2)]
    new_b0 = [B0[j] - ETA * delta1[j] for j in range(2)]
    new_b1 = [B1[0] - ETA * delta2]
    return locals()


def close(a, b, tol=1e-9) -> bool:
    if isinstance(a, list):
        return len(a) == len(b) and all(close(x, y, tol) for x, y in zip(a, b))
    return abs(a - b) <= tol


def test_worked_example_through_the_api(client):
    body = {"layers": [2, 2, 1], "activation": "sigmoid", "output_activation": "sigmoid", "loss": "mse",
            "learning_rate": ETA, "batch_size": 1, "data": {"x_train": [X], "y_train": [Y]},
            "weights": [W0, W1], "biases": [B0, B1]}
    created = client.post("/api/networks", json=body)
    assert created.status_code == 201
    state = created.json()
    assert state["config"]["init"] == "explicit" and state["weights"] == [W0, W1]

    out = client.post(f"/api/networks/{state['id']}/step", json={"by": "iteration", "count": 1, "trace": True})
    assert out.status_code == 200
    records = {(r["phase"], r["layer"]): r for r in out.json()["trace"]}
    hand = by_hand()

    assert close(records[("forward", 1)]["z"], [hand["z1"]])
    assert close(records[("forward", 1)]["a"], [hand["a1"]])
    assert close(records[("forward", 2)]["z"], [[hand["z2"]]])
    assert close(records[("forward", 2)]["a"], [[hand["y_hat"]]])
    assert close(records[("loss", None)]["loss"], hand["loss"])
    assert close(records[("loss", None)]["per_sample"], [hand["loss"]])
    assert close(records[("loss", None)]["dE_dy"], [[hand["dE_dy"]]])
    assert close(records[("backward", 2)]["delta"], [[hand["delta2"]]])
    assert close(records[("backward", 2)]["grad_weights"], hand["grad_w1"])
    assert close(records[("backward", 1)]["delta"], [hand["delta1"]])
    assert close(records[("backward", 1)]["grad_weights"], hand["grad_w0"])
    assert close(records[("update", 1)]["weights_after"], hand["new_w0"])
    assert close(records[("update", 2)]["weights_after"], hand["new_w1"])
    assert close(records[("update", 1)]["biases_after"], hand["new_b0"])
    assert close(records[("update", 2)]["biases_after"], hand["new_b1"])

    after = out.json()["state"]
    assert close(after["weights"], [hand["new_w0"], hand["new_w1"]])
    assert close(after["biases"], [hand["new_b0"], hand["new_b1"]])
    assert after["step"] == 1 and after["epoch"] == 1
