// One sample's numbers on the nodes, read from the traced records of the current iteration: inputs and
// activations fill the nodes (forward), the output shows its error (loss, eq. 5), deltas ring the nodes
// (backward). Values are only scaled for drawing; the text shows them as the server sent them.
// Pure: no DOM.
import { formatNumber, subscript } from './format.js';

// a → [-1, 1] for the fill: bounded activations by their range, the rest by the layer's largest value.
function fillScale(activation, values) {
  if (activation === 'tanh') return (v) => v;
  if (activation === 'sigmoid' || activation === 'softmax') return (v) => 2 * v - 1;
  const m = Math.max(1e-12, ...values.map(Math.abs));
  return (v) => v / m;
}

// neuronIds: the state's `neuron_ids` (per layer); activations: per layer name ([0] = null).
export function nodeValuesFor(trace, sample, activations, neuronIds) {
  const out = {};
  const put = (id, fields) => { out[id] = { ...(out[id] || {}), ...fields }; };
  const first = trace.records.get('forward:1');
  if (first) {
    const xs = first.a_prev[sample];
    const scale = fillScale(null, xs);
    xs.forEach((x, i) => put(neuronIds[0][i], { fill: scale(x), text: formatNumber(x) }));
  }
  // Ring thickness shares one scale across layers, so vanishing error signals look small.
  let largest = 1e-12;
  for (const rec of trace.records.values()) {
    if (rec.phase === 'backward') for (const d of rec.delta[sample]) largest = Math.max(largest, Math.abs(d));
  }
  for (const rec of trace.records.values()) {
    if (rec.phase === 'forward') {
      const as = rec.a[sample];
      const scale = fillScale(activations[rec.layer], as);
      as.forEach((a, j) => put(neuronIds[rec.layer][j], { fill: scale(a), text: formatNumber(a) }));
    } else if (rec.phase === 'backward') {
      rec.delta[sample].forEach((d, j) => put(neuronIds[rec.layer][j],
        { delta: d / largest, rawDelta: d, deltaText: `δ ${formatNumber(d, 2)}` }));
    }
  }
  return out;
}

// The loss phase's numbers for the selected sample, as lines for the callout by the output (eq. 5):
// prediction ŷ and target y of each output, then the sample's error E. Null before the loss phase.
export function lossLines(trace, sample, loss) {
  const rec = trace && trace.records.get('loss:null');
  if (!rec) return null;
  const yHat = rec.y_hat[sample];
  const y = rec.y[sample];
  const lines = ['eq. 5 · error'];
  const many = yHat.length > 1;
  yHat.slice(0, 4).forEach((v, j) => {
    const k = many ? subscript(j) : '';
    lines.push(`ŷ${k} = ${formatNumber(v, 4)}`, `y${k} = ${formatNumber(y[j], 4)}`);
  });
  if (yHat.length > 4) lines.push(`… ${yHat.length - 4} more`);
  lines.push(loss === 'mse' ? (many ? 'E = ½Σ(y − ŷ)²' : 'E = ½(y − ŷ)²') : 'E = cross-entropy');
  lines.push(`  = ${formatNumber(rec.per_sample[sample], 4)}`);
  return lines;
}
