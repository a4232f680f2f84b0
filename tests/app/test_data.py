"""Your own data through the API: CSV in, points replaced mid-run, and the model out (and back in)."""
from __future__ import annotations

import pytest

from app.main import create_app
from app.settings import Settings
from tests.app.conftest import TestClient
from tests.app.csv_samples import IRIS_LIKE, from_csv, upload
from tests.app.test_live import receive

def networks_in_memory(client) -> int:
    return client.get("/api/health").json()["networks_in_memory"]


def test_csv_with_named_classes_gives_a_softmax_network_that_keeps_the_names(client):
    parsed, net = from_csv(client, IRIS_LIKE)
    assert parsed["columns"] == ["length", "width", "species"] and parsed["header"] is True
    assert parsed["labels"] == ["setosa", "versicolor", "virginica"] and parsed["n_classes"] == 3
    assert parsed["network"] == {"layers": [2, 4, 2, 3], "output_activation": "softmax",
                                 "loss": "categorical_cross_entropy"}
    assert len(parsed["x"]) == 60 and len(parsed["data"]["x_train"]) == 30
    assert net["feature_labels"] == ["length", "width"] and net["n_classes"] == 3
    assert net["config"]["dataset"] == {"name": "custom", "columns": ["length", "width"], "target": "species",
                                        "labels": ["setosa", "versicolor", "virginica"]}
    data = client.get(f"/api/networks/{net['id']}/data").json()
    assert data["labels"] == ["setosa", "versicolor", "virginica"] and data["columns"] == ["length", "width"]


def test_csv_split_follows_train_ratio_and_seed(client):
    a = upload(client, IRIS_LIKE, train_ratio=0.8, seed=4).json()["data"]
    b = upload(client, IRIS_LIKE, train_ratio=0.8, seed=5).json()["data"]
    assert len(a["x_train"]) == 48 and a["x_train"] != b["x_train"]


def test_csv_column_choice_and_kind_override(client):
    out = upload(client, "a,b,c\n1,2,3\n4,5,6\n7,8,9\n", target="a", inputs="c", kind="regression").json()
    assert out["inputs"] == ["c"] and out["target"] == "a" and out["kind"] == "regression"
    assert out["labels"] is None and out["y"] == [1.0, 4.0, 7.0]
    assert out["network"]["output_activation"] == "linear"


@pytest.mark.parametrize("text, message", [
    ("a,b,c\n1,2,x\n3,abc,y\n", "line 3, column 2: 'abc' is not a number"),
    ("a,b,c\n1,2,x\n3,4\n", "line 3 has 2 values but line 1 has 3 values; give every line the same number of values"),
    ("", "the CSV is empty; give one line per point (a header line first is optional)"),
    ("a,b,c\n", "the CSV has a header line but no data; add one line per point below it"),
    ("a,label\n1,cat\n2,cat\n", "the target column 'label' holds only one class ('cat'); classification needs "
                                "at least 2 classes"),
    (b"a,b\n1,\xff\n", "line 2: the file is not UTF-8 text (byte 0xff at position 6); save it as CSV in UTF-8"),
])
def test_each_bad_csv_gets_its_message_and_leaves_nothing(client, text, message):
    response = upload(client, text)
    assert response.status_code == 422
    assert response.json()["detail"] == message
    assert networks_in_memory(client) == 0


def test_csv_limits_on_rows_columns_and_bytes(tmp_path):
    settings = Settings(db_path=str(tmp_path / "db.sqlite3"), max_points=5, max_neurons=3, max_body_bytes=100)
    with TestClient(create_app(settings)) as client:
        rows = upload(client, "a,b\n" + "1,0\n2,1\n" * 3)
        assert rows.status_code == 422
        assert rows.json()["detail"] == ("the CSV has 6 data lines, more than the limit of 5 (max_points); "
                                         "keep at most 5 points")
        columns = upload(client, "1,2,3,4\n5,6,7,8\n")
        assert columns.status_code == 422
        assert columns.json()["detail"] == ("line 1 has 4 columns, more than the limit of 3 (max_neurons); "
                                            "keep at most 3 columns")
        big = upload(client, "1,0\n" * 200)  # 800 bytes: past 5 points × 4 numbers × 28 bytes
        assert big.status_code == 413
        assert big.json()["detail"].startswith("request body is larger than the limit of 560 bytes (computed from")
        assert networks_in_memory(client) == 0


def test_csv_needs_a_csv_content_type(client):
    response = client.post("/api/datasets/csv", json={"x": 1})
    assert response.status_code == 422
    assert response.json()["detail"] == "send the file as the body with Content-Type: text/csv (got 'application/json')"


def test_put_data_keeps_weights_momentum_and_counters_and_restarts_the_epoch(client):
    _, net = from_csv(client, IRIS_LIKE, momentum=0.5, batch_size=7)
    url = f"/api/networks/{net['id']}"
    state = client.post(f"{url}/step", json={"by": "iteration", "count": 3}).json()["state"]
    before = client.get(f"{url}/export").json()
    points = {"x_train": [[0, 0], [1, 1], [2, 2], [3, 3]], "y_train": [0, 1, 2, 0], "labels": ["a", "b", "c"],
              "columns": ["p", "q"]}
    replaced = client.put(f"{url}/data", json=points)
    assert replaced.status_code == 200, replaced.text
    after = client.get(f"{url}/export").json()
    assert after["weights"] == before["weights"] and after["velocity"] == before["velocity"]
    assert after["rng"] == before["rng"] and after["initial"] == before["initial"]
    assert after["counters"] == {"step": 3, "epoch": 0, "cursor": 0, "offset": 0, "batch": 0}
    assert after["data"]["x_train"] == points["x_train"] and after["history"][:-1] == before["history"][:-1]
    assert replaced.json()["feature_labels"] == ["p", "q"] and replaced.json()["n_train"] == 4
    assert replaced.json()["train_loss"] != state["train_loss"]
    assert client.get(f"{url}/data").json()["labels"] == ["a", "b", "c"]
    stepped = client.post(f"{url}/step", json={"by": "iteration", "count": 1}).json()["state"]
    assert stepped["step"] == 4 and stepped["epoch"] == 1  # 4 points, batches of 7: one iteration is an epoch


def test_put_data_is_saved(tmp_path):
    settings = Settings(db_path=str(tmp_path / "db.sqlite3"))
    with TestClient(create_app(settings)) as client:
        _, net = from_csv(client, IRIS_LIKE)
        put = client.put(f"/api/networks/{net['id']}/data", json={"x_train": [[0, 0], [1, 1], [2, 2]], "y_train": [0, 1, 2]})
        assert put.status_code == 200
    with TestClient(create_app(settings)) as client:
        assert client.get(f"/api/networks/{net['id']}/data").json()["x_train"] == [[0, 0], [1, 1], [2, 2]]


def test_put_data_that_does_not_fit_changes_nothing(client):
    _, net = from_csv(client, IRIS_LIKE)
    url = f"/api/networks/{net['id']}"
    before = client.get(f"{url}/export").json()
    wrong = client.put(f"{url}/data", json={"x_train": [[0, 0, 0], [1, 1, 1]], "y_train": [0, 1]})
    assert wrong.status_code == 422
    assert wrong.json()["detail"] == ("layers[0] is 2 but the data has 3 input columns; the input layer needs "
                                      "one neuron per input")
    labels = client.put(f"{url}/data", json={"x_train": [[0, 0], [1, 1]], "y_train": [0, 1], "labels": ["a"]})
    assert labels.status_code == 422 and labels.json()["detail"].startswith("labels has 1 names but the data has 2")
    assert client.get(f"{url}/export").json() == before


def test_put_data_tells_live_viewers_to_read_the_new_points(client):
    _, net = from_csv(client, IRIS_LIKE)
    url = f"/api/networks/{net['id']}"
    with client.websocket_connect(f"{url}/live", follower=True) as ws:
        assert ws.receive_json()["type"] == "frame"
        client.put(f"{url}/data", json={"x_train": [[0, 0], [1, 1], [2, 2]], "y_train": [0, 1, 2]})
        assert receive(ws, "data") == {"type": "data"}
