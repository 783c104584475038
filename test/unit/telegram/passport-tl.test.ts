import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Long } from '@mtcute/core';
import { fromLong, toLong } from '../../../electron/main/telegram/passport-tl';

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

test('toLong and fromLong agree with the decimal conversion on every signed 64-bit value', () => {
  fc.assert(
    fc.property(int64, (n) => {
      assert.equal(toLong(n).toString(), n.toString());
      assert.equal(fromLong(Long.fromString(n.toString())), n);
      assert.equal(fromLong(toLong(n)), n);
    }),
    { numRuns: 2000 },
  );
  for (const n of [0n, -1n, 1n, 2n ** 31n, -(2n ** 31n), 2n ** 32n, 2n ** 63n - 1n, -(2n ** 63n)]) assert.equal(fromLong(toLong(n)), n);
});

test('toLong wraps like the TL long it becomes; fromLong keeps an unsigned Long unsigned', () => {
  assert.equal(toLong(2n ** 64n - 1n).toString(), '-1');
  assert.equal(toLong(2n ** 63n).toString(), (-(2n ** 63n)).toString());
  assert.equal(fromLong(Long.fromString('18446744073709551615', true)), 2n ** 64n - 1n);
});
