"""The playground page in real Chromium, clicked like a person would, checked against the API."""
from __future__ import annotations

import json

import pytest

from tests.browser.harness import VIEWPORT, Page, free_port, start_server, stop_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SMALL = "?layers=2,3,2,1&dataset=circle&seed=3"


def edge_widths(page) -> dict[str, float]:
    return page.page.eval_on_selector_all(
        "path.edge", "els => Object.fromEntries(els.map(e => [e.id, Number(e.getAttribute('stroke-width'))]))")


def heatmap_pixels(page, node_id: str) -> list[int]:
    """The pixels of a node's heatmap, read from the shared heatmap canvas under the node's frame."""
    return page.page.evaluate("""(id) => {
        const canvas = document.querySelector('canvas.network-maps');
        const frame = document.getElementById(id).querySelector('.frame').getBoundingClientRect();
        const box = canvas.getBoundingClientRect();
        const r = canvas.width / box.width;
        const data = canvas.getContext('2d').getImageData((frame.x - box.x + 2) * r, (frame.y - box.y + 2) * r,
                                                          (frame.width - 4) * r, (frame.height - 4) * r).data;
        return Array.from(data);
    }""", node_id)


def test_page_loads_without_console_errors_and_draws_the_configured_network(page):
    page.open("?layers=2,5,3,1&features=x1,x2&dataset=xor&seed=1")
    state = page.server_state()
    assert state["layers"] == [2, 5, 3, 1]
    nodes = page.page.eval_on_selector_all("svg.network g.node", "els => els.map(e => e.id)")
    assert nodes == [nid for layer in state["neuron_ids"] for nid in layer]
    edges = page.page.eval_on_selector_all("svg.network path.edge", "els => els.map(e => e.id)")
    expected = [f"{a}-{b}" for k in range(3) for a in state["neuron_ids"][k] for b in state["neuron_ids"][k + 1]]
    assert sorted(edges) == sorted(expected) and len(edges) == 2 * 5 + 5 * 3 + 3 * 1
    assert page.page.locator("svg.network rect.bias").count() == 5 + 3 + 1
    # Every node has a painted heatmap, and the output map is drawn.
    for node_id in nodes:  # painted: not the plain grey of an empty node
        pixels = heatmap_pixels(page, node_id)
        assert len({tuple(pixels[i:i + 3]) for i in range(0, len(pixels), 4)}) > 3, node_id
    assert page.page.locator("#dataset-picker button[aria-checked=true]").get_attribute("data-dataset") == "xor"
    page.screenshot("loaded")
    assert page.errors == []


def test_play_for_two_seconds_trains_on_the_circle(page):
    page.open("?layers=2,4,2,1&dataset=circle&learning_rate=0.03&seed=0")
    step0 = int(page.page.text_content("#step").replace(",", ""))
    loss0 = page.server_state()["train_loss"]
    widths0 = edge_widths(page)
    map0 = heatmap_pixels(page, "L1N0")
    page.page.click("#play")
    page.page.wait_for_timeout(2000)
    page.page.click("#play")
    page.page.wait_for_function("document.querySelector('#play').getAttribute('aria-pressed') === 'false'")
    page.page.wait_for_timeout(300)
    state = page.server_state()
    assert int(page.page.text_content("#step").replace(",", "")) > step0 + 50
    assert state["train_loss"] < loss0 * 0.8
    widths = edge_widths(page)
    assert sum(abs(widths[k] - widths0[k]) for k in widths) > 1.0
    assert heatmap_pixels(page, "L1N0") != map0
    page.screenshot("trained")
    assert page.errors == []


def record_traces(page) -> list[dict]:
    traces: list[dict] = []

    def on_socket(ws):
        def on_frame(payload):
            msg = json.loads(payload)
            if msg.get("type") == "trace":
                traces.append(msg)
        ws.on("framereceived", on_frame)

    page.page.on("websocket", on_socket)
    return traces


def test_phase_steps_walk_forward_loss_backward_update_and_the_inspector_matches_the_trace(page):
    traces = record_traces(page)
    page.open("?layers=2,3,2,1&dataset=circle&seed=5&batch_size=4")
    expected = ["Forward pass · layer 1", "Forward pass · layer 2", "Forward pass · layer 3", "Error",
                "Backward pass · layer 3", "Backward pass · layer 2", "Backward pass · layer 1", "Update"]
    equations = ["eq. 1", "eq. 1", "eq. 1", "eq. 5", "eq. 4", "eq. 4", "eq. 4", "eq. 6"]
    for n, (phase, eq) in enumerate(zip(expected, equations)):
        page.page.click("#step-phase")
        page.page.wait_for_function(f"document.documentElement.dataset.phaseIndex === '{(n + 1) % 8}'")
        done = page.page.text_content("[data-testid=phase-done]")
        assert done.startswith(phase) and eq in done, done
        if n == 0:
            page.screenshot("forward-1")
        if n == 4:
            page.screenshot("backward-3")
    assert [t["records"][0]["phase"] for t in traces] == ["forward"] * 3 + ["loss"] + ["backward"] * 3 + ["update"]
    records = {(r["phase"], r["layer"]): r for t in traces for r in t["records"]}

    # Pick the second sample of the batch and the weight from L1N2 to L2N1.
    page.page.dispatch_event("path.edge-hit[data-id='L1N2-L2N1']", "click")
    page.page.wait_for_selector("[data-testid=chain-product]")
    page.page.click("[data-sample='1']")
    page.page.wait_for_selector("[data-testid=chain-product]")
    page.page.wait_for_function("document.querySelector('[data-testid=chain-dz_dw]') && "
                                "document.querySelector('[data-testid=sample-label]').textContent.includes('sample 2')")
    value = lambda tid: float(page.page.get_attribute(f"[data-testid={tid}]", "data-value"))  # noqa: E731
    fwd, bwd, upd = records[("forward", 2)], records[("backward", 2)], records[("update", 2)]
    assert value("chain-dE_da") == bwd["dE_da"][1][1]
    assert value("chain-da_dz") == bwd["da_dz"][1][1]
    assert value("chain-dz_dw") == fwd["a_prev"][1][2]
    assert value("chain-batch-mean") == bwd["grad_weights"][2][1]
    assert value("update-before") == upd["weights_before"][2][1]
    assert value("update-after") == upd["weights_after"][2][1]
    assert value("update-lr") == upd["learning_rate"]
    assert "sample 2 of 4" in page.page.text_content("[data-testid=sample-label]")

    # A neuron shows eq. 1 with the traced inputs and its z and activation.
    page.page.click("#L2N1")
    assert value("eq1-z") == fwd["z"][1][1]
    assert value("eq2-a") == fwd["a"][1][1]
    assert value("eq1-a-2") == fwd["a_prev"][1][2]
    assert value("eq1-w-2") == upd["weights_before"][2][1]  # the weights the forward pass used
    assert value("eq1-b") == upd["biases_before"][1]
    page.screenshot("inspector")
    assert page.errors == []


def test_adding_a_layer_and_a_neuron_changes_drawing_and_server(page):
    page.open(SMALL)
    first_id = page.network_id
    page.page.click("#add-layer")
    page.page.wait_for_function(f"new URLSearchParams(location.search).get('id') !== '{first_id}'")
    page.wait_ready()
    assert page.server_state()["layers"] == [2, 3, 2, 2, 1]
    assert page.page.locator("svg.network g.node").count() == 2 + 3 + 2 + 2 + 1
    second_id = page.network_id
    page.page.click("[data-testid=add-neuron-1]")
    page.page.wait_for_function(f"new URLSearchParams(location.search).get('id') !== '{second_id}'")
    page.wait_ready()
    assert page.server_state()["layers"] == [2, 4, 2, 2, 1]
    assert page.page.locator("#L1N3").count() == 1
    assert page.page.locator("svg.network path.edge").count() == 2 * 4 + 4 * 2 + 2 * 2 + 2 * 1
    # Turning on a feature adds an input neuron.
    third_id = page.network_id
    page.page.click("button.feature-toggle[data-feature=x1_squared]")
    page.page.wait_for_function(f"new URLSearchParams(location.search).get('id') !== '{third_id}'")
    page.wait_ready()
    state = page.server_state()
    assert state["config"]["features"] == ["x1", "x2", "x1_squared"] and state["layers"][0] == 3
    assert page.errors == []


def test_keyboard_shortcuts_and_accessible_controls(page):
    page.open(SMALL)
    page.page.keyboard.press("ArrowRight")
    page.page.wait_for_function("document.documentElement.dataset.phaseIndex === '1'")
    page.page.keyboard.press("Shift+ArrowRight")
    page.page.wait_for_function("document.documentElement.dataset.step === '1'")
    page.page.keyboard.press("Space")
    page.page.wait_for_function("Number(document.documentElement.dataset.step) > 5")
    assert page.page.get_attribute("#play", "aria-pressed") == "true"
    page.page.keyboard.press("Space")
    page.page.wait_for_function("document.querySelector('#play').getAttribute('aria-pressed') === 'false'")
    page.page.keyboard.press("r")
    page.page.wait_for_function("document.documentElement.dataset.step === '0'")
    assert page.server_state()["step"] == 0
    # Every control has an accessible name, and Tab reaches the play button with a visible focus ring.
    unnamed = page.page.evaluate("""() => [...document.querySelectorAll('button, select, input')].filter(el => {
        if (el.offsetParent === null) return false;
        const label = el.getAttribute('aria-label') || (el.labels && [...el.labels].map(l => l.textContent).join(''))
            || el.textContent || el.title;
        return !label || !label.trim();
    }).map(el => el.outerHTML.slice(0, 80))""")
    assert unnamed == []
    for _ in range(6):
        page.page.keyboard.press("Tab")
        if page.page.evaluate("document.activeElement.id") == "play":
            break
    assert page.page.evaluate("document.activeElement.id") == "play"
    outline = page.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    assert page.errors == []


def test_a_url_with_config_and_seed_reproduces_the_initial_weights(page, browser, server):
    query = "?layers=2,3,3,1&activation=relu&init=xavier&seed=42&dataset=moons&noise=10&train_ratio=0.6"
    page.open(query)
    mine = page.server_state()
    assert mine["config"]["seed"] == 42 and mine["config"]["dataset"]["name"] == "moons"
    direct = page.api("POST", "/api/networks", {"layers": [2, 3, 3, 1], "activation": "relu", "init": "xavier",
                                                "seed": 42, "dataset": {"name": "moons", "noise": 10,
                                                                        "train_ratio": 0.6}})
    assert mine["weights"] == direct["weights"] and mine["biases"] == direct["biases"]
    # The page wrote the whole configuration into its URL: opening that URL without the id
    # builds a new network with the same weights.
    url = page.page.url.split("&id=")[0]
    other = browser.new_context(viewport=VIEWPORT, bypass_csp=True)
    try:
        second = other.new_page()
        second.goto(url)
        second.wait_for_function("new URLSearchParams(location.search).get('id')")
        second_id = second.evaluate("new URLSearchParams(location.search).get('id')")
        assert second_id != page.network_id
        assert page.api("GET", f"/api/networks/{second_id}")["weights"] == mine["weights"]
    finally:
        other.close()


def test_reload_restores_the_network_from_the_server(page):
    page.open(SMALL)
    page.page.click("#step-iteration")
    page.page.click("#step-iteration")
    page.page.wait_for_function("document.documentElement.dataset.step === '2'")
    network_id = page.network_id
    page.page.reload()
    page.wait_ready()
    assert page.network_id == network_id
    assert page.page.text_content("#step") == "2"


def test_a_divergent_setting_shows_the_banner_with_its_remedies(page):
    page.open("?layers=2,8,8,1&activation=tanh&output_activation=linear&learning_rate=10&dataset=circle")
    page.page.click("#play")
    page.page.wait_for_selector("#banner:not([hidden])", timeout=15000)
    text = page.page.text_content("[data-testid=banner-text]")
    assert "diverged" in text and "learning rate" in text
    assert page.page.get_attribute("#play", "aria-pressed") == "false" or page.server_state()["diverged"]
    page.screenshot("diverged")
    page.page.click("#banner-lower")
    page.page.wait_for_selector("#banner", state="hidden")
    state = page.server_state()
    assert state["diverged"] is None and state["config"]["learning_rate"] == pytest.approx(1.0)
    assert page.page.input_value("#learning_rate") == "1"


def test_editing_a_weight_changes_it_in_place_and_keeps_the_run(page):
    page.open(SMALL)
    page.page.click("#step-iteration")
    page.page.wait_for_function("document.documentElement.dataset.step === '1'")
    page.page.dispatch_event("path.edge-hit[data-id='L0N1-L1N0']", "click")
    page.page.wait_for_selector("[data-testid=chain-product]")
    page.page.fill("[data-testid=edit-value]", "1.5")
    old_id = page.network_id
    page.page.click(".edit-form button[type=submit]")
    page.page.wait_for_function("document.querySelector('#L0N1-L1N0').getAttribute('data-value') === '1.5'")
    state = page.server_state()
    assert page.network_id == old_id
    assert state["weights"][0][1][0] == 1.5 and state["step"] == 1


def test_the_page_reconnects_after_a_server_restart_and_carries_on(browser, tmp_path):
    port, db = free_port(), tmp_path / "restart.sqlite3"
    server = start_server(port, db)
    context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)
    context.set_default_timeout(15_000)
    try:
        page = Page(context.new_page(), f"http://127.0.0.1:{port}", "restart")
        page.open(SMALL)
        page.page.click("#step-iteration")
        page.page.wait_for_function("document.documentElement.dataset.step === '1'")
        network_id = page.network_id
        stop_server(server)
        page.page.wait_for_function("document.querySelector('#connection').dataset.state === 'closed'")
        # A server that is down says so and disables what cannot work, with the reason (issue 12, item 8).
        page.page.wait_for_selector("#offline:not([hidden])")
        assert "not answering" in page.page.text_content("#offline")
        assert page.page.is_disabled("#play") and "not answering" in page.page.get_attribute("#play", "title")
        page.screenshot("server-down")
        server = start_server(port, db)
        page.page.wait_for_function("document.querySelector('#connection').dataset.state === 'open'")
        page.page.wait_for_selector("#offline", state="hidden")
        assert page.page.is_enabled("#play")
        page.page.click("#step-iteration")
        page.page.wait_for_function("document.documentElement.dataset.step === '2'")
        assert page.network_id == network_id
        assert page.server_state()["step"] == 2
    finally:
        context.close()
        stop_server(server)
