import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../electron/common/errors';
import type { ErrorCode } from '../../../electron/common/errors';
import { decryptData, encryptData, encryptDataWithSecret } from '../../../electron/main/passport/crypto/data-encryption';
import { openFile, sealFile } from '../../../electron/main/passport/crypto/file-encryption';
import { generateSecret } from '../../../electron/main/passport/crypto/secret';

const isCode = (code: ErrorCode) => (e: unknown) => e instanceof AppError && e.code === code;

/** Encrypts a hand-built padded buffer the textbook way (no code shared with the module). */
function encryptPadded(padded: Buffer, secret: Buffer): { encrypted: Buffer; hash: Buffer } {
  const hash = createHash('sha256').update(padded).digest();
  const h = createHash('sha512').update(secret).update(hash).digest();
  const c = createCipheriv('aes-256-cbc', h.subarray(0, 32), h.subarray(32, 48)).setAutoPadding(false);
  return { encrypted: Buffer.concat([c.update(padded), c.final()]), hash };
}

describe('data encryption (in memory)', () => {
  test('the format: [pad, random…] ‖ data, hash = SHA256(padded), AES-CBC without PKCS#7', () => {
    const data = Buffer.from('{"document_no":"X1"}');
    const { encrypted, hash, secret } = encryptData(data);
    // Decrypt the textbook way, without the module's code.
    const h = createHash('sha512').update(secret).update(hash).digest();
    const d = createDecipheriv('aes-256-cbc', h.subarray(0, 32), h.subarray(32, 48)).setAutoPadding(false);
    const padded = Buffer.concat([d.update(encrypted), d.final()]);
    assert.ok(createHash('sha256').update(padded).digest().equals(hash));
    const pad = padded[0] ?? 0;
    assert.ok(pad >= 32 && pad <= 255);
    assert.equal(padded.length, pad + data.length); // no PKCS#7 block
    assert.ok(padded.subarray(pad).equals(data));
    assert.ok(decryptData(encrypted, hash, secret).equals(data));
  });

  test('decrypts what an independent textbook encryption produced', () => {
    const secret = generateSecret();
    const data = Buffer.from('hello passport');
    const pad = 50; // (50 + 14) % 16 == 0
    const padded = Buffer.concat([Buffer.from([pad]), randomBytes(pad - 1), data]);
    const { encrypted, hash } = encryptPadded(padded, secret);
    assert.ok(decryptData(encrypted, hash, secret).equals(data));
  });

  test('hash is checked before padding: a bad prefix with a matching hash is BAD_PADDING', () => {
    const secret = generateSecret();
    for (const padded of [
      Buffer.concat([Buffer.from([16]), randomBytes(31)]), // pad 16 < 32
      Buffer.concat([Buffer.from([200]), randomBytes(47)]), // pad 200 > length 48
    ]) {
      const { encrypted, hash } = encryptPadded(padded, secret);
      assert.throws(() => decryptData(encrypted, hash, secret), isCode('BAD_PADDING'));
      // With a wrong hash the same data fails on the hash first.
      const wrongHash = Buffer.from(hash);
      wrongHash[0] = (wrongHash[0] ?? 0) ^ 1;
      assert.throws(() => decryptData(encrypted, wrongHash, secret), isCode('DATA_HASH_MISMATCH'));
    }
  });

  test('a pad of exactly 255 opens', () => {
    const secret = generateSecret();
    const data = Buffer.from([7]);
    const padded = Buffer.concat([Buffer.from([255]), randomBytes(254), data]);
    const { encrypted, hash } = encryptPadded(padded, secret);
    assert.ok(decryptData(encrypted, hash, secret).equals(data));
  });

  test('wrong secret, wrong length, wrong hash size', () => {
    const { encrypted, hash } = encryptData(Buffer.from('x'));
    assert.throws(() => decryptData(encrypted, hash, generateSecret()), isCode('DATA_HASH_MISMATCH'));
    assert.throws(() => decryptData(encrypted.subarray(1), hash, generateSecret()), isCode('BAD_LENGTH'));
    assert.throws(() => decryptData(Buffer.alloc(0), hash, generateSecret()), isCode('BAD_LENGTH'));
    assert.throws(() => decryptData(encrypted, hash.subarray(1), generateSecret()), isCode('BAD_INPUT'));
  });

  test('refuses to encrypt under a secret official clients would reject', () => {
    const bad = generateSecret();
    bad[0] = ((bad[0] ?? 0) + 1) % 256;
    assert.throws(() => encryptDataWithSecret(Buffer.from('x'), bad), isCode('SECRET_CHECKSUM'));
  });
});

describe('file encryption (streamed)', () => {
  const withTmp = async (fn: (dir: string) => Promise<void>): Promise<void> => {
    const dir = mkdtempSync(join(tmpdir(), 'pv-file-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test('seal/open round trip across chunk boundaries; interoperable with the in-memory code', async () => {
    await withTmp(async (dir) => {
      for (const size of [0, 1, 15, 16, 17, (1 << 20) - 5, (1 << 20) + 300, 3 * (1 << 20)]) {
        const data = randomBytes(size);
        const secret = generateSecret();
        writeFileSync(join(dir, 'in'), data);
        const hash = sealFile(join(dir, 'in'), join(dir, 'enc'), secret);
        const encrypted = readFileSync(join(dir, 'enc'));
        assert.ok(decryptData(encrypted, hash, secret).equals(data), `memory-open of sealed ${size}`);
        openFile(join(dir, 'enc'), join(dir, 'out'), secret, hash);
        assert.ok(readFileSync(join(dir, 'out')).equals(data), `open ${size}`);
        const mem = encryptDataWithSecret(data, secret);
        writeFileSync(join(dir, 'enc2'), mem.encrypted);
        openFile(join(dir, 'enc2'), join(dir, 'out2'), secret, mem.hash);
        assert.ok(readFileSync(join(dir, 'out2')).equals(data), `file-open of memory-sealed ${size}`);
      }
    });
  });

  test('a failed open leaves nothing at the destination (no unverified plaintext)', async () => {
    await withTmp(async (dir) => {
      const secret = generateSecret();
      writeFileSync(join(dir, 'in'), randomBytes(5000));
      const hash = sealFile(join(dir, 'in'), join(dir, 'enc'), secret);
      const wrongHash = Buffer.from(hash);
      wrongHash[31] = (wrongHash[31] ?? 0) ^ 0x80;
      assert.throws(() => openFile(join(dir, 'enc'), join(dir, 'out'), secret, wrongHash), isCode('DATA_HASH_MISMATCH'));
      const enc = readFileSync(join(dir, 'enc'));
      writeFileSync(join(dir, 'trunc'), enc.subarray(0, enc.length - 1));
      assert.throws(() => openFile(join(dir, 'trunc'), join(dir, 'out'), secret, hash), isCode('BAD_LENGTH'));
      assert.equal(existsSync(join(dir, 'out')), false);
      assert.deepEqual(readdirSync(dir).sort(), ['enc', 'in', 'trunc']);
    });
  });

  test('bad padding in a file is found after the hash check', async () => {
    await withTmp(async (dir) => {
      const secret = generateSecret();
      const { encrypted, hash } = encryptPadded(Buffer.concat([Buffer.from([8]), randomBytes(63)]), secret);
      writeFileSync(join(dir, 'enc'), encrypted);
      assert.throws(() => openFile(join(dir, 'enc'), join(dir, 'out'), secret, hash), isCode('BAD_PADDING'));
      assert.equal(existsSync(join(dir, 'out')), false);
    });
  });

  test('missing input is BAD_INPUT', async () => {
    await withTmp(async (dir) => {
      assert.throws(() => sealFile(join(dir, 'nope'), join(dir, 'enc'), generateSecret()), isCode('BAD_INPUT'));
    });
  });
});
