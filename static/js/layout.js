// Where everything of the network drawing goes, as plain numbers: node size and font, one column per
// layer, one row per neuron, and a compact row for each unused input feature so the inputs do not
// squeeze the neurons. Edges are cubic Bézier curves between node sides. Pure geometry: no DOM.

export const TOP = 54;           // room for the per-layer headers
export const INPUT_X = 96;       // left edge of the input nodes (feature toggles sit to their left)
export const RIGHT = 118;        // room right of the output nodes for the error callout (eq. 5)
export const COMPACT = 0.5;      // an unused feature's row, as a fraction of a full row
export const UNUSED_MIN = 26;    // … and its least height (px), room for its dashed box
export const ROW_MAX = 110;      // a row's height at most: a tall stage (1920×1080) is filled, nodes stay ≤ 48 px

// layers: neurons per layer; features: [{selected}] per input slot, or null (every input a neuron);
// width, height: the stage; zoom: 1, or more in projector mode.
// → {size, font, xs, positions[l][i] = {x, y}, slots: [{feature, top, height, selected}]}
// fill: rows share the whole height (presenter mode) instead of at most ROW_MAX px each.
export function layoutNetwork({ layers, features, width, height, zoom = 1, fill = false }) {
  const slotsIn = features || Array.from({ length: layers[0] }, () => ({ selected: true }));
  const inputUnits = slotsIn.reduce((n, f) => n + (f.selected ? 1 : COMPACT), 0);
  const rows = Math.max(inputUnits, ...layers.slice(1));
  const top = TOP + (zoom - 1) * 40;
  const room = height - top - 8;
  let rowH = Math.min(fill ? Infinity : ROW_MAX, room / rows);
  const unused = slotsIn.filter((f) => !f.selected).length;
  if (rowH * COMPACT < UNUSED_MIN && unused) { // unused rows keep their least height: the used ones give it up
    rowH = Math.min(rowH, (room - UNUSED_MIN * unused) / Math.max(1, slotsIn.length - unused));
  }
  const size = Math.max(18, Math.min(48, rowH * 0.74));
  const font = Math.max(9, Math.min(12, size * 0.25)) * zoom;
  const last = width - size - RIGHT * zoom;
  const xs = layers.map((_, l) => (l === 0 ? INPUT_X : INPUT_X + ((last - INPUT_X) * l) / (layers.length - 1)));
  const yOf = (i) => top + i * rowH + (rowH - size) / 2;
  // Input slots: every feature has a row; selected ones are neurons, in selection order.
  const slots = [];
  const inputRows = [];
  let cursor = top;
  for (const feature of slotsIn) {
    const h = feature.selected ? rowH : Math.max(UNUSED_MIN, rowH * COMPACT);
    slots.push({ feature, top: cursor, height: h, selected: Boolean(feature.selected) });
    if (feature.selected) inputRows.push(cursor + (rowH - size) / 2);
    cursor += h;
  }
  const positions = layers.map((n, l) => Array.from({ length: n }, (_, i) => ({
    x: xs[l], y: l === 0 ? inputRows[i] : yOf(i),
  })));
  return { size, font, xs, positions, slots };
}

// The curve from the right side of node `from` to the left side of node `to` (size S):
// its SVG path and its four control points.
export function edgeCurve(from, to, S) {
  const x1 = from.x + S; const y1 = from.y + S / 2;
  const x2 = to.x; const y2 = to.y + S / 2;
  const mx = (x1 + x2) / 2;
  return { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, ends: [[x1, y1], [mx, y1], [mx, y2], [x2, y2]] };
}

export function bezierPoint(p0, p1, p2, p3, t) {
  const u = 1 - t;
  const a = u * u * u; const b = 3 * u * u * t; const c = 3 * u * t * t; const d = t * t * t;
  return [a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]];
}
