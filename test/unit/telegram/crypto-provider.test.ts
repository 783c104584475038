/**
 * The app's AES-256-IGE encryption on native CBC (electron/main/telegram/crypto-provider.ts) gives
 * exactly what mtcute's own WebAssembly IGE gives, and the loopback server's reference decryption
 * (tools/loopback-telegram, node:crypto AES-ECB block by block) turns it back into the plaintext.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AppCryptoProvider, igeEncrypt, NodeCryptoProvider } from '../../../electron/main/telegram/crypto-provider';
import { igeDecryptReference } from '../../../tools/loopback-telegram/crypto/ige';

describe('AES-256-IGE encryption on native CBC', () => {
  test('equals mtcute’s IGE, and decrypts back (mtcute’s decryption and the loopback server’s)', async () => {
    const mtcute = new NodeCryptoProvider();
    await mtcute.initialize();
    const app = new AppCryptoProvider();
    await app.initialize();
    const block = fc.integer({ min: 0, max: 4096 }).map((n) => n * 16);
    await fc.assert(
      fc.asyncProperty(block.chain((n) => fc.tuple(fc.uint8Array({ minLength: n, maxLength: n }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }))), async ([data, key, iv]) => {
        const ours = igeEncrypt(data, key, iv);
        assert.deepEqual(Buffer.from(ours), Buffer.from(mtcute.createAesIge(key, iv).encrypt(data)));
        assert.deepEqual(Buffer.from(app.createAesIge(key, iv).encrypt(data)), Buffer.from(ours));
        assert.deepEqual(Buffer.from(app.createAesIge(key, iv).decrypt(ours)), Buffer.from(data));
        assert.deepEqual(igeDecryptReference(ours, key, iv), Buffer.from(data));
      }),
      { numRuns: 150 },
    );
  });

  test('input at any byte offset (read in place when aligned, copied when not) and messages one after another', async () => {
    const mtcute = new NodeCryptoProvider();
    await mtcute.initialize();
    const backing = new Uint8Array(70_000 + 3);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 131 + 7) & 0xff;
    const key = new Uint8Array(32).fill(3);
    const iv = new Uint8Array(32).map((_, i) => i);
    // Long, then short after it: the reused CBC input must not carry the long one's words over.
    for (const [offset, length] of [[0, 65_536], [1, 4096], [2, 32], [3, 65_536], [4, 16], [0, 48]] as const) {
      const data = backing.subarray(offset, offset + length);
      const before = Buffer.from(data);
      assert.deepEqual(Buffer.from(igeEncrypt(data, key, iv)), Buffer.from(mtcute.createAesIge(key, iv).encrypt(data)), `offset ${offset}, ${length} bytes`);
      assert.deepEqual(Buffer.from(data), before);
    }
  });

  test('the input is left as it was, and bad sizes are refused', () => {
    const data = new Uint8Array(64).fill(7);
    igeEncrypt(data, new Uint8Array(32), new Uint8Array(32));
    assert.deepEqual(data, new Uint8Array(64).fill(7));
    assert.throws(() => igeEncrypt(new Uint8Array(15), new Uint8Array(32), new Uint8Array(32)), RangeError);
    assert.throws(() => igeEncrypt(new Uint8Array(16), new Uint8Array(16), new Uint8Array(32)), RangeError);
  });
});
