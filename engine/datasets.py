"""Seeded, reproducible datasets: TensorFlow Playground's generators plus a few extras (user points: points.py).

The 2-D generators port Playground's `dataset.ts` (same radii, paddings, variances and noise
formulas; noise is its 0..50 % slider, applied as noise/100) and add `moons`, `blobs` and `spiral3`.
All randomness comes from `np.random.default_rng(seed)`, so a (name, samples, noise, train_ratio,
seed) tuple always yields the same arrays. Points lie in about [-6, 6]²; as in Playground, the
Gaussian sets spill further at high noise. Deliberate differences from Playground: exactly `samples`
points are made (it makes one extra for odd counts), plane targets are clamped to [-1, 1] (its
scale reaches ±1.2, beyond a tanh output), and the split rounds instead of flooring.
Left out on purpose: feature mapping (see `features.py`), input scaling, mini-batching, file I/O.
"""
from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from engine.errors import EngineError

KINDS = ("classification", "regression")
MAX_CLASSES = 100  # a softmax layer wider than this is a typo in the labels, not a teaching example


@dataclass(frozen=True, eq=False)
class Dataset:
    """Train/test arrays. x: (n, d) float64; y: (n,) int64 labels or (n, k) float64 regression targets."""

    name: str
    kind: str
    n_classes: int
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    def __post_init__(self) -> None:
        # Arrays are stored as read-only copies so a frozen dataset cannot change under a running model.
        ydt, ydim = (np.int64, 1) if self.kind == "classification" else (np.float64, 2)
        for f, dt in (("x_train", np.float64), ("x_test", np.float64), ("y_train", ydt), ("y_test", ydt)):
            a = np.array(getattr(self, f), dtype=dt)
            a.setflags(write=False)
            object.__setattr__(self, f, a)
        x, y, xt, yt = self.x_train, self.y_train, self.x_test, self.y_test
        if (self.kind not in KINDS or x.ndim != 2 or y.ndim != ydim or xt.shape[1:] != x.shape[1:]
                or yt.shape[1:] != y.shape[1:] or len(x) != len(y) or len(xt) != len(yt)):
            raise EngineError(f"inconsistent {self.kind!r} Dataset: x_train {x.shape}, y_train {y.shape}, "
                              f"x_test {xt.shape}, y_test {yt.shape}")

    @property
    def n_features(self) -> int:
        return self.x_train.shape[1]

    @property
    def n_outputs(self) -> int:
        """Output-layer width the data asks for: one unit per class, or per regression target."""
        return self.n_classes if self.kind == "classification" else self.y_train.shape[1]

    def to_dict(self) -> dict:
        """JSON-safe dict; the widths are stored so empty test sets keep their shape."""
        return {"name": self.name, "kind": self.kind, "n_classes": self.n_classes, "n_features": self.n_features,
                "n_targets": self.y_train.shape[1] if self.kind == "regression" else 1,
                **{k: getattr(self, k).tolist() for k in ("x_train", "y_train", "x_test", "y_test")}}

    @classmethod
    def from_dict(cls, d: dict) -> "Dataset":
        ys = (-1,) if d["kind"] == "classification" else (-1, d["n_targets"])
        x = {k: np.asarray(d[k], np.float64).reshape(-1, d["n_features"]) for k in ("x_train", "x_test")}
        y = {k: np.asarray(d[k]).reshape(ys) for k in ("y_train", "y_test")}
        return cls(name=d["name"], kind=d["kind"], n_classes=int(d["n_classes"]), **x, **y)


# --- generators: (rng, samples, noise as a 0..0.5 fraction) -> (points (n, 2), labels or targets (n,)) ---

def _counts(n: int, k: int = 2) -> list[int]:
    """Split n points into k near-equal groups (exactly n in total, unlike Playground's n/2 loops)."""
    return [n // k + (i < n % k) for i in range(k)]


def _polar(r: np.ndarray, angle: np.ndarray) -> np.ndarray:
    return np.column_stack([r * np.sin(angle), r * np.cos(angle)])  # Playground's x = r sin, y = r cos


def _circle(rng, n, noise):
    radius = 5.0
    n_in, n_out = _counts(n)
    r = np.concatenate([rng.uniform(0, radius * 0.5, n_in), rng.uniform(radius * 0.7, radius, n_out)])
    pts = _polar(r, rng.uniform(0, 2 * np.pi, n))
    jitter = rng.uniform(-radius, radius, (n, 2)) * noise  # noise moves the point that is labelled, not drawn
    return pts, (np.hypot(*(pts + jitter).T) < radius * 0.5).astype(np.int64)


def _xor(rng, n, noise):
    pts = rng.uniform(-5, 5, (n, 2))
    pts += np.where(pts > 0, 0.3, -0.3)  # padding keeps points off the axes, where the label flips
    moved = pts + rng.uniform(-5, 5, (n, 2)) * noise
    return pts, (moved[:, 0] * moved[:, 1] >= 0).astype(np.int64)


def _gaussians(rng, n, noise, centres):
    std = np.sqrt(0.5 + 7.0 * noise)  # Playground's variance scale: noise 0..0.5 -> variance 0.5..4
    counts = _counts(n, len(centres))
    labels = np.repeat(np.arange(len(centres)), counts)
    return rng.normal(np.asarray(centres, np.float64)[labels], std), labels


def _flip(pts, labels):
    return pts, 1 - labels  # makes Playground's positive class (its first arm or cluster) label 1


_BLOB_ANGLES = np.pi / 2 + 2 * np.pi / 3 * np.arange(3)  # three clusters 120° apart, one on top
_BLOB_CENTRES = 3.0 * np.column_stack([np.cos(_BLOB_ANGLES), np.sin(_BLOB_ANGLES)])


def _spiral_arms(rng, n, noise, arms):
    counts = _counts(n, arms)
    labels = np.repeat(np.arange(arms), counts)
    i = np.concatenate([np.arange(c) for c in counts])
    f = i / (n / arms)  # position along the arm, 0..1
    pts = _polar(5 * f, 1.75 * 2 * np.pi * f + labels * (2 * np.pi / arms))  # 1.75 turns, arms evenly rotated
    return pts + rng.uniform(-1, 1, (n, 2)) * noise, labels


def _moons(rng, n, noise):
    n_top, n_bottom = _counts(n)
    t = rng.uniform(0, np.pi, n)
    top, bottom = t[:n_top], t[n_top:]
    pts = np.concatenate([np.column_stack([np.cos(top), np.sin(top)]),
                          np.column_stack([1 - np.cos(bottom), 0.5 - np.sin(bottom)])])
    pts = (pts - [0.5, 0.25]) * 3.6  # the unit moons span 3 x 1.5; this centres them and fills x in [-5.4, 5.4]
    return pts + rng.normal(0, 2 * noise, (n, 2)), np.repeat(np.arange(2), [n_top, n_bottom])


def _regressor(target: Callable) -> Callable:
    """Playground's regressors: uniform points whose targets are read at a jittered copy of the point."""
    def gen(rng, n, noise):
        pts = rng.uniform(-6, 6, (n, 2))
        return pts, target(pts + rng.uniform(-6, 6, (n, 2)) * noise)
    return gen


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]], float)


def _bumps(p: np.ndarray) -> np.ndarray:
    dist = np.hypot(p[:, None, 0] - _BUMPS[:, 0], p[:, None, 1] - _BUMPS[:, 1])
    values = _BUMPS[:, 2] * np.clip(1 - dist / 2, 0, 1)  # each bump falls linearly to 0 at distance 2
    return values[np.arange(len(p)), np.argmax(np.abs(values), axis=1)]  # strongest bump wins, as in Playground


DatasetSpec = NamedTuple("DatasetSpec", [("name", str), ("kind", str), ("n_classes", int),
                                         ("description", str), ("generator", Callable)])
DATASETS: dict[str, DatasetSpec] = {s.name: s for s in (
    DatasetSpec("circle", "classification", 2, "A disc of one class inside a ring of the other.", _circle),
    DatasetSpec("xor", "classification", 2, "Four quadrants; the class is the sign of x₁·x₂.", _xor),
    DatasetSpec("gauss", "classification", 2, "Two Gaussian clusters on opposite corners.",
                lambda rng, n, z: _flip(*_gaussians(rng, n, z, [(2, 2), (-2, -2)]))),
    DatasetSpec("spiral", "classification", 2, "Two interleaved spiral arms, one per class.",
                lambda rng, n, z: _flip(*_spiral_arms(rng, n, z, 2))),
    DatasetSpec("moons", "classification", 2, "Two interleaving half-moons.", _moons),
    DatasetSpec("blobs", "classification", 3, "Three Gaussian clusters, one per class.",
                lambda rng, n, z: _gaussians(rng, n, z, _BLOB_CENTRES)),
    DatasetSpec("spiral3", "classification", 3, "A three-armed spiral, one arm per class.",
                lambda rng, n, z: _spiral_arms(rng, n, z, 3)),
    DatasetSpec("plane", "regression", 0, "A tilted plane: the target grows with x₁ + x₂.",
                _regressor(lambda p: np.clip(p.sum(axis=1) / 10, -1, 1))),
    DatasetSpec("multi_gauss", "regression", 0, "Six positive and negative bumps on a flat floor.",
                _regressor(_bumps)),
)}


def dataset_catalog() -> list[dict]:
    """JSON-safe description of every built-in dataset and the parameters `generate` accepts."""
    from engine import fields  # the table lists this module's datasets, so it is imported late
    params = {f.key: {"min": f.minimum, "max": f.maximum, "default": f.default}
              for f in fields.group("dataset") if f.key != "name"}
    from engine.targets import output_layer  # the output layer each dataset opens with
    return [{"name": s.name, "kind": s.kind, "n_classes": s.n_classes, "description": s.description,
             "outputs": output_layer(s.kind, s.n_classes),
             "params": {k: dict(v) for k, v in params.items()}} for s in DATASETS.values()]


def generate(name: str, samples: int = 500, noise: float = 0, train_ratio: float = 0.5, seed: int = 0) -> Dataset:
    """Generate, shuffle with the seeded generator, then split: the first round(samples * train_ratio) are train."""
    if name not in DATASETS:
        raise EngineError(f"unknown dataset {name!r}; choose from {', '.join(DATASETS)}")
    from engine import fields  # ranges live in the table of settable fields, which lists DATASETS
    for param, value in (("samples", samples), ("noise", noise), ("train_ratio", train_ratio), ("seed", seed)):
        fields.check(f"dataset.{param}", value)
    spec = DATASETS[name]
    rng = np.random.default_rng(int(seed))
    samples = int(samples)
    x, y = spec.generator(rng, samples, float(noise) / 100)
    order = rng.permutation(samples)
    x, y = x[order], (y[order] if spec.kind == "classification" else y[order].reshape(-1, 1))
    cut = max(1, round(samples * float(train_ratio)))
    return Dataset(name, spec.kind, spec.n_classes, x[:cut], y[:cut], x[cut:], y[cut:])
