/**
 * Which DC of a cluster an account, a file or an auth key belongs to, and the *_MIGRATE answers that follow
 * (see dc.ts for the cluster as a whole). Apart from dc.ts so that auth.ts and the connection can ask
 * without importing the DC methods, which themselves sign users in through auth.ts.
 */
import type { UserRecord } from '../state';
import { type CallContext, RpcError } from './types';

export const isCluster = (ctx: CallContext): boolean => ctx.server.dcs.length > 1;

export function homeDcOf(ctx: CallContext, user: UserRecord): number {
  return user.homeDc ?? ctx.server.dcs[0]?.id ?? ctx.server.dcId;
}

/** PHONE_MIGRATE_N when the account behind `phone` lives on another DC of the cluster. */
export function requirePhoneHome(ctx: CallContext, phone: string): void {
  if (!isCluster(ctx)) return;
  const user = ctx.state.userByPhone(phone);
  if (user === undefined) return;
  const home = homeDcOf(ctx, user);
  if (home !== ctx.server.dcId) throw new RpcError(303, `PHONE_MIGRATE_${home}`);
}

/** FILE_MIGRATE_N when a file is kept on another DC of the cluster. */
export function requireFileHere(ctx: CallContext, fileDc: number): void {
  if (isCluster(ctx) && fileDc !== ctx.server.dcId && ctx.server.dcs.some((d) => d.id === fileDc)) {
    throw new RpcError(303, `FILE_MIGRATE_${fileDc}`);
  }
}

/** Whether an auth key made for `keyDc` (as the handshake named it: ±, +10000 in test mode) may be used on this DC. */
export function keyBelongsHere(dcs: readonly { id: number }[], thisDc: number, keyDc: number): boolean {
  // A single-DC server accepts any key (clients may name another DC id in the handshake); a cluster
  // keeps keys apart, so a key moved to another DC is unknown there (the client must make a new one).
  if (dcs.length <= 1 || keyDc === 0) return true;
  return Math.abs(keyDc) % 10000 === thisDc;
}
