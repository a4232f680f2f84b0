"""The exported model files run as programs on networks of every shape the page makes: a CSV's three
inputs and three named classes (softmax), and input features with leaky ReLU and sigmoid. The NumPy
file runs as it is; the PyTorch file runs on a NumPy stand-in for torch (tests/app/fake_torch) where
torch is not installed, which checks the file's own choices (layer order, transposed weights,
activations, features) to 1e-12; test_exports.py runs it on real torch when it is there."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app.csv_samples import from_csv

FAKE_TORCH = Path(__file__).parent / "fake_torch"
THREE_INPUTS = "a,b,c,flower\n" + "".join(
    f"{0.4 * i - 5:.2f},{(i * 7) % 11 * 0.5 - 2.5:.2f},{(i * 5) % 13 * 0.3:.2f},{('iris', 'rose', 'tulip')[i % 3]}\n"
    for i in range(45))


def _trained_csv_network(client):
    _, net = from_csv(client, THREE_INPUTS, activation=["relu", "tanh"])
    client.post(f"/api/networks/{net['id']}/step", json={"by": "epoch", "count": 4})
    return net, [[0.5, -1.2, 2.0], [-3.0, 2.25, 0.0], [5.5, 0.0, -1.5]]


def _trained_feature_network(client):
    net = client.post("/api/networks", json={
        "dataset": {"name": "moons"}, "layers": [5, 3, 2, 1], "activation": ["leaky_relu", "sigmoid"],
        "features": ["x1", "x2", "x1_squared", "x2_squared", "sin_x2"]}).json()
    client.post(f"/api/networks/{net['id']}/step", json={"by": "epoch", "count": 3})
    return net, [[0.5, -1.2], [-3.0, 2.25], [5.5, 0.0]]


def _run(path: Path, rows, env=None) -> list[list[float]]:
    one = subprocess.run([sys.executable, str(path), *map(str, rows[0])], capture_output=True, text=True,
                         check=True, env=env)
    many = subprocess.run([sys.executable, str(path)], input="".join(" ".join(map(str, r)) + "\n" for r in rows),
                          capture_output=True, text=True, check=True, env=env)
    printed = [[float(v) for v in line.split()] for line in many.stdout.splitlines()]
    # one row alone may round in its last bit unlike the same row in a batch (BLAS's order of sums)
    assert [float(v) for v in one.stdout.split()] == pytest.approx(printed[0], abs=1e-12)
    return printed


@pytest.mark.parametrize("make", [_trained_csv_network, _trained_feature_network], ids=["csv", "features"])
@pytest.mark.parametrize("fmt", ["numpy", "pytorch"])
def test_exported_file_prints_the_apis_predictions(client, tmp_path, make, fmt):
    net, rows = make(client)
    response = client.get(f"/api/networks/{net['id']}/export", params={"format": fmt})
    assert response.status_code == 200
    path = tmp_path / "model.py"
    path.write_bytes(response.content)
    env = None
    if fmt == "pytorch":
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(FAKE_TORCH), os.environ.get("PYTHONPATH")]))}
        try:
            import torch  # noqa: F401  # real torch shadows the stand-in: the file runs on it
        except ImportError:
            pass
    expected = client.post(f"/api/networks/{net['id']}/predict", json={"x": rows}).json()["outputs"]
    printed = _run(path, rows, env)
    assert len(printed) == len(rows)
    for got, want in zip(printed, expected):
        assert got == pytest.approx(want, abs=1e-12)


def test_an_imported_csv_network_continues_bit_for_bit(client):
    net, rows = _trained_csv_network(client)
    doc = client.get(f"/api/networks/{net['id']}/export").json()
    twin = client.post("/api/networks/import", json=doc).json()
    for network_id in (net["id"], twin["id"]):
        client.post(f"/api/networks/{network_id}/step", json={"by": "epoch", "count": 3})
    a, b = (client.get(f"/api/networks/{i}").json() for i in (net["id"], twin["id"]))
    assert (a["weights"], a["biases"], a["step"], a["history"]) == (b["weights"], b["biases"], b["step"], b["history"])
    predict = lambda i: client.post(f"/api/networks/{i}/predict", json={"x": rows}).json()["outputs"]  # noqa: E731
    assert predict(net["id"]) == predict(twin["id"])
