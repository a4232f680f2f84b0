// One sample's numbers on the nodes, read from the traced records of the current iteration: inputs and
// activations fill the nodes (forward), the output shows its error (loss), deltas ring the nodes
// (backward). Values are only scaled for drawing; the text shows them as the server sent them.
import { formatNumber } from './network.js';

// a → [-1, 1] for the fill: bounded activations by their range, the rest by the layer's largest value.
function fillScale(activation, values) {
  if (activation === 'tanh') return (v) => v;
  if (activation === 'sigmoid' || activation === 'softmax') return (v) => 2 * v - 1;
  const m = Math.max(1e-12, ...values.map(Math.abs));
  return (v) => v / m;
}

export function nodeValuesFor(trace, sample, activations, loss) {
  const out = {};
  const put = (id, fields) => { out[id] = { ...(out[id] || {}), ...fields }; };
  const first = trace.records.get('forward:1');
  if (first) {
    const xs = first.a_prev[sample];
    const scale = fillScale(null, xs);
    xs.forEach((x, i) => put(`L0N${i}`, { fill: scale(x), text: formatNumber(x) }));
  }
  for (const [key, rec] of trace.records) {
    if (rec.phase === 'forward') {
      const as = rec.a[sample];
      const scale = fillScale(activations[rec.layer], as);
      as.forEach((a, j) => put(`L${rec.layer}N${j}`, { fill: scale(a), text: formatNumber(a) }));
    } else if (rec.phase === 'backward') {
      const ds = rec.delta[sample];
      const m = Math.max(1e-12, ...ds.map(Math.abs));
      ds.forEach((d, j) => put(`L${rec.layer}N${j}`, { delta: d / m, deltaText: `δ ${formatNumber(d)}` }));
    } else if (key === 'loss:null') {
      const L = activations.length - 1;
      const E = rec.per_sample[sample];
      rec.y[sample].forEach((y, j) => put(`L${L}N${j}`, { deltaText: j === 0 ? `E ${formatNumber(E)}` : '',
        text: formatNumber(rec.y_hat[sample][j]) }));
    }
  }
  return out;
}
