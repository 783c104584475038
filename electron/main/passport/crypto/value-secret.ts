/**
 * A value's data secret (or a file's secret) encrypted under the passport secret
 * (PASSPORT-SPEC §1b): key/iv from `SHA512(passport_secret ‖ hash)`, where hash is the value's own
 * data_hash or the file's file_hash; then one 32-byte raw AES-CBC block pair.
 * This is what `secureData.secret` / `secureFile.secret` hold on the server.
 */
import { AppError } from '../../../common/errors';
import { assertHashLength } from './data-encryption';
import { cbcDecryptShort, cbcEncryptShort, deriveAesKeyIv, wipeKeyIv } from './keys';
import { assertValidSecret, SECRET_LENGTH } from './secret';

export function encryptValueSecret(valueSecret: Uint8Array, passportSecret: Uint8Array, hash: Uint8Array): Buffer {
  assertValidSecret(valueSecret, 'value secret');
  assertValidSecret(passportSecret, 'passport secret');
  assertHashLength(hash);
  const keyIv = deriveAesKeyIv(passportSecret, hash);
  try {
    return cbcEncryptShort(keyIv, valueSecret);
  } finally {
    wipeKeyIv(keyIv);
  }
}

/**
 * Decrypts a value's or file's secret. A result failing the checksum means the passport secret is
 * not the one this value was written with, or the value is damaged: SECRET_CHECKSUM. (The checksum
 * misses 1 in 255 such cases; the data hash check that follows catches those.)
 */
export function decryptValueSecret(encryptedSecret: Uint8Array, passportSecret: Uint8Array, hash: Uint8Array): Buffer {
  if (encryptedSecret.length !== SECRET_LENGTH) {
    throw new AppError('BAD_LENGTH', `Encrypted value secret must be ${SECRET_LENGTH} bytes`);
  }
  assertHashLength(hash);
  const keyIv = deriveAesKeyIv(passportSecret, hash);
  const secret = cbcDecryptShort(keyIv, encryptedSecret);
  wipeKeyIv(keyIv);
  try {
    assertValidSecret(secret, 'value secret');
  } catch (e) {
    secret.fill(0); // garbage or not, it came out of key material: do not leave it around
    throw e;
  }
  return secret;
}
