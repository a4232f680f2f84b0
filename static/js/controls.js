// The form controls around the network: hyperparameter and model selects, data sliders, the dataset
// picker with thumbnails and the output options. They show a config and report each change as
// (field, value); main.js decides whether that is a live change or a new network.
import { PALETTES, classColour, cssOf } from './palette.js';

const CHOICES = {
  learning_rate: [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10],
  regularization_rate: [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10],
  momentum: [0, 0.5, 0.9, 0.99],
};
const PRETTY = { leaky_relu: 'Leaky ReLU', relu: 'ReLU', tanh: 'Tanh', sigmoid: 'Sigmoid', linear: 'Linear',
  softmax: 'Softmax', none: 'None', l1: 'L1', l2: 'L2', mse: 'Squared error',
  binary_cross_entropy: 'Binary cross-entropy', categorical_cross_entropy: 'Categorical cross-entropy',
  xavier: 'Xavier', he: 'He', uniform: 'Uniform', zeros: 'Zeros',
  classification: 'Classification', regression: 'Regression' };

const $ = (id) => document.getElementById(id);

function fill(select, values, label = (v) => PRETTY[v] || String(v)) {
  select.replaceChildren(...values.map((v) => new Option(label(v), String(v))));
}

function ensureOption(select, value) {
  const text = String(value);
  if (![...select.options].some((o) => o.value === text)) select.add(new Option(text, text));
  select.value = text;
}

export class Controls {
  constructor(options, catalog, onChange) {
    this.options = options;
    this.catalog = catalog;
    this.onChange = onChange;
    fill($('learning_rate'), CHOICES.learning_rate);
    fill($('regularization_rate'), CHOICES.regularization_rate);
    fill($('momentum'), CHOICES.momentum);
    fill($('activation'), options.activations);
    fill($('regularization'), options.regularizations);
    fill($('output_activation'), options.output_activations);
    fill($('loss'), options.losses);
    fill($('init'), options.inits);
    fill($('problem'), ['classification', 'regression']);
    fill($('palette'), Object.keys(PALETTES), (k) => PALETTES[k].label);
    this.buildPicker();
    const numeric = new Set(['learning_rate', 'regularization_rate', 'momentum']);
    for (const id of ['learning_rate', 'regularization_rate', 'momentum', 'activation', 'regularization',
      'output_activation', 'loss', 'init', 'problem']) {
      $(id).addEventListener('change', (e) => this.onChange(id, numeric.has(id) ? Number(e.target.value) : e.target.value));
    }
    $('seed').addEventListener('change', (e) => {
      const seed = Math.max(0, Math.floor(Number(e.target.value) || 0));
      this.onChange('seed', seed);
    });
    $('reseed').addEventListener('click', () => this.onChange('seed', Math.floor(Math.random() * 100000)));
    const sliders = { train_ratio: (v) => v / 100, noise: Number, batch_size: Number };
    for (const [id, conv] of Object.entries(sliders)) {
      const input = $(id);
      input.addEventListener('input', () => this.showSlider(id, conv(Number(input.value))));
      input.addEventListener('change', () => this.onChange(id, conv(Number(input.value))));
    }
    $('regenerate').addEventListener('click', () => this.onChange('regenerate'));
  }

  buildPicker() {
    const picker = $('dataset-picker');
    picker.replaceChildren();
    this.pickerButtons = new Map();
    for (const entry of this.catalog) {
      const button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('role', 'radio');
      button.setAttribute('aria-label', `${entry.name}: ${entry.description}`);
      button.title = `${entry.name} — ${entry.description}`;
      button.dataset.dataset = entry.name;
      button.dataset.kind = entry.kind;
      const canvas = document.createElement('canvas');
      canvas.width = 60;
      canvas.height = 60;
      button.appendChild(canvas);
      button.addEventListener('click', () => this.onChange('dataset', entry.name));
      button.addEventListener('keydown', (e) => this.pickerKeys(e, button));
      picker.appendChild(button);
      this.pickerButtons.set(entry.name, { button, canvas, entry });
    }
    this.paintThumbnails();
  }

  // Arrow keys move between the visible datasets, as in any radio group.
  pickerKeys(event, button) {
    const step = { ArrowRight: 1, ArrowDown: 3, ArrowLeft: -1, ArrowUp: -3 }[event.key];
    if (!step) return;
    event.preventDefault();
    event.stopPropagation();
    const visible = [...this.pickerButtons.values()].map((p) => p.button).filter((b) => !b.hidden);
    const next = visible[Math.max(0, Math.min(visible.length - 1, visible.indexOf(button) + step))];
    next.focus();
  }

  paintThumbnails() {
    for (const { canvas, entry } of this.pickerButtons.values()) {
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#f3f4f6';
      ctx.fillRect(0, 0, 60, 60);
      const { x, y } = entry.preview;
      const span = Math.max(6, ...x.map((p) => Math.max(Math.abs(p[0]), Math.abs(p[1]))));
      x.forEach((p, i) => {
        ctx.fillStyle = entry.kind === 'classification' ? classColour(y[i]) : cssOf(y[i]);
        ctx.beginPath();
        ctx.arc(30 + (p[0] / span) * 28, 30 - (p[1] / span) * 28, 1.6, 0, 2 * Math.PI);
        ctx.fill();
      });
    }
  }

  showSlider(id, value) {
    $(`${id}-out`).textContent = id === 'train_ratio' ? `${Math.round(value * 100)}%` : String(value);
  }

  show(config, problem) {
    ensureOption($('learning_rate'), config.learning_rate);
    ensureOption($('regularization_rate'), config.regularization_rate);
    ensureOption($('momentum'), config.momentum);
    const acts = Array.isArray(config.activation) ? config.activation : [config.activation];
    $('activation').value = acts[0] || this.options.activations[0];
    for (const id of ['regularization', 'output_activation', 'loss', 'init']) $(id).value = config[id];
    $('seed').value = config.seed;
    $('problem').value = problem;
    const ds = config.dataset;
    $('train_ratio').value = Math.round(ds.train_ratio * 100);
    this.showSlider('train_ratio', ds.train_ratio);
    $('noise').value = ds.noise;
    this.showSlider('noise', ds.noise);
    $('batch_size').value = config.batch_size;
    this.showSlider('batch_size', config.batch_size);
    for (const { button, entry } of this.pickerButtons.values()) {
      button.hidden = entry.kind !== problem;
      const on = entry.name === ds.name;
      button.setAttribute('aria-checked', String(on));
      button.tabIndex = on ? 0 : -1;
    }
    if (![...this.pickerButtons.values()].some(({ button }) => button.tabIndex === 0 && !button.hidden)) {
      const first = [...this.pickerButtons.values()].find(({ button }) => !button.hidden);
      if (first) first.button.tabIndex = 0;
    }
  }
}
