// Edits of a configuration (the API's names) that make a new network: each returns a fresh config,
// or null when the edit is not possible, and the request body that creates it. Pure functions, so the
// actions only decide when to call them. They keep the output layer consistent with the data and the
// loss (the server still validates every value).
import { fieldNamed, getValue, pathOf, setValue } from './fields.js';

export function activations(config) {
  const hidden = config.layers.length - 2;
  const acts = Array.isArray(config.activation) ? config.activation : Array(hidden).fill(config.activation);
  return [null, ...acts.slice(0, hidden), config.output_activation];
}

// `POST /api/networks` body: every field of the server's table, nested as its name says. A network
// made from uploaded data ("custom") or given weights ("explicit" init) is re-created from its own
// parameters, so those two are left to the server.
export function requestBody(fields, config, params = null) {
  const body = {};
  for (const field of fields) {
    const value = getValue(config, field.name);
    if (value !== undefined) setValue(body, field.name, value);
  }
  const groups = new Set(fields.map((f) => pathOf(f.name)).filter((p) => p.length > 1).map((p) => p[0]));
  for (const group of groups) if (config[group]?.name === 'custom') delete body[group];
  if (body.init === 'explicit') body.init = fieldNamed(fields, 'init')?.default; // given weights are marked by the server
  if (params) { body.weights = params.weights; body.biases = params.biases; }
  return body;
}

export function edited(config, change) {
  const copy = structuredClone(config);
  change(copy);
  return copy;
}

// Output activation, loss and output width that suit the data: pairing is the server's
// loss → output activations table; softmax needs one output per class (at least two).
export function fitOutputs(config, kind, classes, pairing) {
  if (kind === 'regression' && config.output_activation === 'softmax') config.output_activation = 'tanh';
  if (kind === 'regression' && config.loss !== 'mse') config.loss = 'mse';
  if (pairing[config.loss] && !pairing[config.loss].includes(config.output_activation)) {
    config.loss = Object.keys(pairing).find((name) => pairing[name].includes(config.output_activation)) || 'mse';
  }
  const out = config.output_activation === 'softmax' ? Math.max(2, classes)
    : (kind === 'classification' && classes > 2 ? classes : 1);
  config.layers[config.layers.length - 1] = out;
}

// A dataset of another shape (kind or number of classes) than `previous` opens with the output layer
// the server suggests for it (the catalog's `outputs`); otherwise the user's choice is kept and fitted.
export function withDataset(config, entry, previous, pairing) {
  return edited(config, (c) => {
    c.dataset.name = entry.name;
    const reshaped = !previous || previous.kind !== entry.kind || previous.n_classes !== entry.n_classes;
    if (reshaped && entry.outputs) {
      c.output_activation = entry.outputs.output_activation;
      c.loss = entry.outputs.loss;
    }
    fitOutputs(c, entry.kind, entry.n_classes, pairing);
  });
}

export function withLoss(config, loss, kind, classes, pairing) {
  return edited(config, (c) => {
    c.loss = loss;
    const fits = pairing[loss];
    if (fits && !fits.includes(c.output_activation)) c.output_activation = fits[0];
    fitOutputs(c, kind, classes, pairing);
  });
}

export function withFeatureToggled(config, name, order) {
  const on = new Set(config.features);
  if (on.has(name)) on.delete(name); else on.add(name);
  if (!on.size) return null;
  const features = order.filter((f) => on.has(f));
  return edited(config, (c) => { c.features = features; c.layers[0] = features.length; });
}

export function withNeurons(config, layer, delta, maxNeurons) {
  const n = config.layers[layer] + delta;
  if (n < 1 || n > maxNeurons) return null;
  return edited(config, (c) => { c.layers[layer] = n; });
}

// Add (copying the last hidden layer's width and activation) or remove the last hidden layer.
export function withHiddenLayers(config, delta, maxHidden, fallbackActivation) {
  const hidden = config.layers.slice(1, -1);
  const acts = activations(config).slice(1, -1);
  if (delta > 0 && hidden.length >= maxHidden) return null;
  if (delta < 0 && hidden.length === 0) return null;
  if (delta > 0) { hidden.push(hidden[hidden.length - 1] || 2); acts.push(acts[acts.length - 1] || fallbackActivation); }
  else { hidden.pop(); acts.pop(); }
  return edited(config, (c) => {
    c.layers = [c.layers[0], ...hidden, c.layers[c.layers.length - 1]];
    c.activation = acts.length && acts.every((a) => a === acts[0]) ? acts[0] : (acts.length ? acts : fallbackActivation);
  });
}
