/**
 * Encrypting and decrypting a Passport value's data or a scan held in memory (PASSPORT-SPEC §1b):
 * `padded = prefix ‖ data`, `hash = SHA256(padded)`, AES-256-CBC (no PKCS#7) keyed by
 * `SHA512(secret ‖ hash)`. For files on disk use `file-encryption.ts`, which streams.
 *
 * Memory: the padded plaintext is never built. Encrypting feeds the hash the prefix and the data in
 * turn and copies the cipher output slice by slice into one preallocated buffer: the caller's input,
 * the output, and up to one more size of short-lived slices until the GC runs (about 3x at peak).
 * Decrypting is one call into one buffer that is returned without a copy (2x: input and output).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Cipher } from 'node:crypto';
import { AppError } from '../../../common/errors';
import { deriveAesKeyIv, rawCbcCipher, rawCbcDecipher, wipeKeyIv } from './keys';
import { checkPadding, makePaddingPrefix } from './padding';
import { assertValidSecret, generateSecret } from './secret';

export const HASH_LENGTH = 32;
const BLOCK = 16;
/** Cipher input slice; bounds the transient buffer `update()` allocates. */
export const CHUNK_SIZE = 1 << 20;

export interface EncryptedData {
  /** The ciphertext (what is uploaded / sent). */
  encrypted: Buffer;
  /** `data_hash` / `file_hash`: SHA-256 of the padded plaintext. */
  hash: Buffer;
}

export interface EncryptedDataWithSecret extends EncryptedData {
  /** The fresh data secret (plaintext; the caller encrypts it under the passport secret or RSA). */
  secret: Buffer;
}

/** Feeds `input` through `cipher` in slices, writing the output into `out` at `offset`. */
function pump(cipher: Cipher, input: Uint8Array, out: Buffer, offset: number): number {
  let written = offset;
  for (let i = 0; i < input.length; i += CHUNK_SIZE) {
    written += cipher.update(input.subarray(i, i + CHUNK_SIZE)).copy(out, written);
  }
  return written;
}

/** Encrypts `data` with a given (valid) data secret. */
export function encryptDataWithSecret(data: Uint8Array, secret: Uint8Array): EncryptedData {
  assertValidSecret(secret, 'data secret');
  const prefix = makePaddingPrefix(data.length);
  const hash = createHash('sha256').update(prefix).update(data).digest();
  const keyIv = deriveAesKeyIv(secret, hash);
  const cipher = rawCbcCipher(keyIv);
  wipeKeyIv(keyIv);
  const encrypted = Buffer.allocUnsafe(prefix.length + data.length);
  let written = pump(cipher, prefix, encrypted, 0);
  written = pump(cipher, data, encrypted, written);
  written += cipher.final().copy(encrypted, written);
  if (written !== encrypted.length) throw new AppError('INTERNAL', 'Cipher output length mismatch');
  return { encrypted, hash };
}

/** Encrypts `data` under a freshly generated data secret, returned alongside. */
export function encryptData(data: Uint8Array): EncryptedDataWithSecret {
  const secret = generateSecret();
  return { ...encryptDataWithSecret(data, secret), secret };
}

/** Rejects ciphertext lengths no Passport writer can produce. */
export function assertCiphertextLength(length: number): void {
  if (length === 0 || length % BLOCK !== 0) {
    throw new AppError('BAD_LENGTH', `Encrypted data length ${length} is not a positive multiple of 16`);
  }
}

export function assertHashLength(hash: Uint8Array, what = 'hash'): void {
  if (hash.length !== HASH_LENGTH) {
    throw new AppError('BAD_INPUT', `${what} must be ${HASH_LENGTH} bytes, got ${hash.length}`);
  }
}

/** Constant-time hash comparison; throws DATA_HASH_MISMATCH. */
export function assertHashMatches(actual: Buffer, expected: Uint8Array): void {
  if (!timingSafeEqual(actual, expected)) {
    throw new AppError('DATA_HASH_MISMATCH', 'Decrypted data does not match its hash (wrong secret or damaged data)');
  }
}

/**
 * Decrypts data or a scan. Checks in tdesktop's order (PE:364-397): SHA-256 of the decrypted bytes
 * against `hash` first, then the padding length. Returns a view of the plaintext without the prefix.
 */
export function decryptData(encrypted: Uint8Array, hash: Uint8Array, secret: Uint8Array): Buffer {
  assertCiphertextLength(encrypted.length);
  assertHashLength(hash);
  const keyIv = deriveAesKeyIv(secret, hash);
  const decipher = rawCbcDecipher(keyIv);
  wipeKeyIv(keyIv);
  // One call, one output buffer: the plaintext is the only allocation (chunking would leave the
  // full size again as garbage). Without padding, final() has nothing left to return.
  const padded = decipher.update(encrypted);
  if (decipher.final().length !== 0 || padded.length !== encrypted.length) {
    throw new AppError('INTERNAL', 'Decipher output length mismatch');
  }
  assertHashMatches(createHash('sha256').update(padded).digest(), hash);
  const pad = checkPadding(padded[0] ?? 0, padded.length);
  return padded.subarray(pad);
}
