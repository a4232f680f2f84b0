// "Draw your data" on the output map: with its toolbox open, a click adds a training point of the chosen
// class (or, for a regression, the chosen value) where it lands, a drag paints a trail of them, and a
// right-click or the eraser removes the nearest point; "Clear all" starts from an empty map. The tools
// turn pointer positions into input coordinates and report them; dataactions.js sends the points.
// Where the map shows a slice (data with other than two inputs, slice.js) a point takes the inputs the
// axes show from where it lands and the others at the values the slice holds; on a curve (one input,
// one target, curve.js) the height of the click is the point's target.
import { html } from './dom.js';
import { classColour } from './palette.js';

const SPACING = 12; // pixels between the points of a painted trail
const REACH = 10;   // pixels within which the eraser finds a point


export class DrawTools {
  // root: the toolbar's container; map: the output map (outputmap.js), which turns positions into inputs;
  // handlers: {onAdd(points, y or ys), onErase(point, radius, axes), onClear()}
  constructor(root, map, handlers) {
    const canvas = map.points;
    Object.assign(this, { canvas, map, handlers, trail: null });
    this.box = html('details', { className: 'draw-box', id: 'draw-box',
      title: 'Open to draw: click the map to add points, drag to paint, right-click to remove' });
    this.label = html('select', { id: 'draw-class', title: 'The class of the points you add' });
    this.swatch = html('i', { className: 'draw-swatch', id: 'draw-swatch' }); // the class's colour on the map
    this.label.addEventListener('change', () => this.paintSwatch());
    this.value = html('input', { type: 'number', id: 'draw-value', step: 0.1, min: -1, max: 1, value: 1,
      title: 'The target value of the points you add', hidden: true });
    this.eraser = html('input', { type: 'checkbox', id: 'draw-eraser' });
    this.clear = html('button', { type: 'button', id: 'draw-clear', textContent: 'Clear all' });
    this.note = html('p', { className: 'muted small', id: 'draw-note' });
    this.legend = html('p', { className: 'class-legend', id: 'class-legend' });
    this.clear.addEventListener('click', () => handlers.onClear());
    this.box.append(html('summary', { textContent: 'Draw your data' }), html('div', { className: 'draw-tools' }, [
      this.swatch, this.label, this.value, html('label', { className: 'check' }, [this.eraser, ' eraser']), this.clear]), this.note);
    root.replaceChildren(this.legend, this.box);
    canvas.addEventListener('pointerdown', (e) => this.down(e), true);
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', () => this.up());
    canvas.addEventListener('click', (e) => { if (this.box.open) e.stopImmediatePropagation(); }, true);
    canvas.addEventListener('contextmenu', (e) => {
      if (!this.box.open) return;
      e.preventDefault();
      this.erase(e);
    });
  }

  get drawing() { return this.box.open && this.allowed !== false; } // an open toolbox is drawing mode

  // Whether this page may change the points (a follower's may not: the tools are hidden).
  allow(on) {
    this.allowed = on;
    this.box.hidden = !on;
    if (!on) this.box.open = false;
  }

  // data: the page's points (GET …/data); classes: names of the classes; problem: a note, or null.
  show(data, classes, problem) {
    const inputs = (data?.x_train?.[0] || [0, 0]).length;
    const regression = data?.kind === 'regression';
    const curve = regression && inputs === 1 && !Array.isArray(data.y_train?.[0]?.[1] ?? null);
    this.label.hidden = regression;
    this.value.hidden = !regression || curve; // on a curve the click's height is the value
    const keep = this.label.value;
    this.label.replaceChildren(...classes.map((name, c) => new Option(name, String(c))));
    if (keep && Number(keep) < classes.length) this.label.value = keep;
    this.swatch.hidden = regression;
    this.paintSwatch();
    this.note.textContent = problem || (curve ? 'Click at the height of the value the point should have.'
      : inputs !== 2 ? 'Points you add take the inputs the map does not show at the values it holds.' : '');
    this.legend.replaceChildren(...(regression || !data?.labels ? [] : classes.map((name, c) => html('span', { className: 'class-name' },
      [html('i', { style: `background:${classColour(c)}` }), name]))));
  }

  paintSwatch() { this.swatch.style.background = classColour(Number(this.label.value) || 0); }

  // The label or value a new point gets: on a curve, the one its height means.
  target(at) {
    if (at.value !== null) return at.value;
    return this.value.hidden ? Number(this.label.value) : Number(this.value.value);
  }

  at(e) { // {point, value, axes} where the pointer is, or null (no plane to draw on yet)
    const rect = this.canvas.getBoundingClientRect();
    return this.map.inputsAt((e.clientX - rect.left) / rect.width, (e.clientY - rect.top) / rect.height);
  }

  erase(e) {
    const at = this.at(e);
    if (at) this.handlers.onErase(at.point, this.map.unitsOf(REACH), at.axes);
  }

  down(e) {
    if (!this.drawing || e.button !== 0) return;
    e.preventDefault();
    if (this.eraser.checked) { this.erase(e); return; }
    const at = this.at(e);
    if (!at) return;
    this.canvas.setPointerCapture?.(e.pointerId);
    this.trail = { points: [at.point], ys: [this.target(at)], last: [e.clientX, e.clientY] };
  }

  move(e) {
    if (!this.trail) return;
    const [x, y] = this.trail.last;
    const at = this.at(e);
    if (!at || Math.hypot(e.clientX - x, e.clientY - y) < SPACING) return;
    this.trail.points.push(at.point);
    this.trail.ys.push(this.target(at));
    this.trail.last = [e.clientX, e.clientY];
  }

  up() {
    if (!this.trail) return;
    const { points, ys } = this.trail;
    this.trail = null;
    this.handlers.onAdd(points, ys);
  }
}
