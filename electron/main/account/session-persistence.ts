/**
 * Where the app keeps its Telegram session (the auth key): in the OS keychain, so a restart needs no new
 * sign-in. Without a usable keychain it lives in memory only, for this run: never in a plaintext file.
 */
import { AppError } from '../../common/errors';
import type { Keychain } from '../keychain/keychain';
import type { SessionStore } from '../telegram/session-store';

export function keychainBackedSessionStore(keychain: Keychain): SessionStore & { readonly persisted: () => boolean } {
  let inMemory: string | undefined;
  let persisted = false;
  const unavailable = (e: unknown): boolean => e instanceof AppError && e.code === 'KEYCHAIN_UNAVAILABLE';
  return {
    persisted: () => persisted,
    async load() {
      if (inMemory !== undefined) return inMemory;
      try {
        inMemory = await keychain.getSession();
        persisted = inMemory !== undefined;
      } catch (e) {
        if (!unavailable(e)) throw e;
      }
      return inMemory;
    },
    async save(session) {
      inMemory = session;
      try {
        await keychain.setSession(session);
        persisted = true;
      } catch (e) {
        if (!unavailable(e)) throw e;
        persisted = false;
      }
    },
    async clear() {
      inMemory = undefined;
      persisted = false;
      try {
        await keychain.deleteSession();
      } catch (e) {
        if (!unavailable(e)) throw e;
      }
    },
  };
}
