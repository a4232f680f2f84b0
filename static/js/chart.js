// Small line charts on canvas: train/test loss over iterations, and the gradient norm of every weight
// layer on a log scale (vanishing and exploding gradients show up as lines drifting apart).
import { powerOfTen } from './format.js';

const LAYER_COLOURS = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#666666',
  '#1f78b4'];

export function layerColour(k) { return LAYER_COLOURS[k % LAYER_COLOURS.length]; }

export class LineChart {
  // series: [{key, label, colour, dash?}], get(entry) → number | null
  // empty: what an empty chart says; cap: a linear chart whose values climb past `cap` times their
  // first value switches to a log axis (a loss that explodes shows its climb decade by decade, up to
  // where training stopped, instead of squashing the whole run flat).
  constructor(canvas, { series, log = false, legend = null, empty = 'no data yet', cap = null, percent = false }) {
    this.canvas = canvas;
    this.percent = percent; // values in [0, 1] shown as 0–100 %, on a fixed axis
    this.empty = empty;
    this.cap = cap;
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

  // The largest finite value of any series over `pts` (−Infinity when there is none).
  peak(pts) {
    let top = -Infinity;
    for (const s of this.series) for (const e of pts) {
      const v = s.get(e);
      if (Number.isFinite(v) && v > top) top = v;
    }
    return top;
  }

  // The largest first finite value of any series (Infinity when there is none).
  firstValue(pts) {
    let first = -Infinity;
    for (const s of this.series) {
      const e = pts.find((p) => Number.isFinite(s.get(p)));
      if (e) first = Math.max(first, s.get(e));
    }
    return first > 0 ? first : Infinity;
  }

  draw() {
    this.dirty = false;
    const { canvas } = this;
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth; const h = canvas.clientHeight;
    if (!w || !h) return;
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const font = document.documentElement.classList.contains('projector') ? 12 : 10;
    const left = font * 3.4; const bottom = font + 4; const top = font * 0.6 + 2; const right = 4;
    const plotW = w - left - right; const plotH = h - top - bottom;
    // One point per pixel column is all a chart this wide can show.
    const stride = Math.max(1, Math.floor(this.entries.length / plotW));
    const pts = stride === 1 ? this.entries
      : this.entries.filter((_, i) => i % stride === 0 || i === this.entries.length - 1);
    const log = this.log || (this.cap !== null && this.peak(pts) > this.cap * this.firstValue(pts));
    canvas.dataset.scale = log ? 'log' : 'linear';
    const tf = log ? Math.log10 : (v) => v;
    let lo = Infinity; let hi = -Infinity; let zeros = false;
    for (const s of this.series) for (const e of pts) {
      const v = s.get(e);
      if (log && v === 0) zeros = true;
      if (v === null || v === undefined || !Number.isFinite(v) || (log && v <= 0)) continue;
      const t = tf(v);
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    ctx.font = `${font}px system-ui, sans-serif`;
    ctx.fillStyle = '#555';
    ctx.strokeStyle = '#c9cdd2';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(left - 0.5, top); ctx.lineTo(left - 0.5, top + plotH + 0.5); ctx.lineTo(w - right, top + plotH + 0.5);
    ctx.stroke();
    canvas.dataset.ticks = '';
    canvas.dataset.points = '0';
    if (lo === Infinity && zeros) { lo = 0; hi = 0; }
    if (lo === Infinity || !pts.length) {
      ctx.fillText(this.entries.length > 1 ? 'no finite values' : this.empty, left + 6, top + plotH / 2 + font / 3);
      return;
    }
    if (this.percent) { lo = 0; hi = 1 / 1.05; }
    if (log) { lo = Math.floor(lo); hi = Math.max(Math.ceil(hi), lo + 1); } else { lo = Math.min(0, lo); hi = hi > lo ? hi * 1.05 : lo + 1; }
    // Exact zeros on a log axis (a gradient that vanished) sit on a floor below the lowest decade,
    // marked 0, a fifth of the axis lower (so its label keeps clear of the decade's).
    const floor = zeros ? lo - Math.max(1, Math.ceil((hi - lo) / 4)) : null;
    const lowest = lo;
    if (zeros) lo = floor;
    const at = (v) => (v === 0 && zeros ? floor : tf(v));
    const s0 = pts[0].step; const s1 = Math.max(pts[pts.length - 1].step, s0 + 1);
    const X = (step) => left + ((step - s0) / (s1 - s0)) * plotW;
    const Y = (t) => top + plotH - ((t - lo) / (hi - lo)) * plotH;
    // y ticks: decades on the log scale (as many as fit), 0 / middle / top on the linear one.
    const fit = Math.max(2, Math.min(4, Math.floor(plotH / (1.5 * font)) + 1));
    const ticks = !log ? [lo, (lo + hi) / 2, hi] : zeros ? [floor, ...decades(lowest, hi, fit - 1)] : decades(lo, hi, fit);
    const label = (t) => (t === floor ? '0' : log ? powerOfTen(t) : this.percent ? `${Math.round(t * 100)}%` : shortNumber(t));
    canvas.dataset.ticks = ticks.map(label).join(' ');
    ctx.textAlign = 'right';
    for (const t of ticks) {
      const y = Y(t);
      ctx.strokeStyle = '#eceef1';
      ctx.beginPath(); ctx.moveTo(left, Math.round(y) + 0.5); ctx.lineTo(w - right, Math.round(y) + 0.5); ctx.stroke();
      ctx.fillText(label(t), left - 3, Math.min(top + plotH, Math.max(font * 0.8, y + font / 3)));
    }
    ctx.textAlign = 'left';
    ctx.fillText(`iteration ${s0.toLocaleString('en')}`, left + 2, h - 2);
    if (log && !this.log) { ctx.textAlign = 'center'; ctx.fillText('log scale', left + plotW / 2, h - 2); }
    ctx.textAlign = 'right';
    ctx.fillText(s1.toLocaleString('en'), w - right, h - 2);
    ctx.textAlign = 'left';
    ctx.save();
    ctx.beginPath(); ctx.rect(left, 0, plotW + right, top + plotH + 1); ctx.clip();
    let drawn = 0;
    for (const s of this.series) {
      ctx.strokeStyle = s.colour;
      ctx.lineWidth = s.width || 1.6;
      ctx.setLineDash(s.dash || []);
      ctx.fillStyle = s.colour;
      ctx.beginPath();
      // A point with no drawn neighbour is a dot: a line through one point would show nothing.
      let run = 0; let x = 0; let y = 0; let count = 0;
      const dot = () => { if (run === 1) ctx.fillRect(x - 1.5, y - 1.5, 3, 3); };
      for (const e of pts) {
        const v = s.get(e);
        if (v === null || v === undefined || !Number.isFinite(v) || (log && v < 0)) { dot(); run = 0; continue; }
        x = X(e.step); y = Y(at(v));
        if (run) ctx.lineTo(x, y); else ctx.moveTo(x, y);
        run += 1; count += 1;
      }
      dot();
      ctx.stroke();
      drawn = Math.max(drawn, count);
    }
    canvas.dataset.points = String(drawn); // the most points one series drew
    ctx.restore();
    ctx.setLineDash([]);
  }
}

// At most `count` integer exponents from lo to hi, always including both ends.
function decades(lo, hi, count) {
  const stepSize = Math.max(1, Math.ceil((hi - lo) / (count - 1)));
  const out = [];
  for (let t = lo; t < hi; t += stepSize) out.push(t);
  out.push(hi);
  return out;
}

function shortNumber(v) {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1000 || abs < 0.01) { // 2×10⁶, never "2e+6"
    const e = Math.floor(Math.log10(abs));
    const m = Math.round(v / 10 ** e);
    return `${m === 1 ? '' : `${m}×`}${powerOfTen(e)}`;
  }
  return Number(v.toPrecision(2)).toString();
}
