// Your data and your model, as actions: a CSV parsed by the server and trained on, points drawn onto
// or erased from the output map (sent with PUT …/data, which keeps the weights and the run), and a
// JSON export imported as a new network. Like actions.js, every change goes to the server first and
// the state follows its answer; a drawing that cannot be trained on yet (no points, one class) stays a
// draft on the page until it can.
import * as api from './api.js';
import {
  cleared, configForCsv, csvQuery, dataBody, draftProblem, withoutPointNear, withPoint,
} from './userdata.js';

// State this adds to the store (state.js): `csv` {text, name, choice, parsed} of the file being chosen.
export const dataTransitions = {
  csvParsed(s, csv) { s.csv = csv; },
  csvDropped(s) { s.csv = null; },
  // The page's points changed: accepted by the server, or a draft it has not seen yet.
  pointsChanged(s, data) { s.data = data; s.draft = Boolean(draftProblem(data)); },
};

// ctx: {store, actions (actions.js: createFrom, adopt), toast}
export function createDataActions({ store, actions, toast }) {
  const s = () => store.state;
  let sending = null; // the points waiting to be sent while a PUT is on its way
  let busy = false;

  async function parse(text, name, choice) {
    const dataset = s().config?.dataset || {};
    const query = csvQuery(choice, dataset.train_ratio ?? 0.5, dataset.seed ?? 0);
    try {
      store.dispatch('csvParsed', { text, name, choice, parsed: await api.parseCsv(text, query) });
    } catch (err) {
      toast(`${name}: ${err.message}`, true);
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

  return {
    csvFile: (text, name) => parse(text, name, {}),
    csvChoice: (choice) => { const { text, name } = s().csv; return parse(text, name, choice); },
    async useCsv() {
      const { parsed } = s().csv;
      if (await actions.createFrom(configForCsv(s().config, parsed), parsed.data)) store.dispatch('csvDropped');
    },
    addPoints(points, y) {
      if (!s().data) return;
      send(points.reduce((data, p) => withPoint(data, p, y), s().data));
    },
    erase(point, radius) {
      const next = s().data && withoutPointNear(s().data, point, radius);
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
