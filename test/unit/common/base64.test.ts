/**
 * The strict base64 check: the same language as the regex it replaced, at any length, without
 * recursion (that regex overflowed V8's stack at ~8M characters, even on valid input).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isStrictBase64 } from '../../../electron/common/base64';
import { base64String } from '../../../electron/common/base64-schema';
import { Base64String, PassportDataSchema } from '../../../electron/common/passport/credentials';
import { fromBase64 } from '../../../electron/main/passport/crypto/base64';

/** The regex every schema used before; fine for short strings, so the reference for them. */
const OLD_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SEED = 0x5eed21;

/** Strings near base64: alphabet, padding, base64url and other ASCII, a few non-ASCII code units. */
const nearBase64 = fc.string({
  unit: fc.constantFrom(...'ABCXYZabcxyz0189+/=-_ \n.\u00e9\u0141\uffff'.split('')),
  maxLength: 40,
});

test('every encoding Buffer produces is accepted and decodes back to the same bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const text = Buffer.from(bytes).toString('base64');
      assert.equal(isStrictBase64(text), true);
      assert.deepEqual(new Uint8Array(fromBase64(text, 'x')), bytes);
    }),
    { seed: SEED, numRuns: 2000 },
  );
});

test('accepts exactly what the old regex accepted (short strings, where it still works)', () => {
  fc.assert(
    fc.property(nearBase64, (text) => assert.equal(isStrictBase64(text), OLD_RE.test(text), JSON.stringify(text))),
    { seed: SEED, numRuns: 20000 },
  );
  // And from real encodings with one character changed, removed or added.
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), fc.constantFrom('=', '-', '_', ' ', 'A', '\u00c0', ''), (bytes, at, c) => {
      const text = Buffer.from(bytes).toString('base64');
      const i = at % (text.length + 1);
      for (const mutated of [text.slice(0, i) + c + text.slice(i + 1), text.slice(0, i) + c + text.slice(i)]) {
        assert.equal(isStrictBase64(mutated), OLD_RE.test(mutated), JSON.stringify(mutated));
      }
    }),
    { seed: SEED, numRuns: 5000 },
  );
});

test('when accepted, Buffer decodes all of it: length is exactly 3/4 of the text minus the padding', () => {
  fc.assert(
    fc.property(nearBase64, (text) => {
      if (!isStrictBase64(text)) return;
      const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
      assert.equal(Buffer.from(text, 'base64').length, (text.length / 4) * 3 - pad);
    }),
    { seed: SEED, numRuns: 20000 },
  );
});

test('a ~20M-character valid input is accepted (the regex overflows the stack on it), and fast', () => {
  const bytes = Buffer.alloc(15_000_001, 0x5a);
  const text = bytes.toString('base64');
  assert.ok(text.length >= 20_000_000);
  assert.throws(() => OLD_RE.test(text), RangeError); // the bug this replaces, still there in V8
  const start = performance.now();
  assert.equal(isStrictBase64(text), true);
  assert.equal(Base64String.safeParse(text).success, true);
  assert.equal(base64String().safeParse(text).success, true);
  assert.ok(performance.now() - start < 5000);
  // A bad character at the very end of the huge input is still found.
  assert.equal(isStrictBase64(`${text.slice(0, -4)}AA-A`), false);
  assert.equal(isStrictBase64(`${text.slice(0, -4)}A===`), false);
});

test('schemas with a base64 field refuse bad input with their message, including in PassportData', () => {
  const r = Base64String.safeParse('abc_');
  assert.equal(r.success, false);
  assert.match(r.error?.issues[0]?.message ?? '', /standard base64/);
  assert.equal(Base64String.safeParse('').success, false); // .min(4) still applies
  const huge = 'A'.repeat(8_000_000);
  const passportData = { data: [], credentials: { data: huge, hash: huge, secret: huge } };
  assert.equal(PassportDataSchema.safeParse(passportData).success, true);
});
