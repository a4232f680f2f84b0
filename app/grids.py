"""Every neuron's value over the input plane, packed for the wire.

A heatmap is only drawn, never read as a number, so each neuron's R×R values are quantised to one
byte each against that neuron's own min and max and sent as base64: 10,000 values cost 13 kB instead
of ~200 kB of JSON floats. All neurons of all layers are quantised in one vectorised pass (this runs
every live frame). `encoding="float"` keeps full floats for scripts that want them.
"""
from __future__ import annotations

from binascii import b2a_base64
from functools import lru_cache

import numpy as np

from app import memory
from engine.experiment import Experiment
from engine.network import neuron_id
from engine.planes import describe, plane_of, plane_values

BIG = np.finfo(np.float64).max


def _quantise(flat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(values with NaN as 0 and infinity as ±max float, per-row min, per-row max, bytes): each row scaled from its own min..max to 0..255. Written
    for the live loop's small grids, where each NumPy call costs more than its arithmetic: the
    common all-finite case takes ten calls; a grid holding NaN or infinity takes the careful path."""
    lo, hi = flat.min(axis=1), flat.max(axis=1)
    with np.errstate(all="ignore"):
        span = hi - lo
    if not np.isfinite(span).all():  # NaN or infinity somewhere (min and max carry them)
        with np.errstate(all="ignore"):
            flat = np.nan_to_num(flat, nan=0.0, posinf=BIG, neginf=-BIG)
            lo, hi = flat.min(axis=1), flat.max(axis=1)
            span = hi - lo
            usable = (span > 0) & np.isfinite(span)
            scale = np.where(usable, 255.0 / np.where(usable, span, 1.0), 0.0)
            work = np.subtract(flat, lo[:, None])
            work *= scale[:, None]
            work[~usable] = 0.0
    else:  # ≥ 0 and ≤ span, so work·scale + ½ lies in [0, 255.5]; a flat row (span 0) gets scale 0
        scale = 255.0 / np.where(span > 0, span, np.inf)
        work = np.subtract(flat, lo[:, None])
        work *= scale[:, None]
    work += 0.5
    return flat, lo, hi, work.astype(np.uint8)


@lru_cache(maxsize=64)
def _ids(layers: tuple[int, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(neuron_id(layer, i) for i in range(n)) for layer, n in enumerate(layers))


def encode_layers(values: list[np.ndarray], encoding: str = "bytes") -> list[list[dict]]:
    """`values`: per layer an (n_l, R, R) array → per layer a list of neuron entries."""
    shape = values[0].shape[1:]
    flat = np.concatenate([block.reshape(block.shape[0], -1) for block in values])
    flat, lo, hi, quantised = _quantise(flat)
    lo, hi = lo.tolist(), hi.tolist()
    out, row = [], 0
    for ids in _ids(tuple(block.shape[0] for block in values)):
        entries = []
        for neuron in ids:
            entry = {"id": neuron, "min": lo[row], "max": hi[row]}
            if encoding == "float":
                entry["values"] = flat[row].reshape(shape).tolist()
            else:
                entry["data"] = b2a_base64(quantised[row], newline=False).decode("ascii")
            entries.append(entry)
            row += 1
        out.append(entries)
    return out


def grids(exp: Experiment, resolution: int, encoding: str = "bytes", axes: tuple[int, int] | None = None,
          keep: bool = False) -> dict:
    """Every neuron over the plane of `engine.planes` (the input plane for two-input data);
    `extent` is the horizontal axis's range, `plane` names both axes and the inputs held fixed.
    The engine's buffers for this resolution (184 MB for the largest network at 200×200) are kept
    only with `keep` (the live loop, which draws the same grid every frame); a request frees them."""
    plane = plane_of(exp, axes)
    try:
        return {"resolution": resolution, "extent": list(plane.x_range), "plane": describe(exp, plane),
                "layers": encode_layers(plane_values(exp, plane, resolution), encoding)}
    finally:
        if not keep and getattr(exp, "_grids", {}).pop(resolution, None) is not None:
            memory.trim()  # hand the buffers' pages back rather than keep them in the heap
