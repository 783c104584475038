/**
 * Is an OS keychain usable right now? (macOS Keychain, Windows Credential Manager, Linux Secret Service
 * through libsecret, all via keytar.) A read-only probe through the Keychain module: it lists this app's
 * own entry names and never writes. The Keychain bounds every call in time (libsecret can hang on D-Bus).
 */
import { AppError } from '../../common/errors';
import { Keychain } from './keychain';

export interface KeychainStatus {
  readonly available: boolean;
  readonly reason?: string;
}

export async function probeKeychain(keychain: Keychain = new Keychain(undefined, { timeoutMs: 3000 })): Promise<KeychainStatus> {
  try {
    await keychain.listAccounts();
    return { available: true };
  } catch (e) {
    if (e instanceof AppError && e.code === 'KEYCHAIN_UNAVAILABLE') {
      return { available: false, reason: `${e.message}. Nothing will be remembered on this device.` };
    }
    throw e;
  }
}
