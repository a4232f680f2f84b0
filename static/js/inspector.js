// The inspector: the seed paper's equations for whatever is selected (cards.js), filled with the
// numbers of the traced phase records or the server's chain-rule answer for a weight. It shows one
// sample of the mini-batch at a time and says so. This module only puts the markup on the page,
// keeps an edit in progress across new numbers, and reports clicks; it never computes a number.
import { bias, neuron, overview, weight } from './cards.js';

export class Inspector {
  constructor(root, { onSample, onEdit, onClose, onSelect }) {
    this.root = root;
    this.onSelect = onSelect;
    this.onSample = onSample;
    this.onEdit = onEdit;
    this.onClose = onClose;
  }

  // ctx: see cards.js
  render(ctx) {
    const { selection } = ctx;
    // Announce the numbers of what the user picked, not the whole equation sheet at every step.
    const live = selection ? 'polite' : 'off';
    if (this.root.getAttribute('aria-live') !== live) this.root.setAttribute('aria-live', live);
    if (!selection) {
      const html = overview(ctx);
      if (html !== this.html) { this.html = html; this.root.innerHTML = html; }
      return;
    }
    const html = { neuron, weight, bias }[selection.kind](ctx);
    if (html === this.html) return; // unchanged: keep focus and whatever is being typed
    const typing = this.root.querySelector('.edit-form input[data-dirty]');
    const kept = typing && { id: typing.form.dataset.id, value: typing.value, focused: document.activeElement === typing };
    this.html = html;
    this.root.innerHTML = html;
    this.wire();
    const input = kept && this.root.querySelector(`.edit-form[data-id="${kept.id}"] input`);
    if (input) { // new numbers arrived while someone was editing: keep their edit
      input.value = kept.value;
      input.dataset.dirty = '1';
      if (kept.focused) input.focus();
    }
  }

  wire() {
    this.root.querySelectorAll('[data-sample]').forEach((b) => b.addEventListener('click',
      () => this.onSample(Number(b.dataset.sample))));
    this.root.querySelector('.close')?.addEventListener('click', () => this.onClose());
    this.root.querySelectorAll('[data-select]').forEach((b) => b.addEventListener('click', () => {
      const [kind, id] = b.dataset.select.split(':');
      this.onSelect({ kind, id });
    }));
    const form = this.root.querySelector('.edit-form');
    const locked = document.documentElement.dataset.lockedWhy; // a follower's page (follow.js) says why
    if (form && locked) {
      for (const control of form.elements) control.disabled = true;
      form.title = locked;
    }
    form?.elements.value.addEventListener('input', (e) => { e.target.dataset.dirty = '1'; });
    form?.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = Number(form.elements.value.value);
      if (Number.isFinite(value)) this.onEdit(form.dataset.kind, form.dataset.id, value);
    });
  }
}
