// The lesson picker and the lesson bar: the narration of the current step (plain text, set with
// textContent, never as HTML), "step n of m", back and next, and a close button. This view only draws
// what it is given and reports clicks; timetravel.js runs the lesson.

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

  // view: {lesson, index, waiting (text or null), busy} or null when no lesson is open
  render(view) {
    const { bar, title, count, narration, back, next } = this.els;
    bar.hidden = !view;
    document.documentElement.classList.toggle('in-lesson', Boolean(view));
    if (!view) return;
    const { lesson, index, waiting, busy } = view;
    const last = index === lesson.steps.length - 1;
    title.textContent = lesson.title;
    count.textContent = `step ${index + 1} of ${lesson.steps.length}`;
    narration.textContent = lesson.steps[index].narration;
    back.disabled = busy || index === 0;
    next.disabled = busy || Boolean(waiting) || last;
    next.title = waiting || (last ? 'the last step' : 'next step (PageDown or →)');
    next.textContent = last ? 'done ✓' : 'next ▸';
    bar.dataset.step = String(index + 1);
  }
}
