/**
 * Several data centres (https://core.telegram.org/api/datacenter). A loopback server started with
 * `extraDcs` listens once per DC; the DCs share one state but each keeps its own auth keys, as
 * Telegram's do. An account lives on a home DC (`UserRecord.homeDc`, else the first DC):
 * - auth.sendCode / auth.signIn for its phone on another DC → 303 PHONE_MIGRATE_<home>;
 * - upload.getFile for a secure file stored on another DC → 303 FILE_MIGRATE_<dc>;
 * - a key signed in on one DC can carry its authorization to another: auth.exportAuthorization on the
 *   signed-in DC, then auth.importAuthorization (one use, 60 s) on the target DC.
 * NETWORK_MIGRATE / USER_MIGRATE are not produced on their own; tests inject them (faults.ts).
 * With a single DC nothing here ever answers *_MIGRATE.
 */
import { randomBytes } from 'node:crypto';
import { authorize } from './auth';
import { type MethodTable, RpcError, bytes, int, long, requireUser } from './types';

const EXPORT_TTL_MS = 60_000;

export const dcMethods: MethodTable = {
  'auth.exportAuthorization': (ctx, params) => {
    const user = requireUser(ctx);
    const target = int(params, 'dc_id');
    if (target === ctx.server.dcId || !ctx.server.dcs.some((d) => d.id === target)) throw new RpcError(400, 'DC_ID_INVALID');
    const token = randomBytes(32);
    ctx.state.exportedAuths.set(token.toString('hex'), { userId: user.id, dc: target, expiresAt: Date.now() + EXPORT_TTL_MS });
    return { _: 'auth.exportedAuthorization', id: user.id, bytes: token };
  },

  'auth.importAuthorization': (ctx, params) => {
    const hex = bytes(params, 'bytes').toString('hex');
    const rec = ctx.state.exportedAuths.get(hex);
    ctx.state.exportedAuths.delete(hex);
    const user = rec === undefined ? undefined : ctx.state.users.get(rec.userId);
    if (!rec || !user || rec.userId !== long(params, 'id') || rec.dc !== ctx.server.dcId || Date.now() > rec.expiresAt) {
      throw new RpcError(400, 'AUTH_BYTES_INVALID');
    }
    return authorize(ctx, user, false);
  },
};
