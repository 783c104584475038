/**
 * The app's AES-256-IGE encryption on native CBC (electron/main/telegram/crypto-provider.ts) gives
 * exactly what mtcute's own WebAssembly IGE gives, and the loopback server's block-by-block
 * decryption (tools/loopback-telegram, independent code) turns it back into the plaintext.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AppCryptoProvider, igeEncrypt, NodeCryptoProvider } from '../../../electron/main/telegram/crypto-provider';
import { igeDecrypt } from '../../../tools/loopback-telegram/crypto/ige';

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
        assert.deepEqual(igeDecrypt(ours, key, iv), Buffer.from(data));
      }),
      { numRuns: 150 },
    );
  });

  test('the input is left as it was, and bad sizes are refused', () => {
    const data = new Uint8Array(64).fill(7);
    igeEncrypt(data, new Uint8Array(32), new Uint8Array(32));
    assert.deepEqual(data, new Uint8Array(64).fill(7));
    assert.throws(() => igeEncrypt(new Uint8Array(15), new Uint8Array(32), new Uint8Array(32)), RangeError);
    assert.throws(() => igeEncrypt(new Uint8Array(16), new Uint8Array(16), new Uint8Array(32)), RangeError);
  });
});
