// Label placement for numbers on edges: each label slides along its edge until it overlaps neither a
// node nor a label placed before it. Greedy, in the caller's order (most important first); a label
// with no free spot gets null and is not drawn. Pure geometry, so it is cheap enough for every frame.

// Where along an edge (0 = source, 1 = target) a label may sit; tried nearest to its preferred spot first.
const SPOTS = Array.from({ length: 20 }, (_, n) => 0.12 + n * 0.04);

function overlaps(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

// items: [{width, height, prefer (t), at(t) → [x, y]}]; obstacles: [{x, y, w, h}].
// Returns, per item, its centre {x, y} or null.
export function placeLabels(items, obstacles) {
  const taken = [];
  return items.map((item) => {
    const order = SPOTS.slice().sort((a, b) => Math.abs(a - item.prefer) - Math.abs(b - item.prefer));
    for (const t of order) {
      const [cx, cy] = item.at(t);
      const box = { x: cx - item.width / 2, y: cy - item.height / 2, w: item.width, h: item.height };
      if (obstacles.some((o) => overlaps(box, o)) || taken.some((o) => overlaps(box, o))) continue;
      taken.push(box);
      return { x: cx, y: cy };
    }
    return null;
  });
}
