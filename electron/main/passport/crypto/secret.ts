/**
 * Passport secrets: 32 random bytes whose byte sum mod 255 is 239 (PASSPORT-SPEC §1a).
 * Official clients reject any secret that fails this check, so every secret we generate is fixed up
 * and every secret we decrypt is checked.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../../common/errors';

export const SECRET_LENGTH = 32;
const CHECKSUM_MOD = 255;
const CHECKSUM_VALUE = 239;

function byteSumMod255(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum += b;
  return sum % CHECKSUM_MOD;
}

/** True when `bytes` is 32 bytes long with the 239-mod-255 checksum. */
export function isValidSecret(bytes: Uint8Array): boolean {
  return bytes.length === SECRET_LENGTH && byteSumMod255(bytes) === CHECKSUM_VALUE;
}

/** Throws SECRET_CHECKSUM (or BAD_LENGTH) unless `bytes` is a valid secret. `what` names it. */
export function assertValidSecret(bytes: Uint8Array, what = 'secret'): void {
  if (bytes.length !== SECRET_LENGTH) {
    throw new AppError('BAD_LENGTH', `${what} must be ${SECRET_LENGTH} bytes, got ${bytes.length}`);
  }
  if (!isValidSecret(bytes)) {
    throw new AppError('SECRET_CHECKSUM', `${what} fails the Telegram Passport checksum`);
  }
}

/**
 * Makes 32 bytes a valid secret in place, tdesktop's way (PE:110-122): change byte 0 so the sum
 * lands on 239. The other 31 bytes are untouched, so random input stays random.
 */
export function fixUpSecret(bytes: Buffer): Buffer {
  if (bytes.length !== SECRET_LENGTH) throw new AppError('BAD_LENGTH', `A secret must be ${SECRET_LENGTH} bytes`);
  const mod = byteSumMod255(bytes);
  bytes[0] = ((bytes[0] ?? 0) + CHECKSUM_MOD + CHECKSUM_VALUE - mod) % CHECKSUM_MOD;
  return bytes;
}

/** A fresh random secret that official clients accept. */
export function generateSecret(): Buffer {
  return fixUpSecret(randomBytes(SECRET_LENGTH));
}

/**
 * `secure_secret_id`: the first 8 bytes of SHA-256(secret) read as a little-endian signed int64
 * (tdesktop PE:425-428, TDLib SS:200). Returned as bigint: the value does not fit in a double.
 */
export function secretFingerprint(secret: Uint8Array): bigint {
  return createHash('sha256').update(secret).digest().readBigInt64LE(0);
}
