/**
 * The passport secret remembered in the OS keychain (the person opted in, for a number of days), keyed by
 * the mirror's vault id, so the Passport opens without the password until then.
 */
import { AppError } from '../../../common/errors';
import { secretFingerprint } from '../../passport/crypto/index';
import { requireSecret, requireStore, setSecret, type PassportState } from './passport-state';

/** Keeps the unlocked secret for `days`; true when stored, else why not (no keychain, keychain unreachable). */
export async function rememberSecret(s: PassportState, days: number): Promise<true | string> {
  const secret = requireSecret(s);
  const store = requireStore(s);
  if (s.keychain === null) return 'No keychain is in use';
  try {
    await s.keychain.rememberPassportSecret(store.info.vaultId, secret, days);
    return true;
  } catch (e) {
    if (e instanceof AppError && e.code === 'KEYCHAIN_UNAVAILABLE') return e.message;
    throw e;
  }
}

/**
 * Unlocks with a remembered secret, if it is still this account's (its fingerprint matches the
 * mirrored settings); the mode stays unknown until Telegram is asked. Runs inside the queue.
 */
export async function unlockRemembered(s: PassportState): Promise<boolean> {
  const keychain = s.keychain;
  const settings = s.store?.state.secretSettings ?? null;
  if (keychain === null || s.store === null || settings === null) return false;
  const entry = await keychain.recallPassportSecret(s.store.info.vaultId).catch(() => null);
  if (entry === null) return false;
  if (secretFingerprint(entry.secret).toString() !== settings.secretId) {
    entry.secret.fill(0);
    await keychain.forgetPassportSecret(s.store.info.vaultId).catch(() => undefined);
    return false;
  }
  setSecret(s, entry.secret);
  return true;
}
