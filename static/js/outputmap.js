// The big output map: the output neuron's heatmap (or the classes mixed by confidence, classmaps.js) with the
// training points over it, test points on demand, and the current mini-batch ringed. Clicking a point
// of the mini-batch selects it as the sample the inspector shows. The map spans the input plane
// [−extent, extent]² the server evaluates its grids on.
import { paintClassMap } from './classmaps.js';
import { paintGrid } from './heatmap.js';
import { classColour, cssOf, palette } from './palette.js';

export class OutputMap {
  constructor(heat, points, extent, onPick) {
    this.heat = heat;
    this.extent = extent;
    this.points = points;
    this.onPick = onPick;
    this.data = null;
    this.batch = [];
    this.sample = -1;
    this.showTest = false;
    points.addEventListener('click', (e) => this.click(e));
  }

  setData(data) {
    this.data = data;
    this.drawPoints();
  }

  setBatch(batch, sample) {
    if ((batch || []) === this.batch && sample === this.sample) return;
    this.batch = batch || [];
    this.sample = sample;
    this.drawPoints();
  }

  setShowTest(on) {
    this.showTest = on;
    this.drawPoints();
  }

  // grids: decoded output-layer grids; activation of the output layer.
  paint(grids, activation, discrete) {
    if (!grids || !grids.length) return;
    if (grids.length === 1) paintGrid(this.heat, grids[0], activation, { discrete });
    else paintClassMap(this.heat, grids, activation, discrete);
  }

  // plane: the grids' `plane` (GET …/grid): which inputs the axes show, over which ranges. Data with
  // other than two inputs are drawn on that slice; two-input data on [−extent, extent]².
  setPlane(plane) {
    this.plane = plane && plane.fixed.length + (plane.y ? 2 : 1) !== 2 ? plane : null;
    this.drawPoints();
  }

  toPixel(p, size) {
    if (this.plane) {
      const { x, y } = this.plane;
      return [((p[x.input] - x.min) / (x.max - x.min)) * size,
        y ? ((y.max - p[y.input]) / (y.max - y.min)) * size : size / 2];
    }
    const e = this.extent;
    return [((p[0] + e) / (2 * e)) * size, ((e - p[1]) / (2 * e)) * size];
  }

  // A point's place on the map, held at the edge when it lies beyond the plane shown (noisy data
  // spills past ±extent): [x, y, outside]. No point disappears.
  placed(p, size) {
    const [x, y] = this.toPixel(p, size);
    const m = 3;
    const cx = Math.max(m, Math.min(size - m, x)); const cy = Math.max(m, Math.min(size - m, y));
    return [cx, cy, cx !== x || cy !== y];
  }

  pointColour(y) {
    if (this.data.kind === 'classification') return classColour(y);
    return cssOf(Array.isArray(y) ? y[0] : y);
  }

  drawPoints() {
    const c = this.points;
    const ratio = window.devicePixelRatio || 1;
    const size = c.clientWidth || 228;
    c.width = Math.round(size * ratio);
    c.height = Math.round(size * ratio);
    const ctx = c.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, size, size);
    if (!this.data || !this.data.x_train || ((this.data.x_train[0] || []).length !== 2 && !this.plane)) return;
    let drawn = 0; let outside = 0;
    const dot = (p, y, test) => {
      const [px, py, out] = this.placed(p, size);
      drawn += 1; outside += out;
      ctx.beginPath();
      if (out) ctx.rect(px - 2.6, py - 2.6, 5.2, 5.2); else ctx.arc(px, py, 2.6, 0, 2 * Math.PI); // squares: beyond the edge
      ctx.fillStyle = this.pointColour(y);
      ctx.fill();
      ctx.lineWidth = test ? 1.4 : 0.7;
      ctx.strokeStyle = test ? '#111' : '#fff';
      ctx.stroke();
    };
    this.data.x_train.forEach((p, i) => dot(p, this.data.y_train[i], false));
    if (this.showTest) this.data.x_test.forEach((p, i) => dot(p, this.data.y_test[i], true));
    Object.assign(c.dataset, { drawn: String(drawn), outside: String(outside) });
    ctx.strokeStyle = palette().backward;
    this.batch.forEach((row, s) => {
      const [px, py] = this.placed(this.data.x_train[row], size);
      ctx.lineWidth = s === this.sample ? 2.5 : 1;
      ctx.beginPath();
      ctx.arc(px, py, s === this.sample ? 7 : 4.5, 0, 2 * Math.PI);
      ctx.stroke();
    });
  }

  click(event) {
    if (!this.data) return;
    const rect = this.points.getBoundingClientRect();
    const x = event.clientX - rect.left; const y = event.clientY - rect.top;
    let best = -1; let bestD = 64;
    this.data.x_train.forEach((p, i) => {
      const [px, py] = this.placed(p, rect.width);
      const d = (px - x) ** 2 + (py - y) ** 2;
      if (d < bestD) { bestD = d; best = i; }
    });
    if (best >= 0) this.onPick(best);
  }
}

