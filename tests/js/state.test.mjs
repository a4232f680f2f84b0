import assert from 'node:assert/strict';
import { test } from 'node:test';

import { makeIds } from '../../static/js/ids.js';
import { createStore, initialState, makeTransitions, selectionExists } from '../../static/js/state.js';
import { IDS } from './fixtures.mjs';

const ids = makeIds(IDS);
const net = () => ({
  id: 'n1', step: 0, epoch: 0, layers: [2, 2, 1], neuron_ids: [['L0N0', 'L0N1'], ['L1N0', 'L1N1'], ['L2N0']],
  weights: [[[1, 2], [3, 4]], [[5], [6]]], biases: [[0, 0], [0]], phase: { name: 'forward', layer: 1, index: 0, count: 6 },
  config: { layers: [2, 2, 1], learning_rate: 0.03, dataset: { name: 'circle' } }, diverged: null, history: [],
});

function store() {
  const s = createStore(makeTransitions(ids));
  const heard = [];
  s.subscribe((action) => heard.push(action));
  return { s, heard };
}

test('state changes only through named actions, and subscribers hear each', () => {
  const { s, heard } = store();
  s.dispatch('adopted', net());
  s.dispatch('selected', { kind: 'neuron', id: 'L1N0' });
  assert.deepEqual(heard, ['adopted', 'selected']);
  assert.equal(s.state.id, 'n1');
  assert.throws(() => s.dispatch('noSuchAction'), /no action named noSuchAction/);
});

test('the accepted configuration changes only with the server’s answer', () => {
  const { s } = store();
  s.dispatch('adopted', net());
  const before = s.state.config;
  s.dispatch('changeRefused');
  assert.equal(s.state.config, before);
  s.dispatch('stateReceived', { ...net(), config: { ...net().config, learning_rate: 0.3 } });
  assert.equal(s.state.config.learning_rate, 0.3);
  assert.notEqual(s.state.config, before, 'a new object, so views know it changed');
});

test('a new network drops what was traced and a selection it does not have', () => {
  const { s } = store();
  s.dispatch('adopted', net());
  s.dispatch('selected', { kind: 'weight', id: 'L1N1-L2N0' });
  s.dispatch('traceReceived', [{ phase: 'forward', layer: 1, step: 0, batch: [4, 2] }]);
  assert.ok(s.state.trace);
  s.dispatch('adopted', net());
  assert.equal(s.state.trace, null);
  assert.deepEqual(s.state.selection, { kind: 'weight', id: 'L1N1-L2N0' });
  s.dispatch('adopted', { ...net(), layers: [2, 1], neuron_ids: [['L0N0', 'L0N1'], ['L1N0']] });
  assert.equal(s.state.selection, null);
});

test('selections exist only where the network has them', () => {
  const n = net();
  assert.ok(selectionExists({ kind: 'neuron', id: 'L2N0' }, n, ids));
  assert.ok(selectionExists({ kind: 'bias', id: 'L1N1-bias' }, n, ids));
  assert.ok(!selectionExists({ kind: 'bias', id: 'L0N1-bias' }, n, ids), 'inputs have no bias');
  assert.ok(selectionExists({ kind: 'weight', id: 'L0N1-L1N0' }, n, ids));
  assert.ok(!selectionExists({ kind: 'weight', id: 'L0N1-L2N0' }, n, ids), 'no weight skips a layer');
});

test('a traced iteration: gradients from backward, Δw and new weights from update', () => {
  const { s } = store();
  s.dispatch('adopted', net());
  s.dispatch('traceReceived', [{ phase: 'forward', layer: 1, step: 0, batch: [7, 8, 9] }]);
  s.state.sample = 2;
  s.dispatch('traceReceived', [{ phase: 'backward', layer: 2, step: 0, grad_weights: [[0.1], [0.2]] }]);
  assert.deepEqual(s.state.gradients, [null, [[0.1], [0.2]]]);
  s.dispatch('traceReceived', [{ phase: 'update', layer: 2, step: 0, delta_weights: [[-1], [-1]], weights_after: [[4], [5]],
    biases_after: [1] }]);
  assert.deepEqual(s.state.net.weights[1], [[4], [5]]);
  assert.deepEqual(s.state.trace.weights[1], [[5], [6]], 'the trace keeps the weights its forward pass used');
  assert.deepEqual(s.state.lastPhase, { name: 'update', layer: null });
  assert.equal(s.state.sample, 2);
  s.dispatch('sampleChosen', 9);
  assert.equal(s.state.sample, 2, 'clamped to the batch');
});

test('frames while playing carry ∂E/∂w, and Δw is the change between frames', () => {
  const { s } = store();
  s.dispatch('adopted', net());
  s.dispatch('playing', true);
  s.dispatch('frameReceived', { step: 10, weights: [[[1, 2], [3, 5]], [[5], [7]]], grad_weights: [[[0, 0], [0, 1]], [[0], [1]]] });
  assert.equal(s.state.net.step, 10);
  assert.deepEqual(s.state.updates, [[[0, 0], [0, 1]], [[0], [1]]]);
  assert.deepEqual(s.state.gradients, [[[0, 0], [0, 1]], [[0], [1]]]);
  s.state.chain = { product: 1 };
  s.dispatch('playing', false);
  assert.equal(s.state.chain, null, 'the chain rule is asked again once the weights stop');
});

test('view options and the initial state', () => {
  const fresh = initialState();
  assert.equal(fresh.view.edgeMode, 'weights');
  const { s } = store();
  s.dispatch('viewChanged', { showNumbers: true });
  assert.equal(s.state.view.showNumbers, true);
  assert.equal(s.state.view.edgeMode, 'weights');
});
