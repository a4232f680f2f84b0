"""GET /api/options serves the table of settable fields; the schemas (and so OpenAPI) are built from it
with the server's settings: change a range in the table and both follow."""
from __future__ import annotations

import dataclasses
import re
import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from tests.app.owners import OwnerClient as TestClient  # owns the networks it makes

from app.deps import get_settings
from app.main import create_app
from engine import fields

CONTRACT_KEYS = {"name", "group", "type", "default", "minimum", "maximum", "exclusive_minimum",
                 "exclusive_maximum", "choices", "ui", "live", "description", "equation"}
UI_KEYS = {"control", "values", "min", "max", "step", "percent"}


def schema_of(openapi: dict, name: str) -> dict:
    """A field's JSON schema as OpenAPI shows it to a client creating a network."""
    components = openapi["components"]["schemas"]
    if name.startswith("dataset."):
        return components["DatasetSpec"]["properties"][name.split(".", 1)[1]]
    return components["NetworkCreate"]["properties"][name]


def enum_of(openapi: dict, prop: dict) -> list | None:
    """A field's choices: its vocabulary's enum, which OpenAPI states once and refers to."""
    prop = prop.get("items") or prop.get("anyOf", [prop])[0]
    if "$ref" in prop:
        prop = openapi["components"]["schemas"][prop["$ref"].rsplit("/", 1)[1]]
    return prop.get("enum")


def bounds_in(prop: dict) -> dict:
    """Numeric bounds of a property, on the value or (for a list) on its items, plus list lengths."""
    value = prop.get("items", prop)
    out = {key: value.get(key) for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")}
    return {**out, "maxItems": prop.get("maxItems"), "minItems": prop.get("minItems")}


def expected_bounds(row: dict) -> dict:
    return {"minimum": row["minimum"], "maximum": row["maximum"], "exclusiveMinimum": row["exclusive_minimum"],
            "exclusiveMaximum": row["exclusive_maximum"], "maxItems": row["max_items"],
            "minItems": row["min_items"]}


def assert_schemas_follow_the_table(client) -> list[dict]:
    openapi, rows = client.get("/openapi.json").json(), client.get("/api/options").json()["fields"]
    assert [row["name"] for row in rows] == [f.name for f in fields.FIELDS]
    for row in rows:
        prop = schema_of(openapi, row["name"])
        assert bounds_in(prop) == expected_bounds(row), row["name"]
        if "default" in prop:
            assert prop["default"] == row["default"], row["name"]
        enum = enum_of(openapi, prop)
        assert enum == row["choices"], row["name"]
        assert prop["description"] == row["description"], row["name"]
    return rows


def test_options_serve_every_field_in_the_contract_format(client):
    rows = client.get("/api/options").json()["fields"]
    for row in rows:
        assert CONTRACT_KEYS <= set(row), row["name"]
        assert row["ui"] is None or set(row["ui"]) == UI_KEYS, row["name"]
    by_name = {row["name"]: row for row in rows}
    rate = by_name["learning_rate"]
    assert (rate["group"], rate["type"], rate["default"], rate["exclusive_minimum"], rate["live"],
            rate["equation"]) == ("training", "number", 0.03, 0, True, "eq. 6")
    assert rate["ui"]["control"] == "select" and 0.03 in rate["ui"]["values"]
    ratio = by_name["dataset.train_ratio"]
    assert (ratio["minimum"], ratio["maximum"], ratio["ui"]["percent"]) == (0.1, 0.9, True)
    assert by_name["layers"]["maximum"] == 64 and by_name["layers"]["max_items"] == 10
    assert by_name["batch_size"]["maximum"] == 5000 and by_name["batch_size"]["limits"] == {"maximum": "max_points"}
    assert by_name["activation"]["per_hidden_layer"] is True and by_name["seed"]["live"] is False


def test_options_serve_the_grid_extent_phase_order_and_id_grammar(client, network):
    options = client.get("/api/options").json()
    assert options["grid_extent"] == 6
    assert options["phase_order"] == ["forward", "loss", "backward", "update"]
    assert options["phase_layers"] == {"forward": "1..L", "backward": "L..1"}
    ids = {name: re.compile(pattern) for name, pattern in options["ids"].items()}
    assert all(ids["neuron"].match(n) for layer in network["neuron_ids"] for n in layer)
    assert ids["weight"].match("L0N1-L1N2").groups() == ("0", "1", "1", "2")
    assert ids["bias"].match("L1N0-bias") and not ids["neuron"].match("L01N0") and not ids["bias"].match("L1N0")


def test_openapi_shows_every_range_of_the_table(client):
    assert_schemas_follow_the_table(client)


def test_change_a_range_in_the_table_and_openapi_and_options_follow(settings, monkeypatch):
    """Every numeric bound and default moved by one: a range restated anywhere would stay behind."""
    def moved(f: fields.FieldSpec) -> fields.FieldSpec:
        changes = {name: getattr(f, name) + 1 for name in ("minimum", "maximum", "exclusive_minimum",
                                                           "exclusive_maximum")
                   if getattr(f, name) is not None}
        if f.type in ("number", "integer"):
            changes["default"] = f.default + 1
        return dataclasses.replace(f, **changes)

    monkeypatch.setattr(fields, "FIELDS", tuple(moved(f) for f in fields.FIELDS))
    with TestClient(create_app(settings)) as c:
        rows = {row["name"]: row for row in assert_schemas_follow_the_table(c)}
        assert rows["dataset.noise"]["maximum"] == 51 and rows["momentum"]["exclusive_maximum"] == 2
        response = c.post("/api/networks", json={"dataset": {"noise": 51.5}})
        assert response.status_code == 422
        assert response.json()["detail"] == "dataset.noise: Input should be less than or equal to 51 (got 51.5)"
        network = c.post("/api/networks", json={"momentum": 1.5}).json()
        assert (network["config"]["momentum"], network["config"]["learning_rate"]) == (1.5, 1.03)


def test_server_limits_show_in_openapi_and_options(settings):
    small = settings.replace(max_neurons=8, max_hidden_layers=3, max_points=300)
    with TestClient(create_app(small)) as c:
        rows = {row["name"]: row for row in assert_schemas_follow_the_table(c)}
        assert (rows["layers"]["maximum"], rows["layers"]["max_items"]) == (8, 5)
        assert rows["batch_size"]["maximum"] == 300 and rows["dataset.samples"]["maximum"] == 300
        hyper = c.get("/openapi.json").json()["components"]["schemas"]["Hyperparameters"]
        assert hyper["properties"]["batch_size"]["maximum"] == 300


def test_tests_can_override_the_settings_dependency(settings):
    app = create_app(settings)
    app.dependency_overrides[get_settings] = lambda: settings.replace(max_points=40)
    with TestClient(app) as c:
        assert c.get("/api/options").json()["limits"]["max_points"] == 40
        network = c.post("/api/networks", json={}).json()
        response = c.patch(f"/api/networks/{network['id']}", json={"batch_size": 41})
        assert response.json() == {"detail": "batch_size: 41 is more than the limit of 40 (max_points)"}


@pytest.mark.parametrize("body, detail", [
    ({}, "nothing to change: give any of learning_rate, batch_size, momentum, regularization, "
         "regularization_rate"),
    ({"batch_size": 5001}, "batch_size: 5001 is more than the limit of 5000 (max_points)"),
    ({"momentum": 1}, "momentum: Input should be less than 1 (got 1)"),
])
def test_patch_and_live_set_refuse_alike(client, network, body, detail):
    response = client.patch(f"/api/networks/{network['id']}", json=body)
    assert (response.status_code, response.json()["detail"]) == (422, detail)
    with client.websocket_connect(f"/api/networks/{network['id']}/live") as ws:
        ws.receive_json()  # the first frame
        ws.send_json({"type": "set", **body})
        while (message := ws.receive_json())["type"] == "frame":
            pass
        assert message == {"type": "error", "detail": detail}
