/** The native SRP client (srp.ts) against the loopback server's own SRP check and BigInt arithmetic. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Long, type tl } from '@mtcute/core';
import { computeSrpCheck, modPow } from '../../../electron/main/telegram/srp';
import { DH_G, DH_PRIME, DH_PRIME_BYTES } from '../../../tools/loopback-telegram/crypto/dh';
import { modPow as bigModPow } from '../../../tools/loopback-telegram/crypto/bigint';
import { newSrpChallenge, passwordHash, verifierFromHash, verifySrpProof } from '../../../tools/loopback-telegram/crypto/srp';

const big = (b: Uint8Array): bigint => BigInt(`0x${Buffer.from(b).toString('hex')}`);

test('modPow equals BigInt modPow for odd, even, small and large exponents', () => {
  const p = Buffer.from(DH_PRIME_BYTES);
  const exps = [2n, 3n, 65537n, 65538n, big(randomBytes(255)), big(randomBytes(255)) | 1n, (big(randomBytes(256)) % (DH_PRIME - 1n)) & ~1n];
  for (const e of exps) {
    const base = big(randomBytes(255));
    assert.equal(big(modPow(p, base, e)), bigModPow(base, e, DH_PRIME));
  }
  assert.equal(big(modPow(p, 3n, 12345n)), bigModPow(3n, 12345n, DH_PRIME));
});

function request(password: string): { req: tl.account.RawPassword; check: (A: Uint8Array, M1: Uint8Array) => boolean } {
  const salt1 = randomBytes(40);
  const salt2 = randomBytes(16);
  const verifier = verifierFromHash(passwordHash(password, salt1, salt2));
  const challenge = newSrpChallenge(verifier);
  const req = {
    _: 'account.password',
    hasPassword: true,
    currentAlgo: { _: 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow', salt1, salt2, g: DH_G, p: Buffer.from(DH_PRIME_BYTES) },
    srpB: challenge.B,
    srpId: Long.fromBigInt(challenge.srpId),
    newAlgo: { _: 'passwordKdfAlgoUnknown' },
    newSecureAlgo: { _: 'securePasswordKdfAlgoUnknown' },
    secureRandom: randomBytes(32),
  } as unknown as tl.account.RawPassword;
  return { req, check: (A, M1) => verifySrpProof({ verifier, salt1, salt2, challenge, A, M1 }) };
}

test('the proof for the right password passes the server check; a wrong password fails it', async () => {
  const { req, check } = request('correct horse');
  const ok = await computeSrpCheck(req, 'correct horse');
  assert.equal(ok.A.length, 256);
  assert.ok(check(ok.A, ok.M1));
  const bad = await computeSrpCheck(req, 'correct hors');
  assert.equal(check(bad.A, bad.M1), false);
});

test('an unknown algorithm is refused', async () => {
  const { req } = request('x');
  await assert.rejects(computeSrpCheck({ ...req, currentAlgo: { _: 'passwordKdfAlgoUnknown' } }, 'x'), /algorithm/);
});
