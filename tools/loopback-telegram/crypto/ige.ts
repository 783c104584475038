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

export function igeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
  check(key, iv, data);
  const input = Buffer.from(data);
  const ecb = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const out = Buffer.alloc(input.length);
  let prevC = Buffer.from(iv.subarray(0, 16));
  let prevP = Buffer.from(iv.subarray(16, 32));
  const block = Buffer.alloc(16);
  for (let off = 0; off < input.length; off += 16) {
    xor16(input, off, prevC, 0, block, 0);
    const enc = ecb.update(block);
    xor16(enc, 0, prevP, 0, out, off);
    prevC = out.subarray(off, off + 16);
    prevP = input.subarray(off, off + 16);
  }
  return out;
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
