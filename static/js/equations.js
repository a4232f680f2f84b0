// The seed paper's equations as MathML, symbolic or filled in with numbers the server sent: eq. 1
// weighted sum, eqs. 2–3 activations, eq. 4 chain rule, eq. 5 error, eq. 6 gradient descent. Each
// builder returns markup (with a spoken twin where a number is shown) and computes nothing: every
// number comes from a trace record or a chain answer. Pure: no DOM.
import { sig } from './format.js';
import { frac, math, mathLines, mi, mn, mo, paren, partial, row, sub, sup } from './mathml.js';

const ACTIVATION_FORMULA = {
  sigmoid: () => frac(mn(1, 'f-1'), row(mn(1, 'f-1b'), mo('+'), sup(mi('e'), row(mo('−'), mi('z'))))),
  tanh: () => row(mi('tanh'), paren(mi('z'))),
  relu: () => row(mi('max'), paren(mn(0, 'f-0'), mo(','), mi('z'))),
  leaky_relu: () => row(mi('max'), paren(mn(0.01, 'f-slope'), mi('z'), mo(','), mi('z'))),
  linear: () => mi('z'),
  softmax: () => frac(sup(mi('e'), sub(mi('z'), mi('j'))), row(mo('∑'), sup(mi('e'), sub(mi('z'), mi('k'))))),
};
export const ACTIVATION_EQ = { sigmoid: 'eq. 2', relu: 'eq. 3', leaky_relu: 'like eq. 3', tanh: 'like eq. 2',
  linear: 'identity', softmax: 'softmax' };

// Which of the six equations each phase computes.
export const PHASE_EQUATIONS = { forward: [1, 2, 3], loss: [5], backward: [4], update: [6] };

export function activationFormula(name) {
  return ACTIVATION_FORMULA[name]();
}

// The six equations in symbols, as [number, name, body] for the overview, with the activations and
// the loss this network uses (acts: per layer, null for the inputs; loss: the loss's name).
export function overviewEquations(acts = [null, 'sigmoid', 'relu'], loss = 'mse') {
  const w = sub(mi('w'), mi('ij'));
  const z = sub(mi('z'), mi('j'));
  const y = sub(mi('y'), mi('j'));
  const hidden = [...new Set(acts.slice(1, -1))];
  const out = acts[acts.length - 1];
  const f = (name) => row(mi(name === 'softmax' ? 'softmax' : 'f'), paren(mi('z')), mo('='), activationFormula(name));
  return [
    [1, 'weighted sum', row(z, mo('='), mo('∑'), row(w, sub(mi('x'), mi('i'))), mo('+'), sub(mi('b'), mi('j')))],
    [2, `hidden activation: ${hidden.join(', ') || 'none'}`, hidden.length ? f(hidden[0]) : row(mo('—'))],
    [3, `output activation: ${out}`, f(out)],
    [4, 'chain rule (backward)', row(partial(mi('E'), w), mo('='), partial(mi('E'), y), mo('·'), partial(y, z), mo('·'), partial(z, w))],
    [5, `error: ${LOSS_NAMES[loss] || loss}`, errorFormula(loss)],
    [6, 'gradient descent', row(w, mo('←'), w, mo('−'), mi('η'), partial(mi('E'), w))],
  ];
}

const LOSS_NAMES = { mse: 'squared error', binary_cross_entropy: 'binary cross-entropy',
  categorical_cross_entropy: 'categorical cross-entropy' };

// Which overview equations a phase computes: a hidden layer's forward pass eqs. 1–2, the output's 1 and 3.
export function phaseEquations(phase, depth) {
  if (phase?.name === 'forward') return phase.layer === depth ? [1, 3] : [1, 2];
  return PHASE_EQUATIONS[phase?.name] || [];
}

// eq. 1 for neuron j of `layer`: the symbolic line, the terms w·a (and b) three to a line, then z; one
// line only for a single weight (two products of six-digit numbers overflow a card at 1024 px).
// W: the layer's weights (W[i][j]); aPrev: the sample's inputs to it (or null); b: bias; z: result.
const TERMS_A_LINE = 3;
export function weightedSum(W, j, aPrev, b, z, layer) {
  const terms = [];
  const spoken = [];
  for (let i = 0; i < W.length; i += 1) {
    const a = aPrev ? aPrev[i] : null;
    terms.push(row(mn(W[i][j], `eq1-w-${i}`), mo('·'), mn(a, `eq1-a-${i}`)));
    spoken.push(`${sig(W[i][j])} times ${sig(a)}`);
  }
  const lines = [row(sub(mi('z'), mi('j')), mo('='), row(mo('∑'), sub(mi('w'), mi('ij')), sub(mi(layer === 1 ? 'x' : 'a'), mi('i'))),
    mo('+'), sub(mi('b'), mi('j')))];
  const parts = [...terms, mn(b, 'eq1-b')];
  for (let start = 0; start < parts.length; start += TERMS_A_LINE) {
    lines.push(row(mo(start === 0 ? '=' : '+'), parts.slice(start, start + TERMS_A_LINE).join(mo('+'))));
  }
  lines.push(row(mo('='), mn(z, 'eq1-z')));
  const label = `z equals ${spoken.join(' plus ')} plus bias ${sig(b)}, equals ${sig(z)}`;
  return parts.length <= 2 ? math(row(lines[0], lines[1], lines[2]), label) : mathLines(lines, label);
}

// eqs. 2–3: a_j = f(z_j) = formula = value.
export function activationEquation(act, a) {
  return math(row(sub(mi('a'), mi('j')), mo('='), mi(act === 'softmax' ? 'softmax' : 'f'), paren(sub(mi('z'), mi('j'))),
    mo('='), activationFormula(act), mo('='), mn(a, 'eq2-a')), `activation ${act} of z equals ${sig(a)}`);
}

// eq. 4 at a neuron: δ = ∂E/∂a · ∂a/∂z, or ŷ − y where the loss and output pair cancel (dadz null).
// The chain of factors takes two lines, symbols over numbers: one line overflows a card at 1024 px.
export function deltaEquation(dEda, dadz, delta) {
  const label = `delta equals ${sig(delta)}`;
  if (dadz === null || dadz === undefined) {
    return math(row(sub(mi('δ'), mi('j')), mo('='), partial(mi('E'), sub(mi('z'), mi('j'))), mo('='),
      sub(mi('ŷ'), mi('j')), mo('−'), sub(mi('y'), mi('j')), mo('='), mn(delta, 'delta-value')), label);
  }
  return mathLines([row(sub(mi('δ'), mi('j')), mo('='), partial(mi('E'), sub(mi('z'), mi('j'))), mo('='),
    partial(mi('E'), sub(mi('a'), mi('j'))), mo('·'), partial(sub(mi('a'), mi('j')), sub(mi('z'), mi('j')))),
  row(mo('='), mn(dEda, 'delta-dE_da'), mo('·'), mn(dadz, 'delta-da_dz'), mo('='), mn(delta, 'delta-value'))], label);
}

// eq. 5 in symbols for the loss in use.
export function errorFormula(name) {
  if (name === 'mse') {
    return row(mi('E'), mo('='), frac(mn(1, 'half-1'), mn(2, 'half-2')), sup(paren(mi('y'), mo('−'), mi('ŷ')), mn(2, 'sq')));
  }
  if (name === 'binary_cross_entropy') {
    return row(mi('E'), mo('='), mo('−'), paren(mi('y'), mi('log'), mi('ŷ'), mo('+'), paren(mn(1, 'one'), mo('−'), mi('y')),
      mi('log'), paren(mn(1, 'one-b'), mo('−'), mi('ŷ'))));
  }
  return row(mi('E'), mo('='), mo('−'), mo('∑'), sub(mi('y'), mi('k')), mi('log'), sub(mi('ŷ'), mi('k')));
}

// eq. 4 for one weight, from the server's chain answer: three factors, or δ · input where ∂a/∂z folds in.
export function chainEquation(c, wij) {
  const f = c.factors;
  const a = sub(mi('a'), mi('j')); const z = sub(mi('z'), mi('j'));
  const lines = f.da_dz === null // symbols over numbers, as eq. 4 at a neuron
    ? [row(partial(mi('E'), wij), mo('='), partial(mi('E'), z), mo('·'), partial(z, wij)), row(mo('='),
      mn(c.delta, 'chain-delta'), mo('·'), mn(f.dz_dw, 'chain-dz_dw'), mo('='), mn(c.product, 'chain-product'))]
    : [row(partial(mi('E'), wij), mo('='), partial(mi('E'), a), mo('·'), partial(a, z), mo('·'), partial(z, wij)),
      row(mo('='), mn(f.dE_da, 'chain-dE_da'), mo('·'), mn(f.da_dz, 'chain-da_dz'), mo('·'), mn(f.dz_dw, 'chain-dz_dw'),
        mo('='), mn(c.product, 'chain-product'))];
  const spoken = f.da_dz === null ? `delta ${sig(c.delta)} times input ${sig(f.dz_dw)}`
    : `dE by da ${sig(f.dE_da)} times da by dz ${sig(f.da_dz)} times dz by dw ${sig(f.dz_dw)}`;
  return mathLines(lines, `${spoken} equals ${sig(c.product)}`);
}

// eq. 6 in symbols (with the regularisation and momentum terms in play), then in numbers.
// u: {learning_rate, weights_before, grad_weights, weights_after, delta_weights, regularization_term,
// momentum_term}; → {equation, extra} markup.
export function updateEquation(u, symbol, prefix, regularization = 'none') {
  const lr = u.learning_rate;
  const eta = mi('η');
  const symbolic = [symbol, mo('←'), symbol, mo('−'), eta, partial(mi('E'), symbol)];
  if (u.regularization_term) {
    symbolic.push(mo('−'), eta, mi('λ'), regularization === 'l1' ? row(mi('sign'), paren(symbol)) : symbol);
  }
  if (u.momentum_term) symbolic.push(mo('−'), mi('μ'), sub(mi('v'), mi('prev')));
  const parts = [symbol, mo('←'), mn(u.weights_before, `${prefix}-before`), mo('−'), mn(lr, `${prefix}-lr`), mo('·'),
    mn(u.grad_weights, `${prefix}-grad`)];
  const more = []; // the extra terms and the result: a line of their own when there are extra terms
  if (u.regularization_term) more.push(mo('+'), mn(u.regularization_term, `${prefix}-reg`));
  if (u.momentum_term) more.push(mo('+'), mn(u.momentum_term, `${prefix}-momentum`));
  more.push(mo('='), mn(u.weights_after, `${prefix}-after`));
  const terms = [];
  if (u.regularization_term) terms.push(`regularisation term −ηλ${regularization === 'l1' ? '·sign(w)' : 'w'} = ${sig(u.regularization_term)}`);
  if (u.momentum_term) terms.push(`momentum term −μv = ${sig(u.momentum_term)}`);
  const extra = `<p class="muted">Δ = <span data-testid="${prefix}-delta" data-value="${u.delta_weights}">${sig(u.delta_weights)}</span>
      ${terms.length ? ` · ${terms.join(' · ')}` : ''}</p>`;
  const spoken = `new value equals ${sig(u.weights_before)} minus ${sig(lr)} times ${sig(u.grad_weights)}`
    + (u.regularization_term ? ` plus regularisation term ${sig(u.regularization_term)}` : '')
    + (u.momentum_term ? ` plus momentum term ${sig(u.momentum_term)}` : '') + ` equals ${sig(u.weights_after)}`;
  const numbers = more.length > 2 ? [row(...parts), row(...more)] : [row(...parts, ...more)];
  return { equation: mathLines([row(...symbolic), ...numbers], spoken), extra };
}
