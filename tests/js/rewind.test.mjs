import assert from 'node:assert/strict';
import { test } from 'node:test';

import { iterationBack, phaseBack, scrubTarget } from '../../static/js/rewind.js';
import { readHide, readPresenter, withParams } from '../../static/js/presenter.js';

test('one phase back steps the cursor back, across an iteration boundary too', () => {
  assert.deepEqual(phaseBack({ step: 4, phase: 2 }, 8), { step: 4, phase: 1 });
  assert.deepEqual(phaseBack({ step: 4, phase: 0 }, 8), { step: 3, phase: 7 });
  assert.equal(phaseBack({ step: 0, phase: 0 }, 8), null);
});

test('one iteration back keeps the phase', () => {
  assert.deepEqual(iterationBack({ step: 4, phase: 2 }), { step: 3, phase: 2 });
  assert.deepEqual(iterationBack({ step: 0, phase: 3 }), { step: 0, phase: 0 });
  assert.equal(iterationBack({ step: 0, phase: 0 }), null);
});

test('the scrubber stays within the timeline', () => {
  const timeline = { first: 10, newest: { step: 90, phase: 3 } };
  assert.deepEqual(scrubTarget(3, timeline), { step: 10, phase: 0 });
  assert.deepEqual(scrubTarget(55.4, timeline), { step: 55, phase: 0 });
  assert.deepEqual(scrubTarget(200, timeline), { step: 90, phase: 0 });
});

test('hide= names known parts only, and other parameters survive a rewrite', () => {
  assert.deepEqual(readHide('?hide=data,model,bogus,charts'), ['data', 'model', 'charts']);
  assert.deepEqual(readHide('?id=x'), []);
  assert.equal(readPresenter('?presenter=1'), true);
  assert.equal(withParams('?id=x&hide=data,model', { lesson: 'xor-hidden-layer' }),
    'id=x&hide=data,model&lesson=xor-hidden-layer');
  assert.equal(withParams('id=x&lesson=a', { lesson: null }), 'id=x');
});
