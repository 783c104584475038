/** The output depth limit: measured without recursion, at any depth. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_OUTPUT_DEPTH, nestsDeeperThan } from '../../../electron/main/cli/json-depth';

/** `depth` levels of alternating arrays and objects, built without recursion. */
function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
  return v;
}

/** The reference: a plain recursive depth, fine for small values. */
function depthOf(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  return 1 + Math.max(0, ...(Array.isArray(v) ? v : Object.values(v)).map(depthOf));
}

test('depth is counted in levels of objects and arrays; scalars are level 0', () => {
  assert.equal(nestsDeeperThan('x', 0), false);
  assert.equal(nestsDeeperThan({}, 0), true);
  assert.equal(nestsDeeperThan({}, 1), false);
  assert.equal(nestsDeeperThan({ a: [1, { b: null }] }, 2), true);
  assert.equal(nestsDeeperThan({ a: [1, { b: null }] }, 3), false);
  assert.equal(nestsDeeperThan(nested(MAX_OUTPUT_DEPTH), MAX_OUTPUT_DEPTH), false);
  assert.equal(nestsDeeperThan(nested(MAX_OUTPUT_DEPTH + 1), MAX_OUTPUT_DEPTH), true);
});

test('agrees with a recursive depth on random JSON', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (v, max) => {
      assert.equal(nestsDeeperThan(v, max), depthOf(v) > max);
    }),
    { seed: 21, numRuns: 2000 },
  );
});

test('100 000 and 1 000 000 levels: no stack overflow (JSON.stringify overflows on them)', () => {
  for (const depth of [100_000, 1_000_000]) {
    const v = nested(depth);
    assert.equal(nestsDeeperThan(v, MAX_OUTPUT_DEPTH), true);
    if (depth === 100_000) assert.throws(() => JSON.stringify(v), RangeError);
  }
  // Wide is fine too: many siblings at a shallow depth.
  assert.equal(nestsDeeperThan({ list: Array.from({ length: 200_000 }, (_, i) => ({ i })) }, MAX_OUTPUT_DEPTH), false);
});
