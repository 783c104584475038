import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { NodeCryptoProvider } from '../../../electron/main/telegram/crypto-provider';
import { parsePublicKey } from '@mtcute/core/utils.js';
import { bigIntToBytes, bytesToBigInt, modPow, modPowPrime } from '../../../tools/loopback-telegram/crypto/bigint';
import { DH_PRIME, DH_PRIME_BYTES } from '../../../tools/loopback-telegram/crypto/dh';
import { sha256, xorBuffers } from '../../../tools/loopback-telegram/crypto/hash';
import { igeEncrypt } from '../../../tools/loopback-telegram/crypto/ige';
import { generatePq } from '../../../tools/loopback-telegram/crypto/pq';
import { fingerprintIsClientFriendly, generateRsaKey, loadRsaKey, rsaPadDecrypt } from '../../../tools/loopback-telegram/crypto/rsa';
import { newSrpChallenge, passwordHash, verifierFromHash, verifySrpProof } from '../../../tools/loopback-telegram/crypto/srp';

const key = loadRsaKey(generateRsaKey());

/** The client half of RSA_PAD, written from the spec (not shared with the server code). */
function rsaPadEncrypt(data: Buffer): Buffer {
  const n = bytesToBigInt(key.modulus);
  const e = bytesToBigInt(key.exponent);
  for (;;) {
    const padded = Buffer.concat([data, randomBytes(192 - data.length)]);
    const tempKey = randomBytes(32);
    const withHash = Buffer.concat([Buffer.from(padded).reverse(), sha256(tempKey, padded)]);
    const aes = igeEncrypt(withHash, tempKey, Buffer.alloc(32));
    const keyAesEncrypted = Buffer.concat([xorBuffers(tempKey, sha256(aes)), aes]);
    const m = bytesToBigInt(keyAesEncrypted);
    if (m >= n) continue;
    return bigIntToBytes(modPow(m, e, n), 256);
  }
}

describe('server crypto', () => {
  test('the RSA key fingerprint matches an independent computation (mtcute)', () => {
    const pem = key.publicKeyPem;
    assert.match(pem, /BEGIN RSA PUBLIC KEY/);
    const theirs = parsePublicKey(new NodeCryptoProvider(), pem).fingerprint;
    assert.equal(BigInt.asUintN(64, key.fingerprint).toString(16), theirs);
    assert.equal(createPublicKey(pem).asymmetricKeyDetails?.modulusLength, 2048);
    // mtcute 0.30.3 looks fingerprints up unpadded; generated keys avoid a leading 0 digit.
    assert.equal(theirs.length, 16);
    assert.equal(fingerprintIsClientFriendly(key.fingerprint), true);
    assert.equal(fingerprintIsClientFriendly(0x0fffffffffffffffn), false);
    assert.equal(fingerprintIsClientFriendly(-1n), true);
  });

  test('RSA_PAD: opens what a client wrapped, refuses tampering', () => {
    const data = randomBytes(144);
    const enc = rsaPadEncrypt(data);
    const out = rsaPadDecrypt(key, enc);
    assert.ok(out);
    assert.deepEqual(out.subarray(0, 144), data);
    const tampered = Buffer.from(enc);
    tampered[100] = (tampered[100] ?? 0) ^ 1;
    assert.equal(rsaPadDecrypt(key, tampered), undefined);
    assert.equal(rsaPadDecrypt(key, enc.subarray(1)), undefined);
  });

  test('pq challenges are products of two distinct 31-bit primes', () => {
    for (let i = 0; i < 5; i++) {
      const { p, q, pq } = generatePq();
      assert.ok(p < q && p * q === pq && pq < 2n ** 63n);
    }
  });

  test('modPowPrime (OpenSSL) equals the BigInt modPow for the DH prime, edge exponents and bases included', () => {
    const big = fc.bigInt({ min: 0n, max: 2n ** 2100n });
    const edges = fc.constantFrom(0n, 1n, 2n, DH_PRIME - 2n, DH_PRIME - 1n, DH_PRIME, DH_PRIME + 1n, 2n * (DH_PRIME - 1n), 2n * (DH_PRIME - 1n) + 1n);
    fc.assert(
      fc.property(fc.oneof(big, edges), fc.oneof(big, edges), (base, exp) => {
        assert.equal(modPowPrime(base, exp, DH_PRIME), modPow(base, exp, DH_PRIME));
      }),
      { numRuns: 150 },
    );
    // A small prime too, so the length handling is not tied to 256 bytes (OpenSSL wants >= 512 bits).
    const p521 = 2n ** 521n - 1n;
    assert.equal(modPowPrime(3n, 2n ** 600n + 12345n, p521), modPow(3n, 2n ** 600n + 12345n, p521));
  });

  test('SRP: a proof computed the client way verifies; a wrong password does not', () => {
    const salt1 = randomBytes(40);
    const salt2 = randomBytes(16);
    const v = verifierFromHash(passwordHash('correct horse', salt1, salt2));
    const g = 3n;
    const p = DH_PRIME;
    const H = sha256;
    const pad = (x: bigint): Buffer => bigIntToBytes(x, 256);
    // Client side, following https://core.telegram.org/api/srp step by step.
    const clientProof = (password: string, challenge: ReturnType<typeof newSrpChallenge>): { A: Buffer; M1: Buffer } => {
      const x = bytesToBigInt(passwordHash(password, salt1, salt2));
      const a = bytesToBigInt(randomBytes(256));
      const A = pad(modPow(g, a, p));
      const B = bytesToBigInt(challenge.B);
      const k = bytesToBigInt(H(DH_PRIME_BYTES, pad(g)));
      const u = bytesToBigInt(H(A, challenge.B));
      const kv = (k * modPow(g, x, p)) % p;
      const t = (((B - kv) % p) + p) % p;
      const sA = modPow(t, a + u * x, p);
      const M1 = H(xorBuffers(H(DH_PRIME_BYTES), H(pad(g))), H(salt1), H(salt2), A, challenge.B, H(pad(sA)));
      return { A, M1 };
    };
    const c1 = newSrpChallenge(v);
    assert.equal(verifySrpProof({ verifier: v, salt1, salt2, challenge: c1, ...clientProof('correct horse', c1) }), true);
    const c2 = newSrpChallenge(v);
    assert.equal(verifySrpProof({ verifier: v, salt1, salt2, challenge: c2, ...clientProof('wrong horse', c2) }), false);
    // A degenerate A (0 or p) must not verify whatever M1 says.
    assert.equal(verifySrpProof({ verifier: v, salt1, salt2, challenge: c2, A: Buffer.alloc(256), M1: Buffer.alloc(32) }), false);
  });
});
