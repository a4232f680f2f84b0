// The inspector: the seed paper's equations for whatever is selected, filled with the numbers of the
// traced phase records (or the server's chain-rule answer for a weight). It shows one sample of the
// mini-batch at a time and says so, next to the batch mean the update actually uses. It never
// computes a number itself: every value shown comes from the API.
import { frac, math, mathLines, mi, mn, mo, mtext, paren, partial, row, sig, sub, sup } from './mathml.js';

const ACTIVATION_FORMULA = {
  sigmoid: () => frac(mn(1, 'f-1'), row(mn(1, 'f-1b'), mo('+'), sup(mi('e'), row(mo('−'), mi('z'))))),
  tanh: () => row(mi('tanh'), paren(mi('z'))),
  relu: () => row(mi('max'), paren(mn(0, 'f-0'), mo(','), mi('z'))),
  leaky_relu: () => row(mi('max'), paren(mn(0.01, 'f-slope'), mi('z'), mo(','), mi('z'))),
  linear: () => mi('z'),
  softmax: () => frac(sup(mi('e'), sub(mi('z'), mi('j'))), row(mo('∑'), sup(mi('e'), sub(mi('z'), mi('k'))))),
};
const ACTIVATION_EQ = { sigmoid: 'eq. 2', relu: 'eq. 3', leaky_relu: 'like eq. 3', tanh: 'like eq. 2',
  linear: 'identity', softmax: 'softmax' };

function card(title, body, extra = '') {
  return `<section class="eq-card"><h3>${title}</h3>${body}${extra}</section>`;
}

function parseNeuron(id) {
  const m = /^L(\d+)N(\d+)$/.exec(id);
  return { layer: Number(m[1]), index: Number(m[2]) };
}

function parseWeight(id) {
  const m = /^L(\d+)N(\d+)-L(\d+)N(\d+)$/.exec(id);
  return { k: Number(m[1]), i: Number(m[2]), j: Number(m[4]) };
}

export class Inspector {
  constructor(root, { onSample, onEdit, onClose, onSelect }) {
    this.root = root;
    this.onSelect = onSelect;
    this.onSample = onSample;
    this.onEdit = onEdit;
    this.onClose = onClose;
  }

  // ctx: {selection, state, trace, sample, chain, inputLabels}
  render(ctx) {
    const { selection } = ctx;
    // Announce the numbers of what the user picked, not the whole equation sheet at every step.
    const live = selection ? 'polite' : 'off';
    if (this.root.getAttribute('aria-live') !== live) this.root.setAttribute('aria-live', live);
    if (!selection) {
      const html = this.overview(ctx);
      if (html !== this.html) { this.html = html; this.root.innerHTML = html; }
      return;
    }
    let html;
    if (selection.kind === 'neuron') html = this.neuron(ctx);
    else if (selection.kind === 'weight') html = this.weight(ctx);
    else html = this.bias(ctx);
    if (html === this.html) return; // unchanged: keep focus and whatever is being typed
    const typing = this.root.querySelector('.edit-form input[data-dirty]');
    const kept = typing && { id: typing.form.dataset.id, value: typing.value, focused: document.activeElement === typing };
    this.html = html;
    this.root.innerHTML = html;
    this.wire(ctx);
    const input = kept && this.root.querySelector(`.edit-form[data-id="${kept.id}"] input`);
    if (input) { // new numbers arrived while someone was editing: keep their edit
      input.value = kept.value;
      input.dataset.dirty = '1';
      if (kept.focused) input.focus();
    }
  }

  // Nothing selected: the seed paper's six equations, the ones the next phase computes highlighted.
  overview(ctx) {
    const next = ctx.state.phase?.name;
    const uses = { forward: [1, 2, 3], loss: [5], backward: [4], update: [6] }[next] || [];
    const w = sub(mi('w'), mi('ij'));
    const z = sub(mi('z'), mi('j'));
    const y = sub(mi('y'), mi('j'));
    const eqs = [
      [1, 'weighted sum', row(z, mo('='), mo('∑'), row(w, sub(mi('x'), mi('i'))), mo('+'), sub(mi('b'), mi('j')))],
      [2, 'sigmoid', row(mi('σ'), paren(mi('z')), mo('='), frac(mn(1, 'ov-1'), row(mn(1, 'ov-1b'), mo('+'), sup(mi('e'), row(mo('−'), mi('z'))))))],
      [3, 'ReLU', row(mi('f'), paren(mi('z')), mo('='), mi('max'), paren(mn(0, 'ov-0'), mo(','), mi('z')))],
      [4, 'chain rule (backward)', row(partial(mi('E'), w), mo('='), partial(mi('E'), y), mo('·'), partial(y, z), mo('·'), partial(z, w))],
      [5, 'error', row(mi('E'), mo('='), frac(mn(1, 'ov-h1'), mn(2, 'ov-h2')), sup(paren(mi('y'), mo('−'), mi('ŷ')), mn(2, 'ov-sq')))],
      [6, 'gradient descent', row(w, mo('←'), w, mo('−'), mi('η'), partial(mi('E'), w))],
    ];
    const cards = eqs.map(([n, name, body]) => `<section class="eq-card${uses.includes(n) ? ' current' : ''}"
      data-eq="${n}"><h3>eq. ${n} · ${name}</h3><math display="block">${body}</math></section>`).join('');
    return `<p class="hint">Click a neuron, a weight (edge) or a bias marker to fill these equations with live
      numbers; press → to step one phase. Highlighted: what the next phase computes.</p>
      <div class="eq-row overview">${cards}</div>`;
  }

  sampleBar(ctx) {
    const fwd = ctx.trace && ctx.trace.records.get('forward:1');
    if (!fwd) {
      const preview = ctx.selection.kind === 'weight' ? 'the chain rule previews the next mini-batch; ' : '';
      return `<span class="sample-bar muted">${preview}step a phase to trace a mini-batch and fill in every number</span>`;
    }
    const b = fwd.batch.length;
    const s = Math.min(ctx.sample, b - 1);
    const note = b > 1 ? `one sample of a mini-batch of ${b}; the update uses the batch mean` : 'the mini-batch is this one sample';
    return `<span class="sample-bar"><button type="button" class="round small" data-sample="-1" aria-label="Previous sample" ${s <= 0 ? 'disabled' : ''}>‹</button>
      <span data-testid="sample-label">sample ${s + 1} of ${b}</span>
      <button type="button" class="round small" data-sample="1" aria-label="Next sample" ${s >= b - 1 ? 'disabled' : ''}>›</button>
      <span class="muted">(training point #${fwd.batch[s]}; ${note})</span></span>`;
  }

  header(title, ctx) {
    return `<header class="inspector-head"><h2 data-testid="inspector-title">${title}</h2>${this.sampleBar(ctx)}
      <button type="button" class="round small close" aria-label="Close the inspector">×</button></header>`;
  }

  neuron(ctx) {
    const { layer, index: j } = parseNeuron(ctx.selection.id);
    const { state, trace } = ctx;
    const L = state.layers.length - 1;
    const s = ctx.sample;
    const fwdInput = trace && trace.records.get('forward:1');
    if (layer === 0) {
      const label = ctx.inputLabels[j] || `x${j + 1}`;
      const value = fwdInput ? fwdInput.a_prev[s][j] : null;
      const body = math(row(sub(mi('x'), mn(j + 1, 'i')), mo('='), mtext(label), mo('='), mn(value, 'input-value')),
        `input ${label} equals ${sig(value)}`);
      return this.header(`Input ${ctx.selection.id} · ${label}`, ctx) + `<div class="eq-row">${card('input feature', body)}</div>`;
    }
    const act = state.activations[layer];
    const role = layer === L ? 'output neuron' : `hidden layer ${layer}`;
    const fwd = trace && trace.records.get(`forward:${layer}`);
    const weights = trace ? trace.weights : state.weights;
    const biases = trace ? trace.biases : state.biases;
    const W = weights[layer - 1];
    const n = W.length;
    const cards = [];
    // eq. 1: z_j = Σ_i w_ij a_i + b_j, each term with its numbers
    const terms = [];
    const spoken = [];
    for (let i = 0; i < n; i += 1) {
      const a = fwd ? fwd.a_prev[s][i] : null;
      terms.push(row(mn(W[i][j], `eq1-w-${i}`), mo('·'), mn(a, `eq1-a-${i}`)));
      spoken.push(`${sig(W[i][j])} times ${sig(a)}`);
    }
    const z = fwd ? fwd.z[s][j] : null;
    // The symbolic line, then the terms four to a line (a wide layer stays readable), then z.
    const lines = [row(sub(mi('z'), mi('j')), mo('='), row(mo('∑'), sub(mi('w'), mi('ij')), sub(mi(layer === 1 ? 'x' : 'a'), mi('i'))),
      mo('+'), sub(mi('b'), mi('j')))];
    const parts = [...terms, mn(biases[layer - 1][j], 'eq1-b')];
    for (let start = 0; start < parts.length; start += 4) {
      lines.push(row(mo(start === 0 ? '=' : '+'), parts.slice(start, start + 4).join(mo('+'))));
    }
    lines.push(row(mo('='), mn(z, 'eq1-z')));
    const eq1 = lines.length <= 3
      ? math(row(lines[0], lines[1], lines[2]), `z equals ${spoken.join(' plus ')} plus bias ${sig(biases[layer - 1][j])}, equals ${sig(z)}`)
      : mathLines(lines, `z equals ${spoken.join(' plus ')} plus bias ${sig(biases[layer - 1][j])}, equals ${sig(z)}`);
    cards.push(card('eq. 1 · weighted sum', eq1));
    const a = fwd ? fwd.a[s][j] : null;
    const eq2 = math(row(sub(mi('a'), mi('j')), mo('='), mi(act === 'softmax' ? 'softmax' : 'f'), paren(sub(mi('z'), mi('j'))),
      mo('='), ACTIVATION_FORMULA[act](), mo('='), mn(a, 'eq2-a')), `activation ${act} of z equals ${sig(a)}`);
    cards.push(card(`${ACTIVATION_EQ[act]} · activation (${act})`, eq2));
    const loss = trace && trace.records.get('loss:null');
    if (layer === L && loss) cards.push(this.errorCard(ctx, loss, j));
    const bwd = trace && trace.records.get(`backward:${layer}`);
    if (bwd) {
      const dEda = bwd.dE_da[s][j];
      const dadz = bwd.da_dz ? bwd.da_dz[s][j] : null;
      const delta = bwd.delta[s][j];
      const body = bwd.da_dz
        ? row(sub(mi('δ'), mi('j')), mo('='), partial(mi('E'), sub(mi('z'), mi('j'))), mo('='),
          partial(mi('E'), sub(mi('a'), mi('j'))), mo('·'), partial(sub(mi('a'), mi('j')), sub(mi('z'), mi('j'))),
          mo('='), mn(dEda, 'delta-dE_da'), mo('·'), mn(dadz, 'delta-da_dz'), mo('='), mn(delta, 'delta-value'))
        : row(sub(mi('δ'), mi('j')), mo('='), partial(mi('E'), sub(mi('z'), mi('j'))), mo('='),
          sub(mi('ŷ'), mi('j')), mo('−'), sub(mi('y'), mi('j')), mo('='), mn(delta, 'delta-value'));
      cards.push(card('eq. 4 · error signal (backward)', math(body, `delta equals ${sig(delta)}`)));
    }
    // Keyboard (and screen reader) route to every weight and the bias feeding this neuron.
    const self = ctx.selection.id;
    const links = ctx.state.neuron_ids[layer - 1].map((from, i) => `<button type="button" class="link"
      data-select="weight:${from}-${self}" aria-label="Inspect weight ${from}-${self}">w ${i},${j}</button>`).join('');
    const nav = `<p class="links">inspect: ${links}<button type="button" class="link" data-select="bias:${self}-bias"
      aria-label="Inspect bias ${self}-bias">bias</button></p>`;
    return this.header(`Neuron ${ctx.selection.id} · ${role}`, ctx) + nav + `<div class="eq-row">${cards.join('')}</div>`;
  }

  errorCard(ctx, loss, j) {
    const s = ctx.sample;
    const y = loss.y[s][j]; const yHat = loss.y_hat[s][j]; const E = loss.per_sample[s];
    const name = ctx.state.config.loss;
    let formula;
    if (name === 'mse') {
      formula = row(mi('E'), mo('='), frac(mn(1, 'half-1'), mn(2, 'half-2')), sup(paren(mi('y'), mo('−'), mi('ŷ')), mn(2, 'sq')));
    } else if (name === 'binary_cross_entropy') {
      formula = row(mi('E'), mo('='), mo('−'), paren(mi('y'), mi('log'), mi('ŷ'), mo('+'), paren(mn(1, 'one'), mo('−'), mi('y')),
        mi('log'), paren(mn(1, 'one-b'), mo('−'), mi('ŷ'))));
    } else {
      formula = row(mi('E'), mo('='), mo('−'), mo('∑'), sub(mi('y'), mi('k')), mi('log'), sub(mi('ŷ'), mi('k')));
    }
    const numbers = row(mi('y'), mo('='), mn(y, 'loss-y'), mo(','), mi('ŷ'), mo('='), mn(yHat, 'loss-yhat'),
      mo('⇒'), mi('E'), mo('='), mn(E, 'loss-E'));
    const outputs = ctx.state.layers[ctx.state.layers.length - 1];
    const note = outputs > 1 ? '<p class="muted">E sums over all outputs of this sample.</p>' : '';
    return card(`eq. 5 · error (${name.replaceAll('_', ' ')})`, math(formula, 'error formula') +
      math(numbers, `target ${sig(y)}, output ${sig(yHat)}, error ${sig(E)}`),
      `${note}<p class="muted">batch mean E = <span data-testid="loss-batch">${sig(loss.loss)}</span></p>`);
  }

  weight(ctx) {
    const id = ctx.selection.id;
    const { k, i, j } = parseWeight(id);
    const w = ctx.state.weights[k][i][j];
    const c = ctx.chain;
    const cards = [];
    const wij = sub(mi('w'), mi(`${i},${j}`)); // the ids' indices: L{k}N{i} → L{k+1}N{j}
    if (ctx.chainError) {
      cards.push(card('eq. 4 · chain rule', `<p class="muted">${ctx.chainError}</p>`));
    } else if (!c) {
      cards.push(card('eq. 4 · chain rule', '<p class="muted">asking the server…</p>'));
    } else {
      const f = c.factors;
      const a = sub(mi('a'), mi('j')); const z = sub(mi('z'), mi('j'));
      const eq4 = f.da_dz === null
        ? row(partial(mi('E'), wij), mo('='), partial(mi('E'), z), mo('·'), partial(z, wij), mo('='),
          mn(c.delta, 'chain-delta'), mo('·'), mn(f.dz_dw, 'chain-dz_dw'), mo('='), mn(c.product, 'chain-product'))
        : row(partial(mi('E'), wij), mo('='), partial(mi('E'), a), mo('·'), partial(a, z), mo('·'), partial(z, wij),
          mo('='), mn(f.dE_da, 'chain-dE_da'), mo('·'), mn(f.da_dz, 'chain-da_dz'), mo('·'), mn(f.dz_dw, 'chain-dz_dw'),
          mo('='), mn(c.product, 'chain-product'));
      const spoken = f.da_dz === null ? `delta ${sig(c.delta)} times input ${sig(f.dz_dw)}`
        : `dE by da ${sig(f.dE_da)} times da by dz ${sig(f.da_dz)} times dz by dw ${sig(f.dz_dw)}`;
      const mean = `<p class="muted">${c.batch_size > 1 ? `sample ${c.sample + 1} of ${c.batch_size}; ` : ''}batch mean
        ∂E/∂w = <span data-testid="chain-batch-mean" data-value="${c.batch_mean}">${sig(c.batch_mean)}</span>
        ${c.note ? `<br>${c.note}` : ''}</p>`;
      cards.push(card('eq. 4 · chain rule', math(eq4, `${spoken} equals ${sig(c.product)}`), mean));
      if (c.update) cards.push(this.updateCard(c.update, wij, 'update', ctx.state.config.regularization));
      else cards.push(card('eq. 6 · update', `<p class="muted">the update of this iteration has not run yet;
        it will use ∂E/∂w = batch mean above</p>`));
    }
    cards.push(this.editCard('weight', id, w));
    return this.header(`Weight ${id} · from ${id.split('-')[0]} to ${id.split('-')[1]}`, ctx) +
      `<div class="eq-row">${cards.join('')}</div>`;
  }

  // eq. 6 first in symbols (with the regularisation and momentum terms that are in play), then in numbers.
  updateCard(u, symbol, prefix, regularization = 'none') {
    const lr = u.learning_rate;
    const eta = mi('η');
    const symbolic = [symbol, mo('←'), symbol, mo('−'), eta, partial(mi('E'), symbol)];
    if (u.regularization_term) {
      symbolic.push(mo('−'), eta, mi('λ'), regularization === 'l1' ? row(mi('sign'), paren(symbol)) : symbol);
    }
    if (u.momentum_term) symbolic.push(mo('−'), mi('μ'), sub(mi('v'), mi('prev')));
    const parts = [symbol, mo('←'), mn(u.weights_before, `${prefix}-before`), mo('−'), mn(lr, `${prefix}-lr`), mo('·'),
      mn(u.grad_weights, `${prefix}-grad`)];
    if (u.regularization_term) parts.push(mo('+'), mn(u.regularization_term, `${prefix}-reg`));
    if (u.momentum_term) parts.push(mo('+'), mn(u.momentum_term, `${prefix}-momentum`));
    parts.push(mo('='), mn(u.weights_after, `${prefix}-after`));
    const terms = [];
    if (u.regularization_term) terms.push(`regularisation term −ηλ${regularization === 'l1' ? '·sign(w)' : 'w'} = ${sig(u.regularization_term)}`);
    if (u.momentum_term) terms.push(`momentum term −μv = ${sig(u.momentum_term)}`);
    const extra = `<p class="muted">Δ = <span data-testid="${prefix}-delta" data-value="${u.delta_weights}">${sig(u.delta_weights)}</span>
      ${terms.length ? ` · ${terms.join(' · ')}` : ''}</p>`;
    const spoken = `new value equals ${sig(u.weights_before)} minus ${sig(lr)} times ${sig(u.grad_weights)}`
      + (u.regularization_term ? ` plus regularisation term ${sig(u.regularization_term)}` : '')
      + (u.momentum_term ? ` plus momentum term ${sig(u.momentum_term)}` : '') + ` equals ${sig(u.weights_after)}`;
    return card('eq. 6 · gradient descent', mathLines([row(...symbolic), row(...parts)], spoken), extra);
  }

  bias(ctx) {
    const id = ctx.selection.id;
    const { layer, index: j } = parseNeuron(id.slice(0, -5));
    const b = ctx.state.biases[layer - 1][j];
    const cards = [];
    const bwd = ctx.trace && ctx.trace.records.get(`backward:${layer}`);
    const bj = sub(mi('b'), mi('j'));
    if (bwd) {
      const g = bwd.grad_biases[j];
      cards.push(card('eq. 4 · bias gradient', math(row(partial(mi('E'), bj), mo('='), partial(mi('E'), sub(mi('z'), mi('j'))),
        mo('·'), mn(1, 'one'), mo('='), mn(g, 'bias-grad')), `gradient of the bias, batch mean, equals ${sig(g)}`),
      '<p class="muted">∂z/∂b = 1, so the gradient is δ averaged over the batch</p>'));
    }
    const up = ctx.trace && ctx.trace.records.get(`update:${layer}`);
    if (up) {
      cards.push(this.updateCard({ learning_rate: up.learning_rate, weights_before: up.biases_before[j],
        grad_weights: up.grad_biases[j], weights_after: up.biases_after[j], delta_weights: up.delta_biases[j],
        momentum_term: up.momentum_term_biases ? up.momentum_term_biases[j] : 0, regularization_term: 0 }, bj, 'bias-update'));
    }
    if (!cards.length) cards.push(card('bias', '<p class="muted">step through a backward pass to see its gradient</p>'));
    cards.push(this.editCard('bias', id, b));
    return this.header(`Bias ${id}`, ctx) + `<div class="eq-row">${cards.join('')}</div>`;
  }

  editCard(kind, id, value) {
    return card(`edit this ${kind}`, `<form class="edit-form" data-kind="${kind}" data-id="${id}">
      <label>value <input type="number" step="any" name="value" value="${value}" data-testid="edit-value"
        aria-label="New value for ${kind} ${id}"></label>
      <button type="submit">Set</button></form>
      <p class="muted">applied in place: counters and history stay</p>`);
  }

  wire(ctx) {
    this.root.querySelectorAll('[data-sample]').forEach((b) => b.addEventListener('click',
      () => this.onSample(Number(b.dataset.sample))));
    this.root.querySelector('.close')?.addEventListener('click', () => this.onClose());
    this.root.querySelectorAll('[data-select]').forEach((b) => b.addEventListener('click', () => {
      const [kind, id] = b.dataset.select.split(':');
      this.onSelect({ kind, id });
    }));
    const form = this.root.querySelector('.edit-form');
    form?.elements.value.addEventListener('input', (e) => { e.target.dataset.dirty = '1'; });
    form?.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = Number(form.elements.value.value);
      if (Number.isFinite(value)) this.onEdit(form.dataset.kind, form.dataset.id, value);
    });
  }
}
