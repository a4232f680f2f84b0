import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  activations, fitOutputs, requestBody, withFeatureToggled, withHiddenLayers, withLoss, withNeurons,
} from '../../static/js/configedit.js';
import { defaultsOf } from '../../static/js/fields.js';
import { FIELDS, PAIRING } from './fixtures.mjs';

const base = () => defaultsOf(FIELDS);

test('the request body carries every field of the table, nested as named', () => {
  const body = requestBody(FIELDS, base());
  assert.deepEqual(Object.keys(body).sort(), ['activation', 'batch_size', 'dataset', 'features', 'init', 'layers',
    'learning_rate', 'loss', 'momentum', 'output_activation', 'regularization', 'regularization_rate', 'seed']);
  assert.deepEqual(body.dataset, { name: 'circle', samples: 500, noise: 0, train_ratio: 0.5, seed: 0 });
});

test('uploaded data and given weights are left to the server', () => {
  const config = { ...base(), init: 'explicit', dataset: { name: 'custom' } };
  const body = requestBody(FIELDS, config, { weights: [[[1]]], biases: [[0]] });
  assert.equal(body.dataset, undefined);
  assert.equal(body.init, 'uniform');
  assert.deepEqual(body.weights, [[[1]]]);
});

test('activations per layer: none for the inputs, the output last', () => {
  assert.deepEqual(activations(base()), [null, 'tanh', 'tanh', 'tanh']);
  assert.deepEqual(activations({ ...base(), activation: ['relu', 'sigmoid'], output_activation: 'linear' }),
    [null, 'relu', 'sigmoid', 'linear']);
});

test('outputs fit the data: softmax a unit per class, regression squared error', () => {
  const c = base();
  c.output_activation = 'softmax';
  fitOutputs(c, 'classification', 3, PAIRING);
  assert.equal(c.layers.at(-1), 3);
  fitOutputs(c, 'regression', 0, PAIRING);
  assert.equal(c.output_activation, 'tanh');
  assert.equal(c.loss, 'mse');
  assert.equal(c.layers.at(-1), 1);
});

test('a loss brings an output activation it pairs with', () => {
  const next = withLoss(base(), 'binary_cross_entropy', 'classification', 2, PAIRING);
  assert.equal(next.output_activation, 'sigmoid');
  assert.equal(next.loss, 'binary_cross_entropy');
});

test('features: toggled in the table order, never none', () => {
  const on = withFeatureToggled(base(), 'x1sq', ['x1', 'x2', 'x1sq']);
  assert.deepEqual(on.features, ['x1', 'x2', 'x1sq']);
  assert.equal(on.layers[0], 3);
  assert.equal(withFeatureToggled({ ...base(), features: ['x1'] }, 'x1', ['x1']), null);
});

test('neurons and hidden layers within the drawing limits', () => {
  assert.deepEqual(withNeurons(base(), 1, 1, 8).layers, [2, 5, 2, 1]);
  assert.equal(withNeurons(base(), 2, -2, 8), null);
  const more = withHiddenLayers(base(), +1, 6, 'tanh');
  assert.deepEqual(more.layers, [2, 4, 2, 2, 1]);
  assert.equal(withHiddenLayers(more, +1, 3, 'tanh'), null);
  const none = withHiddenLayers(withHiddenLayers(base(), -1, 6, 'tanh'), -1, 6, 'relu');
  assert.deepEqual(none.layers, [2, 1]);
  assert.equal(none.activation, 'relu');
});

test('edits never change the configuration they start from', () => {
  const c = base();
  withNeurons(c, 1, 1, 8);
  withHiddenLayers(c, 1, 6, 'tanh');
  assert.deepEqual(c, base());
});
