/**
 * 2FA password and what hangs off it (https://core.telegram.org/api/srp,
 * https://core.telegram.org/passport/encryption#setting-up-a-password):
 * account.getPassword (a fresh SRP challenge each time), account.getPasswordSettings and
 * account.updatePasswordSettings (SRP-checked), the recovery e-mail (EMAIL_UNCONFIRMED_N, then
 * account.confirmPasswordEmail / resend / cancel) and recovery by e-mail code
 * (auth.requestPasswordRecovery / auth.recoverPassword).
 *
 * What Telegram does and this server copies:
 * - The server keeps the verifier v = g^x mod p the client sends as `new_password_hash`, never
 *   the password or x.
 * - `new_algo.salt1` must start with the 8 bytes this server offered in account.getPassword
 *   (the client appends its own 32): NEW_SALT_INVALID otherwise.
 * - The passport secret arrives wrapped under the password (`new_secure_settings`); the server
 *   stores it as is. Setting a secret with another `secure_secret_id` deletes the values saved
 *   under the old one (nobody could decrypt them); `securePasswordKdfAlgoUnknown` with an empty
 *   secret resets it and deletes every value (tdesktop's "reset" button).
 * - Changing the password WITHOUT new_secure_settings keeps the old wrapped secret (still
 *   under the old password: clients re-wrap it in the same call, as tdesktop does).
 * - Removing the password (new_algo passwordKdfAlgoUnknown) deletes the recovery e-mail, the
 *   passport secret and all secure values; so does recovering it by e-mail.
 * - A new recovery e-mail is only pending until confirmed: the rest of the change is applied,
 *   then the call fails with EMAIL_UNCONFIRMED_<code length>.
 */
import { randomBytes } from 'node:crypto';
import { bytesToBigInt } from '../crypto/bigint';
import { DH_G, DH_PRIME, DH_PRIME_BYTES } from '../crypto/dh';
import { newSrpChallenge, verifySrpProof } from '../crypto/srp';
import type { LoopbackState, PasswordRecord, UserRecord } from '../state';
import type { SecureSettingsRecord } from '../passport-state';
import type { TlObject } from '../tl/codec';
import { authorize } from './auth';
import { EMAIL_CODE_LENGTH, consumeEmailCode, emailPattern, issueEmailCode, normalizeEmail, pendingEmailCode } from './email-codes';
import { type CallContext, type MethodTable, RpcError, bytes, long, obj, optObj, optStr, requireUser, str } from './types';

export const SRP_ALGO = 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow';
export const SECURE_ALGO_PBKDF2 = 'securePasswordKdfAlgoPBKDF2HMACSHA512iter100000';
export const SECURE_ALGO_SHA512 = 'securePasswordKdfAlgoSHA512';
const SERVER_SALT1_LENGTH = 8;
const MAX_HINT_LENGTH = 128;

/** The account a call is about: signed in, or past the code and awaiting its password. */
function accountOf(ctx: CallContext): UserRecord | undefined {
  const userId = ctx.key.userId ?? ctx.key.passwordPendingUserId;
  return userId === undefined ? undefined : ctx.state.users.get(userId);
}

/** Deletes every secure value of the account (and then their files). */
export function wipeSecureValues(state: LoopbackState, user: UserRecord): void {
  user.secureValues.clear();
  state.collectSecureFiles();
}

/**
 * Checks an InputCheckPasswordSRP against the account's password. Each challenge answers one
 * attempt (the client fetches a new one with account.getPassword).
 */
export function checkPasswordInput(ctx: CallContext, user: UserRecord, input: TlObject): void {
  const pw = user.password;
  if (input._ === 'inputCheckPasswordEmpty') {
    if (pw) throw new RpcError(400, 'PASSWORD_HASH_INVALID');
    return;
  }
  if (input._ !== 'inputCheckPasswordSRP') throw new RpcError(400, 'PASSWORD_HASH_INVALID');
  const challenge = ctx.key.srp;
  const madeFor = ctx.key.srpVerifier;
  if (!pw || !challenge || challenge.srpId !== long(input, 'srp_id')) throw new RpcError(400, 'SRP_ID_INVALID');
  ctx.key.srp = undefined;
  ctx.key.srpVerifier = undefined;
  if (madeFor && !madeFor.equals(pw.verifier)) throw new RpcError(400, 'SRP_PASSWORD_CHANGED');
  const ok = verifySrpProof({ verifier: pw.verifier, salt1: pw.salt1, salt2: pw.salt2, challenge, A: bytes(input, 'A'), M1: bytes(input, 'M1') });
  if (!ok) throw new RpcError(400, 'PASSWORD_HASH_INVALID');
}

interface NewPassword {
  salt1: Buffer;
  salt2: Buffer;
  verifier: Buffer;
  hint: string | undefined;
}

/** Reads new_algo/new_password_hash/hint; 'remove' for passwordKdfAlgoUnknown; undefined if absent. */
function readNewPassword(ctx: CallContext, ns: TlObject): NewPassword | 'remove' | undefined {
  const algo = optObj(ns, 'new_algo');
  if (!algo) return undefined;
  if (algo._ === 'passwordKdfAlgoUnknown') return 'remove';
  if (algo._ !== SRP_ALGO) throw new RpcError(400, 'NEW_SETTINGS_INVALID');
  if (algo.g !== DH_G || !bytes(algo, 'p').equals(DH_PRIME_BYTES)) throw new RpcError(400, 'NEW_SETTINGS_INVALID');
  const salt1 = bytes(algo, 'salt1');
  const offered = ctx.key.newSalt1;
  if (!offered || salt1.length <= offered.length || !salt1.subarray(0, offered.length).equals(offered)) {
    throw new RpcError(400, 'NEW_SALT_INVALID');
  }
  const salt2 = bytes(algo, 'salt2');
  if (salt2.length < 8) throw new RpcError(400, 'NEW_SALT_INVALID');
  const verifier = Buffer.from(bytes(ns, 'new_password_hash'));
  // v = g^x mod p: 256 bytes, and not a degenerate group element.
  const v = bytesToBigInt(verifier);
  if (verifier.length !== 256 || v <= 1n || v >= DH_PRIME - 1n) throw new RpcError(400, 'NEW_SETTINGS_INVALID');
  const hint = optStr(ns, 'hint');
  if (hint !== undefined && hint.length > MAX_HINT_LENGTH) throw new RpcError(400, 'NEW_SETTINGS_INVALID');
  return { salt1, salt2, verifier, hint: hint === '' ? undefined : hint };
}

/** Reads new_secure_settings: a wrapped secret, 'reset', or undefined if absent. */
function readNewSecureSettings(ns: TlObject): SecureSettingsRecord | 'reset' | undefined {
  const s = optObj(ns, 'new_secure_settings');
  if (!s) return undefined;
  const algo = obj(s, 'secure_algo');
  const secret = bytes(s, 'secure_secret');
  if (algo._ === 'securePasswordKdfAlgoUnknown') {
    if (secret.length !== 0) throw new RpcError(400, 'NEW_SETTINGS_INVALID');
    return 'reset';
  }
  if (algo._ !== SECURE_ALGO_PBKDF2 && algo._ !== SECURE_ALGO_SHA512) throw new RpcError(400, 'NEW_SETTINGS_INVALID');
  const salt = bytes(algo, 'salt');
  if (salt.length < 8 || salt.length > 256 || secret.length !== 32) throw new RpcError(400, 'NEW_SETTINGS_INVALID');
  return { algo: algo._, salt: Buffer.from(salt), secret: Buffer.from(secret), secretId: long(s, 'secure_secret_id') };
}

function applySecureSettings(state: LoopbackState, user: UserRecord, pw: PasswordRecord, next: SecureSettingsRecord | 'reset'): void {
  if (next === 'reset') {
    pw.secure = undefined;
    wipeSecureValues(state, user);
    return;
  }
  pw.secure = next;
  // Values saved under another passport secret can no longer be decrypted by anyone.
  for (const [type, v] of user.secureValues) if (v.secretId !== next.secretId) user.secureValues.delete(type);
  state.collectSecureFiles();
}

function removePassword(state: LoopbackState, user: UserRecord): void {
  user.password = undefined;
  for (const purpose of ['confirm_password_email', 'password_recovery'] as const) state.emailCodes.delete(`${purpose}:${user.id}`);
  wipeSecureValues(state, user);
}

export const accountMethods: MethodTable = {
  'account.getPassword': (ctx) => {
    const user = accountOf(ctx);
    const pw = user?.password;
    const salt1 = randomBytes(SERVER_SALT1_LENGTH);
    ctx.key.newSalt1 = salt1;
    const base: TlObject = {
      _: 'account.password',
      ...(user && user.secureValues.size > 0 ? { has_secure_values: true } : {}),
      // The client appends 32 random bytes of its own to salt1 when it sets a new password.
      new_algo: { _: SRP_ALGO, salt1, salt2: randomBytes(16), g: DH_G, p: DH_PRIME_BYTES },
      // …and to this salt when it wraps the passport secret.
      new_secure_algo: { _: SECURE_ALGO_PBKDF2, salt: randomBytes(8) },
      secure_random: randomBytes(32),
    };
    if (!pw) return base;
    const challenge = newSrpChallenge(pw.verifier);
    ctx.key.srp = challenge;
    ctx.key.srpVerifier = pw.verifier;
    return {
      ...base,
      has_password: true,
      ...(pw.email !== undefined ? { has_recovery: true } : {}),
      current_algo: { _: SRP_ALGO, salt1: pw.salt1, salt2: pw.salt2, g: DH_G, p: DH_PRIME_BYTES },
      srp_B: challenge.B,
      srp_id: challenge.srpId,
      ...(pw.hint !== undefined ? { hint: pw.hint } : {}),
      ...(pw.unconfirmedEmail !== undefined ? { email_unconfirmed_pattern: emailPattern(pw.unconfirmedEmail) } : {}),
    };
  },

  'account.getPasswordSettings': (ctx, params) => {
    const user = requireUser(ctx);
    checkPasswordInput(ctx, user, obj(params, 'password'));
    const pw = user.password;
    return {
      _: 'account.passwordSettings',
      ...(pw?.email !== undefined ? { email: pw.email } : {}),
      ...(pw?.secure
        ? {
            secure_settings: {
              _: 'secureSecretSettings',
              secure_algo: { _: pw.secure.algo, salt: pw.secure.salt },
              secure_secret: pw.secure.secret,
              secure_secret_id: pw.secure.secretId,
            },
          }
        : {}),
    };
  },

  'account.updatePasswordSettings': (ctx, params) => {
    const user = requireUser(ctx);
    checkPasswordInput(ctx, user, obj(params, 'password'));
    const ns = obj(params, 'new_settings');
    // Validate everything before changing anything.
    const newPassword = readNewPassword(ctx, ns);
    if (newPassword === 'remove') {
      if (user.password) removePassword(ctx.state, user);
      ctx.state.save();
      return true;
    }
    const secure = readNewSecureSettings(ns);
    const rawEmail = optStr(ns, 'email');
    const email = rawEmail === undefined || rawEmail === '' ? rawEmail : normalizeEmail(rawEmail);
    if (!user.password && !newPassword && (secure !== undefined || (email !== undefined && email !== ''))) {
      throw new RpcError(400, 'PASSWORD_REQUIRED');
    }

    if (newPassword) {
      const old = user.password;
      user.password = { ...newPassword, email: old?.email, unconfirmedEmail: old?.unconfirmedEmail, secure: old?.secure };
    }
    const pw = user.password;
    if (!pw) {
      ctx.state.save();
      return true;
    }
    if (secure !== undefined) applySecureSettings(ctx.state, user, pw, secure);
    let unconfirmed = false;
    if (email === '') {
      pw.email = undefined;
      pw.unconfirmedEmail = undefined;
      ctx.state.emailCodes.delete(`confirm_password_email:${user.id}`);
    } else if (email !== undefined && email !== pw.email) {
      pw.unconfirmedEmail = email;
      issueEmailCode(ctx, user.id, email, 'confirm_password_email');
      unconfirmed = true;
    }
    ctx.state.save();
    if (unconfirmed) throw new RpcError(400, `EMAIL_UNCONFIRMED_${EMAIL_CODE_LENGTH}`);
    return true;
  },

  'account.confirmPasswordEmail': (ctx, params) => {
    const user = requireUser(ctx);
    const pw = user.password;
    if (!pw?.unconfirmedEmail) throw new RpcError(400, 'EMAIL_HASH_EXPIRED');
    const rec = consumeEmailCode(ctx, user.id, 'confirm_password_email', str(params, 'code'), 'EMAIL_HASH_EXPIRED');
    if (rec.email !== pw.unconfirmedEmail) throw new RpcError(400, 'EMAIL_HASH_EXPIRED');
    pw.email = rec.email;
    pw.unconfirmedEmail = undefined;
    ctx.state.save();
    return true;
  },

  'account.resendPasswordEmail': (ctx) => {
    const user = requireUser(ctx);
    const email = user.password?.unconfirmedEmail;
    if (email === undefined) throw new RpcError(400, 'EMAIL_HASH_EXPIRED');
    issueEmailCode(ctx, user.id, email, 'confirm_password_email');
    return true;
  },

  'account.cancelPasswordEmail': (ctx) => {
    const user = requireUser(ctx);
    if (user.password) user.password.unconfirmedEmail = undefined;
    ctx.state.emailCodes.delete(`confirm_password_email:${user.id}`);
    ctx.state.save();
    return true;
  },
};

export const recoveryMethods: MethodTable = {
  'auth.requestPasswordRecovery': (ctx) => {
    const user = accountOf(ctx);
    if (!user) throw new RpcError(401, 'AUTH_KEY_UNREGISTERED');
    const pw = user.password;
    if (!pw) throw new RpcError(400, 'PASSWORD_EMPTY');
    if (pw.email === undefined) throw new RpcError(400, 'PASSWORD_RECOVERY_NA');
    issueEmailCode(ctx, user.id, pw.email, 'password_recovery');
    return { _: 'auth.passwordRecovery', email_pattern: emailPattern(pw.email) };
  },

  'auth.recoverPassword': (ctx, params) => {
    const user = accountOf(ctx);
    if (!user) throw new RpcError(401, 'AUTH_KEY_UNREGISTERED');
    if (!user.password) throw new RpcError(400, 'PASSWORD_EMPTY');
    if (!pendingEmailCode(ctx, user.id, 'password_recovery')) throw new RpcError(400, 'PASSWORD_RECOVERY_NA');
    const ns = optObj(params, 'new_settings');
    const next = ns ? readNewPassword(ctx, ns) : undefined;
    if (ns && next === undefined) throw new RpcError(400, 'NEW_SETTINGS_INVALID');
    consumeEmailCode(ctx, user.id, 'password_recovery', str(params, 'code'), 'PASSWORD_RECOVERY_EXPIRED');
    // The old password is gone, and with it whatever was encrypted under it: the Passport.
    removePassword(ctx.state, user);
    if (next && next !== 'remove') user.password = { ...next, email: undefined };
    return authorize(ctx, user);
  },
};
