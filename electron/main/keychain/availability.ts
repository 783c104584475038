/**
 * Is an OS keychain usable right now? (macOS Keychain, Windows Credential Manager, Linux Secret Service
 * through libsecret, all via keytar.) A read-only probe: it lists this app's own entries and never writes.
 * A missing Secret Service can make libsecret wait on D-Bus, so the probe is bounded in time.
 */
export interface KeychainStatus {
  readonly available: boolean;
  readonly reason?: string;
}

export const KEYCHAIN_SERVICE = 'passport-vault';

type KeytarModule = { findCredentials(service: string): Promise<Array<{ account: string; password: string }>> };

async function loadKeytar(): Promise<KeytarModule> {
  const mod = (await import('keytar')) as KeytarModule & { default?: KeytarModule };
  return mod.default ?? mod;
}

export async function probeKeychain(timeoutMs = 3000, load: () => Promise<KeytarModule> = loadKeytar): Promise<KeychainStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<KeychainStatus>((resolve) => {
    timer = setTimeout(() => resolve({ available: false, reason: 'The system keychain did not answer in time.' }), timeoutMs);
  });
  const probe = (async (): Promise<KeychainStatus> => {
    let keytar: KeytarModule;
    try {
      keytar = await load();
    } catch {
      return { available: false, reason: 'The keychain module could not be loaded on this system.' };
    }
    try {
      const entries = await keytar.findCredentials(KEYCHAIN_SERVICE);
      // Drop the secrets at once: the probe only needs to know the call worked.
      entries.length = 0;
      return { available: true };
    } catch {
      return {
        available: false,
        reason:
          process.platform === 'linux'
            ? 'No unlocked Secret Service was found (GNOME Keyring or KWallet). Nothing will be remembered on this device.'
            : 'The system keychain refused access. Nothing will be remembered on this device.',
      };
    }
  })();
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
