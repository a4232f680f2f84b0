// The line under the network saying what its marks mean right now, in the current palette.
import { palette } from './palette.js';

export const EDGE_MEANING = { weights: 'weight w', gradients: 'gradient ∂E/∂w (last mini-batch)', updates: 'last update Δw' };

// edgeMode: what edges show; labelMode: what edge labels show (null: none); hasSample: activation bars
// are drawn; hasDeltas: δ rings are drawn.
export function legendHtml(edgeMode, labelMode, hasSample, hasDeltas) {
  const p = palette();
  const sw = (c) => `<i class="sw" style="background:${c}"></i>`;
  const ring = (c) => `<i class="ring" style="border-color:${c}"></i>`;
  const rgb = (a) => `rgb(${a.join(',')})`;
  const parts = [`<b>Edges</b> ${EDGE_MEANING[edgeMode]}: ${sw(rgb(p.negative))}− ${sw(rgb(p.positive))}+, width = size`];
  if (labelMode) parts.push(`<b>labels</b> ${EDGE_MEANING[labelMode]}${labelMode === 'updates' ? ' (eq. 6)' : ''}`);
  if (hasSample) parts.push('<b>bar</b> activation of the selected sample');
  if (hasDeltas) parts.push(`<b>ring</b> error signal δ = ∂E/∂z (eq. 4): ${ring(p.backward)}+ ${ring(p.backwardNegative)}−, thickness = |δ|`);
  return parts.join(' · ');
}
