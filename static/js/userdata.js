// Your own data on the page, as pure functions (no DOM, no network): the request bodies that carry a
// network's own points, the configuration a parsed CSV asks for, and the edits that drawing makes to
// a set of points. A network on your data has `config.dataset.name === 'custom'`; its points are not
// generated from the configuration, so every request that remakes it must carry them.

export const CUSTOM = 'custom';
const NAMES = ['columns', 'target', 'labels'];

export const isCustom = (config) => config?.dataset?.name === CUSTOM;

// GET …/data (with its names) → the `data` of POST /api/networks or PUT …/data.
export function dataBody(data) {
  const body = { x_train: data.x_train, y_train: data.y_train, kind: data.kind };
  if (data.x_test?.length) Object.assign(body, { x_test: data.x_test, y_test: data.y_test });
  for (const key of NAMES) if (data[key]) body[key] = data[key];
  return body;
}

// A request body (configedit.requestBody) for a network on your data gets those points; others pass.
// Data with other than two inputs have no features to choose (the server feeds the columns as they are).
export function withOwnData(body, config, data) {
  if (!isCustom(config) || !data) return body;
  body.data = dataBody(data);
  if (!config.features) delete body.features;
  return body;
}

// The configuration for a parsed CSV (POST /api/datasets/csv): the current one with the layers,
// output activation and loss the server says fit, the current hidden layers kept.
export function configForCsv(config, parsed) {
  const next = structuredClone(config);
  const fit = parsed.network;
  const hidden = config.layers.slice(1, -1);
  next.layers = [fit.layers[0], ...hidden, fit.layers[fit.layers.length - 1]];
  next.output_activation = fit.output_activation;
  next.loss = fit.loss;
  next.features = parsed.inputs.length === 2 ? ['x1', 'x2'] : null;
  next.dataset = { name: CUSTOM, columns: parsed.inputs, target: parsed.target, ...(parsed.labels ? { labels: parsed.labels } : {}) };
  if (next.init === 'explicit') next.init = 'uniform';
  return next;
}

// A configuration leaving your data for a built-in dataset (already named in it): the generator's
// parameters and input features come back from the defaults, and the first layer fits the features.
export function leaveOwnData(config, defaults) {
  config.dataset = { ...defaults.dataset, name: config.dataset.name };
  config.features = [...defaults.features];
  config.layers[0] = config.features.length;
  return config;
}

// The query string of POST /api/datasets/csv for the user's choices ({target, inputs, kind, header}).
export function csvQuery(choice, trainRatio, seed) {
  const q = new URLSearchParams();
  if (choice.target) q.set('target', choice.target);
  if (choice.inputs?.length) q.set('inputs', choice.inputs.join(','));
  if (choice.kind) q.set('kind', choice.kind);
  if (choice.header !== undefined && choice.header !== null) q.set('header', String(choice.header));
  if (trainRatio !== undefined) q.set('train_ratio', String(trainRatio));
  if (seed !== undefined) q.set('seed', String(seed));
  return q.toString();
}

const copy = (data) => ({ ...data, x_train: data.x_train.slice(), y_train: data.y_train.slice(),
  x_test: (data.x_test || []).slice(), y_test: (data.y_test || []).slice() });

// Drawing: the point [x1, x2] with label or value `y` added to the training points.
export function withPoint(data, point, y) {
  const next = copy(data);
  next.x_train.push(point);
  next.y_train.push(Array.isArray(next.y_train[0]) && !Array.isArray(y) ? [y] : y); // rows stay rows
  return next;
}

// Erasing: the training or test point nearest `point` within `radius` (input units) removed, or null.
// axes: the inputs the map shows (a slice's two, one input's one): distance is measured along them.
export function withoutPointNear(data, point, radius, axes = [0, 1]) {
  let best = null;
  for (const set of ['train', 'test']) {
    (data[`x_${set}`] || []).forEach((p, i) => {
      const d = Math.hypot(...axes.map((a) => p[a] - point[a]));
      if (d <= radius && (!best || d < best.d)) best = { set, i, d };
    });
  }
  if (!best) return null;
  const next = copy(data);
  next[`x_${best.set}`].splice(best.i, 1);
  next[`y_${best.set}`].splice(best.i, 1);
  return next;
}

// Every point removed (a draft: the server needs points before it can train).
export const cleared = (data) => ({ ...data, x_train: [], y_train: [], x_test: [], y_test: [] });

// Why these points cannot be trained on yet, or null: at least one point, and two classes.
export function draftProblem(data) {
  if (!data.x_train.length) return 'Click on the map to add points.';
  if (data.kind === 'classification' && new Set(data.y_train).size < 2) return 'Add points of a second class.';
  return null;
}

// The names of the classes (labels kept from a CSV, else 0, 1, …).
export const classNames = (data, n) => Array.from({ length: n }, (_, c) => data?.labels?.[c] ?? String(c));
