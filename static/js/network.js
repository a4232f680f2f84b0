// The network drawing: SVG built once per architecture change, keyed by the engine's ids (`L1N0`,
// `L0N2-L1N0`, `L1N0-bias`), whose attributes are updated on every frame. Nodes show a heatmap
// (painted into one canvas under the node frames); edges are coloured by sign and sized by magnitude; HTML overlays carry the feature toggles
// and the per-layer +/− buttons so every control is a real, focusable button.
import { cssOf, signColour } from './palette.js';
import { paintGrid } from './heatmap.js';

const SVG = 'http://www.w3.org/2000/svg';
const TOP = 46;           // room for the per-layer headers
const INPUT_X = 96;       // left edge of the input nodes (feature toggles sit to their left)

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
  if (abs >= 1e4 || abs < 1e-3) return value.toExponential(Math.max(digits - 1, 1)).replace('e', 'e');
  return Number(value.toPrecision(digits)).toString();
}

export class NetworkView {
  constructor(stage, handlers) {
    this.stage = stage;
    this.handlers = handlers;
    // Three stacked layers so a frame re-rasters each only once: edges (SVG), one canvas holding every
    // heatmap, and the node frames with their numbers (SVG, on top).
    this.svg = el('svg', { class: 'network edges-svg', role: 'group', 'aria-label': 'Network diagram: weights' });
    this.edgeLayer = el('g', { class: 'edges' }, this.svg);
    this.labelLayer = el('g', { class: 'edge-labels' }, this.svg);
    this.pulseLayer = el('g', { class: 'pulses', 'aria-hidden': 'true' }, this.svg);
    this.maps = document.createElement('canvas');
    this.maps.className = 'network-maps';
    this.maps.setAttribute('aria-hidden', 'true');
    this.nodeSvg = el('svg', { class: 'network nodes-svg', role: 'group', 'aria-label': 'Network diagram: neurons' });
    this.nodeLayer = el('g', { class: 'nodes' }, this.nodeSvg);
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
    const height = Math.max(this.stage.clientHeight, 260);
    for (const svg of [this.svg, this.nodeSvg]) {
      svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
      svg.setAttribute('width', width);
      svg.setAttribute('height', height);
    }
    for (const layer of [this.edgeLayer, this.labelLayer, this.nodeLayer, this.pulseLayer]) layer.replaceChildren();
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

    const { layers } = spec;
    const slots = spec.features ? spec.features.length : layers[0];
    const rows = Math.max(slots, ...layers.slice(1));
    const rowH = Math.min(62, (height - TOP - 6) / rows);
    this.size = Math.max(18, Math.min(38, rowH * 0.72));
    const S = this.size;
    const last = width - S - 30;
    const xs = layers.map((_, l) => (l === 0 ? INPUT_X : INPUT_X + ((last - INPUT_X) * l) / (layers.length - 1)));
    const yOf = (i) => TOP + i * rowH + (rowH - S) / 2;

    // Input slots: every feature has a row; selected ones are neurons, in selection order.
    const inputRows = [];
    if (spec.features) {
      spec.features.forEach((f, slot) => {
        this.featureToggle(f, 4, yOf(slot) + S / 2 - 13);
        if (f.selected) inputRows.push(slot);
        else this.placeholder(f, xs[0], yOf(slot));
      });
    } else {
      for (let i = 0; i < layers[0]; i += 1) inputRows.push(i);
    }
    const positions = layers.map((n, l) => Array.from({ length: n }, (_, i) => ({
      x: xs[l], y: yOf(l === 0 ? inputRows[i] : i),
    })));
    this.positions = positions;

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

  placeholder(feature, x, y) {
    const S = this.size;
    const r = el('rect', { class: 'feature-off', x, y, width: S, height: S, rx: 3 }, this.nodeLayer);
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
    const label = el('text', { class: 'edge-label', x: 0, y: 0 }, this.labelLayer);
    // Labels sit at 30–70 % of the curve, staggered by target so they overlap less.
    const t = 0.3 + (0.4 * (j + 1)) / (this.spec.layers[k + 1] + 1);
    const p = bezierPoint([x1, y1], [mx, y1], [mx, y2], [x2, y2], t);
    label.setAttribute('x', p[0]);
    label.setAttribute('y', p[1] - 2);
    this.edges.set(id, { path, hit, label, title, k, i, j, ends: [[x1, y1], [mx, y1], [mx, y2], [x2, y2]] });
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
    const fill = el('rect', { class: 'fill', x: 0, y: S, width: S, height: 0 }, g);
    const ring = el('rect', { class: 'delta-ring', x: -3, y: -3, width: S + 6, height: S + 6, rx: 5 }, g);
    el('rect', { class: 'frame', width: S, height: S, rx: 3 }, g);
    // Activation on the upper half, delta (or error) on the lower half: inside the node, so
    // neighbouring labels never collide however dense the layer.
    const value = el('text', { class: 'node-value', x: S / 2, y: S / 2 - 1 }, g);
    const sub = el('text', { class: 'node-value delta', x: S / 2, y: S - 3 }, g);
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
    const entry = { g, canvas, fill, ring, value, sub, layer: l, index: i, x: pos.x, y: pos.y };
    if (l > 0) {
      const bias = el('rect', { class: 'bias', id: `${id}-bias`, 'data-id': `${id}-bias`,
        x: -6, y: S - 5, width: 8, height: 8, rx: 1.5 }, g);
      const bt = el('title', {}, bias);
      bias.addEventListener('click', (e) => {
        e.stopPropagation();
        this.handlers.onSelect({ kind: 'bias', id: `${id}-bias` });
      });
      this.biases.set(`${id}-bias`, { rect: bias, title: bt });
    }
    this.nodes.set(id, entry);
  }

  // values: matrices like the weights; mode decides the width scale (weights absolute, others relative).
  // `fast` (while playing) skips what nobody reads at 60 frames a second: tooltips and data attributes.
  setEdgeValues(values, mode, showNumbers, fast = false, deltas = null) {
    this.fast = fast;
    this.deltas = deltas;
    let scale = 1 / 2.2;
    if (mode !== 'weights') {
      let max = 0;
      for (const m of values || []) for (const row of m || []) for (const v of row) max = Math.max(max, Math.abs(v || 0));
      scale = max > 0 ? max / 5 : 1;
    }
    for (const e of this.edges.values()) {
      const v = values && values[e.k] ? values[e.k][e.i][e.j] : null;
      this.paintEdge(e, v, scale, showNumbers, mode);
    }
  }

  paintEdge(e, v, scale, showNumbers, mode) {
    const missing = v === null || v === undefined;
    const stroke = missing ? '#c9ccd0' : signColour(v);
    const width = missing ? '0.6' : (0.6 + Math.min(8, Math.abs(v) / scale)).toFixed(1);
    if (e.stroke !== stroke) { e.path.setAttribute('stroke', stroke); e.stroke = stroke; }
    if (e.width !== width) { e.path.setAttribute('stroke-width', width); e.width = width; }
    if (e.dashed !== missing) {
      if (missing) e.path.setAttribute('stroke-dasharray', '3 3'); else e.path.removeAttribute('stroke-dasharray');
      e.dashed = missing;
    }
    const d = this.deltas && this.deltas[e.k] ? this.deltas[e.k][e.i][e.j] : null;
    const label = d !== null ? `Δ ${formatNumber(d, 2)}` : showNumbers && !missing ? formatNumber(v, 2) : '';
    if (e.labelText !== label) { e.label.textContent = label; e.labelText = label; }
    if (this.fast) return;
    if (missing) {
      e.path.removeAttribute('data-value');
      e.title.textContent = `${this.edgeName(e)}: no value yet`;
      return;
    }
    e.path.setAttribute('data-value', v);
    const what = { weights: 'w', gradients: '∂E/∂w', updates: 'Δw' }[mode];
    e.title.textContent = `${this.edgeName(e)}: ${what} = ${v}`;
  }

  // The animation changes widths behind the cache's back; forget them so the next paint resets.
  forgetWidths() {
    for (const e of this.edges.values()) e.width = null;
  }

  edgeName(e) {
    return `${this.spec.neuronIds[e.k][e.i]}-${this.spec.neuronIds[e.k + 1][e.j]}`;
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
    grids.forEach((layer, l) => layer.forEach((grid) => {
      const node = this.nodes.get(grid.id);
      if (!node) return;
      paintGrid(node.canvas, grid, activations[l]);
      this.mapsContext.drawImage(node.canvas, node.x, node.y, this.size, this.size);
    }));
  }

  // One sample's numbers on the nodes: {id: {fill, text, delta}}; fill in [-1,1], delta in [-1,1].
  setNodeValues(values) {
    for (const [id, n] of this.nodes) {
      const v = values[id] || {};
      const S = this.size;
      if (v.fill !== undefined) {
        const h = Math.max(2, Math.min(1, Math.abs(v.fill)) * S);
        n.fill.setAttribute('y', S - h);
        n.fill.setAttribute('height', h);
        n.fill.setAttribute('fill', cssOf(v.fill));
      } else {
        n.fill.setAttribute('height', 0);
      }
      n.value.textContent = v.text || '';
      n.sub.textContent = v.deltaText || '';
      if (v.delta !== undefined) {
        n.ring.setAttribute('stroke-width', (1.5 + 4 * Math.min(1, Math.abs(v.delta))).toFixed(2));
        n.ring.classList.add('on');
        n.ring.classList.toggle('negative', v.delta < 0);
      } else {
        n.ring.classList.remove('on');
      }
    }
  }

  select(selection) {
    this.selected = selection;
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

  pulse(cls) {
    return el('circle', { class: `pulse ${cls}`, r: 3.5, cx: -10, cy: -10 }, this.pulseLayer);
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
