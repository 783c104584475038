/**
 * Our crypto provider for mtcute: its Node provider (below) with MTProto's AES-256-IGE *encryption* moved onto OpenSSL's native
 * AES-256-CBC (mtcute 0.30.3 does IGE in WebAssembly: ~100 MiB/s here, the limit of every upload).
 * Decryption stays mtcute's: IGE decryption chains inside the block cipher, which no native mode does.
 *
 * IGE: c_i = E(p_i ⊕ c_{i-1}) ⊕ p_{i-1}, with c_0 = iv[0..16], p_0 = iv[16..32]. With z_i = c_i ⊕ p_{i-1}:
 *   z_i = E(p_i ⊕ c_{i-1}) = E((p_i ⊕ p_{i-2}) ⊕ z_{i-1}),   z_0 = c_0, p_{-1} = 0,
 * which is CBC encryption of q_i = p_i ⊕ p_{i-2} under the IV c_0; then c_i = z_i ⊕ p_{i-1}.
 */
import { createCipheriv, createHash, createHmac, pbkdf2, randomFillSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { deflateSync, gunzipSync } from 'node:zlib';
import { BaseCryptoProvider } from '@mtcute/core/utils.js';
import type { IAesCtr, IEncryptionScheme } from '@mtcute/core/utils.js';
import { ige256Decrypt, ige256Encrypt, initSync, SIMD_AVAILABLE } from '@mtcute/wasm';

/**
 * mtcute's Node crypto provider (@mtcute/node 0.30.3's NodeCryptoProvider, MIT), here so the app needs only
 * @mtcute/core and @mtcute/wasm (node-platform.ts says why): node:crypto for hashes, CTR and PBKDF2,
 * mtcute's WebAssembly for AES-IGE.
 */
export class NodeCryptoProvider extends BaseCryptoProvider {
  createAesCtr(key: Uint8Array, iv: Uint8Array): IAesCtr {
    const cipher = createCipheriv(`aes-${key.length * 8}-ctr`, key, iv);
    return { process: (data) => cipher.update(data) };
  }

  pbkdf2(password: Uint8Array, salt: Uint8Array, iterations: number, keylen = 64, algo = 'sha512'): Promise<Uint8Array> {
    return new Promise((resolve, reject) => pbkdf2(password, salt, iterations, keylen, algo, (err, buf) => (err !== null ? reject(err) : resolve(buf))));
  }

  sha1(data: Uint8Array): Uint8Array {
    return createHash('sha1').update(data).digest();
  }

  sha256(data: Uint8Array): Uint8Array {
    return createHash('sha256').update(data).digest();
  }

  hmacSha256(data: Uint8Array, key: Uint8Array): Uint8Array {
    return createHmac('sha256', key).update(data).digest();
  }

  gzip(data: Uint8Array, maxSize: number): Uint8Array | null {
    try {
      return deflateSync(data, { maxOutputLength: maxSize });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return null;
      throw e;
    }
  }

  gunzip(data: Uint8Array): Uint8Array {
    return gunzipSync(data);
  }

  randomFill(buf: Uint8Array): void {
    randomFillSync(buf);
  }

  async initialize(): Promise<void> {
    const wasmFile = createRequire(import.meta.url).resolve(`@mtcute/wasm/${SIMD_AVAILABLE ? 'mtcute-simd.wasm' : 'mtcute.wasm'}`);
    initSync(await readFile(wasmFile));
  }

  createAesIge(key: Uint8Array, iv: Uint8Array): IEncryptionScheme {
    return { encrypt: (data) => ige256Encrypt(data, key, iv), decrypt: (data) => ige256Decrypt(data, key, iv) };
  }
}

/** 32-bit words of `bytes` (a multiple of 4 long): a view when it is aligned, else a copy (owned: true). */
function words(bytes: Uint8Array): { w: Uint32Array; owned: boolean } {
  if (bytes.byteOffset % 4 === 0) return { w: new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4), owned: false };
  const w = new Uint32Array(bytes.length / 4);
  new Uint8Array(w.buffer).set(bytes);
  return { w, owned: true };
}

/** The CBC input of the message being encrypted: reused (and wiped after each message), not allocated per message. */
let scratch = new Uint32Array(0);

/**
 * IGE encryption of one MTProto message (up to a 512 KiB file part plus headers). Every byte passes
 * the CPU three times: q = p ⊕ p', the native CBC, c = z ⊕ p''. Nothing else is allocated than the
 * output (the cipher's own): a part's plaintext is read where it lies, the CBC input reuses one scratch
 * buffer, and the output is XORed in place. (Allocating and copying 512 KiB buffers per part cost as
 * much as the cipher, mostly in the garbage collector.)
 */
export function igeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
  if (key.length !== 32 || iv.length !== 32 || data.length % 16 !== 0) throw new RangeError('AES-256-IGE needs a 32-byte key and iv and whole blocks');
  const n = data.length / 4;
  const { w: p, owned } = words(data);
  const p0 = words(iv.subarray(16, 32)).w;
  if (scratch.length < n) scratch = new Uint32Array(n);
  const q = scratch;
  // q_i = p_i ⊕ p_{i-2}: block 1 keeps p_1 (p_{-1} = 0), block 2 takes p_0 from the iv. (Plain loops
  // over ranges: a condition per word made this slower than the cipher.)
  for (let j = 0; j < Math.min(4, n); j++) q[j] = p[j] as number;
  for (let j = 4; j < Math.min(8, n); j++) q[j] = (p[j] as number) ^ (p0[j - 4] as number);
  for (let j = 8; j < n; j++) q[j] = (p[j] as number) ^ (p[j - 8] as number);
  const cbc = createCipheriv('aes-256-cbc', key, iv.subarray(0, 16)).setAutoPadding(false);
  const out = cbc.update(new Uint8Array(q.buffer, 0, n * 4));
  cbc.final(); // whole blocks, no padding: nothing more comes out
  q.fill(0, 0, n);
  const z = words(out);
  const c = z.w;
  // c_i = z_i ⊕ p_{i-1}: block 1 uses p_0 (iv), later blocks the previous plaintext block.
  for (let j = 0; j < Math.min(4, n); j++) c[j] = (c[j] as number) ^ (p0[j] as number);
  for (let j = 4; j < n; j++) c[j] = (c[j] as number) ^ (p[j - 4] as number);
  if (owned) p.fill(0);
  return z.owned ? new Uint8Array(c.buffer) : out;
}

export class AppCryptoProvider extends NodeCryptoProvider {
  override createAesIge(key: Uint8Array, iv: Uint8Array): IEncryptionScheme {
    const wasm = super.createAesIge(key, iv);
    return { encrypt: (data) => igeEncrypt(data, key, iv), decrypt: (data) => wasm.decrypt(data) };
  }
}
