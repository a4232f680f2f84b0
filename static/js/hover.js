// The card beside a hovered neuron: its heatmap, larger, and the range of its values over the input
// plane [−extent, extent]².
import { formatNumber } from './format.js';
import { paintClassNeuron } from './classmaps.js';
import { paintGrid } from './heatmap.js';

export class HoverCard {
  constructor(card, extent) {
    this.card = card;
    this.extent = extent;
  }

  // Place the card beside element `g`, or hide it (id null or no heatmaps yet).
  show(id, g, hasGrids) {
    const { card } = this;
    if (!id || !g || !hasGrids) { card.hidden = true; return; }
    const rect = g.getBoundingClientRect();
    card.hidden = false;
    const left = rect.right + 190 > window.innerWidth ? rect.left - 194 : rect.right + 8;
    card.style.left = `${left}px`;
    card.style.top = `${Math.max(4, Math.min(window.innerHeight - 210, rect.top - 70))}px`;
  }

  // grid: the neuron's decoded heatmap; activation: its layer's; classIndex: the class an output
  // neuron stands for (painted in that class's colour, as in the drawing), else null.
  paint(id, grid, activation, discrete, classIndex = null) {
    if (!grid) return;
    const canvas = this.card.querySelector('canvas');
    if (classIndex === null) paintGrid(canvas, grid, activation, { discrete });
    else paintClassNeuron(canvas, grid, activation, classIndex);
    const e = formatNumber(this.extent);
    this.card.querySelector('p').textContent = `${id}: from ${formatNumber(grid.min)} to ${formatNumber(grid.max)} over x₁, x₂ ∈ [−${e}, ${e}]`;
  }
}
