"""The page's controls, URL and requests in real Chromium, against the field table the server serves:
ranges and presets come from `GET /api/options`, and the URL only ever holds what the server accepted."""
from __future__ import annotations

import json
import sys
import urllib.request

import pytest

from tests.browser.harness import VIEWPORT, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SMALL = "?layers=2,3,2,1&dataset=circle&seed=3"


def shown(value: float, ui: dict) -> float:
    return round(value * (100 if ui.get("percent") else 1), 9)


def test_every_control_takes_its_range_and_presets_from_the_served_table(page):
    page.open(SMALL)
    fields = {f["name"]: f for f in page.api("GET", "/api/options")["fields"]}
    controls = page.page.eval_on_selector_all("[data-field]", """els => els.map(el => ({
        field: el.dataset.field, tag: el.tagName, type: el.type, min: el.min, max: el.max, step: el.step,
        options: el.tagName === 'SELECT' ? [...el.options].map(o => o.value) : null, title: el.title }))""")
    assert {c["field"] for c in controls} >= {"learning_rate", "batch_size", "dataset.noise", "dataset.train_ratio"}
    for c in controls:
        field = fields[c["field"]]
        ui = field["ui"] or {}
        if c["tag"] == "SELECT":
            presets = ui.get("values") or field["choices"]
            offered = c["options"][:len(presets)]
            if field["type"] in ("number", "integer"):
                offered = [float(v) for v in offered]
            assert offered == presets, c["field"]
        else:
            for key in ("min", "max", "step"):
                if ui.get(key) is not None:
                    assert float(c[key]) == pytest.approx(shown(ui[key], ui)), (c["field"], key)
        assert field["description"] in c["title"]
    # The axes of the output map span the served input plane.
    extent = page.api("GET", "/api/options")["grid_extent"]
    assert page.page.text_content(".axis.x span:last-child") == f"{extent:g}"


def test_a_refused_live_change_stays_out_of_the_url_and_the_select_shows_the_accepted_value(page):
    page.open(SMALL + "&learning_rate=0.03")
    # A value no preset offers and the server refuses, chosen as a person would choose an option.
    page.page.evaluate("""() => { const s = document.getElementById('learning_rate');
        s.add(new Option('-1', '-1')); }""")
    page.page.select_option("#learning_rate", "-1")
    page.page.wait_for_selector("#toast.show.error")
    assert "learning_rate" in page.page.text_content("#toast")
    page.page.wait_for_function("document.getElementById('learning_rate').value === '0.03'")
    assert "learning_rate=0.03" in page.page.url
    assert page.server_state()["config"]["learning_rate"] == 0.03
    # An accepted change reaches the URL once the server has it.
    page.page.select_option("#learning_rate", "0.3")
    page.page.wait_for_function("location.search.includes('learning_rate=0.3')")
    assert page.server_state()["config"]["learning_rate"] == 0.3
    assert page.errors == []


def test_a_slider_sends_its_value_in_the_fields_own_units(page):
    page.open(SMALL)
    slider = page.page.locator("#train_ratio")
    slider.focus()
    page.page.keyboard.press("ArrowRight")  # one step up from the default
    page.page.wait_for_function("location.search.includes('train_ratio=0.6')")
    state = page.server_state()
    assert state["config"]["dataset"]["train_ratio"] == pytest.approx(0.6)
    assert page.page.text_content("#train_ratio-out") == "60%"


# A server whose table gives the noise another range: its OpenAPI and the page's slider must follow.
PATCHED_TABLE = """
import dataclasses, runpy, sys
import engine.fields as table
def wider(f):
    if f.name != 'dataset.noise':
        return f
    return dataclasses.replace(f, maximum=80, ui=dataclasses.replace(f.ui, max=80, step=4))
table.FIELDS = tuple(wider(f) for f in table.FIELDS)
sys.argv[0] = 'app'
runpy.run_module('app', run_name='__main__', alter_sys=True)
"""


@pytest.fixture(scope="module")
def patched_server(tmp_path_factory):
    from tests.server_process import ServerProcess

    with ServerProcess(tmp_path_factory.mktemp("patched") / "networks.sqlite3",
                       command=[sys.executable, "-c", PATCHED_TABLE]) as server:
        yield server.url


def test_a_range_changed_in_the_table_reaches_openapi_and_the_slider(browser, patched_server):
    openapi = json.loads(urllib.request.urlopen(patched_server + "/openapi.json", timeout=10).read())
    noise = [props["noise"] for schema in openapi["components"]["schemas"].values()
             for props in [schema.get("properties", {})] if "noise" in props]
    numbers = [branch for n in noise for branch in n.get("anyOf", [n]) if branch.get("type") == "number"]
    assert noise and len(numbers) == len(noise) and all(n.get("maximum") == 80 for n in numbers), noise
    context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)  # Playwright's polling evaluates strings
    try:
        page = Page(context.new_page(), patched_server, "patched-table")
        page.open(SMALL)
        assert page.page.get_attribute("#noise", "max") == "80"
        assert page.page.get_attribute("#noise", "step") == "4"
        page.page.evaluate("() => { const s = document.getElementById('noise'); s.value = '80';"
                           " s.dispatchEvent(new Event('change')); }")
        page.page.wait_for_function("location.search.includes('noise=80')")
        assert page.server_state()["config"]["dataset"]["noise"] == 80
        assert page.errors == []
    finally:
        context.close()
