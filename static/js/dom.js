// Two small DOM helpers the data panel's views share: an HTML element with properties and children,
// and whether a drag carries files.

export function html(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
}

export const carriesFiles = (event) => [...(event.dataTransfer?.types || [])].includes('Files');
