import assert from 'node:assert/strict';
import { test } from 'node:test';

import { depthOf, describePhase, phaseList } from '../../static/js/phases.js';
import { SCHEDULE } from './fixtures.mjs';

test('one iteration: forward 1..L, the loss, backward L..1, the update, as served', () => {
  const names = phaseList(3, SCHEDULE).map((p) => `${p.name}${p.layer ?? ''}`);
  assert.deepEqual(names, ['forward1', 'forward2', 'forward3', 'loss', 'backward3', 'backward2', 'backward1', 'update']);
  assert.equal(depthOf(8, SCHEDULE), 3);
  assert.equal(depthOf(4, SCHEDULE), 1);
});

test('the order is the server’s, not the page’s', () => {
  const other = { phase_order: ['loss', 'forward'], phase_layers: { forward: 'L..1' } };
  assert.deepEqual(phaseList(2, other), [{ name: 'loss', layer: null }, { name: 'forward', layer: 2 }, { name: 'forward', layer: 1 }]);
  assert.equal(depthOf(3, other), 2);
});

test('each phase names its equation', () => {
  assert.match(describePhase({ name: 'forward', layer: 2 }), /layer 2 · eq. 1/);
  assert.match(describePhase({ name: 'loss' }, 'mse'), /eq. 5/);
  assert.match(describePhase({ name: 'backward', layer: 1 }), /eq. 4/);
  assert.match(describePhase({ name: 'update' }), /eq. 6/);
  assert.equal(describePhase(null), '');
});
