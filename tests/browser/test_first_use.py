"""The page as a first-time user meets it (issue 12), at the sizes each part concerns: what used to trip
people up, checked in real Chromium with screenshots under tests/artifacts/, and axe-core's serious or
critical findings on the main page, with the inspector open and in projector mode."""
from __future__ import annotations

import pytest

from tests.browser.axe import violations

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = {"small": {"width": 1024, "height": 768}, "projector": {"width": 1280, "height": 720},
         "large": {"width": 1920, "height": 1080}}


def output_node_colours(page) -> list[list[int]]:
    """For each output neuron, the most saturated pixel of its heatmap on the shared canvas."""
    return page.page.evaluate("""() => {
        const canvas = document.querySelector('canvas.network-maps');
        const box = canvas.getBoundingClientRect();
        const r = canvas.width / box.width;
        return [...document.querySelectorAll('svg.network g.node.layer-output')].map((g) => {
            const f = g.querySelector('.frame').getBoundingClientRect();
            const d = canvas.getContext('2d').getImageData((f.x - box.x + 3) * r, (f.y - box.y + 3) * r,
                                                            (f.width - 6) * r, (f.height - 6) * r).data;
            let best = [0, 0, 0]; let most = -1;
            for (let i = 0; i < d.length; i += 4) {
                const s = Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]);
                if (s > most) { most = s; best = [d[i], d[i + 1], d[i + 2]]; }
            }
            return best;
        });
    }""")


SATURATED_IN_HOVER_CARD = """() => {
    const c = document.querySelector('#hover-card canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let best = [0, 0, 0]; let most = -1;
    for (let i = 0; i < d.length; i += 4) {
        const s = Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]);
        if (s > most) { most = s; best = [d[i], d[i + 1], d[i + 2]]; }
    }
    return best;
}"""


def nearest_class(rgb, palette) -> int:
    return min(range(len(palette)), key=lambda c: sum((a - b) ** 2 for a, b in zip(rgb, hex_rgb(palette[c]))))


def hex_rgb(value: str) -> tuple[int, int, int]:
    return tuple(int(value[i:i + 2], 16) for i in (1, 3, 5))


def test_1_a_three_class_dataset_opens_with_softmax_and_class_coloured_outputs(page):
    page.open("?dataset=circle&seed=2")
    page.page.click("#dataset-picker button[data-dataset=blobs]")
    page.page.wait_for_function("document.querySelectorAll('svg.network g.node.layer-output').length === 3")
    page.wait_ready()
    state = page.server_state()
    assert state["config"]["output_activation"] == "softmax"
    assert state["config"]["loss"] == "categorical_cross_entropy"
    assert state["layers"][-1] == 3
    assert page.page.input_value("#output_activation") == "softmax"
    assert page.page.input_value("#loss") == "categorical_cross_entropy"
    for _ in range(15):
        page.page.click("#step-epoch")
        page.page.wait_for_timeout(60)
    page.page.wait_for_function("Number(document.querySelector('#epoch').textContent) >= 10")
    page.page.wait_for_timeout(400)  # the next frame carries the grids of the trained network
    palette = page.page.evaluate("""async () => (await import(new URL('palette.js',
        document.querySelector('script[type=module]').src))).palette().classes""")
    colours = output_node_colours(page)
    for k, rgb in enumerate(colours):  # each output neuron is painted in its own class's colour
        assert nearest_class(rgb, palette) == k, (k, rgb, palette)
    # …and so is its hover card, not on the orange/blue scale of hidden neurons.
    for k in range(3):
        page.page.mouse.move(0, 0)
        page.page.wait_for_selector("#hover-card", state="hidden")
        page.page.hover(f"svg.network g.node.layer-output >> nth={k}")
        page.page.wait_for_selector("#hover-card:not([hidden])")
        rgb = page.page.evaluate(SATURATED_IN_HOVER_CARD)
        assert nearest_class(rgb, palette) == k, (k, rgb, palette)
        assert max(rgb) - min(rgb) > 30, rgb  # a colour, not the neutral grey
        page.screenshot(f"softmax-hover-output-{k}")
    page.page.mouse.move(0, 0)
    # The output map shades by confidence with smooth borders: many tones, not three flat colours.
    tones = page.page.evaluate("""() => {
        const c = document.getElementById('output-heat');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < d.length; i += 4) seen.add((d[i] >> 2) << 12 | (d[i + 1] >> 2) << 6 | d[i + 2] >> 2);
        return seen.size;
    }""")
    assert tones > 40, tones
    page.screenshot("softmax-blobs")
    assert page.errors == []


def test_axe_finds_nothing_serious_on_the_page_with_the_inspector_open_and_in_projector_and_presenter_mode(page):
    page.open("?dataset=circle&seed=1")
    assert violations(page.page) == []
    page.page.click("#step-phase")
    page.page.wait_for_function("document.querySelector('#phase-chips li.done') !== null")
    page.page.click("svg.network g.node.layer-output")
    page.page.wait_for_selector("#inspector .eq-card")
    assert violations(page.page) == []
    page.screenshot("inspector")
    page.page.check("#projector")
    page.page.wait_for_function("document.documentElement.classList.contains('projector')")
    assert violations(page.page) == []
    page.screenshot("projector")
    page.open("?dataset=circle&seed=1&presenter=1")
    page.page.wait_for_function("document.documentElement.classList.contains('presenter')")
    assert violations(page.page) == []
    page.screenshot("presenter")


def boxes_overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_4_divergence_is_flagged_where_the_loss_explodes_and_shown_without_covering_the_controls(page):
    page.page.set_viewport_size(SIZES["projector"])
    page.open("?dataset=plane&layers=2,8,8,1&activation=relu&output_activation=linear&learning_rate=3&seed=1")
    page.page.click("#step-epoch")
    page.page.wait_for_selector("#banner:not([hidden])")
    state = page.server_state()
    assert state["diverged"]["step"] < 20, state["diverged"]
    assert "exploded" in page.page.text_content("[data-testid=banner-text]")
    banner = page.page.locator("#banner").bounding_box()
    for control in ("#phase-chips", ".run-controls", ".net-toolbar", ".hyper"):
        assert not boxes_overlap(banner, page.page.locator(control).bounding_box()), control
    # The charts show every step of the climb up to where training stopped: the loss on a log axis
    # (decades, never "e+304"), the gradient norms as lines, not one point; a norm that fell to exactly
    # 0 (dead ReLUs) sits on a floor marked 0.
    bad = state["diverged"]["step"]
    history = state["history"]
    assert [e["step"] for e in history] == list(range(bad)), [e["step"] for e in history]
    assert history[-1]["train_loss"] > 20 * history[0]["train_loss"]  # it did climb
    page.page.wait_for_function("(n) => document.getElementById('grad-chart').dataset.points === String(n)",
                                arg=len(history) - 1)  # step 0 has no gradient yet
    assert len(history) - 1 >= 3
    if any(0 in e["grad_norms"] for e in history[1:]):
        assert page.page.get_attribute("#grad-chart", "data-ticks").startswith("0 ")
    page.page.wait_for_function("(n) => document.getElementById('loss-chart').dataset.points === String(n)",
                                arg=len(history))
    assert page.page.get_attribute("#loss-chart", "data-scale") == "log"
    loss_ticks = page.page.get_attribute("#loss-chart", "data-ticks")
    assert "e+" not in loss_ticks and "e-" not in loss_ticks, loss_ticks
    top = loss_ticks.split()[-1]  # "10⁶": the axis reaches the last loss
    exponent = int(top[2:].translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))
    assert 10 ** exponent >= history[-1]["train_loss"], (loss_ticks, history[-1]["train_loss"])
    shown = page.page.text_content("#train_loss")  # "3.01×10⁶" as on the axis, not "3.014e+6"
    assert "e+" not in shown and ("×10" in shown or state["train_loss"] < 1e4), shown
    page.screenshot("diverged")


def test_4_a_dead_relu_network_says_how_many_neurons_are_dead(page):
    page.open("?dataset=circle&layers=2,8,1&activation=relu&learning_rate=3&seed=3")
    assert page.page.locator("#dead-hint").is_hidden()
    for _ in range(30):
        page.page.click("#step-epoch")
    page.page.wait_for_function("document.querySelector('#epoch').textContent === '30'")
    page.page.wait_for_selector("#dead-hint:not([hidden])")
    dead = page.server_state()["dead_relu"]
    assert dead["dead"] > 0
    text = page.page.text_content("#dead-hint")
    assert f"{dead['dead']} of 8 ReLU neurons output 0 for every training point" in text
    page.screenshot("dead-relu")
    assert page.errors == []


def test_9_keyboard_esc_help_stepping_over_a_focused_select_and_focus_on_a_chosen_weight(page):
    page.open("?dataset=circle&layers=2,3,1&seed=1&learning_rate=0.3")
    page.page.focus("#learning_rate")
    page.page.keyboard.press("ArrowRight")
    page.page.wait_for_function("document.querySelector('#phase-chips li.done') !== null")
    assert page.page.input_value("#learning_rate") == "0.3"  # the select kept its value; the page stepped
    page.page.keyboard.press("?")
    page.page.wait_for_selector("#shortcuts:not([hidden])")
    assert "next phase" in page.page.text_content("#shortcuts")
    page.screenshot("shortcuts")
    page.page.keyboard.press("Escape")
    page.page.wait_for_selector("#shortcuts", state="hidden")
    page.page.click("svg.network g.node.layer-output")
    page.page.wait_for_selector("#inspector button[data-select^='weight:']")
    weight = page.page.get_attribute("#inspector button[data-select^='weight:']", "data-select").split(":", 1)[1]
    page.page.click("#inspector button[data-select^='weight:']")
    page.page.wait_for_function("(id) => document.activeElement && document.activeElement.id === id", arg=weight)
    page.page.keyboard.press("Escape")
    page.page.wait_for_function("!document.querySelector('#inspector .close')")
    assert page.errors == []


def test_10_a_link_reproduces_the_view_and_a_bad_link_says_what_was_wrong(page):
    page.open("?dataset=circle&seed=1&numbers=1&palette=purple-green&test=1&discrete=1&edges=updates&projector=1")
    for box in ("#show-numbers", "#show-test", "#discretize", "#projector"):
        assert page.page.is_checked(box), box
    assert page.page.is_checked("input[name=edge-mode][value=updates]")
    assert page.page.input_value("#palette") == "purple-green"
    assert page.page.evaluate("document.documentElement.classList.contains('projector')")
    page.screenshot("view-from-link")
    page.page.uncheck("#show-numbers")
    page.page.wait_for_function("!location.search.includes('numbers=')")
    page.page.check("input[name=edge-mode][value=gradients]")
    page.page.wait_for_function("location.search.includes('edges=gradients')")
    page.open("?dataset=circle&edges=sideways&learning_rate=fast")
    page.page.wait_for_selector("#toast.show.error")
    text = page.page.text_content("#toast")
    assert "edges=sideways" in text and "learning_rate=fast" in text, text
    page.screenshot("bad-link")


def test_11_edges_showing_gradients_label_gradients_right_after_an_update(page):
    page.open("?dataset=circle&layers=2,3,1&seed=1&edges=gradients")
    page.page.click("#step-iteration")
    page.page.wait_for_function("document.documentElement.dataset.step === '1'")
    page.page.wait_for_function("[...document.querySelectorAll('text.edge-label')].some(t => t.textContent)")
    legend = page.page.text_content("#stage-legend")
    assert "∂E/∂w" in legend and "Δw" not in legend, legend
    page.screenshot("gradient-labels")


def test_12_no_point_of_noisy_moons_disappears_from_the_output_map(page):
    page.open("?dataset=moons&noise=50&seed=1")
    state = page.server_state()
    page.page.wait_for_function("document.getElementById('output-points').dataset.drawn")
    drawn = page.page.evaluate("({...document.getElementById('output-points').dataset})")
    assert int(drawn["drawn"]) == state["n_train"]
    assert int(drawn["outside"]) > 0  # beyond ±6, held at the edge as squares
    page.screenshot("moons-noise-50")


def test_2_accuracy_chart_beside_the_loss_with_the_same_labels_and_order(page):
    page.open("?dataset=circle&seed=1")
    for _ in range(3):
        page.page.click("#step-epoch")
    page.page.wait_for_function("document.querySelector('#epoch').textContent === '3'")
    page.page.wait_for_function("document.getElementById('accuracy-chart').dataset.ticks")
    assert page.page.get_attribute("#accuracy-chart", "data-ticks") == "0% 50% 100%"
    loss = page.page.locator("#loss-chart").bounding_box()
    accuracy = page.page.locator("#accuracy-chart").bounding_box()
    assert abs(loss["y"] - accuracy["y"]) < 2 and accuracy["x"] > loss["x"]  # beside it
    metrics = page.page.locator(".metrics > div").all_text_contents()
    assert metrics[0].startswith("Train loss") and metrics[1].startswith("Test loss")
    assert "train / test" in metrics[2]
    assert page.page.locator("#loss-legend .legend-item").all_text_contents() == ["training", "test"]
    page.screenshot("accuracy")
    page.page.select_option("#problem", "regression")
    page.page.wait_for_function("document.getElementById('accuracy-chart').hidden")


def test_3_each_phase_shows_what_it_computed_with_numbers_off_and_the_equations_in_use(page):
    page.open("?dataset=circle&layers=2,4,2,1&seed=1")
    overview = page.page.text_content("#inspector")
    assert "hidden activation: tanh" in overview and "error: squared error" in overview and "ReLU" not in overview
    assert not page.page.is_checked("#show-numbers")
    page.page.click("#step-phase")
    page.page.wait_for_function("document.querySelectorAll('svg.network g.node.computed').length === 4")
    chips = page.page.eval_on_selector_all(".value-chip:not(.empty) .chip-text", "els => els.map(e => e.textContent)")
    assert len(chips) == 4 and all(chips), chips  # layer 1's activations, on its nodes
    assert page.page.get_attribute("#inspector section.eq-card.current[data-eq='2']", "data-eq") == "2"
    page.screenshot("forward-1-numbers-off")
    page.page.click("#step-phase")
    page.page.wait_for_function("document.querySelectorAll('svg.network g.node.computed').length === 2")


def test_6_the_hover_card_never_covers_the_selected_output_neuron_s_callout_or_the_loss_chart(page):
    page.open("?dataset=circle&layers=2,4,2,1&seed=1")
    page.page.click("#step-iteration")
    page.page.wait_for_function("document.documentElement.dataset.step === '1'")
    for _ in range(4):  # forward 1, forward 2, forward 3, loss
        page.page.click("#step-phase")
    page.page.wait_for_function("document.querySelector('#phase-text').textContent.includes('Just computed: Error')"
                                " || document.querySelector('#phase-text').textContent.includes('Just computed: Loss')")
    output = page.page.locator("svg.network g.node.layer-output .frame")
    output.hover()
    page.page.wait_for_selector("#hover-card:not([hidden])")  # hovering alone shows the card
    output.click()  # …clicking it and leaving the mouse there hides it
    page.page.wait_for_selector("#hover-card", state="hidden")
    page.page.wait_for_timeout(300)
    assert page.page.locator("#hover-card").is_hidden()
    assert page.page.locator(".loss-callout").count() and page.page.locator(".loss-callout").first.is_visible()
    page.screenshot("output-selected")


@pytest.mark.parametrize("size", ["small", "projector", "large"])
def test_5_every_control_is_reachable_and_the_drawing_fills_the_stage(page, size):
    page.page.set_viewport_size(SIZES[size])
    page.open("?dataset=spiral3&seed=1")
    width = SIZES[size]["width"]
    for control in ("#problem", "#regularization_rate", "#learning_rate", "#activation", "#play", "#loss",
                    "#output_activation", "#palette"):
        box = page.page.locator(control).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (control, box)
    assert page.page.locator("#loss").bounding_box()["width"] >= 150  # "Categorical cross-entropy" fits
    header = page.page.locator(".topbar").bounding_box()
    for control in ("#problem", "#learning_rate"):  # nothing spills out of the toolbar onto the phase bar
        box = page.page.locator(control).bounding_box()
        assert box["y"] + box["height"] <= header["y"] + header["height"] + 1, control
    stage = page.page.locator("#network-stage").bounding_box()
    lowest = max(b["y"] + b["height"] for b in
                 (page.page.locator(f"#{nid}").bounding_box() for nid in page.server_state()["neuron_ids"][1]))
    assert lowest - stage["y"] > 0.45 * stage["height"], (lowest, stage)
    page.screenshot(size)


def test_7_numbers_on_a_wide_network_never_run_into_the_next_node(page):
    page.open("?dataset=circle&layers=2,6,6,1&seed=1&numbers=1")
    page.page.click("#step-iteration")
    page.page.wait_for_function("document.documentElement.dataset.step === '1'")
    for _ in range(6):  # forward 1–3, loss, backward 3 and 2: δ chips on both hidden layers
        page.page.click("#step-phase")
    page.page.wait_for_function("document.querySelectorAll('.delta-chip:not(.empty)').length >= 6")
    hits = page.page.evaluate("""() => {
        const frames = [...document.querySelectorAll('svg.network g.node')].map(g => [g.id, g.querySelector('.frame').getBoundingClientRect()]);
        const over = (a, b) => !(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top);
        const out = [];
        document.querySelectorAll('.delta-chip:not(.empty) .chip-bg, .value-chip:not(.empty) .chip-bg').forEach((chip) => {
            const box = chip.getBoundingClientRect();
            const own = frames.filter(([, f]) => over(box, f));
            if (own.length > 1) out.push(own.map(([id]) => id).join('+'));
        });
        return out;
    }""")
    assert hits == [], hits  # each chip touches its own node only
    page.screenshot("2-6-6-1-numbers")


# Every option of every visible select fits the select once chosen, except in the lesson picker: a
# menu that always shows its placeholder (the lessons' long titles show in full in its open list).
CUT_SELECTS = """() => [...document.querySelectorAll('select')].filter((s) => s.checkVisibility()).flatMap((s) => {
    // A select as wide as it wants to be with one option (`width: auto`) against its width on the page.
    const need = (option) => {
        const probe = s.cloneNode(false);
        probe.removeAttribute('id');
        probe.append(option.cloneNode(true));
        for (const [k, v] of [['width', 'auto'], ['min-width', '0'], ['max-width', 'none'], ['flex', 'none'],
                              ['position', 'absolute'], ['visibility', 'hidden']]) probe.style.setProperty(k, v, 'important');
        s.parentNode.insertBefore(probe, s);
        const width = probe.getBoundingClientRect().width;
        probe.remove();
        return width;
    };
    const have = s.getBoundingClientRect().width;
    return [...s.options].filter((o) => (o.selected || s.id !== 'lesson-picker') && need(o) > have + 0.5)
        .map((o) => `${s.id || s.name || s.className}: "${o.text}"${o.selected ? ' (selected)' : ''} needs ${need(o).toFixed(1)} px, has ${have.toFixed(1)}`);
})"""

OVERFLOWING_EQUATIONS = """() => [...document.querySelectorAll('#inspector .eq-card')].filter((c) => c.checkVisibility()).flatMap((card) => {
    const box = card.getBoundingClientRect();
    const title = card.querySelector('h3')?.textContent;
    const out = [];
    if (card.scrollWidth > card.clientWidth) out.push(`${title}: scrolls ${card.scrollWidth} > ${card.clientWidth}`);
    card.querySelectorAll('math').forEach((m) => {
        const r = m.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(`${title}: equation ${r.left.toFixed(0)}–${r.right.toFixed(0)} outside ${box.left.toFixed(0)}–${box.right.toFixed(0)}`);
    });
    return out;
})"""


@pytest.mark.parametrize("size", ["small", "projector", "large"])
def test_5_no_select_cuts_an_option_and_no_equation_overflows_its_card(page, size):
    page.page.set_viewport_size(SIZES[size])
    page.open("?dataset=spiral3&seed=1&regularization=l2&regularization_rate=0.003&momentum=0.9")  # eq. 6 at its longest
    found = {"selects": page.page.evaluate(CUT_SELECTS), "overview": page.page.evaluate(OVERFLOWING_EQUATIONS)}
    page.screenshot("selects-and-overview")
    page.page.click("#step-iteration")
    page.page.wait_for_function("document.documentElement.dataset.step === '1'")
    for _ in range(7):  # forward 1–3, loss, backward 3–1: every card of a neuron has its numbers
        page.page.click("#step-phase")
    page.page.wait_for_function("document.querySelector('#phase-chips li.done') !== null")
    page.page.click("svg.network g.node.layer-output")
    page.page.wait_for_selector("#inspector .eq-card math")
    found["output neuron"] = page.page.evaluate(OVERFLOWING_EQUATIONS)
    page.screenshot("output-neuron-equations")
    page.page.click("#L2N0 .frame")  # four inputs: eq. 1 runs over lines
    page.page.wait_for_function("document.querySelector('[data-testid=inspector-title]').textContent.includes('L2N0')")
    found["hidden neuron"] = page.page.evaluate(OVERFLOWING_EQUATIONS)
    page.screenshot("hidden-neuron-equations")
    page.page.click("#inspector button[data-select^='weight:']")
    page.page.wait_for_selector("[data-testid=chain-batch-mean]")
    found["weight"] = page.page.evaluate(OVERFLOWING_EQUATIONS)
    page.page.click("#step-phase")  # the update: eq. 6 with its regularisation and momentum terms
    page.page.wait_for_selector("#inspector .eq-card h3:has-text('gradient descent')")
    found["weight updated"] = page.page.evaluate(OVERFLOWING_EQUATIONS)
    page.screenshot("weight-equations")
    page.page.check("#projector")  # larger type everywhere
    page.page.wait_for_function("document.documentElement.classList.contains('projector')")
    page.page.wait_for_timeout(200)
    found["projector: selects"] = page.page.evaluate(CUT_SELECTS)
    found["projector: weight"] = page.page.evaluate(OVERFLOWING_EQUATIONS)
    for neuron in ("L2N0", "L3N0"):
        page.page.click(f"#{neuron} .frame")
        page.page.wait_for_function("(id) => document.querySelector('[data-testid=inspector-title]').textContent"
                                    ".includes(id)", arg=neuron)
        found[f"projector: {neuron}"] = page.page.evaluate(OVERFLOWING_EQUATIONS)
    page.screenshot("projector-output-neuron-equations")
    page.page.keyboard.press("Escape")  # back to the equation overview
    page.page.wait_for_function("!document.querySelector('#inspector .close')")
    found["projector: overview"] = page.page.evaluate(OVERFLOWING_EQUATIONS)
    page.screenshot("projector-overview")
    assert {part: cut for part, cut in found.items() if cut} == {}
