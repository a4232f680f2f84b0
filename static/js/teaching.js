// The teaching tools on the page, wired together: time travel (back buttons, the scrubber), lessons
// (picker and bar), predict-then-reveal (the question card), presenter mode, hidden panels and the
// clicker's keys. main.js calls `setupTeaching` once and hands it live messages and key presses; the
// rest of the page does not know these tools exist. What each does lives in its own module
// (timetravel.js, timecontrols.js, lessonbar.js, questioncard.js, presenter.js, zoom.js).
import { createClassLesson } from './classlesson.js';
import { LessonBar, showHighlights } from './lessonbar.js';
import { applyHide, readHide, readPresenter, setPresenter, toggleBlank, withParams } from './presenter.js';
import { QuestionCard } from './questioncard.js';
import { TimeControls } from './timecontrols.js';
import { createTimeTravel } from './timetravel.js';
import { ZoomCard } from './zoom.js';

const $ = (id) => document.getElementById(id);

// ctx: {store, actions (actions.js), toast, screen (render.js: redraw), ids}
export function setupTeaching({ store, actions, toast, screen, ids }) {
  const lessonBar = new LessonBar({
    picker: $('lesson-picker'), bar: $('lesson-bar'), title: $('lesson-title'), count: $('lesson-count'),
    narration: $('lesson-narration'), back: $('lesson-back'), next: $('lesson-next'), close: $('lesson-close'),
  }, { pick: (slug) => travel.startLesson(slug), back: () => travel.previous(), next: () => travel.next(),
    close: () => travel.closeLesson() });
  const questionCard = new QuestionCard($('question-card'), {
    answer: (choice) => travel.answer(choice), reveal: () => travel.reveal(), close: () => travel.closeQuestion(),
  });
  function drawBar(view) {
    const stage = $('network-stage');
    const was = [stage.clientWidth, stage.clientHeight];
    lessonBar.render(view);
    if (was[0] !== stage.clientWidth || was[1] !== stage.clientHeight) screen.redraw(); // the lesson bar's height moved it
  }
  // The stage also changes size when the text around it wraps to more lines (presenter mode's large
  // type) or a card docks under it: the drawing is fitted again, a frame later (never inside the
  // observer's own callback) and once a phase's animation is over (a redraw would cut it short).
  let staged = '';
  const animating = () => document.querySelector('#network-stage g.pulses')?.childElementCount > 0;
  const refit = () => (animating() ? requestAnimationFrame(refit) : screen.redraw());
  new ResizeObserver(() => {
    const stage = $('network-stage');
    const size = `${stage.clientWidth}x${stage.clientHeight}`;
    if (staged && size !== staged) requestAnimationFrame(refit);
    staged = size;
  }).observe($('network-stage'));
  const classLesson = createClassLesson({ // a follower shows the teacher's step, read-only
    store, actions, toast,
    show(step) {
      drawBar(step && { ...step, follower: true });
      showHighlights(step ? step.highlight : [], actions.select);
    },
    resume: (step) => travel.resume(step),
  });
  const travel = createTimeTravel({
    store, actions, toast, near: () => classLesson.near(),
    draw(own) {
      const { lesson, index } = own;
      drawBar(lesson && { title: lesson.title, step: index + 1, steps: lesson.steps.length,
        narration: lesson.steps[index].narration, waiting: own.waiting, busy: own.busy });
      questionCard.render(own.question, own.mine, own.owner);
      classLesson.teacherAt(own);
    },
  });
  const timeControls = new TimeControls($('scrubber'), $('scrubber-step'), {
    preview: (step) => travel.preview(step), release: (step) => travel.release(step),
  });
  const zoom = new ZoomCard($('zoom-card'), ids, () => actions.select(null));
  store.subscribe((action, payload) => {
    travel.heard(action, payload);
    timeControls.heard(action, store.state);
    zoom.show(presenting() ? store.state : null);
  });

  const presenting = () => document.documentElement.classList.contains('presenter');
  // Presenter mode is projector mode that also gives the network the screen, with its numbers shown.
  function presenter(on) {
    setPresenter(document, on);
    const search = withParams(window.location.search, { presenter: on ? '1' : null }); // a reload keeps it
    window.history.replaceState(null, '', `${window.location.pathname}?${search}`);
    actions.view({ projector: on || $('projector').checked, showNumbers: on || $('show-numbers').checked });
    screen.redraw();
  }

  $('back-phase').addEventListener('click', () => travel.back('phase'));
  $('back-iteration').addEventListener('click', () => travel.back('iteration'));
  $('ask-question').addEventListener('click', () => travel.askAbout(store.state.selection));
  applyHide(document, readHide(window.location.search));
  if (readPresenter(window.location.search)) presenter(true);
  travel.lessons().then((list) => lessonBar.list(list)).catch(() => {});

  // A key the teaching tools use: true when handled. In a lesson the clicker's keys (PageDown/PageUp,
  // → and ←) move through its steps; otherwise they step the network forward and back.
  function onKey(e) {
    const lesson = travel.inLesson() && !e.shiftKey;
    let act = null;
    if (e.key === 'PageDown' || (e.key === 'ArrowRight' && lesson)) act = () => (travel.inLesson() ? travel.next() : actions.step('phase'));
    else if (e.key === 'PageUp' || (e.key === 'ArrowLeft' && lesson)) act = () => (travel.inLesson() ? travel.previous() : travel.back('phase'));
    else if (e.key === 'ArrowLeft') act = () => travel.back(e.shiftKey ? 'iteration' : 'phase');
    else if (e.key === 'b' || e.key === 'B' || e.key === '.') act = () => toggleBlank(document);
    else if (e.key === 'p' || e.key === 'P') act = () => presenter(!presenting());
    else if (e.key === 'Escape' && presenting() && store.state.selection) act = () => actions.select(null);
    if (!act) return false;
    e.preventDefault();
    act();
    return true;
  }

  return { onLive: (message) => classLesson.onLive(message) || travel.onLive(message), onKey };
}
