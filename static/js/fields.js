// The server's table of user-settable fields (`GET /api/options` → `fields`, also in the page's boot
// JSON): names, types, defaults, ranges, presets and whether a change is live. Everything the page
// knows about a setting comes from here: its defaults, its control's range and choices, its name in
// the URL and its place in a request body. Dataset parameters are named "dataset.<name>" and live in
// `config.dataset`. Pure functions over plain data: no DOM.

export const pathOf = (name) => name.split('.');

export function getValue(config, name) {
  return pathOf(name).reduce((node, key) => (node === undefined || node === null ? undefined : node[key]), config);
}

export function setValue(config, name, value) {
  const path = pathOf(name);
  let node = config;
  for (const key of path.slice(0, -1)) {
    if (node[key] === undefined || node[key] === null) node[key] = {};
    node = node[key];
  }
  node[path[path.length - 1]] = value;
  return config;
}

// The configuration a new page starts from: every field at its default.
export function defaultsOf(fields) {
  const config = {};
  for (const f of fields) setValue(config, f.name, structuredClone(f.default));
  return config;
}

export const fieldNamed = (fields, name) => fields.find((f) => f.name === name);
export const liveNames = (fields) => fields.filter((f) => f.live).map((f) => f.name);
export const isNumeric = (field) => field.type === 'number' || field.type === 'integer';

// A field's name in the query string: the top-level name itself; a nested one by its last part, but
// `<group>` for `<group>.name` and `<group>_<part>` where the part is also a top-level name
// (dataset.name → dataset, dataset.noise → noise, dataset.seed → dataset_seed).
export function paramOf(field, fields) {
  const path = pathOf(field.name);
  if (path.length === 1) return field.name;
  const [group, part] = [path[0], path[path.length - 1]];
  if (part === 'name') return group;
  return fields.some((f) => f.name === part) ? `${group}_${part}` : part;
}

// Text (a URL value) → the field's value, or undefined when the text is no value of its type; the
// server still validates ranges. A list field reads "a,b,c"; a one-value field given several values
// ("tanh,relu" for activation) reads as a list too, the per-layer form the API accepts.
export function parseText(field, text) {
  if (text === null || text === undefined) return undefined;
  const numeric = isNumeric(field) || field.type === 'integer_list';
  const one = (part) => {
    if (!numeric) return part;
    const n = Number(part);
    return Number.isFinite(n) ? n : undefined;
  };
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(field.default) || parts.length > 1) {
    const values = parts.map(one);
    return values.includes(undefined) ? undefined : values;
  }
  return parts.length ? one(parts[0]) : undefined;
}

// A value → URL text; a per-layer list of one repeated name collapses to the name, as it was given.
export function formatText(field, value) {
  if (!Array.isArray(value)) return String(value);
  if (!Array.isArray(field.default) && value.length && value.every((v) => v === value[0])) return String(value[0]);
  return value.join(',');
}

// A control's range and presets: what the field's `ui` says, scaled for percent sliders.
export function controlSpec(field) {
  const ui = field.ui || {};
  const scale = ui.percent ? 100 : 1;
  const scaled = (v) => (v === null || v === undefined ? v : Math.round(v * scale * 1e9) / 1e9);
  return {
    control: ui.control || null,
    values: ui.values || field.choices || null,
    min: scaled(ui.min ?? field.minimum), max: scaled(ui.max ?? field.maximum), step: scaled(ui.step),
    toShown: (v) => scaled(v),
    fromShown: (v) => (scale === 1 ? v : Math.round((v / scale) * 1e9) / 1e9),
    percent: Boolean(ui.percent),
  };
}
