"""Catalog endpoints, health, the page and static files, and the OpenAPI description."""
from __future__ import annotations

import numpy as np

from app.routes import page
from engine.activations import HIDDEN_ACTIVATIONS
from engine.datasets import DATASETS
from engine.experiment import DATASET_DEFAULTS, DEFAULTS


def test_datasets_have_kinds_ranges_and_previews(client):
    catalog = client.get("/api/datasets").json()
    assert [d["name"] for d in catalog] == list(DATASETS)
    circle = catalog[0]
    assert circle["kind"] == "classification" and circle["n_classes"] == 2
    assert circle["params"]["samples"] == {"min": 2, "max": 5000, "default": 500}
    assert np.shape(circle["preview"]["x"]) == (150, 2) and set(circle["preview"]["y"]) == {0, 1}
    plane = next(d for d in catalog if d["name"] == "plane")
    assert plane["kind"] == "regression" and all(isinstance(v, float) for v in plane["preview"]["y"])


def test_options_list_every_valid_name_and_the_limits(client):
    options = client.get("/api/options").json()
    assert options["activations"] == HIDDEN_ACTIVATIONS
    assert options["loss_output_activations"]["binary_cross_entropy"] == ["sigmoid"]
    assert {"name": "x1_squared", "label": "x₁²"} in options["features"]
    assert options["datasets"] == list(DATASETS)
    assert options["step_units"] == ["phase", "iteration", "epoch"]
    assert options["limits"]["max_grid_resolution"] == 200 and "db_path" not in options["limits"]


def test_health(client, network):
    assert client.get("/api/health").json() == {"status": "ok", "networks_in_memory": 1, "playing": 0}


def test_page_renders_with_defaults_and_options(client, monkeypatch, tmp_path):
    (tmp_path / "index.html").write_text("{{ defaults.dataset.name }} {{ defaults.learning_rate }} "
                                         "{{ options.activations | join(',') }}")
    monkeypatch.setattr(page, "TEMPLATES", tmp_path)
    monkeypatch.setattr(page, "templates", page.Jinja2Templates(directory=str(tmp_path)))
    response = client.get("/")
    assert response.status_code == 200
    assert response.text == f"{DATASET_DEFAULTS['name']} {DEFAULTS['learning_rate']} {','.join(HIDDEN_ACTIVATIONS)}"


def test_page_falls_back_when_the_template_is_missing(client, monkeypatch, tmp_path):
    monkeypatch.setattr(page, "TEMPLATES", tmp_path)
    response = client.get("/")
    assert response.status_code == 200 and "The page is not installed yet" in response.text


def test_static_files_are_served(client):
    some_file = next(p for p in page.STATIC.rglob("*") if p.is_file())
    response = client.get(f"/static/{some_file.relative_to(page.STATIC).as_posix()}")
    assert response.status_code == 200 and response.content == some_file.read_bytes()


def test_openapi_documents_every_endpoint_and_error(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/networks", "/api/networks/{network_id}", "/api/networks/{network_id}/step",
                 "/api/networks/{network_id}/grid", "/api/networks/import", "/api/datasets", "/api/health"):
        assert path in paths
    step = paths["/api/networks/{network_id}/step"]["post"]
    assert {"200", "404", "409", "413", "422"} <= set(step["responses"])
    assert client.get("/docs").status_code == 200
