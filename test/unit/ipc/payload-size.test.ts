import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { measurePayload } from '../../../electron/main/ipc/payload-size';

test('measures plain data and grows with it', () => {
  assert.ok(measurePayload({}, 1000) < measurePayload({ a: 'x'.repeat(100) }, 1000));
  assert.equal(measurePayload(new Uint8Array(500), 1000), 500);
  assert.equal(measurePayload(new Uint8Array(1001), 1000), Infinity);
});

test('stops at the cap instead of walking everything', () => {
  const wide = Array.from({ length: 1_000_000 }, () => 1);
  assert.equal(measurePayload(wide, 1024), Infinity);
});

test('rejects non-plain values: functions, bigint, symbols, class instances, cycles', () => {
  const cyc: unknown[] = [];
  cyc.push(cyc);
  for (const v of [() => 1, 1n, Symbol('s'), new Date(), new Map(), cyc]) assert.equal(measurePayload(v, 1e6), Infinity);
});

test('any JSON value under the cap is measured finitely and never throws', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const n = measurePayload(v, 10_000_000);
      assert.ok(Number.isFinite(n) && n >= 0);
    }),
    { numRuns: 300 },
  );
});
