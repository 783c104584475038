/** Proving a phone number or an e-mail address for the Passport through the Telegram API. */
import type { tl } from '@mtcute/core';
import { AppError } from '../../common/errors';
import type { SentCodeInfo } from './auth';
import type { TelegramConnection } from './connection';
import { run } from './passport-tl';

function sentCodeInfo(res: tl.auth.TypeSentCode): SentCodeInfo {
  if (res._ !== 'auth.sentCode') throw new AppError('TELEGRAM_ERROR', 'Telegram did not send a code.');
  const t = res.type;
  const length = 'length' in t && typeof t.length === 'number' ? t.length : null;
  const kind = t._.replace(/^auth\.sentCodeType/, '').toLowerCase();
  return {
    phoneCodeHash: res.phoneCodeHash,
    type: kind,
    nextType: res.nextType ? res.nextType._.replace(/^auth\.codeType/, '').toLowerCase() : null,
    timeoutSec: res.timeout ?? null,
    length,
  };
}

/** Sends a code to prove a phone number for the Passport (resend/cancel: auth.ts resendCode/cancelCode). */
export async function sendVerifyPhoneCode(conn: TelegramConnection, phone: string): Promise<SentCodeInfo> {
  return run(conn, 'verify phone', async (tg, abortSignal) =>
    sentCodeInfo(await tg.call({ _: 'account.sendVerifyPhoneCode', phoneNumber: phone.replace(/\D/g, ''), settings: { _: 'codeSettings' } }, { abortSignal })),
  );
}

export async function verifyPhone(conn: TelegramConnection, phone: string, phoneCodeHash: string, code: string): Promise<void> {
  await run(conn, 'verify phone', (tg, abortSignal) =>
    tg.call({ _: 'account.verifyPhone', phoneNumber: phone.replace(/\D/g, ''), phoneCodeHash, phoneCode: code.trim() }, { abortSignal }),
  );
}

/** Sends a code to prove an e-mail address for the Passport. */
export async function sendVerifyEmailCode(conn: TelegramConnection, email: string): Promise<{ emailPattern: string; length: number }> {
  return run(conn, 'verify e-mail', async (tg, abortSignal) => {
    const res = await tg.call({ _: 'account.sendVerifyEmailCode', purpose: { _: 'emailVerifyPurposePassport' }, email: email.trim() }, { abortSignal });
    return { emailPattern: res.emailPattern, length: res.length };
  });
}

/** Returns the address that is now verified. */
export async function verifyEmail(conn: TelegramConnection, code: string): Promise<string> {
  return run(conn, 'verify e-mail', async (tg, abortSignal) => {
    const res = await tg.call(
      { _: 'account.verifyEmail', purpose: { _: 'emailVerifyPurposePassport' }, verification: { _: 'emailVerificationCode', code: code.trim() } },
      { abortSignal },
    );
    return res.email;
  });
}
