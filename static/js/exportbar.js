// The model out and back in: one download link per export format (GET …/export?format=…), and a JSON
// export dropped anywhere on the page imported as a new network that continues where it was saved. A
// CSV dropped outside the data panel is handed on as your data.
import { carriesFiles, html } from './dom.js';

export const FORMATS = [
  ['json', 'JSON', 'Everything: drop it on the page later to continue bit for bit'],
  ['numpy', 'NumPy', 'One Python file using only NumPy: python model.py 0.5 -1.2'],
  ['pytorch', 'PyTorch', 'The same as a torch.nn.Sequential in float64'],
  ['csv', 'History CSV', 'Loss and accuracy of every history entry'],
  ['svg', 'SVG', 'The drawing: every neuron’s heatmap, the weights and the output map'],
  ['png', 'PNG', 'The same drawing as an image'],
];

export class ExportBar {
  // root: the container; exportUrl(format) → the URL of the current network's export;
  // handlers: {onImport(document), onCsv(text, name), onError(message)}
  constructor(root, exportUrl, handlers) {
    this.exportUrl = exportUrl;
    this.links = FORMATS.map(([format, text, title]) => {
      const a = Object.assign(document.createElement('a'), { textContent: text, title, className: 'export-link' });
      a.dataset.format = format;
      return a;
    });
    root.replaceChildren(html('details', { className: 'export-box', id: 'export-box' },
      [html('summary', { textContent: 'Export the model' }), html('div', { className: 'export-links' }, this.links)]));
    document.addEventListener('dragover', (e) => { if (carriesFiles(e)) e.preventDefault(); });
    document.addEventListener('drop', async (e) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      const file = e.dataTransfer.files[0];
      const text = await file.text();
      if (/\.csv$|\.tsv$|\.txt$/i.test(file.name)) { handlers.onCsv(text, file.name); return; }
      let doc;
      try {
        doc = JSON.parse(text);
      } catch (err) {
        handlers.onError(`${file.name} is not a JSON export (or a .csv file) of a network.`);
        return;
      }
      handlers.onImport(doc);
    });
  }

  // id: the current network's id.
  show(id) {
    for (const a of this.links) {
      const { format } = a.dataset;
      a.href = this.exportUrl(id, format);
      a.download = `network-${id.slice(0, 8)}.${{ numpy: 'py', pytorch: 'torch.py' }[format] || format}`;
    }
  }
}

