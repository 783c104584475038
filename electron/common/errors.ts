/**
 * Every failure the UI can explain has a code here. Domain code throws `AppError`
 * (or returns it); the IPC router turns it into `{ ok: false, error: { code, message } }`.
 * Messages are for people and must never contain secrets.
 */
import { z } from 'zod';

export const ERROR_CODES = [
  // IPC contract
  'IPC_FORBIDDEN_SENDER',
  'IPC_UNKNOWN_CHANNEL',
  'IPC_INVALID_PAYLOAD',
  'IPC_PAYLOAD_TOO_LARGE',
  'IPC_INVALID_RESULT',
  'INTERNAL',
  // Passport crypto
  'WRONG_PASSWORD',
  'SECRET_CHECKSUM',
  'SECRET_FINGERPRINT',
  'DATA_HASH_MISMATCH',
  'BAD_PADDING',
  'BAD_LENGTH',
  'BAD_KEY',
  /** A well-formed RSA key that does not open the data (RSA-OAEP decoding failed). */
  'WRONG_KEY',
  'BAD_INPUT',
  'UNSUPPORTED_ALGO',
  // Telegram
  'FLOOD_WAIT',
  'OFFLINE',
  'NOT_SIGNED_IN',
  'TELEGRAM_ERROR',
  'PHONE_NUMBER_INVALID',
  'PHONE_CODE_INVALID',
  'PHONE_CODE_EXPIRED',
  'PASSWORD_HASH_INVALID',
  // Keychain
  'KEYCHAIN_UNAVAILABLE',
  // Offline vault store and backups
  /** No vault at the given place (or its creation never finished). */
  'VAULT_NOT_FOUND',
  /** A vault already exists where a new one was to be created. */
  'VAULT_EXISTS',
  /** A vault file fails its integrity check (tag, checksum, shape) or references a missing file. */
  'VAULT_CORRUPT',
  /** The operation needs the passport secret and the vault is not unlocked. */
  'VAULT_LOCKED',
  /** A backup file fails its integrity check, is truncated, or its manifest disagrees with its body. */
  'BACKUP_CORRUPT',
  /** A backup or vault written by a newer format version. */
  'UNSUPPORTED_VERSION',
  // Document scans
  /** The bytes are not an image we can read (or a format we refuse, e.g. SVG). */
  'SCAN_NOT_AN_IMAGE',
  /** A real image in a format this build cannot decode (HEIC without the patented codec). */
  'SCAN_UNSUPPORTED_FORMAT',
  /** Too few pixels to be legible: the shortest side is under the minimum. */
  'SCAN_TOO_SMALL',
  /** Longer than Telegram's 20:1 aspect ratio limit. */
  'SCAN_ASPECT',
  /** Too many bytes or pixels to accept (also decode bombs), or a result over Telegram's 10 MiB. */
  'SCAN_TOO_LARGE',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const AppErrorShape = z.strictObject({
  code: ErrorCodeSchema,
  message: z.string(),
  /** Extra machine-readable detail, e.g. seconds to wait for FLOOD_WAIT. Never secret. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type AppErrorShape = z.infer<typeof AppErrorShape>;

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, string | number | boolean>,
  ) {
    super(message);
  }

  toShape(): AppErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
