// Small line charts on canvas: train/test loss over iterations, and the gradient norm of every weight
// layer on a log scale (vanishing and exploding gradients show up as lines drifting apart).

const LAYER_COLOURS = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666',
  '#1f78b4'];

export function layerColour(k) { return LAYER_COLOURS[k % LAYER_COLOURS.length]; }

export class LineChart {
  // series: [{key, label, colour, dash?}], get(entry) → number | null
  constructor(canvas, { series, log = false, legend = null }) {
    this.canvas = canvas;
    this.series = series;
    this.log = log;
    this.legend = legend;
    this.entries = [];
    this.queued = false;
  }

  setSeries(series) {
    this.series = series;
    this.renderLegend();
    this.draw();
  }

  renderLegend() {
    if (!this.legend) return;
    this.legend.replaceChildren(...this.series.map((s) => {
      const item = document.createElement('span');
      item.className = 'legend-item';
      item.innerHTML = `<i style="background:${s.colour}"></i>`;
      item.append(s.label);
      return item;
    }));
  }

  reset(entries) {
    this.entries = entries.slice();
    this.draw();
  }

  append(entries) {
    for (const e of entries) {
      const last = this.entries[this.entries.length - 1];
      if (last && e.step <= last.step) {
        // A reset or a replayed entry: drop everything from that step on.
        while (this.entries.length && this.entries[this.entries.length - 1].step >= e.step) this.entries.pop();
      }
      this.entries.push(e);
    }
    if (this.entries.length > 4000) this.entries = this.entries.filter((_, i) => i % 2 === 0 || i === 0);
    this.dirty = true; // drawn with the next frame, not once per message
  }

  // At most `hz` redraws a second: a chart of thousands of points need not follow every frame.
  drawIfDirty(hz = 60) {
    const now = performance.now();
    if (!this.dirty || now - (this.drawnAt || 0) < 1000 / hz) return;
    this.drawnAt = now;
    this.draw();
  }

  draw() {
    this.dirty = false;
    const { canvas } = this;
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth; const h = canvas.clientHeight;
    if (!w || !h) return;
    if (canvas.width !== Math.round(w * ratio)) { canvas.width = Math.round(w * ratio); canvas.height = Math.round(h * ratio); }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    // One point per pixel column is all a chart this wide can show.
    const stride = Math.max(1, Math.floor(this.entries.length / w));
    const pts = stride === 1 ? this.entries
      : this.entries.filter((_, i) => i % stride === 0 || i === this.entries.length - 1);
    const values = [];
    for (const s of this.series) for (const e of pts) {
      const v = s.get(e);
      if (v !== null && v !== undefined && Number.isFinite(v) && (!this.log || v > 0)) values.push(v);
    }
    ctx.strokeStyle = '#e3e5e8';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, h - 0.5); ctx.lineTo(w, h - 0.5);
    ctx.stroke();
    if (!values.length || pts.length < 1) return;
    const tf = this.log ? Math.log10 : (v) => v;
    let lo = this.log ? Math.min(...values.map(tf)) : Math.min(0, ...values);
    let hi = Math.max(...values.map(tf));
    if (hi - lo < 1e-12) { hi += 0.5; lo -= this.log ? 0.5 : 0; }
    const s0 = pts[0].step; const s1 = Math.max(pts[pts.length - 1].step, s0 + 1);
    const X = (step) => 2 + ((step - s0) / (s1 - s0)) * (w - 4);
    const Y = (v) => h - 3 - ((tf(v) - lo) / (hi - lo)) * (h - 8);
    for (const s of this.series) {
      ctx.strokeStyle = s.colour;
      ctx.lineWidth = s.width || 1.6;
      ctx.setLineDash(s.dash || []);
      ctx.beginPath();
      let pen = false;
      for (const e of pts) {
        const v = s.get(e);
        if (v === null || v === undefined || !Number.isFinite(v) || (this.log && v <= 0)) { pen = false; continue; }
        if (pen) ctx.lineTo(X(e.step), Y(v)); else ctx.moveTo(X(e.step), Y(v));
        pen = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.fillStyle = '#777';
    ctx.font = '10px system-ui, sans-serif';
    const top = this.log ? `1e${Math.round(hi)}` : hi.toPrecision(2);
    ctx.fillText(top, 3, 10);
  }
}
