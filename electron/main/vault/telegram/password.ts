/**
 * The 2FA password's lifecycle as it touches the Passport: its state and hint, first setup (with the
 * passport secret in the same call), change (the same secret re-wrapped), reset of a damaged secret,
 * and recovery by e-mail (which costs the Passport). Apart from `passwordState`, each function runs
 * inside the passport's one-at-a-time queue.
 */
import { AppError } from '../../../common/errors';
import { secretFingerprint } from '../../passport/crypto/index';
import {
  changePassword as apiChangePassword,
  confirmPasswordEmail,
  getPassword,
  getPasswordSettings,
  recoverPassword as apiRecoverPassword,
  requestPasswordRecovery,
  setPassword,
  type PasswordState,
} from '../../telegram/passport-api';
import { asWrongPassword, clearSyncMarks, lockSecret, net, requireSecret, setSecret, type PassportState } from './passport-state';
import { adoptSettings, createSecret } from './unlock';

/** What must be typed, exactly, to reset the Passport (new secret; every value is lost). */
export const RESET_CONFIRMATION = 'DELETE MY PASSPORT';

/**
 * The account's 2FA state (no password needed): whether a password exists, its hint, … The hint is
 * kept in the mirror (in the background, after whatever runs now) for `mirroredHint` offline.
 * Runs outside the queue: it only reads, and queues the hint's commit itself.
 */
export async function passwordState(s: PassportState): Promise<PasswordState> {
  const st = await net(s, () => getPassword(s.conn));
  void keepHint(s, st.hasPassword ? st.hint : null).catch(() => undefined);
  return st;
}

/** The 2FA hint as last seen on Telegram, from the mirror: what the lock screen shows while offline. */
export function mirroredHint(s: PassportState): string | null {
  // Read without a copy: every status (the unlock's answer too) asks, and `state` cloned the whole mirror for one string.
  return s.store?.frozenState.account?.hint ?? null;
}

function keepHint(s: PassportState, hint: string | null): Promise<void> {
  s.seenHint = hint === '' ? null : hint;
  return s.exclusive(async () => {
    const store = s.store;
    const account = store?.state.account;
    if (store === null || account === undefined || (account.hint ?? null) === hint) return;
    await store.commit({ ...store.state, account: { userId: account.userId, ...(hint === null || hint === '' ? {} : { hint }) } });
  });
}

/**
 * No 2FA password yet: creates it together with the passport secret (one call), optionally with a
 * recovery e-mail, which then waits for its code (`confirmRecoveryEmail`). Leaves the Passport unlocked.
 */
export async function setupPassword(s: PassportState, password: string, hint: string, email?: string): Promise<{ emailUnconfirmed: { codeLength: number } | null }> {
  const res = await net(s, () => setPassword(s.conn, { password, hint, ...(email !== undefined && email !== '' ? { email } : {}), createPassportSecret: true }));
  const created = res.passportSecret;
  if (created === null) throw new AppError('INTERNAL', 'The passport secret was not created.');
  const back = await getPasswordSettings(s.conn, password).catch((e: unknown) => {
    created.secret.fill(0);
    throw e;
  });
  s.srpSalts = back.srpSalts;
  if (back.secureSettings === null || back.secureSettings.secretId !== created.secretId) {
    created.secret.fill(0);
    throw new AppError('TELEGRAM_ERROR', 'Telegram did not keep the new passport secret.');
  }
  await adoptSettings(s, back.secureSettings, { values: [], pendingEdits: [] });
  setSecret(s, created.secret);
  s.corrupted = false;
  return { emailUnconfirmed: res.emailUnconfirmed };
}

export function confirmRecoveryEmail(s: PassportState, code: string): Promise<void> {
  return net(s, () => confirmPasswordEmail(s.conn, code));
}

/**
 * Changes the 2FA password, re-encrypting the SAME passport secret under the new one in the same
 * call (values stay readable). Needs the Passport unlocked and Telegram reachable. `hint` replaces
 * the old hint ('' = none).
 */
export async function changePassword(s: PassportState, current: string, next: string, hint = ''): Promise<void> {
  const secret = requireSecret(s);
  const remote = await net(s, () => getPasswordSettings(s.conn, current)).catch((e: unknown) => {
    throw asWrongPassword(e);
  });
  // Re-wrapping a secret that is no longer the account's would make Telegram drop every value.
  if (remote.secureSettings?.secretId !== secretFingerprint(secret)) {
    throw new AppError('SECURE_SECRET_MISMATCH', 'Your Telegram Passport key changed on another device. Unlock it again first.');
  }
  const res = await apiChangePassword(s.conn, { current, next, hint, passportSecret: secret }).catch((e: unknown) => {
    throw asWrongPassword(e);
  });
  s.srpSalts = null; // the new password has new SRP salts: no hash ahead with the old ones
  if (res.secureSettings === null) throw new AppError('INTERNAL', 'The passport secret was not re-wrapped.');
  await adoptSettings(s, res.secureSettings);
}

/**
 * Resets the Passport: a new passport secret replaces the old one, and Telegram drops every value
 * saved under the old one. For a damaged secret (SECRET_CHECKSUM / SECRET_FINGERPRINT). Runs only
 * with `confirmation` exactly RESET_CONFIRMATION, and needs the password (Telegram checks it).
 */
export async function resetPassport(s: PassportState, password: string, confirmation: string): Promise<void> {
  if (confirmation !== RESET_CONFIRMATION) {
    throw new AppError('CONFIRMATION_REQUIRED', `Type ${RESET_CONFIRMATION} to reset your Passport.`, { expected: RESET_CONFIRMATION });
  }
  await net(s, () => getPasswordSettings(s.conn, password)).catch((e: unknown) => {
    throw asWrongPassword(e);
  });
  const { secret, settings } = await createSecret(s, password);
  await adoptSettings(s, settings, { values: [], pendingEdits: [] });
  setSecret(s, secret);
  s.corrupted = false;
  clearSyncMarks(s);
}

/** Forgotten password: Telegram e-mails a code to the recovery address; returns it masked. */
export function requestRecovery(s: PassportState): Promise<{ emailPattern: string }> {
  return net(s, () => requestPasswordRecovery(s.conn));
}

/**
 * Recovers the account with the e-mailed code (optionally setting a new password in the same step).
 * Telegram then drops the passport secret and every value (they were encrypted under the old
 * password), so the mirror follows: its values, queued edits and the old wrapped secret go too,
 * and so does a remembered secret. The next unlock with a new password creates a new, empty Passport.
 */
export async function recoverPassword(s: PassportState, code: string, next?: { password: string; hint: string }): Promise<void> {
  await net(s, () => apiRecoverPassword(s.conn, code, next));
  s.srpSalts = null;
  lockSecret(s);
  s.corrupted = false;
  clearSyncMarks(s);
  const store = s.store;
  if (store === null) return;
  await store.commit({ ...store.state, secretSettings: null, values: [], pendingEdits: [] });
  await store.collectGarbage().catch(() => undefined);
  await s.keychain?.forgetPassportSecret(store.info.vaultId).catch(() => undefined);
}
