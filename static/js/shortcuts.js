// The keyboard beyond the page's own controls: Esc closes the inspector (or this list), `?` lists every
// shortcut, the stepping keys step even when a select or a radio button has focus (where the browser
// would change the control instead), and choosing a part of the network from the inspector puts focus
// on it. Left out: the keys themselves (main.js and teaching.js handle them), text fields (they keep
// every key).

export const SHORTCUTS = [
  ['Space', 'play / pause'], ['→', 'next phase'], ['Shift + →', 'next iteration'], ['←', 'back one phase'],
  ['Shift + ←', 'back one iteration'], ['R', 'reset the network'], ['P', 'presenter mode'],
  ['B', 'blank the screen'], ['Esc', 'close the inspector'], ['?', 'show or hide this list'],
];

// Does the target take arrow keys as its own (text, numbers, sliders)? Selects and radios do not here.
function ownsArrows(t) {
  return Boolean(t.closest && t.closest('textarea, [contenteditable], input:not([type=checkbox]):not([type=radio])'));
}

function helpPanel() {
  let panel = document.getElementById('shortcuts');
  if (panel) return panel;
  panel = document.createElement('div');
  panel.id = 'shortcuts';
  panel.className = 'shortcuts';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', 'Keyboard shortcuts');
  panel.tabIndex = -1;
  panel.hidden = true;
  panel.innerHTML = `<h2>Keyboard shortcuts</h2><dl>${SHORTCUTS.map(([k, what]) => `<dt><kbd>${k}</kbd></dt><dd>${what}</dd>`).join('')}</dl>
    <button type="button" class="close">Close (Esc)</button>`;
  panel.querySelector('.close').addEventListener('click', () => toggleHelp(false));
  document.body.append(panel);
  return panel;
}

let returnFocus = null;
export function toggleHelp(on) {
  const panel = helpPanel();
  const show = on ?? panel.hidden;
  if (show === !panel.hidden) return;
  panel.hidden = !show;
  if (show) { returnFocus = document.activeElement; panel.focus(); } else if (returnFocus?.focus) returnFocus.focus();
}

// Focus the drawn part a selection names (a weight's edge, a neuron, a bias), making it focusable.
export function focusSelection(selection) {
  if (!selection) return;
  const target = document.getElementById(selection.id); // the edge's path, the node's group, the bias mark
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  if (!target.hasAttribute('aria-label')) target.setAttribute('aria-label', `${selection.kind} ${selection.id}`);
  target.focus();
}

// The keys handled here; true when `e` was one of them. ctx: {store, actions}
export function handleShortcut(e, { store, actions }) {
  if (e.ctrlKey || e.metaKey || e.altKey) return false;
  const t = e.target;
  if (e.key === 'Escape') {
    if (!helpPanel().hidden) toggleHelp(false);
    else if (store.state.selection) actions.select(null);
    else return false;
    e.preventDefault();
    return true;
  }
  if (ownsArrows(t)) return false;
  if (e.key === '?') { e.preventDefault(); toggleHelp(); return true; }
  if (e.key === 'ArrowRight' && t.closest && t.closest('select, input[type=radio]')) {
    e.preventDefault(); // the select or radio keeps its value
    actions.step(e.shiftKey ? 'iteration' : 'phase');
    return true;
  }
  if (e.key === 'ArrowLeft' && t.closest && t.closest('select, input[type=radio]')) {
    e.preventDefault();
    return false; // teaching.js steps back; the control keeps its value
  }
  return false;
}
