// The phase indicator: where the current iteration is, and which equation of the seed paper the
// phase computes. Phase names and order are the engine's, as the server serves them (`phase_order`,
// and `phase_layers` for the phases that run once per layer: "1..L" forward, "L..1" backward).

const LOSS_TEXT = { mse: 'eq. 5 · E = ½(y − ŷ)²', binary_cross_entropy: 'binary cross-entropy (eq. 5’s role)',
  categorical_cross_entropy: 'categorical cross-entropy (eq. 5’s role)' };

// The phases of one iteration of a network with `depth` weight layers, in order.
export function phaseList(depth, { phase_order: order, phase_layers: perLayer = {} }) {
  const list = [];
  for (const name of order) {
    const layers = Array.from({ length: depth }, (_, n) => n + 1);
    if (perLayer[name] === 'L..1') layers.reverse();
    if (perLayer[name]) list.push(...layers.map((layer) => ({ name, layer })));
    else list.push({ name, layer: null });
  }
  return list;
}

// How many weight layers a phase count (the server's `phase.count`) stands for.
export function depthOf(count, { phase_order: order, phase_layers: perLayer = {} }) {
  const perLayerCount = order.filter((name) => perLayer[name]).length;
  return perLayerCount ? (count - (order.length - perLayerCount)) / perLayerCount : 0;
}

export function describePhase(phase, loss = 'mse') {
  if (!phase) return '';
  if (phase.name === 'forward') return `Forward pass · layer ${phase.layer} · eq. 1 weighted sum, eqs. 2–3 activation`;
  if (phase.name === 'loss') return `Error · ${LOSS_TEXT[loss] || loss}`;
  if (phase.name === 'backward') return `Backward pass · layer ${phase.layer} · eq. 4 chain rule`;
  return 'Update · eq. 6 w ← w − η·∂E/∂w';
}

function chipText(p) {
  if (p.name === 'forward') return `F${p.layer}`;
  if (p.name === 'backward') return `B${p.layer}`;
  return p.name === 'loss' ? 'E' : 'Δw';
}

export class PhaseIndicator {
  constructor(list, text, schedule) {
    this.list = list;
    this.text = text;
    this.schedule = schedule;
  }

  // phase: the server's "what comes next" {name, layer, index, count}; last: the phase just traced.
  show(phase, last, loss) {
    const phases = phaseList(phase.count ? depthOf(phase.count, this.schedule) : 0, this.schedule);
    if (phases.length !== this.list.children.length) {
      this.list.replaceChildren(...phases.map((p) => {
        const li = document.createElement('li');
        li.className = p.name;
        li.textContent = chipText(p);
        li.title = describePhase(p, loss);
        return li;
      }));
    }
    if (this.index !== phase.index || this.list.children.length !== this.count) {
      [...this.list.children].forEach((li, i) => {
        li.classList.toggle('done', i < phase.index);
        li.classList.toggle('next', i === phase.index);
      });
      this.index = phase.index;
      this.count = this.list.children.length;
    }
    const done = last ? `<strong>Just computed:</strong> <span data-testid="phase-done">${describePhase(last, loss)}</span> · ` : '';
    const html = `${done}<strong>Next:</strong> <span data-testid="phase-next">${describePhase(phase, loss)}</span>`;
    if (html !== this.html) { this.text.innerHTML = html; this.html = html; }
    const root = document.documentElement.dataset;
    if (root.phaseIndex !== String(phase.index)) { root.phase = phase.name; root.phaseIndex = phase.index; }
  }
}
