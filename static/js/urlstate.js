// The whole configuration lives in the query string, with the API's names and defaults, so a link
// reproduces a run exactly (seed included) and `id` lets a reload pick the network up from the server.

const LISTS = ['layers', 'features'];
const NUMBERS = ['learning_rate', 'batch_size', 'momentum', 'regularization_rate', 'seed'];
const NAMES = ['output_activation', 'loss', 'regularization', 'init'];
const DATASET_KEYS = { dataset: 'name', samples: 'samples', noise: 'noise', train_ratio: 'train_ratio',
  dataset_seed: 'seed' };

function numberOr(text, fallback) {
  const value = Number(text);
  return text !== null && text !== '' && Number.isFinite(value) ? value : fallback;
}

// defaults: the engine's DEFAULTS plus `dataset` (DATASET_DEFAULTS), as the template hands them over.
export function readUrl(defaults, search = window.location.search) {
  const q = new URLSearchParams(search);
  const config = structuredClone(defaults);
  for (const key of LISTS) {
    if (q.has(key)) {
      const parts = q.get(key).split(',').map((s) => s.trim()).filter(Boolean);
      config[key] = key === 'layers' ? parts.map(Number) : parts;
    }
  }
  for (const key of NUMBERS) config[key] = numberOr(q.get(key), config[key]);
  for (const key of NAMES) if (q.get(key)) config[key] = q.get(key);
  if (q.get('activation')) {
    const names = q.get('activation').split(',');
    config.activation = names.length === 1 ? names[0] : names;
  }
  for (const [param, field] of Object.entries(DATASET_KEYS)) {
    if (!q.has(param)) continue;
    config.dataset[field] = field === 'name' ? q.get(param) : numberOr(q.get(param), config.dataset[field]);
  }
  return { config, id: q.get('id') };
}

export function toQuery(config, id) {
  const q = new URLSearchParams();
  q.set('layers', config.layers.join(','));
  const act = Array.isArray(config.activation) ? config.activation : [config.activation];
  q.set('activation', act.every((a) => a === act[0]) && act.length ? act[0] : act.join(','));
  for (const key of NAMES) q.set(key, config[key]);
  for (const key of NUMBERS) q.set(key, String(config[key]));
  q.set('features', (config.features || []).join(','));
  for (const [param, field] of Object.entries(DATASET_KEYS)) q.set(param, String(config.dataset[field]));
  if (id) q.set('id', id);
  return q.toString().replaceAll('%2C', ',');
}

export function writeUrl(config, id) {
  const url = `${window.location.pathname}?${toQuery(config, id)}`;
  window.history.replaceState(null, '', url);
}
