/**
 * The Telegram Passport of a signed-in account, end-to-end encrypted, with an offline mirror.
 *
 * Unlocking. Online, the 2FA password is first proven to Telegram (SRP, account.getPasswordSettings);
 * then the passport secret it wraps is decrypted and checked (239-mod-255 checksum, then the
 * fingerprint against `secure_secret_id`). A wrong password is WRONG_PASSWORD on every path (Telegram's
 * PASSWORD_HASH_INVALID is reported as WRONG_PASSWORD, keeping Telegram's message), so the UI has one
 * code whether it unlocked online or offline. Because the server accepted the password, a secret that
 * then fails its checks is damaged: SECRET_CHECKSUM / SECRET_FINGERPRINT, and `resetPassport` (with
 * the typed confirmation) is the way out. First use (no secret yet) creates one, mixing Telegram's
 * `secure_random`; a secret under the legacy SHA512 algo is re-wrapped with PBKDF2 and saved silently.
 * Offline (Telegram unreachable), the mirrored `secureSecretSettings` are opened locally with PBKDF2
 * and the fingerprint is checked; there is no server check, so any failure there is WRONG_PASSWORD.
 *
 * Values. Every edit is encrypted here (value-codec, the crypto core) and pushed as Telegram's
 * own format; the mirror (a vault store of origin "telegram") holds the same ciphertext, the file
 * ciphertexts as blobs, and the server's file ids so unchanged files are reused by id. A push first
 * compares the server's current `secureValue.hash` with the hash the edit was made on: a different
 * hash means someone changed the value elsewhere meanwhile, and nothing is overwritten
 * (SYNC_CONFLICT / a conflict in the sync report). Offline, edits go to the mirror's edit queue,
 * already encrypted, and `sync()` sends them when Telegram is back.
 *
 * All operations run one at a time (a mutex), so IPC calls cannot interleave commits.
 * Electron-free: the app, the CLI and tests use it the same way.
 */
import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { AppError } from '../../../common/errors';
import { SECURE_VALUE_TYPE_NAMES, secureValueTypeInfo } from '../../../common/passport';
import type { SecureValueTypeName } from '../../../common/passport';
import type { Keychain } from '../../keychain/keychain';
import { rewrapLegacyPassportSecret, secretFingerprint, KDF_PBKDF2, KDF_SHA512 } from '../../passport/crypto/index';
import {
  changePassword as apiChangePassword,
  confirmPasswordEmail,
  deleteSecureValues,
  downloadSecureFile,
  getAllSecureValues,
  getPassword,
  getPasswordSettings,
  getSecureValues,
  recoverPassword as apiRecoverPassword,
  requestPasswordRecovery,
  saveSecureValue,
  setPassword,
  updateSecureSettings,
  uploadSecureFile,
  type PasswordState,
  type SecureFileInput,
  type SecureSecretSettings,
  type SecureValue,
  type TransferProgress,
} from '../../telegram/passport-api';
import { srpPasswordHash, type SrpHashAhead } from '../../telegram/srp';
import { generatePassportSecret, openPassportSecret, wrapPassportSecret } from '../../telegram/passport-setup';
import type { TelegramConnection } from '../../telegram/connection';
import { exportBackup, exportBackupWithPassword } from '../backup/export';
import type { Counts } from '../backup/format';
import { decryptStoredFile } from '../local/value-codec';
import { unlockSecretSettings } from '../secret-settings';
import { baseServerHashFor, enqueueEdit } from '../store/edit-queue';
import { filesOf } from '../store/state';
import type { PendingEdit, StoredFile, StoredValue, VaultContent } from '../store/state';
import type { VaultStore } from '../store/vault-store';
import { withDamage } from '../value-damage';
import { createVaultStore, openVaultStore, type KeychainUse } from '../vault-keys';
import { afterSave, limited, mirrorServerValue, otherVersionOf, sameContent, serverFileIds, storedAsRef, toMirrorSettings, toSecureValueInput, valueHashOf, type OtherVersion } from './mirror';
import type { ServiceError } from './service-errors';
import { inCatalogueOrder, viewOfValue, type PassportValue } from '../value-view';
import { buildStoredValue, type TelegramValueInput } from './value-edit';

/** What must be typed, exactly, to reset the Passport (new secret; every value is lost). */
export const RESET_CONFIRMATION = 'DELETE MY PASSPORT';
/** What must be typed, exactly, to delete every value. */
export const DELETE_ALL_CONFIRMATION = 'DELETE ALL DOCUMENTS';

export interface TelegramPassportOptions {
  readonly conn: TelegramConnection;
  /** The signed-in account's Telegram user id (the mirror refuses to serve another account). */
  readonly accountId: number | bigint | string;
  /** The mirror's folder; one per account, e.g. `<dataDir>/telegram/<accountId>`. */
  readonly dir: string;
  /** Seals the mirror with a key kept in the keychain; null = keyless mirror (tests, no keychain). */
  readonly keychain: Keychain | null;
  readonly now?: () => number;
  /**
   * When the connection comes back online while unlocked with edits queued (or after working
   * offline): send the queue and refresh the mirror by itself. Default true.
   */
  readonly autoSync?: boolean;
  /** Told what each automatic sync did (conflicts and failures included). */
  readonly onAutoSync?: (report: SyncReport | { error: { code: string; message: string } }) => void;
}

export type PassportMode = 'online' | 'offline';

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

export type { FileInfo, PassportValue } from '../value-view';

export interface SyncReport {
  applied: SecureValueTypeName[];
  conflicts: { type: SecureValueTypeName; base: string | null; server: string | null }[];
  failed: { type: SecureValueTypeName; code: string; message: string }[];
  /** Telegram became unreachable during the sync; the rest stays queued. */
  offline: boolean;
}

export interface SaveResult {
  type: SecureValueTypeName;
  /** 'saved' on Telegram (and mirrored); 'queued' offline, sent by a later `sync()`. */
  status: 'saved' | 'queued';
}

export interface TelegramPassportStatus {
  mirror: boolean;
  unlocked: boolean;
  mode: PassportMode | null;
  /** The last unlock found the secret damaged (SECRET_CHECKSUM / SECRET_FINGERPRINT): offer the reset. */
  corrupted: boolean;
  keychain: KeychainUse['status'] | null;
  pending: { type: SecureValueTypeName; op: 'save' | 'delete'; createdAt: number }[];
  conflicts: SecureValueTypeName[];
}

const isOffline = (e: unknown): boolean => e instanceof AppError && e.code === 'OFFLINE';

/** Telegram's "wrong password" as the one code the app uses for it. */
function asWrongPassword(e: unknown): unknown {
  if (e instanceof AppError && e.code === 'PASSWORD_HASH_INVALID') return new AppError('WRONG_PASSWORD', e.message, e.details);
  return e;
}

export class TelegramPassport {
  private store: VaultStore | null;
  private keychainUse: KeychainUse | null;
  private secret: Buffer | null = null;
  private mode: PassportMode | null = null;
  /** The SRP salts of the last accepted password check (public; they change only with the password). */
  private srpSalts: { salt1: Buffer; salt2: Buffer } | null = null;
  private corrupted = false;
  private serviceErrors: ServiceError[] = [];
  private readonly conflicts = new Map<SecureValueTypeName, { base: string | null; server: string | null }>();
  private readonly syncErrors = new Map<SecureValueTypeName, { code: string; message: string }>();
  private chain: Promise<unknown> = Promise.resolve();
  private readonly accountId: string;
  private readonly conn: TelegramConnection;
  private readonly now: () => number;

  private constructor(
    private readonly options: TelegramPassportOptions,
    opened: { store: VaultStore; keychain: KeychainUse } | null,
  ) {
    this.store = opened?.store ?? null;
    this.keychainUse = opened?.keychain ?? null;
    this.accountId = BigInt(options.accountId).toString();
    this.conn = options.conn;
    this.now = options.now ?? Date.now;
    if (options.autoSync !== false) this.stopWatching = this.conn.onStatus((st) => this.onConnection(st));
  }

  private readonly stopWatching: (() => void) | undefined;

  private onConnection(st: string): void {
    if (st !== 'online' || this.secret === null || this.store === null) return;
    if (this.store.state.pendingEdits.length === 0 && this.mode !== 'offline') return;
    void this.exclusive(async () => {
      if (this.secret === null) return null;
      const report = await this.syncLocked();
      if (!report.offline) await this.refreshLocked();
      return report;
    }).then(
      (report) => {
        if (report !== null) this.options.onAutoSync?.(report);
      },
      (e: unknown) => {
        const err = e instanceof AppError ? e : new AppError('INTERNAL', 'The automatic sync failed.');
        this.options.onAutoSync?.({ error: { code: err.code, message: err.message } });
      },
    );
  }

  /** Opens the account's mirror if there is one (no password, no network needed). Locked. */
  static async open(options: TelegramPassportOptions): Promise<TelegramPassport> {
    if (!existsSync(join(options.dir, 'vault.json'))) return new TelegramPassport(options, null);
    const opened = await openVaultStore(options.dir, options.keychain);
    const tp = new TelegramPassport(options, opened);
    try {
      tp.checkMirror(opened.store.state);
    } catch (e) {
      opened.store.close();
      throw e;
    }
    return tp;
  }

  private checkMirror(state: VaultContent): void {
    if (state.origin !== 'telegram') throw new AppError('BAD_INPUT', 'This folder holds a local-only Passport, not a Telegram mirror.');
    if (state.account !== undefined && state.account.userId !== this.accountId) {
      throw new AppError('VAULT_ACCOUNT_MISMATCH', 'The Passport copy on this device belongs to another Telegram account.');
    }
  }

  /** Runs `fn` after every operation started before it (one at a time). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** A network step: OFFLINE switches to offline mode; success to online. */
  private async net<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const r = await fn();
      this.mode = 'online';
      return r;
    } catch (e) {
      if (isOffline(e)) this.mode = 'offline';
      throw e;
    }
  }

  get unlocked(): boolean {
    return this.secret !== null;
  }

  status(): TelegramPassportStatus {
    const state = this.store?.state;
    return {
      mirror: this.store !== null,
      unlocked: this.unlocked,
      mode: this.mode,
      corrupted: this.corrupted,
      keychain: this.keychainUse?.status ?? null,
      pending: (state?.pendingEdits ?? []).map((e) => ({ type: e.type, op: e.op, createdAt: e.createdAt })),
      conflicts: [...this.conflicts.keys()],
    };
  }

  /**
   * The account's 2FA state (no password needed): whether a password exists, its hint, … The hint is
   * kept in the mirror (in the background, after whatever runs now) for `mirroredHint` offline.
   */
  async passwordState(): Promise<PasswordState> {
    const st = await this.net(() => getPassword(this.conn));
    void this.keepHint(st.hasPassword ? st.hint : null).catch(() => undefined);
    return st;
  }

  /** The 2FA hint as last seen on Telegram, from the mirror: what the lock screen shows while offline. */
  mirroredHint(): string | null {
    return this.store?.state.account?.hint ?? null;
  }

  /** The hint last read from Telegram, kept for a mirror made later (first unlock on this device). */
  private seenHint: string | null = null;

  private keepHint(hint: string | null): Promise<void> {
    this.seenHint = hint === '' ? null : hint;
    return this.exclusive(async () => {
      const store = this.store;
      const account = store?.state.account;
      if (store === null || account === undefined || (account.hint ?? null) === hint) return;
      await store.commit({ ...store.state, account: { userId: account.userId, ...(hint === null || hint === '' ? {} : { hint }) } });
    });
  }

  private async mirrorStore(): Promise<VaultStore> {
    if (this.store !== null) return this.store;
    const created = await createVaultStore(this.options.dir, this.options.keychain, 'telegram');
    await created.store.commit({ ...created.store.state, account: { userId: this.accountId, ...(this.seenHint === null ? {} : { hint: this.seenHint }) } });
    this.store = created.store;
    this.keychainUse = created.keychain;
    return created.store;
  }

  private requireSecret(): Buffer {
    if (this.secret === null) throw new AppError('VAULT_LOCKED', 'Unlock the Passport with your password first.');
    return this.secret;
  }

  private requireStore(): VaultStore {
    if (this.store === null) throw new AppError('VAULT_LOCKED', 'Unlock the Passport with your password first.');
    return this.store;
  }

  private setSecret(secret: Buffer): void {
    if (this.secret !== null && this.secret !== secret) this.secret.fill(0);
    this.secret = secret;
  }

  /** Stores the secure settings in the mirror; queued edits made under another secret are dropped. */
  private async adoptSettings(settings: SecureSecretSettings, extra: Partial<VaultContent> = {}): Promise<number> {
    const store = await this.mirrorStore();
    const state = store.state;
    const sameSecret = state.secretSettings?.secretId === settings.secretId.toString();
    const dropped = sameSecret ? 0 : state.pendingEdits.length;
    const unchanged =
      Object.keys(extra).length === 0 && state.account?.userId === this.accountId && isDeepStrictEqual(state.secretSettings, toMirrorSettings(settings));
    // Nothing to write (every unlock with the same settings): spare the state file its fsyncs.
    if (unchanged) return 0;
    await store.commit({
      ...state,
      account: { ...state.account, userId: this.accountId },
      secretSettings: toMirrorSettings(settings),
      ...(sameSecret ? {} : { pendingEdits: [] }),
      ...extra,
    });
    if (!sameSecret) {
      this.conflicts.clear();
      this.syncErrors.clear();
    }
    return dropped;
  }

  /** A new secret (mixing secure_random), wrapped with PBKDF2 under the password, stored on Telegram. */
  private async createSecret(password: string): Promise<{ secret: Buffer; settings: SecureSecretSettings }> {
    const pw = await getPassword(this.conn);
    if (pw.newSecureSalt === null) throw new AppError('UNSUPPORTED_ALGO', 'Telegram did not offer a passport secret algorithm this app knows.');
    const secret = generatePassportSecret(pw.secureRandom);
    try {
      const settings = await wrapPassportSecret(secret, password, pw.newSecureSalt);
      await updateSecureSettings(this.conn, password, settings);
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
  unlock(password: string): Promise<UnlockResult> {
    return this.exclusive(async () => {
      if (password === '') throw new AppError('BAD_INPUT', 'Enter your password.');
      // The mirror's copy of the secure settings is opened (PBKDF2) while Telegram checks the
      // password (SRP, another PBKDF2), instead of one after the other. Its result is used only
      // if Telegram accepts the password and its settings are the mirror's, or for the offline
      // fallback, which checks the password against the mirror exactly as unlockOffline does.
      const mirrorSettings = this.store?.state.secretSettings ?? null;
      const local = this.openMirrorSecret(mirrorSettings, password);
      // Likewise the SRP hash starts at once with the last salts, instead of after account.getPassword
      // answered; and the (encrypted) values are fetched meanwhile: that costs no password, and the
      // unlock then waits for one round trip less.
      const ahead = this.srpSalts === null ? undefined : { ...this.srpSalts, hash: srpPasswordHash(password, this.srpSalts.salt1, this.srpSalts.salt2) };
      ahead?.hash.catch(() => undefined);
      const values = this.conn.knownUnreachable ? undefined : getAllSecureValues(this.conn);
      values?.catch(() => undefined); // refreshLocked() fetches again if this failed
      try {
        return await this.unlockWith(password, mirrorSettings, local, ahead, values);
      } finally {
        // The mirror's copy is wiped unless it became the unlocked secret (offline).
        void local.then((secret) => {
          if (secret !== null && secret !== this.secret) secret.fill(0);
        });
        void ahead?.hash.then((h) => h.fill(0), () => undefined);
      }
    });
  }

  private async unlockWith(
    password: string,
    mirrorSettings: VaultContent['secretSettings'],
    local: Promise<Buffer | null>,
    ahead: SrpHashAhead | undefined,
    values: Promise<SecureValue[]> | undefined,
  ): Promise<UnlockResult> {
    {
      let remote;
      try {
        const online = getPasswordSettings(this.conn, password, ahead);
        online.catch(() => undefined); // not unhandled when the offline fallback leaves it behind
        // Telegram known to be unreachable (the last connection attempt failed): once the mirror
        // has opened, go offline at once rather than after the request timeout.
        const early = local.then((secret) => (this.conn.knownUnreachable ? secret : new Promise<never>(() => undefined)));
        const first = await Promise.race([online.then((r) => ({ kind: 'online' as const, r })), early.then((secret) => ({ kind: 'offline' as const, secret }))]);
        if (first.kind === 'offline') {
          this.mode = 'offline';
          if (first.secret === null) return await this.unlockOffline(password); // reports why the mirror does not open
          this.setSecret(first.secret);
          this.mode = 'offline';
          return { mode: 'offline', created: false, migrated: false, droppedEdits: 0, sync: null };
        }
        remote = first.r;
        this.srpSalts = remote.srpSalts;
        this.mode = 'online';
      } catch (e) {
        if (!isOffline(e)) throw asWrongPassword(e);
        this.mode = 'offline';
        const secret = await local;
        if (secret !== null) {
          this.setSecret(secret);
          return { mode: 'offline', created: false, migrated: false, droppedEdits: 0, sync: null };
        }
        return this.unlockOffline(password); // reports why the mirror does not open
      }
      let created = false;
      let migrated = false;
      let secret: Buffer;
      let settings = remote.secureSettings;
      if (settings === null) {
        ({ secret, settings } = await this.createSecret(password));
        created = true;
      } else if (settings.algo === KDF_SHA512) {
        // Legacy algo: open it, re-wrap it with PBKDF2 under a fresh salt, save that silently.
        const fresh = await this.net(() => getPassword(this.conn));
        if (fresh.newSecureSalt === null) {
          secret = await this.openChecked(settings, password); // nothing better on offer: keep it as is
        } else {
          const pw = Buffer.from(password, 'utf8');
          let rewrapped;
          try {
            rewrapped = await rewrapLegacyPassportSecret(
              { encryptedSecret: settings.encryptedSecret, password: pw, salt: settings.salt, expectedSecretId: settings.secretId, passwordVerified: true },
              fresh.newSecureSalt,
            );
          } catch (e) {
            this.markCorrupted(e);
            throw e;
          } finally {
            pw.fill(0);
          }
          secret = rewrapped.secret;
          const next: SecureSecretSettings = { algo: KDF_PBKDF2, salt: rewrapped.salt, encryptedSecret: rewrapped.encryptedSecret, secretId: rewrapped.secretId };
          try {
            await updateSecureSettings(this.conn, password, next);
            settings = next;
            migrated = true;
          } catch (e) {
            // Offline now: not fatal, the secret is open and the next online unlock tries again.
            if (!isOffline(e)) {
              secret.fill(0);
              throw asWrongPassword(e);
            }
          }
        }
      } else {
        const sameAsMirror = mirrorSettings !== null && isDeepStrictEqual(toMirrorSettings(settings), mirrorSettings);
        const opened = sameAsMirror ? await local : null;
        if (opened !== null) {
          secret = Buffer.from(opened); // `local` itself is wiped by unlock()
        } else {
          secret = await this.openChecked(settings, password);
        }
      }
      this.corrupted = false;
      const droppedEdits = await this.adoptSettings(settings);
      this.setSecret(secret);
      let sync: SyncReport | null = null;
      try {
        // Values fetched before a new or re-wrapped secret was saved may be gone now: fetch again.
        await this.refreshLocked(created || migrated ? undefined : values);
        sync = await this.syncLocked();
      } catch (e) {
        if (!isOffline(e)) throw e;
      }
      return { mode: this.mode ?? 'online', created, migrated, droppedEdits, sync };
    }
  }

  /** The passport secret from the mirror's settings, or null if there are none or they do not open. */
  private openMirrorSecret(settings: VaultContent['secretSettings'], password: string): Promise<Buffer | null> {
    if (settings === null || settings.algo !== KDF_PBKDF2) return Promise.resolve(null);
    const pw = Buffer.from(password, 'utf8');
    return unlockSecretSettings(settings, pw).then(
      (secret) => secret,
      () => null,
    ).finally(() => pw.fill(0));
  }

  /** Opens the secret with a password Telegram has just accepted: a failed check means damage. */
  private async openChecked(settings: SecureSecretSettings, password: string): Promise<Buffer> {
    try {
      return await openPassportSecret(settings, password);
    } catch (e) {
      this.markCorrupted(e);
      throw e;
    }
  }

  private markCorrupted(e: unknown): void {
    if (e instanceof AppError && (e.code === 'SECRET_CHECKSUM' || e.code === 'SECRET_FINGERPRINT')) this.corrupted = true;
  }

  private async unlockOffline(password: string): Promise<UnlockResult> {
    const settings = this.store?.state.secretSettings ?? null;
    if (this.store === null || settings === null) {
      throw new AppError('OFFLINE', 'Telegram cannot be reached, and this device has no copy of your Passport yet.');
    }
    const pw = Buffer.from(password, 'utf8');
    try {
      this.setSecret(await unlockSecretSettings(settings, pw));
    } finally {
      pw.fill(0);
    }
    this.mode = 'offline';
    return { mode: 'offline', created: false, migrated: false, droppedEdits: 0, sync: null };
  }

  /**
   * No 2FA password yet: creates it together with the passport secret (one call), optionally with a
   * recovery e-mail, which then waits for its code (`confirmRecoveryEmail`). Leaves the Passport unlocked.
   */
  setupPassword(password: string, hint: string, email?: string): Promise<{ emailUnconfirmed: { codeLength: number } | null }> {
    return this.exclusive(async () => {
      const res = await this.net(() => setPassword(this.conn, { password, hint, ...(email !== undefined && email !== '' ? { email } : {}), createPassportSecret: true }));
      const created = res.passportSecret;
      if (created === null) throw new AppError('INTERNAL', 'The passport secret was not created.');
      const back = await getPasswordSettings(this.conn, password).catch((e: unknown) => {
        created.secret.fill(0);
        throw e;
      });
      this.srpSalts = back.srpSalts;
      if (back.secureSettings === null || back.secureSettings.secretId !== created.secretId) {
        created.secret.fill(0);
        throw new AppError('TELEGRAM_ERROR', 'Telegram did not keep the new passport secret.');
      }
      await this.adoptSettings(back.secureSettings, { values: [], pendingEdits: [] });
      this.setSecret(created.secret);
      this.corrupted = false;
      return { emailUnconfirmed: res.emailUnconfirmed };
    });
  }

  confirmRecoveryEmail(code: string): Promise<void> {
    return this.exclusive(() => this.net(() => confirmPasswordEmail(this.conn, code)));
  }

  /**
   * Changes the 2FA password, re-encrypting the SAME passport secret under the new one in the same
   * call (values stay readable). Needs the Passport unlocked and Telegram reachable. `hint` replaces
   * the old hint ('' = none).
   */
  changePassword(current: string, next: string, hint = ''): Promise<void> {
    return this.exclusive(async () => {
      const secret = this.requireSecret();
      const remote = await this.net(() => getPasswordSettings(this.conn, current)).catch((e: unknown) => {
        throw asWrongPassword(e);
      });
      // Re-wrapping a secret that is no longer the account's would make Telegram drop every value.
      if (remote.secureSettings?.secretId !== secretFingerprint(secret)) {
        throw new AppError('SECURE_SECRET_MISMATCH', 'Your Telegram Passport key changed on another device. Unlock it again first.');
      }
      const res = await apiChangePassword(this.conn, { current, next, hint, passportSecret: secret }).catch((e: unknown) => {
        throw asWrongPassword(e);
      });
      this.srpSalts = null; // the new password has new SRP salts: no hash ahead with the old ones
      if (res.secureSettings === null) throw new AppError('INTERNAL', 'The passport secret was not re-wrapped.');
      await this.adoptSettings(res.secureSettings);
    });
  }

  /**
   * Resets the Passport: a new passport secret replaces the old one, and Telegram drops every value
   * saved under the old one. For a damaged secret (SECRET_CHECKSUM / SECRET_FINGERPRINT). Runs only
   * with `confirmation` exactly RESET_CONFIRMATION, and needs the password (Telegram checks it).
   */
  resetPassport(password: string, confirmation: string): Promise<void> {
    return this.exclusive(async () => {
      if (confirmation !== RESET_CONFIRMATION) {
        throw new AppError('CONFIRMATION_REQUIRED', `Type ${RESET_CONFIRMATION} to reset your Passport.`, { expected: RESET_CONFIRMATION });
      }
      await this.net(() => getPasswordSettings(this.conn, password)).catch((e: unknown) => {
        throw asWrongPassword(e);
      });
      const { secret, settings } = await this.createSecret(password);
      await this.adoptSettings(settings, { values: [], pendingEdits: [] });
      this.setSecret(secret);
      this.corrupted = false;
      this.conflicts.clear();
      this.syncErrors.clear();
    });
  }

  /**
   * Writes a backup (backup/format.ts) of the mirror: every value as mirrored here, queued edits
   * included. Unlocked, with the open secret; locked, `password` opens the secret the mirror keeps
   * for this export only: that is how a backup can still be made when Telegram's copy of the key is
   * damaged (the mirror keeps the last one that opened).
   */
  backupTo(outPath: string, password: string | undefined, now: Date, onProgress?: (done: number, total: number) => void): Promise<Counts> {
    return this.exclusive(async () => {
      const store = this.store;
      const settings = store?.state.secretSettings ?? null;
      if (store === null || settings === null) throw new AppError('VAULT_NOT_FOUND', 'There is no copy of your Passport on this device to back up.');
      if (this.secret !== null) return exportBackup(store, this.secret, outPath, now, onProgress);
      if (password === undefined) throw new AppError('VAULT_LOCKED', 'Unlock the Passport with your password first.');
      return exportBackupWithPassword(store, password, outPath, now, onProgress);
    });
  }

  /** Forgotten password: Telegram e-mails a code to the recovery address; returns it masked. */
  requestRecovery(): Promise<{ emailPattern: string }> {
    return this.exclusive(() => this.net(() => requestPasswordRecovery(this.conn)));
  }

  /**
   * Recovers the account with the e-mailed code (optionally setting a new password in the same step).
   * Telegram then drops the passport secret and every value (they were encrypted under the old
   * password), so the mirror follows: its values, queued edits and the old wrapped secret go too,
   * and so does a remembered secret. The next unlock with a new password creates a new, empty Passport.
   */
  recoverPassword(code: string, next?: { password: string; hint: string }): Promise<void> {
    return this.exclusive(async () => {
      await this.net(() => apiRecoverPassword(this.conn, code, next));
      this.srpSalts = null;
      this.lock();
      this.corrupted = false;
      this.conflicts.clear();
      this.syncErrors.clear();
      const store = this.store;
      if (store === null) return;
      await store.commit({ ...store.state, secretSettings: null, values: [], pendingEdits: [] });
      await store.collectGarbage().catch(() => undefined);
      await this.options.keychain?.forgetPassportSecret(store.info.vaultId).catch(() => undefined);
    });
  }

  /**
   * Keeps the unlocked secret in the keychain for `days` (the person opted in), keyed by this
   * mirror's vault id; true when stored, else why not (no keychain, keychain unreachable).
   */
  async remember(days: number): Promise<true | string> {
    const secret = this.requireSecret();
    const store = this.requireStore();
    if (this.options.keychain === null) return 'No keychain is in use';
    try {
      await this.options.keychain.rememberPassportSecret(store.info.vaultId, secret, days);
      return true;
    } catch (e) {
      if (e instanceof AppError && e.code === 'KEYCHAIN_UNAVAILABLE') return e.message;
      throw e;
    }
  }

  /**
   * Unlocks with a secret remembered in the keychain, if it is still this account's (its
   * fingerprint matches the mirrored settings); the mode stays unknown until Telegram is asked.
   */
  unlockRemembered(): Promise<boolean> {
    return this.exclusive(async () => {
      const keychain = this.options.keychain;
      const settings = this.store?.state.secretSettings ?? null;
      if (keychain === null || this.store === null || settings === null) return false;
      const entry = await keychain.recallPassportSecret(this.store.info.vaultId).catch(() => null);
      if (entry === null) return false;
      if (secretFingerprint(entry.secret).toString() !== settings.secretId) {
        entry.secret.fill(0);
        await keychain.forgetPassportSecret(this.store.info.vaultId).catch(() => undefined);
        return false;
      }
      this.setSecret(entry.secret);
      return true;
    });
  }

  /**
   * The unlocked passport secret itself, for what main derives from it: opening value and file
   * secrets for a share (authorization), the key of the share history. Never leaves the main process.
   */
  currentSecret(): Buffer | null {
    return this.secret;
  }

  /** Wipes the passport secret from memory. */
  lock(): void {
    this.secret?.fill(0);
    this.secret = null;
  }

  close(): void {
    this.stopWatching?.();
    this.lock();
    this.store?.close();
    this.store = null;
  }

  /** Service errors (secureValueError*, e.g. from an authorization form) to show with the values. */
  setServiceErrors(errors: readonly ServiceError[]): void {
    this.serviceErrors = [...errors];
  }

  // ---------------------------------------------------------------------------------------- reading

  /** Every value in the mirror, decrypted (data; files as metadata: read them with `readFile`). */
  list(): Promise<PassportValue[]> {
    return this.exclusive(() => withDamage(this.requireStore(), this.listNow()));
  }

  private listNow(): PassportValue[] {
    const secret = this.requireSecret();
    const state = this.requireStore().state;
    const pending = new Set(state.pendingEdits.map((e) => e.type));
    return inCatalogueOrder(
      state.values.map((v) => {
        const isPending = pending.has(v.type);
        return viewOfValue(v, secret, {
          pending: isPending,
          conflict: this.conflicts.has(v.type),
          syncError: this.syncErrors.get(v.type) ?? null,
          serverHash: isPending ? (state.pendingEdits.find((e) => e.type === v.type)?.baseServerHash ?? null) : (v.serverHash ?? null),
          serviceErrors: this.serviceErrors,
        });
      }),
    );
  }

  /** One file of a value, decrypted (hash checked), from the mirror. */
  readFile(type: SecureValueTypeName, fileHash: string): Promise<Buffer> {
    return this.exclusive(async () => {
      const secret = this.requireSecret();
      const store = this.requireStore();
      const v = store.state.values.find((x) => x.type === type);
      const f = v === undefined ? undefined : filesOf(v).find((x) => x.fileHash === fileHash);
      if (f === undefined) throw new AppError('BAD_INPUT', 'This document has no such file.');
      return decryptStoredFile(store, f, secret);
    });
  }

  /** Fetches every value from Telegram into the mirror (values with queued edits keep the edit). */
  refresh(): Promise<void> {
    return this.exclusive(() => this.refreshLocked());
  }

  /** `fetched`: account.getAllSecureValues already under way (unlock); fetched again if it failed. */
  private async refreshLocked(fetched?: Promise<SecureValue[]>): Promise<void> {
    this.requireSecret();
    const store = this.requireStore();
    const fetch = (): Promise<SecureValue[]> => getAllSecureValues(this.conn);
    const server = await this.net(() => (fetched === undefined ? fetch() : fetched.catch(fetch)));
    const state = store.state;
    const pending = new Set(state.pendingEdits.map((e) => e.type));
    const old = new Map(state.values.map((v) => [v.type, v]));
    const now = this.now();
    const values: StoredValue[] = state.values.filter((v) => pending.has(v.type));
    const download = (f: Parameters<typeof downloadSecureFile>[1]): Promise<Buffer> => this.net(() => downloadSecureFile(this.conn, f));
    for (const sv of server) {
      if (pending.has(sv.type)) continue;
      values.push(await mirrorServerValue(store, sv, old.get(sv.type), download, now));
    }
    // Telegram has nothing new (the usual unlock): the mirror stays as it is, no commit.
    if (isDeepStrictEqual(values, state.values)) return;
    await store.commit({ ...store.state, values });
  }

  // ---------------------------------------------------------------------------------------- writing

  /**
   * Validates, encrypts and saves one value (replacing the one of its type). Online it goes to
   * Telegram at once (new scans uploaded in parallel, kept ones reused by id) — SYNC_CONFLICT if the
   * value changed on Telegram since it was last fetched, and then nothing is changed; offline it is
   * queued. `onProgress` reports uploaded bytes.
   */
  save(input: TelegramValueInput, onProgress?: TransferProgress): Promise<SaveResult> {
    return this.exclusive(async () => {
      const secret = this.requireSecret();
      const store = this.requireStore();
      const state = store.state;
      const current = state.values.find((v) => v.type === input.type);
      const value = await buildStoredValue(store, input, current, secret, this.now());
      const base = baseServerHashFor(state, input.type);
      if (this.mode !== 'offline') {
        try {
          const pushed = await this.pushValue(value, base, onProgress);
          await this.commitPushed(input.type, pushed);
          return { type: input.type, status: 'saved' };
        } catch (e) {
          if (!isOffline(e)) {
            await store.collectGarbage().catch(() => undefined); // the new scans' blobs
            throw e;
          }
        }
      }
      await store.commit(enqueueEdit(store.state, { type: input.type, op: 'save', value }, this.now()));
      this.conflicts.delete(input.type);
      this.syncErrors.delete(input.type);
      return { type: input.type, status: 'queued' };
    });
  }

  /** Deletes one value (on Telegram when online, else queued). SYNC_CONFLICT as for `save`. */
  remove(type: SecureValueTypeName): Promise<SaveResult> {
    return this.exclusive(async () => {
      this.requireSecret();
      const store = this.requireStore();
      const base = baseServerHashFor(store.state, type);
      if (this.mode !== 'offline') {
        try {
          await this.pushDelete(type, base);
          const state = store.state;
          await store.commit({ ...state, values: state.values.filter((v) => v.type !== type), pendingEdits: state.pendingEdits.filter((e) => e.type !== type) });
          this.conflicts.delete(type);
          this.syncErrors.delete(type);
          return { type, status: 'saved' };
        } catch (e) {
          if (!isOffline(e)) throw e;
        }
      }
      await store.commit(enqueueEdit(store.state, { type, op: 'delete' }, this.now()));
      this.conflicts.delete(type);
      this.syncErrors.delete(type);
      return { type, status: 'queued' };
    });
  }

  /** Deletes every value on Telegram and in the mirror (queued edits too). Online only; typed confirmation. */
  removeAll(confirmation: string): Promise<void> {
    return this.exclusive(async () => {
      if (confirmation !== DELETE_ALL_CONFIRMATION) {
        throw new AppError('CONFIRMATION_REQUIRED', `Type ${DELETE_ALL_CONFIRMATION} to delete every document.`, { expected: DELETE_ALL_CONFIRMATION });
      }
      this.requireSecret();
      const store = this.requireStore();
      await this.net(() => deleteSecureValues(this.conn, SECURE_VALUE_TYPE_NAMES));
      await store.commit({ ...store.state, values: [], pendingEdits: [] });
      this.conflicts.clear();
      this.syncErrors.clear();
    });
  }

  /** Sends queued edits (in order). Conflicts and failures stay queued and are reported. */
  sync(onProgress?: TransferProgress): Promise<SyncReport> {
    return this.exclusive(async () => {
      this.requireSecret();
      return this.syncLocked(onProgress);
    });
  }

  /**
   * The version of a document in conflict that Telegram holds now (another device saved it),
   * decrypted here for the person to compare with their queued edit; null if it was deleted there.
   */
  otherVersion(type: SecureValueTypeName): Promise<OtherVersion | null> {
    return this.exclusive(async () => {
      const secret = this.requireSecret();
      if (!this.requireStore().state.pendingEdits.some((e) => e.type === type)) throw new AppError('BAD_INPUT', 'There is no queued edit of this document.');
      const [current] = await this.net(() => getSecureValues(this.conn, [type]));
      return current === undefined ? null : otherVersionOf(current, secret);
    });
  }

  /**
   * Settles a conflict (or a failed edit): 'theirs' drops the queued edit and takes Telegram's
   * version; 'mine' sends the queued edit over Telegram's newer version. `seen`: the server hash of
   * the other version the person was shown (null: shown as deleted); keeping mine is then refused
   * (SYNC_CONFLICT) if Telegram holds something else by now, so nothing is overwritten unseen.
   */
  resolve(type: SecureValueTypeName, choice: 'mine' | 'theirs', onProgress?: TransferProgress, seen?: string | null): Promise<SyncReport> {
    return this.exclusive(async () => {
      this.requireSecret();
      const store = this.requireStore();
      const state = store.state;
      const edit = state.pendingEdits.find((e) => e.type === type);
      if (edit === undefined) throw new AppError('BAD_INPUT', 'There is no queued edit of this document.');
      const [current] = await this.net(() => getSecureValues(this.conn, [type]));
      if (choice === 'mine' && seen !== undefined && valueHashOf(current ?? null) !== seen) {
        throw new AppError('SYNC_CONFLICT', 'The document changed again on your other device. Look at its version again before choosing.', { type });
      }
      if (choice === 'theirs') {
        const values = state.values.filter((v) => v.type !== type);
        if (current !== undefined) {
          const download = (f: Parameters<typeof downloadSecureFile>[1]): Promise<Buffer> => this.net(() => downloadSecureFile(this.conn, f));
          values.push(await mirrorServerValue(store, current, undefined, download, this.now()));
        }
        await store.commit({ ...store.state, values, pendingEdits: store.state.pendingEdits.filter((e) => e.id !== edit.id) });
        this.conflicts.delete(type);
        this.syncErrors.delete(type);
        return { applied: [], conflicts: [], failed: [], offline: false };
      }
      const rebased: PendingEdit = { ...edit, baseServerHash: valueHashOf(current ?? null) };
      await store.commit({ ...state, pendingEdits: state.pendingEdits.map((e) => (e.id === edit.id ? rebased : e)) });
      this.conflicts.delete(type);
      return this.syncLocked(onProgress);
    });
  }

  private async syncLocked(onProgress?: TransferProgress): Promise<SyncReport> {
    const store = this.requireStore();
    const report: SyncReport = { applied: [], conflicts: [], failed: [], offline: false };
    for (const edit of store.state.pendingEdits) {
      try {
        if (edit.op === 'delete') {
          await this.pushDelete(edit.type, edit.baseServerHash);
          const state = store.state;
          await store.commit({ ...state, pendingEdits: state.pendingEdits.filter((e) => e.id !== edit.id) });
        } else {
          if (edit.value === undefined) throw new AppError('VAULT_CORRUPT', 'A queued edit has no value.');
          const pushed = await this.pushValue(edit.value, edit.baseServerHash, onProgress);
          await this.commitPushed(edit.type, pushed);
        }
        this.conflicts.delete(edit.type);
        this.syncErrors.delete(edit.type);
        report.applied.push(edit.type);
      } catch (e) {
        if (isOffline(e)) {
          report.offline = true;
          break;
        }
        if (e instanceof AppError && e.code === 'SYNC_CONFLICT') {
          const c = { base: edit.baseServerHash, server: typeof e.details?.server === 'string' ? e.details.server : null };
          this.conflicts.set(edit.type, c);
          report.conflicts.push({ type: edit.type, ...c });
          continue;
        }
        const err = e instanceof AppError ? e : new AppError('INTERNAL', 'The edit could not be sent.');
        this.syncErrors.set(edit.type, { code: err.code, message: err.message });
        report.failed.push({ type: edit.type, code: err.code, message: err.message });
      }
    }
    return report;
  }

  private conflict(type: SecureValueTypeName, base: string | null, server: string | null): AppError {
    const details: Record<string, string> = { type };
    if (base !== null) details.base = base;
    if (server !== null) details.server = server;
    return new AppError('SYNC_CONFLICT', `Your ${secureValueTypeInfo(type).label.toLowerCase()} was changed on another device meanwhile; nothing was overwritten.`, details);
  }

  /** Uploads what Telegram does not have yet and saves the value; returns its mirrored form. */
  private async pushValue(value: StoredValue, base: string | null, onProgress?: TransferProgress): Promise<StoredValue> {
    const secret = this.requireSecret();
    const store = this.requireStore();
    const [found] = await this.net(() => getSecureValues(this.conn, [value.type]));
    const current = found ?? null;
    const hash = valueHashOf(current);
    if (hash !== base) {
      // Our own earlier push whose answer was lost (e.g. the connection dropped): already done.
      if (current !== null && sameContent(current, value)) return afterSave(value, current);
      throw this.conflict(value.type, base, hash);
    }
    const onServer = serverFileIds(current);
    const toUpload = filesOf(value).filter((f) => f.remote === undefined || !onServer.has(f.remote.id));
    const total = toUpload.reduce((n, f) => n + f.size, 0);
    const doneBy = new Map<StoredFile, number>();
    const uploaded = new Map<StoredFile, SecureFileInput>();
    await limited(
      toUpload.map((f) => async () => {
        const bytes = await store.readBlob(f.blob);
        const up = await this.net(() =>
          uploadSecureFile(this.conn, bytes, Buffer.from(f.fileHash, 'base64'), Buffer.from(f.secret, 'base64'), (done) => {
            doneBy.set(f, done);
            let sum = 0;
            for (const d of doneBy.values()) sum += d;
            onProgress?.(sum, total);
          }),
        );
        uploaded.set(f, up);
      }),
      3,
    );
    const input = await toSecureValueInput(value, (f) => Promise.resolve(uploaded.get(f) ?? storedAsRef(f)));
    const saved = await this.net(() => saveSecureValue(this.conn, input, secretFingerprint(secret)));
    return afterSave(value, saved);
  }

  private async pushDelete(type: SecureValueTypeName, base: string | null): Promise<void> {
    const [found] = await this.net(() => getSecureValues(this.conn, [type]));
    if (found === undefined) return; // gone already (our lost answer, or deleted elsewhere): nothing to overwrite
    const hash = valueHashOf(found);
    if (hash !== base) throw this.conflict(type, base, hash);
    await this.net(() => deleteSecureValues(this.conn, [type]));
  }

  private async commitPushed(type: SecureValueTypeName, pushed: StoredValue): Promise<void> {
    const store = this.requireStore();
    const state = store.state;
    await store.commit({
      ...state,
      values: [...state.values.filter((v) => v.type !== type), pushed],
      pendingEdits: state.pendingEdits.filter((e) => e.type !== type),
    });
  }
}
