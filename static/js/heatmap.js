// Heatmaps: decodes the server's quantised R×R grids (base64 of uint8, row 0 = top) and paints them
// onto canvases with the diverging palette. One lookup table of 256 colours per neuron per frame, so
// a frame costs one pass over the bytes.
import { palette, rgbOf, scaleFor } from './palette.js';

export function decodeBytes(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}

// Grid entry {id, min, max, data | values} → {id, min, max, bytes, resolution}
export function decodeGrid(entry, resolution) {
  let bytes;
  if (entry.data !== undefined) {
    bytes = decodeBytes(entry.data);
  } else {
    const flat = entry.values.flat();
    const span = entry.max - entry.min || 1;
    bytes = Uint8Array.from(flat, (v) => Math.round(((v - entry.min) / span) * 255));
  }
  return { id: entry.id, min: entry.min, max: entry.max, bytes, resolution };
}

// Colours for the 256 byte values of one grid, packed as little-endian RGBA words.
function lookupTable(grid, activation, discrete) {
  const { mid, half } = scaleFor(activation, grid.min, grid.max);
  const lut = new Uint32Array(256);
  const span = grid.max - grid.min;
  const colours = paletteWords();
  for (let b = 0; b < 256; b += 1) {
    let t = (grid.min + (b / 255) * span - mid) / half;
    if (discrete) t = t > 0 ? 1 : -1;
    lut[b] = colours[Math.round((Math.max(-1, Math.min(1, t)) + 1) * 255)];
  }
  return lut;
}

// The palette sampled at 511 points of [-1, 1], as RGBA words; rebuilt when the palette changes.
let cachedWords = null;
let cachedFor = null;
function paletteWords() {
  if (cachedFor !== palette()) {
    cachedFor = palette();
    cachedWords = new Uint32Array(511);
    for (let i = 0; i < 511; i += 1) {
      const [r, g, b] = rgbOf(i / 255 - 1);
      cachedWords[i] = (255 << 24) | ((b & 255) << 16) | ((g & 255) << 8) | (r & 255);
    }
  }
  return cachedWords;
}

// Paint one grid onto `canvas` at the grid's own resolution; CSS scales it to the node's size.
export function paintGrid(canvas, grid, activation, { discrete = false } = {}) {
  const R = grid.resolution;
  if (canvas.width !== R || canvas.height !== R) {
    canvas.width = R;
    canvas.height = R;
    canvas.image = null;
  }
  const ctx = canvas.getContext('2d');
  if (!canvas.image) canvas.image = ctx.createImageData(R, R);
  const words = new Uint32Array(canvas.image.data.buffer);
  const lut = lookupTable(grid, activation, discrete);
  const { bytes } = grid;
  for (let i = 0; i < words.length; i += 1) words[i] = lut[bytes[i]];
  ctx.putImageData(canvas.image, 0, 0);
}

