"""Your data on the page: points drawn on the output map, a CSV with named classes, exports downloaded
and a JSON export dropped back onto the page."""
from __future__ import annotations

import io
import json
import struct
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from tests.app.csv_samples import IRIS_LIKE
from tests.app.test_exports import _expected_size as expected_size

pytestmark = pytest.mark.browser


def output_map_pixels(page) -> list[int]:
    return page.page.evaluate("""() => {
        const c = document.getElementById('output-heat');
        return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 16 === 0));
    }""")


def use_csv(page, csv, summary: str) -> None:
    """Upload `csv`, wait for its summary to say `summary`, and train on it: a new network."""
    page.page.set_input_files("#csv-file", str(csv))
    page.page.wait_for_function(f"document.getElementById('csv-summary').textContent.includes('{summary}')")
    old = page.network_id
    page.page.click("#csv-use")
    page.page.wait_for_function(f"new URLSearchParams(location.search).get('id') !== '{old}'")
    page.wait_ready()


def wait_for_points(page, count: int) -> None:
    """Until the server holds `count` training points (the page sends drawn points as it goes)."""
    page.page.wait_for_function(f"""async () => (await (await fetch('/api/networks/{page.network_id}/data')).json())
        .x_train.length === {count}""")


def click_map(page, fx: float, fy: float, button: str = "left") -> None:
    box = page.page.locator("#output-points").bounding_box()
    page.page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"], button=button)


def test_clicking_points_onto_the_output_map_changes_the_data_and_after_training_the_map(page):
    page.open("?layers=2,4,1&dataset=xor&seed=2&learning_rate=0.1")
    before = page.api("GET", f"/api/networks/{page.network_id}/data")
    page.page.click("#draw-box summary")
    page.page.select_option("#draw-class", "1")
    for fx, fy in ((0.1, 0.1), (0.15, 0.12), (0.12, 0.18), (0.2, 0.1)):
        click_map(page, fx, fy)
    wait_for_points(page, len(before['x_train']) + 4)
    after = page.api("GET", f"/api/networks/{page.network_id}/data")
    added = after["x_train"][-4:]
    assert all(x < -3 and y > 3 for x, y in added) and after["y_train"][-4:] == [1, 1, 1, 1]
    state = page.server_state()
    assert state["config"]["dataset"]["name"] == "custom" and state["n_train"] == len(after["x_train"])
    click_map(page, 0.1, 0.1, button="right")  # the eraser on the right button
    wait_for_points(page, len(before['x_train']) + 3)
    map0 = output_map_pixels(page)
    for _ in range(3):
        page.page.click("#step-epoch")
        page.page.wait_for_timeout(300)
    page.page.wait_for_function(f"document.documentElement.dataset.step !== '{state['step']}'")
    page.page.wait_for_timeout(500)
    assert output_map_pixels(page) != map0
    page.screenshot("drawn")
    assert page.errors == []


def test_a_csv_with_three_named_classes_shows_those_names_and_keeps_them_when_the_network_changes(page, tmp_path):
    page.open("?dataset=circle")
    csv = tmp_path / "flowers.csv"
    csv.write_text(IRIS_LIKE)
    page.page.set_input_files("#csv-file", str(csv))
    page.page.wait_for_function("document.getElementById('csv-summary').textContent.includes('3 classes')")
    assert "setosa, versicolor, virginica" in page.page.text_content("#csv-summary")
    old = page.network_id
    page.page.click("#csv-use")
    page.page.wait_for_function(f"new URLSearchParams(location.search).get('id') !== '{old}'")
    page.wait_ready()
    state = page.server_state()
    assert state["layers"][0] == 2 and state["layers"][-1] == 3 and state["config"]["loss"] == "categorical_cross_entropy"
    options = page.page.eval_on_selector_all("#draw-class option", "els => els.map(e => e.textContent)")
    assert options == ["setosa", "versicolor", "virginica"]
    assert page.page.text_content("#class-legend") == "setosaversicolorvirginica"
    labels = page.page.eval_on_selector_all("svg.network g.node.layer-input", "els => els.map(e => e.getAttribute('aria-label'))")
    assert labels == ["Neuron L0N0 (length)", "Neuron L0N1 (width)"]
    assert "NaN" not in page.page.text_content(".col-data") and "undefined" not in page.page.text_content(".col-data")
    assert page.page.input_value("#init") != ""
    page.page.click("#add-layer")  # a new architecture keeps your data
    page.page.wait_for_function(f"document.querySelectorAll('svg.network g.node').length > {sum(state['layers'])}")
    page.page.wait_for_timeout(300)
    grown = page.server_state()
    assert grown["config"]["dataset"]["name"] == "custom" and grown["n_train"] == state["n_train"]
    assert grown["config"]["dataset"]["labels"] == ["setosa", "versicolor", "virginica"]
    page.screenshot("flowers")
    assert page.errors == []


def download(page, fmt: str) -> bytes:
    if not page.page.evaluate("document.getElementById('export-box').open"):
        page.page.click("#export-box summary")
    with page.page.expect_download() as info:
        page.page.click(f"#export-bar a[data-format={fmt}]")
    return open(info.value.path(), "rb").read()


def test_svg_and_png_downloads_are_images_of_the_drawings_size(page):
    page.open("?layers=2,3,1&dataset=circle")
    svg = download(page, "svg")
    assert svg.startswith(b"<svg") or svg.startswith(b"<?xml")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    width, height = int(root.get("width")), int(root.get("height"))
    assert (width, height) == expected_size([2, 3, 1])  # the server's layout for these layers
    assert len(root.findall("{http://www.w3.org/2000/svg}image")) == 2 + 3 + 1 + 1  # every neuron, the output map
    png = download(page, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (2 * width, 2 * height)
    with Image.open(io.BytesIO(png)) as image:  # the whole file decodes, not just its header
        image.load()
        assert image.size == (2 * width, 2 * height) and image.getextrema() != ((255, 255),) * len(image.getbands())
    assert download(page, "numpy").startswith(b'"""Network ')
    assert page.errors == []


def owned(page, method: str, path: str, key: str, body: dict | None = None) -> dict:
    """An API call with the owner key (the page's own calls send theirs from localStorage)."""
    request = urllib.request.Request(page.base + path, data=json.dumps(body or {}).encode(), method=method,
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_dropping_a_json_export_restores_the_network(page):
    page.open("?dataset=circle")
    original = page.api("POST", "/api/networks", {"layers": [2, 3, 1], "dataset": {"name": "xor"}, "seed": 4})
    owned(page, "POST", f"/api/networks/{original['id']}/step", original["key"], {"by": "phase", "count": 7})
    exported = page.api("GET", f"/api/networks/{original['id']}/export")
    page.page.evaluate("""(text) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], 'network.json', { type: 'application/json' }));
        document.querySelector('.col-network').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }""", json.dumps(exported))
    page.page.wait_for_function("""(() => document.querySelectorAll('svg.network g.node').length === 6)""")
    page.wait_ready()
    twin = page.server_state()
    source = page.api("GET", f"/api/networks/{original['id']}")
    assert twin["id"] != original["id"]
    assert (twin["weights"], twin["step"], twin["phase"]) == (source["weights"], source["step"], source["phase"])
    twin_key = page.page.evaluate(f"JSON.parse(localStorage.getItem('backprop-playground.keys'))['{twin['id']}']")
    a = owned(page, "POST", f"/api/networks/{original['id']}/step", original["key"], {"by": "epoch", "count": 2})
    b = owned(page, "POST", f"/api/networks/{twin['id']}/step", twin_key, {"by": "epoch", "count": 2})
    assert a["state"]["weights"] == b["state"]["weights"]
    assert page.errors == []


def test_a_csv_dropped_on_the_data_panel_offers_its_columns_and_kind(page):
    page.open("?dataset=circle")
    page.page.evaluate("""() => {
        const text = 'a,b,c,d\\n' + Array.from({ length: 30 }, (_, i) => `${i % 5},${i % 7},${i * 0.25},${i % 2}`).join('\\n');
        const dt = new DataTransfer();
        dt.items.add(new File([text], 'table.csv', { type: 'text/csv' }));
        document.querySelector('.col-data').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }""")
    page.page.wait_for_function("document.getElementById('csv-summary').textContent.includes('2 classes')")
    assert page.page.input_value("#csv-target") == "d"
    assert page.page.eval_on_selector_all("#csv-inputs input", "els => els.map(e => e.value)") == ["a", "b", "c"]
    page.page.select_option("#csv-target", "c")  # a measured column: a regression
    page.page.wait_for_function("document.getElementById('csv-summary').textContent.includes('regression of c')")
    page.page.select_option("#csv-kind", "classification")
    page.page.wait_for_function("document.getElementById('csv-summary').textContent.includes('30 classes')")
    page.page.uncheck("#csv-inputs input[value=b]")
    page.page.wait_for_function("document.getElementById('csv-summary').textContent.includes('2 inputs')")
    assert page.network_id == page.server_state()["id"]  # nothing made yet
    page.page.set_input_files("#csv-file", files=[{"name": "bad.csv", "mimeType": "text/csv",
                                                   "buffer": b"a,b,c\n1,2,x\n3,abc,y\n"}])
    page.page.wait_for_selector("#toast.show.error")  # the server's precise message, and nothing made
    assert page.page.text_content("#toast") == "bad.csv: line 3, column 2: 'abc' is not a number"
    assert page.network_id == page.server_state()["id"]
    assert [e for e in page.errors if "422" not in e] == []  # Chromium logs the refused upload itself


def test_data_with_three_inputs_show_a_slice_the_page_explains_and_whose_axes_can_be_chosen(page, tmp_path):
    page.open("?dataset=circle")
    csv = tmp_path / "three.csv"
    csv.write_text("a,b,c,label\n" + "".join(f"{i % 5},{(i * 3) % 7},{i * 0.25},{'yes' if i % 2 else 'no'}\n"
                                             for i in range(40)))
    use_csv(page, csv, "3 inputs")
    labels = page.page.eval_on_selector_all("svg.network g.node.layer-input", "els => els.map(e => e.getAttribute('aria-label'))")
    assert labels == ["Neuron L0N0 (a)", "Neuron L0N1 (b)", "Neuron L0N2 (c)"]
    assert page.page.is_visible("#slice-box")
    assert "3 inputs" in page.page.text_content("#slice-why") and "training mean" in page.page.text_content("#slice-why")
    page.page.wait_for_function("document.getElementById('slice-held').textContent.startsWith('Held at the mean: c = ')")
    assert page.page.text_content("#own-data").startswith("Your data: 40 points (20 for training); inputs a, b, c; label: 2 classes (no, yes)")
    assert [page.page.text_content(f".output-map .axis.{a} span:nth-child(2)") for a in "xy"] == ["a", "b"]
    page.page.select_option("#slice-y", "2")  # c up, b held
    page.page.wait_for_function("document.getElementById('slice-held').textContent.startsWith('Held at the mean: b = ')")
    assert page.page.text_content(".output-map .axis.y span:nth-child(2)") == "c"
    page.page.select_option("#slice-x", "2")  # c across: the axes swap
    page.page.wait_for_function("document.querySelector('.output-map .axis.x span:nth-child(2)').textContent === 'c'")
    assert page.page.input_value("#slice-y") == "0"
    page.page.click("#draw-box summary")  # a drawn point: c and a from the map, b at the value held
    held = float(page.page.text_content("#slice-held").split("b = ")[1].rstrip("."))
    before = page.api("GET", f"/api/networks/{page.network_id}/data")
    click_map(page, 0.9, 0.1)
    wait_for_points(page, len(before['x_train']) + 1)
    a, b, c = page.api("GET", f"/api/networks/{page.network_id}/data")["x_train"][-1]
    assert abs(b - held) < 0.01 and c > 7 and a > 3.4, (a, b, c)  # c runs 0..9.75 across, a 0..4 up
    page.page.click("#draw-box summary")
    page.page.click("#step-epoch")  # a frame after a step does not bring back the default slice
    page.page.wait_for_function("document.documentElement.dataset.step !== '0'")
    page.page.wait_for_timeout(600)
    assert page.page.text_content(".output-map .axis.x span:nth-child(2)") == "c"
    assert "NaN" not in page.page.text_content(".col-data") and "undefined" not in page.page.text_content(".col-data")
    page.screenshot("slice")
    own = page.network_id
    page.page.once("dialog", lambda d: d.dismiss())  # a built-in dataset asks before it replaces your data
    page.page.click("#dataset-picker button[data-dataset=xor]")
    page.page.wait_for_timeout(500)
    assert page.network_id == own
    page.page.once("dialog", lambda d: d.accept())
    page.page.click("#dataset-picker button[data-dataset=xor]")
    page.page.wait_for_function(f"new URLSearchParams(location.search).get('id') !== '{own}'")
    page.wait_ready()
    back = page.server_state()
    assert back["config"]["dataset"]["name"] == "xor" and back["layers"][0] == len(back["config"]["features"])
    assert page.page.is_hidden("#slice-box") and page.page.is_hidden("#own-data")
    assert page.errors == []


def test_a_followers_page_shows_the_points_the_owner_draws(page, browser):
    page.open("?layers=2,3,1&dataset=xor&seed=5")
    network_id = page.network_id
    context = browser.new_context(viewport={"width": 1280, "height": 720}, bypass_csp=True)
    try:
        follower = context.new_page()
        follower.goto(f"{page.base}/?id={network_id}")
        follower.wait_for_function("document.documentElement.dataset.role === 'follower'")
        assert follower.is_hidden("#draw-box")  # only the owner draws
        page.page.click("#draw-box summary")
        page.page.click("#draw-clear")
        page.page.select_option("#draw-class", "0")
        click_map(page, 0.2, 0.2)
        page.page.select_option("#draw-class", "1")
        click_map(page, 0.8, 0.8)
        follower.wait_for_function("(document.getElementById('own-data').textContent || '').startsWith('Your data: 2 points')")
        assert page.server_state()["n_train"] == 2
    finally:
        context.close()
    assert page.errors == []


def test_one_input_and_one_target_are_drawn_as_a_curve_through_the_points(page, tmp_path):
    page.open("?dataset=circle")
    csv = tmp_path / "wave.csv"
    csv.write_text("x,height\n" + "".join(f"{i / 10 - 2:.2f},{(i / 10 - 2) ** 2 / 4 - 0.5:.4f}\n" for i in range(41)))
    use_csv(page, csv, "1 input")
    page.page.wait_for_function("document.getElementById('output-points').dataset.curve === 'on'")
    assert "the line the network's output" in page.page.text_content("#slice-why")
    ends = [float(page.page.text_content(f".output-map .axis.y span[data-extent='{e}']")) for e in ("1", "-1")]
    targets = [row[0] if isinstance(row, list) else row for row in
               page.api("GET", f"/api/networks/{page.network_id}/data")["y_train"]]
    assert ends[0] > max(targets) and ends[1] < min(targets), (ends, targets)  # the axis holds every target
    for _ in range(4):
        page.page.click("#step-epoch")
    page.page.wait_for_function("document.documentElement.dataset.step !== '0'")
    assert page.page.get_attribute("#output-points", "data-outside") == "0"
    page.screenshot("one-input-curve")
    page.page.click("#draw-box summary")  # on a curve, the height of a click is the new point's target
    assert page.page.is_hidden("#draw-value") and "height" in page.page.text_content("#draw-note")
    before = page.api("GET", f"/api/networks/{page.network_id}/data")
    click_map(page, 0.5, 0.1)
    wait_for_points(page, len(before['x_train']) + 1)
    after = page.api("GET", f"/api/networks/{page.network_id}/data")
    (x,), target = after["x_train"][-1], after["y_train"][-1]
    target = target[0] if isinstance(target, list) else target
    assert abs(x) < 0.2 and ends[1] + 0.85 * (ends[0] - ends[1]) < target <= ends[0], (x, target, ends)
    page.page.click("#draw-box summary")
    own = page.network_id  # read before the click: the new network may be there before the next line
    page.page.once("dialog", lambda d: d.accept())
    page.page.click("#dataset-picker button[data-dataset]:visible >> nth=0")  # a generated regression dataset
    page.page.wait_for_function(f"new URLSearchParams(location.search).get('id') !== '{own}'")
    page.wait_ready()
    page.page.wait_for_function("document.getElementById('output-points').dataset.curve !== 'on'")
    assert page.page.text_content(".output-map .axis.y span[data-extent='1']") == "6"
    assert not page.page.locator(".output-map .axis.y").evaluate("e => e.classList.contains('values')")
    assert page.errors == []


def test_drawing_on_a_regression_adds_points_with_the_value_chosen(page):
    page.open("?dataset=plane&seed=3")
    before = page.api("GET", f"/api/networks/{page.network_id}/data")
    page.page.click("#draw-box summary")
    assert page.page.is_hidden("#draw-class") and page.page.is_visible("#draw-value")
    page.page.fill("#draw-value", "-0.7")
    page.page.dispatch_event("#draw-value", "change")
    for fx, fy in ((0.85, 0.15), (0.9, 0.1)):  # top right, where the plane's own targets are high
        click_map(page, fx, fy)
    wait_for_points(page, len(before['x_train']) + 2)
    after = page.api("GET", f"/api/networks/{page.network_id}/data")
    assert after["kind"] == "regression"
    assert all(x > 3 and y > 3 for x, y in after["x_train"][-2:])
    assert [row[0] if isinstance(row, list) else row for row in after["y_train"][-2:]] == [-0.7, -0.7]
    page.screenshot("drawn-regression")
    assert page.errors == []
