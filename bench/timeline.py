"""Rewind speed and timeline memory: `.venv/bin/python bench/timeline.py` (about a minute).

For 2-4-2-1 and 2-8×6-1 (circle, 500 points, batch 10, momentum 0.9, the default checkpoint
spacing) it trains 20,000 iterations with a learning-rate change on the way, then rewinds 10,000
iterations back to steps spread over a checkpoint gap and reports the median and the slowest
rewind (target ≤ 100 ms: a replay of at most one gap plus rebuilding the experiment). Then the
timeline's memory per network per 100,000 steps: checkpoints kept and their bytes (the bound is
engine/checkpoints.py's MAX_CHECKPOINTS and MAX_BYTES). The load average is printed beside the
figures: on a shared machine a load above the core count slows everything.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import checkpoints  # noqa: E402
from engine.experiment import Experiment  # noqa: E402
from engine.timeline import Timeline  # noqa: E402

CONFIGS = {"2-4-2-1": [2, 4, 2, 1], "2-8×6-1": [2] + [8] * 6 + [1]}
TRAIN, BACK, REWINDS, MEMORY_STEPS = 20_000, 10_000, 9, 100_000


def make(layers):
    exp = Experiment.create({"layers": layers, "momentum": 0.9, "learning_rate": 0.03})
    exp.timeline = Timeline(exp)
    return exp


def rewinds(layers) -> tuple[float, float, int]:
    exp = make(layers)
    exp.advance(by="iteration", count=TRAIN // 2)
    exp.set_hyperparameters(learning_rate=0.01)
    exp.advance(by="iteration", count=TRAIN - TRAIN // 2)
    gap = exp.timeline.spacing
    times = []
    for k in range(REWINDS):  # targets spread over one checkpoint gap, so some replay a whole gap
        target = TRAIN - BACK - gap + 1 + k * gap // REWINDS
        started = time.perf_counter()
        past = exp.timeline.rewind(exp, target)
        times.append(time.perf_counter() - started)
        assert past.trainer.step == target
        exp = past.timeline.rewind(past, TRAIN)  # back to the newest point for the next round
    return statistics.median(times) * 1e3, max(times) * 1e3, gap


def memory(layers) -> tuple[int, int]:
    exp = make(layers)
    exp.advance(by="iteration", count=MEMORY_STEPS)
    bounds = exp.timeline.bounds()
    return bounds["checkpoints"], bounds["bytes"]


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start")
    print(f"{'network':10} {'spacing':>8} {'rewind 10,000 back: median':>28} {'slowest':>9}   target ≤ 100 ms")
    for name, layers in CONFIGS.items():
        median, slowest, gap = rewinds(layers)
        print(f"{name:10} {gap:8d} {median:25.1f} ms {slowest:6.1f} ms   (load {os.getloadavg()[0]:.1f})")
    print(f"\nper network per {MEMORY_STEPS:,} steps (bound: {checkpoints.MAX_CHECKPOINTS} checkpoints, "
          f"{checkpoints.MAX_BYTES // 2**20} MiB)")
    for name, layers in CONFIGS.items():
        count, size = memory(layers)
        print(f"{name:10} {count:5d} checkpoints {size / 1024:8.1f} KiB   (load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
