/**
 * Server side of Telegram's 2FA SRP (https://core.telegram.org/api/srp), algorithm
 * passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow. The server stores only
 * the verifier v = g^x mod p; it never sees the password or x.
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { bigIntToBytes, bytesToBigInt, modPowPrime } from './bigint';
import { DH_G, DH_PRIME, DH_PRIME_BYTES } from './dh';
import { sha256, xorBuffers } from './hash';

const H = sha256;
const SH = (data: Uint8Array, salt: Uint8Array): Buffer => sha256(salt, data, salt);
const pad256 = (n: bigint): Buffer => bigIntToBytes(n, 256);
const G_BYTES = pad256(BigInt(DH_G));

/** x = PH2(password, salt1, salt2). Used by clients, and by the seed to register the demo password. */
export function passwordHash(password: string, salt1: Uint8Array, salt2: Uint8Array): Buffer {
  const ph1 = SH(SH(Buffer.from(password, 'utf8'), salt1), salt2);
  return SH(pbkdf2Sync(ph1, salt1, 100000, 64, 'sha512'), salt2);
}

/** v = g^x mod p, as the 256 bytes a client sends in `new_password_hash`. */
export function verifierFromHash(x: Uint8Array): Buffer {
  return pad256(modPowPrime(BigInt(DH_G), bytesToBigInt(x), DH_PRIME));
}

const K = bytesToBigInt(H(DH_PRIME_BYTES, G_BYTES));

export interface SrpChallenge {
  srpId: bigint;
  b: bigint;
  B: Buffer;
}

/** A fresh server ephemeral: B = (k·v + g^b) mod p. One per account.getPassword. */
export function newSrpChallenge(verifier: Uint8Array): SrpChallenge {
  const v = bytesToBigInt(verifier);
  const b = bytesToBigInt(randomBytes(256));
  const B = (K * v + modPowPrime(BigInt(DH_G), b, DH_PRIME)) % DH_PRIME;
  return { srpId: randomBytes(8).readBigInt64LE(0), b, B: pad256(B) };
}

/**
 * Checks the client's proof: S = (A · v^u)^b mod p, K = H(S),
 * M1 = H(H(p) ⊕ H(g) | H(salt1) | H(salt2) | A | B | K).
 */
export function verifySrpProof(params: {
  verifier: Uint8Array;
  salt1: Uint8Array;
  salt2: Uint8Array;
  challenge: SrpChallenge;
  A: Uint8Array;
  M1: Uint8Array;
}): boolean {
  const A = bytesToBigInt(params.A);
  // A ≡ 0 (mod p) would force S = 0 whatever the password; reject it and other degenerate values.
  if (A <= 1n || A >= DH_PRIME - 1n) return false;
  const Abytes = pad256(A);
  const u = bytesToBigInt(H(Abytes, params.challenge.B));
  if (u === 0n) return false;
  const v = bytesToBigInt(params.verifier);
  const S = modPowPrime((A * modPowPrime(v, u, DH_PRIME)) % DH_PRIME, params.challenge.b, DH_PRIME);
  const k = H(pad256(S));
  const expected = H(
    xorBuffers(H(DH_PRIME_BYTES), H(G_BYTES)),
    H(params.salt1),
    H(params.salt2),
    Abytes,
    params.challenge.B,
    k,
  );
  return params.M1.length === 32 && expected.equals(Buffer.from(params.M1));
}
