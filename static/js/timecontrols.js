// The timeline scrubber under the loss chart: a slider over the steps a rewind can reach. Dragging
// previews that moment (the network, its heatmaps and charts as they were); releasing rewinds there.
// Its range comes from GET …/timeline, fetched again when the network stops moving; while playing the
// newest step is the network's own.
import * as api from './api.js';
import { keyFor } from './keys.js';
import { scrubTarget } from './rewind.js';

export class TimeControls {
  // on: {preview(step), release(step)}
  constructor(slider, label, on) {
    this.slider = slider;
    this.label = label;
    this.bounds = { first: 0, newest: { step: 0, phase: 0 } };
    this.dragging = false;
    this.fetching = null;
    let timer = null;
    slider.addEventListener('input', () => {
      this.dragging = true;
      const { step } = scrubTarget(Number(slider.value), this.bounds);
      label.textContent = String(step);
      clearTimeout(timer);
      timer = setTimeout(() => on.preview(step), 60);
    });
    slider.addEventListener('change', () => {
      clearTimeout(timer);
      this.dragging = false;
      on.release(scrubTarget(Number(slider.value), this.bounds).step);
    });
  }

  show(step) {
    if (this.dragging) return;
    this.slider.min = String(this.bounds.first);
    this.slider.max = String(Math.max(this.bounds.newest.step, step));
    this.slider.value = String(step);
    this.label.textContent = String(step);
  }

  // After each store action: keep the slider on the network's step; refresh the range when still.
  heard(action, state) {
    if (!state.net || this.dragging) return;
    // Only the owner rewinds; a follower's or a share link's scrubber just shows the step.
    const owner = Boolean(keyFor(state.id));
    this.slider.disabled = !owner;
    if (!owner) { this.bounds = { first: 0, newest: { step: state.net.step, phase: 0 } }; this.show(state.net.step); return; }
    if (state.playing) {
      this.bounds.newest = { step: Math.max(this.bounds.newest.step, state.net.step), phase: 0 };
    } else if (['adopted', 'reset', 'traceReceived', 'frameReceived', 'stateReceived', 'parameterSet', 'playing'].includes(action)) {
      this.refresh(state.id);
    }
    this.show(state.net.step);
  }

  refresh(id) {
    if (this.fetching) return;
    this.fetching = setTimeout(async () => {
      this.fetching = null;
      try {
        this.bounds = await api.getTimeline(id);
        this.show(Number(this.slider.value));
      } catch { /* the next change asks again */ }
    }, 150);
  }
}
