/** Words for the coded errors the main process returns. Unknown codes fall back to main's own message. */
import type { ErrorCode } from '@common/errors';

interface CodedError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

const WORDS: Partial<Record<ErrorCode, string>> = {
  PHONE_NUMBER_INVALID: 'Telegram does not recognise this phone number. Check the country code and the number.',
  PHONE_CODE_INVALID: 'That code is not right. Check the message from Telegram and try again.',
  PHONE_CODE_EXPIRED: 'That code has expired. Ask for a new one.',
  PASSWORD_HASH_INVALID: 'Wrong password. This is your Telegram two-step verification password.',
  OFFLINE: 'Telegram cannot be reached. Check your connection; nothing was lost.',
  WRONG_PASSWORD: 'Wrong password. Nothing was decrypted.',
  VAULT_LOCKED: 'Your Passport locked itself. Unlock it to continue; nothing was lost.',
  SECRET_CHECKSUM: 'Your Passport key is damaged (checksum). Do not reset anything yet: make a backup first.',
  SECRET_FINGERPRINT: 'Your Passport key does not match its fingerprint. Do not reset anything yet: make a backup first.',
  DATA_HASH_MISMATCH: 'This document is damaged: it does not match its checksum.',
};

export function explainError(error: CodedError): string {
  if (error.code === 'FLOOD_WAIT') return 'Telegram asks you to wait before trying again.';
  return WORDS[error.code] ?? error.message;
}

/** Seconds to wait, for errors that say so (FLOOD_WAIT). */
export function waitSeconds(error: CodedError): number | null {
  const s = error.details?.['seconds'];
  return error.code === 'FLOOD_WAIT' && typeof s === 'number' ? s : null;
}
