/**
 * AES-256-IGE (Infinite Garble Extension), which MTProto uses for every encrypted payload:
 *   c_i = E(p_i ⊕ c_{i-1}) ⊕ p_{i-1},  with (c_0, p_0) = (iv[0..16], iv[16..32]).
 *
 * node:crypto has no IGE mode. Encryption runs on its native AES-256-CBC (below). Decryption has the
 * chaining inside D, which no native mode offers: `igeDecryptReference` builds it from one AES-256-ECB
 * call per block, the definition this server is checked against, and `igeDecrypt` (what the server
 * runs on every client message) is @mtcute/wasm's WebAssembly IGE, about 10x faster on a 512 KiB file
 * part. test/unit/loopback/ige.test.ts checks the two agree on random keys, IVs and lengths. This is
 * the only place the server uses code from the client's library; everything else stays node:crypto.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ige256Decrypt, initSync, SIMD_AVAILABLE } from '@mtcute/wasm';

initSync(readFileSync(createRequire(import.meta.url).resolve(`@mtcute/wasm/${SIMD_AVAILABLE ? 'mtcute-simd.wasm' : 'mtcute.wasm'}`)));

function check(key: Uint8Array, iv: Uint8Array, data: Uint8Array): void {
  if (key.length !== 32) throw new RangeError('AES-256-IGE key must be 32 bytes');
  if (iv.length !== 32) throw new RangeError('AES-256-IGE iv must be 32 bytes');
  if (data.length % 16 !== 0) throw new RangeError('AES-256-IGE data must be a multiple of 16 bytes');
}

/** 32-bit words of `bytes` (a multiple of 4 long): a view when aligned, else a copy. */
function words(bytes: Uint8Array): Uint32Array {
  if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const out = new Uint32Array(bytes.length / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** The CBC input of the message being encrypted, reused: a 512 KiB file part allocates nothing more than its output. */
let scratch = new Uint32Array(0);

/**
 * Encryption on native AES-256-CBC instead of one ECB call per block. With z_i = c_i ⊕ p_{i-1}:
 *   z_i = E(p_i ⊕ c_{i-1}) = E((p_i ⊕ p_{i-2}) ⊕ z_{i-1}),   z_0 = c_0, p_{-1} = 0, p_0 = iv[16..32],
 * which is CBC encryption of q_i = p_i ⊕ p_{i-2} under the IV c_0; then c_i = z_i ⊕ p_{i-1}.
 * The XORs run on 32-bit words (a byte loop cost as much as the cipher on a 512 KiB part), the
 * second one in place on the cipher's output.
 */
export function igeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
  check(key, iv, data);
  const p = words(data);
  const p0 = words(iv.subarray(16, 32));
  const n = p.length;
  if (scratch.length < n) scratch = new Uint32Array(n);
  const q = scratch;
  // q_i = p_i ⊕ p_{i-2}: block 1 keeps p_1 (p_{-1} = 0), block 2 takes p_0 from the iv.
  for (let j = 0; j < Math.min(4, n); j++) q[j] = p[j] as number;
  for (let j = 4; j < Math.min(8, n); j++) q[j] = (p[j] as number) ^ (p0[j - 4] as number);
  for (let j = 8; j < n; j++) q[j] = (p[j] as number) ^ (p[j - 8] as number);
  const cbc = createCipheriv('aes-256-cbc', key, iv.subarray(0, 16)).setAutoPadding(false);
  const out = cbc.update(new Uint8Array(q.buffer, 0, n * 4));
  cbc.final(); // whole blocks, no padding: nothing more comes out
  const z = words(out);
  // c_i = z_i ⊕ p_{i-1}: block 1 uses p_0 (iv), later blocks the previous plaintext block.
  for (let j = 0; j < Math.min(4, n); j++) z[j] = (z[j] as number) ^ (p0[j] as number);
  for (let j = 4; j < n; j++) z[j] = (z[j] as number) ^ (p[j - 4] as number);
  return z.buffer === out.buffer ? out : Buffer.from(z.buffer, 0, n * 4);
}

/** The server's IGE decryption: @mtcute/wasm's, checked against `igeDecryptReference` by the unit test. */
export function igeDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
  check(key, iv, data);
  const out = ige256Decrypt(data, key, iv);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** IGE decryption from its definition on node:crypto: one AES-256-ECB call per 16-byte block. */
export function igeDecryptReference(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
  check(key, iv, data);
  const input = Buffer.from(data);
  const ecb = createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const out = Buffer.alloc(input.length);
  let prevC = Buffer.from(iv.subarray(0, 16));
  let prevP = Buffer.from(iv.subarray(16, 32));
  const block = Buffer.alloc(16);
  for (let off = 0; off < input.length; off += 16) {
    for (let i = 0; i < 16; i++) block[i] = (input[off + i] ?? 0) ^ (prevP[i] ?? 0);
    const dec = ecb.update(block);
    for (let i = 0; i < 16; i++) out[off + i] = (dec[i] ?? 0) ^ (prevC[i] ?? 0);
    prevC = input.subarray(off, off + 16);
    prevP = out.subarray(off, off + 16);
  }
  return out;
}
