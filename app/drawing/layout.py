"""Where each part of the drawing goes and its colours, computed once for both SVG and PNG.

Layers are columns left to right; each neuron is a square heatmap of its value over the plane of
`engine.planes` (the input plane for two-input data); edges run from each neuron to the next layer,
coloured by the weight's sign and as thick as its size; the output map (the output neuron, or the
predicted class for several outputs) is drawn large on the right with the training points (white
ring) and test points (dark ring). Colours follow the page's default palette (static/js/palette.js).
Left out: the page's interactive parts (selection, the inspector, animations).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.experiment import Experiment
from engine.planes import plane_of, plane_values

NEGATIVE, NEUTRAL, POSITIVE = (245, 147, 34), (232, 234, 235), (8, 119, 189)
CLASSES = [(245, 147, 34), (8, 119, 189), (106, 61, 154), (51, 160, 44), (227, 26, 28), (255, 127, 0),
           (31, 120, 180), (177, 89, 40), (251, 154, 153), (202, 178, 214)]
INK = (40, 44, 52)
TILE, GAP, COLUMN, MARGIN, TOP = 32, 10, 120, 24, 56
TILE_RES, MAP_RES, MAP_SIZE = 32, 100, 260


@dataclass
class Drawing:
    width: int
    height: int
    title: str
    subtitle: str
    tiles: list = field(default_factory=list)      # (x, y, size, (R, R, 3) uint8 image, label or "")
    edges: list = field(default_factory=list)      # (x1, y1, x2, y2, (r, g, b), width)
    points: list = field(default_factory=list)     # (x, y, (r, g, b), is_test)
    texts: list = field(default_factory=list)      # (x, y, text, size, anchor: start|middle|end, (r, g, b))
    frame: tuple = (0, 0, 0)                       # the output map's (x, y, size)


def diverging(t: np.ndarray) -> np.ndarray:
    """t in [−1, 1] → (…, 3) uint8 between the negative colour, the neutral and the positive one."""
    t = np.clip(np.nan_to_num(t), -1, 1)[..., None]
    end = np.where(t < 0, np.array(NEGATIVE, float), np.array(POSITIVE, float))
    return (np.array(NEUTRAL, float) + (end - np.array(NEUTRAL, float)) * np.abs(t) + 0.5).astype(np.uint8)


def _scaled(values: np.ndarray, activation: str | None) -> np.ndarray:
    """As the page's scaleFor: bounded activations keep their own centre and range."""
    if activation == "tanh":
        return values
    if activation in ("sigmoid", "softmax"):
        return (values - 0.5) * 2
    return values / max(float(np.abs(values).max()), 1e-9)


def _output_image(exp: Experiment, outputs: np.ndarray) -> np.ndarray:
    """(k, R, R) output values → an (R, R, 3) image: the value for one output, else class colours
    faded by how sure the network is."""
    if len(outputs) == 1:
        return diverging(_scaled(outputs[0], exp.arch.output_activation))
    winner = outputs.argmax(axis=0)
    colours = np.array([CLASSES[c % len(CLASSES)] for c in range(len(outputs))], float)[winner]
    share = outputs.max(axis=0) if exp.arch.output_activation == "softmax" else np.ones(winner.shape)
    k = np.clip((share - 1 / len(outputs)) / (1 - 1 / len(outputs)), 0, 1)[..., None] * 0.8 + 0.2
    return (np.array(NEUTRAL, float) + (colours - np.array(NEUTRAL, float)) * k + 0.5).astype(np.uint8)


def input_labels(exp: Experiment) -> list[str]:
    from app.views import input_labels as labels
    return labels(exp) or [f"x{i + 1}" for i in range(exp.arch.layers[0])]


def build(exp: Experiment) -> Drawing:
    layers = exp.arch.layers
    plane = plane_of(exp)
    tall = max(layers) * (TILE + GAP)
    map_x = MARGIN + 60 + len(layers) * COLUMN
    height = TOP + max(tall, MAP_SIZE + 80) + MARGIN
    loss = exp.history[-1].get("train_loss") if exp.history else None
    d = Drawing(map_x + MAP_SIZE + MARGIN, height,
                f"{'-'.join(map(str, layers))} network, {exp.config['dataset'].get('name', 'data')} data, "
                f"step {exp.trainer.step}",
                f"training loss {loss:.4g}" if loss is not None else "")
    values = [v.copy() for v in plane_values(exp, plane, TILE_RES)]  # the next call reuses them
    labels = input_labels(exp)
    where = {}
    for l, n in enumerate(layers):
        x = MARGIN + 60 + l * COLUMN
        top = TOP + (tall - n * (TILE + GAP)) / 2
        activation = exp.arch.activation_of(l) if l else None
        for i in range(n):
            y = top + i * (TILE + GAP)
            where[(l, i)] = (x, y)
            label = labels[i] if l == 0 else ""
            d.tiles.append((x, y, TILE, diverging(_scaled(values[l][i], activation)), label))
    weights = exp.trainer.params.weights
    biggest = max(float(np.abs(w).max()) for w in weights) or 1.0
    for k, w in enumerate(weights):
        for i in range(w.shape[0]):
            for j in range(w.shape[1]):
                (x1, y1), (x2, y2) = where[(k, i)], where[(k + 1, j)]
                colour = NEGATIVE if w[i, j] < 0 else POSITIVE
                d.edges.append((x1 + TILE, y1 + TILE / 2, x2, y2 + TILE / 2, colour,
                                0.3 + 3.2 * abs(float(w[i, j])) / biggest))
    map_y = TOP
    d.frame = (map_x, map_y, MAP_SIZE)
    outputs = plane_values(exp, plane, MAP_RES)[-1]
    d.tiles.append((map_x, map_y, MAP_SIZE, _output_image(exp, outputs), ""))
    _points(d, exp, plane)
    _captions(d, exp, plane, map_x, map_y)
    return d


def _points(d: Drawing, exp: Experiment, plane) -> None:
    map_x, map_y, size = d.frame
    ds = exp.dataset
    (x0, x1), (y0, y1) = plane.x_range, plane.y_range
    for is_test, xs, ys in ((False, ds.x_train, ds.y_train), (True, ds.x_test, ds.y_test)):
        for p, y in zip(xs[:2000], ys[:2000]):
            px = map_x + (p[plane.x] - x0) / (x1 - x0) * size
            py = map_y + size / 2 if plane.y is None else map_y + (y1 - p[plane.y]) / (y1 - y0) * size
            if not (map_x <= px <= map_x + size and map_y <= py <= map_y + size):
                continue
            colour = CLASSES[int(y) % len(CLASSES)] if ds.kind == "classification" \
                else tuple(int(c) for c in diverging(np.array(float(np.ravel(y)[0]))))
            d.points.append((float(px), float(py), colour, is_test))


def _captions(d: Drawing, exp: Experiment, plane, map_x: int, map_y: int) -> None:
    size = d.frame[2]
    labels = input_labels(exp) if exp.dataset.n_features != 2 else ["x₁", "x₂"]
    d.texts.append((map_x + size / 2, map_y + size + 16, f"{labels[plane.x]} →", 12, "middle", INK))
    if plane.y is not None:
        d.texts.append((map_x - 6, map_y + 12, f"↑ {labels[plane.y]}", 12, "end", INK))
    line = map_y + size + 34
    fixed = [i for i in range(exp.dataset.n_features) if i not in (plane.x, plane.y)]
    if fixed:
        held = ", ".join(f"{labels[i]} = {plane.fixed[i]:.3g}" for i in fixed[:6])
        d.texts.append((map_x, line, f"held at the mean: {held}{' …' if len(fixed) > 6 else ''}", 11, "start", INK))
        line += 16
    names = exp.config["dataset"].get("labels")
    if exp.dataset.kind == "classification":
        for c in range(exp.dataset.n_classes):
            name = names[c] if names and c < len(names) else str(c)
            d.points.append((map_x + 4, line - 4, CLASSES[c % len(CLASSES)], False))
            d.texts.append((map_x + 12, line, name, 12, "start", CLASSES[c % len(CLASSES)]))
            line += 16
