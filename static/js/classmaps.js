// Pictures of several class outputs in the classes' own colours: each output neuron's heatmap runs from
// the neutral colour to its class colour, and the output map mixes the class colours by the network's
// confidence (the winning class's share above chance), so borders are smooth and unsure regions pale.
// Left out: single-output maps and hidden neurons (heatmap.js paints those on the diverging scale).
import { classColour, palette } from './palette.js';

export function hexRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// An output's value as a share in [0, 1]: softmax and sigmoid are already, tanh spans [−1, 1], any
// other activation is scaled over its grid's range.
function shareOf(activation, grid) {
  if (activation === 'softmax' || activation === 'sigmoid') return (v) => v;
  if (activation === 'tanh') return (v) => (v + 1) / 2;
  const span = grid.max - grid.min || 1;
  return (v) => (v - grid.min) / span;
}

function valuesOf(grid) {
  const step = (grid.max - grid.min) / 255;
  return Float32Array.from(grid.bytes, (b) => grid.min + b * step);
}

function sized(canvas, R) {
  if (canvas.width !== R || canvas.height !== R) { canvas.width = R; canvas.height = R; canvas.image = null; }
  const ctx = canvas.getContext('2d');
  if (!canvas.image) canvas.image = ctx.createImageData(R, R);
  return ctx;
}

// One output neuron (class `k`): neutral where its share is 0, its class colour where it is 1.
export function paintClassNeuron(canvas, grid, activation, k) {
  const R = grid.resolution;
  const ctx = sized(canvas, R);
  const [r, g, b] = hexRgb(classColour(k));
  const n = palette().neutral;
  const share = shareOf(activation, grid);
  const values = valuesOf(grid);
  const data = canvas.image.data;
  for (let p = 0; p < values.length; p += 1) {
    const t = Math.max(0, Math.min(1, share(values[p])));
    data[p * 4] = n[0] + (r - n[0]) * t;
    data[p * 4 + 1] = n[1] + (g - n[1]) * t;
    data[p * 4 + 2] = n[2] + (b - n[2]) * t;
    data[p * 4 + 3] = 255;
  }
  ctx.putImageData(canvas.image, 0, 0);
}

// Every output: the class colours mixed by their shares, paled towards neutral where the network is
// unsure; `discrete` paints the winning class only.
export function paintClassMap(canvas, grids, activation, discrete = false) {
  const R = grids[0].resolution;
  const ctx = sized(canvas, R);
  const K = grids.length;
  const colours = grids.map((_, k) => hexRgb(classColour(k)));
  const n = palette().neutral;
  const values = grids.map(valuesOf);
  const shares = grids.map((g) => shareOf(activation, g));
  const data = canvas.image.data;
  const w = new Float32Array(K);
  for (let p = 0; p < R * R; p += 1) {
    let total = 0; let best = 0;
    for (let k = 0; k < K; k += 1) {
      w[k] = Math.max(0, shares[k](values[k][p]));
      total += w[k];
      if (w[k] > w[best]) best = k;
    }
    const rgb = [0, 0, 0];
    if (discrete || total <= 0) {
      rgb[0] = colours[best][0]; rgb[1] = colours[best][1]; rgb[2] = colours[best][2];
    } else {
      for (let k = 0; k < K; k += 1) for (let c = 0; c < 3; c += 1) rgb[c] += (colours[k][c] * w[k]) / total;
    }
    // Confidence: the winner's share above chance (1/K), 0 when all are equal, 1 when one has it all.
    const conf = discrete || total <= 0 ? 1 : Math.max(0, (w[best] / total - 1 / K) / (1 - 1 / K));
    const keep = 0.25 + 0.75 * conf;
    for (let c = 0; c < 3; c += 1) data[p * 4 + c] = n[c] + (rgb[c] - n[c]) * keep;
    data[p * 4 + 3] = 255;
  }
  ctx.putImageData(canvas.image, 0, 0);
}
