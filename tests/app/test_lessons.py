"""Lessons: every shipped file validates and runs start to finish through the API; the worked-example
lesson's numbers are docs/worked-example.md's; a broken file gets a message naming file, field and fix."""
import re
from pathlib import Path

import numpy as np
import pytest

from app import lessons

DOC = Path(__file__).resolve().parents[2] / "docs" / "worked-example.md"
NUMBER = re.compile(r"-?\d+\.\d{3,}")  # numbers with three or more decimals: the computed ones
SLUGS = list(lessons.catalog())
WAIT = {"step": ("post", "step", {"by": "iteration"}), "play": ("post", "step", {"by": "epoch"}),
        "reset": ("post", "reset", {}), "edit_weight": ("put", "parameters/L0N0-L1N0", {"value": 0.5}),
        "change_learning_rate": ("patch", "", {"learning_rate": 0.05})}


def run_lesson(client, slug: str) -> list[tuple[dict, list]]:
    """Run every step as the page does; returns each step with the trace records it produced."""
    lesson = client.get(f"/api/lessons/{slug}").json()
    started = client.post(f"/api/lessons/{slug}/start", json={})
    assert started.status_code == 201, started.text
    url = f"/api/networks/{started.json()['network']['id']}"
    done = []
    for step in lesson["steps"]:
        records = []
        if "network" in step:
            url = f"/api/networks/{client.post('/api/networks', json=step['network']).json()['id']}"
        if "change" in step:
            assert client.patch(url, json=step["change"]).status_code == 200
        if "advance" in step:
            answer = client.post(f"{url}/step", json=step["advance"])
            assert answer.status_code == 200, answer.text
            records = answer.json()["trace"] or []
        if "question" in step:
            q = client.post(f"{url}/questions", json=step["question"])
            assert q.status_code == 201, q.text
            q = q.json()
            assert "answer" not in q
            client.post(f"{url}/questions/{q['id']}/answers", json={"choice": q["choices"][0], "voter": "a"})
            shown = client.post(f"{url}/questions/{q['id']}/reveal", json={}).json()
            assert shown["answer"] in q["choices"] and shown["tally"][q["choices"][0]] == 1
        if "wait_for" in step and step["wait_for"] in WAIT:
            method, path, body = WAIT[step["wait_for"]]
            assert getattr(client, method)(f"{url}/{path}".rstrip("/"), json=body).status_code == 200
        done.append((step, records))
    return done


def test_the_shipped_lessons_are_listed_in_order(client):
    listed = client.get("/api/lessons").json()
    assert [l["slug"] for l in listed] == SLUGS and len(SLUGS) >= 8
    assert listed[0] == {"slug": "worked-example", "title": lessons.catalog()["worked-example"].title,
                         "level": "beginner", "summary": lessons.catalog()["worked-example"].summary, "steps": 8}
    assert client.get("/api/lessons/nope").status_code == 404


@pytest.mark.parametrize("slug", SLUGS)
def test_each_lesson_runs_start_to_finish_through_the_api(client, slug):
    assert len(run_lesson(client, slug)) == len(lessons.catalog()[slug].steps)


def flat_numbers(value) -> list[float]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in flat_numbers(v)]
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in flat_numbers(v)]
    return [float(value)] if isinstance(value, (int, float)) and not isinstance(value, bool) else []


def test_the_worked_example_lessons_numbers_are_the_documents_and_the_engines(client):
    doc = [float(x) for x in NUMBER.findall(DOC.read_text())]
    seen: list[float] = []
    checked = 0
    for step, records in run_lesson(client, "worked-example"):
        seen += flat_numbers(records)
        for text in NUMBER.findall(step["narration"]):
            places = len(text.split(".")[1])
            value = float(text)
            assert any(round(x, places) == value for x in doc), f"{text} is not in docs/worked-example.md"
            assert any(round(x, places) == value for x in seen), f"{text} is not what the engine computed"
            checked += 1
    assert checked >= 25


BROKEN = """{"title": "T", "level": "beginner", "summary": "S", "network": {"layers": [2, 1]},
 "steps": [{"narration": "go", "advance": {"by": "century"}}]}"""


@pytest.mark.parametrize("text, message", [
    (BROKEN, "bad.json: steps.0.advance.by: Input should be 'phase', 'iteration' or 'epoch'; use one of the values listed"),
    (BROKEN.replace('"advance": {"by": "century"}', '"question": {"kind": "weight_direction", '
                                                     '"target": "L0N0-L1N0", "answer": "up"}'),
     "bad.json: steps.0.question.answer: Extra inputs are not permitted; remove it (a lesson never holds an "
     "answer: the engine computes it when asked)"),
    (BROKEN.replace('"advance": {"by": "century"}', '"highlight": [{"kind": "weight", "id": "L0N5-L1N0"}]'),
     "bad.json: steps.0.highlight.0.id: "),
    (BROKEN.replace('"go"', '"<b>go</b>"').replace(', "advance": {"by": "century"}', ''),
     "bad.json: steps.0.narration: narration is plain text, shown as written: remove the HTML tag or entity"),
    (BROKEN.replace('"level": "beginner",', ''), "bad.json: level: Field required; add it"),
    (BROKEN.replace('"S",', '"S"'), "bad.json: line 1 column 52: Expecting ',' delimiter (the file is not valid JSON)"),
])
def test_a_broken_lesson_file_gets_a_message_naming_file_field_and_fix(text, message):
    with pytest.raises(lessons.LessonError) as caught:
        lessons.parse("bad.json", text)
    assert str(caught.value).startswith(message), str(caught.value)


def receive(ws) -> dict:
    """The next live message but the follower count an owner's socket is also told."""
    while (message := ws.receive_json())["type"] == "followers":
        pass
    return message


def test_predict_then_reveal_relays_question_tally_and_answer_to_live_viewers(client, network):
    url = f"/api/networks/{network['id']}"
    with client.websocket_connect(f"{url}/live") as ws:
        receive(ws)
        q = client.post(f"{url}/questions", json={"kind": "weight_direction", "target": "L2N0-L3N0"}).json()
        assert receive(ws) == {"type": "question", **q}
        assert q["choices"] == ["up", "down", "stays"] and q["tally"] == {"up": 0, "down": 0, "stays": 0}
        client.post(f"{url}/questions/{q['id']}/answers", json={"choice": "up", "voter": "ann"})
        client.post(f"{url}/questions/{q['id']}/answers", json={"choice": "down", "voter": "bob"})
        client.post(f"{url}/questions/{q['id']}/answers", json={"choice": "down", "voter": "ann"})  # changed her mind
        assert receive(ws)["tally"] == {"up": 1, "down": 0, "stays": 0}
        receive(ws)
        assert receive(ws) == {"type": "tally", "id": q["id"], "tally": {"up": 0, "down": 2, "stays": 0}}
        before = client.get(url).json()["weights"][2][0][0]
        shown = client.post(f"{url}/questions/{q['id']}/reveal", json={}).json()
        assert receive(ws) == {"type": "reveal", **shown}
    after = client.post(f"{url}/step", json={"by": "iteration"}).json()["state"]["weights"][2][0][0]
    assert shown["answer"] == ("up" if after > before else "down" if after < before else "stays")
    assert shown["numbers"]["after"] == after
    refused = client.post(f"{url}/questions/{q['id']}/answers", json={"choice": "sideways", "voter": "c"})
    assert refused.status_code == 422


def test_the_largest_delta_answer_comes_from_the_real_backward_pass(client):
    net = client.post("/api/lessons/softmax-three-classes/start", json={}).json()["network"]
    url = f"/api/networks/{net['id']}"
    q = client.post(f"{url}/questions", json={"kind": "largest_delta"}).json()
    assert q["choices"] == ["L2N0", "L2N1", "L2N2"]
    answer = client.post(f"{url}/questions/{q['id']}/reveal", json={}).json()["answer"]
    trace = client.post(f"{url}/step", json={"by": "iteration", "trace": True}).json()["trace"]
    delta = next(r["delta"] for r in trace if r["phase"] == "backward" and r["layer"] == 2)
    assert answer == q["choices"][int(np.argmax(np.abs(np.mean(delta, axis=0))))]


def test_only_the_owner_asks_and_reveals_while_anyone_answers(client):
    started = client.post("/api/lessons/worked-example/start", json={}).json()
    assert len(started["key"]) >= 22 and "key" not in started["network"]
    url = f"/api/networks/{started['network']['id']}"
    q = client.post(f"{url}/questions", json={"kind": "largest_delta"}).json()
    with client.without_keys():
        assert client.post(f"{url}/questions", json={"kind": "largest_delta"}).status_code == 401
        assert client.post(f"{url}/questions/{q['id']}/reveal", json={}).status_code == 401
        assert client.post(f"{url}/rewind", json={"step": 0}).status_code == 401
        voted = client.post(f"{url}/questions/{q['id']}/answers", json={"choice": "L2N0", "voter": "student"})
        assert voted.status_code == 200 and voted.json()["tally"] == {"L2N0": 1}
