/**
 * The client side of Telegram's 2FA password check (SRP-2048, https://core.telegram.org/api/srp),
 * what mtcute's computeSrpParams computes, with the three 2048-bit modular exponentiations done
 * natively by OpenSSL (see modPow)
 * instead of in JavaScript BigInt: every unlock of a Telegram Passport runs this once, and the
 * BigInt version costs about as much again as the PBKDF2 it wraps. The PBKDF2 runs on the libuv
 * thread pool, so the first exponentiation overlaps with it.
 */
import { constants, createHash, createPublicKey, pbkdf2, publicEncrypt, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { tl } from '@mtcute/core';
import { AppError } from '../../common/errors';

const pbkdf2Async = promisify(pbkdf2);
export const SRP_ALGO = 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow';
const LEN = 256;

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

const toBig = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`));

function toBytes(n: bigint, length = LEN): Buffer {
  const hex = n.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new AppError('TELEGRAM_ERROR', 'SRP value out of range');
  return Buffer.from(hex, 'hex');
}

/**
 * base^exponent mod p in OpenSSL: an RSA public-key operation without padding is exactly that
 * power with n = p and e = exponent (createDiffieHellman would do it too, but first runs a
 * primality check of p that costs about a second). OpenSSL wants base < p, exponent < p, and the
 * base as exactly 256 bytes.
 */
export function modPow(p: Buffer, base: bigint, exponent: bigint): Buffer {
  if (exponent <= 1n) throw new AppError('TELEGRAM_ERROR', 'SRP exponent out of range');
  const key = createPublicKey({ key: { kty: 'RSA', n: p.toString('base64url'), e: toBytes(exponent).toString('base64url') }, format: 'jwk' });
  return publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, toBytes(base));
}

/** PH2 of the SRP spec: the password hash x, with PBKDF2-HMAC-SHA512 x100000 in the middle. */
export async function srpPasswordHash(password: string, salt1: Uint8Array, salt2: Uint8Array): Promise<Buffer> {
  const SH = (data: Uint8Array, salt: Uint8Array): Buffer => sha256(salt, data, salt);
  const pw = Buffer.from(password, 'utf8');
  const ph1 = SH(SH(pw, salt1), salt2);
  pw.fill(0);
  const slow = await pbkdf2Async(ph1, salt1, 100000, 64, 'sha512');
  ph1.fill(0);
  return SH(slow, salt2);
}

/**
 * The SRP password hash started before `account.getPassword` answered, with the salts of the last
 * answer (they change only with the password). Used only if the salts are still the same; the
 * caller wipes `hash` in any case.
 */
export interface SrpHashAhead {
  salt1: Uint8Array;
  salt2: Uint8Array;
  hash: Promise<Buffer>;
}

/** The inputCheckPasswordSRP for `account.getPassword`'s answer and the password. */
export async function computeSrpCheck(request: tl.account.RawPassword, password: string, ahead?: SrpHashAhead): Promise<tl.RawInputCheckPasswordSRP> {
  const algo = request.currentAlgo;
  if (algo?._ !== SRP_ALGO) throw new AppError('UNSUPPORTED_ALGO', 'Telegram asked for a password algorithm this app does not know.');
  if (!request.srpB || !request.srpId) throw new AppError('TELEGRAM_ERROR', 'Telegram did not send the SRP parameters.');
  const pBytes = Buffer.from(algo.p);
  const p = toBig(pBytes);
  const gB = toBig(request.srpB);
  if (pBytes.length !== LEN || gB <= 1n || gB >= p - 1n) throw new AppError('TELEGRAM_ERROR', 'Telegram sent bad SRP parameters.');
  const reuse = ahead !== undefined && Buffer.from(ahead.salt1).equals(Buffer.from(algo.salt1)) && Buffer.from(ahead.salt2).equals(Buffer.from(algo.salt2));
  // Thread pool (or already under way), meanwhile:
  const hashing = reuse ? ahead.hash.then((h) => Buffer.from(h)) : srpPasswordHash(password, algo.salt1, algo.salt2);
  // Exponents are reduced mod p-1 (Fermat: the same powers mod prime p), so OpenSSL never sees a
  // private key longer than the prime.
  const a = toBig(randomBytes(LEN)) % (p - 1n);
  const g = BigInt(algo.g);
  const gA = modPow(pBytes, g, a);
  const gBytes = toBytes(g);
  const B = toBytes(gB);
  const k = toBig(sha256(pBytes, gBytes));
  const u = toBig(sha256(gA, B));
  const xBytes = await hashing;
  const x = toBig(xBytes);
  const v = toBig(modPow(pBytes, g, x % (p - 1n)));
  xBytes.fill(0);
  let t = (gB - ((k * v) % p)) % p;
  if (t < 0n) t += p;
  const sA = modPow(pBytes, t, (a + u * x) % (p - 1n));
  const kA = sha256(sA);
  const h = (b: Uint8Array): Buffer => sha256(b);
  const hp = h(pBytes);
  const hg = h(gBytes);
  for (let i = 0; i < hp.length; i++) hp[i] = (hp[i] ?? 0) ^ (hg[i] ?? 0);
  const M1 = sha256(hp, h(algo.salt1), h(algo.salt2), gA, B, kA);
  return { _: 'inputCheckPasswordSRP', srpId: request.srpId, A: gA, M1 };
}
