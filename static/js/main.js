// The page's entry: reads what the server put in the page (its options, with the field table, the
// grid extent, the phase order and the id grammar), makes the one state store, the views that draw
// it (render.js) and the actions that change it (actions.js), and wires the page's own buttons and
// keys to those actions. It holds no state of its own.
import { connectAccuracyChart } from './accuracy.js';
import { createActions } from './actions.js';
import { Animator } from './animation.js';
import { exportUrl } from './api.js';
import { LineChart } from './chart.js';
import { createClassPanel } from './classpanel.js';
import { Controls } from './controls.js';
import { CsvPanel } from './csvpanel.js';
import { createDataActions, dataTransitions } from './dataactions.js';
import { connectDataViews } from './dataviews.js';
import { DrawTools } from './drawtools.js';
import { ExportBar } from './exportbar.js';
import { createClassroom } from './follow.js';
import { formatNumber } from './format.js';
import { HoverCard } from './hover.js';
import { makeIds } from './ids.js';
import { Inspector } from './inspector.js';
import { LiveConnection } from './live.js';
import { NetworkView } from './network.js';
import { connectOffline } from './offline.js';
import { OutputMap } from './outputmap.js';
import { onPaletteChange, setPalette } from './palette.js';
import { PhaseIndicator } from './phases.js';
import { connectViews } from './render.js';
import { focusSelection, handleShortcut } from './shortcuts.js';
import { SliceView } from './slice.js';
import { createStore, makeTransitions } from './state.js';
import { connectViewUrl } from './viewurl.js';
import { setupTeaching } from './teaching.js';

const $ = (id) => document.getElementById(id);
const { options } = JSON.parse($('boot').textContent);
const ids = makeIds(options.ids);
const extent = options.grid_extent;
// The drawing's own bounds (what fits on a stage), within the server's limits.
const limits = {
  maxHidden: Math.min(6, options.limits?.max_hidden_layers ?? 6),
  maxNeurons: Math.min(8, options.limits?.max_neurons ?? 8),
};

function toast(text, isError = false) {
  const t = $('toast');
  t.textContent = text;
  t.classList.toggle('error', isError);
  t.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('show'), isError ? 6000 : 2500);
}

const store = createStore({ ...makeTransitions(ids), ...dataTransitions });
const live = new LiveConnection({ onMessage: (m) => onLive(m), onStatus: (s) => actions.onConnection(s) });
const actions = createActions({ store, live, options, limits, toast, speed: () => Number($('speed').value) });
const classroom = createClassroom({ store, live, toast, ids });
classroom.guard(actions); // a follower's changes only say why
let received = 0;
function onLive(message) {
  received += 1;
  document.documentElement.dataset.received = String(received);
  if (classroom.onLive(message, actions)) return;
  actions.onLive(message);
  teaching.onLive(message);
  data.onLive(message);
}

const network = new NetworkView($('network-stage'), {
  onSelect: (sel) => actions.select(sel),
  onHover: (id) => actions.hover(id),
  onToggleFeature: (name) => actions.toggleFeature(name),
  onNeurons: (layer, delta) => actions.changeNeurons(layer, delta),
}, ids);
const lossChart = new LineChart($('loss-chart'), {
  legend: $('loss-legend'), cap: 20,
  series: [
    { label: 'training', colour: '#333', get: (e) => e.train_loss },
    { label: 'test', colour: '#999', dash: [4, 3], get: (e) => e.test_loss },
  ],
});
lossChart.renderLegend();
connectAccuracyChart(store, $('accuracy-chart'), $('accuracy-head'), lossChart.series);
const views = {
  network,
  animator: new Animator(network),
  phases: new PhaseIndicator($('phase-chips'), $('phase-text'), options),
  inspector: new Inspector($('inspector'), {
    onSample: (d) => actions.setSample(store.state.sample + d),
    onEdit: (kind, id, value) => actions.editParameter(kind, id, value),
    onClose: () => actions.select(null),
    onSelect: (sel) => { actions.select(sel); focusSelection(sel); },
  }),
  outputMap: new OutputMap($('output-heat'), $('output-points'), extent, (row) => actions.pickPoint(row)),
  lossChart,
  gradChart: new LineChart($('grad-chart'), { legend: $('grad-legend'), log: true, series: [],
    empty: 'no gradient yet: take a step' }),
  controls: new Controls(options.fields, {
    onField: (name, value) => actions.setField(name, value),
    onProblem: (kind) => actions.setProblem(kind),
    onRegenerate: () => actions.regenerate(),
  }, extent),
  hover: new HoverCard($('hover-card'), extent),
};
const screen = connectViews(store, views, { fields: options.fields, ids, options, limits });
const data = createDataActions({ store, actions, toast });
const drawTools = new DrawTools($('draw-tools'), views.outputMap,
  { onAdd: data.addPoints, onErase: data.erase, onClear: data.clear });
classroom.onRole((role) => drawTools.allow(role === 'owner')); // only the owner changes the points
connectDataViews(store, {
  csvPanel: new CsvPanel($('your-data'), document.querySelector('.col-data'),
    { onFile: data.csvFile, onChoice: data.csvChoice, onUse: data.useCsv }),
  drawTools,
  exportBar: new ExportBar($('export-bar'), exportUrl,
    { onImport: data.importDocument, onCsv: data.csvFile, onError: (text) => toast(text, true) }),
  outputMap: views.outputMap,
  slice: new SliceView($('slice-box'), data.chooseAxes),
});
const teaching = setupTeaching({ store, actions, toast, screen, ids });

function wire() {
  for (const node of document.querySelectorAll('[data-extent]')) {
    node.textContent = formatNumber(Number(node.dataset.extent) * extent);
  }
  $('play').addEventListener('click', () => actions.play(!store.state.playing));
  $('reset').addEventListener('click', () => actions.reset());
  $('step-phase').addEventListener('click', () => actions.step('phase'));
  $('step-iteration').addEventListener('click', () => actions.step('iteration'));
  $('step-epoch').addEventListener('click', () => actions.step('epoch'));
  $('speed').addEventListener('change', () => { if (store.state.playing) actions.play(true); });
  $('add-layer').addEventListener('click', () => actions.changeLayers(+1, $('activation').value));
  $('remove-layer').addEventListener('click', () => actions.changeLayers(-1, $('activation').value));
  $('banner-reset').addEventListener('click', () => actions.reset());
  $('banner-lower').addEventListener('click', () => actions.lowerLearningRate());
  document.querySelectorAll('input[name=edge-mode]').forEach((r) => r.addEventListener('change', () => {
    actions.view({ edgeMode: r.value });
  }));
  $('show-numbers').addEventListener('change', (e) => actions.view({ showNumbers: e.target.checked }));
  $('show-test').addEventListener('change', (e) => actions.view({ showTest: e.target.checked }));
  $('discretize').addEventListener('change', (e) => actions.view({ discrete: e.target.checked }));
  $('projector').addEventListener('change', (e) => actions.view({ projector: e.target.checked }));
  $('palette').addEventListener('change', (e) => setPalette(e.target.value));
  onPaletteChange(() => screen.repaint());
  window.addEventListener('resize', () => screen.redraw());
  document.addEventListener('keydown', onKey);
}

function onKey(e) {
  if (handleShortcut(e, { store, actions })) return; // Esc, ?, stepping over selects (shortcuts.js)
  const t = e.target;
  // Fields that use these keys themselves keep them; a checkbox only needs space.
  const checkbox = t.matches && t.matches('input[type=checkbox]');
  const typing = !checkbox && t.closest && t.closest('input, select, textarea, [contenteditable]');
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
  if (teaching.onKey(e)) return; // time travel, lessons, presenter mode (teaching.js)
  if (e.key === ' ' || e.code === 'Space') {
    if (checkbox || (t.closest && t.closest('button, [role=button], [role=radio]'))) return; // space activates the focused control
    e.preventDefault();
    actions.play(!store.state.playing);
  } else if (e.key === 'ArrowRight') {
    e.preventDefault();
    actions.step(e.shiftKey ? 'iteration' : 'phase');
  } else if (e.key === 'r' || e.key === 'R') {
    e.preventDefault();
    actions.reset();
  }
}

setPalette('orange-blue');
wire();
connectViewUrl({ store, actions, fields: options.fields, toast });
connectOffline(store); // a clear banner and disabled controls while the server is away (offline.js) // view options in the link (viewurl.js)
createClassPanel({ store, classroom, toast });
classroom.prepare().then(() => actions.start()); // a join code or share link names the network first
