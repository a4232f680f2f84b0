"""Every refusal: status first, then the exact message that tells the client what to fix."""
from __future__ import annotations

import time

import numpy as np
import pytest

from app.main import create_app
from tests.app.conftest import TestClient
from tests.app.timing import idle_latency

MISSING = "AAAAAAAAAAAAAAAAAAAAAA"
NOT_FOUND = ("no network with id '{}'; it may have expired or been deleted. Create one with POST /api/networks")


@pytest.mark.parametrize("method, path, body", [
    ("get", "/api/networks/{}", None),
    ("patch", "/api/networks/{}", {"learning_rate": 0.1}),
    ("delete", "/api/networks/{}", None),
    ("post", "/api/networks/{}/step", {"by": "iteration"}),
    ("post", "/api/networks/{}/reset", {}),
    ("post", "/api/networks/{}/predict", {"x": [[0, 0]]}),
    ("get", "/api/networks/{}/data", None),
    ("get", "/api/networks/{}/grid", None),
    ("get", "/api/networks/{}/chain?weight=L0N0-L1N0", None),
    ("get", "/api/networks/{}/gradcheck", None),
    ("get", "/api/networks/{}/export", None),
])
@pytest.mark.parametrize("network_id", [MISSING, "not-an-id"])
def test_unknown_network_is_404_everywhere(client, method, path, body, network_id):
    kwargs = {"json": body} if body is not None else {}
    response = client.request(method.upper(), path.format(network_id), **kwargs)
    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND.format(network_id)}


def test_validation_errors_name_the_field_and_value(client):
    response = client.post("/api/networks", json={"learning_rate": -1})
    assert response.status_code == 422
    assert response.json()["detail"] == "learning_rate: Input should be greater than 0 (got -1)"
    assert response.json()["errors"][0]["loc"] == ["body", "learning_rate"]


@pytest.mark.parametrize("body, detail", [
    ({"activation": "swish"}, "activation: Input should be 'sigmoid', 'tanh', 'relu', 'leaky_relu' or 'linear' (got 'swish')"),
    ({"layers": [2]}, "layers: List should have at least 2 items after validation, not 1"),
    ({"momentum": 1}, "momentum: Input should be less than 1 (got 1)"),
    ({"learnig_rate": 0.1}, "learnig_rate: Extra inputs are not permitted (got 0.1)"),
    ({"dataset": {"name": "circle", "noise": 80}}, "dataset.noise: Input should be less than or equal to 50 (got 80)"),
    ({"features": ["x3"]}, "features[0]: Input should be 'x1', 'x2', 'x1_squared', 'x2_squared', 'x1_x2', 'sin_x1' or 'sin_x2' (got 'x3')"),
    ({"dataset": {}, "data": {"x_train": [[1, 2]], "y_train": [1]}},
     "body: Value error, give either dataset (a generated one) or data (your own points), not both"),
])
def test_create_rejects_bad_fields(client, body, detail):
    response = client.post("/api/networks", json=body)
    assert response.status_code == 422
    assert response.json()["detail"] == detail


@pytest.mark.parametrize("body, detail", [
    ({"layers": [2, 4, 1, 1]}, None),  # valid: control
    ({"layers": [3, 4, 1]}, "layers[0] is 3 but 2 features are selected; the input layer needs one neuron per input"),
    ({"loss": "binary_cross_entropy"}, "loss 'binary_cross_entropy' needs a sigmoid output, not 'tanh'; "
                                       "with a tanh output use loss 'mse'"),
    ({"layers": [2, 0, 1]}, "every layer needs at least one neuron, got layers [2, 0, 1]"),
    ({"layers": [2, 4, 1], "weights": [[[1, 2]], [[1]]], "biases": [[0, 0, 0, 0], [0]]},
     "weights[0] must have shape [2, 4] (n_0 × n_1), got [1, 2]"),
    ({"layers": [2, 4, 1], "weights": [[[0] * 4] * 2, [[0]] * 4]}, "give both weights and biases, or neither"),
    ({"data": {"x_train": [[1, 2], [3]], "y_train": [0, 1]}},
     "x_train is ragged: row 0 has 2 values but row 1 has 1 value; give every row the same number of plain numbers"),
    ({"data": {"x_train": [[1, 2], [3, 4]], "y_train": [0, 0]}},
     "y_train holds only class 0; classification needs at least 2 different classes"),
])
def test_create_rejects_what_the_engine_refuses(client, body, detail):
    response = client.post("/api/networks", json=body)
    if detail is None:
        assert response.status_code == 201
    else:
        assert response.status_code == 422
        assert response.json() == {"detail": detail}


@pytest.mark.parametrize("body, detail", [
    ({"layers": [2] + [4] * 9 + [1]}, "layers: 9 hidden layers is more than the limit of 8 hidden layers (max_hidden_layers)"),
    ({"layers": [2, 65, 1]}, "layers[1]: 65 neurons is more than the limit of 64 neurons (max_neurons)"),
    ({"layers": [2, 10 ** 9, 1]}, "layers[1]: 1000000000 neurons is more than the limit of 64 neurons (max_neurons)"),
    ({"data": {"x_train": [[0.0, 0.0]] * 5001, "y_train": [0, 1] * 2500 + [0]}},
     "data: 5001 points is more than the limit of 5000 points (max_points)"),
])
def test_create_refuses_past_the_limits(client, body, detail):
    response = client.post("/api/networks", json=body)
    assert response.status_code == 422
    assert response.json() == {"detail": detail}


def test_limits_come_from_settings(settings):
    small = settings.replace(max_neurons=8, max_grid_resolution=30)
    with TestClient(create_app(small)) as c:
        response = c.post("/api/networks", json={"layers": [2, 9, 1]})
        assert response.json() == {"detail": "layers[1]: 9 neurons is more than the limit of 8 neurons (max_neurons)"}
        network_id = c.post("/api/networks", json={}).json()["id"]
        response = c.get(f"/api/networks/{network_id}/grid", params={"resolution": 31})
        assert response.status_code == 422
        assert response.json() == {"detail": "resolution: 31 is more than the limit of 30 (max_grid_resolution)"}
        assert c.get("/api/options").json()["limits"]["max_neurons"] == 8


def test_body_over_two_megabytes_is_413(client, network):
    big = b'{"x": [' + b"[0.123456789, 0.123456789]," * 80000 + b'[0, 0]]}'
    response = client.post(f"/api/networks/{network['id']}/predict", content=big,
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"detail": "request body is larger than the limit of 2097152 bytes "
                                         "(max_body_bytes); send fewer points or a smaller document"}


def test_chunked_body_over_two_megabytes_is_413(client, network):
    def chunks():
        yield b'{"x": ['
        for _ in range(100):
            yield b"[0.123456789, 0.123456789]," * 800
        yield b'[0, 0]]}'

    response = client.post(f"/api/networks/{network['id']}/predict", content=chunks(),
                           headers={"content-type": "application/json"})
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json() == {"detail": "request body is larger than the limit of 2097152 bytes "
                                         "(max_body_bytes); send fewer points or a smaller document"}


def test_invalid_json_is_422(client):
    response = client.post("/api/networks", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("request body is not valid JSON: ")


@pytest.mark.parametrize("body, detail", [
    ({"by": "century"}, "by: Input should be 'phase', 'iteration' or 'epoch' (got 'century')"),
    ({"count": 0}, "count: Input should be greater than or equal to 1 (got 0)"),
    ({"count": 100001}, "count: 100001 iterations is more than the limit of 100000 iterations (max_steps_per_request)"),
    ({"by": "epoch", "count": 1001}, "count: 1001 epochs is more than the limit of 1000 epochs (max_epochs_per_request)"),
    ({"by": "phase", "count": 10001}, "count: 10001 phases is more than the limit of 10000 phases (max_phases_per_request)"),
    ({"by": "iteration", "count": 2000, "trace": True},
     "count: a trace of 20000 records is more than the limit of 5000 records "
     "(max_trace_records; ask for fewer steps, or step without trace)"),
])
def test_step_rejects_bad_requests(client, network, body, detail):
    response = client.post(f"/api/networks/{network['id']}/step", json=body)
    assert response.status_code == 422
    assert response.json()["detail"] == detail
    assert client.get(f"/api/networks/{network['id']}").json()["step"] == 0  # nothing ran


def test_step_rejects_a_trace_with_too_many_numbers(client):
    network_id = client.post("/api/networks", json={"layers": [2, 64, 64, 1], "batch_size": 250}).json()["id"]
    response = client.post(f"/api/networks/{network_id}/step", json={"count": 10, "trace": True})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("count: a trace of about ")
    assert response.json()["detail"].endswith(" numbers is more than the limit of 1000000 numbers "
                                              "(max_trace_numbers; ask for fewer steps, or step without trace)")


def test_step_stops_at_its_time_budget(settings):
    quick = settings.replace(step_time_budget=0.5)
    with TestClient(create_app(quick)) as c:
        network_id = c.post("/api/networks", json={"layers": [2, 64, 64, 64, 1], "batch_size": 250,
                                                   "dataset": {"samples": 5000}}).json()["id"]
        one = idle_latency(lambda: c.post(f"/api/networks/{network_id}/step", json={}), tries=3)
        started = time.monotonic()  # 1000 epochs: 20,000 iterations of 250 points, far past the budget
        out = c.post(f"/api/networks/{network_id}/step", json={"by": "epoch", "count": 1000}).json()
        seconds = time.monotonic() - started
        assert out["done"] < 1000 and out["state"]["epoch"] == out["done"] and out["state"]["step"] > 0
        assert out["stopped_early"] == (f"stopped after {out['done']} of 1000 epochs: the request used its 0.5 s "
                                        f"time budget (step_time_budget); send another step request for the rest")
        assert seconds < 0.5 + 3 + 10 * one, f"{seconds:.1f} s: a chunk must be short enough to stop near the budget"


def test_diverged_network_refuses_to_step_with_409(client):
    network_id = client.post("/api/networks", json={"layers": [2, 8, 1], "activation": "linear",
                                                   "output_activation": "linear", "learning_rate": 50,
                                                   "dataset": {"name": "plane"}}).json()["id"]
    out = client.post(f"/api/networks/{network_id}/step", json={"by": "epoch", "count": 20}).json()
    diverged = out["state"]["diverged"]
    assert diverged is not None and diverged["reason"].startswith("the loss exploded at step")
    response = client.post(f"/api/networks/{network_id}/step", json={"count": 1})
    assert response.status_code == 409
    assert response.json()["detail"] == (f"training diverged at step {diverged['step']}: {diverged['reason']}. "
                                         f"Reset the network (POST …/reset), lowering the learning rate first.")
    client.patch(f"/api/networks/{network_id}", json={"learning_rate": 0.001})
    assert client.post(f"/api/networks/{network_id}/reset", json={}).json()["diverged"] is None
    assert client.post(f"/api/networks/{network_id}/step", json={"count": 1}).status_code == 200


def test_patch_needs_something_to_change(client, network):
    response = client.patch(f"/api/networks/{network['id']}", json={})
    assert response.status_code == 422
    assert response.json() == {"detail": "nothing to change: give any of learning_rate, batch_size, momentum, "
                                         "regularization, regularization_rate"}
    response = client.patch(f"/api/networks/{network['id']}", json={"layers": [2, 1]})
    assert response.status_code == 422
    assert response.json()["detail"] == "layers: Extra inputs are not permitted"


def test_predict_rejects_wrong_width_and_too_many_points(client, network):
    url = f"/api/networks/{network['id']}/predict"
    response = client.post(url, json={"x": [[1, 2, 3]]})
    assert response.status_code == 422
    assert response.json() == {"detail": "x must be a list of rows with 2 numbers each"}
    response = client.post(url, json={"x": [[0, 0]] * 5001})
    assert response.json() == {"detail": "x: 5001 points is more than the limit of 5000 points (max_points)"}


def test_grid_of_one_input_data_sweeps_that_input(client):
    network_id = client.post("/api/networks", json={"layers": [1, 2, 1], "output_activation": "linear",
                                                   "data": {"x_train": [1.0, 2.0], "y_train": [1.0, 2.0]}}).json()["id"]
    grid = client.get(f"/api/networks/{network_id}/grid", params={"resolution": 3, "encoding": "float"}).json()
    assert grid["plane"] == {"x": {"input": 0, "label": "x1", "min": 0.95, "max": 2.05}, "y": None, "fixed": []}
    output = grid["layers"][-1][0]["values"]
    assert output[0] == output[1] == output[2] and output[0][0] != output[0][2]
    response = client.get(f"/api/networks/{network_id}/grid", params={"axes": "0,1"})
    assert response.status_code == 422
    assert response.json() == {"detail": "one-input data have one axis: leave axes out"}


def test_grid_resolution_bounds(client, network):
    url = f"/api/networks/{network['id']}/grid"
    assert client.get(url, params={"resolution": 201}).json() == {
        "detail": "resolution: 201 is more than the limit of 200 (max_grid_resolution)"}
    assert client.get(url, params={"resolution": 1}).json()["detail"] == \
        "resolution: Input should be greater than or equal to 2 (got '1')"


@pytest.mark.parametrize("query, detail", [
    ({"weight": "L0N5-L1N0"}, "weight 'L0N5-L1N0' does not exist in a network with layers [2, 4, 2, 1]"),
    ({"weight": "bogus"}, "weight id 'bogus' must look like L0N1-L1N2 (from neuron 1 of layer 0 to neuron 2 of layer 1)"),
    ({"weight": "L0N0-L1N0", "sample": 10}, "sample must be between 0 and 9 (the mini-batch has 10 samples)"),
])
def test_chain_rejects_unknown_weight_or_sample(client, network, query, detail):
    response = client.get(f"/api/networks/{network['id']}/chain", params=query)
    assert response.status_code == 422
    assert response.json() == {"detail": detail}


def test_import_rejects_documents_that_are_not_exports(client, network):
    assert client.post("/api/networks/import", json={"hello": 1}).json()["detail"] == \
        "format: Field required; config: Field required; data: Field required"
    doc = client.get(f"/api/networks/{network['id']}/export").json()
    response = client.post("/api/networks/import", json={**doc, "format": 99})
    assert response.status_code == 422
    assert response.json() == {"detail": "unsupported document format 99; expected 1"}
    broken = {**doc, "counters": {}}
    response = client.post("/api/networks/import", json=broken)
    assert response.status_code == 422
    assert response.json() == {"detail": "not a valid exported network: counters.step must be a whole number ≥ 0"}
    huge = {**doc, "config": {**doc["config"], "layers": [2, 100, 1]}}
    assert client.post("/api/networks/import", json=huge).json() == {
        "detail": "config.layers[1]: 100 neurons is more than the limit of 64 neurons (max_neurons)"}


def test_unknown_route_and_method(client):
    assert client.get("/api/nothing").json() == {"detail": "no such endpoint; see /docs for the API"}
    response = client.put("/api/networks", json={})
    assert response.status_code == 405
    assert response.json() == {"detail": "this endpoint does not accept that HTTP method; see /docs for the API"}


@pytest.mark.parametrize("body, detail", [
    ({"layers": [2, 4, 1], "weights": [[[0.0] * 4] * 65, [[0.0]] * 4], "biases": [[0.0] * 4, [0.0]]},
     "weights[0] has 65 rows; a layer has at most 64 neurons (max_neurons)"),
    ({"layers": [2, 4, 1], "weights": [[[0.0] * 4, [0.0] * 70], [[0.0]] * 4], "biases": [[0.0] * 4, [0.0]]},
     "weights[0][1] has 70 columns; a layer has at most 64 neurons (max_neurons)"),
    ({"layers": [2, 4, 1], "weights": [[[0.0] * 4] * 2, [[0.0]] * 4], "biases": [[0.0] * 100, [0.0]]},
     "biases[0] has 100 numbers; a layer has at most 64 neurons (max_neurons)"),
    ({"layers": [2, 4, 1], "weights": [[[0.0]]] * 10, "biases": [[0.0]] * 10},
     "weights has 10 matrices, one a weight layer; a network has at most 9 weight layers "
     "(8 hidden layers, max_hidden_layers)"),
])
def test_create_refuses_explicit_parameters_past_the_limits(client, body, detail):
    response = client.post("/api/networks", json=body)
    assert response.status_code == 422
    assert response.json() == {"detail": detail}


@pytest.mark.parametrize("kwargs, sent", [
    ({"content": b'{"count": 1}', "headers": {"content-type": "text/plain"}}, "got 'text/plain'"),
    ({"data": {"count": "1"}}, "got 'application/x-www-form-urlencoded'"),
    ({"files": {"count": ("count.json", b'{"count": 1}')}}, "got 'multipart/form-data'"),
    ({"content": b'{"count": 1}'}, "no Content-Type was given"),
])
def test_a_body_that_is_not_declared_json_is_refused_with_how_to_send_it(client, network, kwargs, sent):
    response = client.post(f"/api/networks/{network['id']}/step", **kwargs)
    assert response.status_code == 422  # with the owner's key: the route says it (without: 415, test_security)
    assert response.json()["detail"] == f"send the body as JSON with Content-Type: application/json ({sent})"


@pytest.mark.parametrize("content, kind", [(b"[1, 2]", "a list"), (b'"hello"', "a string"), (b"3", "a number")])
def test_a_json_body_that_is_not_an_object_is_refused(client, network, content, kind):
    response = client.post(f"/api/networks/{network['id']}/step", content=content,
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"] == f"body: send a JSON object with this endpoint's fields (see /docs), not {kind}"


@pytest.mark.parametrize("field, value, detail", [
    ("learning_rate", "a", "config.learning_rate: Input should be a valid number (got 'a')"),
    ("seed", "x", "config.seed: Input should be a valid integer (got 'x')"),
    ("features", 5, "config.features: Input should be a valid list (got 5)"),
    ("activation", 5, "config.activation: Input should be 'sigmoid', 'tanh', 'relu', 'leaky_relu' or 'linear' (got 5)"),
    ("momentum", 7, "config.momentum: Input should be less than 1 (got 7)"),
])
def test_import_names_the_bad_config_field(client, network, field, value, detail):
    doc = client.get(f"/api/networks/{network['id']}/export").json()
    response = client.post("/api/networks/import", json={**doc, "config": {**doc["config"], field: value}})
    assert response.status_code == 422
    assert response.json()["detail"] == detail


def test_a_numpy_error_the_engine_did_not_foresee_is_refused_in_plain_words(client, network, monkeypatch):
    from engine.experiment import Experiment

    def predict(self, points):
        return np.zeros(3).reshape(2, 2)  # NumPy's own ValueError

    monkeypatch.setattr(Experiment, "predict", predict)
    response = client.post(f"/api/networks/{network['id']}/predict", json={"x": [[0.0, 0.0]]})
    assert response.status_code == 422
    assert response.json() == {"detail": "these numbers do not fit the network: check that every row, matrix "
                                         "and list has the size the network's layers call for "
                                         "(see GET /api/networks/{id} for its layers)"}
    # a refusal the engine wrote itself keeps its own words
    response = client.post("/api/networks", json={"layers": [3, 4, 1]})
    assert response.json() == {"detail": "layers[0] is 3 but 2 features are selected; the input layer needs "
                                         "one neuron per input"}


BATCH_TOO_BIG = "batch_size: 100000000000000000000 is more than the limit of 5000 (max_points)"


def test_batch_size_past_the_points_limit_is_refused_everywhere(client, network):
    response = client.post("/api/networks", json={"batch_size": 10 ** 20})
    assert response.status_code == 422
    assert response.json() == {"detail": BATCH_TOO_BIG}
    response = client.post("/api/networks", json={"batch_size": 5001})
    assert response.json() == {"detail": "batch_size: 5001 is more than the limit of 5000 (max_points)"}
    assert client.post("/api/networks", json={"batch_size": 5000}).status_code == 201
    url = f"/api/networks/{network['id']}"
    response = client.patch(url, json={"batch_size": 10 ** 20})
    assert response.status_code == 422
    assert response.json() == {"detail": BATCH_TOO_BIG}
    assert client.get(url).json()["config"]["batch_size"] == 10
    doc = client.get(f"{url}/export").json()
    response = client.post("/api/networks/import", json={**doc, "config": {**doc["config"], "batch_size": 10 ** 20}})
    assert response.json() == {"detail": "config." + BATCH_TOO_BIG}
    with client.websocket_connect(f"{url}/live") as ws:
        ws.receive_json()
        ws.send_json({"type": "set", "batch_size": 10 ** 20})
        assert ws.receive_json() == {"type": "error", "detail": BATCH_TOO_BIG}


BIG = {"layers": [2, 64, 64, 64, 64, 64, 64, 64, 64, 1], "dataset": {"name": "spiral", "samples": 5000, "noise": 10},
       "batch_size": 5000}


@pytest.mark.parametrize("body", [{"count": 100000}, {"by": "epoch", "count": 1000}, {"by": "phase", "count": 10000}])
def test_every_step_request_meets_its_time_budget(settings, body):
    """Issue 8.4: the largest network and the largest counts still stop near the budget."""
    quick = settings.replace(step_time_budget=0.5)
    with TestClient(create_app(quick)) as c:
        network_id = c.post("/api/networks", json=BIG).json()["id"]
        one = idle_latency(lambda: c.post(f"/api/networks/{network_id}/step", json={}, params={"history": 0}),
                           tries=2)  # also warms up
        started = time.monotonic()
        out = c.post(f"/api/networks/{network_id}/step", json=body, params={"history": 0}).json()
        seconds = time.monotonic() - started
    assert out["done"] < body["count"] and "time budget (step_time_budget)" in out["stopped_early"]
    assert seconds < 0.5 + 2 + 10 * one, f"{seconds:.1f} s for a 0.5 s budget (one step: {one:.2f} s)"


def test_gradcheck_meets_its_time_budget(settings):
    quick = settings.replace(step_time_budget=0.5)
    with TestClient(create_app(quick)) as c:
        network_id = c.post("/api/networks", json=BIG).json()["id"]
        one = idle_latency(lambda: c.get(f"/api/networks/{network_id}/gradcheck",
                                         params={"samples": 64, "max_params": 8}), tries=2)
        started = time.monotonic()
        out = c.get(f"/api/networks/{network_id}/gradcheck", params={"samples": 64, "max_params": 2000}).json()
        seconds = time.monotonic() - started
    assert out["params_checked"] < 2000 and "time budget (step_time_budget)" in out["limited"]
    assert seconds < 0.5 + 2 + 10 * one, f"{seconds:.1f} s for a 0.5 s budget (8 parameters: {one:.2f} s)"


@pytest.mark.parametrize("by,count", [("iteration", 100), ("phase", 200)])
def test_a_step_cut_short_by_divergence_says_so(client, by, count):
    """Issue 8.10: stopped_early names the divergence when it cut a request short."""
    network_id = client.post("/api/networks", json={"layers": [2, 8, 1], "activation": "linear",
                                                   "output_activation": "linear", "learning_rate": 50,
                                                   "batch_size": 500, "dataset": {"name": "plane"}}).json()["id"]
    out = client.post(f"/api/networks/{network_id}/step", json={"by": by, "count": count}).json()
    assert out["done"] < count and out["state"]["diverged"] is not None
    assert out["stopped_early"] == f"stopped after {out['done']} of {count} {by}s: {out['state']['diverged']['reason']}"
