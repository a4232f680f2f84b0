// Two DOM helpers the drawing modules share: make an SVG element, and set an attribute only when its
// value changed (a frame touches thousands of attributes; most stay the same).

const SVG = 'http://www.w3.org/2000/svg';

export function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

export function setAttr(node, cache, key, value) {
  if (cache[key] === value) return;
  cache[key] = value;
  node.setAttribute(key, value);
}
