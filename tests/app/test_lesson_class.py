"""A class follows its teacher into a lesson: the class moves to the lesson's network (same code), every
follower is told to follow it, and the lesson step on screen, the questions and late joiners' catch-up
reach the followers."""
from __future__ import annotations

import pytest

from app import lessons
from app.main import create_app
from app.settings import Settings
from engine import ids
from tests.app.owners import OwnerClient
from tests.app.test_live import receive


def start_lesson(client, slug: str = "xor-hidden-layer") -> dict:
    response = client.post(f"/api/lessons/{slug}/start", json={})
    assert response.status_code == 201, response.text
    return response.json()


def open_class(client, network_id: str) -> str:
    response = client.post(f"/api/networks/{network_id}/class")
    assert response.status_code == 200, response.text
    return response.json()["code"]


def move(client, network_id: str, to: str, key: str | None = None, **kwargs):
    return client.post(f"/api/networks/{network_id}/class/move",
                       json={"network_id": to, "key": client.keys[to] if key is None else key}, **kwargs)


def test_the_class_moves_to_the_lessons_network_and_its_followers_are_told(client, network):
    code = open_class(client, network["id"])
    with client.websocket_connect(f"/api/networks/{network['id']}/live", follower=True) as student:
        assert receive(student, "class") == {"type": "class", "code": code, "network_id": network["id"]}
        lesson = start_lesson(client)["network"]
        answer = move(client, network["id"], lesson["id"])
        assert answer.status_code == 200, answer.text
        assert answer.json()["code"] == code and answer.json()["url"].endswith(f"/j/{code}")
        assert receive(student, "class") == {"type": "class", "code": code, "network_id": lesson["id"]}
    with client.without_keys():
        assert client.get(f"/api/classes/{code}").json() == {"code": code, "network_id": lesson["id"]}
        assert client.get(f"/api/networks/{lesson['id']}/class").json()["code"] == code
        assert client.get(f"/api/networks/{network['id']}/class").status_code == 404
    back = move(client, lesson["id"], network["id"])  # and back again: the teacher left the lesson
    assert back.status_code == 200 and back.json()["code"] == code
    assert move(client, network["id"], network["id"]).json()["code"] == code  # to itself: nothing changes


def test_moving_a_class_is_the_owners_and_checked(client, network):
    mine = start_lesson(client)["network"]["id"]
    assert move(client, network["id"], mine).json()["detail"].startswith("this network has no open class to move")
    code = open_class(client, network["id"])
    with client.without_keys():
        refused = move(client, network["id"], mine)
    assert refused.status_code == 401 and "Authorization: Bearer" in refused.json()["detail"]
    wrong = move(client, network["id"], mine, headers={"Authorization": "Bearer not-the-key"})
    assert wrong.status_code == 403
    with client.without_keys():
        stranger = client.post("/api/networks", json={}).json()["id"]  # a network whose key this client lost
    other = move(client, network["id"], stranger, key="not-its-key")
    assert other.status_code == 403
    assert other.json()["detail"].startswith(f"the key does not own network {stranger}: a class moves only to a "
                                             f"network of yours")
    unknown = move(client, network["id"], "A" * 22, key="x")
    assert unknown.status_code == 404
    assert client.post(f"/api/networks/{network['id']}/class/move", json={"network_id": "no such id", "key": "x"}
                       ).status_code == 422
    taken = start_lesson(client)["network"]["id"]
    other_code = open_class(client, taken)
    busy = move(client, network["id"], taken)
    assert busy.status_code == 409
    assert busy.json()["detail"].startswith(f"network {taken} has a class of its own (code {other_code}); end it first")
    assert client.get(f"/api/networks/{network['id']}/class").json()["code"] == code  # unchanged


def test_the_lesson_step_reaches_followers_and_late_joiners_get_it_at_once(client):
    started = start_lesson(client, "worked-example")["network"]
    url = f"/api/networks/{started['id']}/live"
    lesson = lessons.catalog()["worked-example"]
    with client.websocket_connect(url, follower=True) as student:
        receive(student, "frame")
        for n in (1, 2, 3):
            shown = client.put(f"/api/networks/{started['id']}/lesson", json={"slug": "worked-example", "step": n})
            assert shown.status_code == 200, shown.text
            message = receive(student, "lesson")
            assert message == shown.json()
            assert (message["title"], message["step"], message["steps"]) == (lesson.title, n, len(lesson.steps))
            assert message["narration"] == lesson.steps[n - 1].narration
            assert message["highlight"] == [h.model_dump() for h in lesson.steps[n - 1].highlight]
        asked = client.post(f"/api/networks/{started['id']}/questions", json={"kind": "largest_delta"}).json()
        assert receive(student, "question")["id"] == asked["id"]
    code = open_class(client, started["id"])
    with client.websocket_connect(url, follower=True) as late:  # joins mid-lesson: the class, the step, the question
        assert receive(late, "class")["code"] == code
        assert receive(late, "lesson")["step"] == 3
        assert receive(late, "question")["id"] == asked["id"]
    with client.without_keys():
        assert client.get(f"/api/networks/{started['id']}/lesson").json()["step"] == 3
    with client.websocket_connect(url, follower=True) as student:
        receive(student, "frame")
        assert client.delete(f"/api/networks/{started['id']}/lesson").status_code == 204
        assert receive(student, "lesson") == {"type": "lesson", "slug": None}
    with client.without_keys():
        assert client.get(f"/api/networks/{started['id']}/lesson").status_code == 404


@pytest.mark.parametrize("body, status, detail", [
    ({"slug": "no-such-lesson", "step": 1}, 404, "no lesson 'no-such-lesson'; GET /api/lessons lists them: worked-example"),
    ({"slug": "xor-hidden-layer", "step": 9}, 422, "step: 9 is past the end of 'xor-hidden-layer', which has 4 "
                                                   "steps: send 1 to 4"),
    ({"slug": "xor-hidden-layer", "step": 0}, 422, "step"),
    ({"slug": "xor-hidden-layer"}, 422, "step"),
])
def test_a_bad_lesson_step_is_refused_with_what_to_fix(client, network, body, status, detail):
    response = client.put(f"/api/networks/{network['id']}/lesson", json=body)
    assert response.status_code == status
    assert response.json()["detail"].startswith(detail)


def test_only_the_owner_shows_a_lesson_step(client, network):
    with client.without_keys():
        body = {"slug": "xor-hidden-layer", "step": 1}
        assert client.put(f"/api/networks/{network['id']}/lesson", json=body).status_code == 401
        assert client.delete(f"/api/networks/{network['id']}/lesson").status_code == 401
    wrong = client.put(f"/api/networks/{network['id']}/lesson", json={"slug": "xor-hidden-layer", "step": 1},
                       headers={"Authorization": "Bearer not-the-key"})
    assert wrong.status_code == 403 and "belongs to someone else" in wrong.json()["detail"]
    assert client.put("/api/networks/" + "A" * 22 + "/lesson", json={"slug": "xor-hidden-layer", "step": 1}
                      ).status_code == 404


def test_questions_reach_the_followers_after_the_class_moved(client, network):
    code = open_class(client, network["id"])
    lesson = start_lesson(client)["network"]
    assert move(client, network["id"], lesson["id"]).status_code == 200
    with client.websocket_connect(f"/api/networks/{lesson['id']}/live", follower=True) as student:
        assert receive(student, "class")["code"] == code  # the student followed the move
        asked = client.post(f"/api/networks/{lesson['id']}/questions", json={"kind": "largest_delta"}).json()
        assert receive(student, "question")["id"] == asked["id"]
        with client.without_keys():
            client.post(f"/api/networks/{lesson['id']}/questions/{asked['id']}/answers",
                        json={"choice": asked["choices"][0], "voter": "student-1"})
        assert receive(student, "tally")["tally"][asked["choices"][0]] == 1
        revealed = client.post(f"/api/networks/{lesson['id']}/questions/{asked['id']}/reveal").json()
        assert receive(student, "reveal")["answer"] == revealed["answer"]


def test_a_lesson_and_its_step_networks_are_made_on_the_shard_of_the_class(tmp_path):
    """Started through a network of yours (the proxy sends it to that network's shard), a lesson's network
    and a step's new network carry this shard's tag, and the class moves to them; only the owner may."""
    with OwnerClient(create_app(Settings(db_path=str(tmp_path / "s3.sqlite3"), shard=3))) as client:
        teacher = client.post("/api/networks", json={}).json()["id"]
        code = open_class(client, teacher)
        made = client.post(f"/api/networks/{teacher}/lessons/xor-hidden-layer/start", json={})
        assert made.status_code == 201, made.text
        lesson = made.json()
        assert lesson["lesson"] == "xor-hidden-layer" and ids.shard_of("network", lesson["network"]["id"]) == 3
        assert move(client, teacher, lesson["network"]["id"]).json()["code"] == code
        step_net = client.post(f"/api/networks/{lesson['network']['id']}/beside", json={"layers": [2, 3, 1]})
        assert step_net.status_code == 201, step_net.text
        assert ids.shard_of("network", step_net.json()["id"]) == 3 and step_net.json()["layers"] == [2, 3, 1]
        assert move(client, lesson["network"]["id"], step_net.json()["id"]).status_code == 200
        with client.without_keys():
            for path in ("/lessons/xor-hidden-layer/start", "/beside"):
                assert client.post(f"/api/networks/{teacher}{path}", json={}).status_code == 401
        assert client.post(f"/api/networks/{teacher}/lessons/no-such/start", json={}).status_code == 404
        assert client.post(f"/api/networks/{teacher}/beside", json={"layers": [2]}).status_code == 422
