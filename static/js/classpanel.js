// The owner's classroom buttons. "Class" opens a class for the page's network (POST …/class) and shows
// the join URL in large type, its QR code as large as the screen allows (scannable from the back of a
// room), the join code, and how many pages follow (the server tells the owner's socket as it changes);
// "End the class" makes the code stop working. "Share" takes a frozen share link (POST …/snapshots).
// Only the network's owner sees them.
import * as api from './api.js';

const $ = (id) => document.getElementById(id);

function button(id, text, title) {
  const b = document.createElement('button');
  Object.assign(b, { type: 'button', id, textContent: text, title, hidden: true });
  b.className = 'class-button';
  document.querySelector('.phasebar').append(b);
  return b;
}

function dialog(id, label, html) {
  const d = document.createElement('dialog');
  Object.assign(d, { id, className: 'class-panel', innerHTML: html });
  d.setAttribute('aria-label', label);
  document.body.append(d);
  return d;
}

export function createClassPanel({ store, classroom, toast }) {
  const classButton = button('class-open', 'Class', 'Let students follow this network: a join link and its QR code');
  const shareButton = button('share-open', 'Share', 'A frozen link to the network as it is now, for anyone to open and copy');
  const panel = dialog('class-panel', 'Class', '<h2>Join the class</h2>'
    + '<p class="class-url"><a id="class-url" data-testid="class-url" target="_blank" rel="noopener"></a></p>'
    + '<div id="class-qr" class="class-qr" role="img" aria-label="QR code of the join link"></div>'
    + '<p class="class-code">code <strong id="class-code" data-testid="class-code"></strong> · '
    + '<output id="class-followers" data-testid="class-followers">0</output> following</p>'
    + '<p id="class-note" class="class-note" hidden></p>'
    + '<p><button type="button" id="class-end">End the class</button> <button type="button" id="class-close">Close</button></p>');
  const sharePanel = dialog('share-panel', 'Share link', '<h2>Share link</h2>'
    + '<p class="class-url"><a id="share-url" data-testid="share-url" target="_blank" rel="noopener"></a></p>'
    + '<p class="muted">A frozen copy: whoever opens it sees the network as it is now and can train their own copy.</p>'
    + '<p><button type="button" id="share-close">Close</button></p>');

  function show(answer) {
    $('class-url').textContent = answer.url;
    $('class-url').href = answer.url;
    $('class-qr').innerHTML = answer.qr_svg; // drawn by the server from the URL above
    $('class-code').textContent = answer.code;
    $('class-followers').textContent = String(answer.followers);
    $('class-note').hidden = !answer.note;
    $('class-note').textContent = answer.note || '';
  }

  async function open() {
    try {
      show(await api.openClass(store.state.id));
      if (!panel.open) panel.showModal();
    } catch (err) {
      toast(err.message, true);
    }
  }

  function close() {
    if (panel.open) panel.close();
  }

  async function end() {
    try {
      await api.endClass(store.state.id);
      close();
      toast('The class has ended: its code no longer works.');
    } catch (err) {
      toast(err.message, true);
    }
  }

  async function share() {
    try {
      const link = new URL((await api.takeSnapshot(store.state.id)).url, window.location.origin).href;
      $('share-url').textContent = link;
      $('share-url').href = link;
      sharePanel.showModal();
    } catch (err) {
      toast(err.message, true);
    }
  }

  classButton.addEventListener('click', open);
  shareButton.addEventListener('click', share);
  $('class-close').addEventListener('click', close);
  $('class-end').addEventListener('click', end);
  $('share-close').addEventListener('click', () => sharePanel.close());
  classroom.onFollowers((count) => { $('class-followers').textContent = String(count); });
  classroom.onRole((role) => {
    classButton.hidden = role !== 'owner';
    shareButton.hidden = role !== 'owner';
  });
}
