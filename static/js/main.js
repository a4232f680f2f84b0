// The page's entry: reads the configuration from the URL, gets or creates the network on the server,
// wires the views to the live WebSocket, and turns user actions into API calls. All numbers come from
// the server; this module only routes them to the views.
import * as api from './api.js';
import { Animator } from './animation.js';
import { LineChart, layerColour } from './chart.js';
import { Controls } from './controls.js';
import {
  activations, edited, fitOutputs, requestBody, withFeatureToggled, withHiddenLayers, withLoss, withNeurons,
} from './configedit.js';
import { decodeGrid, paintGrid } from './heatmap.js';
import { Inspector } from './inspector.js';
import { LiveConnection } from './live.js';
import { NetworkView, formatNumber } from './network.js';
import { OutputMap } from './outputmap.js';
import { onPaletteChange, palette, setPalette } from './palette.js';
import { PhaseIndicator } from './phases.js';
import { lossLines, nodeValuesFor } from './samples.js';
import { readUrl, writeUrl } from './urlstate.js';

// Heatmap grids: sharp while still, lighter while playing (half the bytes and server work a frame).
const GRID_STILL = 40;
const GRID_PLAYING = 24;
const PLAY_FPS = 60;
const NO_BATCH = [];
const HYPER = ['learning_rate', 'batch_size', 'momentum', 'regularization', 'regularization_rate'];
const $ = (id) => document.getElementById(id);

const boot = JSON.parse($('boot').textContent);
const options = boot.options;
const limits = {
  maxHidden: Math.min(6, options.limits?.max_hidden_layers ?? 6),
  maxNeurons: Math.min(8, options.limits?.max_neurons ?? 8),
};

const app = {
  config: null, id: null, state: null, data: null, catalog: [],
  trace: null, lastPhase: null, sample: 0, selection: null,
  edgeMode: 'weights', showNumbers: false, discrete: false,
  playing: false, grids: null, gradients: null, updates: null,
  pendingFrame: null, renderQueued: false, drawn: 0, chain: null, chainError: null,
};

// ---- views ---------------------------------------------------------------------------------------
const view = new NetworkView($('network-stage'), {
  onSelect: (sel) => select(sel),
  onHover: (id, g) => hover(id, g),
  onToggleFeature: (name) => toggleFeature(name),
  onNeurons: (layer, delta) => changeNeurons(layer, delta),
});
const animator = new Animator(view);
const phases = new PhaseIndicator($('phase-chips'), $('phase-text'));
const inspector = new Inspector($('inspector'), {
  onSample: (d) => setSample(app.sample + d),
  onEdit: (kind, id, value) => editParameter(kind, id, value),
  onClose: () => select(null),
  onSelect: (sel) => select(sel),
});
const outputMap = new OutputMap($('output-heat'), $('output-points'), (row) => pickPoint(row));
const lossChart = new LineChart($('loss-chart'), {
  legend: $('loss-legend'),
  series: [
    { label: 'training', colour: '#333', get: (e) => e.train_loss },
    { label: 'test', colour: '#999', dash: [4, 3], get: (e) => e.test_loss },
  ],
});
const gradChart = new LineChart($('grad-chart'), { legend: $('grad-legend'), log: true, series: [] });
lossChart.renderLegend();
const live = new LiveConnection({ onMessage: (m) => onLive(m), onStatus: (s) => onConnection(s) });
let controls;

// ---- helpers -------------------------------------------------------------------------------------
function toast(text, isError = false) {
  const t = $('toast');
  t.textContent = text;
  t.classList.toggle('error', isError);
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), isError ? 6000 : 2500);
}

function nClasses() {
  const entry = app.catalog.find((d) => d.name === app.config.dataset.name);
  return entry ? entry.n_classes : app.state?.n_classes || 2;
}

function problemKind() {
  if (app.state) return app.state.problem;
  return app.catalog.find((d) => d.name === app.config.dataset.name)?.kind || 'classification';
}

// ---- network lifecycle ---------------------------------------------------------------------------
async function createFrom(config, params = null) {
  const wasPlaying = app.playing;
  if (wasPlaying) live.send({ type: 'pause' });
  try {
    const state = await api.createNetwork(requestBody(config, boot.defaults.init, params));
    await adopt(state);
    if (wasPlaying) play(true);
    return true;
  } catch (err) {
    toast(err.message, true);
    if (app.config !== config && app.state) controls.show(app.config, problemKind());
    return false;
  }
}

// Make `state` the page's network: config, URL, drawing, data, live connection.
async function adopt(state) {
  app.id = state.id;
  app.state = state;
  app.config = { ...structuredClone(state.config) };
  app.trace = null;
  app.lastPhase = null;
  app.gradients = null;
  app.updates = null;
  app.grids = null;
  app.chain = null;
  app.playing = false;
  writeUrl(app.config, app.id);
  controls.show(app.config, state.problem);
  rebuildDrawing();
  lossChart.reset(state.history || []);
  gradChart.setSeries(state.weights.map((_, k) => ({ label: `W${k + 1}`, colour: layerColour(k), get: (e) => (e.grad_norms || [])[k] })));
  gradChart.reset(state.history || []);
  live.connect(app.id, app.playing ? GRID_PLAYING : GRID_STILL);
  render();
  refreshChain();
  app.data = await api.getData(app.id);
  outputMap.setData(app.data);
  $('accuracy-row').hidden = state.problem !== 'classification';
}

function rebuildDrawing() {
  const { state, config } = app;
  const features = config.features
    ? options.features.map((f) => ({ name: f.name, label: f.label, selected: config.features.includes(f.name) }))
    : null;
  const inputLabels = state.feature_labels || state.neuron_ids[0].map((_, i) => `x${i + 1}`);
  view.build({ layers: state.layers, neuronIds: state.neuron_ids, activations: activations(config), features,
    inputLabels, limits });
  if (app.selection && !selectionExists(app.selection)) app.selection = null;
  view.select(app.selection);
  const hidden = state.layers.length - 2;
  $('hidden-count').textContent = `${hidden} hidden layer${hidden === 1 ? '' : 's'}`;
  $('add-layer').disabled = hidden >= limits.maxHidden;
  $('remove-layer').disabled = hidden <= 0;
}

function selectionExists(sel) {
  if (sel.kind === 'neuron') return view.nodes.has(sel.id);
  if (sel.kind === 'weight') return view.edges.has(sel.id);
  return view.biases.has(sel.id);
}

// ---- live messages -------------------------------------------------------------------------------
function onLive(msg) {
  app.received = (app.received || 0) + 1;
  document.documentElement.dataset.received = String(app.received);
  if (msg.type === 'frame') {
    if (msg.id && msg.id !== app.id) return;
    applyFrame(msg);
  } else if (msg.type === 'trace') {
    applyTrace(msg.records);
  } else if (msg.type === 'state') {
    const { type, ...state } = msg;
    if (state.id && state.id !== app.id) return;
    Object.assign(app.state, state);
    app.config = { ...app.config, ...structuredClone(state.config) };
    writeUrl(app.config, app.id);
    controls.show(app.config, app.state.problem);
    scheduleRender();
  } else if (msg.type === 'error') {
    toast(msg.detail, true);
  }
}

async function onConnection(status) {
  $('connection').dataset.state = status;
  $('connection').title = status === 'open' ? 'live connection open' : 'reconnecting to the server…';
  if (status === 'open' && app.reconnecting) {
    app.reconnecting = false;
    try {
      const state = await api.getNetwork(app.id);
      Object.assign(app.state, state);
      lossChart.reset(state.history || []);
      gradChart.reset(state.history || []);
      scheduleRender();
    } catch (err) {
      if (err.status === 404) await createFrom(app.config);
    }
  }
  if (status === 'closed') app.reconnecting = true;
}

function applyFrame(frame) {
  const s = app.state;
  const prevWeights = s.weights;
  const stepped = frame.step !== s.step;
  for (const key of ['step', 'epoch', 'phase', 'train_loss', 'test_loss', 'train_accuracy', 'test_accuracy',
    'grad_norms', 'weights', 'biases', 'diverged']) if (frame[key] !== undefined) s[key] = frame[key];
  if (frame.playing !== undefined) setPlaying(frame.playing);
  if (frame.history_tail && frame.history_tail.length) {
    lossChart.append(frame.history_tail);
    gradChart.append(frame.history_tail);
  }
  if (frame.grids) app.grids = frame.grids;
  if (app.playing && stepped) {
    // At play speed there is no per-phase trace: Δw is the change between the last two frames and
    // ∂E/∂w is the last mini-batch's gradient, which every frame carries.
    app.trace = null;
    app.lastPhase = null;
    app.gradients = frame.grad_weights || null;
    app.updates = prevWeights ? s.weights.map((m, k) => m.map((r, i) => r.map((v, j) => v - prevWeights[k][i][j]))) : null;
  }
  // While playing, draw at most once per display frame (latest wins); a step is drawn at once.
  if (app.playing) scheduleRender(); else renderNow();
}

function applyTrace(records) {
  if (!records || !records.length) return;
  const oldWidths = new Map([...view.edges].map(([id, e]) => [id, Number(e.path.getAttribute('stroke-width'))]));
  // A new iteration starts with its forward pass: the last one's gradients and updates are stale.
  if (records[0].phase === 'forward' && records[0].layer === 1) {
    app.gradients = app.state.weights.map(() => null);
    app.updates = app.state.weights.map(() => null);
  }
  for (const rec of records) {
    if (!app.trace || app.trace.step !== rec.step) {
      // The parameters this iteration's forward pass used (the update below replaces matrices, so a
      // shallow copy keeps them).
      app.trace = { step: rec.step, records: new Map(), weights: app.state.weights.slice(), biases: app.state.biases.slice() };
      if (!app.gradients) app.gradients = app.state.weights.map(() => null);
    }
    app.trace.records.set(`${rec.phase}:${rec.layer}`, rec);
    if (rec.phase === 'backward') {
      app.gradients = app.gradients || app.state.weights.map(() => null);
      app.gradients[rec.layer - 1] = rec.grad_weights;
    }
    if (rec.phase === 'update') {
      app.updates = app.updates && app.updates.length === app.state.weights.length ? app.updates : app.state.weights.map(() => null);
      app.updates[rec.layer - 1] = rec.delta_weights;
      app.state.weights[rec.layer - 1] = rec.weights_after;
      app.state.biases[rec.layer - 1] = rec.biases_after;
    }
  }
  const last = records[records.length - 1];
  app.lastPhase = { name: last.phase, layer: last.phase === 'update' ? null : last.layer };
  const batch = app.trace.records.get('forward:1')?.batch;
  if (batch && app.sample >= batch.length) app.sample = 0;
  app.chain = null;
  renderNow();
  animator.run(records, { oldWidths });
  refreshChain();
}

// ---- rendering -----------------------------------------------------------------------------------
function scheduleRender() {
  if (app.renderQueued) return;
  app.renderQueued = true;
  requestAnimationFrame(() => { app.renderQueued = false; renderNow(); });
}

function render() { renderNow(); }

function setText(id, text) {
  const node = $(id);
  if (node.textContent !== text) node.textContent = text;
}

function edgeValues() {
  if (app.edgeMode === 'gradients') return app.gradients;
  if (app.edgeMode === 'updates') return app.updates;
  return app.state.weights;
}

const EDGE_MEANING = { weights: 'weight w', gradients: 'gradient ∂E/∂w (last mini-batch)', updates: 'last update Δw' };

function setLegend(html) {
  const node = $('stage-legend');
  if (node.dataset.html !== html) { node.innerHTML = html; node.dataset.html = html; }
}

// One line under the network saying what its marks mean right now.
function legendHtml(labelMode, hasSample, hasDeltas) {
  const p = palette();
  const sw = (c) => `<i class="sw" style="background:${c}"></i>`;
  const ring = (c) => `<i class="ring" style="border-color:${c}"></i>`;
  const rgb = (a) => `rgb(${a.join(',')})`;
  const parts = [`<b>Edges</b> ${EDGE_MEANING[app.edgeMode]}: ${sw(rgb(p.negative))}− ${sw(rgb(p.positive))}+, width = size`];
  if (labelMode) parts.push(`<b>labels</b> ${EDGE_MEANING[labelMode]}${labelMode === 'updates' ? ' (eq. 6)' : ''}`);
  if (hasSample) parts.push('<b>bar</b> activation of the selected sample');
  if (hasDeltas) parts.push(`<b>ring</b> error signal δ = ∂E/∂z (eq. 4): ${ring(p.backward)}+ ${ring(p.backwardNegative)}−, thickness = |δ|`);
  return parts.join(' · ');
}

function renderNow() {
  const { state } = app;
  if (!state) return;
  setText('step', state.step.toLocaleString('en'));
  setText('epoch', state.epoch.toLocaleString('en'));
  setText('train_loss', formatNumber(state.train_loss, 4));
  setText('test_loss', formatNumber(state.test_loss, 4));
  setText('accuracy', state.train_accuracy === null || state.train_accuracy === undefined ? '—'
    : `${(100 * state.train_accuracy).toFixed(1)}% / ${state.test_accuracy === null ? '—' : (100 * state.test_accuracy).toFixed(1)}%`);
  const acts = activations(app.config);
  // Right after an update, the edges carry their Δw as labels (the widths show the new weights).
  const still = !app.playing;
  const justUpdated = still && app.lastPhase?.name === 'update' && app.updates && app.updates.every(Boolean);
  const values = edgeValues();
  const labels = justUpdated ? app.updates : (app.showNumbers && view.edges.size <= 200 ? values : null);
  if (app.grids) {
    const decoded = app.grids.layers.map((layer) => layer.map((g) => decodeGrid(g, app.grids.resolution)));
    app.decoded = decoded;
    view.setGrids(decoded, acts);
    outputMap.paint(decoded[decoded.length - 1], acts[acts.length - 1], app.discrete);
    if (app.hovered) paintHover(app.hovered);
  }
  const traced = app.trace && still;
  view.setLossCallout(traced ? lossLines(app.trace, app.sample, app.config.loss) : null);
  view.setEdgeValues(values, app.edgeMode, labels, app.playing);
  view.setBiases(state.biases);
  const nodeValues = traced ? nodeValuesFor(app.trace, app.sample, acts) : {};
  view.setNodeValues(nodeValues, app.showNumbers);
  setLegend(legendHtml(labels && (justUpdated ? 'updates' : app.edgeMode),
    traced && app.trace.records.has('forward:1'), traced && Object.values(nodeValues).some((v) => v.delta !== undefined)));
  const batch = app.trace?.records.get('forward:1')?.batch || NO_BATCH;
  outputMap.setBatch(app.playing ? NO_BATCH : batch, app.sample);
  phases.show(state.phase, app.lastPhase, app.config.loss);
  showBanner(state.diverged);
  renderInspector();
  lossChart.drawIfDirty(app.playing ? 12 : 60);
  gradChart.drawIfDirty(app.playing ? 12 : 60);
  app.drawn += 1;
  document.documentElement.dataset.drawn = String(app.drawn);
  document.documentElement.dataset.drawnAt = String(performance.now());
  document.documentElement.dataset.step = String(state.step);
}

function renderInspector(force = false) {
  // While playing the inspector keeps its last numbers: they would flicker, and a screen reader would
  // chatter; pausing refreshes it.
  if (app.playing && inspector.html && !force) return;
  inspector.render({ selection: app.selection, state: { ...app.state, activations: activations(app.config), config: app.config },
    trace: app.trace, sample: app.sample, chain: app.chain, chainError: app.chainError,
    inputLabels: app.state.feature_labels || [] });
}

function showBanner(diverged) {
  if ($('banner').hidden !== !diverged) $('banner').hidden = !diverged;
  if (diverged) $('banner-text').textContent = `Training diverged: ${diverged.reason}.`;
}

// ---- selection, sample, hover --------------------------------------------------------------------
function select(sel) {
  app.selection = sel;
  view.select(sel);
  app.chain = null;
  app.chainError = null;
  if (!app.playing) renderNow(); // labels and numbers favour the selection
  renderInspector(true);
  refreshChain();
}

async function refreshChain() {
  const sel = app.selection;
  if (!sel || sel.kind !== 'weight' || !app.id) return;
  const sample = app.sample;
  try {
    const chain = await api.getChain(app.id, sel.id, sample);
    if (app.selection !== sel || app.sample !== sample) return;
    app.chain = chain;
    app.chainError = null;
  } catch (err) {
    app.chainError = err.message;
  }
  renderInspector(true);
}

function setSample(index) {
  const batch = app.trace?.records.get('forward:1')?.batch;
  if (!batch) return;
  app.sample = Math.max(0, Math.min(batch.length - 1, index));
  app.chain = null;
  renderNow();
  refreshChain();
}

function pickPoint(row) {
  const batch = app.trace?.records.get('forward:1')?.batch || NO_BATCH;
  const position = batch.indexOf(row);
  if (position >= 0) setSample(position);
  else toast(`Training point #${row} is not in the current mini-batch; step to the next forward pass, or pick a ringed point.`);
}

function hover(id, g) {
  app.hovered = id;
  const card = $('hover-card');
  if (!id || !app.decoded) { card.hidden = true; return; }
  const rect = g.getBoundingClientRect();
  card.hidden = false;
  const left = rect.right + 190 > window.innerWidth ? rect.left - 194 : rect.right + 8;
  card.style.left = `${left}px`;
  card.style.top = `${Math.max(4, Math.min(window.innerHeight - 210, rect.top - 70))}px`;
  paintHover(id);
}

function paintHover(id) {
  const layer = Number(/^L(\d+)/.exec(id)[1]);
  const grid = app.decoded?.[layer]?.find((g) => g.id === id);
  if (!grid) return;
  const card = $('hover-card');
  paintGrid(card.querySelector('canvas'), grid, activations(app.config)[layer], { discrete: app.discrete && layer === app.state.layers.length - 1 });
  card.querySelector('p').textContent = `${id}: from ${formatNumber(grid.min)} to ${formatNumber(grid.max)} over x₁, x₂ ∈ [−6, 6]`;
}

// ---- actions -------------------------------------------------------------------------------------
function setPlaying(on) {
  if (on !== app.playing) live.subscribe(on ? GRID_PLAYING : GRID_STILL);
  const stopped = app.playing && !on;
  app.playing = on;
  if (stopped) { app.chain = null; refreshChain(); } // the weights moved on while playing
  $('play').setAttribute('aria-pressed', String(on));
  $('play').setAttribute('aria-label', on ? 'Pause (space)' : 'Play (space)');
}

function play(on) {
  if (on && app.state.diverged) { toast('Training diverged: reset first (or lower the learning rate).', true); return; }
  setPlaying(on);
  animator.finish();
  live.send(on ? { type: 'play', steps_per_frame: Number($('speed').value), fps: PLAY_FPS } : { type: 'pause' });
}

function step(by) {
  if (app.state.diverged) { toast('Training diverged: reset first (or lower the learning rate).', true); return; }
  if (app.playing) play(false);
  animator.finish();
  live.send({ type: 'step', by, count: 1, trace: by !== 'epoch' });
}

async function reset() {
  if (app.playing) play(false);
  animator.finish();
  try {
    const state = await api.resetNetwork(app.id);
    Object.assign(app.state, state);
    app.trace = null;
    app.lastPhase = null;
    app.gradients = null;
    app.updates = null;
    lossChart.reset(state.history || []);
    gradChart.reset(state.history || []);
    renderNow();
  } catch (err) {
    toast(err.message, true);
  }
}

async function lowerLearningRate() {
  const lr = app.config.learning_rate / 10;
  try {
    await api.patchNetwork(app.id, { learning_rate: lr });
    app.config.learning_rate = lr;
    writeUrl(app.config, app.id);
    controls.show(app.config, problemKind());
    await reset();
    toast(`Learning rate lowered to ${lr}; the network was reset.`);
  } catch (err) {
    toast(err.message, true);
  }
}

function onControl(field, value) {
  if (HYPER.includes(field)) {
    app.config[field] = value;
    writeUrl(app.config, app.id);
    live.send({ type: 'set', [field]: value });
    return;
  }
  const pairing = options.loss_output_activations || {};
  const config = app.config;
  let next;
  if (field === 'dataset' || field === 'problem') {
    const entry = app.catalog.find((d) => (field === 'dataset' ? d.name : d.kind) === value);
    if (!entry || (field === 'dataset' && entry.name === config.dataset.name)) return;
    next = edited(config, (c) => { c.dataset.name = entry.name; fitOutputs(c, entry.kind, entry.n_classes, pairing); });
  } else if (field === 'noise' || field === 'train_ratio') {
    next = edited(config, (c) => { c.dataset[field] = value; });
  } else if (field === 'regenerate') {
    next = edited(config, (c) => { c.dataset.seed = Math.floor(Math.random() * 100000); });
  } else if (field === 'output_activation') {
    next = edited(config, (c) => { c.output_activation = value; fitOutputs(c, problemKind(), nClasses(), pairing); });
  } else if (field === 'loss') {
    next = withLoss(config, value, problemKind(), nClasses(), pairing);
  } else {
    next = edited(config, (c) => { c[field] = value; });
  }
  createFrom(next);
}

function toggleFeature(name) {
  const next = withFeatureToggled(app.config, name, options.features.map((f) => f.name));
  if (next) createFrom(next); else toast('Keep at least one input feature.', true);
}

function changeNeurons(layer, delta) {
  const next = withNeurons(app.config, layer, delta, limits.maxNeurons);
  if (next) createFrom(next);
}

function changeLayers(delta) {
  const next = withHiddenLayers(app.config, delta, limits.maxHidden, $('activation').value);
  if (next) createFrom(next);
}

// Edits are applied in place on the server: counters and history stay; an iteration in progress
// restarts on the same mini-batch, so any trace on screen is stale.
async function editParameter(kind, id, value) {
  try {
    const state = await api.setParameter(app.id, id, value);
    Object.assign(app.state, { weights: state.weights, biases: state.biases, phase: state.phase });
    app.trace = null;
    app.lastPhase = null;
    renderNow();
    select({ kind, id });
  } catch (err) {
    toast(err.message, true);
  }
}

// ---- wiring --------------------------------------------------------------------------------------
function wire() {
  $('play').addEventListener('click', () => play(!app.playing));
  $('reset').addEventListener('click', () => reset());
  $('step-phase').addEventListener('click', () => step('phase'));
  $('step-iteration').addEventListener('click', () => step('iteration'));
  $('step-epoch').addEventListener('click', () => step('epoch'));
  $('speed').addEventListener('change', () => { if (app.playing) play(true); });
  $('add-layer').addEventListener('click', () => changeLayers(+1));
  $('remove-layer').addEventListener('click', () => changeLayers(-1));
  $('banner-reset').addEventListener('click', () => reset());
  $('banner-lower').addEventListener('click', () => lowerLearningRate());
  document.querySelectorAll('input[name=edge-mode]').forEach((r) => r.addEventListener('change', () => {
    app.edgeMode = r.value;
    renderNow();
  }));
  $('show-numbers').addEventListener('change', (e) => { app.showNumbers = e.target.checked; renderNow(); });
  $('show-test').addEventListener('change', (e) => outputMap.setShowTest(e.target.checked));
  $('discretize').addEventListener('change', (e) => { app.discrete = e.target.checked; renderNow(); });
  $('projector').addEventListener('change', (e) => {
    document.documentElement.classList.toggle('projector', e.target.checked);
    rebuildDrawing();
    renderNow();
  });
  $('palette').addEventListener('change', (e) => setPalette(e.target.value));
  onPaletteChange(() => { controls.paintThumbnails(); outputMap.drawPoints(); renderNow(); });
  window.addEventListener('resize', () => { if (app.state) { rebuildDrawing(); renderNow(); } });
  document.addEventListener('keydown', onKey);
}

function onKey(e) {
  const t = e.target;
  // Fields that use these keys themselves keep them; a checkbox only needs space.
  const checkbox = t.matches && t.matches('input[type=checkbox]');
  const typing = !checkbox && t.closest && t.closest('input, select, textarea, [contenteditable]');
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === ' ' || e.code === 'Space') {
    if (checkbox || (t.closest && t.closest('button, [role=button], [role=radio]'))) return; // space activates the focused control
    e.preventDefault();
    play(!app.playing);
  } else if (e.key === 'ArrowRight') {
    e.preventDefault();
    step(e.shiftKey ? 'iteration' : 'phase');
  } else if (e.key === 'r' || e.key === 'R') {
    e.preventDefault();
    reset();
  }
}

async function start() {
  setPalette('orange-blue');
  app.catalog = await api.getDatasets().catch(() => []);
  controls = new Controls(options, app.catalog, onControl);
  wire();
  const { config, id } = readUrl({ ...boot.defaults, dataset: { ...boot.defaults.dataset } });
  app.config = config;
  if (id) {
    try {
      await adopt(await api.getNetwork(id));
      return;
    } catch (err) {
      if (err.status !== 404) toast(err.message, true);
    }
  }
  const entry = app.catalog.find((d) => d.name === config.dataset.name);
  if (entry && !new URLSearchParams(window.location.search).has('layers')) {
    fitOutputs(config, entry.kind, entry.n_classes, options.loss_output_activations || {}); // a hand-written link
  }
  if (!config.features || config.layers[0] !== config.features.length) {
    config.layers[0] = (config.features || []).length || config.layers[0];
  }
  const ok = await createFrom(config);
  if (!ok) {
    toast('The link’s configuration was refused; starting from the defaults instead.', true);
    await createFrom({ ...boot.defaults, dataset: { ...boot.defaults.dataset } });
  }
}

start();
