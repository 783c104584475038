import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { AppError } from '../../../electron/common/errors';
import type { ErrorCode } from '../../../electron/common/errors';
import { buildCredentials, credentialsNonceKey, encryptCredentials } from '../../../electron/main/passport/crypto/credentials';
import type { ValueToShare } from '../../../electron/main/passport/crypto/credentials';
import { parseRsaPrivateKey, parseRsaPublicKey } from '../../../electron/main/passport/crypto/rsa';
import { generateSecret } from '../../../electron/main/passport/crypto/secret';
import { decryptCredentials } from '../../../electron/main/passport/crypto/service-decrypt';
import { toBase64 } from '../../../electron/main/passport/crypto/base64';
import { pemText, ptbPrivateKeyPem } from './vectors';

const isCode = (code: ErrorCode) => (e: unknown) => e instanceof AppError && e.code === code;
const file = () => ({ fileHash: randomBytes(32), secret: generateSecret() });
const enc = (e: { data: Buffer; hash: Buffer; secret: Buffer }) => ({
  data: toBase64(e.data),
  hash: toBase64(e.hash),
  secret: toBase64(e.secret),
});

function vectorKeys() {
  const privatePem = ptbPrivateKeyPem();
  const pub = createPublicKey(privatePem);
  return {
    privateKey: parseRsaPrivateKey(privatePem),
    spki: pemText(pub.export({ type: 'spki', format: 'pem' })),
    pkcs1: pemText(pub.export({ type: 'pkcs1', format: 'pem' })),
  };
}

describe('credentials JSON', () => {
  test('layout: secure_data by type, base64 secrets, nonce for {…} scopes', () => {
    const data = { dataHash: randomBytes(32), secret: generateSecret() };
    const front = file();
    const c = buildCredentials(
      [
        { type: 'passport', data, frontSide: front },
        { type: 'email' },
        { type: 'phone_number' },
      ],
      '{"data":["passport","email"],"v":1}',
      'abc',
    );
    assert.deepEqual(c, {
      secure_data: {
        passport: {
          data: { data_hash: data.dataHash.toString('base64'), secret: data.secret.toString('base64') },
          front_side: { file_hash: front.fileHash.toString('base64'), secret: front.secret.toString('base64') },
        },
      },
      nonce: 'abc',
    });
  });

  test('legacy array scopes use payload', () => {
    assert.equal(credentialsNonceKey('["personal_details"]'), 'payload');
    assert.equal(credentialsNonceKey(' {"data":[]}'), 'nonce');
    const c = buildCredentials([], 'personal_details,address', 'p');
    assert.deepEqual(c, { secure_data: {}, payload: 'p' });
  });

  test('selfie and translations only when requested', () => {
    const value: ValueToShare = { type: 'driver_license', frontSide: file(), reverseSide: file(), selfie: file(), translation: [file()] };
    const plain = buildCredentials([value], '{}', 'n').secure_data.driver_license;
    assert.deepEqual(Object.keys(plain ?? {}).sort(), ['front_side', 'reverse_side']);
    const full = buildCredentials([{ ...value, selfieRequested: true, translationRequested: true }], '{}', 'n').secure_data.driver_license;
    assert.deepEqual(Object.keys(full ?? {}).sort(), ['front_side', 'reverse_side', 'selfie', 'translation']);
  });

  test('slots a type cannot carry, and duplicates, are refused', () => {
    assert.throws(() => buildCredentials([{ type: 'passport', reverseSide: file() }], '{}', 'n'), isCode('BAD_INPUT'));
    assert.throws(() => buildCredentials([{ type: 'utility_bill', data: { dataHash: randomBytes(32), secret: generateSecret() } }], '{}', 'n'), isCode('BAD_INPUT'));
    assert.throws(() => buildCredentials([{ type: 'address', files: [file()] }], '{}', 'n'), isCode('BAD_INPUT'));
    assert.throws(() => buildCredentials([{ type: 'address' }, { type: 'address' }], '{}', 'n'), isCode('BAD_INPUT'));
  });
});

describe('credentials encryption (RSA-OAEP SHA-1)', () => {
  const sample = () =>
    buildCredentials(
      [
        { type: 'personal_details', data: { dataHash: randomBytes(32), secret: generateSecret() } },
        { type: 'utility_bill', files: [file(), file()], translation: [file()], translationRequested: true },
      ],
      '{"v":1}',
      'nonce-1',
    );

  test('our service side opens what we encrypt for the vector key (SPKI and PKCS#1, \\r\\n too)', () => {
    const { privateKey, spki, pkcs1 } = vectorKeys();
    for (const pem of [spki, pkcs1, spki.replace(/\n/g, '\r\n')]) {
      const credentials = sample();
      const e = encryptCredentials(credentials, pem);
      assert.equal(e.secret.length, 256);
      assert.deepEqual(decryptCredentials(enc(e), privateKey), credentials);
    }
  });

  test('another private key does not open them: WRONG_KEY', () => {
    const { spki } = vectorKeys();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    assert.throws(() => decryptCredentials(enc(encryptCredentials(sample(), spki)), other), isCode('WRONG_KEY'));
  });

  test('keys that are not RSA public keys are BAD_KEY', () => {
    const ec = pemText(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }));
    for (const pem of [ptbPrivateKeyPem(), ec, 'not a key', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----']) {
      assert.throws(() => parseRsaPublicKey(pem), isCode('BAD_KEY'));
    }
    assert.throws(() => parseRsaPrivateKey('nope'), isCode('BAD_KEY'));
  });
});
