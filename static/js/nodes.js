// The neurons of the network drawing: a frame over the node's heatmap (painted into the view's
// shared canvas), a bar for the selected sample's activation, a ring for its error signal δ, a bias
// marker, and numbers as chips with their own background above everything else.
import { backwardColour, signColour } from './palette.js';
import { el, setAttr } from './svg.js';

export function makeNode(view, l, i, pos) {
  const S = view.size;
  const { spec } = view;
  const id = spec.neuronIds[l][i];
  const g = el('g', { class: `node layer-${l === 0 ? 'input' : l === spec.layers.length - 1 ? 'output' : 'hidden'}`,
    id, 'data-id': id, transform: `translate(${pos.x},${pos.y})`, tabindex: 0, role: 'button' }, view.nodeLayer);
  const label = l === 0 ? (spec.inputLabels[i] || `input ${i + 1}`) : `layer ${l}, neuron ${i + 1}`;
  g.setAttribute('aria-label', `Neuron ${id} (${label})`);
  // Each heatmap is painted at grid resolution off screen, then scaled into the one shared canvas.
  const canvas = document.createElement('canvas');
  canvas.width = 1;
  canvas.height = 1;
  view.mapsContext.fillStyle = '#e8eaeb';
  view.mapsContext.fillRect(pos.x, pos.y, S, S);
  const ring = el('rect', { class: 'delta-ring', x: -4, y: -4, width: S + 8, height: S + 8, rx: 6 }, g);
  el('rect', { class: 'frame', width: S, height: S, rx: 3 }, g);
  if (l === 0 && !spec.features) { // inputs without feature toggles (your data) show their names
    el('text', { class: 'input-name', x: -6, y: S / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle' }, g)
      .textContent = label;
  }
  // The activation of the selected sample: a bar up the node's right side, coloured by sign.
  const barW = Math.max(4, S * 0.16);
  const fill = el('rect', { class: 'fill', x: S - barW, y: S, width: barW, height: 0 }, g);
  // Activation on top of the node, delta (backward) at its bottom…
  const valueChip = chip(view, 'value-chip', pos.x + S / 2, pos.y + view.font * 0.5 + 2);
  // …inside the node's bottom edge, so on a tall layer it never runs into the node below.
  const deltaChip = chip(view, 'delta-chip', pos.x + S / 2, pos.y + S - view.font * 0.65 - 1);
  const select = () => view.handlers.onSelect({ kind: 'neuron', id });
  g.addEventListener('click', select);
  g.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      select();
    }
  });
  g.addEventListener('pointerenter', () => view.handlers.onHover(id, g));
  g.addEventListener('pointerleave', () => view.handlers.onHover(null, g));
  view.obstacles.push({ x: pos.x - 5, y: pos.y - 5, w: S + 10, h: S + 10 });
  if (l > 0) {
    const biasId = view.ids.biasId(id);
    const bias = el('rect', { class: 'bias', id: biasId, 'data-id': biasId, x: -7, y: S - 6, width: 10, height: 10, rx: 2 }, g);
    const title = el('title', {}, bias);
    bias.addEventListener('click', (e) => {
      e.stopPropagation();
      view.handlers.onSelect({ kind: 'bias', id: biasId });
    });
    view.biases.set(biasId, { rect: bias, title, neuron: id, layer: l, index: i });
  }
  view.nodes.set(id, { g, canvas, fill, ring, valueChip, deltaChip, layer: l, index: i, x: pos.x, y: pos.y, attrs: {} });
}

function chip(view, cls, cx, cy) {
  const g = el('g', { class: `chip ${cls} empty`, transform: `translate(${cx},${cy})` }, view.chipLayer);
  const bg = el('rect', { class: 'chip-bg', x: 0, y: -view.font * 0.65, height: view.font * 1.3, rx: 3, width: 0 }, g);
  const text = el('text', { class: 'chip-text', y: view.font * 0.36, 'font-size': view.font }, g);
  return { g, bg, text, value: '' };
}

function setChip(view, c, text, background = null) {
  const shown = text || '';
  if (c.value === shown && c.background === background) return;
  c.value = shown;
  c.background = background;
  c.text.textContent = shown;
  const w = shown ? shown.length * view.font * 0.6 + 6 : 0;
  c.bg.setAttribute('width', w);
  c.bg.setAttribute('x', -w / 2);
  if (background) c.bg.style.fill = background; else c.bg.style.removeProperty('fill');
  c.g.classList.toggle('empty', !shown);
}

// One sample's numbers on the nodes: {id: {fill, text, delta, deltaText}}; fill and delta in [-1, 1]
// (drawing scale), delta's sign picks the backward colour. Texts are shown only with `numbers` on.
export function setNodeValues(view, values, numbers) {
  const S = view.size;
  // Nodes too small for a number keep their marks; the selected neuron's numbers always show.
  const roomy = S >= 30;
  for (const [id, n] of view.nodes) {
    const v = values[id] || {};
    if (v.fill !== undefined) {
      const h = Math.max(2, Math.min(1, Math.abs(v.fill)) * S);
      setAttr(n.fill, n.attrs, 'y', S - h);
      setAttr(n.fill, n.attrs, 'height', h);
      setAttr(n.fill, n.attrs, 'fill', signColour(v.fill));
    } else {
      setAttr(n.fill, n.attrs, 'height', 0);
    }
    // numbers: true (all), or the set of layers a phase just computed (shown and outlined without it).
    const layerShown = numbers instanceof Set && numbers.has(n.layer);
    n.g.classList.toggle('computed', layerShown);
    const show = (numbers === true || layerShown) && (roomy || view.selected?.id === id);
    setChip(view, n.valueChip, show ? v.text : '');
    const hasDelta = v.delta !== undefined;
    setChip(view, n.deltaChip, show && hasDelta ? v.deltaText : '', hasDelta ? backwardColour(v.rawDelta) : null);
    if (hasDelta) {
      setAttr(n.ring, n.attrs, 'stroke-width', (1.5 + 5 * Math.min(1, Math.abs(v.delta))).toFixed(2));
      const colour = backwardColour(v.rawDelta);
      if (n.attrs.ringColour !== colour) { n.ring.style.stroke = colour; n.attrs.ringColour = colour; }
      n.ring.classList.add('on');
      n.g.dataset.delta = String(v.rawDelta);
    } else {
      n.ring.classList.remove('on');
      delete n.g.dataset.delta;
    }
  }
}
