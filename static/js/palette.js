// Colour scales shared by every view: a diverging scale centred on a neutral value (negative one way,
// positive the other), class colours, and a second signed pair for the backward pass (error signals
// δ = ∂E/∂z), so it never reads as a forward value. Every pair is colour-blind safe (ColorBrewer /
// Playground): orange/blue with magenta/green (PiYG), purple/green with orange/blue.

export const PALETTES = {
  'orange-blue': { label: 'Orange / blue', negative: [245, 147, 34], neutral: [232, 234, 235],
    positive: [8, 119, 189], classes: ['#f59322', '#0877bd', '#6a3d9a'],
    backward: '#c51b7d', backwardNegative: '#4d9221' },
  'purple-green': { label: 'Purple / green', negative: [123, 50, 148], neutral: [247, 247, 247],
    positive: [0, 136, 55], classes: ['#7b3294', '#008837', '#e66101'],
    backward: '#d95f02', backwardNegative: '#2166ac' },
};

let current = PALETTES['orange-blue'];
const listeners = [];

export function setPalette(name) {
  current = PALETTES[name] || PALETTES['orange-blue'];
  document.documentElement.dataset.palette = name;
  document.documentElement.style.setProperty('--backward', current.backward);
  document.documentElement.style.setProperty('--backward-negative', current.backwardNegative);
  listeners.forEach((fn) => fn());
}

export function onPaletteChange(fn) { listeners.push(fn); }
export function palette() { return current; }

// t in [-1, 1] → [r, g, b] between negative, neutral and positive.
export function rgbOf(t) {
  const c = Math.max(-1, Math.min(1, t || 0));
  const end = c < 0 ? current.negative : current.positive;
  const k = Math.abs(c);
  const n = current.neutral;
  return [n[0] + (end[0] - n[0]) * k, n[1] + (end[1] - n[1]) * k, n[2] + (end[2] - n[2]) * k];
}

export function cssOf(t) {
  const [r, g, b] = rgbOf(t);
  return `rgb(${r | 0},${g | 0},${b | 0})`;
}

// Stroke colour for a signed quantity: full colour for the sign, so thin edges stay legible.
export function signColour(value) {
  const end = value < 0 ? current.negative : current.positive;
  return `rgb(${end[0]},${end[1]},${end[2]})`;
}

// Colour of an error signal (δ, ∂E/∂w) by its sign: the backward pair, never the forward one.
export function backwardColour(value) {
  return value < 0 ? current.backwardNegative : current.backward;
}

export function classColour(label) {
  return current.classes[label % current.classes.length];
}

// How a neuron's values map onto [-1, 1]: bounded activations have a fixed centre and range (sigmoid
// and softmax centre at 0.5), everything else is symmetric around 0 over its largest magnitude.
export function scaleFor(activation, min, max) {
  if (activation === 'tanh') return { mid: 0, half: 1 };
  if (activation === 'sigmoid' || activation === 'softmax') return { mid: 0.5, half: 0.5 };
  const m = Math.max(Math.abs(min), Math.abs(max), 1e-9);
  return { mid: 0, half: m };
}
