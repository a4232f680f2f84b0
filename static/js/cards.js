// The inspector's content for one selection, as markup: a header with the sample it shows, then a
// card per equation (equations.js) filled from the traced records of the current iteration or the
// server's chain answer for a weight. Pure functions of the context: no DOM.
// ctx: {selection, state (+ activations, config), trace, sample, chain, chainError, inputLabels, ids}
import {
  ACTIVATION_EQ, activationEquation, chainEquation, deltaEquation, errorFormula,
  overviewEquations, phaseEquations, updateEquation, weightedSum,
} from './equations.js';
import { sig } from './format.js';
import { math, mi, mn, mo, mtext, partial, row, sub } from './mathml.js';

export function card(title, body, extra = '') {
  return `<section class="eq-card"><h3>${title}</h3>${body}${extra}</section>`;
}

// Nothing selected: the six equations, the ones the next phase computes highlighted.
export function overview(ctx) {
  const acts = ctx.state.activations || [];
  const uses = phaseEquations(ctx.state.phase, acts.length - 1);
  const cards = overviewEquations(acts.length ? acts : undefined, ctx.state.config?.loss).map(([n, name, body]) => `<section class="eq-card${uses.includes(n) ? ' current' : ''}"
      data-eq="${n}"><h3>eq. ${n > 1 && n < 4 ? '2–3' : n} · ${name}</h3><math display="block">${body}</math></section>`).join('');
  return `<p class="hint">Click a neuron, a weight (edge) or a bias marker to fill these equations with live
      numbers; press → to step one phase. Highlighted: what the next phase computes.</p>
      <div class="eq-row overview">${cards}</div>`;
}

function sampleBar(ctx) {
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

function header(title, ctx) {
  return `<header class="inspector-head"><h2 data-testid="inspector-title">${title}</h2>${sampleBar(ctx)}
      <button type="button" class="round small close" aria-label="Close the inspector">×</button></header>`;
}

function editCard(kind, id, value) {
  return card(`edit this ${kind}`, `<form class="edit-form" data-kind="${kind}" data-id="${id}">
      <label>value <input type="number" step="any" name="value" value="${value}" data-testid="edit-value"
        aria-label="New value for ${kind} ${id}"></label>
      <button type="submit">Set</button></form>
      <p class="muted">applied in place: counters and history stay</p>`);
}

export function neuron(ctx) {
  const { layer, index: j } = ctx.ids.neuron(ctx.selection.id);
  const { state, trace } = ctx;
  const L = state.layers.length - 1;
  const s = ctx.sample;
  if (layer === 0) {
    const fwdInput = trace && trace.records.get('forward:1');
    const label = ctx.inputLabels[j] || `x${j + 1}`;
    const value = fwdInput ? fwdInput.a_prev[s][j] : null;
    const body = math(row(sub(mi('x'), mn(j + 1, 'i')), mo('='), mtext(label), mo('='), mn(value, 'input-value')),
      `input ${label} equals ${sig(value)}`);
    return header(`Input ${ctx.selection.id} · ${label}`, ctx) + `<div class="eq-row">${card('input feature', body)}</div>`;
  }
  const act = state.activations[layer];
  const role = layer === L ? 'output neuron' : `hidden layer ${layer}`;
  const fwd = trace && trace.records.get(`forward:${layer}`);
  const weights = trace ? trace.weights : state.weights;
  const biases = trace ? trace.biases : state.biases;
  const cards = [
    card('eq. 1 · weighted sum', weightedSum(weights[layer - 1], j, fwd ? fwd.a_prev[s] : null, biases[layer - 1][j],
      fwd ? fwd.z[s][j] : null, layer)),
    card(`${ACTIVATION_EQ[act]} · activation (${act})`, activationEquation(act, fwd ? fwd.a[s][j] : null)),
  ];
  const loss = trace && trace.records.get('loss:null');
  if (layer === L && loss) cards.push(errorCard(ctx, loss, j));
  const bwd = trace && trace.records.get(`backward:${layer}`);
  if (bwd) {
    const body = deltaEquation(bwd.dE_da[s][j], bwd.da_dz ? bwd.da_dz[s][j] : null, bwd.delta[s][j]);
    cards.push(card('eq. 4 · error signal (backward)', body));
  }
  // Keyboard (and screen reader) route to every weight and the bias feeding this neuron.
  const self = ctx.selection.id;
  const links = state.neuron_ids[layer - 1].map((from, i) => {
    const id = ctx.ids.weightId(from, self);
    return `<button type="button" class="link" data-select="weight:${id}" aria-label="w ${i},${j}: inspect weight ${id}">w ${i},${j}</button>`;
  }).join('');
  const biasId = ctx.ids.biasId(self);
  const nav = `<p class="links">inspect: ${links}<button type="button" class="link" data-select="bias:${biasId}"
      aria-label="Inspect bias ${biasId}">bias</button></p>`;
  return header(`Neuron ${self} · ${role}`, ctx) + nav + `<div class="eq-row">${cards.join('')}</div>`;
}

function errorCard(ctx, loss, j) {
  const s = ctx.sample;
  const y = loss.y[s][j]; const yHat = loss.y_hat[s][j]; const E = loss.per_sample[s];
  const name = ctx.state.config.loss;
  const numbers = row(mi('y'), mo('='), mn(y, 'loss-y'), mo(','), mi('ŷ'), mo('='), mn(yHat, 'loss-yhat'),
    mo('⇒'), mi('E'), mo('='), mn(E, 'loss-E'));
  const outputs = ctx.state.layers[ctx.state.layers.length - 1];
  const note = outputs > 1 ? '<p class="muted">E sums over all outputs of this sample.</p>' : '';
  return card(`eq. 5 · error (${name.replaceAll('_', ' ')})`, math(errorFormula(name), 'error formula') +
    math(numbers, `target ${sig(y)}, output ${sig(yHat)}, error ${sig(E)}`),
  `${note}<p class="muted">batch mean E = <span data-testid="loss-batch">${sig(loss.loss)}</span></p>`);
}

function updateCard(u, symbol, prefix, regularization) {
  const { equation, extra } = updateEquation(u, symbol, prefix, regularization);
  return card('eq. 6 · gradient descent', equation, extra);
}

export function weight(ctx) {
  const id = ctx.selection.id;
  const { k, i, j, from, to } = ctx.ids.weight(id);
  const w = ctx.state.weights[k][i][j];
  const c = ctx.chain;
  const cards = [];
  const wij = sub(mi('w'), mi(`${i},${j}`)); // the ids' indices: L{k}N{i} → L{k+1}N{j}
  if (ctx.chainError) {
    cards.push(card('eq. 4 · chain rule', `<p class="muted">${ctx.chainError}</p>`));
  } else if (!c) {
    cards.push(card('eq. 4 · chain rule', '<p class="muted">asking the server…</p>'));
  } else {
    const mean = `<p class="muted">${c.batch_size > 1 ? `sample ${c.sample + 1} of ${c.batch_size}; ` : ''}batch mean
        ∂E/∂w = <span data-testid="chain-batch-mean" data-value="${c.batch_mean}">${sig(c.batch_mean)}</span>
        ${c.note ? `<br>${c.note}` : ''}</p>`;
    cards.push(card('eq. 4 · chain rule', chainEquation(c, wij), mean));
    if (c.update) cards.push(updateCard(c.update, wij, 'update', ctx.state.config.regularization));
    else cards.push(card('eq. 6 · update', `<p class="muted">the update of this iteration has not run yet;
        it will use ∂E/∂w = batch mean above</p>`));
  }
  cards.push(editCard('weight', id, w));
  return header(`Weight ${id} · from ${from} to ${to}`, ctx) + `<div class="eq-row">${cards.join('')}</div>`;
}

export function bias(ctx) {
  const id = ctx.selection.id;
  const { layer, index: j } = ctx.ids.bias(id);
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
    cards.push(updateCard({ learning_rate: up.learning_rate, weights_before: up.biases_before[j],
      grad_weights: up.grad_biases[j], weights_after: up.biases_after[j], delta_weights: up.delta_biases[j],
      momentum_term: up.momentum_term_biases ? up.momentum_term_biases[j] : 0, regularization_term: 0 }, bj, 'bias-update'));
  }
  if (!cards.length) cards.push(card('bias', '<p class="muted">step through a backward pass to see its gradient</p>'));
  cards.push(editCard('bias', id, b));
  return header(`Bias ${id}`, ctx) + `<div class="eq-row">${cards.join('')}</div>`;
}
