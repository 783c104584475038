import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeWire, encodeWire } from '../../support/bridge/wire';

test('bytes survive the bridge as Uint8Array, like structured clone', () => {
  const bytes = new Uint8Array([0, 1, 2, 254, 255]);
  const back = decodeWire(encodeWire({ a: bytes, b: [bytes.buffer], c: 'x' })) as { a: Uint8Array; b: Uint8Array[]; c: string };
  assert.ok(back.a instanceof Uint8Array);
  assert.deepEqual([...back.a], [0, 1, 2, 254, 255]);
  assert.deepEqual([...(back.b[0] ?? [])], [0, 1, 2, 254, 255]);
  assert.equal(back.c, 'x');
});

test('any JSON value and any byte array round-trip', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.uint8Array({ maxLength: 70_000 }), (json, bytes) => {
      assert.deepEqual(decodeWire(encodeWire(json)), JSON.parse(JSON.stringify(json)));
      assert.deepEqual(decodeWire(encodeWire({ bytes })), { bytes: new Uint8Array(bytes) });
    }),
    { numRuns: 100 },
  );
});
