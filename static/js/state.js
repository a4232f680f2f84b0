// The page's one state object and the named actions that change it. Views read the state and draw;
// only `dispatch(name, payload)` writes it, through the transitions below, and every subscriber then
// hears which action ran. A transition is a small synchronous function of (state, payload): no DOM, no
// network, no clock, so each can be tested in Node. `config` is the configuration the server has
// accepted; nothing the user merely asked for is written there (nor, therefore, into the URL).

export function initialState() {
  return {
    id: null,          // the network's id on the server
    net: null,         // the server's state of it (GET /api/networks/{id}), kept current by frames
    config: null,      // its configuration, as the server accepted it
    data: null,        // its training and test points
    catalog: [],       // the built-in datasets
    trace: null,       // {step, records: Map('phase:layer' → record), weights, biases} of this iteration
    lastPhase: null,   // the phase just traced {name, layer}
    sample: 0,         // which sample of the mini-batch the numbers show
    selection: null,   // {kind: neuron|weight|bias, id}
    chain: null, chainError: null, // the server's chain rule for the selected weight
    gradients: null, updates: null, // per weight layer: ∂E/∂W of the last batch, the last Δw
    grids: null,       // the latest heatmaps as sent
    playing: false,
    rate: null,        // iterations a second the server really trains while playing (frames say)
    connection: 'connecting',
    hovered: null,
    view: { edgeMode: 'weights', showNumbers: false, discrete: false, showTest: false, projector: false },
  };
}

export function createStore(transitions, state = initialState()) {
  const listeners = [];
  return {
    get state() { return state; },
    dispatch(action, payload) {
      const change = transitions[action];
      if (!change) throw new Error(`no action named ${action}`);
      change(state, payload);
      for (const listener of listeners) listener(action, payload, state);
    },
    subscribe(listener) { listeners.push(listener); },
  };
}

const empty = (net) => net.weights.map(() => null);

// Does `selection` name a part of the network `net`? ids: the served id grammar (ids.js).
export function selectionExists(selection, net, ids) {
  const known = new Set(net.neuron_ids.flat());
  if (selection.kind === 'neuron') return known.has(selection.id);
  if (selection.kind === 'bias') {
    const b = ids.bias(selection.id);
    return Boolean(b && b.layer > 0 && known.has(b.neuron));
  }
  const w = ids.weight(selection.id);
  return Boolean(w && known.has(w.from) && known.has(w.to) && ids.neuron(w.to).layer === w.k + 1);
}

export function makeTransitions(ids) {
  return {
    catalogLoaded(s, catalog) { s.catalog = catalog; },
    // A network made, opened or re-created becomes the page's: everything traced belongs to the old one.
    adopted(s, net) {
      Object.assign(s, { id: net.id, net, config: structuredClone(net.config), data: null, trace: null,
        lastPhase: null, gradients: null, updates: null, grids: null, chain: null, chainError: null, playing: false });
      if (s.selection && !selectionExists(s.selection, net, ids)) s.selection = null;
    },
    dataLoaded(s, data) { s.data = data; },
    // The server's answer to a change (live `set`, PATCH): its state, with the configuration it accepted.
    stateReceived(s, net) {
      Object.assign(s.net, net);
      s.config = { ...s.config, ...structuredClone(net.config) };
    },
    // A change the server refused: nothing changes; views show the accepted configuration again.
    changeRefused() {},
    reconnected(s, net) { Object.assign(s.net, net); },
    frameReceived(s, frame) {
      const net = s.net;
      const prevWeights = net.weights;
      const stepped = frame.step !== net.step;
      for (const key of ['step', 'epoch', 'phase', 'train_loss', 'test_loss', 'train_accuracy', 'test_accuracy',
        'grad_norms', 'weights', 'biases', 'diverged', 'dead_relu']) if (frame[key] !== undefined) net[key] = frame[key];
      if (frame.steps_per_second !== undefined) s.rate = frame.playing ? frame.steps_per_second : null;
      if (frame.grids && !s.axes) s.grids = frame.grids; // a chosen slice's grids come by REST (dataactions.js)
      if (s.playing && stepped) {
        // At play speed there is no per-phase trace: Δw is the change between the last two frames and
        // ∂E/∂w is the last mini-batch's gradient, which every frame carries.
        s.trace = null;
        s.lastPhase = null;
        s.gradients = frame.grad_weights || null;
        s.updates = prevWeights ? net.weights.map((m, k) => m.map((r, i) => r.map((v, j) => v - prevWeights[k][i][j]))) : null;
      }
    },
    traceReceived(s, records) {
      const net = s.net;
      // A new iteration starts with its forward pass: the last one's gradients and updates are stale.
      if (records[0].phase === 'forward' && records[0].layer === 1) {
        s.gradients = empty(net);
        s.updates = empty(net);
      }
      for (const rec of records) {
        if (!s.trace || s.trace.step !== rec.step) {
          // The parameters this iteration's forward pass used (the update below replaces matrices, so a
          // shallow copy keeps them).
          s.trace = { step: rec.step, records: new Map(), weights: net.weights.slice(), biases: net.biases.slice() };
          if (!s.gradients) s.gradients = empty(net);
        }
        s.trace.records.set(`${rec.phase}:${rec.layer}`, rec);
        if (rec.phase === 'backward') {
          s.gradients = s.gradients || empty(net);
          s.gradients[rec.layer - 1] = rec.grad_weights;
        }
        if (rec.phase === 'update') {
          s.updates = s.updates && s.updates.length === net.weights.length ? s.updates : empty(net);
          s.updates[rec.layer - 1] = rec.delta_weights;
          net.weights[rec.layer - 1] = rec.weights_after;
          net.biases[rec.layer - 1] = rec.biases_after;
        }
      }
      const last = records[records.length - 1];
      s.lastPhase = { name: last.phase, layer: last.phase === 'update' ? null : last.layer };
      const batch = s.trace.records.get('forward:1')?.batch;
      if (batch && s.sample >= batch.length) s.sample = 0;
      s.chain = null;
    },
    playing(s, on) {
      if (s.playing && !on) s.chain = null; // the weights moved on while playing
      s.playing = on;
    },
    reset(s, net) {
      Object.assign(s.net, net);
      Object.assign(s, { trace: null, lastPhase: null, gradients: null, updates: null });
    },
    // A weight or bias set in place: counters and history stay; an iteration in progress restarts on
    // the same mini-batch, so any trace on screen is stale.
    parameterSet(s, net) {
      Object.assign(s.net, { weights: net.weights, biases: net.biases, phase: net.phase });
      s.trace = null;
      s.lastPhase = null;
    },
    selected(s, selection) {
      s.selection = selection;
      s.chain = null;
      s.chainError = null;
    },
    sampleChosen(s, index) {
      const batch = s.trace?.records.get('forward:1')?.batch;
      if (!batch) return;
      s.sample = Math.max(0, Math.min(batch.length - 1, index));
      s.chain = null;
    },
    chainReceived(s, chain) { s.chain = chain; s.chainError = null; },
    chainFailed(s, message) { s.chainError = message; },
    viewChanged(s, changes) { Object.assign(s.view, changes); },
    connection(s, status) { s.connection = status; },
    hovered(s, id) { s.hovered = id; },
  };
}
