/** new-secret, wrap-secret, unwrap-secret: the passport secret and the 2FA password. */
import { toBase64 } from '../../passport/crypto/base64';
import {
  decryptPassportSecret,
  encryptPassportSecret,
  KDF_PBKDF2,
  KDF_SHA512,
} from '../../passport/crypto/passport-secret';
import { generateSecret } from '../../passport/crypto/secret';
import type { OptionValues } from '../args';
import { base64Option, int64Option, readPasswordFile, requireString, secretOption } from '../args';

export function newSecret(): object {
  const secret = generateSecret();
  const out = { secret: toBase64(secret) };
  secret.fill(0);
  return out;
}

/** The salt is used as given: pass the full stored salt (server part + 32 client bytes). */
export async function wrapSecret(values: OptionValues): Promise<object> {
  const password = readPasswordFile(requireString(values, 'password-file'));
  const salt = base64Option(values, 'salt');
  const secret = secretOption(values);
  try {
    const wrapped = await encryptPassportSecret(secret, password, salt);
    return { encrypted_secret: toBase64(wrapped.encryptedSecret), secret_id: wrapped.secretId.toString() };
  } finally {
    password.fill(0);
    secret.fill(0);
  }
}

export async function unwrapSecret(values: OptionValues): Promise<object> {
  const password = readPasswordFile(requireString(values, 'password-file'));
  const salt = base64Option(values, 'salt');
  const encryptedSecret = base64Option(values, 'encrypted-secret');
  const expectedSecretId = int64Option(values, 'secret-id');
  try {
    const secret = await decryptPassportSecret({
      encryptedSecret,
      password,
      salt,
      algo: values['legacy-sha512'] === true ? KDF_SHA512 : KDF_PBKDF2,
      // Offline nobody has checked the password, so a failed checksum means "wrong password".
      passwordVerified: false,
      ...(expectedSecretId === undefined ? {} : { expectedSecretId }),
    });
    const out = { secret: toBase64(secret) };
    secret.fill(0);
    return out;
  } finally {
    password.fill(0);
  }
}
