/**
 * Sign-in flows on a TelegramConnection: phone → code (resend, cancel) → 2FA password (SRP,
 * computed by mtcute; the password never leaves this process) → signed in; sign-out; status.
 */
import { User } from '@mtcute/core';
import { AppError } from '../../common/errors';
import type { TelegramConnection } from './connection';
import { isPrimaryMigrate } from './errors';

export interface AccountUser {
  id: number;
  phone: string | null;
  firstName: string;
  lastName: string | null;
}

export interface SentCodeInfo {
  phoneCodeHash: string;
  /** How the code was delivered: 'app', 'sms', 'call', … */
  type: string;
  /** How a resend would deliver it, if available. */
  nextType: string | null;
  /** Seconds before a resend is allowed. */
  timeoutSec: number | null;
  length: number | null;
}

/** What the renderer may see of a sent code: everything but the phone_code_hash, which stays in main. */
export function publicCodeInfo({ type, nextType, timeoutSec, length }: SentCodeInfo): Omit<SentCodeInfo, 'phoneCodeHash'> {
  return { type, nextType, timeoutSec, length };
}

export type SignInResult =
  | { status: 'signed_in'; user: AccountUser }
  | { status: 'password_needed'; hint: string | null }
  /** New numbers must first sign up in an official Telegram app. */
  | { status: 'sign_up_required' };

const toAccountUser = (u: User): AccountUser => ({ id: u.id, phone: u.phoneNumber, firstName: u.firstName, lastName: u.lastName });

/** "+999", "66 2 1234" → "+999662 1234" style digits; validation is Telegram's (PHONE_NUMBER_INVALID). */
export function joinPhone(countryCode: string, national: string): string {
  const cc = countryCode.replace(/\D/g, '');
  const nn = national.replace(/\D/g, '');
  if (cc === '' || nn === '') throw new AppError('PHONE_NUMBER_INVALID', 'Enter the country code and the number.');
  return `+${cc}${nn}`;
}

export async function sendCode(conn: TelegramConnection, phone: string): Promise<SentCodeInfo> {
  return conn.run('send code', async (tg, abortSignal) => {
    // A second hop (see isPrimaryMigrate) is followed once; more would be a loop between DCs.
    const res = await tg.sendCode({ phone, abortSignal }).catch((e: unknown) => {
      if (isPrimaryMigrate(e)) return tg.sendCode({ phone, abortSignal });
      throw e;
    });
    if (!('phoneCodeHash' in res)) throw new AppError('TELEGRAM_ERROR', 'Telegram signed in without a code; sign out elsewhere and retry.');
    return sentCodeInfo(res);
  });
}

/** mtcute's SentCode in the app's terms: "none" and zero mean "not given". */
function sentCodeInfo(res: { phoneCodeHash: string; type: string; nextType: string; timeout: number; length: number }): SentCodeInfo {
  return {
    phoneCodeHash: res.phoneCodeHash,
    type: res.type,
    nextType: res.nextType === 'none' ? null : res.nextType,
    timeoutSec: res.timeout > 0 ? res.timeout : null,
    length: res.length > 0 ? res.length : null,
  };
}

export async function resendCode(conn: TelegramConnection, phone: string, phoneCodeHash: string): Promise<SentCodeInfo> {
  return conn.run('resend code', async (tg, abortSignal) => {
    return sentCodeInfo(await tg.resendCode({ phone, phoneCodeHash, abortSignal }));
  });
}

export async function cancelCode(conn: TelegramConnection, phone: string, phoneCodeHash: string): Promise<void> {
  await conn.run('cancel code', (tg, abortSignal) =>
    tg.call({ _: 'auth.cancelCode', phoneNumber: phone.replace(/\D/g, ''), phoneCodeHash }, { abortSignal }),
  );
}

export async function signIn(conn: TelegramConnection, phone: string, phoneCodeHash: string, code: string): Promise<SignInResult> {
  try {
    return await conn.run('sign in', async (tg, abortSignal) => {
      const res = await tg.call({ _: 'auth.signIn', phoneNumber: phone.replace(/\D/g, ''), phoneCodeHash, phoneCode: code.trim() }, { abortSignal });
      if (res._ === 'auth.authorizationSignUpRequired') return { status: 'sign_up_required' } as const;
      const user = await tg.notifyLoggedIn(res);
      await conn.persistSession();
      return { status: 'signed_in', user: toAccountUser(new User(user)) } as const;
    });
  } catch (e) {
    if (e instanceof AppError && e.code === 'TELEGRAM_ERROR' && e.details?.rpc === 'SESSION_PASSWORD_NEEDED') {
      return { status: 'password_needed', hint: await passwordHint(conn) };
    }
    throw e;
  }
}

export async function passwordHint(conn: TelegramConnection): Promise<string | null> {
  return conn.run('password hint', (tg) => tg.getPasswordHint());
}

export async function checkPassword(conn: TelegramConnection, password: string): Promise<{ status: 'signed_in'; user: AccountUser }> {
  return conn.run('check password', async (tg, abortSignal) => {
    const user = await tg.checkPassword({ password, abortSignal });
    await conn.persistSession();
    return { status: 'signed_in', user: toAccountUser(user) } as const;
  });
}

export async function logOut(conn: TelegramConnection): Promise<void> {
  try {
    await conn.run('sign out', (tg) => tg.logOut());
  } finally {
    // Even if Telegram could not be told, this device forgets the session.
    await conn.forgetSession();
  }
}

export interface AccountStatus {
  signed_in: boolean;
  user: { id: number; phone: string | null } | null;
}

/** Asks Telegram who this session belongs to (so a revoked session reads as signed out). */
export async function accountStatus(conn: TelegramConnection): Promise<AccountStatus> {
  try {
    const me = await conn.run('status', (tg, abortSignal) => tg.call({ _: 'users.getUsers', id: [{ _: 'inputUserSelf' }] }, { abortSignal }));
    const u = me[0];
    if (u?._ !== 'user') return { signed_in: false, user: null };
    return { signed_in: true, user: { id: u.id, phone: u.phone ?? null } };
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_SIGNED_IN') return { signed_in: false, user: null };
    throw e;
  }
}
