/**
 * The one key schedule Passport uses everywhere: `h = SHA512(secret ‖ hash)`, AES-256 key = h[0:32],
 * CBC iv = h[32:48] (PASSPORT-SPEC §1b, tdesktop PE:36-49). Data, files, value secrets and
 * credentials all derive their AES key this way; only the (secret, hash) pair differs.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import type { Cipher, Decipher } from 'node:crypto';

export interface AesKeyIv {
  key: Buffer;
  iv: Buffer;
}

export function deriveAesKeyIv(secret: Uint8Array, hash: Uint8Array): AesKeyIv {
  const h = createHash('sha512').update(secret).update(hash).digest();
  const keyIv = { key: Buffer.from(h.subarray(0, 32)), iv: Buffer.from(h.subarray(32, 48)) };
  // h is key material; clear our copy now that key/iv were copied out.
  h.fill(0);
  return keyIv;
}

/** Wipes key material we own; Node's cipher keeps its own copy inside OpenSSL. */
export function wipeKeyIv(k: AesKeyIv): void {
  k.key.fill(0);
  k.iv.fill(0);
}

/** Raw AES-256-CBC without PKCS#7 (OpenSSL `AES_cbc_encrypt`); input must be a multiple of 16. */
export function rawCbcCipher(k: AesKeyIv): Cipher {
  return createCipheriv('aes-256-cbc', k.key, k.iv).setAutoPadding(false);
}

export function rawCbcDecipher(k: AesKeyIv): Decipher {
  return createDecipheriv('aes-256-cbc', k.key, k.iv).setAutoPadding(false);
}

/** One-shot raw CBC over a short buffer (secrets: 32 bytes). */
export function cbcEncryptShort(k: AesKeyIv, plain: Uint8Array): Buffer {
  const c = rawCbcCipher(k);
  return Buffer.concat([c.update(plain), c.final()]);
}

export function cbcDecryptShort(k: AesKeyIv, encrypted: Uint8Array): Buffer {
  const d = rawCbcDecipher(k);
  return Buffer.concat([d.update(encrypted), d.final()]);
}
