/**
 * Local-only mode: a Passport that lives only on this device, in the same format as Telegram's
 * (so it can later be attached to an account): a passport secret under the password with
 * Telegram's PBKDF2 scheme, values and files encrypted under it, all kept in a vault store.
 *
 * The vault is locked (no passport secret in memory) until `unlock(password)`, or until
 * `unlockRemembered()` finds a secret the person asked to remember in the keychain.
 */
import { AppError } from '../../../common/errors';
import { secureValueTypeInfo } from '../../../common/passport';
import type { SecureValueTypeName } from '../../../common/passport';
import type { Keychain } from '../../keychain/keychain';
import { secretFingerprint } from '../../passport/crypto/secret';
import { exportBackup } from '../backup/export';
import type { Counts } from '../backup/format';
import { createSecretSettings, unlockSecretSettings } from '../secret-settings';
import { filesOf } from '../store/state';
import type { SecretSettings, StoredValue } from '../store/state';
import type { VaultStore } from '../store/vault-store';
import { createVaultStore, openVaultStore } from '../vault-keys';
import type { KeychainUse } from '../vault-keys';
import { buildStoredValue, type TelegramValueInput } from '../telegram/value-edit';
import { valueDamage, withDamage, type FileDamage } from '../value-damage';
import { inCatalogueOrder, NO_CONTEXT, viewOfValue, type PassportValue } from '../value-view';
import { decryptStoredFile, decryptValue, encryptValue } from './value-codec';
import type { DecryptedValue, ValueInput } from './value-codec';

/** What can be listed without the password: types, dates, counts. */
export interface ValueSummary {
  type: SecureValueTypeName;
  label: string;
  updatedAt: number;
  hasData: boolean;
  files: number;
}

/** A summary with the files found missing or damaged (one stat each, nothing decrypted). */
export interface CheckedSummary extends ValueSummary {
  damaged: FileDamage[];
}

export function summarize(v: StoredValue): ValueSummary {
  return {
    type: v.type,
    label: secureValueTypeInfo(v.type).label,
    updatedAt: v.updatedAt,
    hasData: v.data !== undefined || v.plainData !== undefined,
    files: filesOf(v).length,
  };
}

export class LocalVault {
  private secret: Buffer | null = null;

  private constructor(
    readonly store: VaultStore,
    readonly keychainUse: KeychainUse,
    private readonly keychain: Keychain | null,
  ) {}

  /** Creates a local vault in `dir` with a new passport secret under `password`; returns it unlocked. */
  static async init(dir: string, password: Uint8Array, keychain: Keychain | null): Promise<LocalVault> {
    // PBKDF2 first: a failure there must not leave an empty vault behind.
    const { settings, secret } = await createSecretSettings(password);
    const { store, keychain: use } = await createVaultStore(dir, keychain, 'local');
    try {
      await store.commit({ ...store.state, secretSettings: settings });
    } catch (e) {
      secret.fill(0);
      store.close();
      throw e;
    }
    const vault = new LocalVault(store, use, keychain);
    vault.secret = secret;
    return vault;
  }

  static async open(dir: string, keychain: Keychain | null): Promise<LocalVault> {
    const { store, keychain: use } = await openVaultStore(dir, keychain);
    if (store.state.origin !== 'local') {
      store.close();
      throw new AppError('BAD_INPUT', 'This vault mirrors a Telegram account; it is not a local-only vault');
    }
    return new LocalVault(store, use, keychain);
  }

  get vaultId(): string {
    return this.store.info.vaultId;
  }

  get unlocked(): boolean {
    return this.secret !== null;
  }

  private settings(): SecretSettings {
    const s = this.store.state.secretSettings;
    if (s === null) throw new AppError('VAULT_CORRUPT', 'The vault has no passport secret settings');
    return s;
  }

  /**
   * Unlocks with the password (WRONG_PASSWORD otherwise). With `rememberDays`, the secret is also
   * kept in the keychain for that many days; if the keychain is unreachable the unlock still
   * succeeds and `remembered` says why not.
   */
  async unlock(password: Uint8Array, options: { rememberDays?: number } = {}): Promise<{ remembered: boolean | string }> {
    const secret = await unlockSecretSettings(this.settings(), password);
    this.lock();
    this.secret = secret;
    if (options.rememberDays === undefined) return { remembered: false };
    if (this.keychain === null) return { remembered: 'No keychain is in use' };
    try {
      await this.keychain.rememberPassportSecret(this.vaultId, secret, options.rememberDays);
      return { remembered: true };
    } catch (e) {
      if (e instanceof AppError && e.code === 'KEYCHAIN_UNAVAILABLE') return { remembered: e.message };
      throw e;
    }
  }

  /** Unlocks with a secret remembered in the keychain; false when there is none (or it expired). */
  async unlockRemembered(): Promise<boolean> {
    if (this.keychain === null) return false;
    const entry = await this.keychain.recallPassportSecret(this.vaultId);
    if (entry === null) return false;
    if (secretFingerprint(entry.secret).toString() !== this.settings().secretId) {
      // Remembered for an older secret of this vault: useless, and it must not linger.
      entry.secret.fill(0);
      await this.keychain.forgetPassportSecret(this.vaultId);
      return false;
    }
    this.lock();
    this.secret = entry.secret;
    return true;
  }

  /**
   * The unlocked passport secret itself, for keys main derives from it (the encrypted share history).
   * Never leaves the main process; callers must not keep it.
   */
  currentSecret(): Buffer | null {
    return this.secret;
  }

  /** Wipes the passport secret from memory. */
  lock(): void {
    this.secret?.fill(0);
    this.secret = null;
  }

  private requireSecret(): Buffer {
    if (this.secret === null) throw new AppError('VAULT_LOCKED', 'Unlock the vault with its password first');
    return this.secret;
  }

  list(): ValueSummary[] {
    return this.store.state.values.map(summarize);
  }

  /** list() with each value's damaged files: a missing scan marks its value, the rest lists as usual. */
  listChecked(): CheckedSummary[] {
    return this.store.state.values.map((v) => ({ ...summarize(v), damaged: valueDamage(this.store, v) }));
  }

  /** Validates, encrypts and saves one value (replacing that type's previous value). */
  async save(input: ValueInput): Promise<ValueSummary> {
    try {
      const stored = await encryptValue(this.store, input, this.requireSecret());
      const state = this.store.state;
      const values = state.values.filter((v) => v.type !== input.type);
      values.push(stored);
      await this.store.commit({ ...state, values });
      return summarize(stored);
    } catch (e) {
      await this.store.collectGarbage().catch(() => undefined); // this save's uncommitted blobs
      throw e;
    }
  }

  /**
   * Saves an edit as the app's editor sends it: file slots left out keep their files, `null` / a
   * shorter list removes them, `{ keep: fileHash }` reorders (the same rules as the Telegram mirror).
   */
  async edit(input: TelegramValueInput, now = Date.now()): Promise<ValueSummary> {
    const state = this.store.state;
    try {
      const stored = await buildStoredValue(this.store, input, state.values.find((v) => v.type === input.type), this.requireSecret(), now);
      await this.store.commit({ ...state, values: [...state.values.filter((v) => v.type !== input.type), stored] });
      return summarize(stored);
    } catch (e) {
      await this.store.collectGarbage().catch(() => undefined); // this edit's uncommitted blobs
      throw e;
    }
  }

  /** Every value decrypted (data; files as metadata, damaged ones marked), in the catalogue's order. */
  values(): PassportValue[] {
    const secret = this.requireSecret();
    return withDamage(this.store, inCatalogueOrder(this.store.frozenState.values.map((v) => viewOfValue(v, secret, NO_CONTEXT))));
  }

  /** One file of a value, decrypted (hash checked). */
  async readFile(type: SecureValueTypeName, fileHash: string): Promise<Buffer> {
    const secret = this.requireSecret();
    const v = this.store.frozenState.values.find((x) => x.type === type);
    const f = v === undefined ? undefined : filesOf(v).find((x) => x.fileHash === fileHash);
    if (f === undefined) throw new AppError('BAD_INPUT', 'This document has no such file.');
    return decryptStoredFile(this.store, f, secret);
  }

  async read(type: SecureValueTypeName): Promise<DecryptedValue | null> {
    const secret = this.requireSecret();
    const v = this.store.state.values.find((x) => x.type === type);
    return v === undefined ? null : decryptValue(this.store, v, secret);
  }

  async remove(type: SecureValueTypeName): Promise<boolean> {
    const state = this.store.state;
    const values = state.values.filter((v) => v.type !== type);
    if (values.length === state.values.length) return false;
    await this.store.commit({ ...state, values });
    return true;
  }

  /** Exports the whole Passport to a backup file (backup/format.ts). Needs the unlocked secret. */
  async backupTo(outPath: string): Promise<Counts> {
    return exportBackup(this.store, this.requireSecret(), outPath);
  }

  /** Locks and closes the store (the vault key is wiped too). */
  close(): void {
    this.lock();
    this.store.close();
  }
}
