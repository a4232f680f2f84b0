"""Catalog endpoints, health, and the OpenAPI description."""
from __future__ import annotations

import numpy as np

from engine.activations import HIDDEN_ACTIVATIONS
from engine.datasets import DATASETS


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


def test_openapi_documents_every_endpoint_and_error(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/networks", "/api/networks/{network_id}", "/api/networks/{network_id}/step",
                 "/api/networks/{network_id}/grid", "/api/networks/import", "/api/datasets", "/api/health"):
        assert path in paths
    step = paths["/api/networks/{network_id}/step"]["post"]
    assert {"200", "404", "409", "413", "422"} <= set(step["responses"])
