/**
 * What Passport requests need from the vault, over the VaultService: a keyring that opens value and
 * file secrets with the unlocked Telegram passport secret, and the share history kept per Passport
 * (one encrypted file per vault, under a key derived from that vault's secret).
 */
import { join } from 'node:path';
import { AppError } from '../../common/errors';
import { decryptValueSecret } from '../passport/crypto/value-secret';
import type { VaultService } from '../vault/session/vault-service';
import type { AuthorizationHistoryStore, PassportKeyring } from './authorization-service';
import { createEncryptedHistoryStore, type EncryptedHistoryStore } from './history-store';
import type { HistoryEntry } from '../../common/authorization/index';

export function vaultKeyring(vault: VaultService): PassportKeyring {
  return {
    decryptSecret(encryptedSecret, hash) {
      // The form's secrets are under the Telegram account's passport secret: a local vault cannot open them.
      const secret = vault.passportSecret('telegram');
      if (secret === null) return Promise.reject(new AppError('VAULT_LOCKED', 'Unlock your Passport to share it.'));
      return Promise.resolve(decryptValueSecret(encryptedSecret, secret, hash));
    },
  };
}

/** The history of the Passport open now; with none open, nothing to read and nowhere to write. */
export class PerVaultHistory implements AuthorizationHistoryStore {
  private readonly stores = new Map<string, EncryptedHistoryStore>();
  /** Declines made before any Passport exists on this device: kept in memory until one is open. */
  private readonly homeless: HistoryEntry[] = [];

  constructor(private readonly vault: VaultService) {}

  private async store(): Promise<EncryptedHistoryStore> {
    const name = await this.vault.activeVaultName();
    if (name === null) throw new AppError('VAULT_LOCKED', 'Set up or unlock your Passport to keep its history.');
    let s = this.stores.get(name);
    if (s === undefined) {
      s = createEncryptedHistoryStore(join(this.vault.historyDirectory, name), () => this.vault.passportSecret());
      this.stores.set(name, s);
    }
    return s;
  }

  async append(entry: HistoryEntry): Promise<void> {
    // A decline must never fail for want of a Passport to record it in.
    if ((await this.vault.activeVaultName()) === null) {
      this.homeless.push(entry);
      return;
    }
    return (await this.store()).append(entry);
  }

  async list(): Promise<HistoryEntry[]> {
    return (await this.store()).list();
  }

  /** Writes declines made while locked, once the vault is open (called after an unlock). */
  async flush(): Promise<void> {
    if (this.homeless.length > 0 && (await this.vault.activeVaultName()) !== null) {
      const store = await this.store();
      for (const e of this.homeless.splice(0)) await store.append(e).catch(() => undefined);
    }
    await Promise.all([...this.stores.values()].map((s) => s.flush().catch(() => undefined)));
  }
}
