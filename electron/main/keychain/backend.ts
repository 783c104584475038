/**
 * The few keytar calls the app uses, behind an interface, so the "no keychain" paths (no Secret
 * Service, locked keyring, access denied, a hanging D-Bus) can be tested with a fake and the rest
 * with the real thing. Only the main process loads this (keytar is a native module).
 */
import { AppError } from '../../common/errors';

export interface KeychainEntry {
  account: string;
  password: string;
}

export interface KeychainBackend {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<KeychainEntry[]>;
}

/** keytar itself. Loading fails (KEYCHAIN_UNAVAILABLE) where the native module cannot load. */
export async function loadKeytarBackend(): Promise<KeychainBackend> {
  try {
    const mod = (await import('keytar')) as KeychainBackend & { default?: KeychainBackend };
    const k = mod.default ?? mod;
    return {
      getPassword: (s, a) => k.getPassword(s, a),
      setPassword: (s, a, p) => k.setPassword(s, a, p),
      deletePassword: (s, a) => k.deletePassword(s, a),
      findCredentials: (s) => k.findCredentials(s),
    };
  } catch {
    throw new AppError('KEYCHAIN_UNAVAILABLE', 'The keychain module could not be loaded on this system');
  }
}
