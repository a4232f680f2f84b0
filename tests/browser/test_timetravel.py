"""Time travel, lessons, presenter mode and predict-then-reveal, in a real Chromium."""
from __future__ import annotations

import json
import os
import time
import urllib.request

import pytest

pytestmark = pytest.mark.browser

NUMBER_CHIPS = ".value-chip text"


# Every element on screen (the skip link aside), as much of it as its scrolling or clipping ancestors let show, must lie
# inside the viewport: names of those that do not.
CLIPPED = """([width, height]) => [...document.querySelectorAll('body *')].filter(el => {
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') return false;
    if (el.closest('.skip-link, .sr-only')) return false;  // off screen on purpose, until focused
    let r = el.getBoundingClientRect();
    let [l, t, rt, b] = [r.left, r.top, r.right, r.bottom];
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflow === 'visible') continue;
        const c = a.getBoundingClientRect();
        [l, t, rt, b] = [Math.max(l, c.left), Math.max(t, c.top), Math.min(rt, c.right), Math.min(b, c.bottom)];
    }
    if (rt - l <= 0 || b - t <= 0) return false;
    return rt > width + 1 || b > height + 1 || l < -1 || t < -1;
}).map(el => el.id || el.className?.baseVal || el.className || el.tagName)"""

SETTLED = """() => new Promise(done => {  // the phase's animation over, then the drawing refitted to its stage
    const wait = () => document.querySelector('#network-stage g.pulses')?.childElementCount
        ? requestAnimationFrame(wait) : requestAnimationFrame(() => requestAnimationFrame(done));
    wait();
})"""


# Text cut off by an ancestor that hides its overflow (overflow hidden or clip, or paint containment), which CLIPPED
# cannot see, since it measures only what shows: each run of text (a text node's box) must lie inside every such
# ancestor's box, up to the nearest ancestor that scrolls (text scrolled out of view there is not lost). Names the
# text's element and the start of the text.
TEXT_CLIPPED = """() => {
    const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const clips = (style) => [style.overflowX, style.overflowY].map(o => o === 'hidden' || o === 'clip'
        || /paint|strict|content/.test(style.contain));
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!node.textContent.trim() || !el || !el.getClientRects().length) continue;
        if (el.closest('.skip-link, .sr-only, [hidden], noscript, script, style')) continue;
        if (getComputedStyle(el).visibility === 'hidden') continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const r = range.getBoundingClientRect();
        if (r.width <= 0 || r.height <= 0) continue;
        for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
            const style = getComputedStyle(a);
            if (/auto|scroll/.test(style.overflowX + style.overflowY)) break;
            const [x, y] = clips(style), c = a.getBoundingClientRect();
            if ((x && (r.left < c.left - 1 || r.right > c.right + 1)) || (y && (r.top < c.top - 1 || r.bottom > c.bottom + 1))) {
                out.push(`${el.id || el.getAttribute('class') || el.tagName} "${node.textContent.trim().slice(0, 30)}" `
                         + `cut by ${a.id || a.getAttribute('class') || a.tagName}`);
                break;
            }
        }
    }
    return out;
}"""

# (the gap between the layout and the lesson bar under it, the space left under the bar): a band between
# them is empty space, a negative gap is the bar covering the page.
BAND = """() => { const bar = document.querySelector('#lesson-bar').getBoundingClientRect();
    return [bar.top - document.querySelector('main.layout').getBoundingClientRect().bottom, innerHeight - bar.bottom]; }"""
# The empty band under the network drawing (its neurons and unused features), as a fraction of the stage's height.
BAND_UNDER_DRAWING = """() => { const stage = document.querySelector('#network-stage').getBoundingClientRect();
    const boxes = [...document.querySelectorAll('#network-stage .node, #network-stage .feature-off')]
        .map(n => n.getBoundingClientRect()).filter(b => b.height > 0);
    return (stage.bottom - Math.max(...boxes.map(b => b.bottom))) / stage.height; }"""


def owner_api(page, method: str, path: str, body: dict | None = None) -> dict:
    """The API as the page's owner: with the key the page keeps for its network."""
    key = page.page.evaluate(f"JSON.parse(localStorage.getItem('backprop-playground.keys') || '{{}}')[{page.network_id!r}]")
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(page.base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.05)


def test_a_lesson_runs_start_to_finish_by_keyboard_alone(page):
    page.open()
    p = page.page
    p.wait_for_function("document.querySelectorAll('#lesson-picker option').length > 8")
    p.focus("#lesson-picker")
    p.keyboard.press("ArrowDown")  # the first lesson: the worked example
    p.wait_for_function("document.querySelector('[data-testid=lesson-count]').textContent === 'step 1 of 8'")
    for n in range(2, 9):
        p.wait_for_function("!document.querySelector('#lesson-next').disabled")
        p.keyboard.press("PageDown")
        p.wait_for_function(f"document.querySelector('[data-testid=lesson-count]').textContent === 'step {n} of 8'")
        if n == 4:  # the question: will L1N0-L2N0 go up or down? asked of the engine, not the file
            p.wait_for_selector("[data-testid=question] .choice")
            assert p.text_content("[data-testid=question] .prompt").startswith("At the next update (step 1)")
        if n == 7:  # the update, with the worked example's numbers
            assert "0.358916480" in p.text_content("[data-testid=lesson-narration]")
    state = page.server_state()
    assert state["step"] == 1 and state["phase"]["index"] == 0  # six phases: one whole iteration
    assert state["weights"][1][0][0] == pytest.approx(0.35891647971788465, abs=1e-15)
    p.wait_for_function("document.querySelector('#lesson-next').disabled")  # waits for the user to step
    p.keyboard.press("Shift+ArrowRight")
    p.wait_for_function("document.querySelector('[data-testid=step]').textContent === '2'")
    assert p.text_content("[data-testid=lesson-count]") == "step 8 of 8"
    assert page.errors == []


def test_a_rewind_redraws_the_earlier_heatmaps_and_inspector(page):
    page.open("?layers=2,3,1&seed=4")
    p = page.page
    owner_api(page, "POST", f"/api/networks/{page.network_id}/step", {"by": "iteration", "count": 20})
    p.wait_for_function("document.querySelector('[data-testid=step]').textContent === '20'")
    for layer in (1, 2):
        p.keyboard.press("ArrowRight")
        p.wait_for_function(f"document.querySelector('[data-testid=phase-text]').textContent"
                            f".includes('Just computed: Forward pass · layer {layer}')")
    p.click("#L1N0")
    p.wait_for_selector("#inspector .card, #inspector section")
    before = {"inspector": p.text_content("#inspector"), "maps": p.evaluate("document.querySelector('.network-stage canvas').toDataURL()")}
    p.keyboard.press("ArrowRight")  # on through the loss, then a whole iteration more
    p.wait_for_function("document.querySelector('[data-testid=phase-text]').textContent.includes('Just computed: Error')")
    owner_api(page, "POST", f"/api/networks/{page.network_id}/step", {"by": "iteration", "count": 30})
    p.wait_for_function("Number(document.querySelector('[data-testid=step]').textContent) > 40")
    assert p.evaluate("document.querySelector('.network-stage canvas').toDataURL()") != before["maps"]
    owner_api(page, "POST", f"/api/networks/{page.network_id}/rewind", {"step": 21, "phase": 0})
    p.wait_for_function("document.querySelector('[data-testid=step]').textContent === '21'")
    p.keyboard.press("ArrowLeft")  # one phase back: step 20, before the update
    p.wait_for_function("document.querySelector('[data-testid=step]').textContent === '20'")
    for phase in (4, 3, 2):  # … back to just after forward 2
        p.keyboard.press("ArrowLeft")
        until(lambda: page.server_state()["phase"]["index"] == phase)
    p.wait_for_function("document.querySelector('[data-testid=phase-text]').textContent.includes('Just computed: Forward pass · layer 2')")
    p.wait_for_function(f"document.querySelector('#inspector').textContent === {before['inspector']!r}")
    p.wait_for_function(f"document.querySelector('.network-stage canvas').toDataURL() === {before['maps']!r}")
    assert page.server_state()["phase"]["index"] == 2
    assert page.errors == []


@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720)])
def test_presenter_mode_fills_the_stage_and_clips_nothing(page, width, height):
    page.page.set_viewport_size({"width": width, "height": height})
    page.open("?presenter=1&hide=data,model")
    p = page.page
    p.keyboard.press("ArrowRight")  # a forward pass: the neurons show their numbers
    p.wait_for_function("document.querySelector('[data-testid=phase-text]').textContent.includes('Just computed')")
    p.evaluate(SETTLED)
    stage = p.locator("#network-stage").bounding_box()
    drawn = p.evaluate("""() => {
        const boxes = [...document.querySelectorAll('#network-stage svg *')].map(n => n.getBoundingClientRect())
        .filter(b => b.width > 0 && b.height > 0);
        return [Math.min(...boxes.map(b => b.left)), Math.max(...boxes.map(b => b.right)),
                Math.min(...boxes.map(b => b.top)), Math.max(...boxes.map(b => b.bottom))];
    }""")
    assert (drawn[1] - drawn[0]) >= 0.6 * stage["width"], (drawn, stage)
    assert (drawn[3] - drawn[2]) >= 0.6 * stage["height"], (drawn, stage)
    assert stage["width"] >= 0.6 * width and stage["height"] >= 0.45 * height
    sizes = p.evaluate("""[...document.querySelectorAll('#network-stage text')]
        .filter(t => /[0-9]/.test(t.textContent) && t.getBoundingClientRect().width > 0)
        .map(t => parseFloat(getComputedStyle(t).fontSize))""")
    assert sizes and min(sizes) >= 18
    outside = p.evaluate(CLIPPED, [width, height])
    assert outside == []
    assert p.evaluate(TEXT_CLIPPED) == []
    page.screenshot("presenting")
    owner_api(page, "POST", f"/api/networks/{page.network_id}/step", {"by": "epoch", "count": 3})
    p.keyboard.press("ArrowRight")  # the page hears the epochs with its next step: accuracy and losses filled in
    p.wait_for_function("/%/.test(document.querySelector('[data-testid=accuracy]').textContent)")
    p.evaluate(SETTLED)
    assert p.evaluate(TEXT_CLIPPED) == [], "text cut off by a column that hides its overflow"
    assert p.evaluate(CLIPPED, [width, height]) == []
    page.screenshot("presenting-trained")
    p.click("#L1N0")  # a click zooms on the neuron, its numbers large
    p.wait_for_selector("[data-testid=zoom] dd")
    assert p.text_content("[data-testid=zoom] h2") == "neuron L1N0"
    assert min(p.evaluate("[...document.querySelectorAll('[data-testid=zoom] dd')]"
                          ".map(d => parseFloat(getComputedStyle(d).fontSize))")) >= 28
    assert p.evaluate(CLIPPED, [width, height]) == []
    page.screenshot("zoomed")
    p.keyboard.press("Escape")
    p.wait_for_selector("[data-testid=zoom]", state="hidden")
    p.keyboard.press("b")  # the clicker's blank-screen key, and again to come back
    assert p.is_visible("#blank-screen")
    p.keyboard.press("b")
    assert p.is_hidden("#blank-screen")
    p.keyboard.press("p")  # P leaves presenter mode, and the URL says so
    p.wait_for_function("!document.documentElement.classList.contains('presenter') && !location.search.includes('presenter')")
    p.keyboard.press("p")
    p.wait_for_function("location.search.includes('presenter=1')")
    assert p.is_hidden("[data-part=data]") and p.is_hidden("[data-part=model]")
    p.reload()
    page.wait_ready()
    assert p.is_hidden("[data-part=data]") and "hide=data,model" in p.url  # hidden stays hidden
    assert page.errors == []


# The boxes of the question card and of every neuron it overlaps (their ids).
COVERED_BY_QUESTION = """() => { const card = document.querySelector('[data-testid=question]').getBoundingClientRect();
    return [...document.querySelectorAll('#network-stage .node')].filter(n => { const b = n.getBoundingClientRect();
        return b.left < card.right && card.left < b.right && b.top < card.bottom && card.top < b.bottom; }).map(n => n.id); }"""


@pytest.mark.parametrize("width, height, presenter", [(1280, 720, False), (1920, 1080, False),
                                                      (1280, 720, True), (1920, 1080, True)])
def test_the_question_card_covers_no_neuron(page, width, height, presenter):
    page.page.set_viewport_size({"width": width, "height": height})
    page.open("?layers=2,4,2,1&seed=2" + ("&presenter=1" if presenter else ""))
    p = page.page
    asked = owner_api(page, "POST", f"/api/networks/{page.network_id}/questions",
                      {"kind": "weight_direction", "target": "L2N0-L3N0"})
    p.wait_for_selector("[data-testid=question] .choice")
    assert p.text_content("[data-testid=question] .prompt") == asked["prompt"]
    p.click("[data-testid=question] .choice[data-choice=up]")
    p.wait_for_function("document.querySelector('[data-testid=question] .count').textContent.startsWith('1 answer')")
    p.wait_for_function("Number(document.documentElement.dataset.drawn || 0) > 1")
    p.wait_for_timeout(300)  # the drawing is fitted again a frame after the card took its room
    output = p.locator("#L3N0").bounding_box()
    card = p.locator("[data-testid=question]").bounding_box()
    assert card["width"] > 0 and card["height"] > 0
    assert p.evaluate(COVERED_BY_QUESTION) == [], (card, output)
    stage = p.locator("#network-stage").bounding_box()
    assert output["y"] + output["height"] <= stage["y"] + stage["height"] + 1  # the drawing still fits its stage
    assert p.evaluate(CLIPPED, [width, height]) == []
    page.screenshot("question")
    assert page.errors == []


def test_predict_then_reveal_shows_the_engines_answer_and_the_class_tally(page, browser, server):
    page.open("?layers=2,3,1&seed=2")
    teacher = page.page
    network_id = page.network_id
    student = browser.new_context(viewport={"width": 1280, "height": 720}, bypass_csp=True).new_page()
    student.goto(f"{server}/?id={network_id}")
    student.wait_for_selector("svg.network .node")
    student.wait_for_function("document.querySelector('#connection').dataset.state === 'open'")
    asked = owner_api(page, "POST", f"/api/networks/{network_id}/questions", {"kind": "weight_direction", "target": "L1N0-L2N0"})
    for p in (teacher, student):
        p.wait_for_selector("[data-testid=question] .choice")
    assert student.text_content("[data-testid=question] .prompt") == asked["prompt"]
    student.click("[data-testid=question] .choice[data-choice=down]")
    teacher.click("[data-testid=question] .choice[data-choice=up]")
    teacher.wait_for_function("document.querySelector('[data-testid=question] .count').textContent"
                             ".startsWith('2 answers: up 1 · down 1')")
    assert student.is_hidden("[data-testid=question] .reveal")  # only the owner reveals
    teacher.click("[data-testid=question] .reveal")
    teacher.wait_for_selector("[data-testid=question] .answer")
    answer = page.api("GET", f"/api/networks/{network_id}/questions/{asked['id']}")["answer"]
    before = page.server_state()["weights"][1][0][0]  # the answer is what the next update really does
    after = owner_api(page, "POST", f"/api/networks/{network_id}/step", {"by": "iteration"})["state"]["weights"][1][0][0]
    assert answer == ("up" if after > before else "down" if after < before else "stays")
    for p in (teacher, student):
        p.wait_for_selector("[data-testid=question] .answer")
        assert p.text_content("[data-testid=question] .answer") == f"The engine's answer: {answer}"
        assert p.get_attribute(f"[data-testid=question] .choice[data-choice={answer}]", "class").endswith("correct")
        assert p.text_content("[data-testid=question] .count") == "2 answers: up 1 · down 1 · stays 0"  # the tally
    page.screenshot("revealed")
    student.context.close()
    assert page.errors == []


def test_the_scrubber_previews_while_dragged_and_rewinds_on_release_for_every_follower(page, browser, server):
    page.open("?layers=2,3,1&seed=4")
    p = page.page
    # Waits on conditions, each allowed 30 s (the whole test takes a few seconds on an idle machine): a
    # loaded machine (load 12) delays the live frames that carry the heatmaps and the rewind's answer.
    p.set_default_timeout(30_000)
    heat = "document.querySelector('.network-stage canvas').toDataURL()"
    # Step 0's heatmaps once they are painted: the canvas the same over two reads 200 ms apart (read
    # too early, it is a blank or half-drawn canvas that no later moment matches).
    p.wait_for_function(f"(() => {{ const now = {heat}; const same = now === window.lastHeat; window.lastHeat = now; "
                        f"return same; }})()", polling=200)
    at_0 = p.evaluate(heat)
    follower = browser.new_context(viewport={"width": 1280, "height": 720}, bypass_csp=True).new_page()
    follower.set_default_timeout(30_000)
    follower.goto(f"{server}/?id={page.network_id}")
    follower.wait_for_function("document.querySelector('#connection').dataset.state === 'open'")
    owner_api(page, "POST", f"/api/networks/{page.network_id}/step", {"by": "iteration", "count": 40})
    for q in (p, follower):
        q.wait_for_function("document.querySelector('[data-testid=step]').textContent === '40'")
    p.wait_for_function(f"{heat} !== {at_0!r}")
    p.wait_for_function("document.querySelector('#scrubber').max === '40'")
    box = p.locator("#scrubber").bounding_box()
    y = box["y"] + box["height"] / 2
    p.mouse.move(box["x"] + box["width"] - 4, y)
    p.mouse.down()
    p.mouse.move(box["x"] + 2, y, steps=8)  # dragged to the start: a preview, the network stays
    p.wait_for_function("document.querySelector('[data-testid=step]').textContent === '0'")
    p.wait_for_function(f"{heat} === {at_0!r}")  # that moment's heatmaps
    assert page.server_state()["step"] == 40
    page.screenshot("previewing")
    started = time.monotonic()
    p.mouse.up()  # released: rewound there, and every follower with it
    until(lambda: page.server_state()["step"] == 0, seconds=30)
    follower.wait_for_function("document.querySelector('[data-testid=step]').textContent === '0'")
    follower.wait_for_function(f"{heat} === {at_0!r}")
    print(f"released to the follower's redrawn heatmaps: {time.monotonic() - started:.2f} s (load {os.getloadavg()[0]:.1f})")
    assert follower.is_disabled("#scrubber") and follower.is_disabled("#back-phase")  # only the owner rewinds
    follower.screenshot(path=str(page.screenshot("owner").parent / f"{page.name}-follower.png"))
    follower.context.close()
    assert page.errors == []


@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720)])
def test_a_lesson_in_presenter_mode_clips_nothing_and_every_part_can_be_hidden(page, width, height):
    page.page.set_viewport_size({"width": width, "height": height})
    page.open("?presenter=1")
    p = page.page
    p.wait_for_function("document.querySelectorAll('#lesson-picker option').length > 8")
    p.select_option("#lesson-picker", "xor-hidden-layer")
    p.wait_for_function("document.querySelector('[data-testid=lesson-count]').textContent.startsWith('step 1 of')")
    p.wait_for_function("!document.querySelector('#lesson-next').disabled")
    p.keyboard.press("PageDown")
    p.wait_for_function("document.querySelector('[data-testid=lesson-count]').textContent.startsWith('step 2 of')")
    assert p.evaluate(CLIPPED, [width, height]) == []
    assert p.evaluate(TEXT_CLIPPED) == []
    stage = p.locator("#network-stage").bounding_box()
    nodes = p.evaluate("[...document.querySelectorAll('#network-stage .node')].map(n => n.getBoundingClientRect())"
                       ".map(b => [b.left, b.top, b.right, b.bottom])")
    assert all(stage["x"] - 1 <= l and r <= stage["x"] + stage["width"] + 1 and stage["y"] - 1 <= t
               and b <= stage["y"] + stage["height"] + 1 for l, t, r, b in nodes), (stage, nodes)  # none cut off
    drawn = p.evaluate("[...document.querySelectorAll('#network-stage svg *')].map(n => n.getBoundingClientRect())"
                       ".filter(b => b.width > 0 && b.height > 0).map(b => [b.left, b.top, b.right, b.bottom])")
    assert max(b for *_, b in drawn) - min(t for _, t, *_ in drawn) >= 0.6 * stage["height"]  # the drawing fills it
    assert max(r for *_, r, _ in drawn) - min(left for left, *_ in drawn) >= 0.6 * stage["width"]
    gap, below = p.evaluate(BAND)
    assert -1 <= gap <= 4 and abs(below) <= 1, (gap, below)  # no empty band above the bar, nothing under it
    size = p.evaluate("parseFloat(getComputedStyle(document.querySelector('[data-testid=lesson-narration]')).fontSize)")
    assert size >= 18
    page.screenshot("lesson")
    parts = p.evaluate("[...new Set([...document.querySelectorAll('[data-part]')].map(n => n.dataset.part))]")
    assert {"header", "steps", "training", "phases", "data", "model", "inspector", "charts", "timeline",
            "output", "lesson"} <= set(parts)
    page.open(f"?id={page.network_id}&presenter=1&hide={','.join(parts)}")
    assert p.evaluate("[...document.querySelectorAll('[data-part]')].filter(n => n.getClientRects().length)"
                      ".map(n => n.dataset.part)") == []
    assert p.is_visible("#network-stage")
    page.screenshot("everything-hidden")
    assert page.errors == []


@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720)])
def test_a_lesson_bar_sits_under_the_page_without_a_band_or_covering_it(page, width, height):
    page.page.set_viewport_size({"width": width, "height": height})
    page.open()
    p = page.page
    p.wait_for_function("document.querySelectorAll('#lesson-picker option').length > 8")
    titles = {lesson["slug"]: lesson["title"] for lesson in page.api("GET", "/api/lessons")}
    for slug in ("worked-example", "xor-hidden-layer"):  # two networks, two narration lengths
        p.select_option("#lesson-picker", slug)
        p.wait_for_function(f"document.querySelector('#lesson-title').textContent === {titles[slug]!r}")
        p.wait_for_function("!document.querySelector('#lesson-next').disabled")
        gap, below = p.evaluate(BAND)
        assert -1 <= gap <= 4 and abs(below) <= 1, (slug, gap, below)
        under = p.evaluate(BAND_UNDER_DRAWING)
        assert under <= 0.3, (slug, under)  # the drawing fills the stage: no empty band inside it either
        page.screenshot(f"lesson-{slug}")
    assert page.errors == []
