/**
 * Backups of the open Passport: writing one (backup/export.ts) and restoring one into it
 * (restore-backup.ts). The secret never leaves main.
 */
import { AppError } from '../../../common/errors';
import { exportBackup, exportBackupWithPassword } from '../backup/export';
import type { Counts } from '../backup/format';
import { requireVault } from './open-vault';
import { restoreBackup, type RestoreReport } from './restore-backup';
import { endProgress, isUnlocked, now, touch, tracker, type SessionState } from './session-state';

/**
 * Writes an encrypted backup of the open Passport to `outPath` (a path main chose with the person).
 * Unlocked: with the open secret. Locked: `password` opens the secret kept on this device for this
 * export only (a damaged key on Telegram, a reset about to happen).
 */
export async function exportOpenBackup(s: SessionState, outPath: string, password?: string): Promise<Counts> {
  const a = await requireVault(s);
  touch(s);
  const track = tracker(s, 'backup');
  try {
    if (a.kind === 'telegram') return await a.passport.backupTo(outPath, password, new Date(now(s)), track);
    const open = a.vault.currentSecret();
    if (open !== null) return await exportBackup(a.vault.store, open, outPath, new Date(now(s)), track);
    if (password === undefined || a.vault.store.state.secretSettings === null) throw new AppError('VAULT_LOCKED', 'Unlock the Passport first.');
    return await exportBackupWithPassword(a.vault.store, password, outPath, new Date(now(s)), track);
  } finally {
    endProgress(s);
  }
}

/**
 * Restores a backup into the open, unlocked Passport: values of the types in the backup replace
 * the ones here (re-encrypted under this Passport's key; on Telegram, sent). `password` is the one
 * the backup was made under.
 */
export async function restoreIntoOpen(s: SessionState, backupPath: string, password: string): Promise<RestoreReport> {
  const a = await requireVault(s);
  if (!isUnlocked(a)) throw new AppError('VAULT_LOCKED', 'Unlock the Passport first.');
  touch(s);
  try {
    return await restoreBackup({
      backupPath,
      password,
      scratchParent: s.options.dataDir,
      save: (input) => (a.kind === 'local' ? a.vault.edit(input, now(s)) : a.passport.save(input)),
      onProgress: tracker(s, 'restore'),
    });
  } finally {
    endProgress(s);
  }
}
