"""Every neuron's value over the input plane, packed for the wire.

A heatmap is only drawn, never read as a number, so each neuron's R×R values are quantised to one
byte each against that neuron's own min and max and sent as base64: 10,000 values cost 13 kB instead
of ~200 kB of JSON floats. `encoding="float"` keeps full floats for scripts that want them.
"""
from __future__ import annotations

import base64

import numpy as np

from engine.evaluate import GRID_EXTENT
from engine.experiment import Experiment
from engine.network import neuron_id


def encode_layers(values: list[np.ndarray], encoding: str = "bytes") -> list[list[dict]]:
    """`values`: per layer an (n_l, R, R) array → per layer a list of neuron entries."""
    out = []
    for layer, block in enumerate(values):
        flat = block.reshape(block.shape[0], -1)
        with np.errstate(all="ignore"):
            flat = np.nan_to_num(flat, nan=0.0, posinf=np.finfo(np.float64).max, neginf=-np.finfo(np.float64).max)
            lo, hi = flat.min(axis=1), flat.max(axis=1)
            span = hi - lo
            scale = np.where((span > 0) & np.isfinite(span), 255.0 / np.where(span > 0, span, 1.0), 0.0)
            quantised = np.rint((flat - lo[:, None]) * scale[:, None])
        entries = []
        for i in range(block.shape[0]):
            entry = {"id": neuron_id(layer, i), "min": float(lo[i]), "max": float(hi[i])}
            if encoding == "float":
                entry["values"] = flat[i].reshape(block.shape[1:]).tolist()
            else:
                entry["data"] = base64.b64encode(np.clip(quantised[i], 0, 255).astype(np.uint8).tobytes()).decode()
            entries.append(entry)
        out.append(entries)
    return out


def grids(exp: Experiment, resolution: int, encoding: str = "bytes") -> dict:
    return {"resolution": resolution, "extent": [-GRID_EXTENT, GRID_EXTENT],
            "layers": encode_layers(exp.grid(resolution), encoding)}
