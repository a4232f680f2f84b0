// "Draw your data" on the output map: with its toolbox open, a click adds a training point of the chosen
// class (or, for a regression, the chosen value) where it lands, a drag paints a trail of them, and a
// right-click or the eraser removes the nearest point; "Clear all" starts from an empty map. The tools
// turn pointer positions into input coordinates and report them; dataactions.js sends the points.
// Only two-input data have a plane to draw on, so for any other the tools are disabled.
import { html } from './dom.js';
import { classColour } from './palette.js';

const SPACING = 12; // pixels between the points of a painted trail
const REACH = 10;   // pixels within which the eraser finds a point


export class DrawTools {
  // root: the toolbar's container; canvas: the output map's top canvas; extent: the plane's half width;
  // handlers: {onAdd(points, y), onErase(point, radius), onClear()}
  constructor(root, canvas, extent, handlers) {
    Object.assign(this, { canvas, extent, handlers, trail: null });
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
      this.handlers.onErase(this.pointOf(e), this.reach());
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
    const plane = (data?.x_train?.[0] || [0, 0]).length === 2 || !data?.x_train?.length;
    for (const control of [this.label, this.value, this.eraser, this.clear]) control.disabled = !plane;
    const regression = data?.kind === 'regression';
    this.label.hidden = regression;
    this.value.hidden = !regression;
    const keep = this.label.value;
    this.label.replaceChildren(...classes.map((name, c) => new Option(name, String(c))));
    if (keep && Number(keep) < classes.length) this.label.value = keep;
    this.swatch.hidden = regression;
    this.paintSwatch();
    this.note.textContent = !plane ? 'Drawing needs data with two inputs.' : (problem || '');
    this.legend.replaceChildren(...(regression || !data?.labels ? [] : classes.map((name, c) => html('span', { className: 'class-name' },
      [html('i', { style: `background:${classColour(c)}` }), name]))));
  }

  paintSwatch() { this.swatch.style.background = classColour(Number(this.label.value) || 0); }

  target() { return this.value.hidden ? Number(this.label.value) : Number(this.value.value); }

  reach() { return (REACH / (this.canvas.clientWidth || 232)) * 2 * this.extent; }

  pointOf(e) {
    const rect = this.canvas.getBoundingClientRect();
    const e2 = this.extent;
    const x1 = ((e.clientX - rect.left) / rect.width) * 2 * e2 - e2;
    const x2 = e2 - ((e.clientY - rect.top) / rect.height) * 2 * e2;
    return [round(x1), round(x2)];
  }

  down(e) {
    if (!this.drawing || e.button !== 0) return;
    e.preventDefault();
    if (this.eraser.checked) { this.handlers.onErase(this.pointOf(e), this.reach()); return; }
    this.canvas.setPointerCapture?.(e.pointerId);
    this.trail = { points: [this.pointOf(e)], last: [e.clientX, e.clientY] };
  }

  move(e) {
    if (!this.trail) return;
    const [x, y] = this.trail.last;
    if (Math.hypot(e.clientX - x, e.clientY - y) < SPACING) return;
    this.trail.points.push(this.pointOf(e));
    this.trail.last = [e.clientX, e.clientY];
  }

  up() {
    if (!this.trail) return;
    const { points } = this.trail;
    this.trail = null;
    this.handlers.onAdd(points, this.target());
  }
}

const round = (v) => Math.round(v * 1000) / 1000;
