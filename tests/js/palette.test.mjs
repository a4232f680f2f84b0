import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PALETTES, backwardColour, classColour, cssOf, palette, rgbOf, scaleFor, signColour } from '../../static/js/palette.js';

const p = PALETTES['orange-blue'];

test('the diverging scale: neutral at 0, the sign colours at ±1, clamped beyond', () => {
  assert.deepEqual(rgbOf(0), p.neutral);
  assert.deepEqual(rgbOf(1), p.positive);
  assert.deepEqual(rgbOf(-1), p.negative);
  assert.deepEqual(rgbOf(5), p.positive);
  assert.deepEqual(rgbOf(undefined), p.neutral);
  const half = rgbOf(0.5);
  half.forEach((c, k) => assert.equal(c, (p.neutral[k] + p.positive[k]) / 2));
  assert.equal(cssOf(-1), `rgb(${p.negative.join(',')})`);
});

test('signs, error signals and classes have their own colours', () => {
  assert.equal(signColour(-0.001), `rgb(${p.negative.join(',')})`);
  assert.equal(signColour(2), `rgb(${p.positive.join(',')})`);
  assert.equal(backwardColour(0.3), p.backward);
  assert.equal(backwardColour(-0.3), p.backwardNegative);
  assert.equal(classColour(1), p.classes[1]);
  assert.equal(classColour(p.classes.length), p.classes[0]);
  assert.equal(palette(), p);
});

test('every palette keeps the backward pair apart from the forward pair', () => {
  for (const q of Object.values(PALETTES)) {
    const forward = [q.negative, q.positive].map((c) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`);
    assert.ok(!forward.includes(q.backward) && !forward.includes(q.backwardNegative), q.label);
  }
});

test('value scales: fixed for bounded activations, symmetric otherwise', () => {
  assert.deepEqual(scaleFor('tanh', -3, 3), { mid: 0, half: 1 });
  assert.deepEqual(scaleFor('sigmoid', 0.2, 0.4), { mid: 0.5, half: 0.5 });
  assert.deepEqual(scaleFor('relu', -2, 5), { mid: 0, half: 5 });
  assert.equal(scaleFor('linear', 0, 0).half, 1e-9);
});
