// Time travel, lessons and questions on the page: what the user does, turned into API calls, and the
// answers into the page's state. Rewinds ("one phase back", "one iteration back", the scrubber) ask the
// server for an earlier moment (POST …/rewind with its trace) and show it like a reset; a preview while
// dragging the scrubber shows that moment without changing the network. A lesson enters each step as
// its file says (a new network, a change, an advance) and remembers where each step left the network,
// so "back" rewinds there. Questions are asked, answered, tallied and revealed by the server.
// The lesson and question in progress are this module's own small state, drawn by lessonbar.js and
// questioncard.js; everything about the network goes through the page's store.
import * as api from './api.js';
import { keyFor, rememberKey } from './keys.js';
import { showHighlights } from './lessonbar.js';
import { iterationBack, phaseBack } from './rewind.js';

const WAITING = {
  step: 'step the network to go on', play: 'press play to go on', select_neuron: 'click a neuron to go on',
  select_weight: 'click a weight to go on', edit_weight: 'edit a weight to go on', reset: 'reset the network to go on',
  change_learning_rate: 'change the learning rate to go on',
};

function voterId() {
  let id = localStorage.getItem('bp-voter');
  if (!id) { id = Math.random().toString(36).slice(2, 12); localStorage.setItem('bp-voter', id); }
  return id;
}

// ctx: {store, actions (actions.js), toast, draw (lesson view, question view) → void,
//       near() → the network whose shard a lesson's networks are made on (its class's), or null}
export function createTimeTravel({ store, actions, toast, draw, near = () => null }) {
  const s = () => store.state;
  const own = { lesson: null, slug: null, index: 0, positions: [], waiting: null, busy: false, question: null, mine: null };
  const redraw = () => draw({ ...own, owner: Boolean(keyFor(s().id)) });
  const fail = (err) => { toast(err.message, true); };

  // ---- rewinding ---------------------------------------------------------------------------------
  // The network as it was at an earlier moment: its state with the configuration in force then (the
  // points follow every reset, dataactions.js) and the records of the phases already done then.
  async function landed(state, trace) {
    store.dispatch('reset', state);
    store.dispatch('stateReceived', state);
    if (trace?.length) store.dispatch('traceReceived', trace);
  }

  let rewinding = 0; // this page's rewinds in flight: their live `rewound` news is already in hand
  async function rewindTo(target, id = s().id) {
    if (!target) return false;
    if (s().playing) actions.play(false);
    rewinding += 1;
    try {
      const out = await api.rewind(id, target.step, target.phase, true);
      await landed(out.state, out.trace);
      return true;
    } catch (err) {
      fail(err);
      return false;
    } finally {
      setTimeout(() => { rewinding -= 1; }, 300); // the news may come just after the answer
    }
  }

  // Presses queue up: each goes back from where the one before it landed (a clicker pressed fast).
  let queue = Promise.resolve();
  function back(kind) {
    queue = queue.then(() => {
      const net = s().net;
      if (!net) return null;
      const here = { step: net.step, phase: net.phase.index };
      return rewindTo(kind === 'iteration' ? iterationBack(here) : phaseBack(here, net.phase.count));
    });
  }

  let previewing = 0;
  async function preview(step) {
    const ticket = ++previewing;
    try {
      const past = await api.previewAt(s().id, step, 40);
      if (ticket !== previewing) return;
      store.dispatch('reset', past);
      if (past.grids) store.dispatch('frameReceived', { grids: past.grids });
    } catch (err) {
      if (ticket === previewing) fail(err);
    }
  }

  function release(step) {
    previewing += 1;
    rewindTo({ step, phase: 0 });
  }

  // ---- lessons -----------------------------------------------------------------------------------
  let touched = false; // a lesson was started or closed on this page since it opened
  async function startLesson(slug) {
    touched = true;
    try {
      const [lesson, started] = await Promise.all([api.getLesson(slug), api.startLesson(slug, near())]);
      rememberKey(started.network.id, started.key); // shown once: this page owns the lesson's network
      if (s().playing) actions.play(false);
      await actions.adopt(started.network);
      Object.assign(own, { lesson, slug, index: 0, positions: [], question: null, mine: null });
      await enter(0);
    } catch (err) {
      fail(err);
    }
  }

  async function enter(index) {
    const step = own.lesson.steps[index];
    Object.assign(own, { index, busy: true, question: null, mine: null, waiting: WAITING[step.wait_for] || null });
    redraw();
    try {
      if (step.network) await actions.adopt(await api.createNetwork(step.network, near()));
      if (step.change) store.dispatch('stateReceived', await api.patchNetwork(s().id, step.change));
      if (step.advance) {
        const out = await api.stepNetwork(s().id, step.advance.by, step.advance.count || 1, Boolean(step.advance.trace));
        store.dispatch('stateReceived', out.state);
        if (out.trace?.length) store.dispatch('traceReceived', out.trace);
      }
      highlight(step.highlight || []);
      if (step.question) await ask(step.question);
    } catch (err) {
      fail(err);
    }
    const net = s().net;
    own.positions[index] = { id: s().id, step: net.step, phase: net.phase.index };
    own.busy = false;
    redraw();
  }

  const highlight = (marks) => showHighlights(marks, actions.select);

  async function next() {
    if (!own.lesson || own.busy || own.waiting || own.index >= own.lesson.steps.length - 1) return;
    await enter(own.index + 1);
  }

  async function previous() {
    if (!own.lesson || own.busy || own.index === 0) return;
    const to = own.positions[own.index - 1];
    if (!to) { toast('The steps before the page reloaded cannot be gone back to: start the lesson again.', true); return; }
    own.busy = true;
    redraw();
    if (to.id !== s().id) await actions.adopt(await api.getNetwork(to.id));
    await rewindTo(to, to.id);
    Object.assign(own, { index: own.index - 1, busy: false, waiting: null, question: null });
    highlight(own.lesson.steps[own.index].highlight || []);
    redraw();
  }

  function closeLesson() {
    touched = true;
    Object.assign(own, { lesson: null, slug: null, question: null });
    highlight([]);
    redraw();
  }

  // The teacher's page opened again mid-lesson (a reload): the server kept the step on screen
  // ({slug, step}); go on from there ("back" reaches only the steps taken since).
  async function resume(shown) {
    if (touched || own.lesson || !s().net) return;
    try {
      const lesson = await api.getLesson(shown.slug);
      if (touched || own.lesson) return;
      const net = s().net;
      Object.assign(own, { lesson, slug: shown.slug, index: shown.step - 1, positions: [], waiting: null, busy: false });
      own.positions[own.index] = { id: s().id, step: net.step, phase: net.phase.index };
      highlight(lesson.steps[own.index].highlight || []);
      redraw();
    } catch (err) {
      fail(err);
    }
  }

  // Did the store action the user caused satisfy the step's wait_for?
  function heard(action, payload) {
    const want = own.lesson && !own.busy && own.lesson.steps[own.index].wait_for;
    if (!want || !own.waiting) return;
    const done = (want === 'step' && action === 'traceReceived') || (want === 'play' && action === 'playing' && payload)
      || (want === 'reset' && action === 'reset') || (want === 'edit_weight' && action === 'parameterSet')
      || (want === 'select_neuron' && action === 'selected' && payload?.kind === 'neuron')
      || (want === 'select_weight' && action === 'selected' && payload?.kind === 'weight')
      || (want === 'change_learning_rate' && action === 'stateReceived');
    if (done) { own.waiting = null; redraw(); }
  }

  // ---- questions ---------------------------------------------------------------------------------
  async function ask(body) {
    own.question = await api.askQuestion(s().id, body);
    own.mine = null;
    redraw();
  }

  // The teacher asks at any phase: about the selected weight or bias, else which output's δ is largest.
  async function askAbout(selection) {
    const kind = selection && selection.kind !== 'neuron' ? 'weight_direction' : 'largest_delta';
    try {
      await ask(kind === 'weight_direction' ? { kind, target: selection.id } : { kind });
    } catch (err) {
      fail(err);
    }
  }

  async function answer(choice) {
    if (!own.question) return;
    try {
      own.mine = choice;
      own.question = await api.answerQuestion(s().id, own.question.id, choice, voterId());
    } catch (err) {
      fail(err);
    }
    redraw();
  }

  async function reveal() {
    if (!own.question) return;
    try {
      own.question = await api.revealQuestion(s().id, own.question.id);
    } catch (err) {
      fail(err);
    }
    redraw();
  }

  // Live messages: another page rewound this network (the class's teacher), or a question's news.
  async function rewound(msg) {
    if (!s().net || rewinding) return;
    try {
      await landed(await api.getNetwork(s().id), msg.trace);
    } catch (err) {
      fail(err);
    }
  }

  function onLive(msg) {
    if (msg.type === 'rewound') { rewound(msg); return; }
    if (msg.type === 'question' || msg.type === 'reveal') {
      const { type, ...q } = msg;
      if (!own.question || own.question.id !== q.id) own.mine = null;
      own.question = q;
    } else if (msg.type === 'tally' && own.question && own.question.id === msg.id) {
      own.question = { ...own.question, tally: msg.tally };
    } else return;
    redraw();
  }

  return {
    back, preview, release, startLesson, next, previous, closeLesson, resume, heard, ask, askAbout, answer, reveal, onLive,
    closeQuestion() { own.question = null; redraw(); },
    inLesson: () => Boolean(own.lesson),
    lessons: () => api.listLessons(),
  };
}
