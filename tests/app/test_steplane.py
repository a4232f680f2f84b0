"""The short lane for light owner steps (app.steplane): byte for byte the route's answers, its
refusals while stepping rendered as the API renders them, and everything else left to the route."""
from __future__ import annotations

import pytest

from app import quickstep
from app.steplane import StepLane


def the_lane(client) -> StepLane:
    node = client.app.middleware_stack
    while not isinstance(node, StepLane):
        node = node.app
    return node


@pytest.fixture(autouse=True)
def light_is_light(monkeypatch):
    monkeypatch.setattr(quickstep, "QUICK_SECONDS", 10.0)  # a default network's steps, whatever the load


def comparable(response) -> tuple:
    network_id = (response.json().get("state") or {}).get("id", "")
    content = response.content.replace(network_id.encode(), b"ID") if network_id else response.content
    headers = {k: v for k, v in response.headers.items() if k not in ("date", "content-length")}  # gzipped: the
    headers["body-length"] = str(len(response.content))  # ids differ, and so does the compressed length
    return response.status_code, content, headers


def both_ways(client, monkeypatch, twins: list, send) -> dict:
    """{quick: [answers]}: `send(url)` for the first twin with light steps allowed (the lane), for
    the second with none (the route, in a worker thread); asserts who answered."""
    answers = {}
    for network, quick in zip(twins, (True, False)):
        monkeypatch.setattr(quickstep, "QUICK_SECONDS", 10.0 if quick else 0.0)
        before = the_lane(client).answered
        answers[quick] = send(f"/api/networks/{network['id']}/step")
        assert (the_lane(client).answered > before) is quick
    return answers


def test_the_lane_answers_exactly_as_the_route(client, monkeypatch):
    twins = [client.post("/api/networks", json={"seed": 7}).json() for _ in range(2)]
    for network in twins:
        client.post(f"/api/networks/{network['id']}/step", json={"count": 1})  # measured by the route

    def send(url):
        return [comparable(client.post(url, json={"count": 2})), comparable(client.post(url, json={"count": 1})),
                comparable(client.post(f"{url}?history=3", json={"count": 1}))]
    answers = both_ways(client, monkeypatch, twins, send)
    assert answers[True] == answers[False]
    assert answers[True][-1][1].count(b'"step":') == 3 + 1  # three history entries, and the state's own step


def test_refusals_while_stepping_are_the_routes(client, monkeypatch):
    exploding = {"layers": [2, 8, 1], "activation": "linear", "output_activation": "linear", "learning_rate": 50,
                 "dataset": {"name": "plane"}}
    twins = [client.post("/api/networks", json=exploding).json() for _ in range(2)]
    for network in twins:
        out = client.post(f"/api/networks/{network['id']}/step", json={"by": "epoch", "count": 20}).json()
        assert out["state"]["diverged"] is not None
    answers = both_ways(client, monkeypatch, twins, lambda url: comparable(client.post(url, json={"count": 1})))
    assert answers[True] == answers[False] and answers[True][0] == 409


def test_a_save_that_fails_in_the_lane_is_refused_as_the_route_refuses_it(client, monkeypatch):
    twins = [client.post("/api/networks", json={"seed": 2}).json() for _ in range(2)]
    for network in twins:
        client.post(f"/api/networks/{network['id']}/step", json={"count": 1})
    client.app.state.registry.store._db.execute("PRAGMA query_only = ON")
    answers = both_ways(client, monkeypatch, twins, lambda url: comparable(client.post(url, json={"count": 1})))
    assert answers[True] == answers[False] and answers[True][0] == 503
    assert b"read-only" in answers[True][1]
    client.app.state.registry.store._db.execute("PRAGMA query_only = OFF")
    assert [client.get(f"/api/networks/{n['id']}").json()["step"] for n in twins] == [1, 1]


@pytest.mark.parametrize("case", ["no key", "wrong key", "unknown network", "count 0", "unknown field",
                                  "history not a number", "history too long", "trace", "not JSON",
                                  "two pieces of query", "empty body"])
def test_what_the_lane_does_not_take_goes_to_the_route(client, network, case):
    url = f"/api/networks/{network['id']}/step"
    client.post(url, json={"count": 1})  # measured: from now on light
    key = client.keys[network["id"]]
    headers, body, path, expected = {"Authorization": f"Bearer {key}"}, {"count": 1}, url, 200
    if case == "no key":
        headers, expected = {}, 401
    elif case == "wrong key":
        headers, expected = {"Authorization": "Bearer not-the-key"}, 403
    elif case == "unknown network":
        path, expected = "/api/networks/AAAAAAAAAAAAAAAAAAAAAA/step", 404
    elif case == "count 0":
        body, expected = {"count": 0}, 422
    elif case == "unknown field":
        body, expected = {"count": 1, "speed": 3}, 422
    elif case == "history not a number":
        path, expected = f"{url}?history=many", 422
    elif case == "history too long":
        path, expected = f"{url}?history=100000", 422
    elif case == "trace":
        body = {"count": 1, "trace": True}
    elif case == "two pieces of query":
        path = f"{url}?history=2&history=3"
    before = the_lane(client).answered
    with client.without_keys():
        if case == "not JSON":
            response = client.post(path, content=b'{"count": 1}', headers={**headers, "Content-Type": "text/plain"})
            expected = 422
        elif case == "empty body":
            response = client.post(path, content=b"", headers={**headers, "Content-Type": "application/json"})
        else:
            response = client.post(path, json=body, headers=headers)
    assert response.status_code == expected, response.text
    assert the_lane(client).answered == before  # the route answered
    if case == "trace":
        assert response.json()["trace"]


def test_a_body_seen_before_is_not_validated_again_and_a_refused_one_never_kept(client, network, monkeypatch):
    url = f"/api/networks/{network['id']}/step"
    client.post(url, json={"count": 1})  # measured: from now on light
    lane, validated = the_lane(client), []
    field = lane._field or client.post(url, json={"count": 2}) and lane._field
    real = field.validate
    monkeypatch.setattr(field, "validate", lambda *a, **k: (validated.append(a[0]), real(*a, **k))[1])
    steps = [client.post(url, json={"count": 3}).json()["state"]["step"] for _ in range(3)]
    assert steps == [steps[0], steps[0] + 3, steps[0] + 6] and validated == [{"count": 3}]
    assert client.post(url, json={"count": 0}).status_code == 422  # refused by the route, not kept
    assert client.post(url, json={"count": 0}).status_code == 422
    assert validated == [{"count": 3}, {"count": 0}, {"count": 0}]
