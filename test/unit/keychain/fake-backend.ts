/** Keychain backends for tests: an in-memory one, and ones that fail the ways real keychains do. */
import type { KeychainBackend, KeychainEntry } from '../../../electron/main/keychain/backend';

export class MemoryBackend implements KeychainBackend {
  readonly entries = new Map<string, string>();
  private key = (s: string, a: string): string => `${s}\u0000${a}`;

  getPassword(s: string, a: string): Promise<string | null> {
    return Promise.resolve(this.entries.get(this.key(s, a)) ?? null);
  }
  setPassword(s: string, a: string, p: string): Promise<void> {
    this.entries.set(this.key(s, a), p);
    return Promise.resolve();
  }
  deletePassword(s: string, a: string): Promise<boolean> {
    return Promise.resolve(this.entries.delete(this.key(s, a)));
  }
  findCredentials(s: string): Promise<KeychainEntry[]> {
    const out: KeychainEntry[] = [];
    for (const [k, password] of this.entries) {
      const [service, account] = k.split('\u0000');
      if (service === s && account !== undefined) out.push({ account, password });
    }
    return Promise.resolve(out);
  }
}

/** Every call fails, like libsecret without a Secret Service or with a locked keyring. */
export const failingBackend: KeychainBackend = {
  getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  setPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  deletePassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  findCredentials: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
};

/** Every call hangs forever, like a D-Bus call nobody answers. */
export const hangingBackend: KeychainBackend = {
  getPassword: () => new Promise(() => undefined),
  setPassword: () => new Promise(() => undefined),
  deletePassword: () => new Promise(() => undefined),
  findCredentials: () => new Promise(() => undefined),
};
