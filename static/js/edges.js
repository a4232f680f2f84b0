// The edges of the network drawing: one SVG path per weight, keyed by its id, coloured by sign and
// sized by magnitude, with an invisible wider twin to click; numbers on edges are laid out so that no
// two labels overlap each other, a node or the error callout.
import { formatNumber } from './format.js';
import { placeLabels } from './labels.js';
import { bezierPoint, edgeCurve } from './layout.js';
import { signColour } from './palette.js';
import { el, setAttr } from './svg.js';

const MEANING = { weights: 'w', gradients: '∂E/∂w', updates: 'Δw' };

export function makeEdge(view, k, i, j, from, to) {
  const id = view.ids.weightId(view.spec.neuronIds[k][i], view.spec.neuronIds[k + 1][j]);
  const { d, ends } = edgeCurve(from, to, view.size);
  const g = el('g', { class: 'edge-group', 'data-id': id }, view.edgeLayer);
  const path = el('path', { id, class: 'edge', d, 'stroke-width': 1 }, g);
  const hit = el('path', { class: 'edge-hit', d, 'data-id': id }, g);
  hit.addEventListener('click', () => view.handlers.onSelect({ kind: 'weight', id }));
  const title = el('title', {}, hit);
  title.textContent = id;
  const label = el('text', { class: 'edge-label', x: 0, y: 0, 'data-for': id }, view.labelLayer);
  // A label prefers a spot staggered by its target, so parallel fans spread out before any search.
  const prefer = 0.3 + (0.4 * (j + 1)) / (view.spec.layers[k + 1] + 1);
  view.edges.set(id, { id, path, hit, label, title, k, i, j, d, prefer, attrs: {}, ends });
}

// values: matrices like the weights; mode decides the width scale (weights absolute, others relative).
// labels: matrices of numbers to print on the edges (null: none). `fast` (while playing) skips what
// nobody reads at 60 frames a second: tooltips and data attributes.
export function setEdgeValues(view, values, mode, labels = null, fast = false) {
  view.fast = fast;
  let scale = 1 / 2.2;
  if (mode !== 'weights') {
    let max = 0;
    for (const m of values || []) for (const row of m || []) for (const v of row) max = Math.max(max, Math.abs(v || 0));
    scale = max > 0 ? max / 5 : 1;
  }
  for (const e of view.edges.values()) {
    const v = values && values[e.k] ? values[e.k][e.i][e.j] : null;
    paintEdge(view, e, v, scale / view.zoom, mode);
  }
  setEdgeLabels(view, labels);
}

function paintEdge(view, e, v, scale, mode) {
  const missing = v === null || v === undefined;
  const stroke = missing ? '#c9ccd0' : signColour(v);
  const exact = missing ? 0.6 : 0.6 * view.zoom + Math.min(8 * view.zoom, Math.abs(v) / scale);
  // While playing, a width moves only once it is a third of a pixel off: far fewer repaints, and
  // no visible difference at 60 frames a second. Still frames are exact to a tenth of a pixel.
  const stale = e.width === null || e.width === undefined || e.stroke !== stroke
    || Math.abs(exact - Number(e.width)) >= (view.fast ? 0.34 : 0.05);
  const width = stale ? exact.toFixed(1) : e.width;
  if (e.stroke !== stroke) { e.path.setAttribute('stroke', stroke); e.stroke = stroke; }
  if (e.width !== width) { e.path.setAttribute('stroke-width', width); e.width = width; }
  if (e.dashed !== missing) {
    if (missing) e.path.setAttribute('stroke-dasharray', '3 3'); else e.path.removeAttribute('stroke-dasharray');
    e.dashed = missing;
  }
  if (view.fast) return;
  if (missing) {
    e.path.removeAttribute('data-value');
    e.title.textContent = `${e.id}: no value yet`;
    return;
  }
  e.path.setAttribute('data-value', v);
  e.title.textContent = `${e.id}: ${MEANING[mode]} = ${v}`;
}

// Print `labels` (matrices like the weights, or null) on the edges. Labels go where they collide with
// no node and no other label; edges of the selected neuron or weight come first, then the largest
// numbers. A label that finds no free spot is left out (the edge's tooltip still has the value).
function setEdgeLabels(view, labels) {
  const texts = [];
  for (const e of view.edges.values()) {
    const v = labels && labels[e.k] ? labels[e.k][e.i][e.j] : null;
    texts.push(v === null || v === undefined ? '' : formatNumber(v, 2));
  }
  const key = texts.join('|') + (view.selected ? view.selected.id : '') + (view.callout ? 'c' : '');
  if (key === view.labelKey) return;
  view.labelKey = key;
  const font = view.font * 0.9;
  const wanted = [];
  // In a dense net only the edges of the selected neuron or weight get numbers.
  const dense = view.edges.size > 60;
  [...view.edges.values()].forEach((e, n) => {
    const text = dense && !touchesSelection(view, e) ? '' : texts[n];
    if (e.label.textContent !== text) e.label.textContent = text;
    if (!text) return;
    const v = labels[e.k][e.i][e.j];
    wanted.push({ e, text, priority: (touchesSelection(view, e) ? 1e6 : 0) + Math.abs(v) });
  });
  wanted.sort((a, b) => b.priority - a.priority);
  const obstacles = view.callout ? [...view.obstacles, view.callout] : view.obstacles;
  const placed = placeLabels(wanted.map(({ e, text }) => ({
    width: text.length * font * 0.58 + 4, height: font + 3, prefer: e.prefer,
    at: (t) => bezierPoint(...e.ends, t),
  })), obstacles);
  wanted.forEach(({ e }, n) => {
    const spot = placed[n];
    e.label.classList.toggle('hidden', !spot);
    if (!spot) return;
    setAttr(e.label, e.attrs, 'x', spot.x.toFixed(1));
    setAttr(e.label, e.attrs, 'y', (spot.y + font * 0.35).toFixed(1));
  });
  for (const e of view.edges.values()) e.label.setAttribute('font-size', font);
}

function touchesSelection(view, e) {
  const sel = view.selected;
  if (!sel) return false;
  if (sel.kind === 'weight') return sel.id === e.id;
  const neuron = view.ids.neuronOf(sel.id);
  const { from, to } = view.ids.weight(e.id);
  return from === neuron || to === neuron;
}
