"""What `GET /api/options` serves: every valid name, the table of settable fields with the server's
limits filled in, and the facts the page would otherwise restate (input-plane extent, phase order,
id grammar). Each comes from the one place the engine states it; this module only shapes JSON.
"""
from __future__ import annotations

from dataclasses import asdict

from engine import fields
from engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from engine.datasets import dataset_catalog
from engine.evaluate import GRID_EXTENT
from engine.experiment import STEP_UNITS
from engine.features import FEATURES
from engine.losses import LOSSES
from engine.ids import IDS
from engine.network import INITS
from engine.trainer import phase_list

_PHASES = phase_list(2)  # two layers show each phase's direction
PHASE_ORDER = tuple(dict.fromkeys(name for name, _ in _PHASES))


def phase_layers() -> dict[str, str]:
    """Which way each per-layer phase walks: forward 1..L, backward L..1."""
    out = {}
    for name in PHASE_ORDER:
        layers = [layer for phase, layer in _PHASES if phase == name and layer is not None]
        if layers:
            out[name] = "1..L" if layers[0] < layers[-1] else "L..1"
    return out


def field_json(f: fields.FieldSpec, settings) -> dict:
    """One row as the page reads it; bounds after the server's settings."""
    bounds = {name: fields.bound(f, name, settings) for name in
              ("minimum", "maximum", "exclusive_minimum", "exclusive_maximum", "min_items", "max_items")}
    ui = asdict(f.ui) if f.ui is not None else None
    if ui is not None and ui["values"] is not None:
        ui["values"] = list(ui["values"])
    return {"name": f.name, "group": f.group, "type": f.type,
            "default": list(f.default) if isinstance(f.default, tuple) else f.default, **bounds,
            "choices": list(f.choices) if f.choices is not None else None, "ui": ui, "live": f.live,
            "description": f.description, "equation": f.equation,
            "per_hidden_layer": f.per_hidden_layer, "limits": {bound: setting for bound, setting, _ in f.limits}}


def options(settings) -> dict:
    """Every valid name the API accepts, the settable fields and the server's limits (the page builds
    its controls, URL state and request bodies from this)."""
    return {
        "activations": list(HIDDEN_ACTIVATIONS),
        "output_activations": list(OUTPUT_ACTIVATIONS),
        "losses": list(LOSSES),
        "loss_output_activations": {name: list(loss.output_activations) for name, loss in LOSSES.items()},
        "inits": list(INITS),
        "regularizations": list(fields.spec("regularization").choices),
        "features": [{"name": f.name, "label": f.label} for f in FEATURES.values()],
        "datasets": [entry["name"] for entry in dataset_catalog()],
        "step_units": list(STEP_UNITS),
        "hyperparameters": list(fields.live_names()),
        "limits": settings.limits(),
        "fields": [field_json(f, settings) for f in fields.FIELDS],
        "grid_extent": GRID_EXTENT,
        "phase_order": list(PHASE_ORDER),
        "phase_layers": phase_layers(),
        "ids": {name: f"^{pattern}$" for name, pattern in IDS.items()},
    }
