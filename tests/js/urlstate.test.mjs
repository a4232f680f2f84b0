import assert from 'node:assert/strict';
import { test } from 'node:test';

import { controlSpec, defaultsOf, paramOf, parseText } from '../../static/js/fields.js';
import { readUrl, toQuery } from '../../static/js/urlstate.js';
import { FIELDS } from './fixtures.mjs';

const defaults = defaultsOf(FIELDS);
const named = (name) => FIELDS.find((f) => f.name === name);

test('defaults come from the table, dataset fields nested', () => {
  assert.deepEqual(defaults.layers, [2, 4, 2, 1]);
  assert.equal(defaults.learning_rate, 0.03);
  assert.deepEqual(defaults.dataset, { name: 'circle', samples: 500, noise: 0, train_ratio: 0.5, seed: 0 });
  defaults.layers.push(9);
  assert.deepEqual(defaultsOf(FIELDS).layers, [2, 4, 2, 1], 'each call gets fresh lists');
  defaults.layers.pop();
});

test('URL names: the field name, the group for its name, group_ for a clash', () => {
  const params = FIELDS.map((f) => paramOf(f, FIELDS));
  assert.deepEqual(params, ['layers', 'activation', 'output_activation', 'loss', 'learning_rate', 'batch_size',
    'momentum', 'regularization', 'regularization_rate', 'init', 'seed', 'features', 'dataset', 'samples', 'noise',
    'train_ratio', 'dataset_seed']);
});

test('a hand-written link sets what it names and keeps the defaults for the rest', () => {
  const { config, id } = readUrl(FIELDS, defaults, '?layers=2,5,3,1&dataset=xor&seed=3&learning_rate=0.1&noise=20');
  assert.deepEqual(config.layers, [2, 5, 3, 1]);
  assert.equal(config.dataset.name, 'xor');
  assert.equal(config.dataset.noise, 20);
  assert.equal(config.seed, 3);
  assert.equal(config.dataset.seed, 0);
  assert.equal(config.learning_rate, 0.1);
  assert.equal(config.activation, 'tanh');
  assert.equal(id, null);
});

test('unreadable numbers keep their default; the server judges the rest', () => {
  const { config } = readUrl(FIELDS, defaults, '?learning_rate=fast&layers=2,x,1&seed=&batch_size=-4');
  assert.equal(config.learning_rate, 0.03);
  assert.deepEqual(config.layers, [2, 4, 2, 1]);
  assert.equal(config.seed, 0);
  assert.equal(config.batch_size, -4);
});

test('lists: an empty feature list, per-layer activations', () => {
  const { config } = readUrl(FIELDS, defaults, '?features=&activation=tanh,relu');
  assert.deepEqual(config.features, []);
  assert.deepEqual(config.activation, ['tanh', 'relu']);
  assert.deepEqual(parseText(named('activation'), 'relu'), 'relu');
});

test('toQuery writes every field and the id, and reads back to the same configuration', () => {
  const config = structuredClone(defaults);
  config.activation = ['relu', 'relu'];
  config.dataset.seed = 7;
  const query = toQuery(FIELDS, config, 'abc');
  assert.match(query, /layers=2,4,2,1/);
  assert.match(query, /activation=relu&/, 'one repeated per-layer name is written once');
  assert.match(query, /dataset_seed=7/);
  assert.match(query, /id=abc$/);
  const back = readUrl(FIELDS, defaults, `?${query}`);
  assert.equal(back.id, 'abc');
  assert.deepEqual(back.config, { ...config, activation: 'relu' });
});

test('parameters that are no field stay, and the id moves to the end', () => {
  const query = toQuery(FIELDS, defaults, 'new', '?id=old&hide=data,model&lesson=xor&seed=9');
  const q = new URLSearchParams(query);
  assert.equal(q.get('hide'), 'data,model');
  assert.equal(q.get('lesson'), 'xor');
  assert.equal(q.get('seed'), '0', 'the accepted value replaces the old one');
  assert.match(query, /&id=new$/);
  assert.match(query, /hide=data,model/, 'commas stay readable');
});

test('control specs: presets, ranges, percent sliders', () => {
  assert.deepEqual(controlSpec(named('learning_rate')).values, [0.001, 0.01, 0.03, 0.1, 1]);
  assert.deepEqual(controlSpec(named('init')).values, ['uniform', 'xavier', 'he', 'zeros']);
  const ratio = controlSpec(named('dataset.train_ratio'));
  assert.deepEqual([ratio.min, ratio.max, ratio.step, ratio.percent], [10, 90, 10, true]);
  assert.equal(ratio.toShown(0.3), 30);
  assert.equal(ratio.fromShown(70), 0.7);
  const batch = controlSpec(named('batch_size'));
  assert.deepEqual([batch.min, batch.max, batch.step], [1, 30, 1]);
  assert.equal(controlSpec(named('dataset.samples')).control, null);
});
