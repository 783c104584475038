/**
 * The state the parts of a Telegram Passport share (unlock, password, values, sync, transfer): the
 * connection, the mirror, the unlocked secret, the mode, and what the last syncs found. One plain object,
 * made by the façade (telegram-passport.ts) and passed to every part; nothing else keeps any of it.
 * The helpers here are the few rules every part applies the same way.
 */
import { AppError } from '../../../common/errors';
import type { SecureValueTypeName } from '../../../common/passport';
import type { Keychain } from '../../keychain/keychain';
import type { TelegramConnection } from '../../telegram/connection';
import type { VaultStore } from '../store/vault-store';
import type { KeychainUse } from '../vault-keys';
import type { ServiceError } from './service-errors';

export type PassportMode = 'online' | 'offline';

/**
 * The check with Telegram after an unlock that showed this device's copy first (unlock.ts, confirm:
 * 'background'): running (`start` begins it at once if it still waits for the list to be shown), done,
 * or why it could not confirm. `password_changed`: Telegram refused the password that opened the copy
 * (it was changed on another device).
 */
export type PassportCheck =
  | { state: 'checking'; done: Promise<void>; start: () => void }
  | { state: 'confirmed' }
  | { state: 'unconfirmed'; error: { code: string; message: string } }
  | { state: 'password_changed' };

export interface PassportState {
  readonly conn: TelegramConnection;
  /** The signed-in account's Telegram user id, as a decimal string. */
  readonly accountId: string;
  /** The mirror's folder. */
  readonly dir: string;
  readonly keychain: Keychain | null;
  readonly now: () => number;
  /** The mirror; null until the first unlock on this device makes it. */
  store: VaultStore | null;
  keychainUse: KeychainUse | null;
  /** The unlocked passport secret; null while locked. */
  secret: Buffer | null;
  /** Counts locks: background work started under an earlier unlock sees it changed and stops. */
  unlockSeq: number;
  /** The last unlock's check with Telegram, when it showed this device's copy first; null otherwise. */
  check: PassportCheck | null;
  mode: PassportMode | null;
  /** The SRP salts of the last accepted password check (public; they change only with the password). */
  srpSalts: { salt1: Buffer; salt2: Buffer } | null;
  /** The last unlock found the secret damaged (SECRET_CHECKSUM / SECRET_FINGERPRINT). */
  corrupted: boolean;
  /** The hint last read from Telegram, kept for a mirror made later (first unlock on this device). */
  seenHint: string | null;
  serviceErrors: ServiceError[];
  readonly conflicts: Map<SecureValueTypeName, { base: string | null; server: string | null }>;
  readonly syncErrors: Map<SecureValueTypeName, { code: string; message: string }>;
  /** Runs `fn` after every operation started before it (one at a time). */
  readonly exclusive: <T>(fn: () => Promise<T>) => Promise<T>;
}

/** A one-at-a-time queue: so IPC calls cannot interleave commits. */
export function oneAtATime(): <T>(fn: () => Promise<T>) => Promise<T> {
  let chain: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };
}

export const isOffline = (e: unknown): boolean => e instanceof AppError && e.code === 'OFFLINE';

/** Telegram's "wrong password" as the one code the app uses for it. */
export function asWrongPassword(e: unknown): unknown {
  if (e instanceof AppError && e.code === 'PASSWORD_HASH_INVALID') return new AppError('WRONG_PASSWORD', e.message, e.details);
  return e;
}

/** A network step: OFFLINE switches to offline mode; success to online. */
export async function net<T>(s: PassportState, fn: () => Promise<T>): Promise<T> {
  try {
    const r = await fn();
    s.mode = 'online';
    return r;
  } catch (e) {
    if (isOffline(e)) s.mode = 'offline';
    throw e;
  }
}

export function requireSecret(s: PassportState): Buffer {
  if (s.secret === null) throw new AppError('VAULT_LOCKED', 'Unlock the Passport with your password first.');
  return s.secret;
}

export function requireStore(s: PassportState): VaultStore {
  if (s.store === null) throw new AppError('VAULT_LOCKED', 'Unlock the Passport with your password first.');
  return s.store;
}

/** Makes `secret` the unlocked one, wiping the one it replaces. */
export function setSecret(s: PassportState, secret: Buffer): void {
  if (s.secret !== null && s.secret !== secret) s.secret.fill(0);
  s.secret = secret;
}

/** Wipes the passport secret from memory; a background check of the unlock is abandoned. */
export function lockSecret(s: PassportState): void {
  s.secret?.fill(0);
  s.secret = null;
  s.unlockSeq++;
  s.check = null;
}

/** Forgets what the syncs found about one value (its conflict and its failure), or about all. */
export function clearSyncMarks(s: PassportState, type?: SecureValueTypeName): void {
  if (type === undefined) {
    s.conflicts.clear();
    s.syncErrors.clear();
  } else {
    s.conflicts.delete(type);
    s.syncErrors.delete(type);
  }
}
