import { test } from 'node:test';
import assert from 'node:assert/strict';
import { curveValues, isCurve, valueRange } from '../../static/js/curve.js';

const plane = { x: { input: 0, min: -1, max: 1 }, y: null, fixed: [] };

test('one input and one target make a curve; labels, two inputs or several targets do not', () => {
  assert.equal(isCurve(plane, { kind: 'regression', y_train: [[0.5], [1]] }), true);
  assert.equal(isCurve(plane, { kind: 'regression', y_train: [0.5, 1] }), true);
  assert.equal(isCurve(plane, { kind: 'classification', y_train: [0, 1] }), false);
  assert.equal(isCurve(plane, { kind: 'regression', y_train: [[0.5, 1]] }), false);
  assert.equal(isCurve({ ...plane, y: { input: 1 } }, { kind: 'regression', y_train: [1] }), false);
  assert.equal(isCurve(null, { kind: 'regression', y_train: [1] }), false);
});

test('the curve reads row 0 of the grid back into output values', () => {
  const grid = { min: -2, max: 2, resolution: 3, bytes: Uint8Array.from([0, 255, 0, 9, 9, 9, 9, 9, 9]) };
  assert.deepEqual(curveValues(grid), [-2, 2, -2]);
});

test('the value axis holds the curve and every target with a margin', () => {
  const r = valueRange([0, 1], [[2], [-1]]);
  assert.ok(r.min < -1 && r.max > 2);
  assert.ok(Math.abs((r.max - 2) - 0.24) < 1e-12);
  const flat = valueRange([3, 3], [3]);
  assert.ok(flat.min < 3 && flat.max > 3);
  assert.deepEqual(valueRange([], []), { min: -1, max: 1 });
});
