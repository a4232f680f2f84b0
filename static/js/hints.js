// Hints about a network that trains without learning, worded from what the server measured. Today:
// hidden ReLU neurons that output 0 for every training point ("dead"), which get no gradient and so
// never recover. Left out: divergence (the banner in render.js says that, with its remedies).

// dead: the state's `dead_relu` {dead, total, ids} or null.
export function deadReluText(dead) {
  if (!dead || !dead.dead) return '';
  const all = dead.dead === dead.total;
  return `${dead.dead} of ${dead.total} ReLU neurons output 0 for every training point`
    + ` (${dead.ids.join(', ')}): they get no gradient, so they no longer learn${all ? ' and the output is flat' : ''}.`
    + ' Try leaky ReLU, a lower learning rate, or a new seed.';
}

// Show the hint once training has started (a fresh network's silent neurons may still wake up).
export function showDeadHint(node, dead, step) {
  const text = step > 0 ? deadReluText(dead) : '';
  if (node.textContent !== text) node.textContent = text;
  if (node.hidden !== !text) node.hidden = !text;
}
