/** Handlers of the `app.*` channels. Electron-specific effects come in through `AppDeps`. */
import { AppError } from '../../common/errors';
import type { NamespaceHandlers } from '../ipc/router';
import type { KeychainStatus } from '../keychain/availability';
import { isSafeExternalUrl } from '../window/policy';

export interface AppDeps {
  readonly name: string;
  readonly version: string;
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  readonly keychainStatus: () => Promise<KeychainStatus>;
  /** Opens a vetted URL in the person's browser (Electron: shell.openExternal). */
  readonly openInBrowser: (url: string) => Promise<void>;
}

const KNOWN_PLATFORMS = ['darwin', 'win32', 'linux'] as const;

export function createAppHandlers(deps: AppDeps): NamespaceHandlers<'app'> {
  return {
    async info() {
      const keychain = await deps.keychainStatus();
      return {
        name: deps.name,
        version: deps.version,
        platform: (KNOWN_PLATFORMS as readonly string[]).includes(deps.platform)
          ? (deps.platform as (typeof KNOWN_PLATFORMS)[number])
          : 'other',
        arch: deps.arch,
        keychain: keychain.reason === undefined ? { available: keychain.available } : { ...keychain },
      };
    },
    async openLink({ url }) {
      // The contract already demands http(s); the policy check is repeated here because this is the
      // last step before the OS acts on it.
      if (!isSafeExternalUrl(url)) throw new AppError('BAD_INPUT', 'Only http and https links can be opened.');
      try {
        await deps.openInBrowser(url);
        return { opened: true };
      } catch {
        return { opened: false };
      }
    },
  };
}
