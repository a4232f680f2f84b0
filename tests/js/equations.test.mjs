import assert from 'node:assert/strict';
import { test } from 'node:test';

import { bias, neuron, overview, weight } from '../../static/js/cards.js';
import {
  activationEquation, chainEquation, deltaEquation, errorFormula, updateEquation, weightedSum,
} from '../../static/js/equations.js';
import { makeIds } from '../../static/js/ids.js';
import { mi } from '../../static/js/mathml.js';
import { IDS } from './fixtures.mjs';

// Every number an equation shows, by its test id.
const numbers = (html) => Object.fromEntries([...html.matchAll(/data-testid="([^"]+)" data-value="([^"]*)"/g)]
  .map(([, id, value]) => [id, value]));

test('eq. 1 shows each term and the result with their exact values', () => {
  const W = [[0.5, -1], [2, 0.25]];
  const html = weightedSum(W, 1, [0.1, -0.2], 0.3, -0.05, 2);
  const n = numbers(html);
  assert.deepEqual([n['eq1-w-0'], n['eq1-a-0'], n['eq1-w-1'], n['eq1-a-1'], n['eq1-b'], n['eq1-z']],
    ['-1', '0.1', '0.25', '-0.2', '0.3', '-0.05']);
  assert.match(html, /z equals -1 times 0.1 plus 0.25 times -0.2 plus bias 0.3, equals -0.05/);
  assert.match(html, /<mi>a<\/mi>/, 'a hidden layer sums activations');
  assert.match(weightedSum(W, 0, null, 0, null, 1), /<mi>x<\/mi>/, 'the first layer sums inputs');
});

test('eq. 1 breaks over lines from two weights on, three terms a line', () => {
  const W = Array.from({ length: 8 }, () => [1]);
  const wide = weightedSum(W, 0, null, 0, null, 2);
  assert.equal(wide.match(/<mtr>/g).length, 1 + 3 + 1, 'the symbols, 8 products and b three a line, z');
  assert.match(weightedSum(W.slice(0, 2), 0, null, 0, null, 2), /<mtable/);
  assert.doesNotMatch(weightedSum(W.slice(0, 1), 0, null, 0, null, 2), /<mtable/);
});

test('activation, δ, error and chain rule carry their numbers', () => {
  assert.equal(numbers(activationEquation('relu', 0.7))['eq2-a'], '0.7');
  assert.deepEqual(numbers(deltaEquation(0.5, 0.2, 0.1)), { 'delta-dE_da': '0.5', 'delta-da_dz': '0.2', 'delta-value': '0.1' });
  assert.deepEqual(numbers(deltaEquation(null, null, 0.1)), { 'delta-value': '0.1' });
  assert.match(errorFormula('binary_cross_entropy'), /log/);
  const chain = { factors: { dE_da: 2, da_dz: 0.5, dz_dw: -1 }, product: -1, delta: 1 };
  assert.deepEqual(numbers(chainEquation(chain, mi('w'))), { 'chain-dE_da': '2', 'chain-da_dz': '0.5', 'chain-dz_dw': '-1', 'chain-product': '-1' });
});

test('eq. 4 puts its factors in symbols over their numbers (one line overflows a card at 1024 px)', () => {
  assert.equal(deltaEquation(0.5, 0.2, 0.1).match(/<mtr>/g).length, 2);
  const chain = { factors: { dE_da: 2, da_dz: 0.5, dz_dw: -1 }, product: -1, delta: 1 };
  assert.equal(chainEquation(chain, mi('w')).match(/<mtr>/g).length, 2);
  assert.equal(chainEquation({ ...chain, factors: { ...chain.factors, da_dz: null } }, mi('w')).match(/<mtr>/g).length, 2);
});

test('eq. 6 shows the terms in play', () => {
  const u = { learning_rate: 0.1, weights_before: 1, grad_weights: 2, weights_after: 0.75, delta_weights: -0.25,
    regularization_term: -0.01, momentum_term: -0.04 };
  const { equation, extra } = updateEquation(u, mi('w'), 'update', 'l1');
  assert.equal(numbers(equation)['update-lr'], '0.1');
  assert.match(equation, /sign/);
  assert.match(extra, /regularisation term/);
  assert.match(extra, /momentum term/);
  const plain = updateEquation({ ...u, regularization_term: 0, momentum_term: 0 }, mi('w'), 'update');
  assert.doesNotMatch(plain.equation, /λ|μ/);
  // symbols, then the numbers: the extra terms and the result on a line of their own
  assert.equal(equation.match(/<mtr>/g).length, 3);
  assert.equal(plain.equation.match(/<mtr>/g).length, 2);
});

const ids = makeIds(IDS);
const state = {
  layers: [2, 2, 1], neuron_ids: [['L0N0', 'L0N1'], ['L1N0', 'L1N1'], ['L2N0']],
  weights: [[[0.1, 0.2], [0.3, 0.4]], [[0.5], [0.6]]], biases: [[0, 0.1], [0.2]], phase: { name: 'loss' },
  activations: [null, 'tanh', 'sigmoid'], config: { loss: 'mse', regularization: 'none' },
};

test('the overview shows the activations and loss in use', () => {
  const html = overview({ state });
  assert.match(html, /hidden activation: tanh/);
  assert.match(html, /output activation: sigmoid/);
  assert.match(html, /error: squared error/);
  assert.doesNotMatch(html, /ReLU/);
  const cce = overview({ state: { ...state, activations: [null, 'relu', 'softmax'], config: { loss: 'categorical_cross_entropy' } } });
  assert.match(cce, /error: categorical cross-entropy/);
  assert.match(overview({ state: { ...state, phase: { name: 'forward', layer: 2 } } }), /current"\s+data-eq="3"/);
});

test('the overview highlights what the next phase computes', () => {
  assert.match(overview({ state }), /class="eq-card current"\s+data-eq="5"/);
  assert.doesNotMatch(overview({ state }), /current"\s+data-eq="1"/);
});

test('cards for a neuron, a weight and a bias name them by the served ids', () => {
  const ctx = { state, trace: null, sample: 0, inputLabels: ['x1', 'x2'], ids, chain: null, chainError: null };
  const n = neuron({ ...ctx, selection: { kind: 'neuron', id: 'L1N1' } });
  assert.match(n, /Neuron L1N1 · hidden layer 1/);
  assert.match(n, /data-select="weight:L0N1-L1N1"/);
  assert.match(n, /data-select="bias:L1N1-bias"/);
  assert.equal(numbers(n)['eq1-w-1'], '0.4');
  const w = weight({ ...ctx, selection: { kind: 'weight', id: 'L1N1-L2N0' } });
  assert.match(w, /Weight L1N1-L2N0 · from L1N1 to L2N0/);
  assert.match(w, /asking the server/);
  assert.match(w, /value="0.6"/);
  const b = bias({ ...ctx, selection: { kind: 'bias', id: 'L2N0-bias' } });
  assert.match(b, /Bias L2N0-bias/);
  assert.match(b, /value="0.2"/);
});
