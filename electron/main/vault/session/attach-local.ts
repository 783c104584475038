/**
 * The local-only Passport of this device, while a Telegram account's is open: whether there is one to
 * attach, and attaching it (its documents copied into the account's Passport). The local Passport stays
 * as it is.
 */
import { AppError } from '../../../common/errors';
import { LocalVault } from '../local/local-vault';
import { currentVault, hasLocalVault, requireVault } from './open-vault';
import { copyValues, type RestoreReport } from './restore-backup';
import { endProgress, localDirectory, touch, tracker, withPasswordBytes, type SessionState } from './session-state';

/** Is there a local-only Passport to attach, and how many documents does it hold? */
export async function localVaultInfo(s: SessionState): Promise<{ exists: boolean; documents: number }> {
  const a = await currentVault(s);
  if (a?.kind !== 'telegram' || !hasLocalVault(s)) return { exists: false, documents: 0 };
  const local = await LocalVault.open(localDirectory(s), s.options.keychain);
  try {
    return { exists: true, documents: local.list().length };
  } finally {
    local.close();
  }
}

/**
 * Copies the local-only Passport's documents into the signed-in account's (unlocked) Passport:
 * decrypted in main with the local password, re-encrypted under the account's key and sent.
 * Documents of the same types are replaced.
 */
export async function attachLocal(s: SessionState, localPassword: string): Promise<RestoreReport> {
  const a = await requireVault(s);
  if (a.kind !== 'telegram') throw new AppError('NOT_SIGNED_IN', 'Sign in to Telegram first: the documents go into your account’s Passport.');
  if (!a.passport.unlocked) throw new AppError('VAULT_LOCKED', 'Unlock your Telegram Passport first.');
  if (!hasLocalVault(s)) throw new AppError('VAULT_NOT_FOUND', 'There is no local Passport on this device.');
  const local = await LocalVault.open(localDirectory(s), s.options.keychain);
  touch(s);
  try {
    return await withPasswordBytes(localPassword, async (pw) => {
      await local.unlock(pw);
      return copyValues(local, (input) => a.passport.save(input), tracker(s, 'restore'));
    });
  } finally {
    local.close();
    endProgress(s);
  }
}
