// A copy of what `GET /api/options` serves (the parts the page reads), so the pure page modules can
// be tested without a server. The browser tests check the page against the real answer.
const ui = (control, extra = {}) => ({ control, values: null, min: null, max: null, step: null, percent: false, ...extra });
const field = (name, group, type, def, extra = {}) => ({
  name, group, type, default: def, minimum: null, maximum: null, exclusive_minimum: null, exclusive_maximum: null,
  choices: null, ui: null, live: false, description: '', equation: null, ...extra,
});

export const FIELDS = [
  field('layers', 'network', 'integer_list', [2, 4, 2, 1], { minimum: 1, ui: ui('list') }),
  field('activation', 'network', 'string', 'tanh', { choices: ['tanh', 'relu', 'sigmoid', 'linear'], ui: ui('select') }),
  field('output_activation', 'network', 'string', 'tanh', { choices: ['tanh', 'sigmoid', 'linear', 'softmax'], ui: ui('select') }),
  field('loss', 'network', 'string', 'mse', { choices: ['mse', 'binary_cross_entropy', 'categorical_cross_entropy'], ui: ui('select') }),
  field('learning_rate', 'training', 'number', 0.03, { exclusive_minimum: 0, live: true, equation: 'eq. 6',
    description: 'η: how far each update moves the weights', ui: ui('select', { values: [0.001, 0.01, 0.03, 0.1, 1] }) }),
  field('batch_size', 'training', 'integer', 10, { minimum: 1, maximum: 5000, live: true, ui: ui('slider', { min: 1, max: 30, step: 1 }) }),
  field('momentum', 'training', 'number', 0, { minimum: 0, exclusive_maximum: 1, live: true, ui: ui('select', { values: [0, 0.5, 0.9] }) }),
  field('regularization', 'training', 'string', 'none', { choices: ['none', 'l1', 'l2'], live: true, ui: ui('select') }),
  field('regularization_rate', 'training', 'number', 0, { minimum: 0, live: true, ui: ui('select', { values: [0, 0.01, 0.1] }) }),
  field('init', 'network', 'string', 'uniform', { choices: ['uniform', 'xavier', 'he', 'zeros'], ui: ui('select') }),
  field('seed', 'network', 'integer', 0, { minimum: 0, maximum: 4294967295, ui: ui('number', { min: 0, step: 1 }) }),
  field('features', 'network', 'string_list', ['x1', 'x2'], { choices: ['x1', 'x2', 'x1sq', 'x2sq'], ui: ui('checkbox') }),
  field('dataset.name', 'dataset', 'string', 'circle', { choices: ['circle', 'xor', 'plane'], ui: ui('select') }),
  field('dataset.samples', 'dataset', 'integer', 500, { minimum: 2, maximum: 5000 }),
  field('dataset.noise', 'dataset', 'number', 0, { minimum: 0, maximum: 50, ui: ui('slider', { min: 0, max: 50, step: 5 }) }),
  field('dataset.train_ratio', 'dataset', 'number', 0.5, { minimum: 0.1, maximum: 0.9,
    ui: ui('slider', { min: 0.1, max: 0.9, step: 0.1, percent: true }) }),
  field('dataset.seed', 'dataset', 'integer', 0, { minimum: 0 }),
];

const INDEX = '(0|[1-9][0-9]*)';
export const IDS = {
  neuron: `^L${INDEX}N${INDEX}$`,
  weight: `^L${INDEX}N${INDEX}-L${INDEX}N${INDEX}$`,
  bias: `^L${INDEX}N${INDEX}-bias$`,
};

export const SCHEDULE = { phase_order: ['forward', 'loss', 'backward', 'update'], phase_layers: { forward: '1..L', backward: 'L..1' } };

export const PAIRING = { mse: ['tanh', 'sigmoid', 'linear', 'softmax'], binary_cross_entropy: ['sigmoid'],
  categorical_cross_entropy: ['softmax'] };
