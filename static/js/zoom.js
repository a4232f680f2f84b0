// Presenter mode's zoom: clicking a neuron or a weight shows it large over the stage, with its numbers
// in type a back row can read (w, ∂E/∂w and Δw of a weight; z, a, δ and the bias of a neuron for the
// selected sample of the iteration traced so far). Text only (textContent). It reads the page's state
// and draws nothing else; the inspector keeps the full working.
import { formatNumber } from './format.js';

export class ZoomCard {
  // root: the card element; ids: the id grammar (ids.js); onClose: () → void (clears the selection)
  constructor(root, ids, onClose) {
    this.root = root;
    this.ids = ids;
    this.key = '';
    root.addEventListener('click', () => onClose());
  }

  // state: the page's state in presenter mode, or null (not presenting)
  show(state) {
    const rows = state && state.selection && state.net ? this.rows(state) : null;
    const key = rows ? JSON.stringify(rows) : '';
    if (key === this.key) return;
    this.key = key;
    this.root.hidden = !rows;
    if (!rows) return;
    const [title, ...lines] = rows;
    const head = document.createElement('h2');
    head.textContent = title;
    const list = document.createElement('dl');
    for (const [name, value] of lines) {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = formatNumber(value, 4);
      list.append(dt, dd);
    }
    this.root.replaceChildren(head, list);
  }

  // [title, [name, value]…] for the selection
  rows({ selection, net, gradients, updates, trace, sample }) {
    const { ids } = this;
    if (selection.kind === 'weight') {
      const w = ids.weight(selection.id);
      if (!w || !net.weights[w.k]) return null;
      const at = (m) => m?.[w.k]?.[w.i]?.[w.j];
      return [`weight ${w.from} → ${w.to}`, ['w', at(net.weights)],
        ...(at(gradients) === undefined ? [] : [['∂E/∂w', at(gradients)]]),
        ...(at(updates) === undefined ? [] : [['Δw', at(updates)]])];
    }
    const id = ids.neuronOf(selection.id);
    const n = id && ids.neuron(id);
    if (!n) return null;
    const rec = (phase) => trace?.records.get(`${phase}:${n.layer}`);
    const pick = (r, key) => r?.[key]?.[sample]?.[n.index];
    const rows = [];
    if (n.layer === 0) rows.push(['x', pick(trace?.records.get('forward:1'), 'a_prev')]);
    else {
      rows.push(['b', net.biases[n.layer - 1]?.[n.index]], ['z', pick(rec('forward'), 'z')], ['a', pick(rec('forward'), 'a')]);
      rows.push(['δ', pick(rec('backward'), 'delta')]);
    }
    return [`neuron ${id}`, ...rows.filter(([, v]) => v !== undefined)];
  }
}
