// Phase animations over a drawing that is already final: signals travel along the edges (forward left
// to right, backward right to left in the backward colours), neurons fill with their activation, edges move
// from their old to their new width. Short (≤ 400 ms), skipped by the next step, and off when the
// user prefers reduced motion. Nothing here changes a number; it only replays what the records say.

import { backwardColour } from './palette.js';

const DURATION = { forward: 350, loss: 300, backward: 400, update: 400 };
const SEQUENCE_STEP = 160; // per phase when a whole iteration is replayed

function reducedMotion() {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export class Animator {
  constructor(view) {
    this.view = view;
    this.frame = null;
    this.finishers = [];
  }

  // Jump every running animation to its end state.
  finish() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = null;
    const finishers = this.finishers.splice(0);
    finishers.forEach((f) => f());
    this.view.clearPulses();
  }

  // records: the trace of one step (one phase, or a whole iteration); oldWidths: edge id → width
  // before the update (only needed for update records).
  run(records, { oldWidths = null } = {}) {
    this.finish();
    if (reducedMotion() || !records.length) return;
    const phases = [];
    for (const rec of records) {
      const last = phases[phases.length - 1];
      if (rec.phase === 'update' && last && last.phase === 'update') continue; // one per layer, animate once
      phases.push(rec);
    }
    const each = phases.length > 1 ? SEQUENCE_STEP : null;
    const tracks = phases.map((rec, n) => {
      const duration = each || DURATION[rec.phase];
      const start = n * (each || 0);
      return { start, duration, ...this.track(rec, oldWidths) };
    });
    const t0 = performance.now();
    const end = Math.max(...tracks.map((t) => t.start + t.duration));
    const tick = (now) => {
      const elapsed = now - t0;
      for (const t of tracks) {
        const p = Math.max(0, Math.min(1, (elapsed - t.start) / t.duration));
        if (elapsed >= t.start) t.step(p);
      }
      if (elapsed < end) this.frame = requestAnimationFrame(tick);
      else this.finish();
    };
    this.finishers = tracks.map((t) => t.done);
    this.frame = requestAnimationFrame(tick);
  }

  track(rec, oldWidths) {
    if (rec.phase === 'forward') return this.signals(rec, 'forward');
    if (rec.phase === 'backward') return this.signals(rec, 'backward');
    if (rec.phase === 'loss') return this.flashOutputs();
    return this.moveEdges(oldWidths);
  }

  // Signals travel along every edge into `rec.layer`: forward left to right in the forward colour, and
  // backward right to left in the backward pair (colour = sign of ∂E/∂w, width = its size), so the
  // error visibly flows back. Neurons of the layer fill (forward) or ring (backward) as they arrive.
  signals(rec, direction) {
    const { view } = this;
    const layer = rec.layer;
    const backward = direction === 'backward';
    const grads = backward ? rec.grad_weights : null;
    let largest = 1e-12;
    if (grads) for (const row of grads) for (const g of row) largest = Math.max(largest, Math.abs(g));
    const streaks = [];
    for (const [id, e] of view.edges) {
      if (e.k !== layer - 1) continue;
      const g = grads ? grads[e.i][e.j] : null;
      const width = backward ? 2 + 4 * Math.abs(g) / largest : 3;
      const path = view.signal(id, direction, width, backward ? backwardColour(g) : null);
      const length = path.getTotalLength();
      const seg = Math.max(14, length * 0.28);
      path.setAttribute('stroke-dasharray', `${seg} ${length + seg}`);
      streaks.push({ path, length, seg });
    }
    const nodes = [...view.nodes.values()].filter((n) => n.layer === layer);
    const finals = nodes.map((n) => ({ n, h: Number(n.fill.getAttribute('height')), y: Number(n.fill.getAttribute('y')) }));
    const done = () => {
      streaks.forEach(({ path }) => path.remove());
      finals.forEach(({ n, h, y }) => { n.fill.setAttribute('height', h); n.fill.setAttribute('y', y); n.ring.style.opacity = ''; });
    };
    const step = (p) => {
      for (const { path, length, seg } of streaks) {
        // The visible stroke starts at `head − seg` along the path: forward from the source end, backward
        // from the target end.
        const head = backward ? length + seg - p * (length + seg) : p * (length + seg);
        path.setAttribute('stroke-dashoffset', String(seg - head));
        path.style.opacity = p >= 1 ? 0 : 1;
      }
      if (!backward) {
        const grow = Math.max(0, (p - 0.6) / 0.4);
        for (const { n, h, y } of finals) {
          n.fill.setAttribute('height', h * grow);
          n.fill.setAttribute('y', y + h * (1 - grow));
        }
      } else {
        for (const { n } of finals) n.ring.style.opacity = String(Math.max(0, (p - 0.5) * 2));
      }
      if (p >= 1) done();
    };
    step(0);
    return { step, done };
  }

  flashOutputs() {
    const outs = [...this.view.nodes.values()].filter((n) => n.g.classList.contains('layer-output'));
    const callout = this.view.calloutLayer;
    const done = () => { callout.style.opacity = ''; outs.forEach((n) => n.g.classList.remove('flash')); };
    outs.forEach((n) => n.g.classList.add('flash'));
    const step = (p) => { callout.style.opacity = String(Math.min(1, p * 1.6)); if (p >= 1) done(); };
    step(0);
    return { step, done };
  }

  // Each edge slides from its old width to its (already drawn) new width.
  moveEdges(oldWidths) {
    const moves = [];
    if (oldWidths) {
      for (const [id, e] of this.view.edges) {
        const to = Number(e.path.getAttribute('stroke-width'));
        const from = oldWidths.get(id);
        if (from !== undefined) moves.push({ path: e.path, from, to });
      }
    }
    this.view.svg.classList.add('updating');
    const done = () => {
      moves.forEach((m) => m.path.setAttribute('stroke-width', m.to));
      this.view.forgetWidths();
      this.view.svg.classList.remove('updating');
    };
    const step = (p) => {
      const ease = p < 0.5 ? 2 * p * p : 1 - 2 * (1 - p) * (1 - p);
      for (const m of moves) m.path.setAttribute('stroke-width', (m.from + (m.to - m.from) * ease).toFixed(3));
      if (p >= 1) done();
    };
    step(0);
    return { step, done };
  }
}
