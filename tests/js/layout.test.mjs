import assert from 'node:assert/strict';
import { test } from 'node:test';

import { placeLabels } from '../../static/js/labels.js';
import { INPUT_X, bezierPoint, edgeCurve, layoutNetwork } from '../../static/js/layout.js';
import { lossLines, nodeValuesFor } from '../../static/js/samples.js';

test('one column per layer, inputs at the left, rows that fit the stage', () => {
  const l = layoutNetwork({ layers: [2, 4, 1], features: null, width: 800, height: 400 });
  assert.deepEqual(l.positions.map((col) => col.length), [2, 4, 1]);
  assert.equal(l.xs[0], INPUT_X);
  assert.ok(l.xs[0] < l.xs[1] && l.xs[1] < l.xs[2]);
  const bottom = Math.max(...l.positions.flat().map((p) => p.y)) + l.size;
  assert.ok(bottom <= 400, `${bottom}`);
  assert.ok(l.size >= 18 && l.size <= 48);
});

test('unused features get compact rows, and only used ones become input neurons', () => {
  const features = [{ selected: true }, { selected: false }, { selected: true }];
  const l = layoutNetwork({ layers: [2, 2, 1], features, width: 800, height: 400 });
  assert.equal(l.slots.length, 3);
  assert.ok(l.slots[1].height < l.slots[0].height);
  assert.equal(l.positions[0].length, 2);
  assert.ok(l.positions[0][1].y > l.slots[1].top, 'the second input sits below the unused row');
});

test('on a short stage the unused features\' rows still fit under the used ones', () => {
  const features = [{ selected: true }, { selected: true }, ...Array.from({ length: 5 }, () => ({ selected: false }))];
  const l = layoutNetwork({ layers: [2, 4, 1], features, width: 800, height: 250 });
  const last = l.slots[l.slots.length - 1];
  assert.ok(last.top + last.height <= 250, `${last.top + last.height}`);
  assert.ok(Math.max(...l.positions.flat().map((p) => p.y)) + l.size <= 250);
});

test('edges run from one node side to the next; their ends are the curve ends', () => {
  const { d, ends } = edgeCurve({ x: 0, y: 0 }, { x: 100, y: 50 }, 20);
  assert.equal(d, 'M20,10 C60,10 60,60 100,60');
  assert.deepEqual(bezierPoint(...ends, 0), [20, 10]);
  assert.deepEqual(bezierPoint(...ends, 1), [100, 60]);
  assert.deepEqual(bezierPoint(...ends, 0.5), [60, 35]);
});

test('labels never overlap an obstacle or each other; no room, no label', () => {
  const along = (y) => ({ width: 10, height: 6, prefer: 0.5, at: (t) => [t * 100, y] });
  const [a, b] = placeLabels([along(0), along(0)], [{ x: 45, y: -5, w: 10, h: 10 }]);
  assert.ok(Math.abs(a.x - b.x) >= 10);
  for (const p of [a, b]) assert.ok(p.x + 5 <= 45 || p.x - 5 >= 55);
  const [none] = placeLabels([{ width: 10, height: 6, prefer: 0.5, at: () => [0, 0] }], [{ x: -50, y: -50, w: 100, h: 100 }]);
  assert.equal(none, null);
});

test('a sample’s numbers go on the nodes the server named', () => {
  const trace = { records: new Map([
    ['forward:1', { phase: 'forward', layer: 1, a_prev: [[0.5, -2]], a: [[0.25]] }],
    ['backward:1', { phase: 'backward', layer: 1, delta: [[-0.5]] }],
    ['loss:null', { phase: 'loss', y_hat: [[0.25]], y: [[1]], per_sample: [0.28125] }],
  ]) };
  const values = nodeValuesFor(trace, 0, [null, 'tanh'], [['A', 'B'], ['C']]);
  assert.equal(values.A.text, '0.5');
  assert.equal(values.B.fill, -1, 'inputs scale by the largest');
  assert.equal(values.C.fill, 0.25);
  assert.equal(values.C.delta, -1);
  assert.equal(values.C.deltaText, 'δ −0.5');
  assert.deepEqual(lossLines(trace, 0, 'mse'), ['eq. 5 · error', 'ŷ = 0.25', 'y = 1', 'E = ½(y − ŷ)²', '  = 0.2813']);
});
