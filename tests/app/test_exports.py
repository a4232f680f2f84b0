"""The model out: NumPy and PyTorch files that print the API's predictions, the history as CSV, the
drawing as SVG and PNG, and the largest allowed network through export and import."""
from __future__ import annotations

import importlib.util
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from app.drawing import layout
from app.settings import Settings
from tests.app.csv_samples import IRIS_LIKE, from_csv


def _predictions(client, network_id, rows):
    return client.post(f"/api/networks/{network_id}/predict", json={"x": rows}).json()["outputs"]


ROWS = [[0.5, -1.2], [-3.0, 2.25], [5.5, 0.0]]


def test_numpy_export_prints_the_apis_predictions(client, tmp_path):
    net = client.post("/api/networks", json={"dataset": {"name": "xor"}, "layers": [4, 5, 3, 1],
                                             "activation": ["relu", "sigmoid"], "features": ["x1", "x2", "x1_x2", "sin_x1"]}).json()
    client.post(f"/api/networks/{net['id']}/step", json={"by": "epoch", "count": 3})
    response = client.get(f"/api/networks/{net['id']}/export", params={"format": "numpy"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/x-python")
    model = tmp_path / "model.py"
    model.write_bytes(response.content)
    expected = _predictions(client, net["id"], ROWS)
    one = subprocess.run([sys.executable, str(model), "0.5", "-1.2"], capture_output=True, text=True, check=True)
    assert [float(v) for v in one.stdout.split()] == pytest.approx(expected[0], abs=1e-12)
    rows = subprocess.run([sys.executable, str(model)], input="".join(f"{a} {b}\n" for a, b in ROWS),
                          capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(rows) == 3
    for line, want in zip(rows, expected):
        assert [float(v) for v in line.split()] == pytest.approx(want, abs=1e-12)


def test_pytorch_export_runs_or_compiles(client, tmp_path):
    _, net = from_csv(client, IRIS_LIKE)
    source = client.get(f"/api/networks/{net['id']}/export", params={"format": "pytorch"}).text
    compile(source, "model_torch.py", "exec")
    assert "torch.nn.Sequential(" in source and ".double()" in source and "torch.nn.Softmax(dim=1)" in source
    if importlib.util.find_spec("torch") is None:
        return
    model = tmp_path / "model_torch.py"
    model.write_text(source)
    out = subprocess.run([sys.executable, str(model), "0.5", "-1.2"], capture_output=True, text=True, check=True)
    assert [float(v) for v in out.stdout.split()] == pytest.approx(_predictions(client, net["id"], ROWS)[0], abs=1e-12)


def test_csv_export_is_the_history(client, network):
    client.post(f"/api/networks/{network['id']}/step", json={"by": "epoch", "count": 2})
    response = client.get(f"/api/networks/{network['id']}/export", params={"format": "csv"})
    lines = response.text.splitlines()
    assert lines[0] == ("step,epoch,train_loss,test_loss,train_accuracy,test_accuracy,"
                        "grad_norm_1,grad_norm_2,grad_norm_3")
    history = client.get(f"/api/networks/{network['id']}").json()["history"]
    assert len(lines) == len(history) + 1
    assert float(lines[-1].split(",")[2]) == history[-1]["train_loss"]


def test_csv_upload_train_export_import_gives_identical_predictions(client):
    _, net = from_csv(client, IRIS_LIKE)
    client.post(f"/api/networks/{net['id']}/step", json={"by": "epoch", "count": 5})
    doc = client.get(f"/api/networks/{net['id']}/export").json()
    twin = client.post("/api/networks/import", json=doc).json()
    assert twin["config"]["dataset"]["labels"] == ["setosa", "versicolor", "virginica"]
    assert _predictions(client, twin["id"], ROWS) == _predictions(client, net["id"], ROWS)


def test_the_largest_allowed_network_exports_and_imports(client):
    s = Settings()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(s.max_points, s.max_neurons))
    data = {"x_train": x[:4000].tolist(), "y_train": np.sin(x[:4000, 0]).tolist(),
            "x_test": x[4000:].tolist(), "y_test": np.sin(x[4000:, 0]).tolist(), "kind": "regression"}
    layers = [s.max_neurons] * (s.max_hidden_layers + 1) + [1]
    created = client.post("/api/networks", json={"layers": layers, "momentum": 0.9, "learning_rate": 0.001,
                                                 "output_activation": "linear", "data": data})
    assert created.status_code == 201, created.text[:300]
    net = created.json()
    client.post(f"/api/networks/{net['id']}/step", json={"by": "iteration", "count": 3})
    exported = client.get(f"/api/networks/{net['id']}/export")
    assert len(exported.content) > s.max_body_bytes
    imported = client.post("/api/networks/import", content=exported.content,
                           headers={"content-type": "application/json"})
    assert imported.status_code == 201, imported.text[:300]
    assert imported.json()["weights"] == client.get(f"/api/networks/{net['id']}").json()["weights"]


def _expected_size(layers: list[int]) -> tuple[int, int]:
    width = layout.MARGIN + 60 + len(layers) * layout.COLUMN + layout.MAP_SIZE + layout.MARGIN
    tall = max(layers) * (layout.TILE + layout.GAP)
    return width, layout.TOP + max(tall, layout.MAP_SIZE + 80) + layout.MARGIN


def test_svg_export_is_an_svg_of_the_layouts_size_with_a_heatmap_per_neuron(client):
    _, net = from_csv(client, IRIS_LIKE)
    response = client.get(f"/api/networks/{net['id']}/export", params={"format": "svg"})
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
    assert response.headers["content-disposition"] == 'attachment; filename="network.svg"'
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert (int(root.get("width")), int(root.get("height"))) == _expected_size([2, 4, 2, 3])
    images = root.findall("{http://www.w3.org/2000/svg}image")
    assert len(images) == 2 + 4 + 2 + 3 + 1  # every neuron, and the output map
    assert all(i.get("href").startswith("data:image/png;base64,iVBORw0KGgo") for i in images)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"length", "width", "setosa", "versicolor", "virginica"} <= set(texts)


def test_png_export_is_a_png_twice_the_layouts_size(client, network):
    response = client.get(f"/api/networks/{network['id']}/export", params={"format": "png"})
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    body = response.content
    assert body[:8] == b"\x89PNG\r\n\x1a\n" and body[12:16] == b"IHDR"
    width, height = struct.unpack(">II", body[16:24])
    assert (width, height) == tuple(2 * n for n in _expected_size([2, 4, 2, 1]))


def test_grid_of_three_inputs_is_a_slice_with_the_others_at_their_mean(client):
    csv = "a,b,c,y\n" + "".join(f"{i},{2 * i},{i % 3},{i % 2}\n" for i in range(10))
    _, net = from_csv(client, csv)
    grid = client.get(f"/api/networks/{net['id']}/grid", params={"resolution": 4, "axes": "2,0"}).json()
    assert grid["plane"]["x"] == {"input": 2, "label": "c", "min": -0.1, "max": 2.1}
    assert grid["plane"]["y"]["label"] == "a" and grid["extent"] == [-0.1, 2.1]
    train = client.get(f"/api/networks/{net['id']}/data").json()["x_train"]
    assert grid["plane"]["fixed"] == [{"input": 1, "label": "b", "value": float(np.mean([r[1] for r in train]))}]
    assert [len(layer) for layer in grid["layers"]] == [3, 4, 2, 1]
    bad = client.get(f"/api/networks/{net['id']}/grid", params={"axes": "0,7"})
    assert bad.status_code == 422 and bad.json()["detail"] == "axes: input 7 does not exist; the data have inputs 0 to 2"


def test_grid_of_two_input_data_is_the_input_plane(client, network):
    grid = client.get(f"/api/networks/{network['id']}/grid", params={"resolution": 4}).json()
    assert grid["extent"] == [-6, 6] and grid["plane"]["x"]["min"] == -6 and grid["plane"]["fixed"] == []
