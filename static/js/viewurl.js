// The view options in the URL, so a link reproduces the screen and not only the network: numbers,
// colours, test data, discretized output, what the edges show, projector mode. Defaults are left out
// of the URL. `readView` and `viewParams` are pure (tested in Node); `linkProblems` says what in a link
// could not be read. Left out: presenter mode and hidden panels (presenter.js keeps those).
import { paramOf, parseText } from './fields.js';
import { PALETTES, onPaletteChange, setPalette } from './palette.js';
import { withParams } from './presenter.js';

const FLAGS = { showNumbers: 'numbers', showTest: 'test', discrete: 'discrete', projector: 'projector' };
export const EDGE_MODES = ['weights', 'gradients', 'updates'];

// search → {view: changes to the view state, palette: name | null, problems: [sentences]}
export function readView(search, palettes) {
  const q = new URLSearchParams(search);
  const view = {};
  const problems = [];
  for (const [key, param] of Object.entries(FLAGS)) {
    if (!q.has(param)) continue;
    const text = q.get(param);
    if (['1', 'true', '0', 'false'].includes(text)) view[key] = text === '1' || text === 'true';
    else problems.push(`${param}=${text} is not 1 or 0`);
  }
  if (q.has('edges')) {
    if (EDGE_MODES.includes(q.get('edges'))) view.edgeMode = q.get('edges');
    else problems.push(`edges=${q.get('edges')} is not one of ${EDGE_MODES.join(', ')}`);
  }
  let palette = null;
  if (q.has('palette')) {
    if (palettes.includes(q.get('palette'))) palette = q.get('palette');
    else problems.push(`palette=${q.get('palette')} is not one of ${palettes.join(', ')}`);
  }
  return { view, palette, problems };
}

// The view as URL parameters ({name: value | null}; null: the default, left out).
export function viewParams(view, palette, defaultPalette) {
  const out = {};
  for (const [key, param] of Object.entries(FLAGS)) out[param] = view[key] ? '1' : null;
  out.edges = view.edgeMode && view.edgeMode !== 'weights' ? view.edgeMode : null;
  out.palette = palette && palette !== defaultPalette ? palette : null;
  return out;
}

// Field parameters of a link whose values are no value of their field's type.
export function linkProblems(fields, search) {
  const q = new URLSearchParams(search);
  const problems = [];
  for (const field of fields) {
    const param = paramOf(field, fields);
    if (q.has(param) && parseText(field, q.get(param)) === undefined) {
      problems.push(`${param}=${q.get(param)} is not ${field.type.includes('list') ? 'a list of ' : 'a '}${field.type.replace('_list', '')}`);
    }
  }
  return problems;
}

// Apply the link's view options to the page and keep the URL in step with the view from then on.
// ctx: {store, actions, fields, toast}
export function connectViewUrl({ store, actions, fields, toast }) {
  const $ = (id) => document.getElementById(id);
  const palettes = Object.keys(PALETTES);
  const { view, palette, problems } = readView(window.location.search, palettes);
  problems.push(...linkProblems(fields, window.location.search));
  const boxes = { showNumbers: 'show-numbers', showTest: 'show-test', discrete: 'discretize', projector: 'projector' };
  for (const [key, id] of Object.entries(boxes)) if (key in view) $(id).checked = view[key];
  if (view.edgeMode) document.querySelector(`input[name=edge-mode][value=${view.edgeMode}]`).checked = true;
  if (palette) { setPalette(palette); $('palette').value = palette; }
  if (Object.keys(view).length) actions.view(view);
  if (problems.length) toast(`This link could not be read in full: ${problems.join('; ')}. The rest of it applies.`, true);
  const write = () => {
    const params = viewParams(store.state.view, document.documentElement.dataset.palette, palettes[0]);
    const search = withParams(window.location.search, params);
    if (`?${search}` !== window.location.search) window.history.replaceState(null, '', `${window.location.pathname}?${search}`);
  };
  store.subscribe((action) => { if (action === 'viewChanged' || action === 'adopted') write(); });
  onPaletteChange(write);
}
