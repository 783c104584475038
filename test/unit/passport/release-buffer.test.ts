import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCipheriv, randomBytes } from 'node:crypto';
import { releaseBuffer } from '../../../electron/main/passport/crypto/release-buffer';

test('releaseBuffer frees a cipher output at once: the buffer is empty afterwards', () => {
  const cipher = createCipheriv('aes-256-cbc', randomBytes(32), randomBytes(16)).setAutoPadding(false);
  const out = cipher.update(randomBytes(64 * 1024));
  assert.equal(out.length, 64 * 1024);
  releaseBuffer(out);
  assert.equal(out.length, 0);
  assert.equal(out.buffer.byteLength, 0);
  // The cipher goes on as before.
  assert.equal(cipher.update(randomBytes(32)).length, 32);
});

test('releaseBuffer leaves memory that other buffers share alone', () => {
  const pooled = Buffer.from('abc'); // from Node's shared pool of small buffers
  const neighbour = Buffer.from('def');
  releaseBuffer(pooled);
  assert.equal(pooled.toString(), 'abc');
  assert.equal(neighbour.toString(), 'def');
  const whole = Buffer.alloc(100, 7);
  const part = whole.subarray(10, 20);
  releaseBuffer(part);
  assert.equal(part.length, 10);
  assert.deepEqual(whole, Buffer.alloc(100, 7));
});

test('releaseBuffer does not leave V8 natives syntax switched on', () => {
  releaseBuffer(Buffer.alloc(1024));
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the syntax that must be refused again
  assert.throws(() => new Function('b', '%ArrayBufferDetach(b)'), SyntaxError);
});
