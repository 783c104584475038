/**
 * The open Passport of this app session: which vault, whether it is unlocked, and when it locks again.
 * Locking (manual, after `idleLockMs` without vault activity, on system suspend or screen lock — the
 * Electron glue calls `lock()` for those) wipes the passport secret from memory.
 * Today it serves the local-only vault; the Telegram mirror plugs in behind the same calls.
 * Electron-free: the app, the test rig and tests share it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../common/errors';
import type { SecureValueTypeName } from '../../../common/passport';
import type { Keychain } from '../../keychain/keychain';
import { LocalVault, type ValueSummary } from '../local/local-vault';
import type { DecryptedValue, ValueInput } from '../local/value-codec';

export interface VaultServiceOptions {
  /** The app's data folder; the vault lives in `<dataDir>/vault`. */
  readonly dataDir: string;
  readonly keychain: Keychain | null;
  /** Lock after this long without a vault call; 0 = never. */
  readonly idleLockMs: number;
  readonly now?: () => number;
  /** Called on every lock (manual, idle, suspend, screen lock): other plaintext holders drop theirs too. */
  readonly onLock?: () => void;
}

export interface VaultStatus {
  readonly exists: boolean;
  readonly kind: 'local' | null;
  readonly unlocked: boolean;
  readonly keychain: 'used' | 'unavailable' | 'off' | null;
  readonly values: ValueSummary[];
  readonly idleLockMinutes: number;
}

/** The person's password in local-only mode protects everything: ask for a real one. */
export const MIN_LOCAL_PASSWORD_LENGTH = 8;

export class VaultService {
  private vault: LocalVault | null = null;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: VaultServiceOptions) {}

  /** Where the vault lives on disk. */
  get directory(): string {
    return join(this.options.dataDir, 'vault');
  }

  private get dir(): string {
    return this.directory;
  }

  /** The vault if one exists on disk (opened once, kept open; opening needs no password). */
  private async current(): Promise<LocalVault | null> {
    if (this.vault === null && existsSync(join(this.dir, 'vault.json'))) this.vault = await LocalVault.open(this.dir, this.options.keychain);
    return this.vault;
  }

  private async requireVault(): Promise<LocalVault> {
    const v = await this.current();
    if (v === null) throw new AppError('VAULT_NOT_FOUND', 'There is no Passport on this device yet.');
    return v;
  }

  /** Every vault call counts as activity and pushes the idle lock back. */
  private touch(): void {
    clearTimeout(this.idleTimer);
    if (this.options.idleLockMs > 0 && this.vault?.unlocked === true) {
      this.idleTimer = setTimeout(() => this.lock(), this.options.idleLockMs);
      this.idleTimer.unref();
    }
  }

  async status(): Promise<VaultStatus> {
    const v = await this.current();
    return {
      exists: v !== null,
      kind: v === null ? null : 'local',
      unlocked: v?.unlocked ?? false,
      keychain: v === null ? null : v.keychainUse.status,
      values: v?.list() ?? [],
      idleLockMinutes: Math.round(this.options.idleLockMs / 60_000),
    };
  }

  async createLocal(password: string): Promise<VaultStatus> {
    if ((await this.current()) !== null) throw new AppError('VAULT_EXISTS', 'This device already has a Passport.');
    if ([...password].length < MIN_LOCAL_PASSWORD_LENGTH) {
      throw new AppError('BAD_INPUT', `Choose a password of at least ${MIN_LOCAL_PASSWORD_LENGTH} characters: it is all that protects this Passport.`);
    }
    const bytes = Buffer.from(password, 'utf8');
    try {
      this.vault = await LocalVault.init(this.dir, bytes, this.options.keychain);
    } finally {
      bytes.fill(0);
    }
    this.touch();
    return this.status();
  }

  async unlock(password: string, rememberDays?: number): Promise<VaultStatus & { remembered: boolean | string }> {
    const v = await this.requireVault();
    const bytes = Buffer.from(password, 'utf8');
    let remembered: boolean | string;
    try {
      ({ remembered } = await v.unlock(bytes, rememberDays === undefined ? {} : { rememberDays }));
    } finally {
      bytes.fill(0);
    }
    this.touch();
    return { ...(await this.status()), remembered };
  }

  /** Unlocks with a secret remembered in the keychain, if the person asked for that. */
  async unlockRemembered(): Promise<boolean> {
    const v = await this.current();
    if (v === null) return false;
    const ok = await v.unlockRemembered().catch(() => false);
    this.touch();
    return ok;
  }

  lock(): void {
    clearTimeout(this.idleTimer);
    this.vault?.lock();
    this.options.onLock?.();
  }

  async read(type: SecureValueTypeName): Promise<DecryptedValue | null> {
    const v = await this.requireVault();
    this.touch();
    return v.read(type);
  }

  /**
   * Saves one value. Editing only the fields (no file slots in `input`) keeps the scans already stored:
   * a value is replaced whole on disk, so they are carried over, still encrypted only under new secrets.
   */
  async save(input: ValueInput): Promise<ValueSummary> {
    const v = await this.requireVault();
    this.touch();
    const touchesFiles = input.frontSide !== undefined || input.reverseSide !== undefined || input.selfie !== undefined || input.files !== undefined || input.translation !== undefined;
    if (touchesFiles) return v.save(input);
    const old = await v.read(input.type);
    try {
      return await v.save({
        ...input,
        ...(old?.frontSide ? { frontSide: old.frontSide } : {}),
        ...(old?.reverseSide ? { reverseSide: old.reverseSide } : {}),
        ...(old?.selfie ? { selfie: old.selfie } : {}),
        ...(old?.files ? { files: old.files } : {}),
        ...(old?.translation ? { translation: old.translation } : {}),
      });
    } finally {
      for (const b of [old?.frontSide, old?.reverseSide, old?.selfie, ...(old?.files ?? []), ...(old?.translation ?? [])]) b?.fill(0);
    }
  }

  async remove(type: SecureValueTypeName): Promise<boolean> {
    const v = await this.requireVault();
    if (!v.unlocked) throw new AppError('VAULT_LOCKED', 'Unlock the Passport first.');
    this.touch();
    return v.remove(type);
  }

  close(): void {
    clearTimeout(this.idleTimer);
    this.vault?.close();
    this.vault = null;
  }
}
