"""Engine speed against the NumPy floor: untraced and traced steps, grid evaluation, and the API.

Run: `.venv/bin/python bench/engine.py` (or `make bench`); about half a minute. The floor is
`FloorMLP` from ../shared/bench/floor.py (beside the repository): the same maths in about twenty NumPy
calls a step, trained here on the engine's own data. Engine and floor take turns in many short runs
and each figure is the fastest run, timed in CPU seconds of this thread, so other processes on a
shared machine count as little as they can; the load average is printed beside the figures.
OpenBLAS runs on one thread (a second one gains little at these sizes and loses much on a busy core).
Targets: engine untraced ≤ 1.3× the floor on every network; traced ≤ 3× untraced; `POST …/step`
with a large count ≤ 1.1× the same training called in-process (CPU time, best of several).
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before NumPy loads OpenBLAS

import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

# This script is itself named engine.py: take its folder off the path so `engine` is the package.
BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
FLOOR = ROOT.parent / "shared" / "bench"
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.insert(0, str(ROOT))
if not (FLOOR / "floor.py").is_file():
    sys.exit(f"bench/engine.py needs the floor at {FLOOR / 'floor.py'} (../shared/bench/ beside the "
             f"repository); check it out there and run again")
sys.path.insert(1, str(FLOOR))

import httpx  # noqa: E402
import numpy as np  # noqa: E402
from floor import FloorMLP, GridEval  # noqa: E402

from engine.experiment import Experiment  # noqa: E402
from engine.tracing import traced_phase  # noqa: E402
from tests.server_process import ServerProcess  # noqa: E402

NETWORKS = [([2, 4, 2, 1], 10), ([2, 8, 8, 8, 8, 8, 8, 1], 10), ([2, 8, 8, 8, 8, 8, 8, 1], 30),
            ([2, 64, 64, 1], 256)]
REPEATS = 30          # short runs per figure, taking turns; the fastest counts
API_ITERATIONS = 20_000
API_REPEATS = 3


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def fastest(fns: list, counts: list[int], repeats: int = REPEATS, clock=time.thread_time) -> list[float]:
    """Seconds per unit of the fastest of `repeats` runs of each fn(count), the functions taking
    turns within every repeat so a burst of load hits all of them alike."""
    for fn, count in zip(fns, counts):
        fn(count)  # warm up caches and buffers
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for k, (fn, count) in enumerate(zip(fns, counts)):
            started = clock()
            fn(count)
            best[k] = min(best[k], (clock() - started) / count)
    return best


def experiment(layers: list[int], batch: int) -> Experiment:
    return Experiment.create({"layers": layers, "activation": "tanh", "output_activation": "tanh",
                              "batch_size": batch}, {"name": "circle", "samples": 500, "train_ratio": 0.9})


def floor_for(exp: Experiment, layers: list[int], batch: int) -> FloorMLP:
    """The floor on the engine's training set, learning rate and batch size."""
    return FloorMLP(layers, batch, exp.x_train, exp.t_train[:, 0], lr=exp.hyper.learning_rate)


def traced(exp: Experiment):
    """Whole iterations phase by phase with every record (neither path includes the metrics)."""
    trainer = exp.trainer
    phases = len(trainer.phases)

    def run(count: int) -> None:
        for _ in range(count * phases):
            traced_phase(trainer)
    return run


def training_table() -> list[tuple]:
    rows = []
    for layers, batch in NETWORKS:
        exp = experiment(layers, batch)
        count = 200 if batch < 100 else 20
        untraced, floor, trace = fastest([exp.trainer.run, floor_for(exp, layers, batch).run,
                                          traced(experiment(layers, batch))],
                                         [count, count, max(count // 4, 5)])
        rows.append((layers, batch, untraced, floor, trace))
    print(f"Training, µs a step (CPU time; {load()})")
    print(f"{'network':<22}{'batch':>6}{'engine':>10}{'floor':>10}{'engine/floor':>14}{'traced':>10}"
          f"{'traced/untraced':>17}")
    for layers, batch, untraced, floor, trace in rows:
        name = "-".join(map(str, layers))
        print(f"{name:<22}{batch:>6}{untraced * 1e6:>10.1f}{floor * 1e6:>10.1f}{untraced / floor:>14.2f}"
              f"{trace * 1e6:>10.1f}{trace / untraced:>17.2f}")
    return rows


def grid_line() -> None:
    layers = [2, 8, 8, 8, 8, 8, 8, 1]
    exp = experiment(layers, 10)
    grid = GridEval(floor_for(exp, layers, 10), fast_tanh=False)
    engine, floor = fastest([lambda n: [exp.grid(100) for _ in range(n)], lambda n: [grid() for _ in range(n)]],
                            [3, 3], repeats=10)
    print(f"\nGrid: every neuron of {'-'.join(map(str, layers))} on 100×100 points: engine {engine * 1e3:.2f} ms, "
          f"floor {floor * 1e3:.2f} ms, engine/floor {engine / floor:.2f}")


def cpu_seconds(pid: int) -> float:
    """CPU time of every thread of process `pid` so far (Linux: /proc/<pid>/task/*/schedstat, in ns)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass  # a thread that ended meanwhile
    return total / 1e9


def api_line() -> float:
    """µs a step of `POST …/step` with a large count against `advance` called in-process, on the
    default network (its requests record the same evenly spaced history). Both in CPU time (the
    server's every thread against this process, so the machine's load counts as little as it can)
    and wall clock."""
    local = Experiment.create({}, {})
    env = {"OPENBLAS_NUM_THREADS": "1", "BACKPROP_PLAYGROUND_STEP_TIME_BUDGET": "120"}
    best = {"api": [float("inf")] * 2, "local": [float("inf")] * 2}
    with tempfile.TemporaryDirectory() as tmp, ServerProcess(Path(tmp) / "bench.sqlite3", env=env) as server, \
            httpx.Client(base_url=server.url, timeout=300) as http:
        created = http.post("/api/networks", json={}).json()
        owner = {"Authorization": f"Bearer {created['key']}"}
        pid = server.process.pid

        def over_http() -> None:
            answer = http.post(f"/api/networks/{created['id']}/step", json={"count": API_ITERATIONS},
                               params={"history": 0}, headers=owner)
            answer.raise_for_status()
            assert answer.json()["done"] == API_ITERATIONS, answer.json()["stopped_early"]

        runs = {"api": (over_http, lambda: cpu_seconds(pid)),
                "local": (lambda: local.advance(by="iteration", count=API_ITERATIONS), time.process_time)}
        for repeat in range(API_REPEATS + 1):  # the first round warms up
            for name, (run, cpu) in runs.items():
                wall, used = time.perf_counter(), cpu()
                run()
                wall, used = time.perf_counter() - wall, cpu() - used
                if repeat:
                    best[name] = [min(best[name][0], used / API_ITERATIONS), min(best[name][1], wall / API_ITERATIONS)]
    (api_cpu, api_wall), (local_cpu, local_wall) = best["api"], best["local"]
    print(f"\nAPI: POST …/step with count {API_ITERATIONS:,} on the default 2-4-2-1 network, µs a step: "
          f"CPU {api_cpu * 1e6:.1f} against {local_cpu * 1e6:.1f} in-process ({api_cpu / local_cpu:.2f}×); "
          f"wall clock {api_wall * 1e6:.1f} against {local_wall * 1e6:.1f} ({api_wall / local_wall:.2f}×); {load()}")
    return api_cpu / local_cpu


def main() -> None:
    rows = training_table()
    grid_line()
    api = api_line()
    worst = max(u / f for _, _, u, f, _ in rows)
    worst_trace = max(t / u for _, _, u, _, t in rows)
    print()
    print(f"Worst engine/floor {worst:.2f} (target ≤ 1.30: {'met' if worst <= 1.3 else 'MISSED'}); "
          f"worst traced/untraced {worst_trace:.2f} (target ≤ 3.00: {'met' if worst_trace <= 3 else 'MISSED'}); "
          f"API/in-process {api:.2f} (target ≤ 1.10: {'met' if api <= 1.1 else 'MISSED'})")


if __name__ == "__main__":
    main()
