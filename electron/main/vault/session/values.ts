/**
 * Reading and editing the open Passport's values, the same calls for both kinds of vault. On Telegram a
 * save is sent at once ('saved') or queued while offline ('queued'). A write the store refuses because
 * another program (the CLI) wrote since this session opened the vault closes it (`writing`).
 */
import { AppError } from '../../../common/errors';
import type { SecureValueTypeName } from '../../../common/passport';
import { DELETE_ALL_CONFIRMATION } from '../telegram/telegram-passport';
import type { TelegramValueInput } from '../telegram/value-edit';
import type { PassportValue } from '../value-view';
import { requireVault } from './open-vault';
import { closeActive, endProgress, now, touch, tracker, type ActiveVault, type SessionState } from './session-state';

/** Every value, decrypted (data; files as metadata). */
export async function listValues(s: SessionState): Promise<PassportValue[]> {
  const a = await requireVault(s);
  touch(s);
  return a.kind === 'local' ? a.vault.values() : a.passport.list();
}

/** One file, decrypted in main (hash checked). */
export async function readFile(s: SessionState, type: SecureValueTypeName, fileHash: string): Promise<Buffer> {
  const a = await requireVault(s);
  touch(s);
  return a.kind === 'local' ? a.vault.readFile(type, fileHash) : a.passport.readFile(type, fileHash);
}

/**
 * Runs a write. When another program (the CLI) wrote to the vault since this session opened it, the
 * store refuses (VAULT_BUSY, details.changed): the session closes it, so the next call opens the
 * vault again with those changes (locked: the person unlocks again) instead of overwriting them.
 */
export async function writing<T>(s: SessionState, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError && e.code === 'VAULT_BUSY' && e.details?.['changed'] === true) {
      closeActive(s);
      s.options.onLock?.();
    }
    throw e;
  }
}

async function saveIn(s: SessionState, a: ActiveVault, input: TelegramValueInput): Promise<{ type: SecureValueTypeName; status: 'saved' | 'queued' }> {
  if (a.kind === 'local') {
    await a.vault.edit(input, now(s));
    return { type: input.type, status: 'saved' };
  }
  return a.passport.save(input, tracker(s, 'upload'));
}

/** Saves one value. File slots left out keep their files (see TelegramValueInput). */
export async function saveValue(s: SessionState, input: TelegramValueInput): Promise<{ type: SecureValueTypeName; status: 'saved' | 'queued' }> {
  const a = await requireVault(s);
  touch(s);
  try {
    return await writing(s, () => saveIn(s, a, input));
  } finally {
    endProgress(s);
  }
}

export async function removeValue(s: SessionState, type: SecureValueTypeName): Promise<{ removed: boolean; status: 'saved' | 'queued' }> {
  const a = await requireVault(s);
  touch(s);
  if (a.kind === 'local') {
    if (!a.vault.unlocked) throw new AppError('VAULT_LOCKED', 'Unlock the Passport first.');
    const vault = a.vault;
    return { removed: await writing(s, () => vault.remove(type)), status: 'saved' };
  }
  const r = await writing(s, () => a.passport.remove(type));
  return { removed: true, status: r.status };
}

/** Deletes every value (typed confirmation DELETE_ALL_CONFIRMATION). */
export async function removeAllValues(s: SessionState, confirmation: string): Promise<void> {
  const a = await requireVault(s);
  touch(s);
  if (a.kind === 'telegram') return a.passport.removeAll(confirmation);
  if (confirmation !== DELETE_ALL_CONFIRMATION) {
    throw new AppError('CONFIRMATION_REQUIRED', `Type ${DELETE_ALL_CONFIRMATION} to delete every document.`, { expected: DELETE_ALL_CONFIRMATION });
  }
  if (!a.vault.unlocked) throw new AppError('VAULT_LOCKED', 'Unlock the Passport first.');
  for (const v of a.vault.list()) await a.vault.remove(v.type);
}
