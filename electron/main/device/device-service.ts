/**
 * What this device keeps for the person, and "Forget everything on this device": every keychain entry of
 * the app (session, vault key, a remembered Passport) and every local vault file. Nothing secret is
 * returned: only which kinds of entries exist.
 */
import { rm } from 'node:fs/promises';
import { AppError } from '../../common/errors';
import type { AccountService } from '../account/account-service';
import type { Keychain } from '../keychain/keychain';
import { forgetEverything } from '../vault/forget';
import type { VaultService } from '../vault/session/vault-service';

export interface CachedOnDevice {
  readonly keychainAvailable: boolean;
  readonly reason: string | null;
  readonly session: boolean;
  readonly vaultKey: boolean;
  readonly rememberedPassport: boolean;
  readonly localVault: boolean;
}

export const FORGET_CONFIRMATION = 'FORGET';

export class DeviceService {
  constructor(private readonly deps: { readonly keychain: Keychain; readonly vault: VaultService; readonly account: AccountService }) {}

  async cached(): Promise<CachedOnDevice> {
    const localVault = this.deps.vault.vaultDirectories().length > 0;
    try {
      const names = await this.deps.keychain.listAccounts();
      return {
        keychainAvailable: true,
        reason: null,
        session: names.includes('mtproto-session'),
        vaultKey: names.some((n) => n.startsWith('vault-key:')),
        rememberedPassport: names.some((n) => n.startsWith('passport-secret:')),
        localVault,
      };
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'KEYCHAIN_UNAVAILABLE')) throw e;
      return { keychainAvailable: false, reason: e.message, session: false, vaultKey: false, rememberedPassport: false, localVault };
    }
  }

  async forgetEverything(confirmation: string): Promise<{ keychainDeleted: number | null; keychainUnavailable: string | null; vaultsRemoved: number }> {
    if (confirmation !== FORGET_CONFIRMATION) throw new AppError('BAD_INPUT', `Type ${FORGET_CONFIRMATION} to confirm.`);
    // Tell Telegram first (best effort): an abandoned session should not stay valid on the server.
    await this.deps.account.signOut().catch(() => undefined);
    const dirs = this.deps.vault.vaultDirectories();
    this.deps.vault.close();
    const r = await forgetEverything(this.deps.keychain, dirs);
    // The share history is encrypted, but which services were asked is nobody's business either.
    await rm(this.deps.vault.historyDirectory, { recursive: true, force: true });
    return {
      keychainDeleted: 'deleted' in r.keychain ? r.keychain.deleted : null,
      keychainUnavailable: 'unavailable' in r.keychain ? r.keychain.unavailable : null,
      vaultsRemoved: r.vaultsRemoved,
    };
  }
}
