// How numbers read on the page: `formatNumber` for the drawing (few digits, a true minus sign, so a
// label stays short) and `sig` for the inspector's equations (six significant digits, ASCII, so a
// value can be compared with the API's). Pure functions; nothing here rounds what is sent back.

export function formatNumber(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e4 || abs < 1e-3) return value.toExponential(Math.max(digits - 1, 1)).replaceAll('-', '−');
  return Number(value.toPrecision(digits)).toString().replaceAll('-', '−');
}

export function sig(value, digits = 6) {
  if (value === null || value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e6 || abs < 1e-4) return value.toExponential(digits - 1);
  return Number(value.toPrecision(digits)).toString();
}

const SUPERSCRIPTS = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

// 10 to an integer power, as "10⁻³" (and "1" for 10⁰): chart axes and large readouts.
export function powerOfTen(exponent) {
  if (exponent === 0) return '1';
  return `10${String(exponent).split('').map((c) => SUPERSCRIPTS[c]).join('')}`;
}

// A readout people read (the loss numbers): `formatNumber`, except that 10 000 and more read
// "3.01×10⁶", as on the chart's axis, never "3.01e+6".
export function readout(value, digits = 4) {
  if (!Number.isFinite(value) || Math.abs(value) < 1e4) return formatNumber(value, digits);
  let e = Math.floor(Math.log10(Math.abs(value)));
  let m = Number((value / 10 ** e).toPrecision(digits - 1));
  if (Math.abs(m) >= 10) { m /= 10; e += 1; }
  return `${formatNumber(m, digits - 1)}×${powerOfTen(e)}`;
}

// A fraction as a whole percentage ("50%"), for accuracies and the train/test split.
export const percent = (fraction, decimals = 0) => `${(100 * fraction).toFixed(decimals)}%`;

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
export const subscript = (n) => String(n).split('').map((d) => SUBSCRIPTS[Number(d)]).join('');
