/**
 * Unlocking and setting up the passport secret.
 *
 * Online, the 2FA password is first proven to Telegram (SRP, account.getPasswordSettings); then the
 * passport secret it wraps is decrypted and checked (239-mod-255 checksum, then the fingerprint against
 * `secure_secret_id`). A wrong password is WRONG_PASSWORD on every path (Telegram's PASSWORD_HASH_INVALID
 * is reported as WRONG_PASSWORD, keeping Telegram's message), so the UI has one code whether it unlocked
 * online or offline. Because the server accepted the password, a secret that then fails its checks is
 * damaged: SECRET_CHECKSUM / SECRET_FINGERPRINT, and `resetPassport` (with the typed confirmation) is the
 * way out. First use (no secret yet) creates one, mixing Telegram's `secure_random`; a secret under the
 * legacy SHA512 algo is re-wrapped with PBKDF2 and saved silently. Offline (Telegram unreachable), the
 * mirrored `secureSecretSettings` are opened locally with PBKDF2 and the fingerprint is checked; there is
 * no server check, so any failure there is WRONG_PASSWORD.
 * Each function runs inside the passport's one-at-a-time queue.
 */
import { isDeepStrictEqual } from 'node:util';
import { AppError } from '../../../common/errors';
import { rewrapLegacyPassportSecret, KDF_PBKDF2, KDF_SHA512 } from '../../passport/crypto/index';
import { getAllSecureValues, getPassword, getPasswordSettings, updateSecureSettings, type SecureSecretSettings, type SecureValue } from '../../telegram/passport-api';
import { generatePassportSecret, openPassportSecret, wrapPassportSecret } from '../../telegram/passport-setup';
import { srpPasswordHash, type SrpHashAhead } from '../../telegram/srp';
import { unlockSecretSettings } from '../secret-settings';
import type { VaultContent } from '../store/state';
import type { VaultStore } from '../store/vault-store';
import { createVaultStore } from '../vault-keys';
import { toMirrorSettings } from './mirror';
import { asWrongPassword, clearSyncMarks, isOffline, net, setSecret, type PassportMode, type PassportState } from './passport-state';
import { syncQueued, type SyncReport } from './sync';
import { refresh } from './values';

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
}

const OFFLINE_UNLOCK: UnlockResult = { mode: 'offline', created: false, migrated: false, droppedEdits: 0, sync: null };

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

/**
 * Unlocks with the 2FA password: online when Telegram answers (creating or migrating the secret as
 * needed, then refreshing the mirror and sending queued edits), offline from the mirror otherwise.
 */
export async function unlock(s: PassportState, password: string): Promise<UnlockResult> {
  if (password === '') throw new AppError('BAD_INPUT', 'Enter your password.');
  // The mirror's copy of the secure settings is opened (PBKDF2) while Telegram checks the
  // password (SRP, another PBKDF2), instead of one after the other. Its result is used only
  // if Telegram accepts the password and its settings are the mirror's, or for the offline
  // fallback, which checks the password against the mirror exactly as unlockOffline does.
  const mirrorSettings = s.store?.state.secretSettings ?? null;
  const local = openMirrorSecret(mirrorSettings, password);
  // Likewise the SRP hash starts at once with the last salts, instead of after account.getPassword
  // answered; and the (encrypted) values are fetched meanwhile: that costs no password, and the
  // unlock then waits for one round trip less.
  const ahead = s.srpSalts === null ? undefined : { ...s.srpSalts, hash: srpPasswordHash(password, s.srpSalts.salt1, s.srpSalts.salt2) };
  ahead?.hash.catch(() => undefined);
  const values = s.conn.knownUnreachable ? undefined : getAllSecureValues(s.conn);
  values?.catch(() => undefined); // refresh() fetches again if this failed
  try {
    return await unlockWith(s, password, mirrorSettings, local, ahead, values);
  } finally {
    // The mirror's copy is wiped unless it became the unlocked secret (offline).
    void local.then((secret) => {
      if (secret !== null && secret !== s.secret) secret.fill(0);
    });
    void ahead?.hash.then((h) => h.fill(0), () => undefined);
  }
}

async function unlockWith(
  s: PassportState,
  password: string,
  mirrorSettings: VaultContent['secretSettings'],
  local: Promise<Buffer | null>,
  ahead: SrpHashAhead | undefined,
  values: Promise<SecureValue[]> | undefined,
): Promise<UnlockResult> {
  let remote;
  try {
    const online = getPasswordSettings(s.conn, password, ahead);
    online.catch(() => undefined); // not unhandled when the offline fallback leaves it behind
    // Telegram known to be unreachable (the last connection attempt failed): once the mirror
    // has opened, go offline at once rather than after the request timeout.
    const early = local.then((secret) => (s.conn.knownUnreachable ? secret : new Promise<never>(() => undefined)));
    const first = await Promise.race([online.then((r) => ({ kind: 'online' as const, r })), early.then((secret) => ({ kind: 'offline' as const, secret }))]);
    if (first.kind === 'offline') {
      s.mode = 'offline';
      if (first.secret === null) return await unlockOffline(s, password); // reports why the mirror does not open
      setSecret(s, first.secret);
      s.mode = 'offline';
      return { ...OFFLINE_UNLOCK };
    }
    remote = first.r;
    s.srpSalts = remote.srpSalts;
    s.mode = 'online';
  } catch (e) {
    if (!isOffline(e)) throw asWrongPassword(e);
    s.mode = 'offline';
    const secret = await local;
    if (secret !== null) {
      setSecret(s, secret);
      return { ...OFFLINE_UNLOCK };
    }
    return unlockOffline(s, password); // reports why the mirror does not open
  }
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
    const opened = sameAsMirror ? await local : null;
    if (opened !== null) {
      secret = Buffer.from(opened); // `local` itself is wiped by unlock()
    } else {
      secret = await openChecked(s, settings, password);
    }
  }
  s.corrupted = false;
  const droppedEdits = await adoptSettings(s, settings);
  setSecret(s, secret);
  let sync: SyncReport | null = null;
  try {
    // Values fetched before a new or re-wrapped secret was saved may be gone now: fetch again.
    await refresh(s, created || migrated ? undefined : values);
    sync = await syncQueued(s);
  } catch (e) {
    if (!isOffline(e)) throw e;
  }
  return { mode: s.mode ?? 'online', created, migrated, droppedEdits, sync };
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

/** The passport secret from the mirror's settings, or null if there are none or they do not open. */
function openMirrorSecret(settings: VaultContent['secretSettings'], password: string): Promise<Buffer | null> {
  if (settings === null || settings.algo !== KDF_PBKDF2) return Promise.resolve(null);
  const pw = Buffer.from(password, 'utf8');
  return unlockSecretSettings(settings, pw).then(
    (secret) => secret,
    () => null,
  ).finally(() => pw.fill(0));
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

async function unlockOffline(s: PassportState, password: string): Promise<UnlockResult> {
  const settings = s.store?.state.secretSettings ?? null;
  if (s.store === null || settings === null) {
    throw new AppError('OFFLINE', 'Telegram cannot be reached, and this device has no copy of your Passport yet.');
  }
  const pw = Buffer.from(password, 'utf8');
  try {
    setSecret(s, await unlockSecretSettings(settings, pw));
  } finally {
    pw.fill(0);
  }
  s.mode = 'offline';
  return { ...OFFLINE_UNLOCK };
}
