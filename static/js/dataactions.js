// Your data and your model, as actions: a CSV parsed by the server and trained on, points drawn onto
// or erased from the output map (sent with PUT …/data, which keeps the weights and the run), and a
// JSON export imported as a new network. Like actions.js, every change goes to the server first and
// the state follows its answer; a drawing that cannot be trained on yet (no points, one class) stays a
// draft on the page until it can.
import { GRID_PLAYING, GRID_STILL } from './actions.js';
import * as api from './api.js';
import { keyFor } from './keys.js';
import {
  cleared, configForCsv, csvQuery, dataBody, draftProblem, withoutPointNear, withPoint,
} from './userdata.js';

const SLICE_MS = 250;

// State this adds to the store (state.js): `csv` {text, name, choice, parsed} of the file being chosen;
// `axes` [x, y], the inputs a slice shows when the user chose other than the first two (frames carry
// those, so while `axes` is set the grids come from GET …/grid instead).
export const dataTransitions = {
  csvParsed(s, csv) { s.csv = csv; },
  axesChosen(s, axes) { s.axes = axes; },
  sliceFetched(s, grids) { s.grids = grids; },
  csvDropped(s) { s.csv = null; },
  // The page's points changed: accepted by the server, or a draft it has not seen yet.
  pointsChanged(s, data) { s.data = data; s.draft = Boolean(draftProblem(data)); },
};

// ctx: {store, actions (actions.js: createFrom, adopt), toast}
export function createDataActions({ store, actions, toast }) {
  const s = () => store.state;
  let sending = null; // the points waiting to be sent while a PUT is on its way
  let busy = false;
  const slicing = { busy: false, again: false, at: 0 };

  // The chosen slice's grids, fetched after the frames that changed the network: one request at a
  // time and at most four a second while playing (the latest state wins).
  async function refreshSlice(force = false) {
    if ((!s().axes && !force) || !s().id) return;
    if (slicing.busy) { slicing.again = true; return; }
    slicing.busy = true;
    try {
      const wait = slicing.at + SLICE_MS - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const { id, axes } = s();
      const grids = await api.getGrid(id, s().playing ? GRID_PLAYING : GRID_STILL, (axes || [0, 1]).join(','));
      slicing.at = performance.now();
      if (s().id === id && s().axes === axes) store.dispatch('sliceFetched', grids);
    } catch (err) {
      toast(err.message, true);
    } finally {
      slicing.busy = false;
      if (slicing.again) { slicing.again = false; refreshSlice(); }
    }
  }
  store.subscribe((action) => {
    if (['frameReceived', 'reset', 'parameterSet'].includes(action)) refreshSlice();
    if (action === 'reset' && s().id) reloadData(); // a rewind may go back past a change of the points
    if (action === 'adopted' && s().axes && Math.max(...s().axes) >= s().net.layers[0]) store.dispatch('axesChosen', null);
  });

  async function parse(text, name, choice) {
    const dataset = s().config?.dataset || {};
    const query = csvQuery(choice, dataset.train_ratio ?? 0.5, dataset.seed ?? 0);
    try {
      store.dispatch('csvParsed', { text, name, choice, parsed: await api.parseCsv(text, query) });
      return true;
    } catch (err) {
      toast(`${name}: ${err.message}`, true);
      return false;
    }
  }

  // Send the newest points; points drawn meanwhile wait and go with the next PUT (latest wins).
  async function send(data) {
    store.dispatch('pointsChanged', data);
    if (draftProblem(data)) return;
    sending = data;
    if (busy) return;
    busy = true;
    try {
      while (sending) {
        const next = sending;
        sending = null;
        try {
          const net = await api.putData(s().id, dataBody(next));
          store.dispatch('stateReceived', net);
        } catch (err) {
          toast(err.message, true);
          store.dispatch('pointsChanged', await api.getData(s().id));
        }
      }
    } finally {
      busy = false;
    }
  }

  async function reloadData() {
    const id = s().id;
    try {
      const data = await api.getData(id);
      if (s().id === id) store.dispatch('dataLoaded', data);
    } catch (err) {
      // the next change will tell again
    }
  }

  return {
    // Live news: the owner changed the points (a follower's page reads them; the owner's has them).
    async onLive(msg) {
      if (msg.type !== 'data' || keyFor(s().id)) return;
      const id = s().id;
      try {
        const net = await api.getNetwork(id); // its counts and names of the points changed too
        if (s().id === id) store.dispatch('stateReceived', net);
      } catch (err) {
        return;
      }
      reloadData();
    },
    chooseAxes(axes) {
      store.dispatch('axesChosen', axes[0] === 0 && axes[1] === 1 ? null : axes);
      refreshSlice(true);
    },
    csvFile: (text, name) => parse(text, name, {}),
    csvChoice: (choice) => { const { text, name } = s().csv; return parse(text, name, choice); },
    async useCsv() {
      const { text, name, choice } = s().csv;
      if (!await parse(text, name, choice)) return; // the split follows the ratio slider and seed as they are now
      const { parsed } = s().csv;
      if (await actions.createFrom(configForCsv(s().config, parsed), parsed.data)) store.dispatch('csvDropped');
    },
    addPoints(points, y) { // y: one label or value for all, or one a point
      if (!s().data) return;
      send(points.reduce((data, p, i) => withPoint(data, p, Array.isArray(y) ? y[i] : y), s().data));
    },
    erase(point, radius, axes) {
      const next = s().data && withoutPointNear(s().data, point, radius, axes);
      if (next) send(next);
    },
    clear() { if (s().data) send(cleared(s().data)); },
    async importDocument(doc) {
      try {
        await actions.adopt(await api.importNetwork(doc));
        toast('Imported: the network continues where it was exported.');
      } catch (err) {
        toast(`Import refused: ${err.message}`, true);
      }
    },
  };
}
