"""PUT /api/networks/{id}/parameters/{param_id}: click-to-edit a weight or bias without losing the run."""
from __future__ import annotations


def test_editing_a_weight_keeps_counters_and_history(client, network):
    url = f"/api/networks/{network['id']}"
    before = client.post(f"{url}/step", json={"count": 3}).json()["state"]
    response = client.put(f"{url}/parameters/L0N1-L1N2", json={"value": 0.75})
    assert response.status_code == 200
    state = response.json()
    assert state["weights"][0][1][2] == 0.75
    assert state["step"] == 3 and state["history_total"] == before["history_total"]
    assert client.get(url).json()["weights"][0][1][2] == 0.75  # saved


def test_editing_a_bias(client, network):
    url = f"/api/networks/{network['id']}"
    state = client.put(f"{url}/parameters/L2N1-bias", json={"value": -1.5}).json()
    assert state["biases"][1][1] == -1.5


def test_editing_mid_iteration_restarts_the_iteration_on_the_same_batch(client, network):
    url = f"/api/networks/{network['id']}"
    first = client.post(f"{url}/step", json={"by": "phase", "count": 2, "trace": True}).json()
    batch = first["trace"][0]["batch"]
    state = client.put(f"{url}/parameters/L0N0-L1N0", json={"value": 2.0}).json()
    assert state["phase"]["name"] == "forward" and state["phase"]["layer"] == 1
    again = client.post(f"{url}/step", json={"by": "phase", "count": 1, "trace": True}).json()
    assert again["trace"][0]["batch"] == batch
    z = again["trace"][0]["z"][0][0]
    x1, x2 = again["trace"][0]["a_prev"][0]
    w = state["weights"][0]
    assert abs(z - (x1 * 2.0 + x2 * w[1][0] + state["biases"][0][0])) < 1e-12


def test_editing_refuses_unknown_parameters_and_bad_values(client, network):
    url = f"/api/networks/{network['id']}"
    response = client.put(f"{url}/parameters/L0N5-L1N0", json={"value": 1.0})
    assert response.status_code == 422
    assert response.json()["detail"] == "weight 'L0N5-L1N0' does not exist in a network with layers [2, 4, 2, 1]"
    response = client.put(f"{url}/parameters/L0N0-bias", json={"value": 1.0})
    assert response.status_code == 422
    assert response.json()["detail"] == ("bias 'L0N0-bias' does not exist in a network with layers "
                                         "[2, 4, 2, 1] (layers 1 to 3 have biases)")
    response = client.put(f"{url}/parameters/weight", json={"value": 1.0})
    assert response.status_code == 422
    assert "must look like L0N1-L1N2" in response.json()["detail"]
    assert client.put(f"{url}/parameters/L0N0-L1N0", json={"value": "big"}).status_code == 422
    assert client.put("/api/networks/AAAAAAAAAAAAAAAAAAAAAA/parameters/L0N0-L1N0",
                      json={"value": 1.0}).status_code == 404


def test_an_edit_refreshes_the_current_metrics_everywhere(client, network):
    url = f"/api/networks/{network['id']}"
    before = client.post(f"{url}/step", json={"count": 3}).json()["state"]
    state = client.put(f"{url}/parameters/L2N0-L3N0", json={"value": 50.0}).json()
    assert state["train_loss"] != before["train_loss"]
    assert state["history"][-1]["train_loss"] == state["train_loss"]
    fetched = client.get(url).json()
    assert fetched["train_loss"] == state["train_loss"]
    assert fetched["history"][-1] == state["history"][-1]


def test_an_edit_is_saved_with_its_metrics(tmp_path):
    from tests.app.conftest import TestClient

    from app.main import create_app
    from app.settings import Settings

    settings = Settings(db_path=str(tmp_path / "edit.sqlite3"))
    with TestClient(create_app(settings)) as first:
        network_id = first.post("/api/networks", json={}).json()["id"]
        first.post(f"/api/networks/{network_id}/step", json={"count": 3})
        edited = first.put(f"/api/networks/{network_id}/parameters/L2N0-L3N0", json={"value": 50.0}).json()
    with TestClient(create_app(settings)) as second:
        restored = second.get(f"/api/networks/{network_id}").json()
    assert restored["weights"] == edited["weights"]
    assert restored["history"] == edited["history"]
