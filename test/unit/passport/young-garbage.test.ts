import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInNewContext } from 'node:vm';
import { collectYoungGarbage } from '../../../electron/main/passport/crypto/young-garbage';

test('collectYoungGarbage runs without giving this context or later ones a gc function', () => {
  collectYoungGarbage();
  collectYoungGarbage();
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined');
  // The flag is switched off again: a context made afterwards has no gc either.
  assert.equal(runInNewContext('typeof gc'), 'undefined');
});
