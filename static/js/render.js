// Draws the state: subscribes to the store and, for each action that ran, brings the views up to date
// (the network drawing, phase chips, inspector, output map, charts, counters, banner, controls and the
// URL). The drawing is rebuilt only when the architecture or the stage changes; a frame while playing
// is drawn at most once per display frame (the latest wins), a step at once.
import { layerColour } from './chart.js';
import { activations } from './configedit.js';
import { percent, readout } from './format.js';
import { showDeadHint } from './hints.js';
import { decodeGrid } from './heatmap.js';
import { legendHtml } from './legend.js';
import { lossLines, nodeValuesFor } from './samples.js';
import { writeUrl } from './urlstate.js';
import { isCustom } from './userdata.js';

const NO_BATCH = [];
// The layers a phase just computed, whose values show even with numbers off (the loss: the output).
const computedLayers = (phase, n) => phase && phase.name !== 'update'
  && new Set([phase.name === 'loss' ? n - 1 : phase.layer]);
const $ = (id) => document.getElementById(id);

function setText(id, text) {
  const node = $(id);
  if (node.textContent !== text) node.textContent = text;
}

function setLegend(html) {
  const node = $('stage-legend');
  if (node.dataset.html !== html) { node.innerHTML = html; node.dataset.html = html; }
}

// views: {network, animator, phases, inspector, outputMap, lossChart, gradChart, controls, hover};
// ctx: {fields, ids, options, limits}
export function connectViews(store, views, { fields, ids, options, limits }) {
  const { network, animator, phases, inspector, outputMap, lossChart, gradChart, controls, hover } = views;
  const s = store.state;
  let queued = false;
  let drawn = 0;
  let decoded = null;

  function showConfig() {
    if (!s.config) return;
    writeUrl(fields, s.config, s.id);
    controls.show(s.config, s.net.problem);
  }

  function rebuildDrawing() {
    const { net, config } = s;
    if (!net) return;
    const features = config.features && !isCustom(config) // your data's inputs are its columns
      ? options.features.map((f) => ({ name: f.name, label: f.label, selected: config.features.includes(f.name) }))
      : null;
    const inputLabels = net.feature_labels || net.neuron_ids[0].map((_, i) => `x${i + 1}`);
    network.build({ layers: net.layers, neuronIds: net.neuron_ids, activations: activations(config), features,
      inputLabels, limits });
    network.select(s.selection);
    const hidden = net.layers.length - 2;
    $('hidden-count').textContent = `${hidden} hidden layer${hidden === 1 ? '' : 's'}`;
    $('add-layer').disabled = hidden >= limits.maxHidden;
    $('remove-layer').disabled = hidden <= 0;
  }

  function resetCharts(history) {
    lossChart.reset(history || []);
    gradChart.reset(history || []);
  }

  function scheduleRender() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; renderNow(); });
  }

  function edgeValues() {
    if (s.view.edgeMode === 'gradients') return s.gradients;
    if (s.view.edgeMode === 'updates') return s.updates;
    return s.net.weights;
  }

  function paintHover() {
    if (!s.hovered || !decoded) return;
    const { layer, index } = ids.neuron(s.hovered);
    const grid = decoded[layer]?.find((g) => g.id === s.hovered);
    const output = layer === s.net.layers.length - 1;
    hover.paint(s.hovered, grid, activations(s.config)[layer], s.view.discrete && output,
      output && classOutputs() ? index : null);
  }

  const classOutputs = () => s.net.problem === 'classification' && s.net.layers[s.net.layers.length - 1] > 1;

  function renderNow() {
    const { net, view } = s;
    if (!net) return;
    setText('step', net.step.toLocaleString('en'));
    setText('epoch', net.epoch.toLocaleString('en'));
    setText('rate', s.rate ? ` · ${s.rate.toLocaleString('en', s.rate < 10 ? { maximumSignificantDigits: 2 } : { maximumFractionDigits: 0 })}/s` : '');
    setText('train_loss', readout(net.train_loss));
    setText('test_loss', readout(net.test_loss));
    setText('accuracy', net.train_accuracy === null || net.train_accuracy === undefined ? '—'
      : `${percent(net.train_accuracy, 1)} / ${net.test_accuracy === null ? '—' : percent(net.test_accuracy, 1)}`);
    const acts = activations(s.config);
    // Right after an update, the edges carry their Δw as labels (∂E/∂w when the edges show ∂E/∂w).
    const still = !s.playing;
    const justUpdated = still && s.lastPhase?.name === 'update' && s.updates && s.updates.every(Boolean);
    const updateLabels = view.edgeMode === 'gradients' ? 'gradients' : 'updates'; // ∂E/∂w asked for: ∂E/∂w
    const values = edgeValues();
    const labels = justUpdated ? s[updateLabels] : (view.showNumbers && network.edges.size <= 200 ? values : null);
    if (s.grids) {
      decoded = s.grids.layers.map((layer) => layer.map((g) => decodeGrid(g, s.grids.resolution)));
      network.setGrids(decoded, acts, classOutputs());
      outputMap.paint(decoded[decoded.length - 1], acts[acts.length - 1], view.discrete);
      paintHover();
    }
    const traced = s.trace && still;
    network.setLossCallout(traced ? lossLines(s.trace, s.sample, s.config.loss) : null);
    network.setEdgeValues(values, view.edgeMode, labels, s.playing);
    network.setBiases(net.biases);
    const nodeValues = traced ? nodeValuesFor(s.trace, s.sample, acts, net.neuron_ids) : {};
    network.setNodeValues(nodeValues, view.showNumbers || (traced && computedLayers(s.lastPhase, net.layers.length)));
    setLegend(legendHtml(view.edgeMode, labels && (justUpdated ? updateLabels : view.edgeMode),
      traced && s.trace.records.has('forward:1'), traced && Object.values(nodeValues).some((v) => v.delta !== undefined)));
    const batch = s.trace?.records.get('forward:1')?.batch || NO_BATCH;
    outputMap.setBatch(s.playing ? NO_BATCH : batch, s.sample);
    phases.show(net.phase, s.lastPhase, s.config.loss);
    showBanner(net.diverged);
    showDeadHint($('dead-hint'), net.dead_relu, net.step);
    renderInspector();
    lossChart.drawIfDirty(s.playing ? 12 : 60);
    gradChart.drawIfDirty(s.playing ? 12 : 60);
    drawn += 1;
    const root = document.documentElement.dataset;
    root.drawn = String(drawn);
    root.drawnAt = String(performance.now());
    root.step = String(net.step);
  }

  function renderInspector(force = false) {
    // While playing the inspector keeps its last numbers: they would flicker, and a screen reader would
    // chatter; pausing refreshes it.
    if (!s.net || (s.playing && inspector.html && !force)) return;
    inspector.render({ selection: s.selection, state: { ...s.net, activations: activations(s.config), config: s.config },
      trace: s.trace, sample: s.sample, chain: s.chain, chainError: s.chainError,
      inputLabels: s.net.feature_labels || [], ids });
  }

  function showBanner(diverged) {
    if ($('banner').hidden !== !diverged) $('banner').hidden = !diverged;
    if (diverged) $('banner-text').textContent = `Training diverged: ${diverged.reason}.`;
  }

  const draw = {
    catalogLoaded: () => controls.setCatalog(s.catalog),
    adopted() {
      showConfig();
      rebuildDrawing();
      gradChart.setSeries(s.net.weights.map((_, k) => ({ label: `W${k + 1}`, colour: layerColour(k),
        get: (e) => (e.step ? (e.grad_norms || [])[k] : null) }))); // no gradient before step 1
      resetCharts(s.net.history);
      renderNow();
      $('accuracy-row').hidden = s.net.problem !== 'classification';
    },
    dataLoaded: () => outputMap.setData(s.data),
    sliceFetched: () => scheduleRender(),
    stateReceived() { showConfig(); scheduleRender(); },
    changeRefused() { if (s.config) controls.show(s.config, s.net.problem); },
    reconnected() { resetCharts(s.net.history); scheduleRender(); },
    frameReceived(frame) {
      if (frame.history_tail && frame.history_tail.length) {
        lossChart.append(frame.history_tail);
        gradChart.append(frame.history_tail);
      }
      if (s.playing) scheduleRender(); else renderNow();
    },
    traceReceived(records) {
      const oldWidths = new Map([...network.edges].map(([id, e]) => [id, Number(e.path.getAttribute('stroke-width'))]));
      renderNow();
      animator.run(records, { oldWidths });
    },
    playing() {
      animator.finish();
      $('play').setAttribute('aria-pressed', String(s.playing));
      $('play').setAttribute('aria-label', s.playing ? 'Pause (space)' : 'Play (space)');
    },
    reset() { animator.finish(); resetCharts(s.net.history); renderNow(); },
    parameterSet: () => renderNow(),
    selected() {
      network.select(s.selection);
      if (s.hovered && s.hovered === s.selection?.id) hover.show(null);
      if (!s.playing) renderNow(); // labels and numbers favour the selection
      renderInspector(true);
    },
    sampleChosen: () => renderNow(),
    chainReceived: () => renderInspector(true),
    chainFailed: () => renderInspector(true),
    viewChanged(changes) {
      if ('showTest' in changes) outputMap.setShowTest(s.view.showTest);
      if ('projector' in changes) {
        document.documentElement.classList.toggle('projector', s.view.projector);
        rebuildDrawing();
      }
      renderNow();
    },
    connection() {
      $('connection').dataset.state = s.connection;
      $('connection').title = s.connection === 'open' ? 'live connection open' : 'reconnecting to the server…';
    },
    hovered() {
      // The selected neuron gets no hover card: the inspector shows it, and the card would cover
      // its callout and the charts.
      const id = s.hovered === s.selection?.id ? null : s.hovered;
      hover.show(id, id && network.nodes.get(id)?.g, Boolean(decoded));
      paintHover();
    },
  };
  store.subscribe((action, payload) => draw[action]?.(payload)); // other modules add actions of their own

  return {
    // The stage changed size, or the palette changed: draw everything again.
    redraw() { if (s.net) { rebuildDrawing(); renderNow(); } },
    repaint() { controls.paintThumbnails(); outputMap.drawPoints(); renderNow(); },
  };
}
