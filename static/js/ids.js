// The engine's ids (`L1N0`, `L0N2-L1N0`, `L1N0-bias`) from the grammar the server serves in
// `GET /api/options` → `ids`: one regular expression per kind, with the layer and index as groups.
// Parsing uses those expressions as they are; building a weight or bias id reads the joiner and the
// suffix off them (a weight is two neuron ids joined, a bias is a neuron id with a suffix), so the
// grammar is stated once, on the server. Pure: no DOM.

const body = (source) => source.replace(/^\^/, '').replace(/\$$/, '');
const literal = (text) => text.replace(/\\(.)/g, '$1');

export function makeIds(grammar) {
  const neuron = new RegExp(grammar.neuron);
  const weight = new RegExp(grammar.weight);
  const bias = new RegExp(grammar.bias);
  const one = body(grammar.neuron);
  const pair = body(grammar.weight);
  const single = body(grammar.bias);
  if (!pair.startsWith(one) || !pair.endsWith(one) || !single.startsWith(one)) {
    throw new Error('the served id grammar does not build weights and biases from neuron ids');
  }
  const joiner = literal(pair.slice(one.length, pair.length - one.length));
  const suffix = literal(single.slice(one.length));
  const ids = {
    // 'L1N3' → {layer: 1, index: 3}, or null when it is no neuron id.
    neuron(id) {
      const m = neuron.exec(id);
      return m && { layer: Number(m[1]), index: Number(m[2]) };
    },
    // 'L0N2-L1N0' → {k: 0, i: 2, j: 0, from: 'L0N2', to: 'L1N0'} (weights[k][i][j]), or null.
    weight(id) {
      const m = weight.exec(id);
      if (!m) return null;
      let at = id.indexOf(joiner);
      while (at >= 0 && !(neuron.test(id.slice(0, at)) && neuron.test(id.slice(at + joiner.length)))) {
        at = id.indexOf(joiner, at + 1);
      }
      return { k: Number(m[1]), i: Number(m[2]), j: Number(m[4]), from: id.slice(0, at), to: id.slice(at + joiner.length) };
    },
    // 'L1N0-bias' → {layer: 1, index: 0, neuron: 'L1N0'}, or null.
    bias(id) {
      const m = bias.exec(id);
      return m && { layer: Number(m[1]), index: Number(m[2]), neuron: id.slice(0, id.length - suffix.length) };
    },
    weightId: (from, to) => `${from}${joiner}${to}`,
    biasId: (neuronId) => `${neuronId}${suffix}`,
    // The neuron a selection belongs to: itself, a bias's neuron; null for a weight.
    neuronOf(id) {
      if (neuron.test(id)) return id;
      return ids.bias(id)?.neuron ?? null;
    },
  };
  return ids;
}
