"""The network as a picture for a report: per-neuron heatmaps, weighted edges and the output map.

`layout.py` decides where everything goes and what colour it is (from the engine's numbers, with the
page's default orange/blue palette); `svg.py` writes that as SVG text with the heatmaps embedded as
PNG images, `png.py` rasterises the same layout with Pillow. One layout, so the two files agree.
"""
from __future__ import annotations

from functools import partial
from typing import Callable

from engine.experiment import Experiment


def render(exp: Experiment, fmt: str) -> Callable[[], bytes]:
    """Lay the drawing out now (it reads the live network) and return the function that writes the
    file, to be called once the network's lock is released: rasterising a large network takes seconds."""
    from app.drawing.layout import build
    drawing = build(exp)
    if fmt == "svg":
        from app.drawing.svg import to_svg
        return partial(to_svg, drawing)
    from app.drawing.png import to_png
    return partial(to_png, drawing)
