/**
 * THE PASSPORT SECRET UNDER THE 2FA PASSWORD (PASSPORT-SPEC §1c). This is where the passport secret
 * is encrypted and decrypted.
 *
 * `secureSecretSettings` on the server holds `{secure_algo (with salt), secure_secret (32 bytes),
 * secure_secret_id}`. The password is stretched by the algo to 64 bytes; key = [0:32], iv = [32:48];
 * the 32-byte secret is raw AES-CBC encrypted. `secure_secret_id` is the secret's fingerprint.
 *
 * PBKDF2 runs on libuv's thread pool (`crypto.pbkdf2`, not `pbkdf2Sync`): 100000 rounds take
 * ~0.1-0.3 s and must not freeze the main process.
 */
import { createHash, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { AppError } from '../../../common/errors';
import { cbcDecryptShort, cbcEncryptShort, wipeKeyIv } from './keys';
import { assertValidSecret, isValidSecret, secretFingerprint, SECRET_LENGTH } from './secret';

const pbkdf2Async = promisify(pbkdf2);

/** The TL names of `SecurePasswordKdfAlgo`; the unknown algo cannot be used at all. */
export const KDF_PBKDF2 = 'securePasswordKdfAlgoPBKDF2HMACSHA512iter100000';
export const KDF_SHA512 = 'securePasswordKdfAlgoSHA512';
export type SecureKdfAlgo = typeof KDF_PBKDF2 | typeof KDF_SHA512;

export const PBKDF2_ITERATIONS = 100_000;
/** Random bytes the client appends to the server's `new_secure_algo.salt` (CP:18, TDLib PM:620). */
export const CLIENT_SALT_LENGTH = 32;

export interface WrappedPassportSecret {
  /** `secure_secret`: the 32-byte encrypted secret. */
  encryptedSecret: Buffer;
  /** `secure_secret_id`: the fingerprint of the plaintext secret. */
  secretId: bigint;
}

/**
 * The salt to store with a newly wrapped secret: the server part followed by 32 random bytes.
 * Store and send back the whole result; never extend a stored salt again when decrypting.
 */
export function extendSecureSalt(serverSalt: Uint8Array): Buffer {
  return Buffer.concat([serverSalt, randomBytes(CLIENT_SALT_LENGTH)]);
}

function assertPassword(password: Uint8Array): void {
  if (password.length === 0) throw new AppError('BAD_INPUT', 'The password is empty');
}

/** Stretches the password to the 64 bytes the key and iv come from. */
export async function derivePasswordHash(password: Uint8Array, salt: Uint8Array, algo: SecureKdfAlgo): Promise<Buffer> {
  assertPassword(password);
  switch (algo) {
    case KDF_PBKDF2:
      return pbkdf2Async(password, salt, PBKDF2_ITERATIONS, 64, 'sha512');
    case KDF_SHA512:
      // Legacy: SHA512(salt ‖ password ‖ salt) (CP:165-169). Only ever used to decrypt.
      return createHash('sha512').update(salt).update(password).update(salt).digest();
    default: {
      const unknown: never = algo;
      throw new AppError('UNSUPPORTED_ALGO', `Unsupported password KDF ${String(unknown)}`);
    }
  }
}

function keyIvFromPasswordHash(hash: Buffer): { key: Buffer; iv: Buffer } {
  return { key: Buffer.from(hash.subarray(0, 32)), iv: Buffer.from(hash.subarray(32, 48)) };
}

/**
 * Encrypts the passport secret under the password with PBKDF2 (the only algo we write).
 * `salt` is the full salt that will be stored (see `extendSecureSalt`).
 */
export async function encryptPassportSecret(
  secret: Uint8Array,
  password: Uint8Array,
  salt: Uint8Array,
): Promise<WrappedPassportSecret> {
  assertValidSecret(secret, 'passport secret');
  const hash = await derivePasswordHash(password, salt, KDF_PBKDF2);
  const keyIv = keyIvFromPasswordHash(hash);
  hash.fill(0); // the stretched password opens the secret: wipe it as soon as key/iv are out
  try {
    return { encryptedSecret: cbcEncryptShort(keyIv, secret), secretId: secretFingerprint(secret) };
  } finally {
    wipeKeyIv(keyIv);
  }
}

export interface DecryptPassportSecretInput {
  encryptedSecret: Uint8Array;
  password: Uint8Array;
  /** The salt exactly as stored in `secure_algo`. */
  salt: Uint8Array;
  algo: SecureKdfAlgo;
  /** `secure_secret_id`; when given, the decrypted secret must have this fingerprint. */
  expectedSecretId?: bigint;
  /**
   * Whether the password was already proven right (the server accepted its SRP check). There is
   * no MAC here, so a wrong password only shows as a failed checksum: if the password was not
   * verified that is reported as WRONG_PASSWORD, otherwise as SECRET_CHECKSUM (damaged secret,
   * where tdesktop offers a reset).
   */
  passwordVerified?: boolean;
}

/** Decrypts the passport secret and checks its checksum and (optionally) its fingerprint. */
export async function decryptPassportSecret(input: DecryptPassportSecretInput): Promise<Buffer> {
  if (input.encryptedSecret.length !== SECRET_LENGTH) {
    throw new AppError('BAD_LENGTH', `The encrypted passport secret must be ${SECRET_LENGTH} bytes`);
  }
  const hash = await derivePasswordHash(input.password, input.salt, input.algo);
  const keyIv = keyIvFromPasswordHash(hash);
  hash.fill(0); // see encryptPassportSecret
  const secret = cbcDecryptShort(keyIv, input.encryptedSecret);
  wipeKeyIv(keyIv);
  if (!isValidSecret(secret)) {
    secret.fill(0);
    throw input.passwordVerified === true
      ? new AppError('SECRET_CHECKSUM', 'The passport secret is damaged (checksum failed)')
      : new AppError('WRONG_PASSWORD', 'Wrong password (or the encrypted passport secret is damaged)');
  }
  if (input.expectedSecretId !== undefined && secretFingerprint(secret) !== input.expectedSecretId) {
    secret.fill(0);
    throw new AppError('SECRET_FINGERPRINT', 'The passport secret does not match its secret id');
  }
  return secret;
}

export interface RewrappedPassportSecret extends WrappedPassportSecret {
  secret: Buffer;
  /** The new full salt to store with `securePasswordKdfAlgoPBKDF2HMACSHA512iter100000`. */
  salt: Buffer;
}

/**
 * Moves a secret stored under the legacy SHA512 algo to PBKDF2: decrypt with the old salt, then
 * encrypt under `newServerSalt` + 32 fresh client bytes. The secret itself (and so its id and
 * every value encrypted under it) does not change.
 */
export async function rewrapLegacyPassportSecret(
  input: Omit<DecryptPassportSecretInput, 'algo'>,
  newServerSalt: Uint8Array,
): Promise<RewrappedPassportSecret> {
  const secret = await decryptPassportSecret({ ...input, algo: KDF_SHA512 });
  const salt = extendSecureSalt(newServerSalt);
  const wrapped = await encryptPassportSecret(secret, input.password, salt);
  return { ...wrapped, secret, salt };
}
