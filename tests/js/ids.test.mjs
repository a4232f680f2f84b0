import assert from 'node:assert/strict';
import { test } from 'node:test';

import { makeIds } from '../../static/js/ids.js';
import { IDS } from './fixtures.mjs';

const ids = makeIds(IDS);

test('neuron ids parse to layer and index', () => {
  assert.deepEqual(ids.neuron('L1N3'), { layer: 1, index: 3 });
  assert.deepEqual(ids.neuron('L12N10'), { layer: 12, index: 10 });
  assert.equal(ids.neuron('L1N03'), null);
  assert.equal(ids.neuron('L1N0-bias'), null);
});

test('weight ids parse to weights[k][i][j] and their two neurons, whatever their lengths', () => {
  assert.deepEqual(ids.weight('L0N2-L1N0'), { k: 0, i: 2, j: 0, from: 'L0N2', to: 'L1N0' });
  assert.deepEqual(ids.weight('L1N10-L2N3'), { k: 1, i: 10, j: 3, from: 'L1N10', to: 'L2N3' });
  assert.equal(ids.weight('L0N2'), null);
});

test('bias ids parse to their neuron', () => {
  assert.deepEqual(ids.bias('L1N0-bias'), { layer: 1, index: 0, neuron: 'L1N0' });
  assert.equal(ids.bias('L1N0'), null);
  assert.equal(ids.neuronOf('L2N1-bias'), 'L2N1');
  assert.equal(ids.neuronOf('L2N1'), 'L2N1');
  assert.equal(ids.neuronOf('L1N0-L2N1'), null);
});

test('built ids follow the served grammar', () => {
  assert.equal(ids.weightId('L0N2', 'L1N0'), 'L0N2-L1N0');
  assert.equal(ids.biasId('L1N0'), 'L1N0-bias');
  assert.match(ids.weightId('L3N7', 'L4N11'), new RegExp(IDS.weight));
  assert.match(ids.biasId('L3N7'), new RegExp(IDS.bias));
});

test('another joiner and suffix in the grammar are read off it', () => {
  const other = makeIds({ neuron: '^n(\\d+)_(\\d+)$', weight: '^n(\\d+)_(\\d+)>n(\\d+)_(\\d+)$', bias: '^n(\\d+)_(\\d+)\\.b$' });
  assert.equal(other.weightId('n0_1', 'n1_0'), 'n0_1>n1_0');
  assert.equal(other.biasId('n1_0'), 'n1_0.b');
  assert.deepEqual(other.weight('n0_1>n1_0'), { k: 0, i: 1, j: 0, from: 'n0_1', to: 'n1_0' });
});

test('a grammar that does not build weights from neurons is refused', () => {
  assert.throws(() => makeIds({ neuron: '^a(\\d+)b(\\d+)$', weight: '^w(\\d+)$', bias: '^a(\\d+)b(\\d+)-bias$' }));
});
