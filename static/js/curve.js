// One input and one target: the output map as a graph, not a strip. The network's output along the
// input is a curve (from row 0 of the output grid: with one input every row is alike), the training
// points stand at their targets, and the vertical axis is the value, shared by both, so a student
// sees the fit as in a textbook plot. The heatmap stays behind as the colour of the same value.
// Left out: classification with one input (its points have labels, not values, and keep the strip)
// and data with several targets (one curve a target would hide the points).

// plane: the grids' `plane`; data: GET …/data. True when the map should be drawn as a curve.
export function isCurve(plane, data) {
  if (!plane || plane.y || plane.fixed.length || !data || data.kind !== 'regression') return false;
  const first = data.y_train?.[0];
  return !Array.isArray(first) || first.length === 1;
}

// grid: a decoded output grid {min, max, bytes, resolution} → the R output values along the input.
export function curveValues(grid) {
  const span = grid.max - grid.min;
  return Array.from({ length: grid.resolution }, (_, i) => grid.min + (grid.bytes[i] / 255) * span);
}

export const targetOf = (y) => (Array.isArray(y) ? y[0] : y);

// The value axis: every curve value and target inside, with a margin; a flat set gets a unit span.
export function valueRange(values, targets) {
  let lo = Infinity; let hi = -Infinity;
  for (const v of [...values, ...targets.map(targetOf)]) {
    if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  if (lo === Infinity) return { min: -1, max: 1 };
  if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
  const pad = (hi - lo) * 0.08;
  return { min: lo - pad, max: hi + pad };
}
