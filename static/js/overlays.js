// What sits over the network drawing besides neurons and edges: HTML buttons for the input features
// and for each layer's neuron count (real, focusable buttons), the layer headers, a marker for an
// unused feature, and the callout with the selected sample's error beside the output (eq. 5).
import { el } from './svg.js';

export function featureToggle(view, feature, x, y) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'feature-toggle';
  button.textContent = feature.label;
  button.style.left = `${x}px`;
  button.style.top = `${y}px`;
  button.dataset.feature = feature.name;
  button.setAttribute('aria-pressed', String(feature.selected));
  button.setAttribute('aria-label', `Input feature ${feature.label}: ${feature.selected ? 'on' : 'off'}`);
  button.addEventListener('click', () => view.handlers.onToggleFeature(feature.name));
  view.overlay.appendChild(button);
}

export function unusedFeature(view, feature, x, top, rowHeight) {
  const size = Math.min(view.size, rowHeight - 8);
  const r = el('rect', { class: 'feature-off', x, y: top + (rowHeight - size) / 2, width: size, height: size, rx: 3 },
    view.nodeLayer);
  r.addEventListener('click', () => view.handlers.onToggleFeature(feature.name));
}

export function layerHeader(view, layer, x, count) {
  const box = document.createElement('div');
  box.className = 'layer-header';
  box.style.left = `${x + view.size / 2}px`;
  const { limits } = view.spec;
  const plus = headerButton('+', `Add a neuron to hidden layer ${layer}`, count >= limits.maxNeurons,
    () => view.handlers.onNeurons(layer, +1));
  const minus = headerButton('−', `Remove a neuron from hidden layer ${layer}`, count <= 1,
    () => view.handlers.onNeurons(layer, -1));
  plus.dataset.testid = `add-neuron-${layer}`;
  minus.dataset.testid = `remove-neuron-${layer}`;
  const label = document.createElement('span');
  label.textContent = `${count} neuron${count === 1 ? '' : 's'}`;
  const act = document.createElement('span');
  act.className = 'layer-activation';
  act.textContent = view.spec.activations[layer] || '';
  box.append(plus, minus, label, act);
  view.overlay.appendChild(box);
}

export function outputHeader(view, x, count) {
  const box = document.createElement('div');
  box.className = 'layer-header output';
  box.style.left = `${x + view.size / 2}px`;
  box.textContent = `output · ${view.spec.activations[view.spec.layers.length - 1]}`;
  view.overlay.appendChild(box);
  box.title = `${count} output neuron${count === 1 ? '' : 's'}`;
}

function headerButton(text, label, disabled, onClick) {
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

// The error of the selected sample next to the output layer (eq. 5): lines of text, or null.
export function setLossCallout(view, lines) {
  const key = lines ? lines.join('\n') : '';
  if (key === view.calloutKey) return;
  view.calloutKey = key;
  view.calloutLayer.replaceChildren();
  view.callout = null;
  if (!lines) return;
  const outputs = view.positions[view.positions.length - 1];
  const first = outputs[0];
  const { font } = view;
  const lineH = font * 1.35;
  const w = Math.max(...lines.map((t) => t.length)) * font * 0.6 + 14;
  const h = lines.length * lineH + 8;
  const x = Math.min(view.width - w - 2, first.x + view.size + 14);
  const y = Math.max(4, first.y + view.size / 2 - 16);
  const g = el('g', { class: 'loss-callout', 'data-testid': 'loss-callout', transform: `translate(${x},${y})` },
    view.calloutLayer);
  el('path', { class: 'callout-pointer', d: 'M0,10 l-8,6 l8,6 z' }, g);
  el('rect', { class: 'callout-bg', width: w, height: h, rx: 5 }, g);
  lines.forEach((line, n) => {
    const t = el('text', { x: 7, y: 4 + lineH * (n + 0.75), 'font-size': font, class: n === lines.length - 1 ? 'error' : '' }, g);
    t.textContent = line;
  });
  view.callout = { x: x - 4, y: y - 10, w: w + 8, h: h + 14 };
  view.labelKey = null;
}
