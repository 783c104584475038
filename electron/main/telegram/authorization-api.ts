/**
 * account.getAuthorizationForm / account.acceptAuthorization over a TelegramConnection (mtcute raw
 * calls), typed. Telegram's refusals that a service must hear about (BOT_INVALID,
 * PUBLIC_KEY_REQUIRED, PUBLIC_KEY_INVALID, SCOPE_EMPTY, PAYLOAD_EMPTY) come out as AppErrors with
 * those very codes. Imports nothing from `electron`.
 *
 * mtcute writes `bot_id` with int53: Telegram keeps user and bot ids within 52 bits, so a larger id
 * (which the link parser accepts, as the field is a TL long) is refused here as BOT_INVALID.
 */
import type { tl } from '@mtcute/core';
import type { TelegramClient } from '@mtcute/core/client.js';
import { AppError } from '../../common/errors';
import type { RequiredItem, RequiredType } from '../../common/authorization/request';
import type { SecureValueTypeName } from '../../common/passport/secure-value-types';
import type { TelegramConnection } from './connection';
import { fromSecureValue, secureValueTypeFromTl, tlType, type SecureValue } from './passport-api';

const buf = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** An error the service left on an earlier submission (TL SecureValueError*). */
export interface ServiceValueError {
  type: SecureValueTypeName;
  /** What it is about: a data field, a file slot, a scan or translation (by file hash), the whole value. */
  target: 'data' | 'front_side' | 'reverse_side' | 'selfie' | 'file' | 'files' | 'translation_file' | 'translation_files' | 'value';
  field: string | null;
  /** data_hash, file_hash(es) or the value hash the error was made against. */
  hashes: Buffer[];
  text: string;
}

export interface ServiceBot {
  id: string;
  username: string | null;
  name: string;
}

export interface AuthorizationForm {
  required: RequiredItem[];
  values: SecureValue[];
  errors: ServiceValueError[];
  bot: ServiceBot | null;
  privacyPolicyUrl: string | null;
}

export interface AuthorizationParams {
  botId: string;
  scope: string;
  publicKey: string;
}

export interface EncryptedCredentialsForBot {
  data: Buffer;
  hash: Buffer;
  secret: Buffer;
}

const FORWARDED: Readonly<Record<string, string>> = {
  BOT_INVALID: 'Telegram does not know this service’s bot, or it may not ask for Passport data.',
  PUBLIC_KEY_REQUIRED: 'The service sent no encryption key.',
  PUBLIC_KEY_INVALID: 'The service’s encryption key is not the one it registered with Telegram.',
  SCOPE_EMPTY: 'The service asked for nothing.',
  PAYLOAD_EMPTY: 'The service’s request has no nonce.',
};

function rpcText(e: unknown): string | undefined {
  if (!(e instanceof Error) || e.constructor.name !== 'RpcError') return undefined;
  const text = (e as Error & { text?: unknown }).text;
  return typeof text === 'string' ? text : undefined;
}

/** conn.run, with the service-facing Telegram errors mapped to their own codes. */
async function run<T>(conn: TelegramConnection, what: string, fn: (tg: TelegramClient, signal: AbortSignal) => Promise<T>): Promise<T> {
  return conn.run(what, async (tg, signal) => {
    try {
      return await fn(tg, signal);
    } catch (e) {
      const text = rpcText(e);
      const message = text === undefined ? undefined : FORWARDED[text];
      if (text !== undefined && message !== undefined) throw new AppError(text as 'BOT_INVALID', message, { rpc: text });
      throw e;
    }
  });
}

function botIdNumber(botId: string): number {
  const n = Number(botId);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new AppError('BOT_INVALID', 'This bot id is beyond the 52 bits Telegram uses for ids.', { rpc: 'BOT_INVALID' });
  }
  return n;
}

function requiredType(r: tl.RawSecureRequiredType): RequiredType | null {
  const type = secureValueTypeFromTl(r.type._);
  if (type === undefined) return null;
  return { type, selfie: r.selfieRequired === true, translation: r.translationRequired === true, nativeNames: r.nativeNames === true };
}

/** Telegram's required types; a type this build does not know makes the form unusable (an update is needed). */
function requiredItems(list: tl.TypeSecureRequiredType[]): RequiredItem[] {
  const unknown = (): never => {
    throw new AppError('TELEGRAM_ERROR', 'This service asks for a kind of document this version of the app does not know. Update the app.');
  };
  return list.map((r): RequiredItem => {
    if (r._ === 'secureRequiredType') return { kind: 'type', ...(requiredType(r) ?? unknown()) };
    const types = r.types.map((t) => (t._ === 'secureRequiredType' ? (requiredType(t) ?? unknown()) : unknown()));
    return { kind: 'one_of', types };
  });
}

function valueError(e: tl.TypeSecureValueError): ServiceValueError | null {
  const type = secureValueTypeFromTl(e.type._);
  if (type === undefined) return null;
  const base = { type, field: null, text: e.text };
  switch (e._) {
    case 'secureValueErrorData':
      return { ...base, target: 'data', field: e.field, hashes: [buf(e.dataHash)] };
    case 'secureValueErrorFrontSide':
      return { ...base, target: 'front_side', hashes: [buf(e.fileHash)] };
    case 'secureValueErrorReverseSide':
      return { ...base, target: 'reverse_side', hashes: [buf(e.fileHash)] };
    case 'secureValueErrorSelfie':
      return { ...base, target: 'selfie', hashes: [buf(e.fileHash)] };
    case 'secureValueErrorFile':
      return { ...base, target: 'file', hashes: [buf(e.fileHash)] };
    case 'secureValueErrorFiles':
      return { ...base, target: 'files', hashes: e.fileHash.map(buf) };
    case 'secureValueErrorTranslationFile':
      return { ...base, target: 'translation_file', hashes: [buf(e.fileHash)] };
    case 'secureValueErrorTranslationFiles':
      return { ...base, target: 'translation_files', hashes: e.fileHash.map(buf) };
    case 'secureValueError':
      return { ...base, target: 'value', hashes: [buf(e.hash)] };
  }
}

function serviceBot(users: tl.TypeUser[], botId: string): ServiceBot | null {
  const u = users.find((x): x is tl.RawUser => x._ === 'user' && String(x.id) === botId);
  if (!u) return null;
  const name = [u.firstName, u.lastName].filter((s): s is string => typeof s === 'string' && s !== '').join(' ');
  return { id: botId, username: u.username ?? null, name: name || (u.username ?? `bot ${botId}`) };
}

export async function getAuthorizationForm(conn: TelegramConnection, p: AuthorizationParams): Promise<AuthorizationForm> {
  const botId = botIdNumber(p.botId);
  return run(conn, 'authorization form', async (tg, abortSignal) => {
    const res = await tg.call({ _: 'account.getAuthorizationForm', botId, scope: p.scope, publicKey: p.publicKey }, { abortSignal });
    return {
      required: requiredItems(res.requiredTypes),
      values: res.values.map(fromSecureValue).filter((v): v is SecureValue => v !== null),
      errors: res.errors.map(valueError).filter((e): e is ServiceValueError => e !== null),
      bot: serviceBot(res.users, p.botId),
      privacyPolicyUrl: res.privacyPolicyUrl ?? null,
    };
  });
}

export async function acceptAuthorization(
  conn: TelegramConnection,
  p: AuthorizationParams & { valueHashes: { type: SecureValueTypeName; hash: Buffer }[]; credentials: EncryptedCredentialsForBot },
): Promise<void> {
  const botId = botIdNumber(p.botId);
  await run(conn, 'accept authorization', async (tg, abortSignal) => {
    const ok = await tg.call(
      {
        _: 'account.acceptAuthorization',
        botId,
        scope: p.scope,
        publicKey: p.publicKey,
        valueHashes: p.valueHashes.map((h) => ({ _: 'secureValueHash', type: tlType(h.type), hash: h.hash })),
        credentials: { _: 'secureCredentialsEncrypted', data: p.credentials.data, hash: p.credentials.hash, secret: p.credentials.secret },
      },
      { abortSignal },
    );
    if (!ok) throw new AppError('TELEGRAM_ERROR', 'Telegram did not accept the authorization.');
  });
}

/** Both calls over the app's (lazily made) connection, in the shape the AuthorizationService takes. */
export function authorizationTelegramOver(conn: () => TelegramConnection): {
  getForm(p: AuthorizationParams): Promise<AuthorizationForm>;
  accept(p: Parameters<typeof acceptAuthorization>[1]): Promise<void>;
} {
  return {
    getForm: (p) => getAuthorizationForm(conn(), p),
    accept: (p) => acceptAuthorization(conn(), p),
  };
}
