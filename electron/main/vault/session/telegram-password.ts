/**
 * The account's 2FA password, through the session (Telegram only; a local vault says NOT_SIGNED_IN):
 * set-up, recovery e-mail, change, recovery by e-mail code, and the Passport's reset. Each change
 * forgets the cached 2FA state (status.ts) so the next status asks Telegram again.
 */
import { requireTelegram } from './open-vault';
import { lock, touch, type SessionState } from './session-state';

export async function setupPassword(s: SessionState, password: string, hint: string, email?: string): Promise<{ emailUnconfirmed: { codeLength: number } | null }> {
  const tp = await requireTelegram(s);
  const r = await tp.setupPassword(password, hint, email);
  s.password = null;
  touch(s);
  s.options.onUnlock?.();
  return r;
}

export async function confirmRecoveryEmail(s: SessionState, code: string): Promise<void> {
  const tp = await requireTelegram(s);
  await tp.confirmRecoveryEmail(code);
  s.password = null;
}

export async function changePassword(s: SessionState, current: string, next: string, hint: string): Promise<void> {
  const tp = await requireTelegram(s);
  await tp.changePassword(current, next, hint);
  s.password = null;
  touch(s);
}

/** Forgotten 2FA password: a code goes to the recovery e-mail (returned masked). */
export async function requestRecovery(s: SessionState): Promise<{ emailPattern: string }> {
  const tp = await requireTelegram(s);
  return tp.requestRecovery();
}

/** Recovers with the e-mailed code; Telegram (and so the mirror) drops the Passport. Locks. */
export async function recoverPassword(s: SessionState, code: string, next?: { password: string; hint: string }): Promise<void> {
  const tp = await requireTelegram(s);
  await tp.recoverPassword(code, next);
  s.password = null;
  lock(s);
}

export async function resetPassport(s: SessionState, password: string, confirmation: string): Promise<void> {
  const tp = await requireTelegram(s);
  await tp.resetPassport(password, confirmation);
  touch(s);
}
