// Presenter mode and hidden panels. `hide=data,model,charts,…` in the URL hides those parts of the page
// (as TensorFlow Playground allows), and stays across a reload because the URL keeps it; `presenter=1`
// turns presenter mode on (large type, the network drawing filling the stage); B blanks the screen
// (a clicker's "black screen" key). `readHide` and `withParams` are pure; the rest touch the document.

// Each hideable part: its name in the URL and the elements it covers (data-part attributes).
export const PARTS = ['header', 'steps', 'training', 'phases', 'data', 'model', 'inspector', 'charts', 'timeline',
  'output', 'lesson'];

export function readHide(search) {
  const raw = new URLSearchParams(search).get('hide') || '';
  return raw.split(',').map((p) => p.trim()).filter((p) => PARTS.includes(p));
}

export function readPresenter(search) {
  const value = new URLSearchParams(search).get('presenter');
  return value === '1' || value === 'true';
}

// The query string `search` with `params` ({name: value|null}) set (null removes), order kept.
export function withParams(search, params) {
  const q = new URLSearchParams(search);
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') q.delete(name); else q.set(name, value);
  }
  return q.toString().replaceAll('%2C', ',');
}

export function applyHide(doc, hidden) {
  for (const node of doc.querySelectorAll('[data-part]')) {
    node.classList.toggle('part-hidden', hidden.includes(node.dataset.part));
  }
}

export function setPresenter(doc, on) {
  doc.documentElement.classList.toggle('presenter', on);
}

export function toggleBlank(doc) {
  let curtain = doc.getElementById('blank-screen');
  if (!curtain) {
    curtain = doc.createElement('div');
    curtain.id = 'blank-screen';
    curtain.hidden = true;
    curtain.setAttribute('aria-label', 'screen blanked: press B to show it again');
    doc.body.appendChild(curtain);
  }
  curtain.hidden = !curtain.hidden;
  return !curtain.hidden;
}
