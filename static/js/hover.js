// The card beside a hovered neuron: its heatmap, larger, and the range of its values over the input
// plane [−extent, extent]².
import { formatNumber } from './format.js';
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

  // grid: the neuron's decoded heatmap; activation: its layer's.
  paint(id, grid, activation, discrete) {
    if (!grid) return;
    paintGrid(this.card.querySelector('canvas'), grid, activation, { discrete });
    const e = formatNumber(this.extent);
    this.card.querySelector('p').textContent = `${id}: from ${formatNumber(grid.min)} to ${formatNumber(grid.max)} over x₁, x₂ ∈ [−${e}, ${e}]`;
  }
}
