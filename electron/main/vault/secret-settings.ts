/**
 * `secureSecretSettings` as the vault keeps them (state.ts `SecretSettings`), and unlocking them
 * offline. A local-only Passport uses exactly Telegram's scheme, so it can later be attached to an
 * account unchanged: PBKDF2-HMAC-SHA512 x100000 over a 40-byte salt laid out like Telegram's
 * (8 bytes standing in for the server's `new_secure_algo.salt` + 32 client bytes, PASSPORT-SPEC §1c).
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../common/errors';
import { fromBase64, toBase64 } from '../passport/crypto/base64';
import { decryptPassportSecret, encryptPassportSecret, extendSecureSalt, KDF_PBKDF2 } from '../passport/crypto/passport-secret';
import { generateSecret } from '../passport/crypto/secret';
import type { SecretSettings } from './store/state';

/** The size of the server part of the salt Telegram sends (core.telegram.org: 8 bytes). */
export const SERVER_SALT_LENGTH = 8;

/** A fresh passport secret and its settings under `password`. The caller wipes `secret`. */
export async function createSecretSettings(password: Uint8Array): Promise<{ settings: SecretSettings; secret: Buffer }> {
  const secret = generateSecret();
  const salt = extendSecureSalt(randomBytes(SERVER_SALT_LENGTH));
  try {
    const wrapped = await encryptPassportSecret(secret, password, salt);
    return {
      settings: {
        algo: KDF_PBKDF2,
        salt: toBase64(salt),
        encryptedSecret: toBase64(wrapped.encryptedSecret),
        secretId: wrapped.secretId.toString(),
      },
      secret,
    };
  } catch (e) {
    secret.fill(0);
    throw e;
  }
}

/**
 * Decrypts the passport secret with the password, offline. Nobody has verified the password (no
 * server SRP check), so both ways a wrong password shows up are reported as WRONG_PASSWORD: a
 * failed checksum (254 in 255 wrong passwords) and a secret id mismatch (the other 1 in 255).
 */
export async function unlockSecretSettings(settings: SecretSettings, password: Uint8Array): Promise<Buffer> {
  try {
    return await decryptPassportSecret({
      encryptedSecret: fromBase64(settings.encryptedSecret, 'encrypted passport secret'),
      password,
      salt: fromBase64(settings.salt, 'secure salt'),
      algo: settings.algo,
      expectedSecretId: BigInt(settings.secretId),
      passwordVerified: false,
    });
  } catch (e) {
    if (e instanceof AppError && e.code === 'SECRET_FINGERPRINT') {
      throw new AppError('WRONG_PASSWORD', 'Wrong password (or the encrypted passport secret is damaged)');
    }
    throw e;
  }
}
