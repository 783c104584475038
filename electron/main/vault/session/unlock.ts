/**
 * Creating the local-only vault and unlocking either kind: with the password (local: the vault's own;
 * Telegram: the 2FA password, online or from the mirror offline) or with a secret remembered in the
 * keychain. Every unlock arms the idle lock and tells the app (onUnlock).
 */
import { AppError } from '../../../common/errors';
import { MIN_LOCAL_PASSWORD_LENGTH, passwordLength } from '../../../common/passport/password-rules';
import { LocalVault } from '../local/local-vault';
import type { UnlockOptions } from '../telegram/telegram-passport';
import type { PassportValue } from '../value-view';
import { currentVault, requireVault } from './open-vault';
import { localDirectory, touch, withPasswordBytes, type SessionState } from './session-state';
import { vaultStatus, type VaultStatus } from './status';

// The person's password in local-only mode protects everything: ask for a real one (the rule is shared
// with the renderer, which shows it before Create is pressed).
export { MIN_LOCAL_PASSWORD_LENGTH } from '../../../common/passport/password-rules';

export interface UnlockReport {
  status: VaultStatus;
  remembered: boolean | string;
  /** A passport secret was made on first use (Telegram). */
  created: boolean;
  mode: 'online' | 'offline' | null;
}

export async function createLocal(s: SessionState, password: string): Promise<VaultStatus> {
  const a = await currentVault(s);
  if (a?.kind === 'telegram') throw new AppError('VAULT_EXISTS', 'You are signed in to Telegram: your Passport lives in your account.');
  if (a !== null) throw new AppError('VAULT_EXISTS', 'This device already has a Passport.');
  if (passwordLength(password) < MIN_LOCAL_PASSWORD_LENGTH) {
    throw new AppError('BAD_INPUT', `Choose a password of at least ${MIN_LOCAL_PASSWORD_LENGTH} characters: it is all that protects this Passport.`);
  }
  const vault = await withPasswordBytes(password, (bytes) => LocalVault.init(localDirectory(s), bytes, s.options.keychain));
  s.active = { kind: 'local', vault };
  touch(s);
  s.options.onUnlock?.();
  return vaultStatus(s);
}

/**
 * Unlocks with the password. `confirm` (a Telegram Passport; see vault/telegram/unlock.ts): 'background'
 * returns as soon as this device's copy opens and checks it with Telegram afterwards (`whenChecked`);
 * 'wait' (default) returns with Telegram's answer.
 */
export async function unlock(s: SessionState, password: string, rememberDays?: number, confirm?: UnlockOptions['confirm']): Promise<UnlockReport> {
  const a = await requireVault(s);
  let remembered: boolean | string = false;
  let created = false;
  let mode: 'online' | 'offline' | null = null;
  let values: PassportValue[] | undefined;
  if (a.kind === 'local') {
    ({ remembered } = await withPasswordBytes(password, (bytes) => a.vault.unlock(bytes, rememberDays === undefined ? {} : { rememberDays })));
  } else {
    const r = await a.passport.unlock(password, confirm === undefined ? {} : { confirm });
    created = r.created;
    mode = r.mode;
    values = r.values; // the list as the unlock left it: not decrypted a second time (nor queued behind its check)
    if (rememberDays !== undefined) remembered = await a.passport.remember(rememberDays);
    s.password = null; // the 2FA state may have changed (first use)
  }
  // Unlocked: a sign-in password kept for this has no use left.
  s.options.account?.forgetSignInPassword?.();
  touch(s);
  s.options.onUnlock?.();
  return { status: await vaultStatus(s, values), remembered, created, mode };
}

/** After an unlock that showed this device's copy: waits for its check with Telegram, then the status. */
export async function whenChecked(s: SessionState): Promise<VaultStatus> {
  const a = await currentVault(s);
  if (a?.kind === 'telegram') await a.passport.checked();
  return vaultStatus(s);
}

/**
 * Unlocks the account's Passport with the 2FA password typed at sign-in a moment ago (kept in main for
 * this one derivation, see account/sign-in-password.ts), so the person does not type it twice. The copy
 * is taken (no second use) and wiped whatever happens.
 */
export async function unlockWithSignInPassword(s: SessionState, rememberDays?: number, confirm?: UnlockOptions['confirm']): Promise<UnlockReport> {
  const a = await requireVault(s);
  const bytes = a.kind === 'telegram' ? (s.options.account?.takeSignInPassword?.() ?? null) : null;
  if (bytes === null) throw new AppError('SIGN_IN_PASSWORD_GONE', 'The password you signed in with is no longer kept. Type it to unlock.');
  try {
    return await unlock(s, bytes.toString('utf8'), rememberDays, confirm);
  } finally {
    bytes.fill(0);
  }
}

export async function unlockRemembered(s: SessionState): Promise<boolean> {
  const a = await currentVault(s);
  if (a === null) return false;
  const ok = await (a.kind === 'local' ? a.vault.unlockRemembered() : a.passport.unlockRemembered()).catch(() => false);
  touch(s);
  if (ok) s.options.onUnlock?.();
  return ok;
}
