// Phase animations over a drawing that is already final: signals travel along the edges (forward left
// to right, backward right to left in its own colour), neurons fill with their activation, edges move
// from their old to their new width. Short (≤ 400 ms), skipped by the next step, and off when the
// user prefers reduced motion. Nothing here changes a number; it only replays what the records say.

const DURATION = { forward: 300, loss: 300, backward: 300, update: 400 };
const SEQUENCE_STEP = 140; // per phase when a whole iteration is replayed

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
    if (rec.phase === 'forward') return this.signals(rec.layer, 'forward');
    if (rec.phase === 'backward') return this.signals(rec.layer, 'backward');
    if (rec.phase === 'loss') return this.flashOutputs();
    return this.moveEdges(oldWidths);
  }

  // Pulses along every edge into `layer` (forward) or out of it towards layer − 1 (backward);
  // the neurons of the layer fill (forward) or ring (backward) as the pulses arrive.
  signals(layer, direction) {
    const { view } = this;
    const edges = [...view.edges.entries()].filter(([, e]) => e.k === layer - 1);
    const pulses = edges.map(([id]) => [id, view.pulse(direction)]);
    const nodes = [...view.nodes.values()].filter((n) => n.layer === layer);
    const finals = nodes.map((n) => ({ n, h: Number(n.fill.getAttribute('height')), y: Number(n.fill.getAttribute('y')) }));
    const done = () => {
      pulses.forEach(([, c]) => c.remove());
      finals.forEach(({ n, h, y }) => { n.fill.setAttribute('height', h); n.fill.setAttribute('y', y); n.ring.style.opacity = ''; });
    };
    const step = (p) => {
      const t = direction === 'forward' ? p : 1 - p;
      for (const [id, c] of pulses) {
        const [x, y] = view.edgePoint(id, t);
        c.setAttribute('cx', x);
        c.setAttribute('cy', y);
        c.style.opacity = p >= 1 ? 0 : 1;
      }
      if (direction === 'forward') {
        const grow = Math.max(0, (p - 0.6) / 0.4);
        for (const { n, h, y } of finals) {
          n.fill.setAttribute('height', h * grow);
          n.fill.setAttribute('y', y + h * (1 - grow));
        }
      } else {
        for (const { n } of finals) n.ring.style.opacity = Math.min(1, p * 2);
      }
      if (p >= 1) done();
    };
    step(0);
    return { step, done };
  }

  flashOutputs() {
    const outs = [...this.view.nodes.values()].filter((n) => n.g.classList.contains('layer-output'));
    const done = () => outs.forEach((n) => { n.ring.style.opacity = ''; });
    return { step: (p) => { outs.forEach((n) => { n.ring.style.opacity = String(0.3 + 0.7 * Math.abs(Math.sin(p * Math.PI * 2))); }); if (p >= 1) done(); }, done };
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
