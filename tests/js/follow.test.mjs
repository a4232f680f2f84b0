import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openedAs } from '../../static/js/follow.js';

test('a join code, a share link and a network id open the page as a class, a snapshot and a network', () => {
  assert.deepEqual(openedAs({ pathname: '/j/DJGA67' }), { kind: 'class', code: 'DJGA67' });
  assert.deepEqual(openedAs({ pathname: '/j/djga67/' }), { kind: 'class', code: 'djga67' });
  assert.deepEqual(openedAs({ pathname: '/s/CAXKM3HT7WNPRDE' }), { kind: 'snapshot', code: 'CAXKM3HT7WNPRDE' });
  assert.deepEqual(openedAs({ pathname: '/' }), { kind: 'network' });
  assert.deepEqual(openedAs({ pathname: '/j/' }), { kind: 'network' });
  assert.deepEqual(openedAs({ pathname: '/j/AB/../x' }), { kind: 'network' });
});
