/**
 * The open Passport of this app session: which vault, whether it is unlocked, and when it locks again.
 *
 * Which vault: when a Telegram account is signed in (or a saved session names one while offline), the
 * account's Passport, mirrored in `<dataDir>/telegram/<userId>` (TelegramPassport); otherwise the
 * local-only vault in `<dataDir>/vault`, if one was created. Both keep Passport's own encrypted
 * format, so the calls below are the same for both; what only Telegram can do (2FA password set-up,
 * reset, sync) says so with a coded error on a local vault.
 *
 * Locking (manual, after `idleLockMs` without vault activity, on system suspend or screen lock — the
 * Electron glue calls `lock()` for those) wipes the passport secret from memory, and `onLock` tells
 * other holders of plaintext (prepared scans, previews) to drop theirs.
 * Electron-free: the app, the test rig and tests share it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../common/errors';
import { secureValueTypeInfo, type SecureValueTypeName } from '../../../common/passport';
import type { Keychain } from '../../keychain/keychain';
import type { TelegramConnection } from '../../telegram/connection';
import type { PasswordState, TransferProgress } from '../../telegram/passport-api';
import { exportBackup, exportBackupWithPassword } from '../backup/export';
import type { Counts } from '../backup/format';
import { LocalVault, type ValueSummary } from '../local/local-vault';
import { copyValues, restoreBackup, type RestoreReport } from './restore-backup';
import { TelegramPassport, DELETE_ALL_CONFIRMATION, type SyncReport } from '../telegram/telegram-passport';
import type { OtherVersion } from '../telegram/mirror';
import type { ServiceError } from '../telegram/service-errors';
import type { TelegramValueInput } from '../telegram/value-edit';
import type { FileDamage } from '../value-damage';
import type { PassportValue } from '../value-view';

/** The signed-in Telegram account, as the vault needs it. */
export interface TelegramAccountLink {
  /** The account's user id: from the sign-in, or from the saved session while offline; null when signed out. */
  userId(): Promise<number | null>;
  connection(): TelegramConnection;
}

export interface VaultServiceOptions {
  /** The app's data folder; the local vault lives in `<dataDir>/vault`, mirrors in `<dataDir>/telegram/<id>`. */
  readonly dataDir: string;
  readonly keychain: Keychain | null;
  /** Lock after this long without a vault call; 0 = never. */
  readonly idleLockMs: number;
  readonly now?: () => number;
  /** Called on every lock (manual, idle, suspend, screen lock): other plaintext holders drop theirs too. */
  readonly onLock?: () => void;
  /** Called after every successful unlock (password or remembered). */
  readonly onUnlock?: () => void;
  /** The Telegram account, when the app has one configured. */
  readonly account?: TelegramAccountLink;
}

/** What the list shows about one value: enough for its status badge, no field values. */
export interface ValueOverview extends ValueSummary {
  /** A required scan slot (front side, reverse side, or the scans of an address proof) is empty. */
  missingScans: boolean;
  /** The document's expiry date (DD.MM.YYYY), if it has one. */
  expiresOn: string | null;
  /** How many service errors still apply to it. */
  serviceErrors: number;
  /** An edit waits to be sent to Telegram. */
  pending: boolean;
  conflict: boolean;
  /** Why the value cannot be read, if it cannot. */
  problem: string | null;
  /** Its files missing or damaged on this device (the rest of the vault is fine). */
  damaged: FileDamage[];
}

export interface TelegramVaultStatus {
  mode: 'online' | 'offline' | null;
  /** null = not known (Telegram not reached yet). */
  hasPassword: boolean | null;
  hint: string | null;
  /** A recovery e-mail waits for its code (masked address). */
  emailUnconfirmedPattern: string | null;
  /** The last unlock found the passport secret damaged: offer a backup, then the reset. */
  corrupted: boolean;
  pending: number;
  conflicts: SecureValueTypeName[];
}

export interface VaultStatus {
  readonly exists: boolean;
  readonly kind: 'local' | 'telegram' | null;
  readonly unlocked: boolean;
  readonly keychain: 'used' | 'unavailable' | 'off' | null;
  readonly values: ValueOverview[];
  readonly idleLockMinutes: number;
  readonly telegram: TelegramVaultStatus | null;
}

export interface Progress {
  readonly operation: 'upload' | 'sync' | 'backup' | 'restore';
  readonly done: number;
  readonly total: number;
}

/** The person's password in local-only mode protects everything: ask for a real one. */
export const MIN_LOCAL_PASSWORD_LENGTH = 8;
/** Don't ask Telegram for the 2FA state more often than this while it cannot be reached. */
const PASSWORD_STATE_RETRY_MS = 30_000;

type Active = { kind: 'local'; vault: LocalVault } | { kind: 'telegram'; passport: TelegramPassport; userId: number };

function overview(v: PassportValue): ValueOverview {
  const info = secureValueTypeInfo(v.type);
  const missingScans =
    (info.fileSlots.includes('front_side') && v.frontSide === undefined) ||
    (info.fileSlots.includes('reverse_side') && v.reverseSide === undefined) ||
    (info.files && v.files.length === 0);
  const files = [v.frontSide, v.reverseSide, v.selfie].filter((f) => f !== undefined).length + v.files.length + v.translation.length;
  const e = v.serviceErrors;
  return {
    type: v.type,
    label: v.label,
    updatedAt: v.updatedAt,
    hasData: v.data !== undefined || v.plain !== undefined,
    files,
    missingScans,
    expiresOn: v.data?.['expiry_date'] !== undefined && v.data['expiry_date'] !== '' ? v.data['expiry_date'] : null,
    serviceErrors: e.value.length + e.lists.files.length + e.lists.translation.length + Object.keys(e.fields).length + Object.keys(e.files).length,
    pending: v.pending,
    conflict: v.conflict,
    problem: v.problem?.message ?? null,
    damaged: v.damaged,
  };
}

export class VaultService {
  private active: Active | null = null;
  private idleTimer: NodeJS.Timeout | undefined;
  private password: { state: PasswordState | null; at: number } | null = null;
  private progressNow: Progress | null = null;
  /** What services asked to fix, per bot (from the last form each sent); shown with the values. */
  private readonly serviceErrorsByBot = new Map<string, ServiceError[]>();

  constructor(private readonly options: VaultServiceOptions) {}

  /** Where the local-only vault lives on disk. */
  get directory(): string {
    return join(this.options.dataDir, 'vault');
  }

  /** Where the mirrors of Telegram accounts live (one folder per user id). */
  get telegramDirectory(): string {
    return join(this.options.dataDir, 'telegram');
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private closeActive(): void {
    if (this.active === null) return;
    if (this.active.kind === 'telegram') this.serviceErrorsByBot.clear(); // another account's errors are not this one's
    if (this.active.kind === 'local') this.active.vault.close();
    else this.active.passport.close();
    this.active = null;
    this.password = null;
  }

  /**
   * The vault this session works on, opened once and kept open (opening needs no password): the
   * signed-in account's Passport first, else the local-only vault if one exists.
   */
  private async current(): Promise<Active | null> {
    const userId = this.options.account === undefined ? null : await this.options.account.userId().catch(() => null);
    if (userId !== null && this.options.account !== undefined) {
      if (this.active?.kind === 'telegram' && this.active.userId === userId) return this.active;
      this.closeActive();
      const passport = await TelegramPassport.open({
        conn: this.options.account.connection(),
        accountId: userId,
        dir: join(this.telegramDirectory, String(userId)),
        keychain: this.options.keychain,
        ...(this.options.now ? { now: this.options.now } : {}),
      });
      passport.setServiceErrors([...this.serviceErrorsByBot.values()].flat());
      this.active = { kind: 'telegram', passport, userId };
      return this.active;
    }
    if (this.active?.kind === 'telegram') this.closeActive(); // signed out meanwhile
    if (this.active === null && existsSync(join(this.directory, 'vault.json'))) {
      this.active = { kind: 'local', vault: await LocalVault.open(this.directory, this.options.keychain) };
    }
    return this.active;
  }

  private async require(): Promise<Active> {
    const a = await this.current();
    if (a === null) throw new AppError('VAULT_NOT_FOUND', 'There is no Passport on this device yet.');
    return a;
  }

  private async requireTelegram(): Promise<TelegramPassport> {
    const a = await this.require();
    if (a.kind !== 'telegram') throw new AppError('NOT_SIGNED_IN', 'This needs your Passport in Telegram: sign in first.');
    return a.passport;
  }

  private static isUnlocked(a: Active | null): boolean {
    if (a === null) return false;
    return a.kind === 'local' ? a.vault.unlocked : a.passport.unlocked;
  }

  /** Every vault call counts as activity and pushes the idle lock back. */
  private touch(): void {
    clearTimeout(this.idleTimer);
    if (this.options.idleLockMs > 0 && VaultService.isUnlocked(this.active)) {
      this.idleTimer = setTimeout(() => this.lock(), this.options.idleLockMs);
      this.idleTimer.unref();
    }
  }

  /** The account's 2FA state, cached; unknown (null) while Telegram cannot be reached. */
  private async passwordState(passport: TelegramPassport, fresh = false): Promise<PasswordState | null> {
    const p = this.password;
    if (!fresh && p !== null && (p.state !== null || this.now() - p.at < PASSWORD_STATE_RETRY_MS)) return p.state;
    try {
      this.password = { state: await passport.passwordState(), at: this.now() };
    } catch (e) {
      if (!(e instanceof AppError) || (e.code !== 'OFFLINE' && e.code !== 'FLOOD_WAIT')) throw e;
      this.password = { state: p?.state ?? null, at: this.now() };
    }
    return this.password.state;
  }

  async status(): Promise<VaultStatus> {
    const a = await this.current();
    const idleLockMinutes = Math.round(this.options.idleLockMs / 60_000);
    if (a === null) return { exists: false, kind: null, unlocked: false, keychain: null, values: [], idleLockMinutes, telegram: null };
    if (a.kind === 'local') {
      const v = a.vault;
      const values = v.unlocked
        ? (await v.values()).map(overview)
        : (await v.listChecked()).map((s) => ({ ...s, missingScans: false, expiresOn: null, serviceErrors: 0, pending: false, conflict: false, problem: null }));
      return { exists: true, kind: 'local', unlocked: v.unlocked, keychain: v.keychainUse.status, values, idleLockMinutes, telegram: null };
    }
    const tp = a.passport;
    const st = tp.status();
    const pw = st.unlocked ? (this.password?.state ?? null) : await this.passwordState(tp);
    return {
      exists: true,
      kind: 'telegram',
      unlocked: st.unlocked,
      keychain: st.keychain,
      values: st.unlocked ? (await tp.list()).map(overview) : [],
      idleLockMinutes,
      telegram: {
        mode: st.mode,
        hasPassword: pw?.hasPassword ?? null,
        // Offline the 2FA state is unknown; the hint last seen on Telegram still helps at the lock screen.
        hint: pw !== null ? pw.hint : tp.mirroredHint(),
        emailUnconfirmedPattern: pw?.emailUnconfirmedPattern ?? null,
        corrupted: st.corrupted,
        pending: st.pending.length,
        conflicts: st.conflicts,
      },
    };
  }

  async createLocal(password: string): Promise<VaultStatus> {
    const a = await this.current();
    if (a?.kind === 'telegram') throw new AppError('VAULT_EXISTS', 'You are signed in to Telegram: your Passport lives in your account.');
    if (a !== null) throw new AppError('VAULT_EXISTS', 'This device already has a Passport.');
    if ([...password].length < MIN_LOCAL_PASSWORD_LENGTH) {
      throw new AppError('BAD_INPUT', `Choose a password of at least ${MIN_LOCAL_PASSWORD_LENGTH} characters: it is all that protects this Passport.`);
    }
    const bytes = Buffer.from(password, 'utf8');
    try {
      this.active = { kind: 'local', vault: await LocalVault.init(this.directory, bytes, this.options.keychain) };
    } finally {
      bytes.fill(0);
    }
    this.touch();
    this.options.onUnlock?.();
    return this.status();
  }

  /**
   * Unlocks with the password (local: the vault's own; Telegram: the 2FA password, online or from the
   * mirror offline). `created`: a passport secret was made on first use.
   */
  async unlock(password: string, rememberDays?: number): Promise<{ status: VaultStatus; remembered: boolean | string; created: boolean; mode: 'online' | 'offline' | null }> {
    const a = await this.require();
    let remembered: boolean | string = false;
    let created = false;
    let mode: 'online' | 'offline' | null = null;
    if (a.kind === 'local') {
      const bytes = Buffer.from(password, 'utf8');
      try {
        ({ remembered } = await a.vault.unlock(bytes, rememberDays === undefined ? {} : { rememberDays }));
      } finally {
        bytes.fill(0);
      }
    } else {
      const r = await a.passport.unlock(password);
      created = r.created;
      mode = r.mode;
      if (rememberDays !== undefined) remembered = await a.passport.remember(rememberDays);
      this.password = null; // the 2FA state may have changed (first use)
    }
    this.touch();
    this.options.onUnlock?.();
    return { status: await this.status(), remembered, created, mode };
  }

  /** Unlocks with a secret remembered in the keychain, if the person asked for that. */
  async unlockRemembered(): Promise<boolean> {
    const a = await this.current();
    if (a === null) return false;
    const ok = await (a.kind === 'local' ? a.vault.unlockRemembered() : a.passport.unlockRemembered()).catch(() => false);
    this.touch();
    if (ok) this.options.onUnlock?.();
    return ok;
  }

  lock(): void {
    clearTimeout(this.idleTimer);
    if (this.active?.kind === 'local') this.active.vault.lock();
    else this.active?.passport.lock();
    this.options.onLock?.();
  }

  /** Every value, decrypted (data; files as metadata). */
  async list(): Promise<PassportValue[]> {
    const a = await this.require();
    this.touch();
    return a.kind === 'local' ? a.vault.values() : a.passport.list();
  }

  async value(type: SecureValueTypeName): Promise<PassportValue | null> {
    return (await this.list()).find((v) => v.type === type) ?? null;
  }

  /** One file, decrypted in main (hash checked). */
  async readFile(type: SecureValueTypeName, fileHash: string): Promise<Buffer> {
    const a = await this.require();
    this.touch();
    return a.kind === 'local' ? a.vault.readFile(type, fileHash) : a.passport.readFile(type, fileHash);
  }

  /** Uploads (or sync) in progress, for the UI to poll. */
  progress(): Progress | null {
    return this.progressNow;
  }

  private tracker(operation: Progress['operation']): TransferProgress {
    return (done, total) => {
      this.progressNow = { operation, done, total };
      this.touch();
    };
  }

  /**
   * Saves one value. File slots left out keep their files (see TelegramValueInput). On Telegram it is
   * sent at once ('saved') or queued while offline ('queued').
   */
  async save(input: TelegramValueInput): Promise<{ type: SecureValueTypeName; status: 'saved' | 'queued' }> {
    const a = await this.require();
    this.touch();
    try {
      return await this.writing(() => this.saveIn(a, input));
    } finally {
      this.progressNow = null;
      this.touch();
    }
  }

  /**
   * Runs a write. When another program (the CLI) wrote to the vault since this session opened it, the
   * store refuses (VAULT_BUSY, details.changed): the session closes it, so the next call opens the
   * vault again with those changes (locked: the person unlocks again) instead of overwriting them.
   */
  private async writing<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof AppError && e.code === 'VAULT_BUSY' && e.details?.['changed'] === true) {
        this.closeActive();
        this.options.onLock?.();
      }
      throw e;
    }
  }

  private async saveIn(a: Active, input: TelegramValueInput): Promise<{ type: SecureValueTypeName; status: 'saved' | 'queued' }> {
    if (a.kind === 'local') {
      await a.vault.edit(input, this.now());
      return { type: input.type, status: 'saved' };
    }
    return a.passport.save(input, this.tracker('upload'));
  }

  async remove(type: SecureValueTypeName): Promise<{ removed: boolean; status: 'saved' | 'queued' }> {
    const a = await this.require();
    this.touch();
    if (a.kind === 'local') {
      if (!a.vault.unlocked) throw new AppError('VAULT_LOCKED', 'Unlock the Passport first.');
      const vault = a.vault;
      return { removed: await this.writing(() => vault.remove(type)), status: 'saved' };
    }
    const r = await this.writing(() => a.passport.remove(type));
    return { removed: true, status: r.status };
  }

  /** Deletes every value (typed confirmation DELETE_ALL_CONFIRMATION). */
  async removeAll(confirmation: string): Promise<void> {
    const a = await this.require();
    this.touch();
    if (a.kind === 'telegram') return a.passport.removeAll(confirmation);
    if (confirmation !== DELETE_ALL_CONFIRMATION) {
      throw new AppError('CONFIRMATION_REQUIRED', `Type ${DELETE_ALL_CONFIRMATION} to delete every document.`, { expected: DELETE_ALL_CONFIRMATION });
    }
    if (!a.vault.unlocked) throw new AppError('VAULT_LOCKED', 'Unlock the Passport first.');
    for (const v of a.vault.list()) await a.vault.remove(v.type);
  }

  // ------------------------------------------------------------------ backups

  /**
   * Writes an encrypted backup of the open Passport to `outPath` (a path main chose with the person).
   * Unlocked: with the open secret. Locked: `password` opens the secret kept on this device for this
   * export only (a damaged key on Telegram, a reset about to happen). The secret never leaves main.
   */
  async exportBackup(outPath: string, password?: string): Promise<Counts> {
    const a = await this.require();
    this.touch();
    const track = this.tracker('backup');
    try {
      if (a.kind === 'telegram') return await a.passport.backupTo(outPath, password, new Date(this.now()), track);
      const open = a.vault.currentSecret();
      if (open !== null) return await exportBackup(a.vault.store, open, outPath, new Date(this.now()), track);
      if (password === undefined || a.vault.store.state.secretSettings === null) throw new AppError('VAULT_LOCKED', 'Unlock the Passport first.');
      return await exportBackupWithPassword(a.vault.store, password, outPath, new Date(this.now()), track);
    } finally {
      this.progressNow = null;
      this.touch();
    }
  }

  /**
   * Restores a backup into the open, unlocked Passport: values of the types in the backup replace
   * the ones here (re-encrypted under this Passport's key; on Telegram, sent). `password` is the one
   * the backup was made under.
   */
  async restoreBackup(backupPath: string, password: string): Promise<RestoreReport> {
    const a = await this.require();
    if (!VaultService.isUnlocked(a)) throw new AppError('VAULT_LOCKED', 'Unlock the Passport first.');
    this.touch();
    try {
      return await restoreBackup({
        backupPath,
        password,
        scratchParent: this.options.dataDir,
        save: (input) => (a.kind === 'local' ? a.vault.edit(input, this.now()) : a.passport.save(input)),
        onProgress: (done, total) => {
          this.progressNow = { operation: 'restore', done, total };
          this.touch();
        },
      });
    } finally {
      this.progressNow = null;
      this.touch();
    }
  }

  // ------------------------------------------------------------------ local Passport → account

  /** The local-only Passport of this device while a Telegram account's is open: can it be attached? */
  async localVaultInfo(): Promise<{ exists: boolean; documents: number }> {
    const a = await this.current();
    if (a?.kind !== 'telegram' || !existsSync(join(this.directory, 'vault.json'))) return { exists: false, documents: 0 };
    const local = await LocalVault.open(this.directory, this.options.keychain);
    try {
      return { exists: true, documents: local.list().length };
    } finally {
      local.close();
    }
  }

  /**
   * Copies the local-only Passport's documents into the signed-in account's (unlocked) Passport:
   * decrypted in main with the local password, re-encrypted under the account's key and sent.
   * Documents of the same types are replaced; the local Passport stays as it is.
   */
  async attachLocal(localPassword: string): Promise<RestoreReport> {
    const a = await this.require();
    if (a.kind !== 'telegram') throw new AppError('NOT_SIGNED_IN', 'Sign in to Telegram first: the documents go into your account’s Passport.');
    if (!a.passport.unlocked) throw new AppError('VAULT_LOCKED', 'Unlock your Telegram Passport first.');
    if (!existsSync(join(this.directory, 'vault.json'))) throw new AppError('VAULT_NOT_FOUND', 'There is no local Passport on this device.');
    const local = await LocalVault.open(this.directory, this.options.keychain);
    const pw = Buffer.from(localPassword, 'utf8');
    this.touch();
    try {
      await local.unlock(pw);
      return await copyValues(local, (input) => a.passport.save(input), (done, total) => {
        this.progressNow = { operation: 'restore', done, total };
        this.touch();
      });
    } finally {
      pw.fill(0);
      local.close();
      this.progressNow = null;
      this.touch();
    }
  }

  // ------------------------------------------------------------------ Telegram only

  /** The account's connection (phone and e-mail verification). */
  async telegramConnection(): Promise<TelegramConnection> {
    await this.requireTelegram();
    if (this.options.account === undefined) throw new AppError('NOT_SIGNED_IN', 'Sign in to Telegram first.');
    return this.options.account.connection();
  }

  async setupPassword(password: string, hint: string, email?: string): Promise<{ emailUnconfirmed: { codeLength: number } | null }> {
    const tp = await this.requireTelegram();
    const r = await tp.setupPassword(password, hint, email);
    this.password = null;
    this.touch();
    this.options.onUnlock?.();
    return r;
  }

  async confirmRecoveryEmail(code: string): Promise<void> {
    const tp = await this.requireTelegram();
    await tp.confirmRecoveryEmail(code);
    this.password = null;
  }

  async changePassword(current: string, next: string, hint: string): Promise<void> {
    const tp = await this.requireTelegram();
    await tp.changePassword(current, next, hint);
    this.password = null;
    this.touch();
  }

  /** Forgotten 2FA password: a code goes to the recovery e-mail (returned masked). */
  async requestRecovery(): Promise<{ emailPattern: string }> {
    const tp = await this.requireTelegram();
    return tp.requestRecovery();
  }

  /** Recovers with the e-mailed code; Telegram (and so the mirror) drops the Passport. Locks. */
  async recoverPassword(code: string, next?: { password: string; hint: string }): Promise<void> {
    const tp = await this.requireTelegram();
    await tp.recoverPassword(code, next);
    this.password = null;
    this.lock();
  }

  async resetPassport(password: string, confirmation: string): Promise<void> {
    const tp = await this.requireTelegram();
    await tp.resetPassport(password, confirmation);
    this.touch();
  }

  async sync(): Promise<SyncReport> {
    const tp = await this.requireTelegram();
    this.touch();
    try {
      return await tp.sync(this.tracker('sync'));
    } finally {
      this.progressNow = null;
    }
  }

  async otherVersion(type: SecureValueTypeName): Promise<OtherVersion | null> {
    const tp = await this.requireTelegram();
    this.touch();
    return tp.otherVersion(type);
  }

  async resolve(type: SecureValueTypeName, choice: 'mine' | 'theirs', seen?: string | null): Promise<SyncReport> {
    const tp = await this.requireTelegram();
    this.touch();
    try {
      return await tp.resolve(type, choice, this.tracker('sync'), seen);
    } finally {
      this.progressNow = null;
    }
  }

  /** Every vault folder on this device: the local-only vault and each account's mirror. */
  vaultDirectories(): string[] {
    const dirs = existsSync(join(this.directory, 'vault.json')) ? [this.directory] : [];
    if (existsSync(this.telegramDirectory)) {
      for (const name of readdirSync(this.telegramDirectory)) {
        const dir = join(this.telegramDirectory, name);
        if (/^\d+$/.test(name) && existsSync(join(dir, 'vault.json'))) dirs.push(dir);
      }
    }
    return dirs;
  }

  /**
   * The open vault's passport secret while unlocked (null otherwise), optionally only if it is of
   * `kind`: Passport requests need the Telegram account's. Main-only; not to be kept.
   */
  passportSecret(kind?: 'local' | 'telegram'): Buffer | null {
    const a = this.active;
    if (a === null || (kind !== undefined && a.kind !== kind)) return null;
    return a.kind === 'local' ? a.vault.currentSecret() : a.passport.currentSecret();
  }

  /**
   * A service's errors on the person's Telegram values (from its authorization form), replacing that
   * service's earlier ones. They stay shown until the value they name changes (hash matching).
   */
  setServiceErrors(botId: string, errors: readonly ServiceError[]): void {
    if (errors.length === 0) this.serviceErrorsByBot.delete(botId);
    else this.serviceErrorsByBot.set(botId, [...errors]);
    if (this.active?.kind === 'telegram') this.active.passport.setServiceErrors([...this.serviceErrorsByBot.values()].flat());
  }

  /** Which Passport is open ("local", or "telegram-<user id>"), for what is kept per Passport; null if none. */
  async activeVaultName(): Promise<string | null> {
    const a = await this.current();
    if (a === null) return null;
    return a.kind === 'local' ? 'local' : `telegram-${a.userId}`;
  }

  /** Where per-Passport app data other than the vault lives (the share history). */
  get historyDirectory(): string {
    return join(this.options.dataDir, 'history');
  }

  close(): void {
    clearTimeout(this.idleTimer);
    this.closeActive();
  }
}
