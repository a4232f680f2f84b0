// What the output map shows for data with other than two inputs, and the choice of its axes. Such data
// have no input plane, so the server's grids are a slice (engine/planes.py): two inputs sweep their
// training range and every other input is held at its training mean, as in a partial-dependence plot.
// We show the slice rather than a projection because its axes are the user's own columns and the
// values it holds can be printed beside it; this view says so in words, names the held values, and
// offers the two inputs as selects. Two-input data hide it. The choice is reported, never applied here.
import { html } from './dom.js';

const fmt = (v) => String(Number(v.toPrecision(3)));

export class SliceView {
  // root: the container under the output map; onAxes([x, y]): the user picked the inputs to show.
  constructor(root, onAxes) {
    this.root = root;
    this.x = html('select', { id: 'slice-x', title: 'The input along the horizontal axis' });
    this.y = html('select', { id: 'slice-y', title: 'The input along the vertical axis' });
    this.why = html('p', { className: 'muted small', id: 'slice-why' });
    this.held = html('p', { className: 'muted small', id: 'slice-held' });
    // An input cannot be both axes: picking the other axis's input swaps them.
    const report = (moved, other) => {
      if (moved.value === other.value) other.value = moved.dataset.was;
      onAxes([Number(this.x.value), Number(this.y.value)]);
    };
    this.x.addEventListener('change', () => report(this.x, this.y));
    this.y.addEventListener('change', () => report(this.y, this.x));
    this.axes = html('div', { className: 'slice-axes' },
      [html('label', { textContent: 'across ' }, [this.x]), html('label', { textContent: ' up ' }, [this.y])]);
    root.replaceChildren(this.why, this.axes, this.held);
    root.hidden = true;
  }

  // columns: the inputs' names (or null for two-input data, which need no slice).
  setColumns(columns) {
    const sliced = Boolean(columns) && columns.length !== 2;
    this.root.hidden = !sliced;
    if (!sliced) return;
    const key = columns.join('\u0000');
    if (key !== this.key) {
      this.key = key;
      for (const select of [this.x, this.y]) select.replaceChildren(...columns.map((c, i) => new Option(c, String(i))));
    }
    this.y.closest('label').hidden = columns.length < 2;
    this.why.textContent = columns.length === 1
      ? 'Your data have one input: the map shows the output along it (every row alike); for one target '
        + 'it is a graph, the line the network\'s output and each point at its target.'
      : `${columns.length} inputs, two axes: the map is a slice, the output against the two inputs `
        + 'chosen here with every other input held at its training mean.';
  }

  // plane: the grids' `plane` (GET …/grid): the axes shown and the values held.
  setPlane(plane) {
    if (this.root.hidden || !plane) return;
    this.x.value = this.x.dataset.was = String(plane.x.input);
    if (plane.y) this.y.value = this.y.dataset.was = String(plane.y.input);
    this.held.textContent = plane.fixed.length
      ? `Held at the mean: ${plane.fixed.map((f) => `${f.label} = ${fmt(f.value)}`).join(', ')}.` : '';
  }
}
