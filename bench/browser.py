"""Page benchmark in headless Chromium: drawing rate while playing, and latency of one phase step.

Starts the real server on a free port with a temporary database, opens the page with the
2-8-8-8-8-8-8-1 network (every neuron's heatmap on), and prints
  - frames per second while playing: how often the page redrew the network, its heatmaps and charts
    (target ≥ 50), next to the browser's own animation-frame rate (the ceiling);
  - the median time from pressing "next phase" to the drawing updated (target ≤ 50 ms), measured in
    the page from the click to the redraw that shows the new phase.

Usage: .venv/bin/python bench/browser.py [--seconds 5] [--steps 40] [--chromium /usr/bin/chromium]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.server_process import ServerProcess  # noqa: E402

BIG = "?layers=2,8,8,8,8,8,8,1&dataset=spiral&activation=tanh&learning_rate=0.03&seed=0"

MEASURE_STEP = """async () => {
  const root = document.documentElement;
  const before = root.dataset.phaseIndex;
  const drawn = Number(root.dataset.drawn);
  const t0 = performance.now();
  document.getElementById('step-phase').click();
  await new Promise((resolve) => {
    const check = () => (root.dataset.phaseIndex !== before && Number(root.dataset.drawn) > drawn)
      ? resolve() : setTimeout(check, 1);
    check();
  });
  return Number(root.dataset.drawnAt) - t0;
}"""

COUNTERS = """[Number(document.documentElement.dataset.drawn), Number(document.documentElement.dataset.received),
  Number(document.documentElement.dataset.step), performance.now()]"""

COUNT_ANIMATION_FRAMES = """(ms) => new Promise((resolve) => {
  let n = 0; const t0 = performance.now();
  const tick = (t) => { n += 1; if (t - t0 < ms) requestAnimationFrame(tick); else resolve(n / ((t - t0) / 1000)); };
  requestAnimationFrame(tick);
})"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to play while counting frames")
    parser.add_argument("--steps", type=int, default=40, help="phase steps to time")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(Path(tmp) / "bench.sqlite3", args=["--no-access-log"]).start()
        url = server.url
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.goto(url + "/" + BIG)
                page.wait_for_function("document.querySelector('#connection').dataset.state === 'open'")
                page.wait_for_function("Number(document.documentElement.dataset.drawn || 0) > 1")
                nodes = page.locator("svg.network g.node").count()
                raf = page.evaluate(COUNT_ANIMATION_FRAMES, 1000)

                page.click("#play")
                page.wait_for_timeout(1000)  # warm up
                d0, r0, s0, t0 = page.evaluate(COUNTERS)
                page.wait_for_timeout(args.seconds * 1000)
                d1, r1, s1, t1 = page.evaluate(COUNTERS)
                page.click("#play")
                page.wait_for_function("document.querySelector('#play').getAttribute('aria-pressed') === 'false'")
                page.wait_for_timeout(300)
                fps = (d1 - d0) / ((t1 - t0) / 1000)
                received = (r1 - r0) / ((t1 - t0) / 1000)
                iterations = (s1 - s0) / ((t1 - t0) / 1000)

                latencies = [page.evaluate(MEASURE_STEP) for _ in range(args.steps)]
                browser.close()
        finally:
            server.stop()

    median = statistics.median(latencies)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine:    {os.cpu_count()} CPUs, load average {load} (server and browser share them)")
    print(f"network 2-8-8-8-8-8-8-1: {nodes} neurons, every heatmap on")
    print(f"playing:    {fps:6.1f} frames/s drawn   (target ≥ 50; {received:.1f} live frames/s received from the server, "
          f"browser animation frames {raf:.1f}/s) at {iterations:,.0f} iterations/s")
    print(f"next phase: {median:6.1f} ms median to the drawing updated (target ≤ 50), "
          f"p90 {statistics.quantiles(latencies, n=10)[-1]:.1f} ms over {len(latencies)} steps")
    print(f"ratios:     fps/target {fps / 50:.2f}, latency target/median {50 / median:.2f}")


if __name__ == "__main__":
    main()
