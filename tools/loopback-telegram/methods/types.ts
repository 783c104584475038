import type { TlObject, TlValue } from '../tl/codec';
import type { AuthKeyRecord, LoopbackState, UserRecord } from '../state';

/** An error the client receives as `rpc_error` (code and message as Telegram would send). */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: number,
    readonly errorMessage: string,
  ) {
    super(`${code} ${errorMessage}`);
  }
}

/** One data centre of the cluster, as help.getConfig advertises it. */
export interface DcAddress {
  readonly id: number;
  readonly host: string;
  port: number;
}

export interface ServerInfo {
  host: string;
  port: number;
  dcId: number;
  layer: number;
  /**
   * Every DC of the cluster (this one included), shared by all of them. A single-DC server lists only
   * itself; with several, accounts live on a home DC and the others answer *_MIGRATE_N (see dc.ts).
   */
  dcs: DcAddress[];
  /** How long a login code stays valid. */
  codeTtlMs: number;
  /** How account.getAuthorizations describes sessions, and who may end them (methods/sessions.ts). */
  sessions: SessionPolicy;
}

export interface SessionPolicy {
  /**
   * A session signed in less than this many seconds ago may not end other sessions
   * (406 FRESH_RESET_AUTHORISATION_FORBIDDEN; Telegram: 24 h). 0 lets every session end others.
   */
  freshResetSeconds: number;
  /** The `country` every session is listed with (all connections come from 127.0.0.1). */
  country: string;
  /** App names by api_id, as Telegram shows them; other api_ids are listed as "App <id>". */
  appNames: Readonly<Record<number, string>>;
}

export interface CallContext {
  readonly state: LoopbackState;
  readonly key: AuthKeyRecord;
  readonly server: ServerInfo;
  /** Called whenever a login/verification code is "delivered" (tests and the CLI print them). */
  readonly onCode: (to: string, code: string) => void;
}

export type MethodHandler = (ctx: CallContext, params: TlObject) => TlValue | Promise<TlValue>;
export type MethodTable = Readonly<Record<string, MethodHandler>>;

/** The signed-in account, or AUTH_KEY_UNREGISTERED as Telegram answers for unauthorised keys. */
export function requireUser(ctx: CallContext): UserRecord {
  const id = ctx.key.userId;
  const user = id === undefined ? undefined : ctx.state.users.get(id);
  if (!user) throw new RpcError(401, 'AUTH_KEY_UNREGISTERED');
  return user;
}

// Typed access to decoded parameters. The codec already enforced the schema's types, so a
// mismatch here is a server bug rather than bad client input.
export function str(o: TlObject, k: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw new RpcError(400, 'INPUT_REQUEST_INVALID');
  return v;
}
export function optStr(o: TlObject, k: string): string | undefined {
  const v = o[k];
  return typeof v === 'string' ? v : undefined;
}
export function int(o: TlObject, k: string): number {
  const v = o[k];
  if (typeof v !== 'number') throw new RpcError(400, 'INPUT_REQUEST_INVALID');
  return v;
}
export function long(o: TlObject, k: string): bigint {
  const v = o[k];
  if (typeof v !== 'bigint') throw new RpcError(400, 'INPUT_REQUEST_INVALID');
  return v;
}
export function bytes(o: TlObject, k: string): Buffer {
  const v = o[k];
  if (!Buffer.isBuffer(v)) throw new RpcError(400, 'INPUT_REQUEST_INVALID');
  return v;
}
export function obj(o: TlObject, k: string): TlObject {
  const v = o[k];
  if (typeof v !== 'object' || v === null || Buffer.isBuffer(v) || Array.isArray(v)) throw new RpcError(400, 'INPUT_REQUEST_INVALID');
  return v;
}
export function optObj(o: TlObject, k: string): TlObject | undefined {
  return o[k] === undefined ? undefined : obj(o, k);
}
export function vec(o: TlObject, k: string): TlValue[] {
  const v = o[k];
  if (!Array.isArray(v)) throw new RpcError(400, 'INPUT_REQUEST_INVALID');
  return v;
}
