/**
 * Sign-in: phone → code → (2FA password via SRP) → signed-in auth key; sign-up of new numbers;
 * sign-out. Test numbers 99966XYYYY get the code X repeated five times, as on Telegram's test
 * DCs; any other number gets a random five-digit code, which tests read through the API.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { verifySrpProof } from '../crypto/srp';
import type { CodeRecord, UserRecord } from '../state';
import type { TlObject } from '../tl/codec';
import { type CallContext, type MethodTable, RpcError, bytes, long, obj, optStr, str, int } from './types';
import { requirePhoneHome } from './dc-placement';
import { userObject } from './users';
import { endSession, startSession } from './sessions';

export const CODE_LENGTH = 5;

/** Digits only, 7–15 long, no leading zero (E.164-ish); anything else is PHONE_NUMBER_INVALID. */
export function normalizePhone(raw: string): string {
  const digits = raw.replace(/[\s()+-]/g, '');
  if (!/^[1-9]\d{6,14}$/.test(digits)) throw new RpcError(400, 'PHONE_NUMBER_INVALID');
  return digits;
}

export function codeFor(phone: string): string {
  const test = /^99966(\d)\d{4}$/.exec(phone);
  if (test) return (test[1] ?? '0').repeat(CODE_LENGTH);
  return String(randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, '0');
}

export function issueCode(ctx: CallContext, phone: string, kind: CodeRecord['kind'], purpose: NonNullable<CodeRecord['purpose']> = 'login'): CodeRecord {
  const rec: CodeRecord = {
    purpose,
    phone,
    code: codeFor(phone),
    hash: randomBytes(9).toString('hex'),
    expiresAt: Date.now() + ctx.server.codeTtlMs,
    kind,
  };
  ctx.state.codes.set(rec.hash, rec);
  ctx.state.sentCodes.push(rec);
  ctx.onCode(phone, rec.code);
  return rec;
}

export function sentCode(rec: CodeRecord, next: boolean): TlObject {
  return {
    _: 'auth.sentCode',
    type: rec.kind === 'app' ? { _: 'auth.sentCodeTypeApp', length: CODE_LENGTH } : { _: 'auth.sentCodeTypeSms', length: CODE_LENGTH },
    phone_code_hash: rec.hash,
    ...(next ? { next_type: { _: 'auth.codeTypeSms' }, timeout: 60 } : {}),
  };
}

/**
 * The live code for (phone, hash), or the error Telegram gives for a stale one. `purpose`
 * 'any' is for resend/cancel; otherwise a code only serves what it was sent for (a Passport
 * phone-verification code must never sign anyone in).
 */
export function liveCode(ctx: CallContext, phone: string, hash: string, purpose: 'login' | 'verify_phone' | 'any' = 'login'): CodeRecord {
  if (hash === '') throw new RpcError(400, 'PHONE_CODE_HASH_EMPTY');
  const rec = ctx.state.codes.get(hash);
  if (!rec || (purpose !== 'any' && (rec.purpose ?? 'login') !== purpose)) throw new RpcError(400, 'PHONE_CODE_EXPIRED');
  if (rec.phone !== phone) throw new RpcError(400, 'PHONE_NUMBER_INVALID');
  if (Date.now() > rec.expiresAt) {
    ctx.state.codes.delete(hash);
    throw new RpcError(400, 'PHONE_CODE_EXPIRED');
  }
  return rec;
}

/** `newSession` false: an authorization carried over from another DC (the same session there). */
export function authorize(ctx: CallContext, user: UserRecord, newSession = true): TlObject {
  ctx.key.userId = user.id;
  ctx.key.passwordPendingUserId = undefined;
  ctx.key.srp = undefined;
  if (newSession) startSession(ctx, user.id);
  ctx.state.save();
  return { _: 'auth.authorization', user: userObject(user, true) };
}

function checkApiCredentials(params: TlObject): void {
  if (int(params, 'api_id') <= 0 || !/^[0-9a-f]{32}$/i.test(str(params, 'api_hash'))) {
    throw new RpcError(400, 'API_ID_INVALID');
  }
}

export const authMethods: MethodTable = {
  'auth.sendCode': (ctx, params) => {
    checkApiCredentials(params);
    const phone = normalizePhone(str(params, 'phone_number'));
    requirePhoneHome(ctx, phone);
    return sentCode(issueCode(ctx, phone, 'app'), true);
  },

  'auth.resendCode': (ctx, params) => {
    const phone = normalizePhone(str(params, 'phone_number'));
    const old = liveCode(ctx, phone, str(params, 'phone_code_hash'), 'any');
    ctx.state.codes.delete(old.hash);
    // The same code is re-delivered by SMS under the same hash, as Telegram does.
    const rec: CodeRecord = { ...old, kind: 'sms', expiresAt: Date.now() + ctx.server.codeTtlMs };
    ctx.state.codes.set(rec.hash, rec);
    ctx.state.sentCodes.push(rec);
    ctx.onCode(phone, rec.code);
    return sentCode(rec, false);
  },

  'auth.cancelCode': (ctx, params) => {
    const phone = normalizePhone(str(params, 'phone_number'));
    const rec = liveCode(ctx, phone, str(params, 'phone_code_hash'), 'any');
    ctx.state.codes.delete(rec.hash);
    return true;
  },

  'auth.signIn': (ctx, params) => {
    const phone = normalizePhone(str(params, 'phone_number'));
    requirePhoneHome(ctx, phone);
    const rec = liveCode(ctx, phone, str(params, 'phone_code_hash'));
    const code = optStr(params, 'phone_code');
    if (code === undefined || code === '') throw new RpcError(400, 'PHONE_CODE_EMPTY');
    if (code !== rec.code) throw new RpcError(400, 'PHONE_CODE_INVALID');
    const user = ctx.state.userByPhone(phone);
    if (!user) {
      // Keep the code: auth.signUp presents the same hash.
      return { _: 'auth.authorizationSignUpRequired' };
    }
    ctx.state.codes.delete(rec.hash);
    if (user.password) {
      ctx.key.passwordPendingUserId = user.id;
      throw new RpcError(401, 'SESSION_PASSWORD_NEEDED');
    }
    return authorize(ctx, user);
  },

  'auth.signUp': (ctx, params) => {
    const phone = normalizePhone(str(params, 'phone_number'));
    const rec = liveCode(ctx, phone, str(params, 'phone_code_hash'));
    const firstName = str(params, 'first_name').trim();
    if (firstName === '') throw new RpcError(400, 'FIRSTNAME_INVALID');
    if (ctx.state.userByPhone(phone)) throw new RpcError(400, 'PHONE_NUMBER_OCCUPIED');
    ctx.state.codes.delete(rec.hash);
    return authorize(ctx, ctx.state.createUser(phone, firstName, str(params, 'last_name').trim()));
  },

  'auth.checkPassword': (ctx, params) => {
    const userId = ctx.key.passwordPendingUserId;
    const user = userId === undefined ? undefined : ctx.state.users.get(userId);
    if (!user?.password) throw new RpcError(400, 'PASSWORD_HASH_INVALID');
    const input = obj(params, 'password');
    if (input._ !== 'inputCheckPasswordSRP') throw new RpcError(400, 'PASSWORD_HASH_INVALID');
    const challenge = ctx.key.srp;
    if (!challenge || challenge.srpId !== long(input, 'srp_id')) throw new RpcError(400, 'SRP_ID_INVALID');
    // Each challenge answers one attempt; the client fetches a new one with account.getPassword.
    ctx.key.srp = undefined;
    const ok = verifySrpProof({
      verifier: user.password.verifier,
      salt1: user.password.salt1,
      salt2: user.password.salt2,
      challenge,
      A: bytes(input, 'A'),
      M1: bytes(input, 'M1'),
    });
    if (!ok) throw new RpcError(400, 'PASSWORD_HASH_INVALID');
    return authorize(ctx, user);
  },

  'auth.logOut': (ctx) => {
    if (ctx.key.userId === undefined) throw new RpcError(401, 'AUTH_KEY_UNREGISTERED');
    endSession(ctx.key);
    ctx.state.save();
    return { _: 'auth.loggedOut' };
  },
};
