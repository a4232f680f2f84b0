"""A class in a lesson, in real Chromium: the teacher starts a lesson and moves through it, and a student
who joined by the class code follows into the lesson's networks and shows the same lesson bar,
read-only; the teacher's "ask ?" button asks the class, the student answers, the teacher sees the tally,
and the reveal shows the engine's answer on both pages."""
from __future__ import annotations

import os
import time

import pytest

from tests.browser.test_classroom import open_context, same_text
from tests.browser.test_timetravel import BAND, owner_api

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NET = "?layers=2,3,1&dataset=xor&seed=2&batch_size=4"
STEP = "document.querySelector('[data-testid=lesson-count]').textContent"


def open_class(teacher) -> str:
    teacher.page.wait_for_function("document.documentElement.dataset.role === 'owner'")
    teacher.page.click("#class-open")
    teacher.page.wait_for_selector("#class-qr svg")
    code = teacher.page.text_content("[data-testid=class-code]")
    teacher.page.click("#class-close")
    return code


def same_network(teacher, student) -> None:
    student.page.wait_for_function(f"new URLSearchParams(location.search).get('id') === {teacher.network_id!r}")
    student.page.wait_for_function("document.documentElement.dataset.role === 'follower'")


@pytest.fixture
def contexts():
    """Browser contexts a test opened (one per person), closed after it."""
    opened: list = []
    yield opened
    for context in opened:
        context.close()


def join(browser, server, contexts: list, name: str, path: str):
    context, page = open_context(browser, server, name, path)
    contexts.append(context)
    return page


def a_class(browser, server, contexts: list, name: str) -> tuple:
    """(teacher, student who joined by the code, the code): separate contexts, so only the teacher has the key."""
    teacher = join(browser, server, contexts, f"{name}-teacher", "/" + NET)
    code = open_class(teacher)
    student = join(browser, server, contexts, f"{name}-student", f"/j/{code}")
    same_network(teacher, student)
    return teacher, student, code


def test_a_student_follows_the_teachers_lesson_step_by_step(browser, server, contexts):
    teacher, student, code = a_class(browser, server, contexts, "lesson")
    first = teacher.network_id

    teacher.page.select_option("#lesson-picker", "xor-hidden-layer")
    teacher.page.wait_for_function(f"{STEP} === 'step 1 of 4'")
    teacher.page.wait_for_function(f"new URLSearchParams(location.search).get('id') !== {first!r}")
    same_network(teacher, student)  # the class moved to the lesson's network, and the student with it
    student.page.wait_for_function(f"{STEP} === 'step 1 of 4'")
    for n in (2, 3):  # step 3 starts a network of its own: the class moves again
        teacher.page.wait_for_function("!document.querySelector('#lesson-next').disabled")
        started = time.monotonic()
        teacher.page.keyboard.press("PageDown")
        teacher.page.wait_for_function(f"{STEP} === 'step {n} of 4'")
        student.page.wait_for_function(f"{STEP} === 'step {n} of 4'")
        # printed with -s, beside the load: the step's own work (50 epochs, a new network) is in it
        print(f"step {n} on the student's page {time.monotonic() - started:.2f} s after the teacher's key "
              f"(load {os.getloadavg()[0]:.1f})")
    teacher.page.wait_for_function("!document.querySelector('#lesson-next').disabled")
    same_network(teacher, student)
    assert student.api("GET", f"/api/classes/{code}")["network_id"] == teacher.network_id
    for part in ("#lesson-title", "[data-testid=lesson-count]", "[data-testid=lesson-narration]"):
        same_text(teacher, student, part)
    assert "hidden layer of four neurons" in student.page.text_content("[data-testid=lesson-narration]")
    for button in ("#lesson-back", "#lesson-next", "#lesson-close"):  # only the teacher moves through it
        assert student.page.is_hidden(button) and teacher.page.is_visible(button)
    student.page.wait_for_selector("[data-testid=inspector-title]")  # the step's highlight: neuron L1N0
    same_text(teacher, student, "[data-testid=inspector-title]")
    assert "L1N0" in student.page.text_content("[data-testid=inspector-title]")
    assert student.page.is_disabled("#step-phase")  # still a follower of the lesson's network
    teacher.page.wait_for_function("Number(document.querySelector('[data-testid=class-followers]').textContent) === 1")
    gap, below = student.page.evaluate(BAND)
    assert -1 <= gap <= 4 and abs(below) <= 1, (gap, below)  # the student's bar sits under its page too
    teacher.screenshot("step-3")
    student.screenshot("step-3")

    # A student joining mid-lesson gets the teacher's step at once.
    late = join(browser, server, contexts, "lesson-late", f"/j/{code}")
    same_network(teacher, late)
    late.page.wait_for_function(f"{STEP} === 'step 3 of 4'")
    same_text(teacher, late, "[data-testid=lesson-narration]")

    teacher.page.reload()  # the teacher's page, reloaded mid-lesson, goes on from the step on screen
    teacher.wait_ready()
    teacher.page.wait_for_function(f"{STEP} === 'step 3 of 4'")
    teacher.page.wait_for_function("!document.querySelector('#lesson-next').disabled")
    teacher.page.keyboard.press("PageDown")
    for page in (teacher, student, late):
        page.page.wait_for_function(f"{STEP} === 'step 4 of 4'")
    same_text(teacher, student, "[data-testid=lesson-narration]")
    teacher.page.click("#lesson-close")  # closing the lesson closes it on every follower
    for page in (student, late):
        page.page.wait_for_selector("#lesson-bar", state="hidden")
    assert teacher.errors == [] and student.errors == [] and late.errors == []


def test_the_teachers_ask_button_asks_the_class_and_reveals_the_engines_answer(browser, server, contexts):
    teacher, student, _ = a_class(browser, server, contexts, "ask")
    assert student.page.is_disabled("#ask-question")  # only the teacher asks
    teacher.page.dispatch_event("path.edge-hit[data-id='L1N0-L2N0']", "click")  # a weight: will it go up or down?
    teacher.page.click("#ask-question")
    for page in (teacher, student):
        page.page.wait_for_selector("[data-testid=question] .choice")
    prompt = same_text(teacher, student, "[data-testid=question] .prompt")
    assert "L1N0-L2N0" in prompt
    student.page.click("[data-testid=question] .choice[data-choice=up]")
    teacher.page.wait_for_function("document.querySelector('[data-testid=question] .count').textContent"
                                   ".startsWith('1 answer: up 1 · down 0')")  # the teacher sees the tally
    assert student.page.is_hidden("[data-testid=question] .reveal")
    teacher.page.click("[data-testid=question] .reveal")
    network = teacher.network_id
    answers = []
    for page in (teacher, student):
        page.page.wait_for_selector("[data-testid=question] .answer")
        answers.append(page.page.text_content("[data-testid=question] .answer"))
        assert page.page.text_content("[data-testid=question] .count").startswith("1 answer: up 1 · down 0")
    before = teacher.server_state()["weights"][1][0][0]  # the answer is what the next update really does
    after = owner_api(teacher, "POST", f"/api/networks/{network}/step", {"by": "iteration"})["state"]["weights"][1][0][0]
    engine = "up" if after > before else "down" if after < before else "stays"
    assert answers == [f"The engine's answer: {engine}"] * 2
    teacher.screenshot("revealed")
    student.screenshot("revealed")
    assert teacher.errors == [] and student.errors == []
