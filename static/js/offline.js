// When the server cannot be reached: a banner that says so plainly (instead of an 8 px red dot), the
// controls that need the server disabled with the reason as their tooltip, and everything back once
// the live connection reopens (live.js reconnects by itself). Left out: reconnecting itself, and
// refreshing the network afterwards (actions.js does both).

const NEEDS_SERVER = '.run-controls button, .hyper select, .col-data button, .col-data input, .col-data select, '
  + '.net-toolbar button, .net-toolbar input';
const REASON = 'the server is not answering; this comes back by itself once it does';

export function connectOffline(store, doc = document) {
  const banner = doc.createElement('div');
  banner.id = 'offline';
  banner.className = 'offline';
  banner.setAttribute('role', 'alert');
  banner.hidden = true;
  doc.querySelector('.phasebar').after(banner);
  let disabled = [];
  let since = null;
  const tick = () => {
    const seconds = Math.round((Date.now() - since) / 1000);
    banner.textContent = `The server is not answering (for ${seconds} s): reconnecting by itself. Training, `
      + 'stepping and changes wait until it is back; nothing is lost, the network is kept on the server.';
  };
  let timer = null;
  store.subscribe((action) => {
    if (action !== 'connection') return;
    const down = store.state.connection === 'closed';
    if (down && banner.hidden) {
      since = Date.now();
      tick();
      timer = setInterval(tick, 1000);
      banner.hidden = false;
      disabled = [...doc.querySelectorAll(NEEDS_SERVER)].filter((el) => !el.disabled);
      for (const el of disabled) {
        el.disabled = true;
        el.dataset.offlineTitle = el.title;
        el.title = REASON;
      }
    } else if (store.state.connection === 'open' && !banner.hidden) {
      clearInterval(timer);
      banner.hidden = true;
      for (const el of disabled) {
        el.disabled = false;
        el.title = el.dataset.offlineTitle || '';
        delete el.dataset.offlineTitle;
      }
      disabled = [];
    }
  });
}
