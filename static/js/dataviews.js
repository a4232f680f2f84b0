// Draws the state that your data add (dataactions.js): the CSV choices, the drawing tools, the export
// links, the slice for data with other than two inputs, and what the data panel says of a network on
// your own data (what it trains on, its own split instead of a generator's noise and ratio, no
// built-in dataset chosen).
import { classNames, draftProblem, isCustom } from './userdata.js';

const $ = (id) => document.getElementById(id);
const plural = (n, word, many = `${word}s`) => `${n.toLocaleString('en')} ${n === 1 ? word : many}`;

// A sentence on what a network on your data trains on.
export function ownDataText(net, dataset) {
  const points = `${plural(net.n_train + net.n_test, 'point')} (${net.n_train.toLocaleString('en')} for training)`;
  const inputs = (net.feature_labels || []).join(', ');
  const what = net.problem === 'classification'
    ? `${dataset.target ? `${dataset.target}: ` : ''}${plural(net.n_classes, 'class', 'classes')}${dataset.labels ? ` (${dataset.labels.join(', ')})` : ''}`
    : `predicting ${dataset.target || 'a value'}`;
  return `Your data: ${points}; inputs ${inputs}; ${what}.`;
}

// views: {csvPanel, drawTools, exportBar, outputMap, slice}
export function connectDataViews(store, { csvPanel, drawTools, exportBar, outputMap, slice }) {
  const s = store.state;

  function showData() {
    const { data, net } = s;
    if (!data || !net) return;
    const n = data.kind === 'classification' ? Math.max(net.n_classes || 0, 2) : 0;
    drawTools.show(data, classNames(data, n), draftProblem(data));
    outputMap.setData(data);
  }

  function showOwnData() {
    if (!s.net || !s.config) return;
    const own = isCustom(s.config);
    for (const id of ['noise', 'regenerate']) $(id)?.closest('label, button')?.toggleAttribute('hidden', own);
    const picker = $('dataset-picker');
    if (picker) picker.dataset.own = String(own);
    csvPanel.showOwn(own && s.net.n_train !== undefined ? ownDataText(s.net, s.config.dataset) : null);
    const sliced = !s.config.features && s.net.layers[0] !== 2; // features are computed from a plane
    slice.setColumns(sliced ? s.net.feature_labels || s.net.neuron_ids[0] : null);
    const plane = outputMap.plane;
    const columns = own ? (plane ? [plane.x.label, plane.y?.label ?? ''] : s.net.feature_labels) : null;
    const axes = document.querySelectorAll('.output-map .axis span:nth-child(2)');
    axes.forEach((span, i) => { span.dataset.plain ??= span.textContent; span.textContent = columns?.[i] ?? span.dataset.plain; });
    const ratio = $('train_ratio-out');
    if (own && ratio && s.net.n_train !== undefined) {
      ratio.textContent = `${Math.round((100 * s.net.n_train) / Math.max(1, s.net.n_train + s.net.n_test))}% (your data)`;
    }
    $('train_ratio')?.toggleAttribute('disabled', own);
  }

  let plane = null;
  function showPlane() {
    const next = s.grids?.plane;
    if (!next || JSON.stringify(next) === plane) return;
    plane = JSON.stringify(next);
    outputMap.setPlane(next);
    slice.setPlane(outputMap.plane);
    const held = next.fixed.map((f) => `${f.label} = ${f.value.toPrecision(3)}`).join(', ');
    $('output-map').title = held ? `A slice: the other inputs are held at their mean (${held})` : '';
    const sliced = outputMap.plane;
    for (const [axis, range, ends] of [['x', next.x, [0, 1]], ['y', next.y, [1, 0]]]) {
      const spans = document.querySelectorAll(`.output-map .axis.${axis} span[data-extent]`);
      spans.forEach((span, i) => {
        span.dataset.plainText ??= span.textContent;
        if (!sliced) span.textContent = span.dataset.plainText;
        else span.textContent = range ? String(Number([range.min, range.max][ends[i]].toPrecision(3))) : ''; // one input: no y
      });
    }
    outputMap.labelValueAxis(); // one input and one target: the y axis is the value (curve.js)
    showOwnData();
  }

  store.subscribe((action) => {
    if (action === 'frameReceived' || action === 'sliceFetched') showPlane();
    if (action === 'csvParsed' || action === 'csvDropped') csvPanel.show(s.csv?.parsed || null, s.csv?.name);
    if (action === 'adopted') exportBar.show(s.id);
    if (action === 'dataLoaded' || action === 'pointsChanged' || action === 'adopted') showData();
    if (['adopted', 'stateReceived', 'changeRefused', 'dataLoaded'].includes(action)) showOwnData();
  });
}
