import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  classNames, cleared, configForCsv, csvQuery, dataBody, draftProblem, isCustom, withOwnData, withPoint,
  withoutPointNear,
} from '../../static/js/userdata.js';

const DATA = { x_train: [[0, 0], [1, 1]], y_train: [0, 1], x_test: [[2, 2]], y_test: [1], kind: 'classification',
  n_classes: 2, labels: ['cat', 'dog'], columns: ['a', 'b'], target: 'pet' };
const CONFIG = { layers: [2, 4, 2, 1], output_activation: 'tanh', loss: 'mse', init: 'uniform', features: ['x1', 'x2'],
  dataset: { name: 'circle', noise: 0, train_ratio: 0.5 } };

test('a network on your data carries its points and names when it is remade', () => {
  const config = { ...CONFIG, dataset: { name: 'custom' } };
  assert.ok(isCustom(config) && !isCustom(CONFIG));
  const body = withOwnData({ layers: [2, 3, 1] }, config, DATA);
  assert.deepEqual(body.data, { x_train: DATA.x_train, y_train: DATA.y_train, x_test: DATA.x_test, y_test: DATA.y_test,
    kind: 'classification', columns: ['a', 'b'], target: 'pet', labels: ['cat', 'dog'] });
  assert.equal(withOwnData({}, CONFIG, DATA).data, undefined);
  assert.equal('features' in withOwnData({ features: null }, { dataset: { name: 'custom' }, features: null }, DATA), false);
  assert.equal(dataBody({ ...DATA, x_test: [], y_test: [] }).x_test, undefined);
});

test('a parsed CSV gives the layers the server fits, keeping the hidden layers', () => {
  const parsed = { inputs: ['a', 'b', 'c'], target: 'species', labels: ['x', 'y', 'z'],
    network: { layers: [3, 4, 2, 3], output_activation: 'softmax', loss: 'categorical_cross_entropy' } };
  const next = configForCsv({ ...CONFIG, layers: [2, 8, 1] }, parsed);
  assert.deepEqual(next.layers, [3, 8, 3]);
  assert.equal(next.output_activation, 'softmax');
  assert.equal(next.features, null);
  assert.deepEqual(next.dataset, { name: 'custom', columns: ['a', 'b', 'c'], target: 'species', labels: ['x', 'y', 'z'] });
});

test('the CSV query names only what the user chose', () => {
  assert.equal(csvQuery({}, 0.5, 3), 'train_ratio=0.5&seed=3');
  assert.equal(csvQuery({ target: 'y', inputs: ['a', 'b'], kind: 'regression', header: false }),
    'target=y&inputs=a%2Cb&kind=regression&header=false');
});

test('drawing adds a training point; erasing removes the nearest within reach', () => {
  const added = withPoint(DATA, [3, 3], 1);
  assert.deepEqual(added.x_train, [[0, 0], [1, 1], [3, 3]]);
  assert.deepEqual(DATA.x_train, [[0, 0], [1, 1]]); // the original is untouched
  const erased = withoutPointNear(added, [2.1, 2.1], 0.5);
  assert.deepEqual(erased.x_test, []);
  assert.equal(withoutPointNear(DATA, [5, 5], 0.5), null);
});

test('a cleared drawing says what it needs before it can train', () => {
  const empty = cleared(DATA);
  assert.equal(draftProblem(empty), 'Click on the map to add points.');
  assert.equal(draftProblem(withPoint(empty, [0, 0], 1)), 'Add points of a second class.');
  assert.equal(draftProblem(withPoint(withPoint(empty, [0, 0], 1), [1, 0], 0)), null);
  assert.deepEqual(classNames(DATA, 3), ['cat', 'dog', '2']);
});

test('leaving your data for a built-in dataset brings back the generator and the features', async () => {
  const { leaveOwnData } = await import('../../static/js/userdata.js');
  const own = { ...CONFIG, layers: [3, 4, 2], features: null,
    dataset: { name: 'circle', columns: ['a', 'b', 'c'], target: 't', labels: ['x', 'y'] } };
  const next = leaveOwnData(own, { features: ['x1', 'x2'], dataset: { name: 'xor', noise: 0, train_ratio: 0.5, seed: 0 } });
  assert.deepEqual(next.dataset, { name: 'circle', noise: 0, train_ratio: 0.5, seed: 0 });
  assert.deepEqual(next.features, ['x1', 'x2']);
  assert.deepEqual(next.layers, [2, 4, 2]);
});

test('a drawn point keeps the targets as rows when they are rows, and erasing measures along the axes shown', () => {
  const rows = { x_train: [[0], [2]], y_train: [[0.5], [1]], x_test: [], y_test: [] };
  assert.deepEqual(withPoint(rows, [1], 0.25).y_train, [[0.5], [1], [0.25]]);
  const flat = { x_train: [[0, 0]], y_train: [1], x_test: [], y_test: [] };
  assert.deepEqual(withPoint(flat, [1, 1], 0).y_train, [1, 0]);
  const three = { x_train: [[0, 9, 0], [5, 0, 5]], y_train: [0, 1], x_test: [], y_test: [] };
  assert.deepEqual(withoutPointNear(three, [0, 0, 0.1], 0.5, [0, 2]).x_train, [[5, 0, 5]]); // input 1 is held
  assert.equal(withoutPointNear(three, [0, 0, 0.1], 0.5), null); // on inputs 0 and 1 no point is near
});
