/**
 * Several sessions per account (https://core.telegram.org/api/auth#logout): every auth key that signs
 * in is a session, described by what its client said in initConnection. account.getAuthorizations
 * lists them (the asking session `current`, with hash 0 as Telegram shows it), account.resetAuthorization
 * ends one, auth.resetAuthorizations ends all others; an ended key's next call that needs the account
 * answers 401 AUTH_KEY_UNREGISTERED. A new sign-in pushes updateNewAuthorization to the account's other
 * sessions. A session younger than `freshResetSeconds` may not end others (FRESH_RESET_AUTHORISATION_FORBIDDEN).
 */
import { randomBytes } from 'node:crypto';
import type { AuthKeyRecord, LoopbackState } from '../state';
import type { TlObject } from '../tl/codec';
import { type CallContext, type MethodTable, type SessionPolicy, RpcError, long, requireUser } from './types';

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  freshResetSeconds: 0,
  country: 'Loopback',
  appNames: { 1: 'Passport Vault (loopback)', 4: 'Telegram Android', 6: 'Telegram Android', 8: 'Telegram iOS', 2040: 'Telegram Desktop', 2496: 'Telegram Web' },
};

/** Telegram's 24 hours, for servers that want its rule (`npm run dev:local`). */
export const TELEGRAM_FRESH_RESET_SECONDS = 24 * 60 * 60;

const nowS = (): number => Math.floor(Date.now() / 1000);

/** Records what a call says about its client (initConnection) and that the session was active. */
export function noteClientCall(key: AuthKeyRecord, initConnection: TlObject | undefined): void {
  if (initConnection !== undefined) {
    const text = (k: string): string => {
      const v = initConnection[k];
      return typeof v === 'string' ? v : '';
    };
    key.client = {
      apiId: typeof initConnection['api_id'] === 'number' ? initConnection['api_id'] : 0,
      deviceModel: text('device_model'),
      systemVersion: text('system_version'),
      appVersion: text('app_version'),
      langCode: text('lang_code'),
    };
  }
  if (key.authorization !== undefined) key.authorization.activeAt = nowS();
}

/** A fresh nonzero authorization hash, unique among the keys. */
function newHash(state: LoopbackState): bigint {
  for (;;) {
    const h = randomBytes(8).readBigInt64LE(0);
    if (h !== 0n && ![...state.authKeys.values()].some((k) => k.authorization?.hash === h)) return h;
  }
}

/**
 * The key just signed in: it becomes a session of the account, and the account's other sessions
 * are told (updateNewAuthorization). Not for an authorization carried to another DC (dc.ts).
 */
export function startSession(ctx: CallContext, userId: bigint): void {
  const t = nowS();
  const hash = newHash(ctx.state);
  ctx.key.authorization = { hash, createdAt: t, activeAt: t };
  ctx.state.updates.toAccount(userId, { _: 'updateNewAuthorization', hash }, ctx.key);
}

/** Signs a key out: its next call that needs the account answers AUTH_KEY_UNREGISTERED. */
export function endSession(key: AuthKeyRecord): void {
  key.userId = undefined;
  key.authorization = undefined;
  key.passwordPendingUserId = undefined;
  key.srp = undefined;
}

/** The account's sessions (signed-in keys with an authorization), oldest first. */
function sessionsOf(state: LoopbackState, userId: bigint): AuthKeyRecord[] {
  return [...state.authKeys.values()]
    .filter((k) => k.userId === userId && k.authorization !== undefined)
    .sort((a, b) => (a.authorization?.createdAt ?? 0) - (b.authorization?.createdAt ?? 0));
}

/** Telegram shows the OS family as the platform; derived here from what the client reported. */
export function platformOf(systemVersion: string, deviceModel: string): string {
  const s = `${systemVersion} ${deviceModel}`;
  if (/android/i.test(s)) return 'Android';
  if (/\b(ios|iphone|ipad)\b/i.test(s)) return 'iOS';
  if (/mac|darwin/i.test(s)) return 'macOS';
  if (/windows|win32/i.test(s)) return 'Windows';
  if (/linux/i.test(s)) return 'Linux';
  return 'Unknown';
}

function authorizationObject(ctx: CallContext, key: AuthKeyRecord): TlObject {
  const a = key.authorization;
  if (a === undefined) throw new Error('not a session');
  const c = key.client ?? { apiId: 0, deviceModel: '', systemVersion: '', appVersion: '', langCode: '' };
  const current = key === ctx.key;
  const policy = ctx.server.sessions;
  return {
    _: 'authorization',
    ...(current ? { current: true } : {}),
    // No app is "official" here: the loopback server has no official apps.
    hash: current ? 0n : a.hash,
    device_model: c.deviceModel,
    platform: platformOf(c.systemVersion, c.deviceModel),
    system_version: c.systemVersion,
    api_id: c.apiId,
    app_name: policy.appNames[c.apiId] ?? `App ${c.apiId}`,
    app_version: c.appVersion,
    date_created: a.createdAt,
    date_active: a.activeAt,
    ip: '127.0.0.1',
    country: policy.country,
    region: '',
  };
}

/** FRESH_RESET_AUTHORISATION_FORBIDDEN for a session signed in too recently to end others. */
function requireOldEnough(ctx: CallContext): void {
  const limit = ctx.server.sessions.freshResetSeconds;
  const created = ctx.key.authorization?.createdAt;
  if (limit > 0 && (created === undefined || nowS() - created < limit)) throw new RpcError(406, 'FRESH_RESET_AUTHORISATION_FORBIDDEN');
}

export const sessionMethods: MethodTable = {
  'account.getAuthorizations': (ctx) => {
    const user = requireUser(ctx);
    return { _: 'account.authorizations', authorization_ttl_days: 180, authorizations: sessionsOf(ctx.state, user.id).map((k) => authorizationObject(ctx, k)) };
  },

  'account.resetAuthorization': (ctx, params) => {
    const user = requireUser(ctx);
    const hash = long(params, 'hash');
    const target = hash === 0n ? undefined : sessionsOf(ctx.state, user.id).find((k) => k.authorization?.hash === hash);
    // Hash 0 (this session) or one that is not (or no longer) a session of this account.
    if (target === undefined || target === ctx.key) throw new RpcError(400, 'HASH_INVALID');
    requireOldEnough(ctx);
    endSession(target);
    ctx.state.save();
    return true;
  },

  'auth.resetAuthorizations': (ctx) => {
    const user = requireUser(ctx);
    requireOldEnough(ctx);
    for (const k of sessionsOf(ctx.state, user.id)) if (k !== ctx.key) endSession(k);
    ctx.state.save();
    return true;
  },
};
