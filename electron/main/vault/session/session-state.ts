/**
 * The state the parts of a vault session share (which vault is open, the idle lock, the cached 2FA
 * state, the progress, the services' errors): one plain object, made by the façade (vault-service.ts)
 * and passed to every part; nothing else keeps any of it. The helpers here are the few rules every
 * part applies the same way: activity pushes the idle lock back, locking tells the other plaintext
 * holders, progress is cleared when the operation ends, a password as bytes is wiped after use.
 */
import { join } from 'node:path';
import type { Keychain } from '../../keychain/keychain';
import type { TelegramConnection } from '../../telegram/connection';
import type { PasswordState, TransferProgress } from '../../telegram/passport-api';
import type { LocalVault } from '../local/local-vault';
import type { ServiceError } from '../telegram/service-errors';
import type { TelegramPassport } from '../telegram/telegram-passport';

/** The signed-in Telegram account, as the vault needs it. */
export interface TelegramAccountLink {
  /** The account's user id: from the sign-in, or from the saved session while offline; null when signed out. */
  userId(): Promise<number | null>;
  connection(): TelegramConnection;
  /** The 2FA password typed at sign-in, handed over once for the unlock (the caller wipes it); null: none kept. */
  takeSignInPassword?(): Buffer | null;
  /** How long that password is still kept (ms); null: none. */
  signInPasswordMs?(): number | null;
  /** Wipes it now. */
  forgetSignInPassword?(): void;
}

export interface VaultServiceOptions {
  /** The app's data folder; the local vault lives in `<dataDir>/vault`, mirrors in `<dataDir>/telegram/<id>`. */
  readonly dataDir: string;
  readonly keychain: Keychain | null;
  /** Lock after this long without a vault call; 0 = never. */
  readonly idleLockMs: number;
  readonly now?: () => number;
  /** Called on every lock (manual, idle, suspend, screen lock): other plaintext holders drop theirs too. */
  readonly onLock?: () => void;
  /** Called after every successful unlock (password or remembered). */
  readonly onUnlock?: () => void;
  /** The Telegram account, when the app has one configured. */
  readonly account?: TelegramAccountLink;
}

export interface Progress {
  readonly operation: 'upload' | 'sync' | 'backup' | 'restore';
  readonly done: number;
  readonly total: number;
}

/** The vault the session works on. */
export type ActiveVault = { kind: 'local'; vault: LocalVault } | { kind: 'telegram'; passport: TelegramPassport; userId: number };

export interface SessionState {
  readonly options: VaultServiceOptions;
  /** The open vault; null until the first call finds one. */
  active: ActiveVault | null;
  idleTimer: NodeJS.Timeout | undefined;
  /** The account's 2FA state as last asked (null state: Telegram could not be reached `at`). */
  password: { state: PasswordState | null; at: number } | null;
  progress: Progress | null;
  /** What services asked to fix, per bot (from the last form each sent); shown with the values. */
  readonly serviceErrorsByBot: Map<string, ServiceError[]>;
}

export function sessionState(options: VaultServiceOptions): SessionState {
  return { options, active: null, idleTimer: undefined, password: null, progress: null, serviceErrorsByBot: new Map() };
}

export function now(s: SessionState): number {
  return (s.options.now ?? Date.now)();
}

/** Where the local-only vault lives on disk. */
export function localDirectory(s: SessionState): string {
  return join(s.options.dataDir, 'vault');
}

/** Where the mirrors of Telegram accounts live (one folder per user id). */
export function telegramDirectory(s: SessionState): string {
  return join(s.options.dataDir, 'telegram');
}

export function isUnlocked(a: ActiveVault | null): boolean {
  if (a === null) return false;
  return a.kind === 'local' ? a.vault.unlocked : a.passport.unlocked;
}

/** Wipes the open vault's secret; other holders of plaintext drop theirs (onLock), the sign-in password goes too. */
export function lock(s: SessionState): void {
  clearTimeout(s.idleTimer);
  s.options.account?.forgetSignInPassword?.();
  if (s.active?.kind === 'local') s.active.vault.lock();
  else s.active?.passport.lock();
  s.options.onLock?.();
}

/** Every vault call counts as activity and pushes the idle lock back. */
export function touch(s: SessionState): void {
  clearTimeout(s.idleTimer);
  if (s.options.idleLockMs > 0 && isUnlocked(s.active)) {
    s.idleTimer = setTimeout(() => lock(s), s.options.idleLockMs);
    s.idleTimer.unref();
  }
}

/** Closes the open vault (the next call opens one again, locked). */
export function closeActive(s: SessionState): void {
  if (s.active === null) return;
  if (s.active.kind === 'telegram') s.serviceErrorsByBot.clear(); // another account's errors are not this one's
  if (s.active.kind === 'local') s.active.vault.close();
  else s.active.passport.close();
  s.active = null;
  s.password = null;
}

/** Reports an operation's progress (for the UI to poll); each step counts as activity. */
export function tracker(s: SessionState, operation: Progress['operation']): TransferProgress {
  return (done, total) => {
    s.progress = { operation, done, total };
    touch(s);
  };
}

/** The operation is over: no progress to show; its end counts as activity. */
export function endProgress(s: SessionState): void {
  s.progress = null;
  touch(s);
}

/** Runs `fn` with the password as bytes, wiped afterwards. */
export async function withPasswordBytes<T>(password: string, fn: (bytes: Buffer) => Promise<T>): Promise<T> {
  const bytes = Buffer.from(password, 'utf8');
  try {
    return await fn(bytes);
  } finally {
    bytes.fill(0);
  }
}
