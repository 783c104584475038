/**
 * AES-256-IGE (Infinite Garble Extension), which MTProto uses for every encrypted payload.
 * node:crypto has no IGE mode, so it is built from single AES-256-ECB block operations:
 *   c_i = E(p_i ⊕ c_{i-1}) ⊕ p_{i-1},  with (c_0, p_0) = (iv[0..16], iv[16..32]).
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

function xor16(a: Buffer, ao: number, b: Buffer, bo: number, out: Buffer, oo: number): void {
  for (let i = 0; i < 16; i++) out[oo + i] = (a[ao + i] ?? 0) ^ (b[bo + i] ?? 0);
}

function check(key: Uint8Array, iv: Uint8Array, data: Uint8Array): void {
  if (key.length !== 32) throw new RangeError('AES-256-IGE key must be 32 bytes');
  if (iv.length !== 32) throw new RangeError('AES-256-IGE iv must be 32 bytes');
  if (data.length % 16 !== 0) throw new RangeError('AES-256-IGE data must be a multiple of 16 bytes');
}

/**
 * Encryption runs on native AES-256-CBC instead of one ECB call per block. With z_i = c_i ⊕ p_{i-1}:
 *   z_i = E(p_i ⊕ c_{i-1}) = E((p_i ⊕ p_{i-2}) ⊕ z_{i-1}),   z_0 = c_0, p_{-1} = 0, p_0 = iv[16..32],
 * which is CBC encryption of q_i = p_i ⊕ p_{i-2} under the IV c_0; then c_i = z_i ⊕ p_{i-1}.
 * (Decryption has the chaining inside D, which no native mode offers, so it stays block by block.)
 */
export function igeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
  check(key, iv, data);
  const n = data.length;
  const p0 = iv.subarray(16, 32);
  const q = Buffer.from(data);
  // q_i = p_i ⊕ p_{i-2}: block 1 (offset 0) keeps p_1 (p_{-1} = 0), block 2 takes p_0 from the iv.
  for (let off = n - 1; off >= 32; off--) q[off] = (q[off] ?? 0) ^ (data[off - 32] ?? 0);
  if (n >= 32) for (let i = 0; i < 16; i++) q[16 + i] = (q[16 + i] ?? 0) ^ (p0[i] ?? 0);
  const cbc = createCipheriv('aes-256-cbc', key, iv.subarray(0, 16)).setAutoPadding(false);
  const z = Buffer.concat([cbc.update(q), cbc.final()]);
  // c_i = z_i ⊕ p_{i-1}: block 1 uses p_0 (iv), later blocks the previous plaintext block.
  for (let i = 0; i < Math.min(16, n); i++) z[i] = (z[i] ?? 0) ^ (p0[i] ?? 0);
  for (let off = 16; off < n; off++) z[off] = (z[off] ?? 0) ^ (data[off - 16] ?? 0);
  return z;
}

export function igeDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
  check(key, iv, data);
  const input = Buffer.from(data);
  const ecb = createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const out = Buffer.alloc(input.length);
  let prevC = Buffer.from(iv.subarray(0, 16));
  let prevP = Buffer.from(iv.subarray(16, 32));
  const block = Buffer.alloc(16);
  for (let off = 0; off < input.length; off += 16) {
    xor16(input, off, prevP, 0, block, 0);
    const dec = ecb.update(block);
    xor16(dec, 0, prevC, 0, out, off);
    prevC = input.subarray(off, off + 16);
    prevP = out.subarray(off, off + 16);
  }
  return out;
}
