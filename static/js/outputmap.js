// The big output map: the output neuron's heatmap (or the classes mixed by confidence, classmaps.js) with the
// training points over it, test points on demand, and the current mini-batch ringed. Clicking a point
// of the mini-batch selects it as the sample the inspector shows. The map spans the input plane
// [−extent, extent]² the server evaluates its grids on; one input with one target is a graph (curve.js).
import { paintClassMap } from './classmaps.js';
import { curveValues, isCurve, targetOf, valueRange } from './curve.js';
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
    this.fitCurve();
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
    this.grid = grids.length === 1 ? grids[0] : null;
    if (this.fitCurve()) this.drawPoints();
  }

  // The curve from the last output grid, when the data and the plane make one (they may come after
  // the grid, or change under it); true when there is a curve to draw or one to take away.
  fitCurve() {
    const curve = this.grid && isCurve(this.plane, this.data) ? curveValues(this.grid) : null;
    if (!curve && !this.curve) return false;
    this.curve = curve;
    this.range = curve && valueRange(curve, this.data.y_train);
    this.labelValueAxis();
    return true;
  }

  // The vertical axis's ends: the value range while drawn as a curve, else as the data views left them.
  labelValueAxis() {
    const ends = this.heat.parentElement?.querySelectorAll('.axis.y span[data-extent]') || [];
    const fmt = (v) => String(Number(v.toPrecision(3)));
    ends.forEach((span, i) => {
      if (this.curve) span.textContent = fmt(i === 0 ? this.range.max : this.range.min);
      else if (span.dataset.curve) span.textContent = '';
      span.dataset.curve = this.curve ? 'on' : '';
    });
    ends[0]?.parentElement.classList.toggle('values', Boolean(this.curve)); // inside the map: values are long
    this.points.dataset.curve = this.curve ? 'on' : '';
  }

  // plane: the grids' `plane` (GET …/grid): which inputs the axes show, over which ranges. Data with
  // other than two inputs are drawn on that slice; two-input data on [−extent, extent]².
  setPlane(plane) {
    this.plane = plane && plane.fixed.length + (plane.y ? 2 : 1) !== 2 ? plane : null;
    this.fitCurve();
    this.drawPoints();
  }

  // p: a point's inputs; target: its label or target (placed by value when drawn as a curve).
  toPixel(p, size, target) {
    if (this.plane) {
      const { x, y } = this.plane;
      const across = ((p[x.input] - x.min) / (x.max - x.min)) * size;
      if (this.curve) return [across, this.valuePixel(targetOf(target), size)];
      return [across, y ? ((y.max - p[y.input]) / (y.max - y.min)) * size : size / 2];
    }
    const e = this.extent;
    return [((p[0] + e) / (2 * e)) * size, ((e - p[1]) / (2 * e)) * size];
  }

  // A point's place on the map, held at the edge when it lies beyond the plane shown (noisy data
  // spills past ±extent): [x, y, outside]. No point disappears.
  // Where a click at fractions (fx, fy) of the map lands: the point's inputs (a slice's other inputs at
  // the values held), the target its height means on a curve (else null), and the inputs shown. Null
  // while data with other than two inputs wait for their plane.
  inputsAt(fx, fy) {
    const round = (v) => Math.round(v * 1000) / 1000;
    if (!this.plane) {
      if ((this.data?.x_train?.[0] || [0, 0]).length !== 2) return null;
      const e = this.extent;
      return { point: [round((2 * fx - 1) * e), round((1 - 2 * fy) * e)], value: null, axes: [0, 1] };
    }
    const { x, y, fixed } = this.plane;
    const point = [];
    for (const f of fixed) point[f.input] = f.value;
    point[x.input] = round(x.min + fx * (x.max - x.min));
    if (y) point[y.input] = round(y.max - fy * (y.max - y.min));
    const value = this.curve ? round(this.range.max - fy * (this.range.max - this.range.min)) : null;
    return { point, value, axes: y ? [x.input, y.input] : [x.input] };
  }

  // Input units along the horizontal axis that `pixels` of the map span.
  unitsOf(pixels) {
    const width = this.plane ? this.plane.x.max - this.plane.x.min : 2 * this.extent;
    return (pixels / (this.points.clientWidth || 232)) * width;
  }

  valuePixel(value, size) {
    return ((this.range.max - value) / (this.range.max - this.range.min)) * size;
  }

  placed(p, size, target) {
    const [x, y] = this.toPixel(p, size, target);
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
      const [px, py, out] = this.placed(p, size, y);
      drawn += 1; outside += out;
      ctx.beginPath();
      if (out) ctx.rect(px - 2.6, py - 2.6, 5.2, 5.2); else ctx.arc(px, py, 2.6, 0, 2 * Math.PI); // squares: beyond the edge
      ctx.fillStyle = this.pointColour(y);
      ctx.fill();
      ctx.lineWidth = test ? 1.4 : 0.7;
      ctx.strokeStyle = test ? '#111' : '#fff';
      ctx.stroke();
    };
    if (this.curve) this.drawCurve(ctx, size);
    this.data.x_train.forEach((p, i) => dot(p, this.data.y_train[i], false));
    if (this.showTest) this.data.x_test.forEach((p, i) => dot(p, this.data.y_test[i], true));
    Object.assign(c.dataset, { drawn: String(drawn), outside: String(outside) });
    ctx.strokeStyle = palette().backward;
    this.batch.forEach((row, s) => {
      const [px, py] = this.placed(this.data.x_train[row], size, this.data.y_train[row]);
      ctx.lineWidth = s === this.sample ? 2.5 : 1;
      ctx.beginPath();
      ctx.arc(px, py, s === this.sample ? 7 : 4.5, 0, 2 * Math.PI);
      ctx.stroke();
    });
  }

  drawCurve(ctx, size) {
    const last = this.curve.length - 1;
    ctx.beginPath();
    this.curve.forEach((v, i) => ctx[i ? 'lineTo' : 'moveTo']((i / last) * size, this.valuePixel(v, size)));
    ctx.lineJoin = 'round';
    ctx.lineWidth = 4.5;
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)'; // a halo keeps the line readable on any colour
    ctx.stroke();
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#222';
    ctx.stroke();
  }

  click(event) {
    if (!this.data) return;
    const rect = this.points.getBoundingClientRect();
    const x = event.clientX - rect.left; const y = event.clientY - rect.top;
    let best = -1; let bestD = 64;
    this.data.x_train.forEach((p, i) => {
      const [px, py] = this.placed(p, rect.width, this.data.y_train[i]);
      const d = (px - x) ** 2 + (py - y) ** 2;
      if (d < bestD) { bestD = d; best = i; }
    });
    if (best >= 0) this.onPick(best);
  }
}

