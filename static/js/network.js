// The network drawing: SVG built once per architecture change, keyed by the engine's ids (`L1N0`,
// `L0N2-L1N0`, `L1N0-bias`), whose attributes are updated on every frame. This module holds the
// view's parts and composes the jobs done elsewhere: where things go (layout.js), edges (edges.js),
// neurons (nodes.js), buttons and callouts over the drawing (overlays.js). It draws what it is given
// and computes no number of the network itself.
import { paintClassNeuron } from './classmaps.js';
import { paintGrid } from './heatmap.js';
import { layoutNetwork } from './layout.js';
import { makeEdge, setEdgeValues } from './edges.js';
import { makeNode, setNodeValues } from './nodes.js';
import { featureToggle, layerHeader, outputHeader, setLossCallout, unusedFeature } from './overlays.js';
import { cssOf } from './palette.js';
import { el } from './svg.js';

export class NetworkView {
  // handlers: {onSelect, onHover, onToggleFeature, onNeurons}; ids: the served id grammar (ids.js).
  constructor(stage, handlers, ids) {
    this.stage = stage;
    this.handlers = handlers;
    this.ids = ids;
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
    const root = document.documentElement.classList;
    this.zoom = root.contains('presenter') ? 1.7 : root.contains('projector') ? 1.3 : 1;
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
    this.calloutKey = null;

    const { layers } = spec;
    const layout = layoutNetwork({ layers, features: spec.features, width, height, zoom: this.zoom,
      fill: root.contains('presenter') || root.contains('in-lesson') }); // a lesson leaves no empty band
    this.size = layout.size;
    this.font = layout.font;
    this.positions = layout.positions;
    this.obstacles = [];
    for (const slot of layout.slots) {
      if (spec.features) featureToggle(this, slot.feature, 4, slot.top + slot.height / 2 - 13);
      if (!slot.selected) unusedFeature(this, slot.feature, layout.xs[0], slot.top, slot.height);
    }
    const { positions, xs } = layout;
    for (let k = 0; k + 1 < layers.length; k += 1) {
      for (let i = 0; i < layers[k]; i += 1) {
        for (let j = 0; j < layers[k + 1]; j += 1) makeEdge(this, k, i, j, positions[k][i], positions[k + 1][j]);
      }
    }
    layers.forEach((n, l) => {
      for (let i = 0; i < n; i += 1) makeNode(this, l, i, positions[l][i]);
      if (l > 0 && l < layers.length - 1) layerHeader(this, l, xs[l], n);
    });
    outputHeader(this, xs[layers.length - 1], layers[layers.length - 1]);
    if (this.selected) this.select(this.selected);
  }

  setEdgeValues(values, mode, labels = null, fast = false) { setEdgeValues(this, values, mode, labels, fast); }

  setNodeValues(values, numbers) { setNodeValues(this, values, numbers); }

  setLossCallout(lines) { setLossCallout(this, lines); }

  // The animation changes widths behind the cache's back; forget them so the next paint resets.
  forgetWidths() {
    for (const e of this.edges.values()) e.width = null;
  }

  setBiases(biases) {
    for (const b of this.biases.values()) {
      const v = biases[b.layer - 1][b.index];
      const fill = cssOf(v);
      if (b.fill !== fill) { b.rect.setAttribute('fill', fill); b.fill = fill; }
      if (this.fast) continue;
      b.rect.setAttribute('data-value', v);
      b.title.textContent = `bias ${b.neuron}: ${v}`;
    }
  }

  // grids: per layer, list of decoded grids; activations: per layer name (null for inputs).
  // classes: the output layer's neurons are classes (painted in their colours, classmaps.js).
  setGrids(grids, activations, classes = false) {
    if (!grids) return;
    // While playing the grids are coarse and change every frame: nearest-neighbour scaling is cheaper
    // and, at about one grid cell a pixel, looks the same.
    this.mapsContext.imageSmoothingEnabled = !this.fast;
    grids.forEach((layer, l) => layer.forEach((grid) => {
      const node = this.nodes.get(grid.id);
      if (!node) return;
      if (classes && l === grids.length - 1) paintClassNeuron(node.canvas, grid, activations[l], node.index);
      else paintGrid(node.canvas, grid, activations[l]);
      this.mapsContext.drawImage(node.canvas, node.x, node.y, this.size, this.size);
    }));
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

  has(selection) {
    const map = { neuron: this.nodes, weight: this.edges, bias: this.biases }[selection.kind];
    return Boolean(map && map.has(selection.id));
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
