/**
 * The Passport half of the Telegram API, typed, over raw mtcute calls on a TelegramConnection:
 * the 2FA password state and settings (SRP computed by mtcute's own utils; the password never
 * leaves this process), the passport secret's wrapped form, secure values, secure files
 * (parallel part upload / ranged download of ENCRYPTED bytes), phone and e-mail verification,
 * the recovery e-mail, password recovery, and help.getPassportConfig.
 *
 * Everything that goes out is already encrypted by the caller with the crypto core; this module
 * only moves bytes and maps errors (passport-errors.ts, then errors.ts). `secureValue.hash` is
 * Telegram's and opaque: it is handed back as is (acceptAuthorization's value_hashes).
 * Imports nothing from `electron`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Long, type tl } from '@mtcute/core';
import type { TelegramClient } from '@mtcute/core/client.js';
import { z } from 'zod';
import { AppError } from '../../common/errors';
import {
  MAX_FILES_PER_VALUE,
  MAX_TRANSLATIONS_PER_VALUE,
  SECURE_VALUE_TYPES,
  type SecureValueTypeName,
} from '../../common/passport/secure-value-types';
import { KDF_PBKDF2, KDF_SHA512 } from '../passport/crypto/index';
import type { AccountUser, SentCodeInfo } from './auth';
import type { TelegramConnection } from './connection';
import { mappingPassportErrors, passportError } from './passport-errors';
import { computeSrpCheck, SRP_ALGO, type SrpHashAhead } from './srp';
import { generatePassportSecret, wrapPassportSecret, type SecureSecretSettings } from './passport-setup';

export type { SecureSecretSettings } from './passport-setup';

// ------------------------------------------------------------------------------------------ helpers

type Client = TelegramClient;

/** conn.run with Passport error mapping inside (see passport-errors.ts). */
function run<T>(conn: TelegramConnection, what: string, fn: (tg: Client, abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  return conn.run(what, mappingPassportErrors(fn));
}

const toLong = (n: bigint): Long => Long.fromString(BigInt.asIntN(64, n).toString());
const fromLong = (l: Long): bigint => BigInt(l.toString());
const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

const TYPE_BY_TL: ReadonlyMap<string, SecureValueTypeName> = new Map(
  Object.values(SECURE_VALUE_TYPES).map((info) => [info.tlName, info.type]),
);
/** The app's name for a TL `secureValueType…` constructor; undefined for types this build does not know. */
export const secureValueTypeFromTl = (tlName: string): SecureValueTypeName | undefined => TYPE_BY_TL.get(tlName);
/** The TL `secureValueType…` constructor of a type. */
export const tlType = (type: SecureValueTypeName): tl.TypeSecureValueType => ({ _: SECURE_VALUE_TYPES[type].tlName }) as tl.TypeSecureValueType;

// ------------------------------------------------------------------------------------------ password

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
  return run(conn, 'password settings', async (tg, abortSignal) => {
    const { raw, check } = await srpCheck(tg, password, abortSignal, ahead);
    const res = await tg.call({ _: 'account.getPasswordSettings', password: check }, { abortSignal });
    const algo = raw.currentAlgo;
    const srpSalts = algo?._ === SRP_ALGO ? { salt1: buf(algo.salt1), salt2: buf(algo.salt2) } : null;
    return { email: res.email ?? null, secureSettings: fromSecureSettings(res.secureSettings), srpSalts };
  });
}

async function updateSettings(conn: TelegramConnection, what: string, password: string, settings: Omit<tl.account.RawPasswordInputSettings, '_'>): Promise<void> {
  await run(conn, what, async (tg, abortSignal) => {
    const { check } = await srpCheck(tg, password, abortSignal);
    await tg.call({ _: 'account.updatePasswordSettings', password: check, newSettings: { _: 'account.passwordInputSettings', ...settings } }, { abortSignal });
  });
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

// ------------------------------------------------------------------------------------------ secure values

export interface SecureFileRef {
  kind: 'stored';
  id: bigint;
  accessHash: bigint;
  /** Size of the encrypted file. */
  size: number;
  dcId: number;
  date: number;
  fileHash: Buffer;
  /** The file secret, encrypted under the passport secret. */
  encryptedSecret: Buffer;
}

/** A file whose parts are uploaded, ready to be attached by saveSecureValue (once). */
export interface UploadedSecureFile {
  kind: 'uploaded';
  fileId: bigint;
  parts: number;
  md5Checksum: string;
  fileHash: Buffer;
  encryptedSecret: Buffer;
}

export type SecureFileInput = SecureFileRef | UploadedSecureFile;

export interface EncryptedSecureData {
  encrypted: Buffer;
  dataHash: Buffer;
  /** The data secret, encrypted under the passport secret. */
  encryptedSecret: Buffer;
}

export type PlainValue = { phone: string } | { email: string };

export interface SecureValue {
  type: SecureValueTypeName;
  data: EncryptedSecureData | null;
  frontSide: SecureFileRef | null;
  reverseSide: SecureFileRef | null;
  selfie: SecureFileRef | null;
  files: SecureFileRef[];
  translation: SecureFileRef[];
  plain: PlainValue | null;
  /** Telegram's hash of the value: opaque, passed back unchanged when sharing. */
  hash: Buffer;
}

export interface SecureValueInput {
  type: SecureValueTypeName;
  data?: EncryptedSecureData;
  frontSide?: SecureFileInput;
  reverseSide?: SecureFileInput;
  selfie?: SecureFileInput;
  files?: SecureFileInput[];
  translation?: SecureFileInput[];
  plain?: PlainValue;
}

function fileRef(f: tl.TypeSecureFile | undefined): SecureFileRef | null {
  if (f?._ !== 'secureFile') return null;
  return {
    kind: 'stored',
    id: fromLong(f.id),
    accessHash: fromLong(f.accessHash),
    size: Number(f.size),
    dcId: f.dcId,
    date: f.date,
    fileHash: buf(f.fileHash),
    encryptedSecret: buf(f.secret),
  };
}

const fileRefs = (list: tl.TypeSecureFile[] | undefined): SecureFileRef[] => (list ?? []).map(fileRef).filter((f): f is SecureFileRef => f !== null);

/** A secureValue as the app handles it; null for types this build does not know. */
export function fromSecureValue(v: tl.TypeSecureValue): SecureValue | null {
  const type = TYPE_BY_TL.get(v.type._);
  if (!type) return null;
  const plain = v.plainData;
  return {
    type,
    data: v.data ? { encrypted: buf(v.data.data), dataHash: buf(v.data.dataHash), encryptedSecret: buf(v.data.secret) } : null,
    frontSide: fileRef(v.frontSide),
    reverseSide: fileRef(v.reverseSide),
    selfie: fileRef(v.selfie),
    files: fileRefs(v.files),
    translation: fileRefs(v.translation),
    plain: plain ? (plain._ === 'securePlainPhone' ? { phone: plain.phone } : { email: plain.email }) : null,
    hash: buf(v.hash),
  };
}

function toInputFile(f: SecureFileInput): tl.TypeInputSecureFile {
  if (f.kind === 'stored') return { _: 'inputSecureFile', id: toLong(f.id), accessHash: toLong(f.accessHash) };
  return { _: 'inputSecureFileUploaded', id: toLong(f.fileId), parts: f.parts, md5Checksum: f.md5Checksum, fileHash: f.fileHash, secret: f.encryptedSecret };
}

/** Refuses, before any network, what the type cannot carry (the catalogue says what it can). */
function checkAgainstCatalogue(v: SecureValueInput): void {
  const info = SECURE_VALUE_TYPES[v.type];
  const bad = (what: string): never => {
    throw new AppError('BAD_INPUT', `A ${info.label.toLowerCase()} cannot have ${what}.`);
  };
  if ((v.data !== undefined) !== (info.data !== null)) bad(info.data === null ? 'data' : 'no data');
  if (v.frontSide && !info.fileSlots.includes('front_side')) bad('a front side');
  if (v.reverseSide && !info.fileSlots.includes('reverse_side')) bad('a reverse side');
  if (v.selfie && !info.fileSlots.includes('selfie')) bad('a selfie');
  if (v.files && !info.files) bad('scans');
  if (v.translation && !info.translation) bad('translations');
  if ((v.plain !== undefined) !== (info.plain !== null)) bad(info.plain === null ? 'plain data' : 'no value');
  if (v.plain && info.plain === 'phone' && !('phone' in v.plain)) bad('an e-mail');
  if (v.plain && info.plain === 'email' && !('email' in v.plain)) bad('a phone number');
  if ((v.files?.length ?? 0) > MAX_FILES_PER_VALUE) bad(`more than ${MAX_FILES_PER_VALUE} scans`);
  if ((v.translation?.length ?? 0) > MAX_TRANSLATIONS_PER_VALUE) bad(`more than ${MAX_TRANSLATIONS_PER_VALUE} translations`);
}

export async function getAllSecureValues(conn: TelegramConnection): Promise<SecureValue[]> {
  return run(conn, 'passport values', async (tg, abortSignal) => {
    const list = await tg.call({ _: 'account.getAllSecureValues' }, { abortSignal });
    return list.map(fromSecureValue).filter((v): v is SecureValue => v !== null);
  });
}

export async function getSecureValues(conn: TelegramConnection, types: readonly SecureValueTypeName[]): Promise<SecureValue[]> {
  return run(conn, 'passport values', async (tg, abortSignal) => {
    const list = await tg.call({ _: 'account.getSecureValue', types: types.map(tlType) }, { abortSignal });
    return list.map(fromSecureValue).filter((v): v is SecureValue => v !== null);
  });
}

/**
 * Saves a value (replacing the one of its type). `secretId` is the passport secret's id the
 * value is encrypted under: Telegram refuses it (SECURE_SECRET_MISMATCH) if it is not the
 * account's current one, and refuses phone/e-mail not verified by code.
 */
export async function saveSecureValue(conn: TelegramConnection, value: SecureValueInput, secretId: bigint): Promise<SecureValue> {
  checkAgainstCatalogue(value);
  const input: tl.RawInputSecureValue = { _: 'inputSecureValue', type: tlType(value.type) };
  if (value.data) input.data = { _: 'secureData', data: value.data.encrypted, dataHash: value.data.dataHash, secret: value.data.encryptedSecret };
  if (value.frontSide) input.frontSide = toInputFile(value.frontSide);
  if (value.reverseSide) input.reverseSide = toInputFile(value.reverseSide);
  if (value.selfie) input.selfie = toInputFile(value.selfie);
  if (value.files) input.files = value.files.map(toInputFile);
  if (value.translation) input.translation = value.translation.map(toInputFile);
  if (value.plain) input.plainData = 'phone' in value.plain ? { _: 'securePlainPhone', phone: value.plain.phone } : { _: 'securePlainEmail', email: value.plain.email };
  return run(conn, 'save passport value', async (tg, abortSignal) => {
    const saved = fromSecureValue(await tg.call({ _: 'account.saveSecureValue', value: input, secureSecretId: toLong(secretId) }, { abortSignal }));
    if (!saved || saved.type !== value.type) throw new AppError('TELEGRAM_ERROR', 'Telegram answered with a different value than the one saved.');
    return saved;
  });
}

export async function deleteSecureValues(conn: TelegramConnection, types: readonly SecureValueTypeName[]): Promise<void> {
  if (types.length === 0) return;
  await run(conn, 'delete passport values', (tg, abortSignal) => tg.call({ _: 'account.deleteSecureValue', types: types.map(tlType) }, { abortSignal }));
}

// ------------------------------------------------------------------------------------------ files

/** Telegram's upload part size limit, and the size every part but the last has here. */
export const UPLOAD_PART_SIZE = 512 * 1024;
/** Above this, files go up with saveBigFilePart. */
export const BIG_FILE_THRESHOLD = 10 * 1024 * 1024;
const MAX_PARTS = 4000;
/** Download request size: a multiple of 4 KiB that divides 1 MiB. */
export const DOWNLOAD_CHUNK_SIZE = 512 * 1024;
const DEFAULT_PARALLEL = 4;

export type TransferProgress = (done: number, total: number) => void;

export interface TransferOptions {
  /** Requests in flight at once (default 4). */
  parallel?: number;
}

/** Runs `count` jobs with at most `parallel` at once; the first failure stops the rest. */
async function inParallel(count: number, parallel: number, job: (index: number, stopped: () => boolean) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < count) {
      const i = next++;
      try {
        await job(i, () => failed);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(parallel, count)) }, worker));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/**
 * Uploads an ENCRYPTED Passport file in 512 KiB parts, several at once (saveBigFilePart above
 * 10 MiB), and returns what saveSecureValue attaches. `fileHash` and `encryptedSecret` come from
 * the crypto core (file_hash, and the file secret encrypted under the passport secret).
 */
export async function uploadSecureFile(
  conn: TelegramConnection,
  encrypted: Uint8Array,
  fileHash: Uint8Array,
  encryptedSecret: Uint8Array,
  onProgress?: TransferProgress,
  opts: TransferOptions = {},
): Promise<UploadedSecureFile> {
  const size = encrypted.length;
  if (size === 0 || size % 16 !== 0) throw new AppError('BAD_INPUT', 'An encrypted Passport file is a positive multiple of 16 bytes.');
  if (fileHash.length !== 32 || encryptedSecret.length !== 32) throw new AppError('BAD_INPUT', 'file_hash and the encrypted secret are 32 bytes each.');
  const parts = Math.ceil(size / UPLOAD_PART_SIZE);
  if (parts > MAX_PARTS) throw new AppError('BAD_INPUT', 'The file is too large for Telegram.');
  const big = size > BIG_FILE_THRESHOLD;
  const fileId = randomBytes(8).readBigInt64LE(0);
  const id = toLong(fileId);
  const md5Checksum = createHash('md5').update(encrypted).digest('hex');
  let done = 0;
  await inParallel(parts, opts.parallel ?? DEFAULT_PARALLEL, async (part, stopped) => {
    if (stopped()) return;
    const bytes = encrypted.subarray(part * UPLOAD_PART_SIZE, Math.min(size, (part + 1) * UPLOAD_PART_SIZE));
    const ok = await run(conn, 'upload', (tg, abortSignal) =>
      big
        ? tg.call({ _: 'upload.saveBigFilePart', fileId: id, filePart: part, fileTotalParts: parts, bytes }, { kind: 'upload', abortSignal })
        : tg.call({ _: 'upload.saveFilePart', fileId: id, filePart: part, bytes }, { kind: 'upload', abortSignal }),
    );
    if (!ok) throw new AppError('UPLOAD_FAILED', `Telegram did not accept part ${part} of the file.`);
    done += bytes.length;
    onProgress?.(done, size);
  });
  return { kind: 'uploaded', fileId, parts, md5Checksum, fileHash: Buffer.from(fileHash), encryptedSecret: Buffer.from(encryptedSecret) };
}

/** Downloads a secure file's ENCRYPTED bytes in 512 KiB ranges, several at once. */
export async function downloadSecureFile(conn: TelegramConnection, file: SecureFileRef, onProgress?: TransferProgress, opts: TransferOptions = {}): Promise<Buffer> {
  const size = file.size;
  const out = Buffer.alloc(size);
  const chunks = Math.ceil(size / DOWNLOAD_CHUNK_SIZE);
  const location: tl.RawInputSecureFileLocation = { _: 'inputSecureFileLocation', id: toLong(file.id), accessHash: toLong(file.accessHash) };
  let done = 0;
  // Asked of the account's own DC first; a file Telegram keeps elsewhere answers FILE_MIGRATE_N, and the
  // remaining ranges go straight to DC N (mtcute makes a key there and carries the sign-in over with
  // auth.exportAuthorization/importAuthorization). mtcute follows FILE_MIGRATE only in its own
  // downloadAsIterable, not for a raw upload.getFile, hence this.
  let dcId: number | undefined;
  const getRange = async (tg: Client, offset: number, abortSignal: AbortSignal): Promise<tl.upload.TypeFile> => {
    for (let hop = 0; ; hop++) {
      try {
        return await tg.call({ _: 'upload.getFile', location, offset, limit: DOWNLOAD_CHUNK_SIZE }, { kind: 'download', abortSignal, ...(dcId !== undefined ? { dcId } : {}) });
      } catch (e) {
        const to = fileMigrateTarget(e);
        // One hop is what Telegram ever asks; a second means the DCs disagree, and is an error.
        if (to === undefined || hop >= 1) throw e;
        dcId = to;
      }
    }
  };
  await inParallel(chunks, opts.parallel ?? DEFAULT_PARALLEL, async (chunk, stopped) => {
    if (stopped()) return;
    const offset = chunk * DOWNLOAD_CHUNK_SIZE;
    const expected = Math.min(DOWNLOAD_CHUNK_SIZE, size - offset);
    const res = await run(conn, 'download', (tg, abortSignal) => getRange(tg, offset, abortSignal));
    if (res._ !== 'upload.file' || res.bytes.length !== expected) {
      throw new AppError('DOWNLOAD_FAILED', `Telegram returned ${res._ === 'upload.file' ? res.bytes.length : 'no'} bytes at offset ${offset}, ${expected} expected.`);
    }
    out.set(res.bytes, offset);
    done += expected;
    onProgress?.(done, size);
  });
  return out;
}

/** N of a FILE_MIGRATE_N from mtcute (its RpcError keeps the text as FILE_MIGRATE_%d and N as `newDc`). */
function fileMigrateTarget(e: unknown): number | undefined {
  if (!(e instanceof Error) || e.constructor.name !== 'RpcError') return undefined;
  const { text, newDc } = e as Error & { text?: unknown; newDc?: unknown };
  return text === 'FILE_MIGRATE_%d' && typeof newDc === 'number' && Number.isInteger(newDc) && newDc > 0 ? newDc : undefined;
}

// ------------------------------------------------------------------------------------------ verification

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

// ------------------------------------------------------------------------------------------ config

const CountriesLangsSchema = z.record(z.string().regex(/^[A-Z]{2}$/), z.string().min(1).max(16));

export interface PassportConfig {
  hash: number;
  /** Country (ISO 3166-1 alpha-2) → language code for native names. */
  countriesLangs: Record<string, string>;
}

/** help.getPassportConfig; null when `hash` is still current (passportConfigNotModified). */
export async function getPassportConfig(conn: TelegramConnection, hash = 0): Promise<PassportConfig | null> {
  return run(conn, 'passport config', async (tg, abortSignal) => {
    const res = await tg.call({ _: 'help.getPassportConfig', hash }, { abortSignal });
    if (res._ === 'help.passportConfigNotModified') return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.countriesLangs.data);
    } catch {
      throw new AppError('TELEGRAM_ERROR', 'Telegram sent a Passport configuration that is not JSON.');
    }
    const langs = CountriesLangsSchema.safeParse(parsed);
    if (!langs.success) throw new AppError('TELEGRAM_ERROR', 'Telegram sent a Passport configuration of an unexpected shape.');
    return { hash: res.hash, countriesLangs: langs.data };
  });
}
