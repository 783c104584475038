/**
 * Big-endian byte ↔ BigInt conversion and modular exponentiation: plain BigInt, and for a prime
 * modulus an OpenSSL-backed variant (node:crypto only; nothing from the client library).
 */
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';

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

/**
 * base^exp mod p for a prime p of 512..3072 bits, computed by OpenSSL: an RSA public-key operation
 * without padding is exactly m^e mod n, here with n = p and e = exp reduced mod p−1 (Fermat; valid
 * because p is prime and base is not a multiple of it). About 30x faster than the BigInt loop for
 * 2048-bit numbers; the SRP check and the auth-key exchange each need two of these per request,
 * which a real Telegram server does natively too. `modPow` stays the reference it is tested against.
 */
export function modPowPrime(base: bigint, exp: bigint, prime: bigint): bigint {
  if (exp < 0n) throw new RangeError('negative exponent');
  const b = ((base % prime) + prime) % prime;
  if (exp === 0n) return 1n;
  if (b === 0n) return 0n;
  const e = exp % (prime - 1n);
  if (e <= 1n) return e === 0n ? 1n : b; // OpenSSL wants 1 < e < n
  const length = Math.ceil(prime.toString(16).length / 2);
  const jwk = { kty: 'RSA', n: bigIntToBytes(prime, length).toString('base64url'), e: bigIntToMinimalBytes(e).toString('base64url') };
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  return bytesToBigInt(publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, bigIntToBytes(b, length)));
}
