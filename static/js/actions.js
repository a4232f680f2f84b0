// What the user does, turned into API calls, and the answers turned into state (state.js). Every
// change of the network goes to the server first; the state, and so the URL and the controls, follow
// only its answer. Live changes (the fields the table marks `live`) go over the WebSocket as `set`;
// any other change makes a new network from an edited configuration (configedit.js).
import * as api from './api.js';
import {
  edited, fitOutputs, requestBody, withDataset, withFeatureToggled, withHiddenLayers, withLoss, withNeurons,
} from './configedit.js';
import { defaultsOf, fieldNamed, setValue } from './fields.js';
import { readUrl } from './urlstate.js';
import { isCustom, leaveOwnData, withOwnData } from './userdata.js';

// Heatmap grids: sharp while still, lighter while playing (half the bytes and server work a frame).
export const GRID_STILL = 40;
export const GRID_PLAYING = 24;
const PLAY_FPS = 60;
const DIVERGED = 'Training diverged: reset first (or lower the learning rate).';

// ctx: {store, live (live.js), options (the served options), limits, toast, speed () → steps a frame}
export function createActions({ store, live, options, limits, toast, speed }) {
  const { fields } = options;
  const pairing = options.loss_output_activations || {};
  const s = () => store.state;
  const entryOf = (name) => s().catalog.find((d) => d.name === name);
  const problemKind = () => s().net?.problem || entryOf(s().config.dataset.name)?.kind || 'classification';
  const nClasses = () => entryOf(s().config.dataset.name)?.n_classes || s().net?.n_classes || 2;
  const refused = (err) => { toast(err.message, true); store.dispatch('changeRefused'); };

  // A new network from `config`; a network on your own data takes its points along (or `data`).
  async function createFrom(config, data = s().data) {
    const wasPlaying = s().playing;
    if (wasPlaying) live.send({ type: 'pause' });
    try {
      await adopt(await api.createNetwork(withOwnData(requestBody(fields, config), config, data)));
      if (wasPlaying) play(true);
      return true;
    } catch (err) {
      if (s().net) refused(err); else toast(err.message, true);
      createFrom.error = err.message;
      return false;
    }
  }

  async function adopt(net) {
    store.dispatch('adopted', net);
    live.connect(net.id, GRID_STILL);
    refreshChain();
    store.dispatch('dataLoaded', await api.getData(net.id));
  }

  async function refreshChain() {
    const { selection, sample, id } = s();
    if (!selection || selection.kind !== 'weight' || !id) return;
    try {
      const chain = await api.getChain(id, selection.id, sample);
      if (s().selection !== selection || s().sample !== sample) return;
      store.dispatch('chainReceived', chain);
    } catch (err) {
      store.dispatch('chainFailed', err.message);
    }
  }

  function setPlaying(on) {
    if (on === s().playing) return;
    live.subscribe(on ? GRID_PLAYING : GRID_STILL);
    const stopped = !on;
    store.dispatch('playing', on);
    if (stopped) refreshChain();
  }

  function play(on) {
    if (on && s().net.diverged) { toast(DIVERGED, true); return; }
    setPlaying(on);
    live.send(on ? { type: 'play', steps_per_frame: speed(), fps: PLAY_FPS } : { type: 'pause' });
  }

  function step(by) {
    if (s().net.diverged) { toast(DIVERGED, true); return; }
    if (s().playing) play(false);
    live.send({ type: 'step', by, count: 1, trace: by !== 'epoch' });
  }

  async function reset() {
    if (s().playing) play(false);
    try {
      store.dispatch('reset', await api.resetNetwork(s().id));
    } catch (err) {
      toast(err.message, true);
    }
  }

  async function lowerLearningRate() {
    const lr = s().config.learning_rate / 10;
    try {
      store.dispatch('stateReceived', await api.patchNetwork(s().id, { learning_rate: lr }));
      await reset();
      toast(`Learning rate lowered to ${lr}; the network was reset.`);
    } catch (err) {
      refused(err);
    }
  }

  // A control changed field `name` to `value` (the API's value).
  function setField(name, value) {
    const field = fieldNamed(fields, name);
    if (field?.live) { live.send(setValue({ type: 'set' }, name, value)); return; }
    const config = s().config;
    if (isCustom(config) && name.startsWith('dataset.') && name !== 'dataset.name') {
      toast('Your own data keep their points and split: load the CSV again to split it otherwise.', true);
      store.dispatch('changeRefused');
      return;
    }
    let next;
    if (name === 'dataset.name') {
      const entry = entryOf(value);
      if (!entry || entry.name === config.dataset.name) return;
      if (isCustom(config) && !window.confirm(`Replace your own data with the ${entry.name} dataset?`)) {
        store.dispatch('changeRefused');
        return;
      }
      next = withDataset(config, entry, entryOf(config.dataset.name), pairing);
      if (isCustom(config)) leaveOwnData(next, defaultsOf(fields));
    } else if (name === 'output_activation') {
      next = edited(config, (c) => { c.output_activation = value; fitOutputs(c, problemKind(), nClasses(), pairing); });
    } else if (name === 'loss') {
      next = withLoss(config, value, problemKind(), nClasses(), pairing);
    } else {
      next = edited(config, (c) => setValue(c, name, value));
    }
    createFrom(next);
  }

  function setProblem(kind) {
    const entry = s().catalog.find((d) => d.kind === kind);
    if (entry) setField('dataset.name', entry.name);
  }

  function onLive(msg) {
    if (msg.type === 'frame') {
      if (msg.id && msg.id !== s().id) return;
      if (msg.playing !== undefined) setPlaying(msg.playing);
      store.dispatch('frameReceived', msg);
    } else if (msg.type === 'trace') {
      if (!msg.records || !msg.records.length) return;
      store.dispatch('traceReceived', msg.records);
      refreshChain();
    } else if (msg.type === 'state') {
      const { type, ...net } = msg;
      if (net.id && net.id !== s().id) return;
      store.dispatch('stateReceived', net);
    } else if (msg.type === 'error') {
      refused({ message: msg.detail });
    }
  }

  let reconnecting = false;
  async function onConnection(status) {
    store.dispatch('connection', status);
    if (status === 'open' && reconnecting) {
      reconnecting = false;
      try {
        store.dispatch('reconnected', await api.getNetwork(s().id));
      } catch (err) {
        if (err.status === 404) await createFrom(s().config);
      }
    }
    if (status === 'closed') reconnecting = true;
  }

  // The first network: the one the URL names, else one made from the URL's configuration (else the
  // defaults, when the server refuses the link's).
  async function start() {
    store.dispatch('catalogLoaded', await api.getDatasets().catch(() => []));
    const defaults = defaultsOf(fields);
    const { config, id } = readUrl(fields, defaults, window.location.search);
    if (id) {
      try {
        await adopt(await api.getNetwork(id));
        return;
      } catch (err) {
        if (err.status !== 404) toast(err.message, true);
      }
    }
    const entry = entryOf(config.dataset.name);
    if (entry && !new URLSearchParams(window.location.search).has('layers')) {
      const given = new URLSearchParams(window.location.search).has('output_activation');
      Object.assign(config, withDataset(config, entry, given ? entry : null, pairing)); // a hand-written link
    }
    if (!config.features || config.layers[0] !== config.features.length) {
      config.layers[0] = (config.features || []).length || config.layers[0];
    }
    if (!await createFrom(config)) {
      toast(`The link’s configuration was refused: ${createFrom.error} Starting from the defaults instead.`, true);
      await createFrom(defaults);
    }
  }

  const changes = { // what changes the network: a follower's page may not (`changing`, follow.js guards them)
    play, step, reset, lowerLearningRate, setField, setProblem,
    regenerate: () => setField('dataset.seed', Math.floor(Math.random() * 100000)),
    toggleFeature(name) {
      const next = withFeatureToggled(s().config, name, options.features.map((f) => f.name));
      if (next) createFrom(next); else toast('Keep at least one input feature.', true);
    },
    changeNeurons(layer, delta) {
      const next = withNeurons(s().config, layer, delta, limits.maxNeurons);
      if (next) createFrom(next);
    },
    changeLayers(delta, activation) {
      const next = withHiddenLayers(s().config, delta, limits.maxHidden, activation);
      if (next) createFrom(next);
    },
    async editParameter(kind, id, value) {
      try {
        store.dispatch('parameterSet', await api.setParameter(s().id, id, value));
        select({ kind, id });
      } catch (err) {
        toast(err.message, true);
      }
    },
  };
  return {
    ...changes,
    changing: Object.keys(changes),
    start, onLive, onConnection, createFrom, adopt,
    select,
    setSample,
    pickPoint(row) {
      const batch = s().trace?.records.get('forward:1')?.batch || [];
      const position = batch.indexOf(row);
      if (position >= 0) setSample(position);
      else toast(`Training point #${row} is not in the current mini-batch; step to the next forward pass, or pick a ringed point.`);
    },
    hover: (id) => store.dispatch('hovered', id),
    view: (changes) => store.dispatch('viewChanged', changes),
  };

  function select(selection) {
    store.dispatch('selected', selection);
    refreshChain();
  }

  function setSample(index) {
    store.dispatch('sampleChosen', index);
    refreshChain();
  }
}
