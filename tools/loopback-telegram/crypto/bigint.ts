/** Big-endian byte ↔ BigInt conversion and modular exponentiation (plain BigInt, no library). */

export function bytesToBigInt(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  return BigInt(`0x${Buffer.from(b).toString('hex')}`);
}

/** Big-endian, left-padded with zeros to `length` bytes (throws if the number does not fit). */
export function bigIntToBytes(n: bigint, length: number): Buffer {
  if (n < 0n) throw new RangeError('negative');
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (hex.length / 2 > length) throw new RangeError(`number does not fit in ${length} bytes`);
  return Buffer.concat([Buffer.alloc(length - hex.length / 2), Buffer.from(hex, 'hex')]);
}

/** Minimal big-endian bytes (no leading zero bytes). */
export function bigIntToMinimalBytes(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  if (mod === 1n) return 0n;
  let result = 1n;
  let b = ((base % mod) + mod) % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    e >>= 1n;
    b = (b * b) % mod;
  }
  return result;
}
