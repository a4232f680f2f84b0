// The class follows its teacher into a lesson. On the teacher's page (it holds the network's key): when
// the page goes on to another network of its own (a lesson's start, a step's new network, back again)
// while a class follows the one it leaves, the class moves with it (POST …/class/move: the same code);
// the lesson step on screen is shown to every follower (PUT …/lesson) whenever it changes, and closed
// with the lesson (DELETE). On a follower's page: news that its class now follows another network
// opens that network without a reload, and the teacher's lesson step is drawn read-only, with its
// highlights. The server says which class a network has (`class` news on the live socket).
import * as api from './api.js';
import { keyFor } from './keys.js';

// ctx: {store, actions (actions.js), toast, show(view | null): draw the teacher's step read-only,
//       resume({slug, step}): the teacher's own page, reloaded, goes on with the step it showed}
export function createClassLesson({ store, actions, toast, show, resume }) {
  const s = () => store.state;
  const classes = new Map(); // network id → the code of the class following it
  let current = null; // the network adopted last
  let shown = null; // what the followers of `shown.id` were last shown: {id, key}

  store.subscribe((action, payload) => {
    if (action !== 'adopted') return;
    const from = current;
    current = payload.id;
    if (from && from !== payload.id && classes.has(from) && keyFor(from) && keyFor(payload.id)) moveClass(from, payload.id);
  });

  async function moveClass(from, to) {
    try {
      const moved = await api.moveClass(from, to, keyFor(to));
      classes.delete(from);
      classes.set(to, moved.code);
    } catch (err) {
      toast(`The class stayed on the earlier network: ${err.message}`, true);
    }
  }

  // The teacher's lesson as teaching.js draws it ({lesson, slug, index, busy}): tell the followers
  // once a step has been entered, and when the lesson closes.
  function teacherAt(own) {
    const id = s().id;
    if (!id || !keyFor(id) || own.busy) return;
    const key = own.lesson ? `${own.slug} ${own.index}` : null;
    if (shown && shown.id === id && shown.key === key) return;
    const before = shown;
    shown = { id, key };
    const told = key ? api.showLessonStep(id, own.slug, own.index + 1)
      : before && before.key && before.id === id ? api.closeLessonStep(id) : null;
    if (told) told.catch((err) => { shown = before; toast(err.message, true); });
  }

  async function follow(networkId) {
    try {
      await actions.adopt(await api.getNetwork(networkId));
    } catch (err) {
      toast(err.message, true);
    }
  }

  // Live news about the class and the lesson; true when handled.
  function onLive(msg) {
    if (msg.type === 'class') {
      for (const [id, code] of classes) if (code === msg.code || id === msg.network_id) classes.delete(id);
      if (msg.code) classes.set(msg.network_id, msg.code);
      if (msg.code && msg.network_id !== s().id && !keyFor(s().id)) follow(msg.network_id); // the teacher moved on
      return true;
    }
    if (msg.type === 'lesson') {
      if (!keyFor(s().id)) show(msg.slug ? msg : null); // the teacher's own page draws its own bar …
      else if (msg.slug) resume(msg); // … unless it reloaded mid-lesson
      return true;
    }
    return false;
  }

  // The teacher's network while a class follows one of the page's networks: a lesson started now, and
  // any network its steps make, are made on its shard, where the class can move (null otherwise).
  const near = () => (classes.size && keyFor(s().id) ? s().id : null);

  return { teacherAt, onLive, near };
}
