// The form controls around the network, built from the server's field table: every element with a
// `data-field` attribute is that field's control, and gets its choices or presets (select), its range
// and step (slider, number) and its description (tooltip) from the table. The dataset picker shows
// the catalog with thumbnails. Controls show a configuration and report each change as (field name,
// the API's value); the actions decide whether that is a live change or a new network.
import { controlSpec, getValue, isNumeric } from './fields.js';
import { PALETTES, classColour, cssOf } from './palette.js';

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
  // handlers: {onField(name, value), onProblem(kind), onRegenerate()}; extent: the input plane's half width.
  constructor(fields, handlers, extent) {
    this.handlers = handlers;
    this.extent = extent;
    this.catalog = [];
    this.pickerButtons = new Map();
    this.bound = [];
    for (const element of document.querySelectorAll('[data-field]')) {
      const field = fields.find((f) => f.name === element.dataset.field);
      if (field) this.bind(element, field);
    }
    fill($('palette'), Object.keys(PALETTES), (k) => PALETTES[k].label);
    $('problem').addEventListener('change', (e) => handlers.onProblem(e.target.value));
    $('reseed').addEventListener('click', () => handlers.onField('seed', Math.floor(Math.random() * 100000)));
    $('regenerate').addEventListener('click', () => handlers.onRegenerate());
  }

  bind(element, field) {
    const spec = controlSpec(field);
    const title = [field.description, field.equation].filter(Boolean).join(' · ');
    if (title && !element.title) element.title = title;
    const read = () => {
      if (!isNumeric(field)) return element.value;
      let value = spec.fromShown(Number(element.value) || 0);
      if (field.type === 'integer') value = Math.floor(value);
      if (element.type === 'number') value = Math.max(spec.min ?? -Infinity, Math.min(spec.max ?? Infinity, value));
      return value;
    };
    if (element.tagName === 'SELECT') {
      fill(element, spec.values || []);
    } else {
      for (const key of ['min', 'max', 'step']) if (spec[key] !== null && spec[key] !== undefined) element[key] = spec[key];
    }
    if (element.type === 'range') element.addEventListener('input', () => this.showSlider(field.name, read()));
    element.addEventListener('change', () => this.handlers.onField(field.name, read()));
    this.bound.push({ element, field, spec });
  }

  setCatalog(catalog) {
    this.catalog = catalog;
    fill($('problem'), [...new Set(catalog.map((d) => d.kind))]);
    const picker = $('dataset-picker');
    picker.replaceChildren();
    this.pickerButtons = new Map();
    for (const entry of catalog) {
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
      button.addEventListener('click', () => this.handlers.onField('dataset.name', entry.name));
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
      const span = Math.max(this.extent, ...x.map((p) => Math.max(Math.abs(p[0]), Math.abs(p[1]))));
      x.forEach((p, i) => {
        ctx.fillStyle = entry.kind === 'classification' ? classColour(y[i]) : cssOf(y[i]);
        ctx.beginPath();
        ctx.arc(30 + (p[0] / span) * 28, 30 - (p[1] / span) * 28, 1.6, 0, 2 * Math.PI);
        ctx.fill();
      });
    }
  }

  showSlider(name, value) {
    const bound = this.bound.find((b) => b.field.name === name);
    const out = bound && document.querySelector(`output[for="${bound.element.id}"]`);
    if (out) out.textContent = bound.spec.percent ? `${bound.spec.toShown(value)}%` : String(value);
  }

  show(config, problem) {
    for (const { element, field, spec } of this.bound) {
      let value = getValue(config, field.name);
      if (Array.isArray(value)) value = value[0]; // one select for every hidden layer shows the first
      if (value === undefined || value === null) continue;
      if (element.tagName === 'SELECT') {
        ensureOption(element, value);
      } else {
        element.value = String(spec.toShown(value));
        if (element.type === 'range') this.showSlider(field.name, value);
      }
    }
    $('problem').value = problem;
    const name = config.dataset.name;
    for (const { button, entry } of this.pickerButtons.values()) {
      button.hidden = entry.kind !== problem;
      const on = entry.name === name;
      button.setAttribute('aria-checked', String(on));
      button.tabIndex = on ? 0 : -1;
    }
    if (![...this.pickerButtons.values()].some(({ button }) => button.tabIndex === 0 && !button.hidden)) {
      const first = [...this.pickerButtons.values()].find(({ button }) => !button.hidden);
      if (first) first.button.tabIndex = 0;
    }
  }
}
