// "Your data" in the data panel: a CSV file chosen with the picker or dropped onto the panel, its
// columns shown for choosing the target and the inputs, the inferred kind shown and overridable, and
// a button that trains a network on it. The panel only shows and reports; parsing is the server's
// (POST /api/datasets/csv) and the actions (dataactions.js) make the network.
import { carriesFiles, html } from './dom.js';

export class CsvPanel {
  // root: the element to fill; dropZone: where a file may be dropped; handlers: {onFile(text, name),
  // onChoice({target, inputs, kind}), onUse()}
  constructor(root, dropZone, handlers) {
    this.handlers = handlers;
    this.file = html('input', { type: 'file', accept: '.csv,.tsv,.txt,text/csv', hidden: true, id: 'csv-file' });
    this.file.addEventListener('change', () => this.read(this.file.files[0]));
    const choose = html('button', { type: 'button', className: 'wide', id: 'csv-choose',
      textContent: 'Your data: a CSV file…', title: 'Or drop a CSV file onto this panel' });
    choose.addEventListener('click', () => this.file.click());
    this.summary = html('p', { className: 'muted small', id: 'csv-summary' });
    this.own = html('p', { className: 'own-data small', id: 'own-data', hidden: true });
    this.target = html('select', { id: 'csv-target' });
    this.kind = html('select', { id: 'csv-kind' });
    for (const [value, text] of [['', 'inferred'], ['classification', 'Classification'], ['regression', 'Regression']]) {
      this.kind.add(new Option(text, value));
    }
    this.inputs = html('div', { className: 'csv-inputs', id: 'csv-inputs' });
    this.use = html('button', { type: 'button', className: 'wide', id: 'csv-use', textContent: 'Train on this data' });
    this.use.addEventListener('click', () => handlers.onUse());
    this.target.addEventListener('change', () => this.report(true));
    this.kind.addEventListener('change', () => this.report(false));
    this.details = html('div', { className: 'csv-details', hidden: true },
      [html('label', { textContent: 'Target ' }, [this.target]), html('label', { textContent: ' Kind ' }, [this.kind]),
        html('p', { className: 'small', textContent: 'Inputs:' }, []), this.inputs, this.use]);
    root.replaceChildren(this.own, choose, this.file, this.summary, this.details);
    for (const type of ['dragenter', 'dragover']) {
      dropZone.addEventListener(type, (e) => { if (carriesFiles(e)) { e.preventDefault(); dropZone.classList.add('dropping'); } });
    }
    dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dropping'));
    dropZone.addEventListener('drop', (e) => {
      dropZone.classList.remove('dropping');
      if (!carriesFiles(e)) return;
      e.preventDefault();
      e.stopPropagation();
      this.read(e.dataTransfer.files[0]);
    });
  }

  async read(file) {
    if (!file) return;
    this.handlers.onFile(await file.text(), file.name);
    this.file.value = '';
  }

  // The user's choice as the query of POST /api/datasets/csv; a new target resets the inputs.
  report(targetChanged) {
    const inputs = targetChanged ? [] : [...this.inputs.querySelectorAll('input:checked')].map((c) => c.value);
    this.handlers.onChoice({ target: this.target.value, inputs, kind: this.kind.value || null });
  }

  // What the network trains on, when it is your data (text), else nothing (null).
  showOwn(text) {
    this.own.hidden = !text;
    this.own.textContent = text || '';
  }

  // parsed: the server's answer (or null to hide the choices); name: the file's name.
  show(parsed, name) {
    this.details.hidden = !parsed;
    if (!parsed) { this.summary.textContent = ''; return; }
    const what = parsed.kind === 'classification'
      ? `${parsed.n_classes} classes: ${parsed.labels.join(', ')}` : `regression of ${parsed.target}`;
    this.summary.textContent = `${name}: ${parsed.x.length} points, ${parsed.inputs.length} input${parsed.inputs.length === 1 ? '' : 's'}; ${what}.`;
    this.target.replaceChildren(...parsed.columns.map((c) => new Option(c, c)));
    this.target.value = parsed.target;
    this.inputs.replaceChildren(...parsed.columns.filter((c) => c !== parsed.target).map((c) => {
      const box = html('input', { type: 'checkbox', value: c, checked: parsed.inputs.includes(c) });
      box.addEventListener('change', () => this.report(false));
      return html('label', { className: 'check' }, [box, ` ${c}`]);
    }));
  }
}

