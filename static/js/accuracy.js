// The accuracy chart beside the loss chart, for classification: training then test, in the loss
// chart's colours and order, from the same history entries. It follows the store on its own, so the
// loss and gradient charts' code (render.js) is untouched; for regression it is hidden.
import { LineChart } from './chart.js';

// series: the loss chart's [training, test] look ({label, colour, dash}); the getters are accuracy's.
export function connectAccuracyChart(store, canvas, head, series) {
  const chart = new LineChart(canvas, {
    percent: true,
    series: [{ ...series[0], get: (e) => e.train_accuracy }, { ...series[1], get: (e) => e.test_accuracy }],
  });
  const s = store.state;
  const show = () => {
    const on = s.net?.problem === 'classification';
    canvas.hidden = !on;
    head.hidden = !on;
    return on;
  };
  store.subscribe((action, payload) => {
    if (action === 'adopted' || action === 'reset' || action === 'reconnected') {
      if (show()) chart.reset(s.net.history || []);
    } else if (action === 'frameReceived' && payload.history_tail?.length && !canvas.hidden) {
      chart.append(payload.history_tail);
      chart.drawIfDirty(s.playing ? 12 : 60);
    }
  });
  window.addEventListener('resize', () => { if (!canvas.hidden) chart.draw(); });
  return chart;
}
