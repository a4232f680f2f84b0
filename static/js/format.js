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

// A fraction as a whole percentage ("50%"), for accuracies and the train/test split.
export const percent = (fraction, decimals = 0) => `${(100 * fraction).toFixed(decimals)}%`;

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
export const subscript = (n) => String(n).split('').map((d) => SUBSCRIPTS[Number(d)]).join('');
