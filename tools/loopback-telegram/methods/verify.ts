/**
 * Proving a phone number or e-mail address before it goes into the Passport as plain data:
 * account.sendVerifyPhoneCode / verifyPhone (resend and cancel through auth.resendCode /
 * auth.cancelCode, as Telegram does), account.sendVerifyEmailCode / verifyEmail with
 * emailVerifyPurposePassport; and help.getPassportConfig.
 */
import { issueCode, liveCode, normalizePhone, sentCode } from './auth';
import { EMAIL_CODE_LENGTH, consumeEmailCode, emailPattern, issueEmailCode, normalizeEmail } from './email-codes';
import { type MethodTable, RpcError, int, obj, optStr, requireUser, str } from './types';

function requirePassportPurpose(purpose: { _: string }): void {
  // Login-e-mail purposes belong to sign-in flows this server does not implement.
  if (purpose._ !== 'emailVerifyPurposePassport') throw new RpcError(400, 'EMAIL_VERIFY_PURPOSE_INVALID');
}

/**
 * Which language native names are written in, per country (Telegram sends this so clients can
 * ask for names "in the language of your country of residence"). A realistic excerpt.
 */
export const PASSPORT_COUNTRIES_LANGS: Readonly<Record<string, string>> = {
  AE: 'ar', AM: 'hy', BG: 'bg', BY: 'be', CN: 'zh', CY: 'el', EG: 'ar', GE: 'ka', GR: 'el', IL: 'he', IN: 'hi',
  IQ: 'ar', IR: 'fa', JO: 'ar', JP: 'ja', KG: 'ky', KR: 'ko', KZ: 'kk', LB: 'ar', MA: 'ar', MK: 'mk', MN: 'mn',
  RS: 'sr', RU: 'ru', SA: 'ar', SY: 'ar', TH: 'th', TJ: 'tg', TW: 'zh', UA: 'uk', UZ: 'uz',
};
const PASSPORT_CONFIG_JSON = JSON.stringify(PASSPORT_COUNTRIES_LANGS);
/** A stable hash of the config, so `hash` = this returns passportConfigNotModified. */
export const PASSPORT_CONFIG_HASH = [...PASSPORT_CONFIG_JSON].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 7);

export const verifyMethods: MethodTable = {
  'account.sendVerifyPhoneCode': (ctx, params) => {
    requireUser(ctx);
    const phone = normalizePhone(str(params, 'phone_number'));
    return sentCode(issueCode(ctx, phone, 'sms', 'verify_phone'), false);
  },

  'account.verifyPhone': (ctx, params) => {
    const user = requireUser(ctx);
    const phone = normalizePhone(str(params, 'phone_number'));
    const rec = liveCode(ctx, phone, str(params, 'phone_code_hash'), 'verify_phone');
    const code = optStr(params, 'phone_code') ?? '';
    if (code === '') throw new RpcError(400, 'PHONE_CODE_EMPTY');
    if (code !== rec.code) throw new RpcError(400, 'PHONE_CODE_INVALID');
    ctx.state.codes.delete(rec.hash);
    user.verifiedPhones.add(phone);
    ctx.state.save();
    return true;
  },

  'account.sendVerifyEmailCode': (ctx, params) => {
    const user = requireUser(ctx);
    requirePassportPurpose(obj(params, 'purpose'));
    const email = normalizeEmail(str(params, 'email'));
    issueEmailCode(ctx, user.id, email, 'verify_passport_email');
    return { _: 'account.sentEmailCode', email_pattern: emailPattern(email), length: EMAIL_CODE_LENGTH };
  },

  'account.verifyEmail': (ctx, params) => {
    const user = requireUser(ctx);
    requirePassportPurpose(obj(params, 'purpose'));
    const verification = obj(params, 'verification');
    // Google/Apple sign-in tokens only verify login e-mails.
    if (verification._ !== 'emailVerificationCode') throw new RpcError(400, 'EMAIL_VERIFY_PURPOSE_INVALID');
    const rec = consumeEmailCode(ctx, user.id, 'verify_passport_email', str(verification, 'code'), 'EMAIL_VERIFY_EXPIRED');
    user.verifiedEmails.add(rec.email);
    ctx.state.save();
    return { _: 'account.emailVerified', email: rec.email };
  },

  'help.getPassportConfig': (_ctx, params) => {
    if (int(params, 'hash') === PASSPORT_CONFIG_HASH) return { _: 'help.passportConfigNotModified' };
    return { _: 'help.passportConfig', hash: PASSPORT_CONFIG_HASH, countries_langs: { _: 'dataJSON', data: PASSPORT_CONFIG_JSON } };
  },
};
