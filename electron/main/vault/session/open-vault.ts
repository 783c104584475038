/**
 * Which vault the session works on: when a Telegram account is signed in (or a saved session names one
 * while offline), the account's Passport, mirrored in `<dataDir>/telegram/<userId>` (TelegramPassport);
 * otherwise the local-only vault in `<dataDir>/vault`, if one was created. Opened once and kept open
 * (opening needs no password); another account, or signing out, closes it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../common/errors';
import type { TelegramConnection } from '../../telegram/connection';
import { LocalVault } from '../local/local-vault';
import type { ServiceError } from '../telegram/service-errors';
import { TelegramPassport } from '../telegram/telegram-passport';
import { closeActive, localDirectory, telegramDirectory, type ActiveVault, type SessionState } from './session-state';

/** A local-only vault was created on this device. */
export function hasLocalVault(s: SessionState): boolean {
  return existsSync(join(localDirectory(s), 'vault.json'));
}

/** Every service's errors, to the open Telegram Passport. */
function giveServiceErrors(s: SessionState, passport: TelegramPassport): void {
  passport.setServiceErrors([...s.serviceErrorsByBot.values()].flat());
}

/** The vault this session works on: the signed-in account's Passport first, else the local-only vault if one exists. */
export async function currentVault(s: SessionState): Promise<ActiveVault | null> {
  const account = s.options.account;
  const userId = account === undefined ? null : await account.userId().catch(() => null);
  if (userId !== null && account !== undefined) {
    if (s.active?.kind === 'telegram' && s.active.userId === userId) return s.active;
    closeActive(s);
    const passport = await TelegramPassport.open({
      conn: account.connection(),
      accountId: userId,
      dir: join(telegramDirectory(s), String(userId)),
      keychain: s.options.keychain,
      ...(s.options.now ? { now: s.options.now } : {}),
    });
    giveServiceErrors(s, passport);
    s.active = { kind: 'telegram', passport, userId };
    return s.active;
  }
  if (s.active?.kind === 'telegram') closeActive(s); // signed out meanwhile
  if (s.active === null && hasLocalVault(s)) {
    s.active = { kind: 'local', vault: await LocalVault.open(localDirectory(s), s.options.keychain) };
  }
  return s.active;
}

export async function requireVault(s: SessionState): Promise<ActiveVault> {
  const a = await currentVault(s);
  if (a === null) throw new AppError('VAULT_NOT_FOUND', 'There is no Passport on this device yet.');
  return a;
}

export async function requireTelegram(s: SessionState): Promise<TelegramPassport> {
  const a = await requireVault(s);
  if (a.kind !== 'telegram') throw new AppError('NOT_SIGNED_IN', 'This needs your Passport in Telegram: sign in first.');
  return a.passport;
}

/** The account's connection (phone and e-mail verification). */
export async function telegramConnection(s: SessionState): Promise<TelegramConnection> {
  await requireTelegram(s);
  if (s.options.account === undefined) throw new AppError('NOT_SIGNED_IN', 'Sign in to Telegram first.');
  return s.options.account.connection();
}

/** Every vault folder on this device: the local-only vault and each account's mirror. */
export function vaultDirectories(s: SessionState): string[] {
  const dirs = hasLocalVault(s) ? [localDirectory(s)] : [];
  const mirrors = telegramDirectory(s);
  if (existsSync(mirrors)) {
    for (const name of readdirSync(mirrors)) {
      const dir = join(mirrors, name);
      if (/^\d+$/.test(name) && existsSync(join(dir, 'vault.json'))) dirs.push(dir);
    }
  }
  return dirs;
}

/** Which Passport is open ("local", or "telegram-<user id>"), for what is kept per Passport; null if none. */
export async function activeVaultName(s: SessionState): Promise<string | null> {
  const a = await currentVault(s);
  if (a === null) return null;
  return a.kind === 'local' ? 'local' : `telegram-${a.userId}`;
}

/**
 * The open vault's passport secret while unlocked (null otherwise), optionally only if it is of
 * `kind`: Passport requests need the Telegram account's. Main-only; not to be kept.
 */
export function passportSecret(s: SessionState, kind?: 'local' | 'telegram'): Buffer | null {
  const a = s.active;
  if (a === null || (kind !== undefined && a.kind !== kind)) return null;
  return a.kind === 'local' ? a.vault.currentSecret() : a.passport.currentSecret();
}

/**
 * A service's errors on the person's Telegram values (from its authorization form), replacing that
 * service's earlier ones. They stay shown until the value they name changes (hash matching).
 */
export function setServiceErrors(s: SessionState, botId: string, errors: readonly ServiceError[]): void {
  if (errors.length === 0) s.serviceErrorsByBot.delete(botId);
  else s.serviceErrorsByBot.set(botId, [...errors]);
  if (s.active?.kind === 'telegram') giveServiceErrors(s, s.active.passport);
}
