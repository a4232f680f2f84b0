// Owner or follower: a page that holds its network's key (keys.js) drives it and shares its focus;
// any other page follows: it shows every frame, phase and trace the owner makes, and the owner's
// focus (selection, sample, inspector, edge view, numbers), and every control that would change the
// network is disabled, with a tooltip saying why. "Try it myself" forks a private copy (or, on a
// share link, copies the snapshot) and opens it; "Back to the class" returns to following. A share
// link (/s/{code}) is a frozen snapshot: read-only, no live socket. Owners of a network can open a
// class (classpanel.js). What a follower may still change is its own view: palette, zoom, projector
// mode, edges, numbers, test data.
import { GRID_STILL } from './actions.js';
import * as api from './api.js';
import { keyFor } from './keys.js';

const $ = (id) => document.getElementById(id);
const ORIGIN = 'backprop-playground.class'; // sessionStorage: the class a fork came from
const FOCUS_DELAY = 60; // ms: a burst of view changes is relayed once

// The controls that change the network (not the page's own view).
const DRIVING = ['#reset', '#play', '#step-phase', '#step-iteration', '#step-epoch', '#speed',
  '.hyper select', '#banner-reset', '#banner-lower', '.col-data input', '.col-data select', '.col-data button',
  '#add-layer', '#remove-layer', '#back-phase', '#back-iteration', '#ask-question',
  '.feature-toggle', '.layer-header button']; // the drawing's own buttons (overlays.js), rebuilt with it
// The store actions after which views redraw controls.
const REDRAWN = ['catalogLoaded', 'adopted', 'stateReceived', 'changeRefused', 'viewChanged'];
const WHY = {
  follower: 'You are following this network: only the person who made it can change it. '
    + '“Try it myself” gives you your own copy to train.',
  snapshot: 'This is a frozen share link: nothing here can change. “Try it myself” gives you your own copy to train.',
};

// Where the page was opened: a join code (/j/CODE), a share link (/s/CODE), or a network id (?id=).
export function openedAs(location) {
  const match = /^\/([js])\/([A-Za-z0-9]+)\/?$/.exec(location.pathname);
  if (!match) return { kind: 'network' };
  return match[1] === 'j' ? { kind: 'class', code: match[2] } : { kind: 'snapshot', code: match[2] };
}

// ctx: {store, live (live.js), toast, ids (the served id grammar, ids.js)}
export function createClassroom({ store, live, toast, ids }) {
  const opened = openedAs(window.location);
  const s = () => store.state;
  let role = null;
  let focusTimer = null;
  let applying = false; // a relayed focus is being applied: do not relay it back
  const roleListeners = [];
  const countListeners = [];
  let guarded = null; // the page's actions (guard)
  let wantedSample = 0; // the owner's sample in the mini-batch, as last relayed

  function setRole(next) {
    role = next;
    const html = document.documentElement;
    html.dataset.role = next;
    html.classList.toggle('follower', next !== 'owner');
    if (next === 'owner') delete html.dataset.lockedWhy; // forms drawn later (the inspector's) read it
    else html.dataset.lockedWhy = WHY[next];
    lockControls();
    showBar();
    for (const listener of roleListeners) listener(next);
  }

  // Disable (or give back) every control that would change the network. Views enable some of them
  // as they draw (render.js: the layer buttons), so this runs again after each redraw that may.
  function lockControls() {
    for (const node of document.querySelectorAll(DRIVING.join(','))) {
      if (role === 'owner') {
        if (node.dataset.followDisabled) {
          node.disabled = node.dataset.followDisabled === 'was';
          node.title = node.dataset.followTitle || '';
          delete node.dataset.followDisabled;
        }
      } else if (!node.dataset.followDisabled || !node.disabled) {
        if (!node.dataset.followDisabled) {
          node.dataset.followDisabled = node.disabled ? 'was' : '1';
          node.dataset.followTitle = node.title || '';
        }
        node.disabled = true;
        node.title = WHY[role];
      }
    }
  }

  function showBar() {
    let bar = $('follow-bar');
    if (!bar) {
      bar = document.createElement('div');
      bar.id = 'follow-bar';
      bar.className = 'follow-bar';
      bar.setAttribute('role', 'region');
      bar.setAttribute('aria-label', 'Following');
      bar.innerHTML = '<p id="follow-text" data-testid="follow-text"></p>'
        + '<button type="button" id="try-it">Try it myself</button>'
        + '<button type="button" id="back-to-class">Back to the class</button>';
      document.querySelector('.phasebar').after(bar);
      $('try-it').addEventListener('click', tryItMyself);
      $('back-to-class').addEventListener('click', backToClass);
    }
    const origin = sessionStorage.getItem(ORIGIN);
    const following = role !== 'owner';
    bar.hidden = !following && !origin;
    $('follow-text').textContent = role === 'snapshot' ? WHY.snapshot
      : following ? 'Following the teacher: you see every step as it happens.' : 'Your own copy: train it as you like.';
    $('try-it').hidden = !following;
    $('try-it').title = 'Make my own copy of this network, as it is now, and train it';
    $('back-to-class').hidden = following || !origin;
  }

  async function tryItMyself() {
    try {
      const copy = role === 'snapshot' ? await api.forkSnapshot(opened.code) : await api.forkNetwork(s().id);
      const back = opened.kind === 'class' ? `/j/${opened.code}` : role === 'follower' ? `/?id=${s().id}` : '';
      if (back) sessionStorage.setItem(ORIGIN, back); else sessionStorage.removeItem(ORIGIN);
      window.location.assign(`/?id=${encodeURIComponent(copy.id)}`);
    } catch (err) {
      toast(err.message, true);
    }
  }

  function backToClass() {
    const origin = sessionStorage.getItem(ORIGIN);
    sessionStorage.removeItem(ORIGIN);
    if (origin) window.location.assign(origin);
  }

  // Before the page opens its network: a join code or a share link names it.
  async function prepare() {
    if (opened.kind === 'network') return;
    try {
      let id = opened.code.toUpperCase();
      if (opened.kind === 'class') id = (await api.findClass(opened.code)).network_id;
      else api.openShareLink(id);
      const url = new URL(window.location.href);
      url.searchParams.set('id', id);
      window.history.replaceState(null, '', url);
    } catch (err) {
      toast(err.message, true);
    }
  }

  // The page's network changed (opened, made, forked): who am I for it?
  function adopted(id) {
    if (!api.isShareCode(id)) {
      setRole(keyFor(id) ? 'owner' : 'follower');
      return;
    }
    setRole('snapshot'); // frozen: no frames will bring heatmaps, so ask for them once
    store.dispatch('connection', 'frozen');
    $('connection').title = 'a frozen share link: nothing live to follow';
    api.getGrid(id, GRID_STILL).then((grids) => store.dispatch('frameReceived', { grids })).catch(() => {});
  }

  function focusMessage() {
    const st = s();
    return { type: 'focus', selected: st.selection ? st.selection.id : null, sample: st.sample,
      inspector: Boolean(st.selection), edge_view: st.view.edgeMode, numbers: st.view.showNumbers };
  }

  function shareFocus() {
    if (role !== 'owner' || applying) return;
    clearTimeout(focusTimer);
    focusTimer = setTimeout(() => live.send(focusMessage()), FOCUS_DELAY);
  }

  function applyFocus(focus, actions) {
    if (role === 'owner') return;
    applying = true;
    try {
      const selected = focus.selected ? { kind: kindOf(ids, focus.selected), id: focus.selected } : null;
      if (focus.edge_view || focus.numbers !== undefined) {
        actions.view({ ...(focus.edge_view ? { edgeMode: focus.edge_view } : {}),
          ...(focus.numbers !== undefined && focus.numbers !== null ? { showNumbers: focus.numbers } : {}) });
        syncViewControls();
      }
      if ((s().selection?.id || null) !== (selected?.id || null)) actions.select(selected);
      if (Number.isInteger(focus.sample)) wantedSample = focus.sample;
      if (wantedSample !== s().sample) actions.setSample(wantedSample);
    } finally {
      applying = false;
    }
  }

  function syncViewControls() {
    const mode = s().view.edgeMode;
    for (const radio of document.querySelectorAll('input[name=edge-mode]')) radio.checked = radio.value === mode;
    $('show-numbers').checked = Boolean(s().view.showNumbers);
  }

  // The page's keys that drive the network (space, →, R) do nothing on a follower but say why.
  document.addEventListener('keydown', (e) => {
    if (role === 'owner' || role === null || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t.closest && t.closest('input, select, textarea, button, [contenteditable], [role=radio]')) return;
    if (e.key === ' ' || e.code === 'Space' || e.key === 'ArrowRight' || e.key === 'r' || e.key === 'R') {
      e.preventDefault();
      e.stopImmediatePropagation();
      toast(WHY[role], true);
    }
  }, true);

  window.addEventListener('resize', () => { if (role && role !== 'owner') setTimeout(lockControls); }); // redrawn
  store.subscribe((action, payload) => {
    if (action === 'adopted') adopted(payload.id);
    if (role && role !== 'owner' && REDRAWN.includes(action)) queueMicrotask(lockControls); // after render.js
    // The owner's sample needs a mini-batch: one that arrived before the trace applies once it is here.
    if (action === 'traceReceived' && role !== 'owner' && wantedSample !== s().sample && guarded) {
      queueMicrotask(() => guarded.setSample(wantedSample));
    }
    if (action === 'selected' || action === 'sampleChosen' || action === 'viewChanged') shareFocus();
  });

  // The actions that would change the network only say why on a follower (a control reached by the
  // keyboard, a form in the inspector, a key): the server would refuse them anyway.
  function guard(actions) {
    guarded = actions;
    for (const name of actions.changing) { // the actions that change the network (actions.js says which)
      const act = actions[name];
      actions[name] = (...args) => (role && role !== 'owner' ? toast(WHY[role], true) : act(...args));
    }
    return actions;
  }

  return {
    prepare,
    guard,
    // Live messages the page itself does not handle; true when handled here.
    onLive(msg, actions) {
      if (msg.type === 'auth') {
        setRole(msg.role === 'owner' ? 'owner' : 'follower');
        if (role === 'owner') shareFocus();
        if (Number.isInteger(msg.followers)) for (const listener of countListeners) listener(msg.followers);
        return true;
      }
      if (msg.type === 'followers') { for (const listener of countListeners) listener(msg.count); return true; }
      if (msg.type === 'focus') { applyFocus(msg, actions); return true; }
      if (msg.type === 'frame' && role === 'follower' && !msg.playing && msg.id === s().id && msg.step < s().net?.step) {
        // The owner reset the network: start again from its state, as the owner's page did.
        api.getNetwork(s().id).then((net) => store.dispatch('reset', net)).catch(() => {});
      }
      return false;
    },
    get role() { return role; },
    onRole(listener) { roleListeners.push(listener); },
    onFollowers(listener) { countListeners.push(listener); }, // the server tells the owner as it changes
  };
}

function kindOf(ids, id) {
  if (ids.weight(id)) return 'weight';
  return ids.bias(id) ? 'bias' : 'neuron';
}
