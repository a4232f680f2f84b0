// The lesson picker and the lesson bar: the narration of the current step (plain text, set with
// textContent, never as HTML), "step n of m", back and next, and a close button. This view only draws
// what it is given and reports clicks; timetravel.js runs the lesson (classlesson.js shows a follower
// the teacher's).

export class LessonBar {
  // els: {picker (select), bar, title, count, narration, back, next, close}; on: {pick, back, next, close}
  constructor(els, on) {
    this.els = els;
    els.picker.addEventListener('change', () => {
      const slug = els.picker.value;
      els.picker.value = '';
      els.picker.blur(); // the keys (PageDown, arrows) go to the lesson now, not to the picker
      if (slug) on.pick(slug);
    });
    els.back.addEventListener('click', () => on.back());
    els.next.addEventListener('click', () => on.next());
    els.close.addEventListener('click', () => on.close());
  }

  // lessons: [{slug, title, level, steps}] from GET /api/lessons
  list(lessons) {
    const { picker } = this.els;
    picker.replaceChildren(new Option('Lessons…', ''));
    for (const l of lessons) picker.append(new Option(`${l.title} (${l.level}, ${l.steps} steps)`, l.slug));
  }

  // view: {title, step (from 1), steps, narration, waiting (text or null), busy, follower} or null when no
  // lesson is open. A follower's bar shows the teacher's step: only the teacher moves through it.
  render(view) {
    const { bar, title, count, narration, back, next, close } = this.els;
    bar.hidden = !view;
    document.documentElement.classList.toggle('in-lesson', Boolean(view));
    if (!view) return;
    const last = view.step === view.steps;
    title.textContent = view.title;
    count.textContent = `step ${view.step} of ${view.steps}`;
    narration.textContent = view.narration;
    for (const button of [back, next, close]) button.hidden = Boolean(view.follower);
    bar.classList.toggle('following', Boolean(view.follower));
    bar.title = view.follower ? 'The teacher moves through the lesson; your page follows' : '';
    back.disabled = view.busy || view.step === 1;
    next.disabled = view.busy || Boolean(view.waiting) || last;
    next.title = view.waiting || (last ? 'the last step' : 'next step (PageDown or →)');
    next.textContent = last ? 'done ✓' : 'next ▸';
    bar.dataset.step = String(view.step);
  }
}

const CHART_PARTS = { loss: 'loss-chart', gradient_norms: 'grad-chart', accuracy: 'accuracy-row', heatmap: 'output-map' };

// A step's highlights ([{kind, id}]): the first neuron, weight or bias is selected (its inspector
// opens), and the charts named are outlined.
export function showHighlights(marks, select) {
  document.querySelectorAll('.lesson-highlight').forEach((n) => n.classList.remove('lesson-highlight'));
  const part = marks.find((m) => ['neuron', 'weight', 'bias'].includes(m.kind));
  if (part) select({ kind: part.kind, id: part.id });
  for (const m of marks) {
    const node = m.kind === 'chart' ? document.getElementById(CHART_PARTS[m.id]) : null;
    const box = node && (node.closest('.chart-box') || node);
    if (box) box.classList.add('lesson-highlight');
  }
}
