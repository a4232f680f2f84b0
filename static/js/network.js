// The network drawing: SVG built once per architecture change, keyed by the engine's ids (`L1N0`,
// `L0N2-L1N0`, `L1N0-bias`), whose attributes are updated on every frame. Nodes show a heatmap
// (painted into one canvas under the node frames); edges are coloured by sign and sized by magnitude;
// HTML overlays carry the feature toggles and the per-layer +/− buttons so every control is a real,
// focusable button. Numbers on edges are laid out so that no two labels overlap each other or a node.
import { backwardColour, cssOf, signColour } from './palette.js';
import { paintGrid } from './heatmap.js';
import { placeLabels } from './labels.js';

const SVG = 'http://www.w3.org/2000/svg';
const TOP = 54;           // room for the per-layer headers
const INPUT_X = 96;       // left edge of the input nodes (feature toggles sit to their left)
const RIGHT = 118;        // room right of the output nodes for the error callout (eq. 5)
const COMPACT = 0.5;      // an unused feature's row, as a fraction of a full row

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

export function formatNumber(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e4 || abs < 1e-3) return value.toExponential(Math.max(digits - 1, 1)).replaceAll('-', '−');
  return Number(value.toPrecision(digits)).toString().replaceAll('-', '−');
}

function setAttr(node, cache, key, value) {
  if (cache[key] === value) return;
  cache[key] = value;
  node.setAttribute(key, value);
}

export class NetworkView {
  constructor(stage, handlers) {
    this.stage = stage;
    this.handlers = handlers;
    // Three stacked layers so a frame re-rasters each only once: edges (SVG), one canvas holding every
    // heatmap, and the node frames with their numbers (SVG, on top).
    this.svg = el('svg', { class: 'network edges-svg', role: 'group', 'aria-label': 'Network diagram: weights' });
    this.edgeLayer = el('g', { class: 'edges' }, this.svg);
    this.pulseLayer = el('g', { class: 'pulses', 'aria-hidden': 'true' }, this.svg);
    this.labelLayer = el('g', { class: 'edge-labels' }, this.svg);
    this.maps = document.createElement('canvas');
    this.maps.className = 'network-maps';
    this.maps.setAttribute('aria-hidden', 'true');
    this.nodeSvg = el('svg', { class: 'network nodes-svg', role: 'group', 'aria-label': 'Network diagram: neurons' });
    this.nodeLayer = el('g', { class: 'nodes' }, this.nodeSvg);
    this.chipLayer = el('g', { class: 'chips', 'aria-hidden': 'true' }, this.nodeSvg);
    this.calloutLayer = el('g', { class: 'callouts' }, this.nodeSvg);
    this.overlay = document.createElement('div');
    this.overlay.className = 'network-overlay';
    stage.append(this.svg, this.maps, this.nodeSvg, this.overlay);
    this.nodes = new Map();
    this.edges = new Map();
    this.biases = new Map();
    this.selected = null;
  }

  // spec: {layers, neuronIds, activations (per layer, [0] = null), features: [{name,label,selected}] | null,
  //        inputLabels, limits: {maxHidden, maxNeurons}}
  build(spec) {
    this.spec = spec;
    const width = Math.max(this.stage.clientWidth, 420);
    const height = Math.max(this.stage.clientHeight, 240);
    this.width = width;
    this.height = height;
    this.zoom = document.documentElement.classList.contains('projector') ? 1.3 : 1;
    for (const svg of [this.svg, this.nodeSvg]) {
      svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
      svg.setAttribute('width', width);
      svg.setAttribute('height', height);
    }
    for (const layer of [this.edgeLayer, this.labelLayer, this.nodeLayer, this.chipLayer, this.pulseLayer, this.calloutLayer]) {
      layer.replaceChildren();
    }
    const ratio = window.devicePixelRatio || 1;
    this.maps.width = Math.round(width * ratio);
    this.maps.height = Math.round(height * ratio);
    Object.assign(this.maps.style, { width: `${width}px`, height: `${height}px` });
    this.mapsContext = this.maps.getContext('2d');
    this.mapsContext.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.mapsContext.imageSmoothingEnabled = true;
    this.overlay.replaceChildren();
    this.nodes.clear();
    this.edges.clear();
    this.biases.clear();
    this.labelKey = null;
    this.callout = null;

    // Unused features get a compact row, so the inputs do not squeeze the neurons.
    const { layers } = spec;
    const slots = spec.features || Array.from({ length: layers[0] }, () => ({ selected: true }));
    const inputUnits = slots.reduce((n, f) => n + (f.selected ? 1 : COMPACT), 0);
    const rows = Math.max(inputUnits, ...layers.slice(1));
    const top = TOP + (this.zoom - 1) * 40;
    const rowH = Math.min(66, (height - top - 8) / rows);
    this.size = Math.max(18, Math.min(48, rowH * 0.74));
    const S = this.size;
    this.font = Math.max(9, Math.min(12, S * 0.25)) * this.zoom;
    const last = width - S - RIGHT * this.zoom;
    const xs = layers.map((_, l) => (l === 0 ? INPUT_X : INPUT_X + ((last - INPUT_X) * l) / (layers.length - 1)));
    const yOf = (i) => top + i * rowH + (rowH - S) / 2;

    // Input slots: every feature has a row; selected ones are neurons, in selection order.
    const inputRows = [];
    let cursor = top;
    slots.forEach((f, slot) => {
      const h = f.selected ? rowH : Math.max(26, rowH * COMPACT);
      if (spec.features) this.featureToggle(f, 4, cursor + h / 2 - 13);
      if (f.selected) inputRows.push(cursor + (rowH - S) / 2);
      else this.unusedFeature(f, xs[0], cursor, h);
      cursor += h;
      return slot;
    });
    const positions = layers.map((n, l) => Array.from({ length: n }, (_, i) => ({
      x: xs[l], y: l === 0 ? inputRows[i] : yOf(i),
    })));
    this.positions = positions;
    this.obstacles = [];

    for (let k = 0; k + 1 < layers.length; k += 1) {
      for (let i = 0; i < layers[k]; i += 1) {
        for (let j = 0; j < layers[k + 1]; j += 1) this.edge(k, i, j, positions[k][i], positions[k + 1][j]);
      }
    }
    layers.forEach((n, l) => {
      for (let i = 0; i < n; i += 1) this.node(l, i, positions[l][i]);
      if (l > 0 && l < layers.length - 1) this.layerHeader(l, xs[l], n);
    });
    this.outputHeader(xs[layers.length - 1], layers[layers.length - 1]);
    if (this.selected) this.select(this.selected);
  }

  featureToggle(feature, x, y) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'feature-toggle';
    button.textContent = feature.label;
    button.style.left = `${x}px`;
    button.style.top = `${y}px`;
    button.dataset.feature = feature.name;
    button.setAttribute('aria-pressed', String(feature.selected));
    button.setAttribute('aria-label', `Input feature ${feature.label}: ${feature.selected ? 'on' : 'off'}`);
    button.addEventListener('click', () => this.handlers.onToggleFeature(feature.name));
    this.overlay.appendChild(button);
  }

  unusedFeature(feature, x, top, rowHeight) {
    const size = Math.min(this.size, rowHeight - 8);
    const r = el('rect', { class: 'feature-off', x, y: top + (rowHeight - size) / 2, width: size, height: size, rx: 3 },
      this.nodeLayer);
    r.addEventListener('click', () => this.handlers.onToggleFeature(feature.name));
  }

  layerHeader(layer, x, count) {
    const box = document.createElement('div');
    box.className = 'layer-header';
    box.style.left = `${x + this.size / 2}px`;
    const limits = this.spec.limits;
    const plus = this.headerButton('+', `Add a neuron to hidden layer ${layer}`, count >= limits.maxNeurons,
      () => this.handlers.onNeurons(layer, +1));
    const minus = this.headerButton('−', `Remove a neuron from hidden layer ${layer}`, count <= 1,
      () => this.handlers.onNeurons(layer, -1));
    plus.dataset.testid = `add-neuron-${layer}`;
    minus.dataset.testid = `remove-neuron-${layer}`;
    const label = document.createElement('span');
    label.textContent = `${count} neuron${count === 1 ? '' : 's'}`;
    const act = document.createElement('span');
    act.className = 'layer-activation';
    act.textContent = this.spec.activations[layer] || '';
    box.append(plus, minus, label, act);
    this.overlay.appendChild(box);
  }

  outputHeader(x, count) {
    const box = document.createElement('div');
    box.className = 'layer-header output';
    box.style.left = `${x + this.size / 2}px`;
    box.textContent = `output · ${this.spec.activations[this.spec.layers.length - 1]}`;
    this.overlay.appendChild(box);
    box.title = `${count} output neuron${count === 1 ? '' : 's'}`;
  }

  headerButton(text, label, disabled, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'round small';
    b.textContent = text;
    b.disabled = disabled;
    b.setAttribute('aria-label', label);
    b.title = label;
    b.addEventListener('click', onClick);
    return b;
  }

  edge(k, i, j, from, to) {
    const S = this.size;
    const id = this.spec.neuronIds[k][i] + '-' + this.spec.neuronIds[k + 1][j];
    const x1 = from.x + S; const y1 = from.y + S / 2;
    const x2 = to.x; const y2 = to.y + S / 2;
    const mx = (x1 + x2) / 2;
    const d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
    const g = el('g', { class: 'edge-group', 'data-id': id }, this.edgeLayer);
    const path = el('path', { id, class: 'edge', d, 'stroke-width': 1 }, g);
    const hit = el('path', { class: 'edge-hit', d, 'data-id': id }, g);
    hit.addEventListener('click', () => this.handlers.onSelect({ kind: 'weight', id }));
    const title = el('title', {}, hit);
    title.textContent = id;
    const label = el('text', { class: 'edge-label', x: 0, y: 0, 'data-for': id }, this.labelLayer);
    // A label prefers a spot staggered by its target, so parallel fans spread out before any search.
    const prefer = 0.3 + (0.4 * (j + 1)) / (this.spec.layers[k + 1] + 1);
    this.edges.set(id, { id, path, hit, label, title, k, i, j, d, prefer, attrs: {},
      ends: [[x1, y1], [mx, y1], [mx, y2], [x2, y2]] });
  }

  node(l, i, pos) {
    const S = this.size;
    const id = this.spec.neuronIds[l][i];
    const g = el('g', { class: `node layer-${l === 0 ? 'input' : l === this.spec.layers.length - 1 ? 'output' : 'hidden'}`,
      id, 'data-id': id, transform: `translate(${pos.x},${pos.y})`, tabindex: 0, role: 'button' }, this.nodeLayer);
    const label = l === 0 ? (this.spec.inputLabels[i] || `input ${i + 1}`) : `layer ${l}, neuron ${i + 1}`;
    g.setAttribute('aria-label', `Neuron ${id} (${label})`);
    // Each heatmap is painted at grid resolution off screen, then scaled into the one shared canvas.
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    this.mapsContext.fillStyle = '#e8eaeb';
    this.mapsContext.fillRect(pos.x, pos.y, S, S);
    const ring = el('rect', { class: 'delta-ring', x: -4, y: -4, width: S + 8, height: S + 8, rx: 6 }, g);
    el('rect', { class: 'frame', width: S, height: S, rx: 3 }, g);
    // The activation of the selected sample: a bar up the node's right side, coloured by sign.
    const barW = Math.max(4, S * 0.16);
    const fill = el('rect', { class: 'fill', x: S - barW, y: S, width: barW, height: 0 }, g);
    // Numbers as chips with their own background, above every node and ring so nothing covers them:
    // activation on top of the node, delta (backward) just below it.
    const valueChip = this.chip('value-chip', pos.x + S / 2, pos.y + this.font * 0.5 + 2);
    const deltaChip = this.chip('delta-chip', pos.x + S / 2, pos.y + S + this.font * 0.65 + 3);
    g.addEventListener('click', () => this.handlers.onSelect({ kind: 'neuron', id }));
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        e.stopPropagation();
        this.handlers.onSelect({ kind: 'neuron', id });
      }
    });
    g.addEventListener('pointerenter', () => this.handlers.onHover(id, g));
    g.addEventListener('pointerleave', () => this.handlers.onHover(null, g));
    const entry = { g, canvas, fill, ring, valueChip, deltaChip, layer: l, index: i, x: pos.x, y: pos.y, attrs: {} };
    this.obstacles.push({ x: pos.x - 5, y: pos.y - 5, w: S + 10, h: S + 10 });
    if (l > 0) {
      const bias = el('rect', { class: 'bias', id: `${id}-bias`, 'data-id': `${id}-bias`,
        x: -7, y: S - 6, width: 10, height: 10, rx: 2 }, g);
      const bt = el('title', {}, bias);
      bias.addEventListener('click', (e) => {
        e.stopPropagation();
        this.handlers.onSelect({ kind: 'bias', id: `${id}-bias` });
      });
      this.biases.set(`${id}-bias`, { rect: bias, title: bt });
    }
    this.nodes.set(id, entry);
  }

  chip(cls, cx, cy) {
    const g = el('g', { class: `chip ${cls} empty`, transform: `translate(${cx},${cy})` }, this.chipLayer);
    const bg = el('rect', { class: 'chip-bg', x: 0, y: -this.font * 0.65, height: this.font * 1.3, rx: 3, width: 0 }, g);
    const text = el('text', { class: 'chip-text', y: this.font * 0.36, 'font-size': this.font }, g);
    return { g, bg, text, value: '' };
  }

  setChip(chip, text, background = null) {
    const shown = text || '';
    if (chip.value === shown && chip.background === background) return;
    chip.value = shown;
    chip.background = background;
    chip.text.textContent = shown;
    const w = shown ? shown.length * this.font * 0.6 + 6 : 0;
    chip.bg.setAttribute('width', w);
    chip.bg.setAttribute('x', -w / 2);
    if (background) chip.bg.style.fill = background; else chip.bg.style.removeProperty('fill');
    chip.g.classList.toggle('empty', !shown);
  }

  // values: matrices like the weights; mode decides the width scale (weights absolute, others relative).
  // labels: matrices of numbers to print on the edges (null: none). `fast` (while playing) skips what
  // nobody reads at 60 frames a second: tooltips and data attributes.
  setEdgeValues(values, mode, labels = null, fast = false) {
    this.fast = fast;
    let scale = 1 / 2.2;
    if (mode !== 'weights') {
      let max = 0;
      for (const m of values || []) for (const row of m || []) for (const v of row) max = Math.max(max, Math.abs(v || 0));
      scale = max > 0 ? max / 5 : 1;
    }
    const stroke = this.zoom;
    for (const e of this.edges.values()) {
      const v = values && values[e.k] ? values[e.k][e.i][e.j] : null;
      this.paintEdge(e, v, scale / stroke, mode);
    }
    this.setEdgeLabels(labels);
  }

  paintEdge(e, v, scale, mode) {
    const missing = v === null || v === undefined;
    const stroke = missing ? '#c9ccd0' : signColour(v);
    const exact = missing ? 0.6 : 0.6 * this.zoom + Math.min(8 * this.zoom, Math.abs(v) / scale);
    // While playing, a width moves only once it is a third of a pixel off: far fewer repaints, and
    // no visible difference at 60 frames a second. Still frames are exact to a tenth of a pixel.
    const stale = e.width === null || e.width === undefined || e.stroke !== stroke
      || Math.abs(exact - Number(e.width)) >= (this.fast ? 0.34 : 0.05);
    const width = stale ? exact.toFixed(1) : e.width;
    if (e.stroke !== stroke) { e.path.setAttribute('stroke', stroke); e.stroke = stroke; }
    if (e.width !== width) { e.path.setAttribute('stroke-width', width); e.width = width; }
    if (e.dashed !== missing) {
      if (missing) e.path.setAttribute('stroke-dasharray', '3 3'); else e.path.removeAttribute('stroke-dasharray');
      e.dashed = missing;
    }
    if (this.fast) return;
    if (missing) {
      e.path.removeAttribute('data-value');
      e.title.textContent = `${e.id}: no value yet`;
      return;
    }
    e.path.setAttribute('data-value', v);
    const what = { weights: 'w', gradients: '∂E/∂w', updates: 'Δw' }[mode];
    e.title.textContent = `${e.id}: ${what} = ${v}`;
  }

  // Print `labels` (matrices like the weights, or null) on the edges. Labels go where they collide with
  // no node and no other label; edges of the selected neuron or weight come first, then the largest
  // numbers. A label that finds no free spot is left out (the edge's tooltip still has the value).
  setEdgeLabels(labels) {
    const texts = [];
    for (const e of this.edges.values()) {
      const v = labels && labels[e.k] ? labels[e.k][e.i][e.j] : null;
      texts.push(v === null || v === undefined ? '' : formatNumber(v, 2));
    }
    const key = texts.join('|') + (this.selected ? this.selected.id : '') + (this.callout ? 'c' : '');
    if (key === this.labelKey) return;
    this.labelKey = key;
    const font = this.font * 0.9;
    const wanted = [];
    // In a dense net only the edges of the selected neuron or weight get numbers.
    const dense = this.edges.size > 60;
    [...this.edges.values()].forEach((e, n) => {
      const text = dense && !this.touchesSelection(e) ? '' : texts[n];
      if (e.label.textContent !== text) e.label.textContent = text;
      if (!text) return;
      const v = labels[e.k][e.i][e.j];
      wanted.push({ e, text, priority: (this.touchesSelection(e) ? 1e6 : 0) + Math.abs(v) });
    });
    wanted.sort((a, b) => b.priority - a.priority);
    const obstacles = this.callout ? [...this.obstacles, this.callout] : this.obstacles;
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
    for (const e of this.edges.values()) e.label.setAttribute('font-size', font);
  }

  touchesSelection(e) {
    const sel = this.selected;
    if (!sel) return false;
    if (sel.kind === 'weight') return sel.id === e.id;
    const id = sel.kind === 'bias' ? sel.id.slice(0, -5) : sel.id;
    return e.id.startsWith(`${id}-`) || e.id.endsWith(`-${id}`);
  }

  // The animation changes widths behind the cache's back; forget them so the next paint resets.
  forgetWidths() {
    for (const e of this.edges.values()) e.width = null;
  }

  setBiases(biases) {
    for (const [id, b] of this.biases) {
      const node = this.nodes.get(id.slice(0, -5));
      const v = biases[node.layer - 1][node.index];
      const fill = cssOf(v);
      if (b.fill !== fill) { b.rect.setAttribute('fill', fill); b.fill = fill; }
      if (this.fast) continue;
      b.rect.setAttribute('data-value', v);
      b.title.textContent = `bias ${id.slice(0, -5)}: ${v}`;
    }
  }

  // grids: per layer, list of decoded grids; activations: per layer name (null for inputs).
  setGrids(grids, activations) {
    if (!grids) return;
    // While playing the grids are coarse and change every frame: nearest-neighbour scaling is cheaper
    // and, at about one grid cell a pixel, looks the same.
    this.mapsContext.imageSmoothingEnabled = !this.fast;
    grids.forEach((layer, l) => layer.forEach((grid) => {
      const node = this.nodes.get(grid.id);
      if (!node) return;
      paintGrid(node.canvas, grid, activations[l]);
      this.mapsContext.drawImage(node.canvas, node.x, node.y, this.size, this.size);
    }));
  }

  // One sample's numbers on the nodes: {id: {fill, text, delta, deltaText}}; fill and delta in [-1, 1]
  // (drawing scale), delta's sign picks the backward colour. Texts are shown only with `numbers` on.
  setNodeValues(values, numbers) {
    const S = this.size;
    // Nodes too small for a number keep their marks; the selected neuron's numbers always show.
    const roomy = S >= 30;
    for (const [id, n] of this.nodes) {
      const v = values[id] || {};
      if (v.fill !== undefined) {
        const h = Math.max(2, Math.min(1, Math.abs(v.fill)) * S);
        setAttr(n.fill, n.attrs, 'y', S - h);
        setAttr(n.fill, n.attrs, 'height', h);
        setAttr(n.fill, n.attrs, 'fill', signColour(v.fill));
      } else {
        setAttr(n.fill, n.attrs, 'height', 0);
      }
      const show = numbers && (roomy || this.selected?.id === id);
      this.setChip(n.valueChip, show ? v.text : '');
      const hasDelta = v.delta !== undefined;
      this.setChip(n.deltaChip, show && hasDelta ? v.deltaText : '', hasDelta ? backwardColour(v.rawDelta) : null);
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

  // The error of the selected sample next to the output layer (eq. 5): lines of text, or null.
  setLossCallout(lines) {
    const key = lines ? lines.join('\n') : '';
    if (key === this.calloutKey) return;
    this.calloutKey = key;
    this.calloutLayer.replaceChildren();
    this.callout = null;
    if (!lines) return;
    const outputs = this.positions[this.positions.length - 1];
    const first = outputs[0];
    const font = this.font;
    const lineH = font * 1.35;
    const w = Math.max(...lines.map((t) => t.length)) * font * 0.6 + 14;
    const h = lines.length * lineH + 8;
    const x = Math.min(this.width - w - 2, first.x + this.size + 14);
    const y = Math.max(4, first.y + this.size / 2 - 16);
    const g = el('g', { class: 'loss-callout', 'data-testid': 'loss-callout', transform: `translate(${x},${y})` },
      this.calloutLayer);
    el('path', { class: 'callout-pointer', d: `M0,10 l-8,6 l8,6 z` }, g);
    el('rect', { class: 'callout-bg', width: w, height: h, rx: 5 }, g);
    lines.forEach((line, n) => {
      const t = el('text', { x: 7, y: 4 + lineH * (n + 0.75), 'font-size': font, class: n === lines.length - 1 ? 'error' : '' }, g);
      t.textContent = line;
    });
    this.callout = { x: x - 4, y: y - 10, w: w + 8, h: h + 14 };
    this.labelKey = null;
  }

  select(selection) {
    this.selected = selection;
    this.labelKey = null;
    this.stage.querySelectorAll('.selected').forEach((n) => n.classList.remove('selected'));
    if (!selection) return;
    if (selection.kind === 'neuron') this.nodes.get(selection.id)?.g.classList.add('selected');
    if (selection.kind === 'weight') this.edges.get(selection.id)?.path.classList.add('selected');
    if (selection.kind === 'bias') this.biases.get(selection.id)?.rect.classList.add('selected');
  }

  edgePoint(id, t) {
    const e = this.edges.get(id);
    return bezierPoint(...e.ends, t);
  }

  // A travelling signal along one edge: a short stroke of the edge's own path, for animation.js.
  signal(id, cls, width, colour) {
    const e = this.edges.get(id);
    const path = el('path', { class: `signal ${cls}`, d: e.d, 'stroke-width': width * this.zoom }, this.pulseLayer);
    if (colour) path.setAttribute('stroke', colour);
    return path;
  }

  clearPulses() {
    this.pulseLayer.replaceChildren();
  }
}

export function bezierPoint(p0, p1, p2, p3, t) {
  const u = 1 - t;
  const a = u * u * u; const b = 3 * u * u * t; const c = 3 * u * t * t; const d = t * t * t;
  return [a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]];
}
