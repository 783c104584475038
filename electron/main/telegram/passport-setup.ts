/**
 * Creating and opening the passport secret with what account.getPassword /
 * account.getPasswordSettings give (PASSPORT-SPEC §1a, §1c), on top of the crypto core.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../common/errors';
import {
  KDF_PBKDF2,
  decryptPassportSecret,
  encryptPassportSecret,
  extendSecureSalt,
  fixUpSecret,
  type SecureKdfAlgo,
} from '../passport/crypto/index';

/** secureSecretSettings as the app handles it. */
export interface SecureSecretSettings {
  algo: SecureKdfAlgo;
  /** The full salt (server part + the client's 32 bytes), exactly as stored. */
  salt: Buffer;
  /** `secure_secret`: the passport secret encrypted under the password. */
  encryptedSecret: Buffer;
  /** `secure_secret_id`: the fingerprint of the plaintext secret. */
  secretId: bigint;
}

/**
 * A new passport secret that mixes Telegram's `secure_random` into local randomness, the way
 * tdesktop seeds its RNG with it: SHA-256(32 local random bytes ‖ secure_random), then the
 * 239-mod-255 fix-up. It is at least as unpredictable as the better of the two sources.
 */
export function generatePassportSecret(secureRandom: Uint8Array): Buffer {
  const local = randomBytes(32);
  const mixed = createHash('sha256').update(local).update(secureRandom).digest();
  local.fill(0);
  return fixUpSecret(mixed);
}

/**
 * Wraps `secret` under `password` for storage on Telegram: PBKDF2 with `serverSalt`
 * (`new_secure_algo.salt`) extended by 32 random bytes.
 */
export async function wrapPassportSecret(secret: Uint8Array, password: string, serverSalt: Uint8Array): Promise<SecureSecretSettings> {
  if (serverSalt.length === 0) throw new AppError('UNSUPPORTED_ALGO', 'Telegram did not offer a salt for the passport secret');
  const salt = extendSecureSalt(serverSalt);
  const pw = Buffer.from(password, 'utf8');
  try {
    const wrapped = await encryptPassportSecret(secret, pw, salt);
    return { algo: KDF_PBKDF2, salt, encryptedSecret: wrapped.encryptedSecret, secretId: wrapped.secretId };
  } finally {
    pw.fill(0);
  }
}

/**
 * Opens secure settings with the password the server has just accepted (SRP), so a failed
 * checksum means a damaged secret (SECRET_CHECKSUM) rather than a wrong password; a secret whose
 * fingerprint is not `secretId` is SECRET_FINGERPRINT.
 */
export async function openPassportSecret(settings: SecureSecretSettings, password: string): Promise<Buffer> {
  const pw = Buffer.from(password, 'utf8');
  try {
    return await decryptPassportSecret({
      encryptedSecret: settings.encryptedSecret,
      password: pw,
      salt: settings.salt,
      algo: settings.algo,
      expectedSecretId: settings.secretId,
      passwordVerified: true,
    });
  } finally {
    pw.fill(0);
  }
}
