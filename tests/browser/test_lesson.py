"""The lesson views in real Chromium: the error at the output, the backward pass, Δw labels that never
collide, picking a sample on the output map, and a screen that fits a 1280×720 projector."""
from __future__ import annotations

import json
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEFAULT_NET = "?layers=2,4,2,1&dataset=circle&seed=0&batch_size=4"
NUMBER = re.compile(r"[-−]?\d+(?:\.\d+)?(?:e[-−]?\d+)?")


def numbers_in(text: str) -> list[float]:
    return [float(n.replace("−", "-")) for n in NUMBER.findall(text)]


def record_traces(page) -> list[dict]:
    records: list[dict] = []

    def on_socket(ws):
        def on_frame(payload):
            msg = json.loads(payload)
            if msg.get("type") == "trace":
                records.extend(msg["records"])
        ws.on("framereceived", on_frame)

    page.page.on("websocket", on_socket)
    return records


def step_phase(page, index: int) -> None:
    page.page.click("#step-phase")
    page.page.wait_for_function(f"document.documentElement.dataset.phaseIndex === '{index}'")


def test_the_error_and_the_backward_pass_are_drawn_from_the_trace(page):
    records = record_traces(page)
    page.open(DEFAULT_NET)
    page.page.check("#show-numbers")
    for n in range(1, 5):  # forward through three layers, then the loss
        step_phase(page, n)
    loss = next(r for r in records if r["phase"] == "loss")
    callout = page.page.text_content("[data-testid=loss-callout]")
    assert "eq. 5" in callout and "ŷ" in callout and "E = ½(y − ŷ)²" in callout
    y_hat, y, error = numbers_in(callout.split("ŷ = ")[1])[0], numbers_in(callout.split("y = ")[1])[0], \
        numbers_in(callout.split("=")[-1])[0]
    assert y_hat == pytest.approx(loss["y_hat"][0][0], rel=1e-3)
    assert y == pytest.approx(loss["y"][0][0], rel=1e-3)
    assert error == pytest.approx(loss["per_sample"][0], rel=1e-3)

    # Backward through the output layer: error signals travel in the backward colours only.
    page.page.click("#step-phase")
    # The signals are an animation: read their colours while they are drawn, in the same poll.
    colours = page.page.wait_for_function("""() => { const c = [...document.querySelectorAll('path.signal.backward')]
        .map(p => p.getAttribute('stroke')); return c.length ? c : null; }""", timeout=10000).json_value()
    backward = page.page.evaluate("""() => { const s = getComputedStyle(document.documentElement);
        return [s.getPropertyValue('--backward').trim(), s.getPropertyValue('--backward-negative').trim()]; }""")
    assert colours and set(colours) <= set(backward)
    page.page.wait_for_function("document.documentElement.dataset.phaseIndex === '5'")
    for n in (6, 7):
        step_phase(page, n)
    # Every non-input neuron shows its δ for the selected sample: ring coloured by sign, number in a chip.
    for rec in (r for r in records if r["phase"] == "backward"):
        for j, delta in enumerate(rec["delta"][0]):
            node = f"#L{rec['layer']}N{j}"
            page.page.wait_for_function(f"document.querySelector('{node}').dataset.delta !== undefined")
            assert float(page.page.get_attribute(node, "data-delta")) == delta
            ring = page.page.evaluate(f"getComputedStyle(document.querySelector('{node} .delta-ring')).stroke")
            expected = backward[0] if delta >= 0 else backward[1]
            assert ring == page.page.evaluate(f"(() => {{ const d = document.createElement('i'); d.style.color = '{expected}';"
                                              f" document.body.append(d); const c = getComputedStyle(d).color; d.remove();"
                                              f" return c; }})()")
    chips = page.page.eval_on_selector_all(".delta-chip:not(.empty) text", "els => els.map(e => e.textContent)")
    assert len(chips) == 4 + 2 + 1 and all(c.startswith("δ ") for c in chips)
    assert "ring" in page.page.text_content("[data-testid=stage-legend]")
    page.screenshot("backward")
    assert page.errors == []


def boxes(page, selector: str) -> list[dict]:
    return page.page.eval_on_selector_all(selector, """els => els.map(e => {
        const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height, text: e.textContent}; })""")


def overlap(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


def test_delta_w_labels_after_an_update_never_collide(page):
    records = record_traces(page)
    page.open(DEFAULT_NET)
    page.page.click("#step-iteration")
    page.page.wait_for_function("document.documentElement.dataset.step === '1'")
    page.page.wait_for_function("document.querySelectorAll('.edge-label:not(.hidden)').length > 0")
    labels = [b for b in boxes(page, ".edge-label:not(.hidden)") if b["text"]]
    frames = boxes(page, "g.node .frame")
    assert len(labels) >= 14  # of the 18 edges of a 2-4-2-1 net
    for n, a in enumerate(labels):
        assert not any(overlap(a, b) for b in labels[n + 1:]), a
        assert not any(overlap(a, f) for f in frames), a
    # Each label is its edge's Δw, to two significant digits.
    updates = {r["layer"]: r["delta_weights"] for r in records if r["phase"] == "update"}
    shown = page.page.eval_on_selector_all(".edge-label:not(.hidden)", "els => els.map(e => [e.dataset.for, e.textContent])")
    for edge, text in shown:
        k, i, j = (int(x) for x in re.match(r"L(\d+)N(\d+)-L\d+N(\d+)", edge).groups())
        assert numbers_in(text)[0] == pytest.approx(updates[k + 1][i][j], rel=0.06)
    assert "Δw" in page.page.text_content("[data-testid=stage-legend]")
    page.screenshot("delta-w")


def test_clicking_a_point_of_the_mini_batch_picks_the_sample_the_inspector_shows(page):
    records = record_traces(page)
    page.open(DEFAULT_NET)
    step_phase(page, 1)
    page.page.click("#L1N0")
    forward = records[0]
    row = forward["batch"][2]
    data = page.api("GET", f"/api/networks/{page.network_id}/data")
    x1, x2 = data["x_train"][row]
    box = page.page.locator("#output-points").bounding_box()
    page.page.mouse.click(box["x"] + (x1 + 6) / 12 * box["width"], box["y"] + (6 - x2) / 12 * box["height"])
    page.page.wait_for_function("document.querySelector('[data-testid=sample-label]').textContent.includes('sample 3 of 4')")
    value = float(page.page.get_attribute("[data-testid=eq1-a-0]", "data-value"))
    assert value == forward["a_prev"][2][0]
    assert float(page.page.get_attribute("[data-testid=eq1-z]", "data-value")) == forward["z"][2][0]
    assert page.errors == []


def test_the_page_fits_a_1280_by_720_projector_and_projector_mode_enlarges_type(page):
    page.open(DEFAULT_NET)
    size = page.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert size[0] <= 1280 and size[1] <= 720
    outside = page.page.evaluate("""() => [...document.querySelectorAll('button, select, input, canvas, svg.network')]
        .filter(el => el.offsetParent !== null || el.tagName === 'svg')
        .map(el => [el.id || el.className.baseVal || el.className || el.tagName, el.getBoundingClientRect()])
        .filter(([, r]) => r.width > 0 && (r.right > 1281 || r.bottom > 721 || r.left < -1))
        .map(([name]) => String(name))""")
    assert outside == []
    assert page.page.locator("#inspector").bounding_box()["height"] >= 240
    before = page.page.evaluate("parseFloat(getComputedStyle(document.querySelector('#phase-text')).fontSize)")
    chip = float(page.page.get_attribute(".value-chip text", "font-size"))
    page.page.check("#projector")
    page.page.wait_for_function(f"parseFloat(document.querySelector('.value-chip text').getAttribute('font-size')) > {chip}")
    assert page.page.evaluate("parseFloat(getComputedStyle(document.querySelector('#phase-text')).fontSize)") > before
    size = page.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert size[0] <= 1280 and size[1] <= 720
    page.screenshot("projector")
    assert page.errors == []
