"""Big answers: float grids and predictions are capped, and encoding one never stalls other requests."""
from __future__ import annotations

import threading
import time

import numpy as np

from app.jsonify import dumps, dumps_in_pieces
from tests.app.timing import blocked_bound, idle_latency

WIDE = {"layers": [2] + [64] * 8 + [1]}  # 515 neurons: the largest network the default limits allow


def test_float_grid_past_the_number_limit_is_refused(client):
    network_id = client.post("/api/networks", json=WIDE).json()["id"]
    response = client.get(f"/api/networks/{network_id}/grid", params={"resolution": 200, "encoding": "float"})
    assert response.status_code == 422
    assert response.json() == {"detail": "resolution: a float grid of 200×200 for 515 neurons is 20,600,000 "
                                         "numbers, more than the limit of 2,000,000 (max_response_numbers); "
                                         "use encoding=bytes or a smaller resolution"}
    # the same grid quantised to bytes is what the page uses, and stays allowed
    response = client.get(f"/api/networks/{network_id}/grid", params={"resolution": 200})
    assert response.status_code == 200
    assert sum(len(layer) for layer in response.json()["layers"]) == 515


def test_float_grid_at_the_number_limit_is_answered(client):
    network_id = client.post("/api/networks", json=WIDE).json()["id"]
    response = client.get(f"/api/networks/{network_id}/grid", params={"resolution": 62, "encoding": "float"})
    assert response.status_code == 200  # 62 × 62 × 515 = 1,979,660 numbers
    values = response.json()["layers"][9][0]["values"]
    assert np.shape(values) == (62, 62)


def test_prediction_past_the_number_limit_is_refused(client):
    network_id = client.post("/api/networks", json=WIDE).json()["id"]
    url = f"/api/networks/{network_id}/predict"
    response = client.post(url, json={"x": [[0.5, -0.5]] * 5000})
    assert response.status_code == 422
    # per point: 1 output + 515 activations + 513 z + 1 class = 1030 numbers
    assert response.json() == {"detail": "x: predicting 5000 points returns 5,150,000 numbers (1030 a point: "
                                         "outputs, activations and z of every layer), more than the limit of "
                                         "2,000,000 (max_response_numbers); send at most 1941 points at a time"}
    response = client.post(url, json={"x": [[0.5, -0.5]] * 1941})
    assert response.status_code == 200
    assert len(response.json()["outputs"]) == 1941


def test_pieces_encode_exactly_like_one_call():
    rng = np.random.default_rng(0)
    value = {"outputs": rng.normal(size=(5, 2)), "activations": [rng.normal(size=(5, 3)), np.array([[np.nan, 1.0]])],
             "z": [[1.5, float("inf")], []], "classes": np.arange(3), "nested": [{"a": np.float64(0.25)}]}
    assert dumps_in_pieces(value) == dumps(value)
    assert dumps_in_pieces(value).count(b"null") == 2


def test_health_answers_while_a_big_grid_is_encoded(client):
    network_id = client.post("/api/networks", json=WIDE).json()["id"]
    done: dict = {}

    def big_grid():
        started = time.monotonic()
        done["response"] = client.get(f"/api/networks/{network_id}/grid",
                                      params={"resolution": 62, "encoding": "float"})
        done["seconds"] = time.monotonic() - started

    idle = idle_latency(lambda: client.get("/api/health"))
    worker = threading.Thread(target=big_grid)
    worker.start()
    latencies = []
    while worker.is_alive():
        started = time.monotonic()
        assert client.get("/api/health").status_code == 200
        latencies.append(time.monotonic() - started)
        time.sleep(0.01)
    worker.join()
    assert done["response"].status_code == 200
    assert len(latencies) >= 5
    assert max(latencies) < blocked_bound(idle, done["seconds"]) < done["seconds"], \
        f"slowest /api/health took {max(latencies) * 1000:.0f} ms (idle {idle * 1000:.0f} ms)"
