/**
 * The service's RSA key and the OAEP padding Telegram uses for the credentials secret:
 * `RSA_PKCS1_OAEP_PADDING` = OAEP with SHA-1, MGF1-SHA-1 and an empty label (PASSPORT-SPEC §1d,
 * §3). OAEP-SHA-256 does not open real credentials.
 */
import { constants, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { AppError } from '../../../common/errors';

/** tdesktop normalises `\r\n` in keys from links (FC:199-203); so do we, for every PEM. */
function normalisePem(pem: string): string {
  return pem.replace(/\r\n/g, '\n').trim();
}

function requireRsa(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') throw new AppError('BAD_KEY', `${what} is not an RSA key`);
  return key;
}

/**
 * Parses a service's public key: SPKI (`BEGIN PUBLIC KEY`, the only form TDLib accepts) or PKCS#1
 * (`BEGIN RSA PUBLIC KEY`, which tdesktop also accepts).
 */
export function parseRsaPublicKey(pem: string): KeyObject {
  const text = normalisePem(pem);
  if (!/^-----BEGIN (RSA )?PUBLIC KEY-----\n/.test(text)) {
    throw new AppError('BAD_KEY', 'Expected a PEM RSA public key (BEGIN PUBLIC KEY or BEGIN RSA PUBLIC KEY)');
  }
  try {
    return requireRsa(createPublicKey({ key: text, format: 'pem' }), 'The public key');
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('BAD_KEY', 'The public key could not be parsed');
  }
}

/** Parses a service's private key (PKCS#1 `BEGIN RSA PRIVATE KEY` or PKCS#8, unencrypted). */
export function parseRsaPrivateKey(pem: string): KeyObject {
  try {
    return requireRsa(createPrivateKey({ key: normalisePem(pem), format: 'pem' }), 'The private key');
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('BAD_KEY', 'The private key could not be parsed (expected an unencrypted PEM RSA key)');
  }
}

export function rsaOaepSha1Encrypt(publicKey: KeyObject, plain: Uint8Array): Buffer {
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, plain);
}

/** A ciphertext this key cannot open (OAEP decoding fails) means the wrong key: WRONG_KEY. */
export function rsaOaepSha1Decrypt(privateKey: KeyObject, encrypted: Uint8Array): Buffer {
  try {
    return privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, encrypted);
  } catch {
    throw new AppError('WRONG_KEY', 'The credentials secret does not open with this private key');
  }
}
