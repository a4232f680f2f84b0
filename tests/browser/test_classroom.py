"""A class in real Chromium: a teacher and students in separate browser contexts (separate storage,
so only the teacher holds the key). The students see the teacher's phases, δ rings and inspector
numbers, cannot change the network, and can train private copies; share links and join codes work."""
from __future__ import annotations

import re
import time
import urllib.error

import pytest

from tests.browser.harness import VIEWPORT, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NET = "?layers=2,3,2,1&dataset=circle&seed=5&batch_size=4"


def open_context(browser, server, name: str, path: str, live: bool = True) -> tuple:
    context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)  # Playwright polls by evaluating strings
    context.set_default_timeout(15_000)
    page = Page(context.new_page(), server, name)
    page.page.goto(server + path)
    if live:
        page.wait_ready()
    else:  # a share link is frozen: drawn, with no live socket
        page.page.wait_for_selector("svg.network .node")
        page.page.wait_for_function("Number(document.documentElement.dataset.drawn || 0) > 1")
    return context, page


def same_text(a: Page, b: Page, selector: str, timeout: float = 10.0) -> str:
    """Wait until `selector` shows the same text on both pages (the student's follows the teacher's)."""
    deadline = time.monotonic() + timeout
    while True:
        left, right = a.page.text_content(selector), b.page.text_content(selector)
        if left == right or time.monotonic() > deadline:
            assert right == left, f"{selector}: the student shows {right!r}, the teacher {left!r}"
            return left
        time.sleep(0.1)


def deltas(page: Page) -> dict:
    return page.page.eval_on_selector_all("svg.network .node[data-delta]",
                                          "els => Object.fromEntries(els.map(e => [e.id, e.dataset.delta]))")


def test_students_follow_every_phase_and_train_their_own_copies(browser, server):
    contexts = []
    try:
        teacher_ctx, teacher = open_context(browser, server, "teacher", "/" + NET)
        contexts.append(teacher_ctx)
        network_id = teacher.network_id
        teacher.page.dispatch_event("path.edge-hit[data-id='L1N2-L2N1']", "click")  # the teacher picks a weight
        student_ctx, student = open_context(browser, server, "student", f"/?id={network_id}")
        contexts.append(student_ctx)
        student.page.wait_for_function("document.documentElement.dataset.role === 'follower'")
        assert student.page.is_disabled("#play") and student.page.is_disabled("#step-phase")
        for control in ("#play", "#reset", "#add-layer", "#learning_rate", "#batch_size", "#regenerate",
                        ".feature-toggle", "[data-testid=add-neuron-1]"):
            assert student.page.is_disabled(control), control
            assert "Try it myself" in student.page.get_attribute(control, "title"), control
        assert "only the person who made it can change it" in student.page.get_attribute("#play", "title")
        teacher.page.wait_for_function("document.documentElement.dataset.role === 'owner'")
        assert not teacher.page.is_disabled("#play")

        for n in range(8):  # one whole iteration, a phase at a time
            teacher.page.click("#step-phase")
            for page in (teacher, student):
                page.page.wait_for_function(f"document.documentElement.dataset.phaseIndex === '{(n + 1) % 8}'")
            same_text(teacher, student, "[data-testid=phase-done]")
            student.page.wait_for_selector("[data-testid=chain-product]")
            same_text(teacher, student, "#inspector")
            assert deltas(student) == deltas(teacher)
        # The teacher's view follows too: another sample, edge view, numbers; the student's own stay usable.
        teacher.page.click("#inspector [data-sample='1']")
        teacher.page.check("input[name=edge-mode][value=gradients]")
        teacher.page.check("#show-numbers")
        student.page.wait_for_function("document.querySelector('#show-numbers').checked")
        student.page.wait_for_function("document.querySelector('input[name=edge-mode][value=gradients]').checked")
        assert "sample 2 of 4" in same_text(teacher, student, "#inspector")
        assert not student.page.is_disabled("#palette") and not student.page.is_disabled("#projector")
        student.screenshot("following")
        teacher.page.click("#inspector button.close")  # the inspector closes on the student's page too
        student.page.wait_for_function("!document.querySelector('[data-testid=inspector-title]')"
                                       " || !document.querySelector('[data-testid=inspector-title]').textContent.startsWith('Weight')")
        started = time.monotonic()
        teacher.page.dispatch_event("path.edge-hit[data-id='L1N2-L2N1']", "click")
        student.page.wait_for_selector("[data-testid=chain-product]")
        same_text(teacher, student, "#inspector")
        form = "#inspector .edit-form"  # the weight's edit form: disabled on the student's page, saying why
        assert student.page.is_disabled(f"{form} input") and not teacher.page.is_disabled(f"{form} input")
        assert "only the person who made it can change it" in student.page.get_attribute(form, "title")
        # The issue asks for a second; a loaded machine (load 10-15) gets a generous bound, printed with -s.
        print(f"focus relayed to the student's inspector in {time.monotonic() - started:.2f} s")
        assert time.monotonic() - started < 5

        # The student cannot change the network: its keys (→ steps, R resets) only say why.
        before = teacher.server_state()
        student.page.keyboard.press("ArrowRight")
        student.page.keyboard.press("r")
        student.page.wait_for_selector("#toast.show.error")
        assert "only the person who made it can change it" in student.page.text_content("#toast")
        assert teacher.server_state()["step"] == before["step"] == 1
        assert teacher.server_state()["phase"] == before["phase"]

        # "Try it myself": a private copy that trains while the teacher's network does not move.
        student.page.click("#try-it")
        student.page.wait_for_function(f"new URLSearchParams(location.search).get('id') !== '{network_id}'")
        student.wait_ready()
        student.page.wait_for_function("document.documentElement.dataset.role === 'owner'")
        copy_id = student.network_id
        student.page.click("#step-iteration")
        student.page.wait_for_function("document.querySelector('[data-testid=step]').textContent === '2'")
        assert teacher.server_state()["step"] == 1
        assert student.api("GET", f"/api/networks/{copy_id}")["step"] == 2
        student.page.click("#play")  # the copy trains on its own; the teacher's network does not move
        student.page.wait_for_function("Number(document.querySelector('[data-testid=step]').textContent.replace(/,/g, '')) > 20")
        student.page.click("#play")
        assert teacher.server_state()["step"] == 1 and teacher.page.text_content("[data-testid=step]") == "1"
        student.page.click("#back-to-class")
        student.page.wait_for_function(f"new URLSearchParams(location.search).get('id') === '{network_id}'")
        student.page.wait_for_function("document.documentElement.dataset.role === 'follower'")

        # A share link opens read-only and gives a third student a copy of their own.
        teacher.page.click("#share-open")
        teacher.page.wait_for_selector("[data-testid=share-url]")
        share = teacher.page.text_content("[data-testid=share-url]")
        teacher.page.click("#share-close")
        third_ctx, third = open_context(browser, server, "third", share.split(server)[-1], live=False)
        contexts.append(third_ctx)
        third.page.wait_for_function("document.documentElement.dataset.role === 'snapshot'")
        assert third.page.is_disabled("#step-phase")
        third.screenshot("share-link")
        third.page.click("#try-it")
        third.page.wait_for_function("document.documentElement.dataset.role === 'owner'")
        third.wait_ready()
        assert third.network_id not in (network_id, copy_id)
        third.page.click("#step-iteration")
        third.page.wait_for_function("document.querySelector('[data-testid=step]').textContent === '2'")

        # A fourth joins by the class code the teacher's Class panel shows.
        teacher.page.click("#class-open")
        teacher.page.wait_for_selector("#class-qr svg")
        url = teacher.page.text_content("[data-testid=class-url]")
        code = teacher.page.text_content("[data-testid=class-code]")
        assert url.endswith(f"/j/{code}") and re.fullmatch(teacher.api("GET", "/api/options")["ids"]["class"], code)
        fourth_ctx, fourth = open_context(browser, server, "fourth", f"/j/{code}")
        contexts.append(fourth_ctx)
        fourth.page.wait_for_function("document.documentElement.dataset.role === 'follower'")
        assert fourth.network_id == network_id
        teacher.page.wait_for_function("Number(document.querySelector('[data-testid=class-followers]').textContent) >= 2")
        teacher.screenshot("class-panel")
        following = int(teacher.page.text_content("[data-testid=class-followers]"))
        fourth_ctx.close()  # a student leaves: the count the server pushes goes down, nobody polls
        contexts.remove(fourth_ctx)
        teacher.page.wait_for_function("Number(document.querySelector('[data-testid=class-followers]').textContent)"
                                       f" === {following - 1}")
        fourth_ctx, fourth = open_context(browser, server, "fourth", f"/j/{code}")
        contexts.append(fourth_ctx)
        teacher.page.wait_for_function("Number(document.querySelector('[data-testid=class-followers]').textContent)"
                                       f" === {following}")
        teacher.page.click("#class-close")
        teacher.page.click("#step-phase")
        fourth.page.wait_for_function("document.documentElement.dataset.phaseIndex === '1'")
        fourth.page.wait_for_selector("[data-testid=chain-product]")
        same_text(teacher, fourth, "#inspector")
        fourth.screenshot("joined")
        teacher.page.click("#reset")  # the class starts again with the teacher
        for page in (student, fourth):
            page.page.wait_for_function("document.querySelector('[data-testid=step]').textContent === '0'")
            same_text(teacher, page, "#inspector")
            same_text(teacher, page, "#phase-text")
        teacher.page.click("#class-open")  # ending the class: its code stops working
        teacher.page.click("#class-end")
        teacher.page.wait_for_selector("#class-panel", state="hidden")
        with pytest.raises(urllib.error.HTTPError) as gone:
            teacher.api("GET", f"/api/classes/{code}")
        assert gone.value.code == 404
        for page in (teacher, student, third, fourth):
            assert page.errors == [], (page.name, page.errors)
    finally:
        for context in contexts:
            context.close()
