/**
 * Telegram errors of the Passport half of the API (password settings, secure values, files,
 * verification codes) as coded AppErrors. Applied inside `conn.run` callbacks, before the general
 * mapping in errors.ts, so the numbers mtcute parses out of some errors (EMAIL_UNCONFIRMED_%d,
 * FILE_PART_%d_MISSING) are not lost. Anything not listed falls through to errors.ts.
 */
import { AppError, type ErrorCode } from '../../common/errors';

interface Mapped {
  code: ErrorCode;
  message: string;
}

const SECURE_VALUE_INVALID: Mapped = { code: 'SECURE_VALUE_INVALID', message: 'Telegram refused this document: a part is missing or not allowed for its type.' };
const UPLOAD_FAILED: Mapped = { code: 'UPLOAD_FAILED', message: 'Telegram refused the uploaded file. Try again.' };
const DOWNLOAD_FAILED: Mapped = { code: 'DOWNLOAD_FAILED', message: 'The file could not be downloaded from Telegram.' };
const CODE_INVALID: Mapped = { code: 'VERIFICATION_CODE_INVALID', message: 'The code is wrong. Check it and try again.' };
const CODE_EXPIRED: Mapped = { code: 'VERIFICATION_CODE_EXPIRED', message: 'The code has expired. Ask for a new one.' };

const PASSPORT_ERRORS: Readonly<Record<string, Mapped>> = {
  PASSWORD_REQUIRED: { code: 'PASSWORD_REQUIRED', message: 'Telegram Passport needs a two-step verification password. Create one first.' },
  SECURE_SECRET_REQUIRED: { code: 'SECURE_SECRET_REQUIRED', message: 'Your Telegram Passport is not set up yet.' },
  SECURE_SECRET_INVALID: { code: 'SECURE_SECRET_MISMATCH', message: 'Your Telegram Passport key changed on another device. Unlock it again.' },
  NEW_SALT_INVALID: { code: 'PASSWORD_SETTINGS_INVALID', message: 'Telegram refused the new password settings. Try again.' },
  NEW_SETTINGS_INVALID: { code: 'PASSWORD_SETTINGS_INVALID', message: 'Telegram refused the new password settings. Try again.' },
  SRP_PASSWORD_CHANGED: { code: 'PASSWORD_HASH_INVALID', message: 'The password was changed on another device. Enter the new one.' },
  PHONE_VERIFICATION_NEEDED: { code: 'PHONE_VERIFICATION_NEEDED', message: 'Confirm this phone number with a code first.' },
  EMAIL_VERIFICATION_NEEDED: { code: 'EMAIL_VERIFICATION_NEEDED', message: 'Confirm this e-mail address with a code first.' },
  EMAIL_INVALID: { code: 'EMAIL_INVALID', message: 'This e-mail address is not valid.' },
  CODE_INVALID: CODE_INVALID,
  CODE_EMPTY: { ...CODE_INVALID, message: 'Enter the code from the e-mail.' },
  EMAIL_VERIFY_EXPIRED: CODE_EXPIRED,
  EMAIL_HASH_EXPIRED: CODE_EXPIRED,
  PASSWORD_RECOVERY_EXPIRED: CODE_EXPIRED,
  PASSWORD_RECOVERY_NA: { code: 'PASSWORD_RECOVERY_UNAVAILABLE', message: 'This account has no recovery e-mail, so the password cannot be recovered by e-mail.' },
  PASSWORD_EMPTY: { code: 'PASSWORD_RECOVERY_UNAVAILABLE', message: 'This account has no password to recover.' },
  SECURE_TYPE_INVALID: SECURE_VALUE_INVALID,
  SECURE_VALUE_FIELD_INVALID: SECURE_VALUE_INVALID,
  SECURE_FILE_INVALID: { code: 'SECURE_VALUE_INVALID', message: 'A file of this document is no longer on Telegram. Add it again.' },
  DATA_REQUIRED: SECURE_VALUE_INVALID,
  DATA_INVALID: SECURE_VALUE_INVALID,
  DATA_HASH_INVALID: SECURE_VALUE_INVALID,
  FILE_HASH_INVALID: SECURE_VALUE_INVALID,
  FILE_SIZE_INVALID: SECURE_VALUE_INVALID,
  FILES_EMPTY: SECURE_VALUE_INVALID,
  FILES_TOO_MUCH: SECURE_VALUE_INVALID,
  TRANSLATION_FILES_TOO_MUCH: SECURE_VALUE_INVALID,
  MD5_CHECKSUM_INVALID: UPLOAD_FAILED,
  FILE_PARTS_INVALID: UPLOAD_FAILED,
  FILE_PART_INVALID: UPLOAD_FAILED,
  FILE_PART_EMPTY: UPLOAD_FAILED,
  FILE_PART_TOO_BIG: UPLOAD_FAILED,
  FILE_PART_SIZE_INVALID: UPLOAD_FAILED,
  FILE_PART_SIZE_CHANGED: UPLOAD_FAILED,
  'FILE_PART_%d_MISSING': UPLOAD_FAILED,
  LOCATION_INVALID: DOWNLOAD_FAILED,
  FILE_ID_INVALID: DOWNLOAD_FAILED,
  OFFSET_INVALID: DOWNLOAD_FAILED,
  LIMIT_INVALID: DOWNLOAD_FAILED,
};

/** mtcute's RpcError, recognised by shape (its class is not exported publicly; see errors.ts). */
function rpcOf(e: unknown): (Error & { code: number; text: string; codeLength?: unknown; which?: unknown }) | undefined {
  if (!(e instanceof Error) || e.constructor.name !== 'RpcError') return undefined;
  const { code, text } = e as Error & { code?: unknown; text?: unknown };
  return typeof code === 'number' && typeof text === 'string' ? (e as Error & { code: number; text: string }) : undefined;
}

/** The coded error for a Passport-related Telegram error, or undefined to leave it to errors.ts. */
export function passportError(e: unknown): AppError | undefined {
  const rpc = rpcOf(e);
  if (!rpc) return undefined;
  if (rpc.text === 'EMAIL_UNCONFIRMED_%d' || rpc.text === 'EMAIL_UNCONFIRMED') {
    const codeLength = typeof rpc.codeLength === 'number' ? rpc.codeLength : 0;
    return new AppError('EMAIL_UNCONFIRMED', 'Confirm the recovery e-mail with the code sent to it.', { codeLength });
  }
  const mapped = PASSPORT_ERRORS[rpc.text];
  if (!mapped) return undefined;
  const details: Record<string, string | number> = { rpc: rpc.text };
  if (typeof rpc.which === 'number') details.part = rpc.which;
  return new AppError(mapped.code, mapped.message, details);
}

/** Wraps a `conn.run` callback so Passport errors come out coded (others are left to errors.ts). */
export function mappingPassportErrors<A extends unknown[], T>(fn: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (e) {
      throw passportError(e) ?? e;
    }
  };
}
