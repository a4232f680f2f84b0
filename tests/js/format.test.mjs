import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatNumber, percent, powerOfTen, readout, sig, subscript } from '../../static/js/format.js';

test('formatNumber keeps labels short, with a true minus sign', () => {
  assert.equal(formatNumber(0.123456), '0.123');
  assert.equal(formatNumber(-0.123456), '−0.123');
  assert.equal(formatNumber(1234.5678, 4), '1235');
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(12345), '1.23e+4');
  assert.equal(formatNumber(-0.0001234, 2), '−1.2e−4');
});

test('readout writes large numbers as powers of ten, as the chart axes do', () => {
  assert.equal(readout(3014412.5), '3.01×10⁶');
  assert.equal(readout(-99960), '−1×10⁵');
  assert.equal(readout(0.48321), '0.4832');
  assert.equal(readout(null), '—');
  assert.equal(powerOfTen(-3), '10⁻³');
  assert.equal(powerOfTen(0), '1');
});

test('formatNumber shows a dash for what is not a number yet', () => {
  for (const missing of [null, undefined, NaN]) assert.equal(formatNumber(missing), '—');
});

test('sig gives six significant digits in ASCII, comparable with the API', () => {
  assert.equal(sig(0.8128361234), '0.812836');
  assert.equal(sig(-0.386328123), '-0.386328');
  assert.equal(sig(1e-7), '1.00000e-7');
  assert.equal(sig(2345678), '2.34568e+6');
  assert.equal(sig(0), '0');
  assert.equal(sig(null), '—');
  assert.equal(sig(Infinity), 'Infinity');
});

test('percent and subscripts', () => {
  assert.equal(percent(0.5), '50%');
  assert.equal(percent(0.59234, 1), '59.2%');
  assert.equal(subscript(12), '₁₂');
});
