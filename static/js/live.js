// The live WebSocket of one network: sends what the user did, hands every server message to a
// callback, and reconnects with backoff when the server goes away (it persists the network, so the
// page carries on where it was once the socket is back).
import { isShareCode, liveUrl } from './api.js';
import { keyFor } from './keys.js';

export class LiveConnection {
  constructor({ onMessage, onStatus }) {
    this.onMessage = onMessage;
    this.onStatus = onStatus || (() => {});
    this.socket = null;
    this.id = null;
    this.subscription = null;
    this.retry = 0;
    this.timer = null;
    this.pending = [];
  }

  connect(id, gridResolution) {
    this.close();
    this.id = id;
    this.subscription = { type: 'subscribe', grid_resolution: gridResolution };
    if (isShareCode(id)) return; // a share link is frozen: nothing live to follow
    this.open();
  }

  open() {
    const socket = new WebSocket(liveUrl(this.id));
    this.socket = socket;
    socket.onopen = () => {
      this.retry = 0;
      this.onStatus('open');
      const key = keyFor(this.id); // the owner proves its key on the socket, never in the URL
      if (key) socket.send(JSON.stringify({ type: 'auth', key }));
      socket.send(JSON.stringify(this.subscription));
      for (const msg of this.pending.splice(0)) socket.send(JSON.stringify(msg));
    };
    socket.onmessage = (event) => {
      if (socket === this.socket) this.onMessage(JSON.parse(event.data));
    };
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.onStatus('closed');
      const delay = Math.min(4000, 250 * 2 ** this.retry++);
      this.timer = setTimeout(() => this.open(), delay);
    };
  }

  subscribe(gridResolution) {
    this.subscription = { type: 'subscribe', grid_resolution: gridResolution };
    this.send(this.subscription);
  }

  get isOpen() {
    return Boolean(this.socket && this.socket.readyState === WebSocket.OPEN);
  }

  // Messages sent while reconnecting are queued once; play/pause keep only the latest.
  send(message) {
    if (this.isOpen) {
      this.socket.send(JSON.stringify(message));
      return;
    }
    if (message.type === 'play' || message.type === 'pause') {
      this.pending = this.pending.filter((m) => m.type !== 'play' && m.type !== 'pause');
    }
    this.pending.push(message);
  }

  close() {
    clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = null;
    this.pending = [];
    if (socket) socket.close();
  }
}
