import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { NodeCryptoProvider } from '../../../electron/main/telegram/crypto-provider';
import { igeDecrypt, igeDecryptReference, igeEncrypt } from '../../../tools/loopback-telegram/crypto/ige';

/** IGE from its definition, one block at a time through AES-256-CBC (a different code path). */
function referenceEncrypt(data: Buffer, key: Buffer, iv: Buffer): Buffer {
  const out: Buffer[] = [];
  let prevC = iv.subarray(0, 16);
  let prevP = iv.subarray(16, 32);
  for (let off = 0; off < data.length; off += 16) {
    const p = data.subarray(off, off + 16);
    const cbc = createCipheriv('aes-256-cbc', key, prevC).setAutoPadding(false);
    const e = cbc.update(p); // = E(p ⊕ prevC)
    const c = Buffer.alloc(16);
    for (let i = 0; i < 16; i++) c[i] = (e[i] ?? 0) ^ (prevP[i] ?? 0);
    out.push(c);
    prevC = c;
    prevP = p;
  }
  return Buffer.concat(out);
}

test('AES-256-IGE matches a block-by-block reference and round-trips', () => {
  for (const blocks of [1, 2, 7, 64]) {
    const key = randomBytes(32);
    const iv = randomBytes(32);
    const data = randomBytes(blocks * 16);
    const enc = igeEncrypt(data, key, iv);
    assert.deepEqual(enc, referenceEncrypt(data, key, iv));
    assert.deepEqual(igeDecrypt(enc, key, iv), data);
    assert.deepEqual(igeDecryptReference(enc, key, iv), data);
  }
});

/**
 * The server decrypts every client message with @mtcute/wasm's IGE (fast); it may only because it agrees
 * with the reference built from node:crypto AES-256-ECB, block by block, on any key, IV and length.
 */
test('the fast IGE decryption agrees with the node:crypto reference on random keys, IVs and lengths', () => {
  const bytes = (n: number): fc.Arbitrary<Buffer> => fc.uint8Array({ minLength: n, maxLength: n }).map((a) => Buffer.from(a));
  fc.assert(
    fc.property(bytes(32), bytes(32), fc.integer({ min: 0, max: 4096 }), fc.integer(), (key, iv, blocks, seed) => {
      // Lengths up to 64 KiB (every length from 0 blocks up), contents from the seed: cheap to make, never the same twice.
      const data = Buffer.alloc(blocks * 16);
      let x = seed | 1;
      for (let i = 0; i < data.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        data[i] = x & 0xff;
      }
      assert.deepEqual(igeDecrypt(data, key, iv), igeDecryptReference(data, key, iv));
      assert.deepEqual(igeDecryptReference(igeEncrypt(data, key, iv), key, iv), data);
    }),
    { numRuns: 300 },
  );
  // A whole upload part, as the server sees it (512 KiB of file plus the message's own header and padding).
  const key = randomBytes(32);
  const iv = randomBytes(32);
  const part = randomBytes(512 * 1024 + 64);
  assert.deepEqual(igeDecrypt(part, key, iv), igeDecryptReference(part, key, iv));
});

test('AES-256-IGE encryption agrees with an independent implementation (mtcute, WebAssembly)', async () => {
  const crypto = new NodeCryptoProvider();
  await crypto.initialize();
  const key = randomBytes(32);
  const iv = randomBytes(32);
  const data = randomBytes(1024);
  assert.deepEqual(igeEncrypt(data, key, iv), Buffer.from(crypto.createAesIge(key, iv).encrypt(data)));
  assert.deepEqual(igeDecryptReference(data, key, iv), Buffer.from(crypto.createAesIge(key, iv).decrypt(data)));
});

test('a changed ciphertext block garbles every later plaintext block', () => {
  const key = randomBytes(32);
  const iv = randomBytes(32);
  const data = Buffer.alloc(64, 1);
  const enc = igeEncrypt(data, key, iv);
  enc[16] = (enc[16] ?? 0) ^ 1;
  const dec = igeDecrypt(enc, key, iv);
  assert.deepEqual(dec.subarray(0, 16), data.subarray(0, 16));
  for (const off of [16, 32, 48]) assert.notDeepEqual(dec.subarray(off, off + 16), data.subarray(off, off + 16));
});

test('rejects wrong key, iv and data sizes', () => {
  assert.throws(() => igeEncrypt(Buffer.alloc(16), Buffer.alloc(16), Buffer.alloc(32)), /key/);
  assert.throws(() => igeEncrypt(Buffer.alloc(16), Buffer.alloc(32), Buffer.alloc(16)), /iv/);
  assert.throws(() => igeDecrypt(Buffer.alloc(15), Buffer.alloc(32), Buffer.alloc(32)), /multiple of 16/);
  assert.throws(() => igeDecryptReference(Buffer.alloc(15), Buffer.alloc(32), Buffer.alloc(32)), /multiple of 16/);
});
