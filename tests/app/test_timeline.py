"""POST …/rewind restores what GET returned at that step, bit for bit; stepping forward retraces it."""
import random

import pytest

KEYS = ("weights", "biases", "step", "epoch", "phase", "config", "train_loss", "test_loss")

CREATE = {"dataset": {"name": "xor", "samples": 80, "noise": 10, "seed": 4}, "layers": [2, 4, 3, 1],
          "learning_rate": 0.05, "batch_size": 6, "momentum": 0.9, "regularization": "l2",
          "regularization_rate": 0.01, "seed": 9}


def moment(state: dict) -> dict:
    return {key: state[key] for key in KEYS}


def test_rewinds_restore_what_get_returned_and_stepping_forward_retraces(client):
    rng = random.Random(3)
    net = client.post("/api/networks", json=CREATE).json()
    url = f"/api/networks/{net['id']}"
    seen = {(0, 0): moment(net)}
    steps, last = [], (0, 0)
    for _ in range(40):
        roll = rng.random()
        if roll < 0.5:
            body = rng.choice([{"by": "iteration", "count": rng.randint(1, 60)}, {"by": "epoch", "count": 1},
                               {"by": "phase", "count": rng.randint(1, 7), "trace": rng.random() < 0.5}])
            steps.append(body)
            assert client.post(f"{url}/step", json=body).status_code == 200
        elif roll < 0.75:
            change = rng.choice([{"learning_rate": rng.choice([0.01, 0.1])}, {"momentum": rng.choice([0.0, 0.5])},
                                 {"batch_size": rng.randint(1, 9)}])
            assert client.patch(url, json=change).status_code == 200
        else:
            body = {"value": rng.uniform(-2, 2)}
            assert client.put(f"{url}/parameters/{rng.choice(['L0N1-L1N2', 'L2N0-bias'])}", json=body).status_code == 200
        state = client.get(url).json()
        here = (state["step"], state["phase"]["index"])
        for passed in [p for p in seen if last < p < here]:  # visited again on the way: a rewind goes there
            del seen[passed]
        seen[here] = moment(state)
        last = here
    end = last
    final = moment(client.get(url).json())
    for target in rng.sample(sorted(seen), 12) + [end]:
        answer = client.post(f"{url}/rewind", json={"step": target[0], "phase": target[1]})
        assert answer.status_code == 200, answer.text
        assert moment(answer.json()) == seen[target]
        assert moment(client.get(url).json()) == seen[target]
    assert client.post(f"{url}/rewind", json={"step": 0}).status_code == 200
    for body in steps:  # the same steps, none of the changes: the timeline replays them
        assert client.post(f"{url}/step", json=body).status_code == 200
    assert moment(client.get(url).json()) == final


def test_rewind_refuses_a_step_after_the_newest(client, network):
    url = f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"by": "iteration", "count": 5})
    answer = client.post(f"{url}/rewind", json={"step": 6})
    assert answer.status_code == 422
    assert answer.json()["detail"] == ("step 6 phase 0 is after the newest point of this network's timeline "
                                       "(step 5 phase 0)")
    assert client.post(f"{url}/rewind", json={"step": 2, "phase": 99}).status_code == 422
    assert client.post(f"{url}/rewind", json={"step": -1}).status_code == 422


def test_timeline_lists_changes_and_preview_leaves_the_network_alone(client, network):
    url = f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"by": "iteration", "count": 10})
    client.patch(url, json={"learning_rate": 0.3})
    after = client.post(f"{url}/step", json={"by": "iteration", "count": 10}).json()["state"]
    timeline = client.get(f"{url}/timeline").json()
    assert timeline["first"] == 0 and timeline["newest"] == {"step": 20, "phase": 0}
    assert timeline["events"] == [{"step": 10, "phase": 0, "kind": "hyperparameters",
                                   "change": {"learning_rate": 0.3}}]
    past = client.get(f"{url}/timeline/preview", params={"step": 4, "grid": 10}).json()
    assert past["step"] == 4 and past["config"]["learning_rate"] == 0.03
    assert [g["id"] for g in past["grids"]["layers"][1]] == ["L1N0", "L1N1", "L1N2", "L1N3"]
    now = client.get(url).json()
    assert now["step"] == 20 and now["weights"] == after["weights"]


def test_a_rewind_with_trace_gives_the_records_of_the_phases_done(client, network):
    url = f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"by": "iteration", "count": 3})
    records = client.post(f"{url}/step", json={"by": "phase", "count": 4, "trace": True}).json()["trace"]
    client.post(f"{url}/step", json={"by": "iteration", "count": 5})
    out = client.post(f"{url}/rewind", json={"step": 3, "phase": 4, "trace": True}).json()
    assert out["state"]["phase"]["index"] == 4 and out["trace"] == records


@pytest.mark.parametrize("phase", [0, 3])
def test_a_rewind_reaches_live_viewers(client, network, phase):
    url = f"/api/networks/{network['id']}"
    client.post(f"{url}/step", json={"by": "iteration", "count": 30})
    with client.websocket_connect(f"{url}/live") as ws:
        assert ws.receive_json()["step"] == 30
        client.post(f"{url}/rewind", json={"step": 7, "phase": phase})
        messages = []
        while {"frame", "rewound"} - {m["type"] for m in messages}:  # owners also hear the follower count
            messages.append(ws.receive_json())
        frame = next(m for m in messages if m["type"] == "frame")
        told = next(m for m in messages if m["type"] == "rewound")
        assert frame["step"] == 7 and frame["phase"]["index"] == phase
        assert (told["step"], told["phase"], len(told["trace"])) == (7, phase, phase)


def test_the_timeline_survives_a_restart(settings):
    from tests.app.conftest import TestClient
    from app.main import create_app

    keys: dict = {}  # the owner keys, kept across the restarts
    with TestClient(create_app(settings), keys=keys) as client:
        net = client.post("/api/networks", json={**CREATE, "momentum": 0.5}).json()
        url = f"/api/networks/{net['id']}"
        client.post(f"{url}/step", json={"by": "iteration", "count": 2500})
        at_2500 = moment(client.get(url).json())
        client.patch(url, json={"learning_rate": 0.2})
        client.post(f"{url}/step", json={"by": "iteration", "count": 2500})
        timeline = client.get(f"{url}/timeline").json()
    with TestClient(create_app(settings), keys=keys) as client:
        assert client.get(f"{url}/timeline").json() == timeline
        client.post(f"{url}/rewind", json={"step": 2500})
        client.patch(url, json={"learning_rate": 0.03})  # a new branch: drops the old future's checkpoints
        assert moment(client.post(f"{url}/rewind", json={"step": 2500}).json()) == \
            {**at_2500, "config": {**at_2500["config"], "learning_rate": 0.03}}
    with TestClient(create_app(settings), keys=keys) as client:
        again = client.get(f"{url}/timeline").json()
        assert again["newest"] == {"step": 2500, "phase": 0} and again["checkpoints"] < timeline["checkpoints"]
        assert moment(client.post(f"{url}/rewind", json={"step": 0}).json()) == moment(net)


def test_a_rewind_past_new_points_restores_the_points_before_and_survives_a_restart(settings):
    from tests.app.conftest import TestClient
    from app.main import create_app

    keys: dict = {}
    new_points = {"x_train": [[0.1 * i, -0.2 * i] for i in range(12)], "y_train": [i % 2 for i in range(12)]}
    with TestClient(create_app(settings), keys=keys) as client:
        net = client.post("/api/networks", json=CREATE).json()
        url = f"/api/networks/{net['id']}"
        client.post(f"{url}/step", json={"by": "iteration", "count": 20})
        at_20, before = moment(client.get(url).json()), client.get(f"{url}/data").json()
        client.post(f"{url}/step", json={"by": "iteration", "count": 5})
        assert client.put(f"{url}/data", json=new_points).status_code == 200
        client.post(f"{url}/step", json={"by": "iteration", "count": 10})
        event = client.get(f"{url}/timeline").json()["events"][-1]
        assert (event["step"], event["kind"], event["change"]["n_train"]) == (25, "data", 12)
        assert moment(client.post(f"{url}/rewind", json={"step": 20}).json()) == at_20
        assert client.get(f"{url}/data").json() == before
    with TestClient(create_app(settings), keys=keys) as client:  # the old points were saved with the rewind
        assert client.get(f"{url}/data").json() == before
        client.post(f"{url}/rewind", json={"step": 30})  # forward again, across the change
        assert [p for p in client.get(f"{url}/data").json()["x_train"]] == new_points["x_train"]
