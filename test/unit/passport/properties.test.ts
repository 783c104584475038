/**
 * Property tests (fast-check). Sizes up to 2 MB are filled from a seeded generator (fast-check
 * would build a 2 MB array element by element), so failures still shrink to a size and a seed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { AppError } from '../../../electron/common/errors';
import { toBase64 } from '../../../electron/main/passport/crypto/base64';
import { encryptCredentials, buildCredentials } from '../../../electron/main/passport/crypto/credentials';
import { decryptData, encryptData, encryptDataWithSecret } from '../../../electron/main/passport/crypto/data-encryption';
import { decryptPassportSecret, encryptPassportSecret, KDF_PBKDF2 } from '../../../electron/main/passport/crypto/passport-secret';
import { parseRsaPrivateKey } from '../../../electron/main/passport/crypto/rsa';
import { fixUpSecret, generateSecret, isValidSecret } from '../../../electron/main/passport/crypto/secret';
import { decryptCredentials } from '../../../electron/main/passport/crypto/service-decrypt';
import { decryptValueSecret, encryptValueSecret } from '../../../electron/main/passport/crypto/value-secret';
import { pemText } from './vectors';

const MB = 1024 * 1024;

/** Deterministic bytes from a seed: SHA-256 in counter mode (fast enough for 2 MB). */
function seededBytes(size: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  const seedBuf = Buffer.alloc(8);
  seedBuf.writeUInt32LE(seed >>> 0, 0);
  for (let off = 0, ctr = 0; off < size; off += 32, ctr++) {
    seedBuf.writeUInt32LE(ctr, 4);
    createHash('sha256').update(seedBuf).digest().copy(out, off);
  }
  return out;
}

function flipBit(buf: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(buf);
  const i = Math.floor(bit / 8) % copy.length;
  copy[i] = (copy[i] ?? 0) ^ (1 << (bit % 8));
  return copy;
}

/** Runs `fn` and returns the AppError code it threw, or null if it returned. */
function errorCodeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

describe('round trip', () => {
  test('small inputs (0..4 KiB), arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 4096 }), (data) => {
        const { encrypted, hash, secret } = encryptData(data);
        assert.equal(encrypted.length % 16, 0);
        assert.ok(encrypted.length - data.length >= 32 && encrypted.length - data.length <= 255);
        assert.ok(decryptData(encrypted, hash, secret).equals(data));
      }),
      { numRuns: 200 },
    );
  });

  test('any size 0 B..2 MB', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 * MB }), fc.integer(), (size, seed) => {
        const data = seededBytes(size, seed);
        const { encrypted, hash, secret } = encryptData(data);
        assert.ok(decryptData(encrypted, hash, secret).equals(data));
      }),
      { numRuns: 12, examples: [[0, 1], [2 * MB, 2], [2 * MB - 1, 3], [MB + 1, 4]] },
    );
  });
});

describe('secrets', () => {
  test('every generated secret is valid', () => {
    fc.assert(
      fc.property(fc.constant(null), () => isValidSecret(generateSecret())),
      { numRuns: 2000 },
    );
  });

  test('the fix-up makes any 32 bytes valid and touches only byte 0', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (raw) => {
        const fixed = fixUpSecret(Buffer.from(raw));
        return isValidSecret(fixed) && fixed.subarray(1).equals(Buffer.from(raw).subarray(1));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('any single bit flip is detected', () => {
  const payload = fc.uint8Array({ minLength: 0, maxLength: 600 });

  test('in the ciphertext', () => {
    fc.assert(
      fc.property(payload, fc.nat(), (data, bit) => {
        const { encrypted, hash, secret } = encryptData(data);
        return errorCodeOf(() => decryptData(flipBit(encrypted, bit % (encrypted.length * 8)), hash, secret)) === 'DATA_HASH_MISMATCH';
      }),
      { numRuns: 300 },
    );
  });

  test('in the hash', () => {
    fc.assert(
      fc.property(payload, fc.integer({ min: 0, max: 255 }), (data, bit) => {
        const { encrypted, hash, secret } = encryptData(data);
        return errorCodeOf(() => decryptData(encrypted, flipBit(hash, bit), secret)) === 'DATA_HASH_MISMATCH';
      }),
      { numRuns: 300 },
    );
  });

  test('in an encrypted value secret (secret checksum, else the data hash)', () => {
    const passportSecret = generateSecret();
    fc.assert(
      fc.property(payload, fc.integer({ min: 0, max: 255 }), (data, bit) => {
        const valueSecret = generateSecret();
        const { encrypted, hash } = encryptDataWithSecret(data, valueSecret);
        const encryptedSecret = encryptValueSecret(valueSecret, passportSecret, hash);
        const code = errorCodeOf(() => {
          const secret = decryptValueSecret(flipBit(encryptedSecret, bit), passportSecret, hash);
          return decryptData(encrypted, hash, secret);
        });
        return code === 'SECRET_CHECKSUM' || code === 'DATA_HASH_MISMATCH';
      }),
      { numRuns: 500 },
    );
  });

  test('in the encrypted passport secret (checksum, else secret id) — PBKDF2, few runs', async () => {
    const password = Buffer.from('hunter2-passport');
    const salt = Buffer.from('0102030405060708'.repeat(5), 'hex');
    const secret = generateSecret();
    const wrapped = await encryptPassportSecret(secret, password, salt);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 255 }), async (bit) => {
        await assert.rejects(
          decryptPassportSecret({
            encryptedSecret: flipBit(wrapped.encryptedSecret, bit),
            password,
            salt,
            algo: KDF_PBKDF2,
            expectedSecretId: wrapped.secretId,
          }),
          (e) => e instanceof AppError && (e.code === 'WRONG_PASSWORD' || e.code === 'SECRET_FINGERPRINT'),
        );
      }),
      { numRuns: 4 },
    );
  });

  test('in the RSA-encrypted credentials secret, credentials data or hash', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pub = pemText(publicKey.export({ type: 'spki', format: 'pem' }));
    const priv = parseRsaPrivateKey(pemText(privateKey.export({ type: 'pkcs8', format: 'pem' })));
    const credentials = buildCredentials([{ type: 'address', data: { dataHash: Buffer.alloc(32, 1), secret: generateSecret() } }], '{"v":1}', 'n');
    const enc = encryptCredentials(credentials, pub);
    fc.assert(
      fc.property(fc.constantFrom<'secret' | 'data' | 'hash'>('secret', 'data', 'hash'), fc.nat(), (field, bit) => {
        const flipped = { data: toBase64(enc.data), hash: toBase64(enc.hash), secret: toBase64(enc.secret) };
        flipped[field] = toBase64(flipBit(enc[field], bit % (enc[field].length * 8)));
        const code = errorCodeOf(() => decryptCredentials(flipped, priv));
        return field === 'secret' ? code === 'WRONG_KEY' : code === 'DATA_HASH_MISMATCH';
      }),
      { numRuns: 60 },
    );
  });
});
