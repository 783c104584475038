/**
 * Every failure the UI can explain has a code here. Domain code throws `AppError`
 * (or returns it); the IPC router turns it into `{ ok: false, error: { code, message } }`.
 * Messages are for people and must never contain secrets.
 * No zod here: every command of the CLI loads this file, and zod alone costs more start-up time than the
 * rest of `passport-vault new-secret`. The schemas for the wire are in error-shape.ts.
 */

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
  /** No api_id/api_hash (or loopback server) configured for this build. */
  'TELEGRAM_NOT_CONFIGURED',
  // Telegram Passport in the cloud (account password, secure values, files, verification)
  /** The account has no 2FA password; Telegram Passport needs one (create it first). */
  'PASSWORD_REQUIRED',
  /** setPassword on an account that already has a 2FA password. */
  'PASSWORD_ALREADY_SET',
  /** The account has a password but no passport secret yet. */
  'SECURE_SECRET_REQUIRED',
  /** The passport secret this device holds is not the account's current one (changed elsewhere). */
  'SECURE_SECRET_MISMATCH',
  /** Telegram refused new password settings (bad salt, bad verifier, bad secure settings). */
  'PASSWORD_SETTINGS_INVALID',
  /** A phone number must be verified by code before it is saved in the Passport. */
  'PHONE_VERIFICATION_NEEDED',
  /** An e-mail address must be verified by code before it is saved in the Passport. */
  'EMAIL_VERIFICATION_NEEDED',
  /** A new recovery e-mail waits for its code (details.codeLength); the rest of the change was applied. */
  'EMAIL_UNCONFIRMED',
  'EMAIL_INVALID',
  /** An e-mailed code (verification, recovery e-mail, password recovery) is wrong or empty. */
  'VERIFICATION_CODE_INVALID',
  /** …or no longer valid: ask for a new one. */
  'VERIFICATION_CODE_EXPIRED',
  /** Password recovery by e-mail is not possible (no recovery e-mail, or no password). */
  'PASSWORD_RECOVERY_UNAVAILABLE',
  /** Telegram refused a secure value (a field its type does not allow, a missing required part). */
  'SECURE_VALUE_INVALID',
  /** An upload was refused (missing parts, bad sizes, MD5 mismatch); retrying uploads it again. */
  'UPLOAD_FAILED',
  /** A secure file could not be downloaded (unknown file, or a bad request). */
  'DOWNLOAD_FAILED',
  /**
   * An edit was made on top of a version of a value that is no longer the one on Telegram (it was
   * changed elsewhere meanwhile): nothing was overwritten. details.type names the value.
   */
  'SYNC_CONFLICT',
  /** A destructive step needs its exact typed confirmation (details.expected says what to type). */
  'CONFIRMATION_REQUIRED',
  /** The offline mirror on this device belongs to another Telegram account. */
  'VAULT_ACCOUNT_MISMATCH',
  // Passport authorization requests (links from services, PASSPORT-SPEC §5)
  /** A Passport link that cannot be used: details.parameter names the part, details.reason says why. */
  'AUTH_LINK_INVALID',
  /** Telegram: the service's bot does not exist or cannot ask for Passport data. */
  'BOT_INVALID',
  /** Telegram: the request carries no public key. */
  'PUBLIC_KEY_REQUIRED',
  /** Telegram: the key is not the one the service registered with @BotFather (or not a key at all). */
  'PUBLIC_KEY_INVALID',
  /** Telegram: the request asks for nothing. */
  'SCOPE_EMPTY',
  /** Telegram: the request has no nonce (payload). */
  'PAYLOAD_EMPTY',
  /** Something the service requires is not in the Passport yet (details.type, details.missing). */
  'AUTH_DATA_MISSING',
  /** The request is not open (closed, already answered, or never opened): details.requestId. */
  'AUTH_REQUEST_UNKNOWN',
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
  /** A PDF whose first page cannot be drawn: protected by a password, damaged, or without pages (details.reason). */
  'SCAN_PDF_UNREADABLE',
  // App updates
  /** Install asked for while no update is downloaded and verified (or updates are off). */
  'UPDATE_NOT_READY',
  // Offline vault store (issue #21)
  /** Another process is writing to the vault (details.pid, details.host), or wrote to it since it was opened here. */
  'VAULT_BUSY',
  /**
   * The vault's state is older than its own files (or the keychain) show: an older `state` was put
   * back. Nothing was changed; details say which generations were seen.
   */
  'VAULT_ROLLBACK',
  // Inputs to the command line (files, stdin) and what it prints
  /** A file option or stdin names something that is not a regular file (a directory, a device, a FIFO). */
  'INPUT_NOT_A_FILE',
  /** A file or stdin is over the size documented for its kind (details.maxBytes). */
  'INPUT_TOO_LARGE',
  /** JSON nested deeper than the documented limit (details.maxDepth). */
  'INPUT_TOO_DEEP',
  // Account security (sessions)
  /** This session signed in too recently to end other sessions (Telegram: FRESH_RESET_AUTHORISATION_FORBIDDEN, 24 h). */
  'SESSION_TOO_NEW',
  /** The 2FA password typed at sign-in is no longer kept for the unlock (used, a minute passed, locked, signed out). */
  'SIGN_IN_PASSWORD_GONE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as it crosses IPC (validated by `AppErrorShape` in error-shape.ts). */
export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  /** Extra machine-readable detail, e.g. seconds to wait for FLOOD_WAIT. Never secret. */
  details?: Record<string, string | number | boolean> | undefined;
}

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
