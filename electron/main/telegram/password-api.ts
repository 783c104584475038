/**
 * The 2FA password through the Telegram API: its state and settings (SRP computed by mtcute's own utils; the
 * password never leaves this process), the passport secret's wrapped form, setting, changing and removing the
 * password, the recovery e-mail, and password recovery.
 */
import { Long, type tl } from '@mtcute/core';
import { AppError } from '../../common/errors';
import { KDF_PBKDF2, KDF_SHA512 } from '../passport/crypto/index';
import type { AccountUser } from './auth';
import type { TelegramConnection } from './connection';
import { isRpcError } from './errors';
import { passportError } from './passport-errors';
import { computeSrpCheck, SRP_ALGO, type SrpHashAhead } from './srp';
import { generatePassportSecret, wrapPassportSecret, type SecureSecretSettings } from './passport-setup';
import { type Client, buf, fromLong, run, toLong } from './passport-tl';

export interface PasswordState {
  hasPassword: boolean;
  /** A confirmed recovery e-mail exists. */
  hasRecovery: boolean;
  /** The account has Passport values in the cloud. */
  hasSecureValues: boolean;
  hint: string | null;
  /** A recovery e-mail awaiting its code, masked ("a***@e******.com"). */
  emailUnconfirmedPattern: string | null;
  /** The server part of the salt for wrapping a new passport secret (PBKDF2), if offered. */
  newSecureSalt: Buffer | null;
  /** Server randomness to mix into a new passport secret. */
  secureRandom: Buffer;
}

function passwordState(raw: tl.account.RawPassword): PasswordState {
  const secureAlgo = raw.newSecureAlgo;
  return {
    hasPassword: raw.hasPassword === true,
    hasRecovery: raw.hasRecovery === true,
    hasSecureValues: raw.hasSecureValues === true,
    hint: raw.hint ?? null,
    emailUnconfirmedPattern: raw.emailUnconfirmedPattern ?? null,
    newSecureSalt: secureAlgo._ === 'securePasswordKdfAlgoPBKDF2HMACSHA512iter100000' ? buf(secureAlgo.salt) : null,
    secureRandom: buf(raw.secureRandom),
  };
}

export async function getPassword(conn: TelegramConnection): Promise<PasswordState> {
  return run(conn, 'password state', async (tg, abortSignal) => passwordState(await tg.call({ _: 'account.getPassword' }, { abortSignal })));
}

/** A fresh SRP challenge and the proof of `password` for it (mtcute's computeSrpParams). */
async function srpCheck(tg: Client, password: string, abortSignal: AbortSignal, ahead?: SrpHashAhead): Promise<{ raw: tl.account.RawPassword; check: tl.RawInputCheckPasswordSRP }> {
  const raw = await tg.call({ _: 'account.getPassword' }, { abortSignal });
  if (raw.hasPassword !== true) throw new AppError('PASSWORD_REQUIRED', 'This account has no two-step verification password yet.');
  return { raw, check: await computeSrpCheck(raw, password, ahead) }; // native modpow (srp.ts)
}

/**
 * Runs a step that answers an SRP challenge. Telegram keeps one challenge per session, the latest
 * account.getPassword's: another call of this session that asked for the password state meanwhile (the
 * app's status, the security screen) makes the answer SRP_ID_INVALID. That is no verdict on the
 * password: the challenge is fetched again (twice at most; an SRP hash computed ahead is reused).
 */
async function withSrpRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (e) {
      if (!isRpcError(e, 'SRP_ID_INVALID')) throw e;
      if (tries >= 3) throw new AppError('PASSWORD_HASH_INVALID', 'The password check expired. Try again.', { rpc: 'SRP_ID_INVALID' });
    }
  }
}

function fromSecureSettings(s: tl.TypeSecureSecretSettings | undefined): SecureSecretSettings | null {
  if (!s) return null;
  const algo = s.secureAlgo;
  // Unknown algo = no usable secret (tdesktop treats it as "not set up").
  if (algo._ === 'securePasswordKdfAlgoUnknown') return null;
  return {
    algo: algo._ === 'securePasswordKdfAlgoPBKDF2HMACSHA512iter100000' ? KDF_PBKDF2 : KDF_SHA512,
    salt: buf(algo.salt),
    encryptedSecret: buf(s.secureSecret),
    secretId: fromLong(s.secureSecretId),
  };
}

function toSecureSettings(s: SecureSecretSettings | 'reset'): tl.RawSecureSecretSettings {
  if (s === 'reset') {
    return { _: 'secureSecretSettings', secureAlgo: { _: 'securePasswordKdfAlgoUnknown' }, secureSecret: new Uint8Array(0), secureSecretId: Long.ZERO };
  }
  return {
    _: 'secureSecretSettings',
    secureAlgo: { _: s.algo, salt: s.salt },
    secureSecret: s.encryptedSecret,
    secureSecretId: toLong(s.secretId),
  };
}

export interface PasswordSettings {
  /** The confirmed recovery e-mail. */
  email: string | null;
  /** The wrapped passport secret, or null if the Passport was never set up (or was reset). */
  secureSettings: SecureSecretSettings | null;
  /** The SRP salts this password was checked with: an `SrpHashAhead` for the next check can use them. */
  srpSalts: { salt1: Buffer; salt2: Buffer } | null;
}

/** account.getPasswordSettings: needs the password (PASSWORD_HASH_INVALID if wrong). */
export async function getPasswordSettings(conn: TelegramConnection, password: string, ahead?: SrpHashAhead): Promise<PasswordSettings> {
  return run(conn, 'password settings', (tg, abortSignal) =>
    withSrpRetry(async () => {
      const { raw, check } = await srpCheck(tg, password, abortSignal, ahead);
      const res = await tg.call({ _: 'account.getPasswordSettings', password: check }, { abortSignal });
      const algo = raw.currentAlgo;
      const srpSalts = algo?._ === SRP_ALGO ? { salt1: buf(algo.salt1), salt2: buf(algo.salt2) } : null;
      return { email: res.email ?? null, secureSettings: fromSecureSettings(res.secureSettings), srpSalts };
    }),
  );
}

async function updateSettings(conn: TelegramConnection, what: string, password: string, settings: Omit<tl.account.RawPasswordInputSettings, '_'>): Promise<void> {
  await run(conn, what, (tg, abortSignal) =>
    withSrpRetry(async () => {
      const { check } = await srpCheck(tg, password, abortSignal);
      await tg.call({ _: 'account.updatePasswordSettings', password: check, newSettings: { _: 'account.passwordInputSettings', ...settings } }, { abortSignal });
    }),
  );
}

/**
 * Stores a (new or re-wrapped) passport secret. Telegram deletes the values saved under a
 * different secret id; 'reset' deletes the secret and every value (tdesktop's reset).
 */
export async function updateSecureSettings(conn: TelegramConnection, password: string, settings: SecureSecretSettings | 'reset'): Promise<void> {
  await updateSettings(conn, 'passport secret', password, { newSecureSettings: toSecureSettings(settings) });
}

export interface SetPasswordOptions {
  password: string;
  hint?: string;
  /** Recovery e-mail; it stays pending until confirmPasswordEmail. */
  email?: string;
  /** Also create the passport secret, wrapped under the new password, in the same call. */
  createPassportSecret?: boolean;
}

export interface SetPasswordResult {
  /** The new passport secret (plaintext: keep it only in the vault) and its id, if created. */
  passportSecret: { secret: Buffer; secretId: bigint } | null;
  /** Set when a recovery e-mail was given: the code length to expect. */
  emailUnconfirmed: { codeLength: number } | null;
}

/** First-time 2FA: the account must have no password yet (PASSWORD_ALREADY_SET otherwise). */
export async function setPassword(conn: TelegramConnection, opts: SetPasswordOptions): Promise<SetPasswordResult> {
  if (opts.password === '') throw new AppError('BAD_INPUT', 'The password is empty.');
  return run(conn, 'set password', async (tg, abortSignal) => {
    const raw = await tg.call({ _: 'account.getPassword' }, { abortSignal });
    if (raw.hasPassword === true) throw new AppError('PASSWORD_ALREADY_SET', 'This account already has a two-step verification password.');
    const algo = raw.newAlgo;
    if (algo._ !== 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow') {
      throw new AppError('UNSUPPORTED_ALGO', 'Telegram offered a password algorithm this app does not know. Update the app.');
    }
    // Appends the client's 32 bytes to algo.salt1 and returns v = g^x mod p.
    const newPasswordHash = await tg.computeNewPasswordHash(algo, opts.password);
    let passportSecret: SetPasswordResult['passportSecret'] = null;
    let newSecureSettings: tl.RawSecureSecretSettings | undefined;
    if (opts.createPassportSecret === true) {
      const state = passwordState(raw);
      if (!state.newSecureSalt) throw new AppError('UNSUPPORTED_ALGO', 'Telegram did not offer a passport secret algorithm this app knows.');
      const secret = generatePassportSecret(state.secureRandom);
      const wrapped = await wrapPassportSecret(secret, opts.password, state.newSecureSalt);
      passportSecret = { secret, secretId: wrapped.secretId };
      newSecureSettings = toSecureSettings(wrapped);
    }
    try {
      await tg.call(
        {
          _: 'account.updatePasswordSettings',
          password: { _: 'inputCheckPasswordEmpty' },
          newSettings: {
            _: 'account.passwordInputSettings',
            newAlgo: algo,
            newPasswordHash,
            hint: opts.hint ?? '',
            ...(opts.email !== undefined ? { email: opts.email } : {}),
            ...(newSecureSettings ? { newSecureSettings } : {}),
          },
        },
        { abortSignal },
      );
      return { passportSecret, emailUnconfirmed: null };
    } catch (e) {
      // The password (and secret) were set; only the recovery e-mail waits for its code.
      const err = passportError(e);
      if (err?.code === 'EMAIL_UNCONFIRMED') {
        return { passportSecret, emailUnconfirmed: { codeLength: Number(err.details?.codeLength ?? 0) } };
      }
      passportSecret?.secret.fill(0);
      throw e;
    }
  });
}

export interface ChangePasswordOptions {
  current: string;
  next: string;
  /** The new hint ('' or absent: none). */
  hint?: string;
  /**
   * The unlocked passport secret: re-wrapped under the new password in the same call (as tdesktop
   * does), so the Passport survives the change. Without it the server keeps the old wrapping,
   * which the new password cannot open.
   */
  passportSecret?: Uint8Array;
}

/**
 * Changes the 2FA password (SRP-checked with the current one). Returns the new secure settings
 * when the passport secret was re-wrapped.
 */
export async function changePassword(conn: TelegramConnection, opts: ChangePasswordOptions): Promise<{ secureSettings: SecureSecretSettings | null }> {
  if (opts.next === '') throw new AppError('BAD_INPUT', 'The new password is empty.');
  return run(conn, 'change password', async (tg, abortSignal) => {
    const { raw, check } = await srpCheck(tg, opts.current, abortSignal);
    const algo = raw.newAlgo;
    if (algo._ !== 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow') {
      throw new AppError('UNSUPPORTED_ALGO', 'Telegram offered a password algorithm this app does not know. Update the app.');
    }
    const newPasswordHash = await tg.computeNewPasswordHash(algo, opts.next);
    let wrapped: SecureSecretSettings | null = null;
    if (opts.passportSecret !== undefined) {
      const state = passwordState(raw);
      if (!state.newSecureSalt) throw new AppError('UNSUPPORTED_ALGO', 'Telegram did not offer a passport secret algorithm this app knows.');
      wrapped = await wrapPassportSecret(opts.passportSecret, opts.next, state.newSecureSalt);
    }
    await tg.call(
      {
        _: 'account.updatePasswordSettings',
        password: check,
        newSettings: {
          _: 'account.passwordInputSettings',
          newAlgo: algo,
          newPasswordHash,
          hint: opts.hint ?? '',
          ...(wrapped ? { newSecureSettings: toSecureSettings(wrapped) } : {}),
        },
      },
      { abortSignal },
    );
    return { secureSettings: wrapped };
  });
}

/** Removes the 2FA password. Telegram then deletes the recovery e-mail, the passport secret and every value. */
export async function removePassword(conn: TelegramConnection, password: string): Promise<void> {
  await updateSettings(conn, 'remove password', password, {
    newAlgo: { _: 'passwordKdfAlgoUnknown' },
    newPasswordHash: new Uint8Array(0),
    hint: '',
  });
}

/** Sets (or, with '', removes) the recovery e-mail; a new address throws EMAIL_UNCONFIRMED until confirmed. */
export async function setRecoveryEmail(conn: TelegramConnection, password: string, email: string): Promise<void> {
  await updateSettings(conn, 'recovery e-mail', password, { email });
}

export async function confirmPasswordEmail(conn: TelegramConnection, code: string): Promise<void> {
  await run(conn, 'confirm e-mail', (tg, abortSignal) => tg.call({ _: 'account.confirmPasswordEmail', code: code.trim() }, { abortSignal }));
}

export async function resendPasswordEmail(conn: TelegramConnection): Promise<void> {
  await run(conn, 'resend e-mail code', (tg, abortSignal) => tg.call({ _: 'account.resendPasswordEmail' }, { abortSignal }));
}

export async function cancelPasswordEmail(conn: TelegramConnection): Promise<void> {
  await run(conn, 'cancel e-mail', (tg, abortSignal) => tg.call({ _: 'account.cancelPasswordEmail' }, { abortSignal }));
}

/** Sends a recovery code to the recovery e-mail; returns where it went (masked). */
export async function requestPasswordRecovery(conn: TelegramConnection): Promise<{ emailPattern: string }> {
  return run(conn, 'password recovery', async (tg, abortSignal) => {
    const res = await tg.call({ _: 'auth.requestPasswordRecovery' }, { abortSignal });
    return { emailPattern: res.emailPattern };
  });
}

/**
 * Recovers the account with the e-mailed code. The old password and EVERYTHING encrypted under
 * it (the passport secret, so all Passport values) is gone afterwards; `newPassword` sets a new
 * password in the same step. Completes a pending sign-in (the session is saved).
 */
export async function recoverPassword(conn: TelegramConnection, code: string, newPassword?: { password: string; hint?: string }): Promise<AccountUser> {
  return run(conn, 'recover password', async (tg, abortSignal) => {
    let newSettings: tl.account.RawPasswordInputSettings | undefined;
    if (newPassword) {
      const raw = await tg.call({ _: 'account.getPassword' }, { abortSignal });
      const algo = raw.newAlgo;
      if (algo._ !== 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow') {
        throw new AppError('UNSUPPORTED_ALGO', 'Telegram offered a password algorithm this app does not know.');
      }
      const newPasswordHash = await tg.computeNewPasswordHash(algo, newPassword.password);
      newSettings = { _: 'account.passwordInputSettings', newAlgo: algo, newPasswordHash, hint: newPassword.hint ?? '' };
    }
    const res = await tg.call({ _: 'auth.recoverPassword', code: code.trim(), ...(newSettings ? { newSettings } : {}) }, { abortSignal });
    if (res._ !== 'auth.authorization') throw new AppError('TELEGRAM_ERROR', 'Telegram did not sign this device in after recovery.');
    const user = await tg.notifyLoggedIn(res);
    await conn.persistSession();
    return { id: user.id, phone: user.phone ?? null, firstName: user.firstName ?? '', lastName: user.lastName ?? null };
  });
}
