import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../../electron/common/errors';
import {
  assertValidSecret,
  fixUpSecret,
  generateSecret,
  isValidSecret,
  SECRET_LENGTH,
} from '../../../electron/main/passport/crypto/secret';
import { checkPadding, makePaddingPrefix, MAX_PADDING, MIN_PADDING, randomPaddingLength } from '../../../electron/main/passport/crypto/padding';

const byteSum = (b: Uint8Array): number => b.reduce((s, x) => s + x, 0);

describe('secrets', () => {
  test('generated secrets are 32 bytes with byte sum 239 mod 255, and differ', () => {
    const a = generateSecret();
    const b = generateSecret();
    assert.equal(a.length, SECRET_LENGTH);
    assert.equal(byteSum(a) % 255, 239);
    assert.ok(!a.equals(b));
  });

  test('the fix-up only changes byte 0', () => {
    const raw = randomBytes(32);
    const fixed = fixUpSecret(Buffer.from(raw));
    assert.ok(fixed.subarray(1).equals(raw.subarray(1)));
    assert.ok(isValidSecret(fixed));
  });

  test('validation rejects wrong sums and lengths with distinct codes', () => {
    const s = generateSecret();
    s[5] = ((s[5] ?? 0) + 1) % 256;
    assert.equal(isValidSecret(s), false);
    assert.throws(() => assertValidSecret(s), (e) => e instanceof AppError && e.code === 'SECRET_CHECKSUM');
    assert.throws(() => assertValidSecret(Buffer.alloc(31)), (e) => e instanceof AppError && e.code === 'BAD_LENGTH');
    // 33 bytes whose sum happens to be right are still not a secret.
    const long = Buffer.concat([generateSecret(), Buffer.from([0])]);
    assert.equal(isValidSecret(long), false);
  });
});

describe('padding', () => {
  test('every length keeps the total a multiple of 16 inside 32..255', () => {
    for (let len = 0; len < 64; len++) {
      for (let i = 0; i < 50; i++) {
        const pad = randomPaddingLength(len);
        assert.ok(pad >= MIN_PADDING && pad <= MAX_PADDING, `pad ${pad}`);
        assert.equal((len + pad) % 16, 0);
      }
    }
  });

  test('the whole range is used, 255 included (tdesktop-like, not TDLib 32..47)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 3000; i++) seen.add(randomPaddingLength(1)); // 1 + 255 = 256
    assert.equal(seen.size, 14);
    assert.ok(seen.has(255) && seen.has(47) && seen.has(63));
    const low = new Set<number>();
    for (let i = 0; i < 3000; i++) low.add(randomPaddingLength(0));
    assert.ok(low.has(32) && low.has(240));
  });

  test('the prefix starts with its own length', () => {
    const p = makePaddingPrefix(10);
    assert.equal(p[0], p.length);
  });

  test('checkPadding enforces 32 <= pad <= 255 and pad <= length', () => {
    assert.equal(checkPadding(32, 32), 32);
    assert.equal(checkPadding(255, 256), 255);
    for (const [pad, len] of [
      [31, 64],
      [0, 64],
      [48, 32],
    ] as const) {
      assert.throws(() => checkPadding(pad, len), (e) => e instanceof AppError && e.code === 'BAD_PADDING');
    }
  });
});
