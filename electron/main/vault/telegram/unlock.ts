/**
 * Unlocking and setting up the passport secret.
 *
 * Telegram checks the 2FA password (SRP, account.getPasswordSettings); the passport secret it wraps is
 * then decrypted and checked (239-mod-255 checksum, then the fingerprint against `secure_secret_id`). A
 * wrong password is WRONG_PASSWORD on every path (Telegram's PASSWORD_HASH_INVALID is reported as
 * WRONG_PASSWORD, keeping Telegram's message), so the UI has one code whether it unlocked online or
 * offline. Because the server accepted the password, a secret that then fails its checks is damaged:
 * SECRET_CHECKSUM / SECRET_FINGERPRINT, and `resetPassport` (with the typed confirmation) is the way out.
 * First use (no secret yet) creates one, mixing Telegram's `secure_random`; a secret under the legacy
 * SHA512 algo is re-wrapped with PBKDF2 and saved silently.
 *
 * Everything that needs no password starts at once, beside the two KDFs: the mirror's copy of the secure
 * settings is opened (PBKDF2) while Telegram's SRP hash (another PBKDF2) and the requests for the password
 * settings and every secure value go out (all of Telegram's part waits for the list in the first case
 * below: the values' answer too is main-thread work beside the KDF). What the unlock then waits for:
 *  - confirm 'background' (the app) and this device's copy opens with the password: only that KDF. The
 *    list is this device's copy, and the check with Telegram (password, key, values, queued edits) starts
 *    once that list has been shown (`listShown`) and ends in the background (`PassportState.check`):
 *    confirmed (the mirror now holds Telegram's values; a queued edit of a value changed elsewhere is a
 *    conflict), or could not confirm (offline, or an error: the copy stays as it was, nothing overwritten), or `password_changed` (Telegram refused the password that
 *    opened the copy: it was changed on another device; the copy stays readable, nothing is synced), or
 *    Telegram's copy of the key is damaged: the Passport locks (`corrupted`: the lock screen offers the reset).
 *  - otherwise (confirm 'wait', the CLI; or no copy here yet; or the copy does not open): Telegram's answer.
 * Offline (Telegram unreachable), the copy opened with the password is the answer, as above.
 * A wrong password costs one KDF either way: when the copy refuses it, that refusal is the answer as soon
 * as Telegram, asked at the same time, confirms it, or after a short grace if Telegram says nothing (the
 * password may have been changed elsewhere to this one: only Telegram can tell, and it is given the time
 * its own KDF and a round trip take). Without a copy on this device, offline is OFFLINE, never a wrong password.
 * Each function runs inside the passport's one-at-a-time queue; the background check takes the queue only
 * for its writes.
 */
import { isDeepStrictEqual } from 'node:util';
import { AppError } from '../../../common/errors';
import { rewrapLegacyPassportSecret, KDF_PBKDF2, KDF_SHA512 } from '../../passport/crypto/index';
import {
  getAllSecureValues,
  getPassword,
  getPasswordSettings,
  updateSecureSettings,
  type PasswordSettings,
  type SecureSecretSettings,
  type SecureValue,
} from '../../telegram/passport-api';
import { generatePassportSecret, openPassportSecret, wrapPassportSecret } from '../../telegram/passport-setup';
import { srpPasswordHash } from '../../telegram/srp';
import { unlockSecretSettings } from '../secret-settings';
import type { VaultContent } from '../store/state';
import type { VaultStore } from '../store/vault-store';
import { createVaultStore } from '../vault-keys';
import type { PassportValue } from '../value-view';
import { toMirrorSettings } from './mirror';
import { asWrongPassword, clearSyncMarks, isOffline, lockSecret, net, setSecret, type PassportMode, type PassportState } from './passport-state';
import { syncQueued, type SyncReport } from './sync';
import { applyValues, fetchValues, listValues, refresh, type FetchedValues } from './values';

export interface UnlockOptions {
  /**
   * What the unlock waits for: 'wait' (default) Telegram's answer, the mirror then holding its values;
   * 'background' only this device's copy when it opens with the password (see the header).
   */
  confirm?: 'wait' | 'background';
}

export interface UnlockResult {
  mode: PassportMode;
  /** First use: a passport secret was created and stored on Telegram. */
  created: boolean;
  /** The secret was under the legacy SHA512 algo and has been re-wrapped with PBKDF2 (and saved). */
  migrated: boolean;
  /** Queued offline edits dropped because the account's passport secret changed elsewhere. */
  droppedEdits: number;
  /** When online: what the sync of queued edits did. */
  sync: SyncReport | null;
  /** A check with Telegram goes on in the background (this device's copy was shown first). */
  checking: boolean;
  /** Every value as the unlock leaves them (this device's copy while `checking`). */
  values: PassportValue[];
}

/** How long a refusal by this device's copy waits for Telegram to say the password changed to this one. */
export const WRONG_PASSWORD_GRACE_MS = 1500;

/** The mirror's copy of the secret opened with the password: the secret, or why not (null: no copy to try). */
interface LocalOpen {
  secret: Buffer | null;
  error: Error | null;
}

/** What Telegram's check of the password leads to (created, migrated, dropped edits, sync). */
type OnlineOutcome = Omit<UnlockResult, 'mode' | 'checking' | 'values'>;

/** The mirror, made on the first unlock on this device (with the account and the hint last seen). */
async function mirrorStore(s: PassportState): Promise<VaultStore> {
  if (s.store !== null) return s.store;
  const created = await createVaultStore(s.dir, s.keychain, 'telegram');
  await created.store.commit({ ...created.store.state, account: { userId: s.accountId, ...(s.seenHint === null ? {} : { hint: s.seenHint }) } });
  s.store = created.store;
  s.keychainUse = created.keychain;
  return created.store;
}

/** Stores the secure settings in the mirror; queued edits made under another secret are dropped. */
export async function adoptSettings(s: PassportState, settings: SecureSecretSettings, extra: Partial<VaultContent> = {}): Promise<number> {
  const store = await mirrorStore(s);
  const state = store.state;
  const sameSecret = state.secretSettings?.secretId === settings.secretId.toString();
  const dropped = sameSecret ? 0 : state.pendingEdits.length;
  const unchanged =
    Object.keys(extra).length === 0 && state.account?.userId === s.accountId && isDeepStrictEqual(state.secretSettings, toMirrorSettings(settings));
  // Nothing to write (every unlock with the same settings): spare the state file its fsyncs.
  if (unchanged) return 0;
  await store.commit({
    ...state,
    account: { ...state.account, userId: s.accountId },
    secretSettings: toMirrorSettings(settings),
    ...(sameSecret ? {} : { pendingEdits: [] }),
    ...extra,
  });
  if (!sameSecret) clearSyncMarks(s);
  return dropped;
}

/** A new secret (mixing secure_random), wrapped with PBKDF2 under the password, stored on Telegram. */
export async function createSecret(s: PassportState, password: string): Promise<{ secret: Buffer; settings: SecureSecretSettings }> {
  const pw = await getPassword(s.conn);
  if (pw.newSecureSalt === null) throw new AppError('UNSUPPORTED_ALGO', 'Telegram did not offer a passport secret algorithm this app knows.');
  const secret = generatePassportSecret(pw.secureRandom);
  try {
    const settings = await wrapPassportSecret(secret, password, pw.newSecureSalt);
    await updateSecureSettings(s.conn, password, settings);
    return { secret, settings };
  } catch (e) {
    secret.fill(0);
    throw asWrongPassword(e);
  }
}

/** Unlocks with the 2FA password (see the header for what it waits for). */
export async function unlock(s: PassportState, password: string, opts: UnlockOptions = {}): Promise<UnlockResult> {
  if (password === '') throw new AppError('BAD_INPUT', 'Enter your password.');
  s.unlockSeq++; // a check an earlier unlock left running stops
  s.check = null;
  const mirrorSettings = s.store?.frozenState.secretSettings ?? null; // read before the KDF starts: no copy of the state
  // Values asked for from here on are compared with the mirror as it is now (a save in between makes them stale).
  const generation = s.store?.generation ?? 0;
  const local = openMirrorSecret(mirrorSettings, password);
  // Telegram's check of the password. Its SRP hash is a second PBKDF2: started at once with the last
  // salts (instead of after account.getPassword answered), except when it would compete with the copy's
  // KDF and the list's drawing for the CPU: then it starts once the list has been shown.
  const checkPassword = (): Promise<PasswordSettings> => {
    // Not when Telegram is known to be out of reach: this device's copy is the answer then, one KDF.
    const ahead =
      s.srpSalts === null || s.conn.knownUnreachable ? undefined : { ...s.srpSalts, hash: srpPasswordHash(password, s.srpSalts.salt1, s.srpSalts.salt2) };
    ahead?.hash.catch(() => undefined);
    const settings = getPasswordSettings(s.conn, password, ahead);
    // The hash started ahead is wiped once the check is over (the check copies what it uses).
    const wipe = (): void => void ahead?.hash.then((h) => h.fill(0), () => undefined);
    settings.then(wipe, wipe);
    return settings;
  };
  const showCopyFirst = opts.confirm === 'background' && mirrorSettings !== null;
  const seq = s.unlockSeq;
  const shown = showCopyFirst ? listShown() : null;
  // When Telegram is asked: at once, or (the copy opened and is the list) once that list has been shown.
  const telegramTurn =
    shown === null
      ? null
      : local.then(async (opened) => {
          if (opened.secret !== null) await shown.wait();
          if (s.unlockSeq !== seq) throw new AppError('VAULT_LOCKED', 'Locked before Telegram’s check began.');
        });
  const online = telegramTurn === null ? checkPassword() : telegramTurn.then(checkPassword);
  // The (encrypted) values cost no password: asked for with the password check, they are there when it
  // answers. Not before the copy's list: their answer (inflate, decode, allocations) is main-thread work
  // that landed beside the KDF and the list's answer.
  const values = s.conn.knownUnreachable ? undefined : telegramTurn === null ? getAllSecureValues(s.conn) : telegramTurn.then(() => getAllSecureValues(s.conn));
  values?.catch(() => undefined); // asked again where they are needed, if this failed
  online.catch(() => undefined); // not unhandled when an offline unlock leaves it behind
  try {
    if (shown !== null && mirrorSettings !== null) {
      const opened = await local;
      if (opened.secret !== null) return showMirror(s, opened.secret, { password, mirrorSettings, online, values, generation, start: shown.start });
    }
    return await unlockWith(s, password, mirrorSettings, local, online, values);
  } finally {
    // The mirror's copy is wiped unless it became the unlocked secret.
    void local.then((r) => {
      if (r.secret !== null && r.secret !== s.secret) r.secret.fill(0);
    });
  }
}

/** What an unlock that opened this device's copy hands to the check with Telegram. */
interface CopyCheck {
  password: string;
  mirrorSettings: NonNullable<VaultContent['secretSettings']>;
  /** Telegram's answer on the password (under way). */
  online: Promise<PasswordSettings>;
  /** account.getAllSecureValues, asked for at the unlock's start (undefined: not asked, offline). */
  values: Promise<SecureValue[]> | undefined;
  /** The mirror's generation when those values were asked for. */
  generation: number;
  /** Starts Telegram's check now (it waits for the list to be shown: `listShown`). */
  start: () => void;
}

/** This device's copy opened: it is the list now; Telegram's check goes on in the background. */
function showMirror(s: PassportState, secret: Buffer, pending: CopyCheck): UnlockResult {
  setSecret(s, secret);
  if (s.conn.knownUnreachable) {
    // Nothing to wait for: the copy is all there is until the connection returns (then the queue is
    // sent and the copy refreshed by itself: TelegramPassport's onConnection).
    s.mode = 'offline';
    s.check = { state: 'unconfirmed', error: { code: 'OFFLINE', message: 'Telegram cannot be reached.' } };
  } else {
    s.mode = 'online';
    s.check = { state: 'checking', done: checkInBackground(s, s.unlockSeq, pending), start: pending.start };
  }
  return { mode: s.mode, created: false, migrated: false, droppedEdits: 0, sync: null, checking: s.check.state === 'checking', values: listValues(s) };
}

/**
 * The background half of an unlock that showed this device's copy: Telegram's verdict on the password,
 * its values fetched (with the files the mirror lacks) outside the queue, then the mirror brought up to
 * date and queued edits sent inside it. Never rejects: the outcome is `s.check`. Work for an unlock that
 * was locked meanwhile stops at the next step. (`password` stays referenced until then: creating or
 * re-wrapping a secret found changed on Telegram needs it.)
 */
async function checkInBackground(s: PassportState, seq: number, { password, mirrorSettings, online, values, generation }: CopyCheck): Promise<void> {
  const current = (): boolean => s.unlockSeq === seq && s.secret !== null;
  try {
    const remote = await online;
    if (!current()) return;
    s.srpSalts = remote.srpSalts;
    s.mode = 'online';
    const same = remote.secureSettings !== null && isDeepStrictEqual(toMirrorSettings(remote.secureSettings), mirrorSettings);
    // Same key: the values asked for at the unlock are the ones to mirror. Otherwise adoptOnline asks again.
    const fetched: FetchedValues | undefined = same ? await fetchValues(s, values, generation) : undefined;
    if (!current()) return;
    await s.exclusive(async () => {
      if (!current()) return;
      const outcome = await adoptOnline(s, password, remote, mirrorSettings, () => Promise.resolve(s.secret), (again) =>
        again || fetched === undefined ? refresh(s) : applyValues(s, fetched),
      );
      if (!current()) return;
      // Telegram dropped out half-way (adoptOnline keeps the secret open then): not confirmed.
      s.check =
        s.mode === 'offline' || outcome.sync?.offline === true
          ? { state: 'unconfirmed', error: { code: 'OFFLINE', message: 'Telegram stopped answering during the check.' } }
          : { state: 'confirmed' };
    });
  } catch (e) {
    if (!current()) return;
    // Telegram's verdict on the password (not a check it kept expiring: that says nothing of the password).
    if (e instanceof AppError && e.code === 'PASSWORD_HASH_INVALID' && e.details?.['rpc'] !== 'SRP_ID_INVALID') {
      s.mode = 'offline'; // nothing goes to Telegram until the current password unlocks
      s.check = { state: 'password_changed' };
      return;
    }
    if (s.corrupted) {
      // Telegram's copy of the key is damaged (the check opened it with the accepted password): as an
      // unlock that waited for Telegram would, the Passport locks, and the lock screen offers the reset
      // (with a backup from this device's copy first).
      lockSecret(s);
      return;
    }
    const err = e instanceof AppError ? e : new AppError('INTERNAL', 'The check with Telegram failed.');
    if (isOffline(err)) s.mode = 'offline';
    s.check = { state: 'unconfirmed', error: { code: err.code, message: err.message } };
  }
}

/**
 * Telegram accepted the password: the secret it wraps (made on first use, re-wrapped if legacy, the
 * mirror's when the settings are the mirror's, else opened and checked), adopted into the mirror, then
 * Telegram's values mirrored (`mirrorValues(again)`: again = the secret was just created or re-wrapped, so
 * values asked for earlier may be gone) and queued edits sent. Offline half-way: the secret stays open.
 */
async function adoptOnline(
  s: PassportState,
  password: string,
  remote: PasswordSettings,
  mirrorSettings: VaultContent['secretSettings'],
  mirrorSecret: () => Promise<Buffer | null>,
  mirrorValues: (again: boolean) => Promise<void>,
): Promise<OnlineOutcome> {
  let created = false;
  let migrated = false;
  let secret: Buffer;
  let settings = remote.secureSettings;
  if (settings === null) {
    ({ secret, settings } = await createSecret(s, password));
    created = true;
  } else if (settings.algo === KDF_SHA512) {
    ({ secret, settings, migrated } = await migrateLegacy(s, settings, password));
  } else {
    const sameAsMirror = mirrorSettings !== null && isDeepStrictEqual(toMirrorSettings(settings), mirrorSettings);
    const opened = sameAsMirror ? await mirrorSecret() : null;
    secret = opened ?? (await openChecked(s, settings, password));
  }
  s.corrupted = false;
  const droppedEdits = await adoptSettings(s, settings);
  setSecret(s, secret);
  let sync: SyncReport | null = null;
  try {
    await mirrorValues(created || migrated);
    sync = await syncQueued(s);
  } catch (e) {
    if (!isOffline(e)) throw e;
  }
  return { created, migrated, droppedEdits, sync };
}

/**
 * The longest Telegram's check waits, once this device's copy opened, for the list to be shown.
 * The app's page asks for the check (`whenChecked`) once it has drawn the list, which starts it sooner;
 * this bound is for a caller that never asks (a hidden window's page asks after its own 200 ms).
 */
export const CHECK_START_MAX_WAIT_MS = 300;

/**
 * `wait()` resolves once `start` is called (the list has been shown), or CHECK_START_MAX_WAIT_MS after
 * it was first called (the copy opened). Telegram's check is a second PBKDF2 (the SRP hash), SRP
 * arithmetic and two round trips: on a machine with two cores, started the moment the copy opened it
 * took a core from drawing the list (bench/render.ts).
 */
function listShown(): { wait: () => Promise<void>; start: () => void } {
  let start = (): void => undefined;
  let timer: NodeJS.Timeout | undefined;
  const shown = new Promise<void>((resolve) => {
    start = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  const wait = (): Promise<void> => {
    timer ??= setTimeout(start, CHECK_START_MAX_WAIT_MS).unref();
    return shown;
  };
  return { wait, start };
}

const never = new Promise<never>(() => undefined);
const after = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** The unlock that waits for Telegram (or goes offline with this device's copy). */
async function unlockWith(
  s: PassportState,
  password: string,
  mirrorSettings: VaultContent['secretSettings'],
  local: Promise<LocalOpen>,
  online: Promise<PasswordSettings>,
  values: Promise<SecureValue[]> | undefined,
): Promise<UnlockResult> {
  let remote: PasswordSettings;
  try {
    // Telegram known to be unreachable (the last connection attempt failed): once the mirror has
    // opened, go offline at once rather than after the request timeout.
    const early = local.then((r) => (s.conn.knownUnreachable ? r : never));
    // The copy refused the password: final once Telegram had the grace to say it changed to this one.
    const refused = local.then((r) => (r.error !== null ? after(WRONG_PASSWORD_GRACE_MS).then(() => r) : never));
    const first = await Promise.race([
      online.then((r) => ({ kind: 'online' as const, r })),
      early.then((r) => ({ kind: 'offline' as const, r })),
      refused.then((r) => ({ kind: 'offline' as const, r })),
    ]);
    if (first.kind === 'offline') return unlockOffline(s, first.r);
    remote = first.r;
    s.srpSalts = remote.srpSalts;
    s.mode = 'online';
  } catch (e) {
    if (!isOffline(e)) throw asWrongPassword(e);
    return unlockOffline(s, await local);
  }
  const outcome = await adoptOnline(
    s,
    password,
    remote,
    mirrorSettings,
    async () => {
      const opened = (await local).secret;
      return opened === null ? null : Buffer.from(opened); // `local` itself is wiped by unlock()
    },
    (again) => refresh(s, again ? undefined : values),
  );
  return { mode: s.mode ?? 'online', ...outcome, checking: false, values: listValues(s) };
}

/** Legacy algo: open it, re-wrap it with PBKDF2 under a fresh salt, save that silently. */
async function migrateLegacy(
  s: PassportState,
  settings: SecureSecretSettings,
  password: string,
): Promise<{ secret: Buffer; settings: SecureSecretSettings; migrated: boolean }> {
  const fresh = await net(s, () => getPassword(s.conn));
  if (fresh.newSecureSalt === null) {
    // Nothing better on offer: keep it as is.
    return { secret: await openChecked(s, settings, password), settings, migrated: false };
  }
  const pw = Buffer.from(password, 'utf8');
  let rewrapped;
  try {
    rewrapped = await rewrapLegacyPassportSecret(
      { encryptedSecret: settings.encryptedSecret, password: pw, salt: settings.salt, expectedSecretId: settings.secretId, passwordVerified: true },
      fresh.newSecureSalt,
    );
  } catch (e) {
    markCorrupted(s, e);
    throw e;
  } finally {
    pw.fill(0);
  }
  const secret = rewrapped.secret;
  const next: SecureSecretSettings = { algo: KDF_PBKDF2, salt: rewrapped.salt, encryptedSecret: rewrapped.encryptedSecret, secretId: rewrapped.secretId };
  try {
    await updateSecureSettings(s.conn, password, next);
    return { secret, settings: next, migrated: true };
  } catch (e) {
    // Offline now: not fatal, the secret is open and the next online unlock tries again.
    if (!isOffline(e)) {
      secret.fill(0);
      throw asWrongPassword(e);
    }
    return { secret, settings, migrated: false };
  }
}

/** The passport secret from the mirror's settings, or why it does not open (error null: no copy to try). */
function openMirrorSecret(settings: VaultContent['secretSettings'], password: string): Promise<LocalOpen> {
  if (settings === null) return Promise.resolve({ secret: null, error: null });
  const pw = Buffer.from(password, 'utf8');
  return unlockSecretSettings(settings, pw)
    .then(
      (secret): LocalOpen => ({ secret, error: null }),
      (error: unknown): LocalOpen => ({ secret: null, error: error instanceof Error ? error : new AppError('WRONG_PASSWORD', 'Wrong password.') }),
    )
    .finally(() => pw.fill(0));
}

/** Opens the secret with a password Telegram has just accepted: a failed check means damage. */
async function openChecked(s: PassportState, settings: SecureSecretSettings, password: string): Promise<Buffer> {
  try {
    return await openPassportSecret(settings, password);
  } catch (e) {
    markCorrupted(s, e);
    throw e;
  }
}

function markCorrupted(s: PassportState, e: unknown): void {
  if (e instanceof AppError && (e.code === 'SECRET_CHECKSUM' || e.code === 'SECRET_FINGERPRINT')) s.corrupted = true;
}

/** Telegram out of reach (or silent after the copy refused the password): the copy's answer, already derived. */
function unlockOffline(s: PassportState, opened: LocalOpen): UnlockResult {
  if (s.store === null || s.store.state.secretSettings === null) {
    throw new AppError('OFFLINE', 'Telegram cannot be reached, and this device has no copy of your Passport yet.');
  }
  if (opened.secret === null) throw opened.error ?? new AppError('WRONG_PASSWORD', 'Wrong password.');
  setSecret(s, opened.secret);
  s.mode = 'offline';
  return { mode: 'offline', created: false, migrated: false, droppedEdits: 0, sync: null, checking: false, values: listValues(s) };
}
