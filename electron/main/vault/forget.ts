/**
 * "Forget everything on this device": every keychain entry of the app and every local vault file.
 * Both halves run even if the other fails; the result says what happened to each.
 */
import { AppError } from '../../common/errors';
import type { Keychain } from '../keychain/keychain';
import { VaultStore } from './store/vault-store';

export interface ForgetResult {
  /** Keychain entries deleted, or the reason the keychain could not be reached. */
  keychain: { deleted: number } | { unavailable: string };
  vaultsRemoved: number;
}

export async function forgetEverything(keychain: Keychain | null, vaultDirs: readonly string[]): Promise<ForgetResult> {
  let keychainResult: ForgetResult['keychain'] = { deleted: 0 };
  if (keychain !== null) {
    try {
      keychainResult = { deleted: await keychain.forgetAll() };
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'KEYCHAIN_UNAVAILABLE')) throw e;
      keychainResult = { unavailable: e.message };
    }
  }
  let vaultsRemoved = 0;
  for (const dir of vaultDirs) {
    await VaultStore.destroy(dir);
    vaultsRemoved++;
  }
  return { keychain: keychainResult, vaultsRemoved };
}
