/**
 * Where the Telegram session (which contains the auth key) is kept. The desktop app uses a
 * keychain-backed implementation; it must never be written to disk in plaintext nor sent to
 * the renderer. `MemorySessionStore` is for tests and one-shot CLI runs.
 */
import { readStringSession } from '@mtcute/core/utils.js';

/** The user a saved session belongs to (mtcute writes `self` into it at sign-in); null if it names none. */
export function sessionUserId(session: string): number | null {
  try {
    const self = readStringSession(session).self;
    return self === undefined || self === null || self.isBot ? null : self.userId;
  } catch {
    return null; // not a session we can read: treat as signed out rather than fail
  }
}

export interface SessionStore {
  load(): Promise<string | undefined>;
  save(session: string): Promise<void>;
  clear(): Promise<void>;
}

export class MemorySessionStore implements SessionStore {
  private value: string | undefined;

  constructor(initial?: string) {
    this.value = initial;
  }

  load(): Promise<string | undefined> {
    return Promise.resolve(this.value);
  }

  save(session: string): Promise<void> {
    this.value = session;
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.value = undefined;
    return Promise.resolve();
  }
}
