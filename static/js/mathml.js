// Tiny MathML builders (MathML Core renders natively in Chromium and Firefox). Numbers carry their
// exact value in `data-value` and a `data-testid`, and each equation also gets a plain-text twin for
// screen readers that do not speak MathML. Pure string builders: no DOM.
import { sig } from './format.js';

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

export const mi = (name) => `<mi>${esc(name)}</mi>`;
export const mo = (op) => `<mo>${esc(op)}</mo>`;
export const mtext = (text) => `<mtext>${esc(text)}</mtext>`;
export const row = (...parts) => `<mrow>${parts.join('')}</mrow>`;
export const sub = (base, index) => `<msub>${base}${index}</msub>`;
export const sup = (base, power) => `<msup>${base}${power}</msup>`;
export const frac = (num, den) => `<mfrac>${num}${den}</mfrac>`;
export const paren = (...parts) => row(mo('('), ...parts, mo(')'));

// A number; negative values are parenthesised so "w · (−0.3)" reads right.
export function mn(value, testid) {
  const text = sig(value);
  const attrs = `data-testid="${esc(testid)}" data-value="${esc(value)}"`;
  const num = `<mn ${attrs}>${esc(text)}</mn>`;
  return value !== null && value < 0 ? row(mo('('), num, mo(')')) : num;
}

export function math(body, label) {
  return `<math display="block">${body}</math><p class="sr-only">${esc(label)}</p>`;
}

// A long equation on several left-aligned lines (MathML Core does not break lines): a one-column table.
export function mathLines(lines, label) {
  const rows = lines.map((line) => `<mtr><mtd>${line}</mtd></mtr>`);
  return `<math display="block"><mtable class="lines" displaystyle="true">${rows.join('')}</mtable></math><p class="sr-only">${esc(label)}</p>`;
}

export const partial = (top, bottom) => frac(row(mo('∂'), top), row(mo('∂'), bottom));
