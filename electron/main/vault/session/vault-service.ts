/**
 * The open Passport of this app session: which vault, whether it is unlocked, and when it locks again.
 * The one object the handlers, the CLI and the test rig use; it holds the shared state
 * (session-state.ts) and the work is done by the parts:
 * - open-vault.ts: which vault (the signed-in account's Passport, else the local-only one), its folders;
 * - status.ts: what the app shows (values' badges, the cached 2FA state);
 * - unlock.ts: creating the local vault, unlocking with the password or a remembered secret;
 * - values.ts: reading, saving and deleting values;  backups.ts: export and restore;
 * - attach-local.ts: the local-only Passport copied into the account's;
 * - telegram-password.ts, telegram-sync.ts: what only Telegram can do (a local vault says so with a coded error).
 *
 * Locking (manual, after `idleLockMs` without vault activity, on system suspend or screen lock — the
 * Electron glue calls `lock()` for those) wipes the passport secret from memory, and `onLock` tells
 * other holders of plaintext (prepared scans, previews) to drop theirs.
 * Electron-free: the app, the test rig and tests share it.
 */
import { join } from 'node:path';
import type { SecureValueTypeName } from '../../../common/passport';
import type { TelegramConnection } from '../../telegram/connection';
import type { Counts } from '../backup/format';
import type { OtherVersion } from '../telegram/mirror';
import type { ServiceError } from '../telegram/service-errors';
import type { SyncReport, UnlockOptions } from '../telegram/telegram-passport';
import type { TelegramValueInput } from '../telegram/value-edit';
import type { PassportValue } from '../value-view';
import { attachLocal, localVaultInfo } from './attach-local';
import { exportOpenBackup, restoreIntoOpen } from './backups';
import * as open from './open-vault';
import type { RestoreReport } from './restore-backup';
import { closeActive, lock, localDirectory, sessionState, telegramDirectory, type Progress, type SessionState, type VaultServiceOptions } from './session-state';
import { vaultStatus, type VaultStatus } from './status';
import * as password from './telegram-password';
import * as sync from './telegram-sync';
import { createLocal, unlock, unlockRemembered, unlockWithSignInPassword, whenChecked, type UnlockReport } from './unlock';
import * as values from './values';

export type { Progress, TelegramAccountLink, VaultServiceOptions } from './session-state';
export type { TelegramVaultStatus, ValueOverview, VaultStatus } from './status';
export { MIN_LOCAL_PASSWORD_LENGTH, type UnlockReport } from './unlock';

export class VaultService {
  private readonly s: SessionState;

  constructor(options: VaultServiceOptions) {
    this.s = sessionState(options);
  }

  /** Where the local-only vault lives on disk. */
  get directory(): string {
    return localDirectory(this.s);
  }

  /** Where the mirrors of Telegram accounts live (one folder per user id). */
  get telegramDirectory(): string {
    return telegramDirectory(this.s);
  }

  /** Where per-Passport app data other than the vault lives (the share history). */
  get historyDirectory(): string {
    return join(this.s.options.dataDir, 'history');
  }

  // ------------------------------------------------------------------ status, unlock (status.ts, unlock.ts)

  status(): Promise<VaultStatus> {
    return vaultStatus(this.s);
  }

  createLocal(pw: string): Promise<VaultStatus> {
    return createLocal(this.s, pw);
  }

  /** `confirm: 'background'` (the app): a Telegram Passport opens from this device's copy and is checked with Telegram afterwards (`whenChecked`). */
  unlock(pw: string, rememberDays?: number, confirm?: UnlockOptions['confirm']): Promise<UnlockReport> {
    return unlock(this.s, pw, rememberDays, confirm);
  }

  /** The status once the last unlock's background check with Telegram has ended (at once when none runs). */
  whenChecked(): Promise<VaultStatus> {
    return whenChecked(this.s);
  }

  /** With the 2FA password typed at sign-in (kept in main for this one use; unlock.ts). */
  unlockWithSignInPassword(rememberDays?: number, confirm?: UnlockOptions['confirm']): Promise<UnlockReport> {
    return unlockWithSignInPassword(this.s, rememberDays, confirm);
  }

  unlockRemembered(): Promise<boolean> {
    return unlockRemembered(this.s);
  }

  lock(): void {
    lock(this.s);
  }

  // ------------------------------------------------------------------ values (values.ts)

  list(): Promise<PassportValue[]> {
    return values.listValues(this.s);
  }

  async value(type: SecureValueTypeName): Promise<PassportValue | null> {
    return (await this.list()).find((v) => v.type === type) ?? null;
  }

  readFile(type: SecureValueTypeName, fileHash: string): Promise<Buffer> {
    return values.readFile(this.s, type, fileHash);
  }

  /** Uploads (or sync, backup, restore) in progress, for the UI to poll. */
  progress(): Progress | null {
    return this.s.progress;
  }

  save(input: TelegramValueInput): Promise<{ type: SecureValueTypeName; status: 'saved' | 'queued' }> {
    return values.saveValue(this.s, input);
  }

  remove(type: SecureValueTypeName): Promise<{ removed: boolean; status: 'saved' | 'queued' }> {
    return values.removeValue(this.s, type);
  }

  removeAll(confirmation: string): Promise<void> {
    return values.removeAllValues(this.s, confirmation);
  }

  // ------------------------------------------------------------------ backups, local Passport → account (backups.ts, attach-local.ts)

  exportBackup(outPath: string, pw?: string): Promise<Counts> {
    return exportOpenBackup(this.s, outPath, pw);
  }

  restoreBackup(backupPath: string, pw: string): Promise<RestoreReport> {
    return restoreIntoOpen(this.s, backupPath, pw);
  }

  localVaultInfo(): Promise<{ exists: boolean; documents: number }> {
    return localVaultInfo(this.s);
  }

  attachLocal(localPassword: string): Promise<RestoreReport> {
    return attachLocal(this.s, localPassword);
  }

  // ------------------------------------------------------------------ Telegram only (telegram-password.ts, telegram-sync.ts)

  telegramConnection(): Promise<TelegramConnection> {
    return open.telegramConnection(this.s);
  }

  setupPassword(pw: string, hint: string, email?: string): Promise<{ emailUnconfirmed: { codeLength: number } | null }> {
    return password.setupPassword(this.s, pw, hint, email);
  }

  confirmRecoveryEmail(code: string): Promise<void> {
    return password.confirmRecoveryEmail(this.s, code);
  }

  changePassword(current: string, next: string, hint: string): Promise<void> {
    return password.changePassword(this.s, current, next, hint);
  }

  requestRecovery(): Promise<{ emailPattern: string }> {
    return password.requestRecovery(this.s);
  }

  recoverPassword(code: string, next?: { password: string; hint: string }): Promise<void> {
    return password.recoverPassword(this.s, code, next);
  }

  resetPassport(pw: string, confirmation: string): Promise<void> {
    return password.resetPassport(this.s, pw, confirmation);
  }

  sync(): Promise<SyncReport> {
    return sync.syncQueued(this.s);
  }

  otherVersion(type: SecureValueTypeName): Promise<OtherVersion | null> {
    return sync.otherVersion(this.s, type);
  }

  resolve(type: SecureValueTypeName, choice: 'mine' | 'theirs', seen?: string | null): Promise<SyncReport> {
    return sync.resolve(this.s, type, choice, seen);
  }

  // ------------------------------------------------------------------ the open vault (open-vault.ts)

  vaultDirectories(): string[] {
    return open.vaultDirectories(this.s);
  }

  passportSecret(kind?: 'local' | 'telegram'): Buffer | null {
    return open.passportSecret(this.s, kind);
  }

  setServiceErrors(botId: string, errors: readonly ServiceError[]): void {
    open.setServiceErrors(this.s, botId, errors);
  }

  activeVaultName(): Promise<string | null> {
    return open.activeVaultName(this.s);
  }

  close(): void {
    clearTimeout(this.s.idleTimer);
    closeActive(this.s);
  }
}
