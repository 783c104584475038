/** Turns what mtcute throws into coded AppErrors the UI and CLI can explain. */
import { MtTimeoutError } from '@mtcute/core';
import { AppError, isAppError } from '../../common/errors';

const SIMPLE: Readonly<Record<string, { code: ConstructorParameters<typeof AppError>[0]; message: string }>> = {
  PHONE_NUMBER_INVALID: { code: 'PHONE_NUMBER_INVALID', message: 'This phone number is not valid. Check the country code and the number.' },
  PHONE_NUMBER_BANNED: { code: 'PHONE_NUMBER_INVALID', message: 'This phone number is banned from Telegram.' },
  PHONE_CODE_INVALID: { code: 'PHONE_CODE_INVALID', message: 'The code is wrong. Check it and try again.' },
  PHONE_CODE_EMPTY: { code: 'PHONE_CODE_INVALID', message: 'Enter the code Telegram sent you.' },
  PHONE_CODE_EXPIRED: { code: 'PHONE_CODE_EXPIRED', message: 'The code has expired. Ask for a new one.' },
  PHONE_CODE_HASH_EMPTY: { code: 'PHONE_CODE_EXPIRED', message: 'The code request is no longer valid. Ask for a new code.' },
  PASSWORD_HASH_INVALID: { code: 'PASSWORD_HASH_INVALID', message: 'The password is wrong.' },
  SRP_ID_INVALID: { code: 'PASSWORD_HASH_INVALID', message: 'The password check expired. Try again.' },
  AUTH_KEY_UNREGISTERED: { code: 'NOT_SIGNED_IN', message: 'You are not signed in.' },
  SESSION_REVOKED: { code: 'NOT_SIGNED_IN', message: 'This session was ended from another device.' },
  USER_DEACTIVATED: { code: 'NOT_SIGNED_IN', message: 'This account has been deleted.' },
};

/**
 * mtcute's RpcError class is not reachable through the package's public exports, so it is
 * recognised by shape: an Error named RpcError with a numeric code and a text.
 */
function asRpcError(e: unknown): { code: number; text: string; seconds?: number } | undefined {
  if (!(e instanceof Error) || e.constructor.name !== 'RpcError') return undefined;
  const { code, text, seconds } = e as Error & { code?: unknown; text?: unknown; seconds?: unknown };
  if (typeof code !== 'number' || typeof text !== 'string') return undefined;
  return typeof seconds === 'number' ? { code, text, seconds } : { code, text };
}

/** Whether mtcute threw Telegram's error `text` (e.g. SRP_ID_INVALID). */
export function isRpcError(e: unknown, text: string): boolean {
  return asRpcError(e)?.text === text;
}

/**
 * PHONE_/NETWORK_/USER_MIGRATE_N that reached us. mtcute moves the primary DC and resends once on its
 * own; one still coming out means the new DC sent the client on again (e.g. NETWORK_MIGRATE, then the
 * phone's home DC): asking once more from where mtcute now is takes the next hop.
 */
export function isPrimaryMigrate(e: unknown): boolean {
  const rpc = asRpcError(e);
  return rpc !== undefined && rpc.code === 303 && /^(PHONE|NETWORK|USER)_MIGRATE_%d$/.test(rpc.text);
}

function isNetworkError(e: unknown): boolean {
  if (e instanceof MtTimeoutError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE|EAI_AGAIN)$/.test(code);
}

export function mapTelegramError(e: unknown): AppError {
  if (isAppError(e)) return e;
  const rpc = asRpcError(e);
  if (rpc) {
    // mtcute reports e.g. FLOOD_WAIT_30 as text "FLOOD_WAIT_%d" with `seconds: 30`.
    const flood = /^(?:FLOOD_WAIT|FLOOD_PREMIUM_WAIT|FLOOD_TEST_PHONE_WAIT)_(\d+|%d)$/.exec(rpc.text);
    if (flood) {
      const seconds = flood[1] === '%d' ? (rpc.seconds ?? 0) : Number(flood[1]);
      return new AppError('FLOOD_WAIT', `Too many attempts. Try again in ${seconds} s.`, { seconds });
    }
    const known = SIMPLE[rpc.text];
    if (known) return new AppError(known.code, known.message);
    return new AppError('TELEGRAM_ERROR', `Telegram refused the request (${rpc.code} ${rpc.text}).`, { rpc: rpc.text, status: rpc.code });
  }
  if (isNetworkError(e)) return new AppError('OFFLINE', 'Telegram cannot be reached. Check the connection and try again.');
  return new AppError('INTERNAL', 'Unexpected error talking to Telegram.');
}
