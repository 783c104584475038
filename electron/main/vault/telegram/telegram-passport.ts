/**
 * The Telegram Passport of a signed-in account, end-to-end encrypted, with an offline mirror: the one
 * object the handlers and the CLI use. It holds the shared state (passport-state.ts) and puts each
 * operation in one queue (a mutex), so IPC calls cannot interleave commits; the work is done by the parts:
 * - unlock.ts: unlocking online and offline, creating and migrating the passport secret;
 * - password.ts: the 2FA password's setup, change, recovery, the Passport's reset, the hint;
 * - remembered-secret.ts: the secret kept in the keychain;
 * - values.ts: reading, saving and deleting values;  sync.ts: the edit queue and conflicts;
 * - transfer.ts: pushes with the conflict check, file uploads and downloads.
 * Electron-free: the app, the CLI and tests use it the same way.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../common/errors';
import type { SecureValueTypeName } from '../../../common/passport';
import type { Keychain } from '../../keychain/keychain';
import type { PasswordState, TransferProgress } from '../../telegram/passport-api';
import type { TelegramConnection } from '../../telegram/connection';
import { exportBackup, exportBackupWithPassword } from '../backup/export';
import type { Counts } from '../backup/format';
import type { VaultContent } from '../store/state';
import type { VaultStore } from '../store/vault-store';
import { openVaultStore, type KeychainUse } from '../vault-keys';
import type { PassportValue } from '../value-view';
import type { OtherVersion } from './mirror';
import { lockSecret, oneAtATime, requireSecret, type PassportMode, type PassportState } from './passport-state';
import * as password from './password';
import { rememberSecret, unlockRemembered } from './remembered-secret';
import type { ServiceError } from './service-errors';
import * as sync from './sync';
import { unlock, type UnlockOptions, type UnlockResult } from './unlock';
import * as values from './values';
import type { TelegramValueInput } from './value-edit';

export { RESET_CONFIRMATION } from './password';
export { DELETE_ALL_CONFIRMATION, type SaveResult } from './values';
export type { SyncReport } from './sync';
export type { UnlockOptions, UnlockResult } from './unlock';
export type { PassportMode } from './passport-state';
export type { FileInfo, PassportValue } from '../value-view';

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
  readonly onAutoSync?: (report: sync.SyncReport | { error: { code: string; message: string } }) => void;
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
  /**
   * The background check with Telegram after an unlock that showed this device's copy: 'checking' while
   * it runs; 'unconfirmed' (with `checkError`) when it could not confirm the copy; 'password_changed' when
   * Telegram refused the password that opened it; null otherwise (confirmed, or no such unlock).
   */
  check: 'checking' | 'unconfirmed' | 'password_changed' | null;
  checkError: { code: string; message: string } | null;
}

export class TelegramPassport {
  private readonly s: PassportState;
  private readonly stopWatching: (() => void) | undefined;

  private constructor(
    private readonly options: TelegramPassportOptions,
    opened: { store: VaultStore; keychain: KeychainUse } | null,
  ) {
    this.s = {
      conn: options.conn,
      accountId: BigInt(options.accountId).toString(),
      dir: options.dir,
      keychain: options.keychain,
      now: options.now ?? Date.now,
      store: opened?.store ?? null,
      keychainUse: opened?.keychain ?? null,
      secret: null,
      unlockSeq: 0,
      check: null,
      mode: null,
      srpSalts: null,
      corrupted: false,
      seenHint: null,
      serviceErrors: [],
      conflicts: new Map(),
      syncErrors: new Map(),
      exclusive: oneAtATime(),
    };
    if (options.autoSync !== false) this.stopWatching = this.s.conn.onStatus((st) => this.onConnection(st));
  }

  private onConnection(st: string): void {
    const s = this.s;
    if (st !== 'online' || s.secret === null || s.store === null) return;
    if (s.store.state.pendingEdits.length === 0 && s.mode !== 'offline') return;
    // An unlock's own check is under way (it syncs), or Telegram refused the password that opened the
    // copy (nothing is sent until the current one unlocks).
    if (s.check?.state === 'checking' || s.check?.state === 'password_changed') return;
    void s.exclusive(async () => {
      if (s.secret === null) return null;
      const report = await sync.syncQueued(s);
      if (!report.offline) {
        await values.refresh(s);
        if (s.check?.state === 'unconfirmed') s.check = { state: 'confirmed' }; // the list is Telegram's now
      }
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
    if (state.account !== undefined && state.account.userId !== this.s.accountId) {
      throw new AppError('VAULT_ACCOUNT_MISMATCH', 'The Passport copy on this device belongs to another Telegram account.');
    }
  }

  /** Runs `fn` on the state, after every operation started before it (one at a time). */
  private queued<T>(fn: (s: PassportState) => T | Promise<T>): Promise<T> {
    return this.s.exclusive(async () => fn(this.s));
  }

  get unlocked(): boolean {
    return this.s.secret !== null;
  }

  status(): TelegramPassportStatus {
    const s = this.s;
    const state = s.store?.frozenState;
    return {
      mirror: s.store !== null,
      unlocked: this.unlocked,
      mode: s.mode,
      corrupted: s.corrupted,
      keychain: s.keychainUse?.status ?? null,
      pending: (state?.pendingEdits ?? []).map((e) => ({ type: e.type, op: e.op, createdAt: e.createdAt })),
      conflicts: [...s.conflicts.keys()],
      check: s.check === null || s.check.state === 'confirmed' ? null : s.check.state,
      checkError: s.check?.state === 'unconfirmed' ? s.check.error : null,
    };
  }

  /**
   * Resolves once the background check of the last unlock (if any) has ended; never rejects. Asking is
   * the sign that the list has been shown: a check still waiting for that starts now.
   */
  checked(): Promise<void> {
    const check = this.s.check;
    if (check?.state !== 'checking') return Promise.resolve();
    check.start();
    return check.done;
  }

  // ------------------------------------------------------------------------------ unlock, password

  /** See password.ts. */
  passwordState(): Promise<PasswordState> {
    return password.passwordState(this.s);
  }

  mirroredHint(): string | null {
    return password.mirroredHint(this.s);
  }

  /** See unlock.ts; `confirm: 'background'` returns once this device's copy opened, and `checked()` tells when Telegram confirmed it. */
  unlock(pw: string, opts?: UnlockOptions): Promise<UnlockResult> {
    return this.queued((s) => unlock(s, pw, opts));
  }

  setupPassword(pw: string, hint: string, email?: string): Promise<{ emailUnconfirmed: { codeLength: number } | null }> {
    return this.queued((s) => password.setupPassword(s, pw, hint, email));
  }

  confirmRecoveryEmail(code: string): Promise<void> {
    return this.queued((s) => password.confirmRecoveryEmail(s, code));
  }

  changePassword(current: string, next: string, hint = ''): Promise<void> {
    return this.queued((s) => password.changePassword(s, current, next, hint));
  }

  resetPassport(pw: string, confirmation: string): Promise<void> {
    return this.queued((s) => password.resetPassport(s, pw, confirmation));
  }

  requestRecovery(): Promise<{ emailPattern: string }> {
    return this.queued((s) => password.requestRecovery(s));
  }

  recoverPassword(code: string, next?: { password: string; hint: string }): Promise<void> {
    return this.queued((s) => password.recoverPassword(s, code, next));
  }

  /** See remembered-secret.ts. */
  remember(days: number): Promise<true | string> {
    return rememberSecret(this.s, days);
  }

  unlockRemembered(): Promise<boolean> {
    return this.queued((s) => unlockRemembered(s));
  }

  /**
   * Writes a backup (backup/format.ts) of the mirror: every value as mirrored here, queued edits
   * included. Unlocked, with the open secret; locked, `password` opens the secret the mirror keeps
   * for this export only: that is how a backup can still be made when Telegram's copy of the key is
   * damaged (the mirror keeps the last one that opened).
   */
  backupTo(outPath: string, pw: string | undefined, now: Date, onProgress?: (done: number, total: number) => void): Promise<Counts> {
    return this.queued(async (s) => {
      const store = s.store;
      const settings = store?.state.secretSettings ?? null;
      if (store === null || settings === null) throw new AppError('VAULT_NOT_FOUND', 'There is no copy of your Passport on this device to back up.');
      if (s.secret !== null) return exportBackup(store, s.secret, outPath, now, onProgress);
      if (pw === undefined) throw new AppError('VAULT_LOCKED', 'Unlock the Passport with your password first.');
      return exportBackupWithPassword(store, pw, outPath, now, onProgress);
    });
  }

  /**
   * The unlocked passport secret itself, for what main derives from it: opening value and file
   * secrets for a share (authorization), the key of the share history. Never leaves the main process.
   */
  currentSecret(): Buffer | null {
    return this.s.secret;
  }

  /** Wipes the passport secret from memory. */
  lock(): void {
    lockSecret(this.s);
  }

  close(): void {
    this.stopWatching?.();
    this.lock();
    this.s.store?.close();
    this.s.store = null;
  }

  /** Service errors (secureValueError*, e.g. from an authorization form) to show with the values. */
  setServiceErrors(errors: readonly ServiceError[]): void {
    this.s.serviceErrors = [...errors];
  }

  // ---------------------------------------------------------------------------------- values, sync

  /** See values.ts and sync.ts. */
  list(): Promise<PassportValue[]> {
    return this.queued((s) => values.listValues(s));
  }

  readFile(type: SecureValueTypeName, fileHash: string): Promise<Buffer> {
    return this.queued((s) => values.readFile(s, type, fileHash));
  }

  refresh(): Promise<void> {
    return this.queued((s) => values.refresh(s));
  }

  save(input: TelegramValueInput, onProgress?: TransferProgress): Promise<values.SaveResult> {
    return this.queued((s) => values.saveValue(s, input, onProgress));
  }

  remove(type: SecureValueTypeName): Promise<values.SaveResult> {
    return this.queued((s) => values.removeValue(s, type));
  }

  removeAll(confirmation: string): Promise<void> {
    return this.queued((s) => values.removeAllValues(s, confirmation));
  }

  sync(onProgress?: TransferProgress): Promise<sync.SyncReport> {
    return this.queued((s) => {
      requireSecret(s);
      return sync.syncQueued(s, onProgress);
    });
  }

  otherVersion(type: SecureValueTypeName): Promise<OtherVersion | null> {
    return this.queued((s) => sync.otherVersion(s, type));
  }

  resolve(type: SecureValueTypeName, choice: 'mine' | 'theirs', onProgress?: TransferProgress, seen?: string | null): Promise<sync.SyncReport> {
    return this.queued((s) => sync.resolve(s, type, choice, onProgress, seen));
  }
}
