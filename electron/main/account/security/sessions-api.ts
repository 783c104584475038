/**
 * The Telegram calls behind the Security screen, on the app's TelegramConnection: the account's
 * sessions (account.getAuthorizations), ending one (account.resetAuthorization) or all others
 * (auth.resetAuthorizations), and the two-step verification state (account.getPassword).
 * Telegram's refusals come out as coded AppErrors.
 */
import { Long, type tl } from '@mtcute/core';
import { AppError } from '../../../common/errors';
import type { SessionView, TwoStepStatus } from '../../../common/security';
import type { TelegramConnection } from '../../telegram/connection';

/** One session as Telegram lists it; `new` is decided by the caller (seen-sessions.ts). */
export type TelegramSession = Omit<SessionView, 'new'>;

export function sessionFromTl(a: tl.RawAuthorization): TelegramSession {
  return {
    hash: a.hash.toString(),
    current: a.current === true,
    deviceModel: a.deviceModel,
    platform: a.platform,
    systemVersion: a.systemVersion,
    appName: a.appName,
    appVersion: a.appVersion,
    apiId: a.apiId,
    officialApp: a.officialApp === true,
    passwordPending: a.passwordPending === true,
    ip: a.ip,
    country: a.country,
    region: a.region,
    createdAt: a.dateCreated,
    activeAt: a.dateActive,
  };
}

export async function listSessions(conn: TelegramConnection): Promise<TelegramSession[]> {
  const res = await conn.run('list sessions', (tg, abortSignal) => tg.call({ _: 'account.getAuthorizations' }, { abortSignal }));
  return res.authorizations.map(sessionFromTl);
}

/** Telegram's refusal to let a freshly signed-in session end others, in words. */
function explainReset(e: unknown): never {
  if (e instanceof AppError && e.details?.['rpc'] === 'FRESH_RESET_AUTHORISATION_FORBIDDEN') {
    throw new AppError(
      'SESSION_TOO_NEW',
      'Telegram does not let a device that signed in less than 24 hours ago end other sessions. End it from a device that has been signed in longer, or try again later.',
    );
  }
  throw e;
}

/**
 * Ends one session. One that is already gone (Telegram: HASH_INVALID) is not an error: `ended` is
 * then false. The current session cannot be ended this way (that is signing out).
 */
export async function endSession(conn: TelegramConnection, hash: string): Promise<{ ended: boolean }> {
  if (hash === '0') throw new AppError('BAD_INPUT', 'That is this device’s own session: sign out instead.');
  try {
    await conn.run('end session', (tg, abortSignal) => tg.call({ _: 'account.resetAuthorization', hash: Long.fromString(hash) }, { abortSignal }));
    return { ended: true };
  } catch (e) {
    if (e instanceof AppError && e.details?.['rpc'] === 'HASH_INVALID') return { ended: false };
    return explainReset(e);
  }
}

export async function endOtherSessions(conn: TelegramConnection): Promise<void> {
  try {
    await conn.run('end other sessions', (tg, abortSignal) => tg.call({ _: 'auth.resetAuthorizations' }, { abortSignal }));
  } catch (e) {
    explainReset(e);
  }
}

export async function twoStepStatus(conn: TelegramConnection): Promise<TwoStepStatus> {
  const p = await conn.run('two-step status', (tg, abortSignal) => tg.call({ _: 'account.getPassword' }, { abortSignal }));
  return { hasPassword: p.hasPassword === true, hasRecoveryEmail: p.hasRecovery === true, emailUnconfirmedPattern: p.emailUnconfirmedPattern ?? null };
}

/**
 * Calls `onNew(hash)` whenever Telegram announces a new sign-in to the account (updateNewAuthorization,
 * alone in updateShort or inside updates/updatesCombined). Returns the unsubscribe function.
 */
export function onNewAuthorization(conn: TelegramConnection, onNew: (hash: string) => void): () => void {
  const handler = (u: tl.TypeUpdates): void => {
    const list = u._ === 'updateShort' ? [u.update] : u._ === 'updates' || u._ === 'updatesCombined' ? u.updates : [];
    for (const x of list) if (x._ === 'updateNewAuthorization') onNew(x.hash.toString());
  };
  conn.client.onServerUpdate.add(handler);
  return () => conn.client.onServerUpdate.remove(handler);
}
